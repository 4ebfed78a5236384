from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SamverkanConfig(AppConfig):
    name = "samverkan"
    verbose_name = _("Samverkan")

    def ready(self):
        from . import integration, lookups

        lookups.register()
        integration.register()
