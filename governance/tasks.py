"""Celery tasks of governance: closing expired votes (beat), rendering minutes and decision documents.
The two rendering jobs and the check of a verification upload are durable job kinds (registered in apps.py,
swept by samverkan.jobs)."""

import logging

from celery import shared_task

from .services import close_expired_votes, minutes_pdf_failed, minutes_render_pdf

logger = logging.getLogger(__name__)


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


@shared_task(
    bind=True,
    name="governance.verify_upload",
    # The validation itself runs in a child process limited to signing.VALIDATION_SECONDS; these are the
    # outer walls should anything else hang. Past the hard limit the pool process is killed and the job
    # redelivered (acks_late); after MAX_ATTEMPTS the request gets the verdict "could not be checked".
    soft_time_limit=60,
    time_limit=90,
)
def verify_upload(self, request_id: int) -> str:
    """Judge an upload from the public verification page (services.verification). Idempotent."""
    from celery.exceptions import SoftTimeLimitExceeded

    from .services.verification import verification_failed, verification_run

    try:
        return verification_run(request_id=request_id)
    except SoftTimeLimitExceeded:
        verification_failed(request_id=request_id)
        return "failed"
    except Exception:  # a bug or a broken child: the visitor gets a verdict, never a page that waits forever
        logger.exception("Verification request %s failed", request_id)
        verification_failed(request_id=request_id)
        return "failed"
