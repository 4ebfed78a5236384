"""Celery tasks of follow-up: the daily reminder job (beat)."""

from celery import shared_task

from .services import reminders_send


@shared_task(name="followup.send_reminders")
def send_reminders_task() -> dict[str, int]:
    """Run daily by beat. Idempotent: reminders already sent (ReminderLog) are never sent again."""
    return reminders_send()
