"""Celery tasks of governance: closing expired votes (beat) and rendering minutes."""

from celery import shared_task

from .services import close_expired_votes, minutes_pdf_failed, minutes_render_pdf


@shared_task(name="governance.close_expired_votes")
def close_expired_votes_task() -> list[int]:
    """Run every minute by beat; closes each expired vote exactly once (row locks + status check)."""
    return close_expired_votes()


@shared_task(
    bind=True,
    name="governance.render_minutes_pdf",
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=60,
)
def render_minutes_pdf(self, minutes_id: int) -> str:
    """Render approved minutes as PDF. Idempotent: minutes that already have their PDF are left alone.
    A transient error (OSError: disk, fonts, storage) is retried with backoff; after the last attempt, and
    for any other error, the minutes get status "failed" with a Swedish message instead of hanging in
    "rendering"."""
    try:
        return minutes_render_pdf(minutes_id=minutes_id)
    except OSError as exc:
        if self.request.retries >= self.max_retries:
            minutes_pdf_failed(minutes_id=minutes_id, error=str(exc) or exc.__class__.__name__)
            return "failed"
        raise
    except Exception as exc:  # a bug or bad data: retrying will not help – say so on the page
        minutes_pdf_failed(minutes_id=minutes_id, error=str(exc) or exc.__class__.__name__)
        return "failed"
