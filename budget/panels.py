"""The budget panel on the proposal page (registered in apps.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from applications.panels import Panel

from . import permissions, selectors


def budget_panel(request, proposal) -> Panel | None:
    if not permissions.can_view_budget(request.user, proposal):
        return None
    return Panel(
        title=_("Budget"),
        template="budget/_proposal_panel.html",
        context={
            "summary": selectors.budget_summary(proposal),
            "budget_url": reverse("budget:application_budget", args=[proposal.pk]),
            "xlsx_url": reverse("budget:application_budget_xlsx", args=[proposal.pk]),
            "can_edit": permissions.can_edit_budget(request.user, proposal),
        },
        order=50,
    )
