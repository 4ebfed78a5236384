from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkForm(models.TextChoices):
    PRE_STUDY = "forstudie", _("Förstudie")
    PROJECT = "projekt", _("Projekt")
    PROGRAMME = "program", _("Program")
    PROFILE_AREA = "profilomrade", _("Profilbärande område")
    CO_FUNDING = "medfinansiering", _("Medfinansiering")


class ProposalState(models.TextChoices):
    DIALOG = "dialog", _("Dialog")
    PITCH = "pitch", _("Pitch / för-beredning")
    APPLICATION = "application", _("Ansökan under arbete")
    SUBMITTED = "submitted", _("Inskickad")
    IN_REVIEW = "in_review", _("Under beredning")
    AWAITING_DECISION = "awaiting_decision", _("Till styrgrupp")
    COFUNDING_APPROVED = "cofunding_approved", _("Medfinansiering beviljad")
    GRANTED = "granted", _("Beviljad")
    ACTIVE = "active", _("Pågående")
    CLOSING = "closing", _("Slutredovisad")
    CLOSED = "closed", _("Avslutad")
    DECLINED = "declined", _("Ej tillstyrkt")
    REJECTED = "rejected", _("Avslag")
    LAPSED = "lapsed", _("Förfallen")
    WITHDRAWN = "withdrawn", _("Återkallad")


# States before a decision, from which the proposal can be withdrawn.
PRE_DECISION_STATES = [
    ProposalState.DIALOG,
    ProposalState.PITCH,
    ProposalState.APPLICATION,
    ProposalState.SUBMITTED,
    ProposalState.IN_REVIEW,
    ProposalState.AWAITING_DECISION,
]
END_STATES = [
    ProposalState.CLOSED,
    ProposalState.DECLINED,
    ProposalState.REJECTED,
    ProposalState.LAPSED,
    ProposalState.WITHDRAWN,
]


class TemplateStage(models.TextChoices):
    PITCH = "pitch", _("Pitch")
    PRE_REVIEW = "forberedning", _("För-beredning")
    APPLICATION = "ansokan", _("Ansökan")
    FINAL_REPORT = "slutrapport", _("Slutrapport")
