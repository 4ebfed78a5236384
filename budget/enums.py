from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    SALARIES = "salaries", _("Löner inkl. lönebikostnader")
    INDIRECT = "indirect", _("Indirekta kostnader")
    TRAVEL = "travel", _("Resor")
    EQUIPMENT = "equipment", _("Utrustning och material")
    SERVICES = "services", _("Externa tjänster")
    OTHER = "other", _("Övrigt")


class FundingSource(models.TextChoices):
    AGREEMENT = "agreement", _("Samverkansavtalet")
    OWN_CONTRIBUTION = "own", _("Egen insats")  # per party: organisation says whose
    EXTERNAL = "external", _("Extern finansiär")
