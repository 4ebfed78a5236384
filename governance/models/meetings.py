"""Bodies, meetings, their agendas, attendance and minutes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal
from samverkan.models import Agreement, Organisation, collaboration_agreement_ids

from ..enums import (
    AttendanceStatus,
    BodyKind,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    ReviewOutcome,
)

User = settings.AUTH_USER_MODEL


class Body(models.Model):
    """A meeting body: a municipality's beredningsgrupp, the kommungemensam beredning or the styrgrupp.
    Members are drawn from role assignments (see selectors.members_of)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("typ"), max_length=20, choices=BodyKind.choices)
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("kommun"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("namn"), max_length=200)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organ")
        ordering = ["agreement", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="body_name_unique"),
            models.CheckConstraint(
                condition=Q(kind=BodyKind.REVIEW_GROUP, municipality__isnull=False)
                | (~Q(kind=BodyKind.REVIEW_GROUP) & Q(municipality__isnull=True)),
                name="review_group_has_municipality",
                violation_error_message=_("En beredningsgrupp hör till en kommun; andra organ gör det inte."),
            ),
        ]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="meetings")
    body = models.ForeignKey(Body, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("mötestyp"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    video_link = models.URLField(_("videolänk"), blank=True)
    # Per capsulam: the styrgrupp decides without meeting, each member votes online before a deadline – so its
    # votes may open before the meeting's date, and nothing is decided "enligt förslag" (no one is assembled).
    per_capsulam = models.BooleanField(
        _("Beslut per capsulam"),
        default=False,
        help_text=_(
            "Styrgruppen beslutar utan sammanträde: ledamöterna röstar digitalt före en sista svarstid. "
            "Voteringen kan då öppnas så snart kallelsen har skickats."
        ),
    )
    chair = models.ForeignKey(
        User, verbose_name=_("ordförande"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        User, verbose_name=_("sekreterare"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    ics_sequence = models.PositiveIntegerField(default=0)
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Mötet måste sluta efter att det börjar."),
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])

    @property
    def is_review(self) -> bool:
        return self.kind in (MeetingKind.REVIEW, MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW)

    def agreement_ids(self) -> set[int]:
        """The agreements whose proposals the meeting handles: the kommungemensam beredning (and its
        för-beredning) serves every agreement of the samverkansorganisation; a styrgrupp and a municipality's
        beredningsgrupp serve their own agreement."""
        cached = self.__dict__.get("_agreement_ids")
        if cached is None:
            if self.kind in (MeetingKind.JOINT_REVIEW, MeetingKind.PRE_REVIEW):
                cached = collaboration_agreement_ids(self.agreement_id)
            else:
                cached = {self.agreement_id}
            self._agreement_ids = cached
        return cached

    @property
    def is_steering(self) -> bool:
        return self.kind == MeetingKind.STEERING


# Items that move a proposal on (the beredning's outcome, the styrgrupp's decision): a proposal has at most
# one open item of each of these kinds.
DECIDING_ITEM_KINDS = (ItemKind.PITCH, ItemKind.APPLICATION, ItemKind.DECISION, ItemKind.CLOSURE)


class AgendaItemQuerySet(models.QuerySet):
    def open_deciding(self):
        """Deciding items still to be handled: on a meeting not yet held, not settled elsewhere, with neither
        the beredning's outcome nor a decision."""
        return self.filter(
            kind__in=DECIDING_ITEM_KINDS,
            meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED],
            settled_by__isnull=True,
            carried_at__isnull=True,
            outcome="",
        ).exclude(decisions__isnull=False)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("ordning"), default=0)
    kind = models.CharField(_("typ av punkt"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("ärende"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    starts_at = models.TimeField(_("tid"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(_("minuter"), default=15)
    description = models.TextField(_("beskrivning"), blank=True)
    presenters = models.ManyToManyField(User, verbose_name=_("föredragande"), blank=True, related_name="+")
    outcome = models.CharField(
        _("beredningens ställningstagande"), max_length=20, choices=ReviewOutcome.choices, blank=True
    )
    outcome_motivation = models.TextField(_("motivering"), blank=True)
    outcome_goals = models.TextField(_("aktivitetsmål att föra vidare"), blank=True)
    # The conditions the beredning proposes for a grant (e.g. "Halvtidsredovisning senast 2027-09-30"); the
    # styrgrupp's decision form starts from them. The proposed amounts are budget's (budget.ProposedAmount).
    outcome_conditions = models.TextField(_("föreslagna villkor"), blank=True)
    outcome_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_at = models.DateTimeField(null=True, blank=True)
    # The decision taken at another meeting that made this item moot: it stays on a called agenda (its §
    # number is fixed) marked "avgjort vid …", and cannot be decided again.
    settled_by = models.ForeignKey(
        "governance.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="settled_items"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    # Carried to a later meeting (after a void vote, or with no one left to vote): the item stays in this
    # meeting's minutes marked "flyttad till …" and is decided there.
    carried_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_from"
    )
    carried_at = models.DateTimeField(null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return f"§{self.order} {self.title}"

    def get_absolute_url(self):
        return reverse("governance:item_detail", args=[self.meeting_id, self.pk])


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    note = models.CharField(_("anteckning"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_row")]

    def __str__(self):
        return f"{self.member}: {self.get_status_display()}"


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("protokollstext"), blank=True)
    adjuster = models.ForeignKey(
        User, verbose_name=_("justerare"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_approved_at = models.DateTimeField(null=True, blank=True)
    adjuster_approved_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="minutes/", blank=True)
    pdf_status = models.CharField(max_length=20, blank=True)  # "", queued, rendering, done, failed
    pdf_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("protokoll")
        verbose_name_plural = _("protokoll")

    def __str__(self):
        return f"Protokoll {self.meeting}"
