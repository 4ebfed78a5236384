from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """Follow-up of running projects: report schedules and reports, reminders, dissemination events,
    closure, effect goals and KPIs. Reads applications, governance and budget; `reports` reads it."""

    name = "followup"
    verbose_name = _("Uppföljning och avslut")

    def ready(self):
        from . import integration

        integration.register()
