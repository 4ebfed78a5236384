from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", _("Universitet")
    MUNICIPALITY = "municipality", _("Kommun (kommunkoncern)")
    MUNICIPAL_COMPANY = "municipal_company", _("Kommunalt bolag")


class Role(models.TextChoices):
    RESEARCHER = "forskare", _("Forskare")
    OFFICER = "tjansteperson", _("Tjänsteperson")
    PROCESS_LEADER = "processledare", _("Processledare")
    COMMUNICATOR = "kommunikator", _("Kommunikatör")
    REVIEW_MEMBER = "beredningsledamot", _("Beredningsledamot")
    STEERING_MEMBER = "styrgruppsledamot", _("Styrgruppsledamot")
    # Ersättare: take an ordinary member's seat for an item when the member is absent or recused
    # (governance/seating.py).
    REVIEW_DEPUTY = "beredningsersattare", _("Ersättare i beredningen")
    STEERING_DEPUTY = "styrgruppsersattare", _("Ersättare i styrgruppen")
    SIGNATORY = "firmatecknare", _("Firmatecknare")


class DecisionRule(models.TextChoices):
    MAJORITY_EACH_PARTY = "majority_each_party", _("Majoritet inom varje part")
    SIMPLE_MAJORITY = "simple_majority", _("Enkel majoritet av avgivna röster")


class TieBreak(models.TextChoices):
    CHAIR_CASTING_VOTE = "chair", _("Ordförandens utslagsröst")
    REJECTED = "rejected", _("Lika röstetal innebär avslag")


class Language(models.TextChoices):
    """The languages a person can read the service and their e-mail in (settings.LANGUAGES)."""

    SWEDISH = "sv", _("Svenska")
    ENGLISH = "en", _("Engelska")


class MailStatus(models.TextChoices):
    """Where a notification's e-mail is in the outbox (samverkan/notifications.py)."""

    PENDING = "pending", _("Väntar på att skickas")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades")
    NOT_NEEDED = "not_needed", _("Ingen e-post")
