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
