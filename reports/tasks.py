"""Celery tasks of reports: the quarterly report job and the beat job that orders it at each quarter start."""

from celery import shared_task

from samverkan import jobs

from .services import report_failed, report_generate, schedule_previous_quarter


@shared_task(name="reports.order_quarterly_reports")
def order_quarterly_reports() -> list[int]:
    """Run by beat at 06:00 on the first day of each quarter: orders last quarter's report per agreement."""
    return [report.pk for report in schedule_previous_quarter()]


def _report_failed(report_id: int, error: str) -> None:
    report_failed(report_id=report_id, error=error)


@jobs.durable_job(name="reports.generate_quarterly_report", on_give_up=_report_failed)
def generate_quarterly_report(report_id: int) -> str:
    """Generate one report; returns its status. Idempotent (a finished report is left alone). When the job
    gives up (samverkan.jobs.durable_job) the report gets status "failed" with a Swedish message that the
    page shows next to a retry button."""
    return report_generate(report_id=report_id).status
