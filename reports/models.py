"""Quarterly reports (one stored run per agreement and quarter), publications, communication plans."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal
from samverkan.models import Agreement

from .enums import PlanStatus, ReportStatus, ReportTrigger
from .periods import Quarter


def report_path(instance, filename):
    # Unguessable; served only through a permission-checked view.
    return f"reports/{instance.agreement_id}/{instance.year}-{instance.quarter}/{uuid.uuid4().hex}-{filename}"


class QuarterlyReport(models.Model):
    """One report per agreement and quarter. The computed figures (`data`) are stored with the run, so the
    page,
    the PDF and the workbook show the same numbers; a re-run recomputes them as of the quarter's end."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("avtal"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    step = models.CharField(_("steg"), max_length=200, blank=True)
    error = models.TextField(_("fel"), blank=True)
    trigger = models.CharField(max_length=10, choices=ReportTrigger.choices, default=ReportTrigger.MANUAL)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(_("körningar"), default=0)
    data = models.JSONField(_("innehåll"), default=dict, blank=True)
    pdf = models.FileField(upload_to=report_path, max_length=300, blank=True)
    xlsx = models.FileField(upload_to=report_path, max_length=300, blank=True)

    class Meta:
        verbose_name = _("kvartalsrapport")
        verbose_name_plural = _("kvartalsrapporter")
        ordering = ["agreement", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "quarter"], name="one_quarterly_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_between_1_and_4"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.period.label} – {self.agreement}"

    def get_absolute_url(self):
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def document_id(self) -> str:
        return f"KR-{self.year}-Q{self.quarter}-{self.agreement_id:03d}"


class Publication(models.Model):
    """A kommunikatör's decision to show a project in the public catalogue, and which names to show.
    Nothing is public without a row here with `published` set; personal data is limited to the names
    chosen."""

    proposal = models.OneToOneField(
        Proposal, verbose_name=_("projekt"), on_delete=models.CASCADE, related_name="publication"
    )
    published = models.BooleanField(_("publicerad"), default=False)
    show_researcher = models.BooleanField(_("visa ansvarig forskare"), default=True)
    show_co_researchers = models.BooleanField(_("visa övriga forskare"), default=False)
    show_officer = models.BooleanField(_("visa ansvarig tjänsteperson"), default=False)
    results = models.TextField(
        _("resultat"), blank=True, help_text=_("Vad projektet har kommit fram till, för en bred publik.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("publicerad"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("publicering")
        verbose_name_plural = _("publiceringar")
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.proposal}: {'publicerad' if self.published else 'ej publicerad'}"

    def get_absolute_url(self):
        return reverse("reports:catalogue_detail", args=[self.proposal_id])


class CommunicationPlan(models.Model):
    """Kommunikationsplan per agreement and year: led by the university's kommunikatör with the municipal
    kommunikatörer, decided (with its funding) by the styrgrupp as a decision item."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("avtal"), on_delete=models.PROTECT, related_name="communication_plans"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    purpose = models.TextField(_("syfte och inriktning"), blank=True)
    target_groups = models.TextField(_("målgrupper"), blank=True, help_text=_("En målgrupp per rad."))
    channels = models.TextField(_("kanaler"), blank=True, help_text=_("En kanal per rad."))
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    agenda_item = models.OneToOneField(
        "governance.AgendaItem",
        verbose_name=_("punkt på styrgruppens dagordning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communication_plan",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("kommunikationsplan")
        verbose_name_plural = _("kommunikationsplaner")
        ordering = ["agreement", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="one_communication_plan_per_year")
        ]

    def __str__(self):
        return _("Kommunikationsplan %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("reports:plan_detail", args=[self.pk])

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def target_group_list(self) -> list[str]:
        return self.lines(self.target_groups)

    @property
    def channel_list(self) -> list[str]:
        return self.lines(self.channels)


class CommunicationGoal(models.Model):
    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(_("kommunikationsmål"), max_length=500)
    effect_goal = models.CharField(
        _("kopplat effektmål eller nyckeltal"),
        max_length=300,
        blank=True,
        help_text=_("Vilket av avtalets effektmål eller nyckeltal målet bidrar till."),
    )

    class Meta:
        verbose_name = _("kommunikationsmål")
        verbose_name_plural = _("kommunikationsmål")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.text


class CommunicationActivity(models.Model):
    plan = models.ForeignKey(CommunicationPlan, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(_("aktivitet"), max_length=300)
    target_group = models.CharField(_("målgrupp"), max_length=200, blank=True)
    channel = models.CharField(_("kanal"), max_length=200, blank=True)
    timing = models.CharField(_("när"), max_length=100, help_text=_("T.ex. ”Kvartal 2” eller ”maj 2027”."))
    responsible = models.CharField(_("ansvarig"), max_length=200)
    cost = models.PositiveBigIntegerField(_("kostnad (kr)"), default=0)

    class Meta:
        verbose_name = _("kommunikationsaktivitet")
        verbose_name_plural = _("kommunikationsaktiviteter")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title
