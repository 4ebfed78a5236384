"""The follow-up panel on the proposal page (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from applications.panels import Panel

from . import permissions
from .models import FollowUpReport


def followup_panel(request, proposal) -> Panel | None:
    if proposal.state not in permissions.FOLLOW_UP_STATES or not permissions.can_view_followup(
        request.user, proposal
    ):
        return None
    reports = list(FollowUpReport.objects.filter(proposal=proposal).order_by("due_date", "pk"))
    return Panel(
        title=_("Uppföljning och avslut"),
        template="followup/_proposal_panel.html",
        context={"reports": reports, "proposal": proposal},
        order=60,
    )
