"""Sending background jobs to the queue so that an unreachable broker (Redis down) neither breaks a page
nor loses work.

The rule: a service first records the pending work in the database (a decision that still lacks its
document, minutes whose PDF is "queued") and then, after commit, calls `enqueue_on_commit(task, ...)`.
When the broker does not answer, the job is not sent; the failure is logged, the current request is
flagged so that `QueueUnavailableMessageMiddleware` tells the user that the job will run later, and the
beat sweep (`governance.requeue_pending_jobs`) sends the job again once the broker is back. Jobs are
idempotent, so a job sent twice (by the sweep and by a late redelivery) does its work once.

Without REDIS_URL tasks run eagerly in the web process; then `enqueue` simply runs the task.
"""

from __future__ import annotations

import contextvars
import logging

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# What a broker that is down, restarting or unreachable raises when a message is published.
BROKER_ERRORS = (KombuOperationalError, RedisConnectionError, RedisTimeoutError)

# Publish: try twice within about half a second, then give up – the sweep sends the job later. A request
# must not hang on a dead broker (kombu's default policy plus the result backend's reconnects take ~20 s).
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}

# The names of the jobs of this request that could not be queued (None outside a request).
_not_queued: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "samverkan_jobs_not_queued", default=None
)


def enqueue(task, *args, **kwargs) -> bool:
    """Send `task(*args, **kwargs)` to the queue. True when sent (or run eagerly); False when the broker is
    unreachable – then nothing is raised, the failure is logged and the request is flagged.

    Results are not kept (`ignore_result`): our jobs write their outcome to the database, and subscribing
    to a result on a dead Redis would block the request for many seconds."""
    try:
        task.apply_async(args=args, kwargs=kwargs, ignore_result=True, retry_policy=RETRY_POLICY)
    except BROKER_ERRORS as exc:
        log.warning(
            "Job %s%r not queued, the broker is unreachable (%s); the periodic sweep will queue it again.",
            task.name,
            args,
            exc,
        )
        pending = _not_queued.get()
        if pending is not None:
            pending.append(task.name)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue the job once the current transaction has committed (never for work that was rolled back)."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


QUEUE_UNAVAILABLE_MESSAGE = gettext_lazy(
    "Köservern svarar inte just nu. Ändringen är sparad och jobbet körs automatiskt så snart köservern är "
    "tillgänglig igen."
)


class QueueUnavailableMessageMiddleware:
    """Tells the user, as a message on the next page, that a job of their request could not be queued yet.
    Place it after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending: list[str] = []
        token = _not_queued.set(pending)
        try:
            response = self.get_response(request)
        finally:
            _not_queued.reset(token)
        if pending and hasattr(request, "_messages"):
            messages.warning(request, QUEUE_UNAVAILABLE_MESSAGE)
        return response
