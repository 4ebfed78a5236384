"""Start-page sections for follow-up: the researcher's and tjänsteperson's due reports, and the
processledare's follow-up at a glance. Constant query counts."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan import dashboard

from . import permissions, selectors

SECTION_LIMIT = 10


def team_reports_section(request) -> dashboard.Section | None:
    reports = list(selectors.team_reports_due(request.user))
    if not reports:
        return None
    return dashboard.Section(
        _("Uppföljningsrapporter att lämna"),
        "followup/_dashboard_team.html",
        {
            "reports": reports[:SECTION_LIMIT],
            "more": max(0, len(reports) - SECTION_LIMIT),
            "today": timezone.localdate(),
        },
        order=5,
    )


def leader_section(request) -> dashboard.Section | None:
    if not permissions.can_view_overview(request.user):
        return None
    # Counts only (the overview page lists the rows): nothing here grows with the number of projects.
    data = selectors.overview_counts(request.user)
    if not (data.due or data.overdue or data.to_treat or data.closing or data.events):
        return None
    return dashboard.Section(
        _("Uppföljning och avslut"), "followup/_dashboard_leader.html", dict(vars(data)), order=25
    )


def register_sections():
    dashboard.register(team_reports_section)
    dashboard.register(leader_section)
