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


class LineKind(models.TextChoices):
    """What a budget line (budgetpost) pays for; grants are committed against lines."""

    OPERATIONS = "operations", _("Verksamhet (processledning, koordinering, spridning)")
    POOL = "pool", _("Förstudier och projekt (beviljas av styrgruppen)")
    PROGRAMME = "programme", _("Program – basfinansiering")
    PROFILE_AREA = "profile_area", _("Profilbärande område – basfinansiering")
    PROJECT = "project", _("Namngivet projekt eller aktivitet")
    OTHER = "other", _("Övrigt")


class SpendingSource(models.TextChoices):
    REPORT = "report", _("Uppföljningsrapport")
    IMPORT = "import", _("Import från ekonomisystemet")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PRESENTED = "presented", _("Presenterad vid beredning")
    ON_AGENDA = "on_agenda", _("På styrgruppens dagordning")
    DECIDED = "decided", _("Beslutad")
