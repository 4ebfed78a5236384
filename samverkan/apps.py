from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = _("Samverkan")

    def ready(self):
        from . import navigation, permissions

        navigation.register(navigation.NavItem(_("Start"), "start", lambda user: True, order=0))
        navigation.register(
            navigation.NavItem(_("Avtal"), "agreement_list", permissions.can_list_agreements, order=80)
        )
        navigation.register(
            navigation.NavItem(_("Administration"), "admin:index", permissions.can_use_admin, 90)
        )
