"""Sending background jobs to the queue so that an unreachable broker (Redis down) neither breaks a page
nor loses work.

The rule: a service first records the pending work in the database (a decision that still lacks its
document, minutes whose PDF is "queued", a quarterly report "i kö") and then, after commit, calls
`enqueue_on_commit("<job kind>", id)`. When the broker does not answer, the job is not sent; the failure is
logged, the current request is flagged so that `QueueUnavailableMessageMiddleware` tells the user that the
job will run later, and the one beat sweep (`samverkan.requeue_pending_jobs`, samverkan/tasks.py) sends the
job again once the broker is back. Jobs are idempotent, so a job sent twice (by the sweep and by a late
redelivery) does its work once.

Every task sent through `enqueue` must be a registered job kind – otherwise the promise "it runs when the
queue is back" would be false for it – and `enqueue` refuses any other task. Services name the kind
(`enqueue_on_commit("minutes_pdfs", minutes.pk)`) rather than import the task, whose module imports them.
An app registers its kinds from its integration.register():

    from samverkan import jobs
    from .tasks import render_minutes_pdf
    from .services.minutes import pending_minutes_pdfs

    jobs.register_job_kind(
        "minutes_pdfs",
        task=render_minutes_pdf,  # called as task(pk) with each id the sweep finds
        pending=lambda older_than: pending_minutes_pdfs(older_than=older_than).values_list("pk", flat=True),
    )

`pending(older_than)` returns the ids (a sliceable sequence, typically a `values_list` queryset in a stable
order) of the work recorded before `older_than` whose job has not done it yet.

Every job kind's task is made with the one decorator `durable_job` (a `DurableTask`; `register_job_kind`
refuses any other task). It takes the id of the recorded work, retries transient errors (OSError: disk,
fonts, storage) with backoff, and once it gives up – after the last retry, or at once for any other error,
which retrying will not cure – calls the kind's `on_give_up(id, error)`, which records the failure on the
object with a Swedish message the page shows (instead of "genereras…" forever):

    @jobs.durable_job(name="governance.render_minutes_pdf", on_give_up=_minutes_failed)
    def render_minutes_pdf(minutes_id: int) -> str:
        return minutes_render_pdf(minutes_id=minutes_id)

Without REDIS_URL tasks run eagerly in the web process; then `enqueue` simply runs the task.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from celery import Task, shared_task
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .registry import Registry

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


# A job still pending this long after its work was recorded was lost (broker down when it was queued, or
# its worker died and the message is not back yet): the sweep queues it again.
REQUEUE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 200  # per kind and sweep, so that a long outage is worked off without flooding the queue


# What a durable job returns when it gave up (the failure is recorded on its object).
GAVE_UP = "failed"


class DurableTask(Task):
    """The base of every durable job (made by `durable_job`): the task of each registered job kind."""

    # Called as on_give_up(id, error) when the job gives up; records the failure on the object.
    on_give_up: Callable[[int, str], None]

    def give_up(self, pk: int, exc: Exception) -> str:
        log.error("Job %s(%s) gave up after %s retries", self.name, pk, self.request.retries, exc_info=exc)
        self.on_give_up(pk, str(exc) or type(exc).__name__)
        return GAVE_UP


def durable_job(
    *,
    name: str,
    on_give_up: Callable[[int, str], None],
    retry_for: tuple[type[Exception], ...] = (OSError,),
    max_retries: int = 3,
    **options,
):
    """Make `work(id)` the task of a durable job kind named `name` (register it with `register_job_kind`).

    The work must be idempotent: the sweep, a retry or a late redelivery may run it again. An error in
    `retry_for` is retried up to `max_retries` times with exponential backoff (at most a minute apart);
    after the last retry, and at once for any other error, the job gives up: `on_give_up(id, error)` records
    the failure on the object and the task returns GAVE_UP. It never raises, so an eagerly run job (no
    REDIS_URL) cannot turn a request that was saved into a 500. `options` go to Celery (time limits)."""

    def decorate(work: Callable[[int], object]) -> DurableTask:
        def run(self: DurableTask, pk: int):
            try:
                return work(pk)
            except retry_for as exc:
                if self.request.retries < self.max_retries:
                    raise  # Celery's autoretry queues the next attempt
                return self.give_up(pk, exc)
            except Exception as exc:  # a bug or bad data: retrying will not help – say so on the page
                return self.give_up(pk, exc)

        run.__name__, run.__qualname__ = work.__name__, work.__qualname__
        run.__module__, run.__doc__ = work.__module__, work.__doc__
        return shared_task(
            bind=True,
            base=DurableTask,
            name=name,
            on_give_up=staticmethod(on_give_up),
            autoretry_for=retry_for,
            max_retries=max_retries,
            retry_backoff=True,
            retry_backoff_max=60,
            **options,
        )(run)

    return decorate


@dataclass(frozen=True)
class JobKind:
    """Durable work of one kind: `task(id)` does it (idempotently), `pending(older_than)` finds the ids of
    the work recorded before `older_than` that is still not done."""

    name: str
    task: object  # a Celery task
    pending: Callable[[datetime.datetime], Sequence[int]]


kinds: Registry[JobKind] = Registry("samverkan.jobs", key=lambda kind: kind.name)


def register_job_kind(name: str, *, task, pending: Callable[[datetime.datetime], Sequence[int]]) -> JobKind:
    """Make `task` a durable job kind that `enqueue` accepts and the sweep covers. Called from the app's
    integration.register(); registering the same kind again is harmless. The task must be made by
    `durable_job`, so that every kind retries and records its failure the same way."""
    if not isinstance(task, DurableTask):
        raise ImproperlyConfigured(
            f"Task {task.name} of job kind {name!r} is not made by samverkan.jobs.durable_job."
        )
    for kind in kinds:
        if kind.name != name and kind.task.name == task.name:
            raise ImproperlyConfigured(f"Task {task.name} is already registered as job kind {kind.name!r}.")
    return kinds.register(JobKind(name=name, task=task, pending=pending))


def job_kinds() -> list[JobKind]:
    return list(kinds)


def is_job_kind(task) -> bool:
    return any(kind.task.name == task.name for kind in kinds)


def task_of(job):
    """The task of a job kind given by name (how services queue work, so that they need not import the
    tasks that call them), or the task itself if it is a registered kind's."""
    if isinstance(job, str):
        kind = kinds.get(job)
        if kind is None:
            raise ImproperlyConfigured(
                f"{job!r} is not a registered job kind (samverkan.jobs.register_job_kind)."
            )
        return kind.task
    _require_job_kind(job)
    return job


def requeue_pending(*, older_than: datetime.timedelta = REQUEUE_AFTER) -> dict[str, int]:
    """The sweep: queue again the pending work of every registered kind recorded more than `older_than`
    ago. Returns the number of jobs queued per kind (0 for each while the broker is still down)."""
    cutoff = timezone.now() - older_than
    queued = {}
    for kind in job_kinds():
        queued[kind.name] = sum(enqueue(kind.name, pk) for pk in list(kind.pending(cutoff)[:REQUEUE_BATCH]))
    return queued


def _require_job_kind(task) -> None:
    if not is_job_kind(task):
        raise ImproperlyConfigured(
            f"Task {task.name} is not a registered job kind: register it with "
            "samverkan.jobs.register_job_kind() in its app's AppConfig.ready(), so that the sweep finds work "
            "it could not queue."
        )


def enqueue(job, *args, **kwargs) -> bool:
    """Send the job (a registered kind's name, or its task) as `task(*args, **kwargs)` to the queue. True
    when sent (or run eagerly); False when the broker is unreachable – then nothing is raised, the failure
    is logged and the request is flagged.

    Only registered job kinds are accepted (ImproperlyConfigured otherwise): a job that could not be sent
    is found again only by its kind's `pending`.

    Results are not kept (`ignore_result`): our jobs write their outcome to the database, and subscribing
    to a result on a dead Redis would block the request for many seconds."""
    task = task_of(job)
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


def enqueue_on_commit(job, *args, **kwargs) -> None:
    """Queue the job once the current transaction has committed (never for work that was rolled back)."""
    task = task_of(job)  # now, not after commit: a test that never commits still sees the mistake
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
