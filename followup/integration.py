"""What follow-up adds to the apps below it (samverkan/registry.py): start-page sections, the proposal's
follow-up panel, navigation, and its reactions to proposal transitions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def on_transition(sender, *, name, proposal, by, comment, **kwargs):
    """The schedule is generated when the project starts (Samverkansmodellen, "uppföljning"); sent back
    from closing by the styrgrupp ("mer arbete krävs"), the final report returns to the team."""
    from .services import closure_reopened, schedule_generate

    if name == "start":
        schedule_generate(proposal=proposal)
    elif name == "reopen":
        closure_reopened(proposal=proposal, comment=comment)


def register():
    from applications import panels
    from applications.signals import proposal_transitioned
    from samverkan import navigation

    from . import dashboard, permissions
    from .panels import followup_panel

    dashboard.register_sections()
    proposal_transitioned.connect(on_transition, dispatch_uid="followup.on_transition")
    panels.register(followup_panel)
    navigation.register(
        navigation.NavItem(_("Uppföljning"), "followup:overview", permissions.can_view_overview, 40)
    )
    navigation.register(
        navigation.NavItem(_("Resultatspridning"), "followup:event_list", permissions.can_list_events, 45)
    )
    navigation.register(
        navigation.NavItem(_("Effektmål"), "followup:goals_index", permissions.can_view_goal_pages, 46)
    )
