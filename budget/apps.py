from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "budget"
    verbose_name = _("Budget och ekonomi")

    def ready(self):
        from applications import completeness, panels

        from . import checks
        from .panels import budget_panel

        completeness.register(checks.budget_missing)
        panels.register(budget_panel)
