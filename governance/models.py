"""Meetings (beredning, styrgrupp), agendas, assessments, online votes, decisions and minutes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal
from samverkan.models import Agreement, Organisation

from .enums import (
    AttendanceStatus,
    BodyKind,
    Choice,
    DecisionKind,
    DocumentKind,
    DocumentStatus,
    ItemKind,
    MeetingKind,
    MeetingStatus,
    Perspective,
    ReviewOutcome,
    VerificationStatus,
    VoteOutcome,
    VoteStatus,
)

User = settings.AUTH_USER_MODEL
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


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

    @property
    def is_steering(self) -> bool:
        return self.kind == MeetingKind.STEERING


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
    outcome_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dagordningspunkt")
        verbose_name_plural = _("dagordningspunkter")
        ordering = ["meeting", "order", "pk"]

    def __str__(self):
        return f"§{self.order} {self.title}"

    def get_absolute_url(self):
        return reverse("governance:item_detail", args=[self.meeting_id, self.pk])


class Assessment(models.Model):
    """A beredning member's assessment of one application item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    research_quality = models.PositiveSmallIntegerField(
        _("forskningens kvalitet"), null=True, blank=True, validators=SCORE
    )
    research_ambition = models.PositiveSmallIntegerField(
        _("forskningens ambition"), null=True, blank=True, validators=SCORE
    )
    benefit = models.PositiveSmallIntegerField(
        _("nytta för medborgare, företagare och besökare"), null=True, blank=True, validators=SCORE
    )
    effects = models.PositiveSmallIntegerField(
        _("effekter för kommunen"), null=True, blank=True, validators=SCORE
    )
    comment = models.TextField(_("sammanfattande kommentar"), blank=True)
    proposed_goals = models.TextField(_("förslag på aktivitetsmål"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_assessment_per_member")]

    def __str__(self):
        return f"{self.member} – {self.item}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(9)])
    score = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="criterion_score_1_to_5"),
        ]

    def __str__(self):
        return f"Kriterium {self.criterion}: {self.score}"


class Vote(models.Model):
    """An online vote on one styrgrupp item. The result is computed when it closes, never typed."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="vote")
    status = models.CharField(max_length=10, choices=VoteStatus.choices, default=VoteStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateTimeField(_("sista tid att rösta"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    open_ballots_after_close = models.BooleanField(
        _("visa hur var och en röstat efter stängning"), default=True
    )
    outcome = models.CharField(max_length=20, choices=VoteOutcome.choices, blank=True)
    result = models.JSONField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)  # entitled, recused and voted members at close

    class Meta:
        verbose_name = _("votering")
        verbose_name_plural = _("voteringar")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"Votering: {self.item.title}"


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ballots")
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class Recusal(models.Model):
    """Jäv: the member takes no part in the item; minuted. Applicants are recused automatically."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField(_("skäl"), max_length=500)
    automatic = models.BooleanField(default=False)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_recusal_per_member")]

    def __str__(self):
        return f"Jäv: {self.member}"


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


class Decision(models.Model):
    """A styrgrupp decision. Immutable once the minutes are approved: a correction is a new decision that
    references the one it corrects."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("typ av beslut"), max_length=30, choices=DecisionKind.choices)
    paragraph = models.PositiveIntegerField(_("paragraf"))
    text = models.TextField(_("beslutstext"))
    conditions = models.TextField(_("villkor"), blank=True)
    activity_goals = models.TextField(_("aktivitetsmål"), blank=True)
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    by_acclamation = models.BooleanField(_("enligt förslag (utan votering)"), default=False)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["meeting", "paragraph"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "paragraph"], name="decision_paragraph_unique")
        ]

    def __str__(self):
        return f"§{self.paragraph} {self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.pk and Minutes.objects.filter(meeting_id=self.meeting_id, approved_at__isnull=False).exists():
            raise ValidationError(
                _("Beslutet är justerat och kan inte ändras. Fatta ett nytt beslut som rättar det.")
            )
        super().save(*args, **kwargs)

    @property
    def total_amount(self) -> int:
        return sum(a.amount for a in self.amounts.all())


class DecisionAmount(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["decision", "year"]
        constraints = [models.UniqueConstraint(fields=["decision", "year"], name="one_amount_per_year")]

    def __str__(self):
        return f"{self.year}: {self.amount} kr"


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


# --- Signed decision documents ---------------------------------------------------------------------------


def document_path(instance, filename):
    return f"documents/{instance.document_id}/{uuid.uuid4().hex}.pdf"


class DecisionDocument(models.Model):
    """A formal decision document (beslutsunderlag, or medfinansieringsintyg) in two copies, one per party.
    Generated once per decision (idempotent); signed documents are never regenerated; a correction is a new
    decision with a new document, and the old one is marked superseded."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("typ"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.GENERATING
    )
    reference = models.CharField(_("dokument-id"), max_length=40, unique=True)
    content_sha256 = models.CharField(_("SHA-256 av innehållet"), max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("beslutsdokument")
        verbose_name_plural = _("beslutsdokument")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="one_document_per_decision_and_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    def get_absolute_url(self):
        return reverse("governance:document_detail", args=[self.pk])


class DocumentCopy(models.Model):
    """One of the two copies ("Exemplar 1 av 2 – <university>", "Exemplar 2 av 2 – <municipality or
    company>"): its PDF grows by incremental PAdES signatures and is registered in that party's diarium."""

    document = models.ForeignKey(DecisionDocument, on_delete=models.PROTECT, related_name="copies")
    number = models.PositiveSmallIntegerField(_("exemplar"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="document_copies"
    )
    pdf = models.FileField(upload_to=document_path, max_length=300)
    unsigned_sha256 = models.CharField(max_length=64)
    current_sha256 = models.CharField(max_length=64, db_index=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=60, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplar")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_copy_number_per_document"),
            models.UniqueConstraint(
                fields=["organisation", "diarienummer"],
                condition=~Q(diarienummer=""),
                name="diarienummer_unique_within_organisation",
                violation_error_message=_("Diarienumret används redan i organisationen."),
            ),
        ]

    def __str__(self):
        return f"Exemplar {self.number} av 2 – {self.organisation}"


class DocumentSignature(models.Model):
    """A signatory's signature on one copy: who, when, from where, and the SHA-256 of the signed bytes.
    Append-only; the PDF itself carries the PAdES signature."""

    copy = models.ForeignKey(DocumentCopy, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="document_signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=120)
    field_name = models.CharField(max_length=80)
    signed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    signed_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["copy", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["copy", "organisation"], name="one_signature_per_party_and_copy"),
        ]

    def __str__(self):
        return f"{self.signer} ({self.title}) {self.signed_at:%Y-%m-%d %H:%M}"


class VerificationRequest(models.Model):
    """A PDF uploaded on the public verification page that its hash alone could not answer: its signatures
    are validated by a job (governance.tasks.verify_upload) in a child process with hard limits, never in
    the request. Only the holder of the random token sees the verdict. The upload is kept only until it is
    judged; the row itself is deleted after a day (services.verification)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.QUEUED
    )
    data = models.BinaryField(blank=True)  # the uploaded PDF; emptied once judged
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    verdict = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verifiering")
        verbose_name_plural = _("verifieringar")
        indexes = [models.Index(fields=["status", "created_at"], name="verification_status_created")]

    def __str__(self):
        return f"{self.token} ({self.status})"

    def get_absolute_url(self):
        return reverse("governance:verify_result", args=[self.token])

    @property
    def pending(self) -> bool:
        return self.status != VerificationStatus.DONE
