"""Celery tasks of governance: closing expired votes (beat), rendering minutes and decision documents.
The two rendering jobs and the check of a verification upload are durable jobs (samverkan.jobs.durable_job:
retried, their failure recorded on the object), registered in apps.py and swept by samverkan.jobs."""

from celery import shared_task

from samverkan import jobs

from .services import close_expired_votes, minutes_pdf_failed, minutes_render_pdf


@shared_task(name="governance.close_expired_votes")
def close_expired_votes_task() -> list[int]:
    """Run every minute by beat; closes each expired vote exactly once (row locks + status check)."""
    return close_expired_votes()


def _minutes_failed(minutes_id: int, error: str) -> None:
    minutes_pdf_failed(minutes_id=minutes_id, error=error)


@jobs.durable_job(name="governance.render_minutes_pdf", on_give_up=_minutes_failed)
def render_minutes_pdf(minutes_id: int) -> str:
    """Render approved minutes as PDF. Idempotent: minutes that already have their PDF are left alone.
    When the job gives up (samverkan.jobs.durable_job) the minutes get status "failed" with a Swedish
    message instead of hanging in "rendering"."""
    return minutes_render_pdf(minutes_id=minutes_id)


def _document_failed(decision_id: int, error: str) -> None:
    from .services.documents import document_failed

    document_failed(decision_id, f"Dokumentet kunde inte skapas: {error}")


@jobs.durable_job(name="governance.generate_decision_documents", on_give_up=_document_failed)
def generate_decision_documents(decision_id: int) -> int:
    """Render the decision's document in two copies; returns its id. Idempotent: re-running returns the
    same document. When the job gives up the document gets status "failed" with a Swedish message."""
    from .services.documents import document_generate

    return document_generate(decision_id).pk


def _verification_failed(request_id: int, error: str) -> None:
    from .services.verification import verification_failed

    verification_failed(request_id=request_id)


# The validation itself runs in a child process limited to signing.VALIDATION_SECONDS; the time limits are
# the outer walls should anything else hang. Past the hard limit the pool process is killed and the job
# redelivered (acks_late); after MAX_ATTEMPTS the request gets the verdict "could not be checked". Nothing
# is retried: a time limit or a broken child gives the visitor that verdict at once, never a page that waits
# forever.
@jobs.durable_job(
    name="governance.verify_upload",
    on_give_up=_verification_failed,
    retry_for=(),
    max_retries=0,
    soft_time_limit=60,
    time_limit=90,
)
def verify_upload(request_id: int) -> str:
    """Judge an upload from the public verification page (services.verification). Idempotent."""
    from .services.verification import verification_run

    return verification_run(request_id=request_id)
