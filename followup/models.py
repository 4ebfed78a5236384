"""Follow-up of running projects: the report schedule and the reports, the reminders sent, dissemination
events with their programme, and the agreement's effect goals and KPIs with yearly targets and values."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import ActivityGoal, Proposal
from budget.enums import CostCategory
from governance.models import AgendaItem
from samverkan.models import Agreement

from .enums import GoalKind, GoalStatus, ReminderKind, ReportKind, ReportState, Unit

User = settings.AUTH_USER_MODEL


class FollowUpReport(models.Model):
    """One due item of a project's follow-up schedule, and the report the team writes for it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="followup_reports")
    kind = models.CharField(_("typ"), max_length=20, choices=ReportKind.choices)
    number = models.PositiveSmallIntegerField(_("nummer"), default=1)
    period_start = models.DateField(_("period från"))
    due_date = models.DateField(_("ska lämnas senast"))
    state = models.CharField(
        _("status"), max_length=20, choices=ReportState.choices, default=ReportState.UPCOMING
    )

    deliveries = models.TextField(
        _("leveranser: uppnått jämfört med beslutat"),
        blank=True,
        help_text=_("Vad har projektet levererat jämfört med det som beslutades?"),
    )
    evaluation = models.TextField(_("utvärdering av arbetet"), blank=True)
    lessons = models.TextField(_("vunna erfarenheter"), blank=True)
    scientific_report = models.TextField(
        _("vetenskaplig slutrapport"),
        blank=True,
        help_text=_("Enligt mallen för slutrapport. Krävs i slutredovisningen."),
    )
    spending_year = models.PositiveSmallIntegerField(_("kostnader avser år"), null=True, blank=True)

    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("dagordningspunkt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followup_reports",
    )
    feedback = models.TextField(_("återkoppling"), blank=True)
    treated_at = models.DateTimeField(_("behandlad"), null=True, blank=True)
    treated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("uppföljningsrapport")
        verbose_name_plural = _("uppföljningsrapporter")
        ordering = ["proposal", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("period_start")), name="followup_due_after_period_start"
            ),
        ]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self):
        return f"{self.title} – {self.proposal}"

    def get_absolute_url(self):
        return reverse("followup:report_detail", args=[self.pk])

    @property
    def title(self) -> str:
        label = self.get_kind_display()
        return f"{label} {self.number}" if self.kind in (ReportKind.YEARLY, ReportKind.HALF_YEARLY) else label

    @property
    def is_final(self) -> bool:
        return self.kind == ReportKind.FINAL

    @property
    def is_open(self) -> bool:
        return self.state in (ReportState.UPCOMING, ReportState.DUE)

    def days_late(self, today: datetime.date | None = None) -> int:
        """Days past the due date: for an open report until today, for a submitted one until submission."""
        end = timezone.localdate(self.submitted_at) if self.submitted_at else (today or timezone.localdate())
        return max(0, (end - self.due_date).days)

    @property
    def is_late(self) -> bool:
        return self.days_late() > 0


class GoalAssessment(models.Model):
    """How far one activity goal has come in a report: met, partly, not, with a comment."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="goal_assessments")
    goal = models.ForeignKey(ActivityGoal, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("måluppfyllelse"), max_length=10, choices=GoalStatus.choices)
    comment = models.CharField(_("kommentar"), max_length=1000, blank=True)

    class Meta:
        ordering = ["report", "goal__order", "goal_id"]
        constraints = [models.UniqueConstraint(fields=["report", "goal"], name="one_assessment_per_goal")]

    def __str__(self):
        return f"{self.goal}: {self.get_status_display()}"


class ReportSpending(models.Model):
    """Money spent in the reported year per cost category (whole kronor); feeds the budget overview."""

    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="spending")
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["report", "category"]
        constraints = [models.UniqueConstraint(fields=["report", "category"], name="one_amount_per_category")]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount} kr"


def report_attachment_path(instance, filename):
    return f"followup/{instance.report_id}/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(FollowUpReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_attachment_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReminderLog(models.Model):
    """A reminder that was sent: the record that makes the reminder job idempotent (one row per report,
    milestone and recipient; a digest has no report but an agreement and the day as its key)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(
        FollowUpReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    key = models.CharField(max_length=60)
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key", "recipient"], name="reminder_sent_once"),
        ]

    def __str__(self):
        return f"{self.key} → {self.recipient}"


class DisseminationEvent(models.Model):
    """A resultatspridningstillfälle: held twice a year, in quarter 2 and 4, with popular-science
    presentations of the projects' results."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="dissemination_events")
    title = models.CharField(_("rubrik"), max_length=200)
    starts_at = models.DateTimeField(_("börjar"))
    ends_at = models.DateTimeField(_("slutar"))
    location = models.CharField(_("plats"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    is_public = models.BooleanField(_("visas i den öppna kalendern"), default=True)
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resultatspridningstillfälle")
        verbose_name_plural = _("resultatspridningstillfällen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("followup:event_public", args=[self.uid])

    @property
    def quarter(self) -> int:
        return (timezone.localtime(self.starts_at).month - 1) // 3 + 1

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class Presentation(models.Model):
    """A project's popular-science presentation at a dissemination event (the programme)."""

    event = models.ForeignKey(DisseminationEvent, on_delete=models.PROTECT, related_name="presentations")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="presentations")
    title = models.CharField(_("titel på presentationen"), max_length=200)
    presenter = models.ForeignKey(
        User, verbose_name=_("presentatör"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("presentation")
        verbose_name_plural = _("presentationer")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "proposal"], name="one_presentation_per_event"),
        ]

    def __str__(self):
        return self.title


class EffectGoal(models.Model):
    """An effektmål or nyckeltal of the agreement, e.g. "70 % av konferensdeltagarna ska uppleva att
    konferenserna bidragit till ny kunskap" (seed 001)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="effect_goals")
    kind = models.CharField(_("typ"), max_length=20, choices=GoalKind.choices, default=GoalKind.EFFECT_GOAL)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(_("enhet"), max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    unit_label = models.CharField(_("enhetens namn"), max_length=40, blank=True)
    baseline = models.DecimalField(_("utgångsvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("utgångsår"), null=True, blank=True)
    higher_is_better = models.BooleanField(_("högre värde är bättre"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    contributing_proposals = models.ManyToManyField(
        Proposal, verbose_name=_("projekt som bidrar"), blank=True, related_name="effect_goals"
    )
    contributing_activities = models.TextField(_("aktiviteter som bidrar"), blank=True)

    class Meta:
        verbose_name = _("effektmål eller nyckeltal")
        verbose_name_plural = _("effektmål och nyckeltal")
        ordering = ["agreement", "order", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("followup:goal_detail", args=[self.pk])


class GoalYear(models.Model):
    """Target and measured outcome of an effect goal for one year, with the source of the measurement
    (e.g. a survey: number of respondents and how many agreed)."""

    goal = models.ForeignKey(EffectGoal, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2000)])
    target = models.DecimalField(_("målvärde"), max_digits=14, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(_("utfall"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    respondents = models.PositiveIntegerField(_("antal svarande"), null=True, blank=True)
    agreeing = models.PositiveIntegerField(_("antal som instämmer"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("årsvärde")
        verbose_name_plural = _("årsvärden")
        ordering = ["goal", "year"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "year"], name="one_row_per_goal_and_year"),
            models.CheckConstraint(
                condition=Q(agreeing__isnull=True)
                | Q(respondents__isnull=True)
                | Q(agreeing__lte=F("respondents")),
                name="agreeing_within_respondents",
            ),
        ]

    def __str__(self):
        return f"{self.goal} {self.year}"


class GoalFollowUp(models.Model):
    """The yearly follow-up of the effect goals, put on a styrgrupp agenda."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year", "agenda_item"], name="goal_follow_up_once"),
        ]

    def __str__(self):
        return f"{self.agreement} {self.year}"
