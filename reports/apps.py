from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapporter och kommunikation")

    def ready(self):
        from samverkan import navigation

        from . import dashboard, permissions

        navigation.register(
            navigation.NavItem(_("Rapporter"), "reports:report_list", permissions.can_see_reports, 80)
        )
        dashboard.register_sections()
        register_job_kinds()


def register_job_kinds():
    """The durable job of reports: the one sweep (samverkan.jobs) queues again reports that never ran."""
    from samverkan import jobs

    from .services import pending_reports
    from .tasks import generate_quarterly_report

    jobs.register_job_kind(
        "quarterly_reports",
        task=generate_quarterly_report,
        pending=lambda older_than: pending_reports(older_than=older_than),
    )
