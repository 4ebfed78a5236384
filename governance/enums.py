from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BodyKind(models.TextChoices):
    REVIEW_GROUP = "beredningsgrupp", _("Beredningsgrupp")
    JOINT_REVIEW = "kommungemensam", _("Kommungemensam beredning")
    STEERING_GROUP = "styrgrupp", _("Styrgrupp")


class MeetingKind(models.TextChoices):
    REVIEW = "beredning", _("Beredning")
    JOINT_REVIEW = "kommungemensam_beredning", _("Kommungemensam beredning")
    PRE_REVIEW = "forberedning", _("För-beredning")
    STEERING = "styrgrupp", _("Styrgrupp")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planerat")
    INVITED = "invited", _("Kallat")
    HELD = "held", _("Genomfört")
    MINUTES_APPROVED = "approved", _("Protokoll justerat")


class ItemKind(models.TextChoices):
    PITCH = "pitch", _("Pitch")
    APPLICATION = "application", _("Ansökan")
    DECISION = "decision", _("Beslut")
    FOLLOW_UP = "follow_up", _("Uppföljningsrapport")
    CLOSURE = "closure", _("Avslut")
    INFORMATION = "information", _("Information")
    OTHER = "other", _("Övrigt")


class Perspective(models.TextChoices):
    RESEARCH = "research", _("Forskningens kvalitet och ambition (universitetet)")
    BENEFIT = "benefit", _("Nytta och effekter för medborgare, företagare och besökare (kommunen)")


class ReviewOutcome(models.TextChoices):
    FORWARD = "forward", _("Tillstyrks – går vidare till styrgruppen")
    RETURN = "return", _("Återförs för revidering")
    DECLINE = "decline", _("Tillstyrks inte")


class Choice(models.TextChoices):
    # Same Swedish words as the outcome below; the context lets English say "Yes"/"No" here.
    YES = "yes", pgettext_lazy("röstalternativ", "Bifall")
    NO = "no", pgettext_lazy("röstalternativ", "Avslag")
    ABSTAIN = "abstain", _("Avstår")


class VoteStatus(models.TextChoices):
    DRAFT = "draft", _("Inte öppnad")
    OPEN = "open", _("Pågår")
    CLOSED = "closed", _("Stängd")


class VoteOutcome(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("voteringsresultat", "Bifall")
    REJECTED = "rejected", pgettext_lazy("voteringsresultat", "Avslag")
    NO_QUORUM = "no_quorum", _("Ej beslutsfört")


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("Bevilja")
    REJECT = "reject", _("Avslå")
    COFUNDING = "cofunding", _("Medfinansieringsbeslut")
    APPROVE_RESULTS = "approve_results", _("Godkänna resultat")
    CLOSE = "close", _("Avsluta")
    COMMUNICATION_PLAN = "communication_plan", _("Kommunikationsplan")
    OTHER = "other", _("Övrigt")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Närvarande")
    LATE = "late", _("Anlände sent")
    LEFT = "left", _("Lämnade mötet")
    ABSENT = "absent", _("Frånvarande")


# The nine collaboration criteria (seed 003, "Exempelsamling programkriterier"), as short questions.
CRITERIA = [
    (1, _("Tydligt och realistiskt syfte med samverkan")),
    (2, _("Rätt aktörer och organisationer är med")),
    (3, _("Överenskommelser om vad var och en bidrar med")),
    (4, _("Deltagarna har mandat att fatta beslut")),
    (5, _("Öppenhet och tillit i gruppen")),
    (6, _("Kvinnor och män har samma möjligheter att påverka")),
    (7, _("Samverkan påverkar den egna organisationen och verksamheten")),
    (8, _("Målgrupperna kan delta och påverka arbetet")),
    (9, _("Tid och resurser för att få samverkan att fungera")),
]


class DocumentKind(models.TextChoices):
    DECISION_BASIS = "beslutsunderlag", _("Beslutsunderlag")
    COFUNDING_CERTIFICATE = "medfinansieringsintyg", _("Medfinansieringsintyg")


class DocumentStatus(models.TextChoices):
    GENERATING = "generating", _("Genereras")
    TO_SIGN = "to_sign", _("Att signera")
    SIGNED = "signed", _("Signerat")
    REGISTERED = "registered", _("Diariefört")
    FAILED = "failed", _("Kunde inte skapas")
    SUPERSEDED = "superseded", _("Ersatt")


class VerificationStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    RUNNING = "running", _("Pågår")
    DONE = "done", _("Klar")
