"""Celery tasks of reports: the quarterly report job and the beat job that orders it at each quarter start."""

from celery import shared_task

from .services import report_failed, report_generate, schedule_previous_quarter


@shared_task(name="reports.order_quarterly_reports")
def order_quarterly_reports() -> list[int]:
    """Run by beat at 06:00 on the first day of each quarter: orders last quarter's report per agreement."""
    return [report.pk for report in schedule_previous_quarter()]


@shared_task(
    bind=True,
    name="reports.generate_quarterly_report",
    autoretry_for=(OSError,),
    max_retries=3,
    retry_backoff=True,
    retry_backoff_max=60,
)
def generate_quarterly_report(self, report_id: int) -> str:
    """Generate one report. Idempotent (a finished report is left alone). A transient error (OSError: disk,
    fonts, storage) is retried with backoff; after the last attempt, and for any other error, the report gets
    status "failed" with a Swedish message that the page shows next to a retry button."""
    try:
        return report_generate(report_id=report_id).status
    except OSError as exc:
        if self.request.retries >= self.max_retries:
            report_failed(report_id=report_id, error=str(exc) or exc.__class__.__name__)
            return "failed"
        raise
    except Exception as exc:  # a bug or bad data: retrying will not help – say so on the page
        report_failed(report_id=report_id, error=str(exc) or exc.__class__.__name__)
        return "failed"
