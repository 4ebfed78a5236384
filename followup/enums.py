from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    HALF_TIME = "halvtid", _("Halvtidsredovisning")
    YEARLY = "arlig", _("Årlig redovisning")
    HALF_YEARLY = "halvar", _("Halvårsredovisning")
    FINAL = "slut", _("Slutredovisning")


class ReportState(models.TextChoices):
    UPCOMING = "kommande", _("Kommande")
    DUE = "att_lamna", _("Att lämna")
    SUBMITTED = "inlamnad", _("Inlämnad")
    TREATED = "behandlad", _("Behandlad")


OPEN_STATES = (ReportState.UPCOMING, ReportState.DUE)


class GoalStatus(models.TextChoices):
    MET = "met", _("Uppnått")
    PARTLY = "partly", _("Delvis uppnått")
    NOT_MET = "not_met", _("Inte uppnått")


# Share of an activity goal that counts as met, for a project's progress.
GOAL_WEIGHT = {GoalStatus.MET: 1.0, GoalStatus.PARTLY: 0.5, GoalStatus.NOT_MET: 0.0}


class ReminderKind(models.TextChoices):
    BEFORE_30 = "before_30", _("30 dagar före")
    BEFORE_7 = "before_7", _("7 dagar före")
    DUE_DAY = "due_day", _("På förfallodagen")
    OVERDUE = "overdue", _("Försenad (varje vecka)")
    DIGEST = "digest", _("Sammanställning till processledare")


class Unit(models.TextChoices):
    PERCENT = "percent", _("Procent")
    COUNT = "count", _("Antal")
    KRONOR = "kronor", _("Kronor")
    OTHER = "other", _("Annan enhet")


class GoalKind(models.TextChoices):
    EFFECT_GOAL = "effektmal", _("Effektmål")
    KPI = "nyckeltal", _("Nyckeltal")


class Light(models.TextChoices):
    GREEN = "green", _("Grönt – målet är nått")
    YELLOW = "yellow", _("Gult – nära målet")
    RED = "red", _("Rött – långt från målet")
    GREY = "grey", _("Grått – inget värde ännu")
