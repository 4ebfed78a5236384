from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class ReportTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Automatiskt vid kvartalsskiftet")
    MANUAL = "manual", _("Beställd")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Inlämnad till styrgruppen")
