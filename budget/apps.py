from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget och ekonomi")

    def ready(self):
        from applications import completeness, panels
        from samverkan import dashboard, navigation

        from . import checks, permissions
        from .panels import budget_panel
        from .views.economy import economy_section, project_panel

        completeness.register(checks.budget_missing)
        panels.register(budget_panel)
        panels.register(project_panel)
        navigation.register(
            navigation.NavItem(_("Ekonomi"), "budget:economy", permissions.can_see_economy_anywhere, 50)
        )
        dashboard.register(economy_section)
