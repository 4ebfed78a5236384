"""Celery tasks of the core domain."""

import datetime

from celery import shared_task
from django.db import connection

from . import jobs, notifications


@shared_task(name="samverkan.ping")
def ping(token: str) -> dict:
    """A round-trip through broker, worker and database: echoes the token and the database vendor.

    Used by operators (and tests) to see that a worker really processes jobs against the real database.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"token": token, "database": connection.vendor}


@shared_task(name="samverkan.requeue_pending_jobs")
def requeue_pending_jobs(older_than_seconds: float | None = None) -> dict[str, int]:
    """Run by beat every five minutes: queue again the pending work of every registered job kind whose job
    never ran (broker down when it was queued, worker died) – see samverkan/jobs.py. Idempotent jobs make a
    duplicate harmless. Returns the number queued per kind."""
    if older_than_seconds is None:
        return jobs.requeue_pending()
    return jobs.requeue_pending(older_than=datetime.timedelta(seconds=older_than_seconds))


@shared_task(name="governance.requeue_pending_jobs")
def requeue_pending_jobs_by_old_name(older_than_seconds: float | None = None) -> dict[str, int]:
    """The sweep's name before it covered every app: a beat entry or a message sent before the rename still
    runs the one sweep instead of failing as an unregistered task."""
    return requeue_pending_jobs(older_than_seconds)


def _notification_mail_failed(notification_id: int, error: str) -> None:
    notifications.notification_mail_failed(notification_id=notification_id, error=error)


# No retries of its own: a mail that could not be sent is retried by the sweep after a growing pause
# (samverkan/notifications.py).
@jobs.durable_job(
    name="samverkan.send_notification_mail", on_give_up=_notification_mail_failed, retry_for=(), max_retries=0
)
def send_notification_mail(notification_id: int) -> None:
    """Send one notification's e-mail from the outbox (samverkan/notifications.py). Idempotent: a mail
    already sent is not sent again; a failure is recorded on the row and retried by the sweep."""
    notifications.notification_mail_send(notification_id=notification_id)
