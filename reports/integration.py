"""What reports adds to the apps below it (samverkan/registry.py): navigation, start-page sections, the
quarterly report's sections and its durable job. Nothing imports reports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register():
    from samverkan import jobs, navigation

    from . import dashboard, permissions
    from .sections import integrations, portfolio  # noqa: F401  (their @register fills sections.specs)
    from .services import pending_reports
    from .tasks import generate_quarterly_report

    navigation.register(
        navigation.NavItem(_("Rapporter"), "reports:report_list", permissions.can_see_reports, 80)
    )
    dashboard.register_sections()
    # The one sweep (samverkan.jobs) queues again quarterly reports that never ran.
    jobs.register_job_kind(
        "quarterly_reports",
        task=generate_quarterly_report,
        pending=lambda older_than: pending_reports(older_than=older_than),
    )
