from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up of running projects: report schedules and reports, reminders, dissemination events,
    closure, effect goals and KPIs. Reads applications, governance and budget; `reports` reads it."""

    name = "followup"
    verbose_name = _("Uppföljning och avslut")

    def ready(self):
        from applications import hooks, panels
        from samverkan import navigation

        from . import dashboard, permissions
        from .panels import followup_panel

        dashboard.register_sections()
        # The schedule is generated when the project starts (Samverkansmodellen, "uppföljning"); sent back
        # from closing by the styrgrupp ("mer arbete krävs"), the final report returns to the team.
        hooks.after_transition("start", _generate_schedule)
        hooks.after_transition("reopen", _return_final_report)
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


def _generate_schedule(*, proposal, by, comment):
    from .services import schedule_generate

    schedule_generate(proposal=proposal)


def _return_final_report(*, proposal, by, comment):
    from .services import closure_reopened

    closure_reopened(proposal=proposal, comment=comment)
