"""Celery tasks of governance: closing expired votes (beat) and rendering minutes."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .services import close_expired_votes, minutes_pdf_failed, minutes_render_pdf

# A job still pending this long after its work was recorded was lost (broker down when it was queued, or
# its worker died and the message is not back yet): the sweep queues it again.
REQUEUE_AFTER = timedelta(minutes=5)
REQUEUE_BATCH = 200  # per sweep, so that a long outage is worked off without flooding the queue


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


@shared_task(
    bind=True,
    name="governance.generate_decision_documents",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def generate_decision_documents(self, decision_id: int) -> int:
    """Render the decision's document in two copies. Idempotent: re-running returns the same document.
    A transient error (OSError: disk, fonts, storage) is retried with backoff; after the last attempt, and
    for any other error, the document gets status "failed" with a Swedish message."""
    from .services.documents import document_failed, document_generate

    try:
        return document_generate(decision_id).pk
    except OSError as exc:
        if self.request.retries >= self.max_retries:
            document_failed(decision_id, f"Dokumentet kunde inte skapas: {exc}")
        raise  # transient (disk, fonts): Celery retries until max_retries
    except Exception as exc:
        document_failed(decision_id, f"Dokumentet kunde inte skapas: {exc}")
        raise


@shared_task(name="governance.requeue_pending_jobs")
def requeue_pending_jobs(older_than_seconds: float | None = None) -> dict:
    """Run by beat: queue again the decision documents and minutes PDFs whose job never ran (see
    samverkan/jobs.py). Idempotent jobs make a duplicate harmless."""
    from samverkan.jobs import enqueue

    from .services.documents import pending_document_decisions
    from .services.minutes import pending_minutes_pdfs

    age = REQUEUE_AFTER if older_than_seconds is None else timedelta(seconds=older_than_seconds)
    cutoff = timezone.now() - age
    decisions = list(
        pending_document_decisions(older_than=cutoff).values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    minutes = list(pending_minutes_pdfs(older_than=cutoff).values_list("pk", flat=True)[:REQUEUE_BATCH])
    queued = {"documents": 0, "minutes": 0}
    for pk in decisions:
        queued["documents"] += enqueue(generate_decision_documents, pk)
    for pk in minutes:
        queued["minutes"] += enqueue(render_minutes_pdf, pk)
    return queued
