"""Start-page sections for applications: the proposals where something is expected of the person."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan import dashboard
from samverkan import permissions as core
from samverkan.enums import Role

from . import next_steps, permissions, selectors
from .enums import END_STATES

# The start page shows this many; the full list is one click away.
SECTION_LIMIT = 10


def my_proposals_section(request) -> dashboard.Section | None:
    """ "Mina ärenden" for researchers and tjänstepersoner: proposals whose next step is theirs."""
    user = request.user
    if not permissions.can_view_my_proposals(user):
        return None
    # Only the proposals shown are loaded and get their step computed; the rest are counted in SQL.
    expected = (
        selectors.my_proposals(user)
        .exclude(state__in=END_STATES)
        .filter(next_steps.expected_of_team_member(user))
    )
    rows = [
        {"proposal": proposal, "step": next_steps.step(proposal, user)}
        for proposal in selectors.with_completeness_data(expected[:SECTION_LIMIT])
    ]
    if not rows:
        return None
    return dashboard.Section(
        _("Mina ärenden"),
        "applications/_dashboard_my_proposals.html",
        {"rows": rows, "more": expected.count() - len(rows)},
        order=10,
    )


def submitted_section(request) -> dashboard.Section | None:
    """For processledare: submitted applications in their agreements, waiting for the completeness check."""
    user = request.user
    if not core.has_any_role(user, Role.PROCESS_LEADER):
        return None
    proposals = list(selectors.submitted_for_check(user))
    if not proposals:
        return None
    return dashboard.Section(
        _("Inskickade ansökningar att kontrollera"),
        "applications/_dashboard_submitted.html",
        {"proposals": proposals[:SECTION_LIMIT], "more": max(0, len(proposals) - SECTION_LIMIT)},
        order=20,
    )


def register_sections():
    dashboard.register(my_proposals_section)
    dashboard.register(submitted_section)
