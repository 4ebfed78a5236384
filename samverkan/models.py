"""The core domain: people, parties, agreements and the roles people hold in them."""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DecisionRule, Language, MailStatus, OrganisationKind, Role, TieBreak


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("E-postadress krävs")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. Logs in with e-mail; what they may do follows from their role assignments."""

    username = None
    email = models.EmailField(_("e-postadress"), unique=True)
    title = models.CharField(_("befattning"), max_length=120, blank=True)
    # The language of their e-mail; set when they use the language switcher.
    language = models.CharField(_("språk"), max_length=5, choices=Language.choices, default=Language.SWEDISH)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """A party to agreements (university, municipality) or a municipal company within a municipal group."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    short_name = models.CharField(_("kortnamn"), max_length=40)
    kind = models.CharField(_("typ"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kommun (för kommunala bolag)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="companies",
    )
    diarium_prefix = models.CharField(
        _("diarieprefix"), max_length=20, blank=True, help_text=_("T.ex. MDU i MDU-2026/123")
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=OrganisationKind.MUNICIPAL_COMPANY) & Q(parent__isnull=False))
                | (~Q(kind=OrganisationKind.MUNICIPAL_COMPANY) & Q(parent__isnull=True)),
                name="organisation_only_company_has_parent",
                violation_error_message=_(
                    "Ett kommunalt bolag måste tillhöra en kommun; andra organisationer får inte."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == OrganisationKind.MUNICIPAL_COMPANY:
            if self.parent is None:
                raise ValidationError({"parent": _("Ett kommunalt bolag måste tillhöra en kommun.")})
            if self.parent.kind != OrganisationKind.MUNICIPALITY:
                raise ValidationError({"parent": _("Ett kommunalt bolag kan bara tillhöra en kommun.")})
        elif self.parent_id is not None:
            raise ValidationError({"parent": _("Bara kommunala bolag kan tillhöra en kommun.")})

    @property
    def party(self) -> Organisation:
        """The party this organisation acts for: a company acts within its municipality."""
        return self.parent if self.kind == OrganisationKind.MUNICIPAL_COMPANY else self

    @property
    def is_university(self) -> bool:
        return self.kind == OrganisationKind.UNIVERSITY


class Collaboration(models.Model):
    """A samverkansorganisation: a university's collaboration with its partner municipalities. It groups the
    agreements (one per municipality, each with its own styrgrupp) that share one kommungemensam beredning –
    whose members each agreement appoints – and the processledare and kommunikatörer."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    university = models.ForeignKey(
        Organisation,
        verbose_name=_("universitet"),
        on_delete=models.PROTECT,
        related_name="collaborations",
        limit_choices_to={"kind": OrganisationKind.UNIVERSITY},
    )
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("samverkansorganisation")
        verbose_name_plural = _("samverkansorganisationer")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    """A samverkansavtal between one university and a municipality (with its companies), with its own
    styrgrupp; agreements of one samverkansorganisation share the kommungemensam beredning."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    university = models.ForeignKey(
        Organisation,
        verbose_name=_("universitet"),
        on_delete=models.PROTECT,
        related_name="university_agreements",
        limit_choices_to={"kind": OrganisationKind.UNIVERSITY},
    )
    municipalities = models.ManyToManyField(
        Organisation,
        verbose_name=_("kommuner"),
        related_name="municipal_agreements",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("samverkansorganisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        help_text=_(
            "Avtal i samma samverkansorganisation delar kommungemensam beredning, processledare och "
            "kommunikatörer; varje avtal har sin egen styrgrupp."
        ),
    )
    starts_on = models.DateField(_("gäller från"))
    ends_on = models.DateField(_("gäller till"))
    description = models.TextField(_("beskrivning"), blank=True)
    decision_rule = models.CharField(
        _("styrgruppens beslutsregel"),
        max_length=30,
        choices=DecisionRule.choices,
        default=DecisionRule.MAJORITY_EACH_PARTY,
    )
    tie_break = models.CharField(
        _("vid lika röstetal"), max_length=20, choices=TieBreak.choices, default=TieBreak.CHAIR_CASTING_VOTE
    )

    class Meta:
        verbose_name = _("samverkansavtal")
        verbose_name_plural = _("samverkansavtal")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")),
                name="agreement_ends_after_start",
                violation_error_message=_("Avtalet måste sluta efter att det börjar."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("agreement_detail", args=[self.pk])

    def clean(self):
        if self.university_id and self.university.kind != OrganisationKind.UNIVERSITY:
            raise ValidationError({"university": _("Välj ett universitet.")})
        if self.collaboration_id and self.university_id != self.collaboration.university_id:
            raise ValidationError(
                {"collaboration": _("Samverkansorganisationen hör till ett annat universitet än avtalet.")}
            )

    def sibling_ids(self) -> set[int]:
        """This agreement and the others of its samverkansorganisation."""
        return collaboration_agreement_ids(self.pk)

    def party_ids(self) -> set[int]:
        return {self.university_id, *self.municipalities.values_list("pk", flat=True)}

    def organisation_ids(self) -> set[int]:
        """Parties plus the municipal companies of the municipal parties."""
        parties = self.party_ids()
        companies = Organisation.objects.filter(parent_id__in=parties).values_list("pk", flat=True)
        return parties | set(companies)


def collaboration_agreement_ids(agreement_id: int) -> set[int]:
    """The agreement and every other agreement of its samverkansorganisation (itself alone without one)."""
    siblings = Agreement.objects.filter(
        collaboration__isnull=False, collaboration__agreements__pk=agreement_id
    ).values_list("pk", flat=True)
    return {agreement_id, *siblings}


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class RoleAssignment(models.Model):
    """A person holds a role in an agreement for an organisation, for a period."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("avtal"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("titel i rollen"), max_length=120, blank=True, help_text=_("T.ex. Rektor, Kommundirektör")
    )
    valid_from = models.DateField(_("gäller från"), default=timezone.localdate)
    valid_to = models.DateField(_("gäller till"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rolltilldelning")
        verbose_name_plural = _("rolltilldelningar")
        ordering = ["agreement", "role", "organisation", "user"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="role_valid_to_not_before_valid_from",
                violation_error_message=_("Slutdatum kan inte ligga före startdatum."),
            ),
            models.UniqueConstraint(
                fields=["user", "agreement", "organisation", "role", "valid_from"],
                name="role_assignment_unique",
                violation_error_message=_("Personen har redan den rollen från det datumet."),
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_from", "valid_to"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.organisation.short_name})"

    def clean(self):
        if (
            self.agreement_id
            and self.organisation_id
            and self.organisation_id not in self.agreement.organisation_ids()
        ):
            raise ValidationError({"organisation": _("Organisationen är inte part i avtalet.")})

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class Notification(models.Model):
    """What a person was told; shown in the app until read. It is also the mail outbox: the row is written
    in the request and a durable job sends the e-mail (samverkan/notifications.py), recording the outcome
    here so that a failed mail is visible to the administrator and can be sent again."""

    user = models.ForeignKey(
        User, verbose_name=_("mottagare"), on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(_("händelse"), max_length=60)
    subject = models.CharField(_("ämne"), max_length=200)
    body = models.TextField(_("text"))
    link = models.CharField(_("länk"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)

    # Rows from before the outbox existed are "not needed": the sweep must not mail them again.
    mail_status = models.CharField(
        _("e-poststatus"), max_length=20, choices=MailStatus.choices, default=MailStatus.PENDING
    )
    mail_attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    mail_last_error = models.TextField(_("senaste fel"), blank=True)
    mail_last_attempt_at = models.DateTimeField(_("senaste försök"), null=True, blank=True)
    mail_next_attempt_at = models.DateTimeField(_("nästa försök"), null=True, blank=True)
    mail_sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    # [{"filename", "content", "mimetype", "base64"}], e.g. a meeting's .ics invitation
    mail_attachments = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("notis")
        verbose_name_plural = _("notiser")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # the sweep: unsent mail (a partial index – nearly every row is "sent")
            models.Index(
                fields=["mail_status", "created_at"],
                name="notification_mail_unsent",
                condition=Q(mail_status__in=["pending", "failed"]),
            ),
        ]

    def __str__(self):
        return self.subject
