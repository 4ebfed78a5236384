"""Budgets. Money is whole kronor in integer fields – never float."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal
from governance.models import AgendaItem, Decision
from samverkan.models import Agreement, Organisation, User

from .enums import CostCategory, FundingSource, LineKind, PlanStatus, SpendingSource


class CellKey(NamedTuple):
    """Where a budget cell sits: year × cost category × funding source (× party for own contributions)."""

    year: int
    category: str
    source: str
    organisation_id: int | None = None

    @property
    def name(self) -> str:
        """The form field name and HTML id: "c-2026-travel-agreement", "c-2026-salaries-own-5"."""
        parts = ["c", str(self.year), self.category, self.source]
        if self.organisation_id is not None:
            parts.append(str(self.organisation_id))
        return "-".join(parts)


def cell_label(key: CellKey, organisations: Mapping[int, Organisation]) -> str:
    """The cell in words, e.g. "2026, Resor, Samverkansavtalet": the same in labels and error messages."""
    category = CostCategory(key.category).label if key.category in CostCategory.values else key.category
    source = FundingSource(key.source).label if key.source in FundingSource.values else key.source
    if key.organisation_id is not None:
        organisation = organisations.get(key.organisation_id)
        name = organisation.name if organisation else _("okänd part")
        source = f"{source} ({name})"
    return f"{key.year}, {category}, {source}"


class ApplicationBudgetRow(models.Model):
    """One cell of an application's budget: year × cost category × funding source (× party for own
    contributions). Totals are computed from rows, never stored or typed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_rows")
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    source = models.CharField(_("finansieringskälla"), max_length=20, choices=FundingSource.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("part (egen insats)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["proposal_id", "year", "category", "source"]
        constraints = [
            # One cell per year × category × source (× party); two partial constraints because SQLite
            # cannot treat NULL organisations as equal.
            models.UniqueConstraint(
                fields=["proposal", "year", "category", "source"],
                condition=Q(organisation__isnull=True),
                name="one_budget_cell",
            ),
            models.UniqueConstraint(
                fields=["proposal", "year", "category", "source", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_budget_cell_per_party",
            ),
            models.CheckConstraint(
                condition=(Q(source=FundingSource.OWN_CONTRIBUTION) & Q(organisation__isnull=False))
                | (~Q(source=FundingSource.OWN_CONTRIBUTION) & Q(organisation__isnull=True)),
                name="own_contribution_names_its_party",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()} ({self.get_source_display()}): {self.amount} kr"

    @property
    def key(self) -> CellKey:
        return CellKey(self.year, self.category, self.source, self.organisation_id)


# --- The agreement's economy: frames, lines, commitments, disbursements, spending -----------------------


class BudgetLine(models.Model):
    """A budgetpost of the agreement (e.g. "Processledning", "PreLAB (HSU)"), within a collaboration area
    (samverkansområde). Its amount differs per year: see FrameAmount. Lines of kind programme/profile area
    name the proposal whose base funding they are."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="budget_lines")
    area = models.CharField(_("samverkansområde"), max_length=120)
    name = models.CharField(_("budgetpost"), max_length=160)
    kind = models.CharField(_("typ"), max_length=20, choices=LineKind.choices, default=LineKind.OPERATIONS)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("program, profilområde eller projekt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["agreement", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "area", "name"], name="budget_line_name_unique"),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self) -> str:
        return f"{self.area} – {self.name}"


class BudgetFrame(models.Model):
    """The agreement's budget frame for one year: the amounts of its lines (FrameAmount). Totals are
    computed from the amounts, never typed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="budget_frames")
    year = models.PositiveSmallIntegerField(_("år"))
    note = models.TextField(_("kommentar"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budgetram")
        verbose_name_plural = _("budgetramar")
        ordering = ["agreement", "year"]
        constraints = [models.UniqueConstraint(fields=["agreement", "year"], name="one_frame_per_year")]

    def __str__(self):
        return f"{self.agreement} {self.year}"

    def get_absolute_url(self):
        return reverse("budget:frame_detail", args=[self.agreement_id, self.year])


class FrameAmount(models.Model):
    frame = models.ForeignKey(BudgetFrame, on_delete=models.CASCADE, related_name="amounts")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="amounts")
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("belopp i ram")
        verbose_name_plural = _("belopp i ram")
        ordering = ["frame", "line__order", "line_id"]
        constraints = [
            models.UniqueConstraint(fields=["frame", "line"], name="one_amount_per_line_and_frame")
        ]

    def __str__(self):
        return f"{self.line}: {self.amount} kr"


class ProposedAmount(models.Model):
    """The amount per year the beredning proposes that the styrgrupp grants, recorded with its
    ställningstagande (issue 16: "the decision form is prefilled from the application and the beredning's
    proposal"). Keyed to the beredning's agenda item; at most what was applied for from the agreement."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="proposed_amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveBigIntegerField(_("föreslaget belopp (kr)"))

    class Meta:
        verbose_name = _("föreslaget belopp")
        verbose_name_plural = _("föreslagna belopp")
        ordering = ["item", "year"]
        constraints = [models.UniqueConstraint(fields=["item", "year"], name="one_proposed_amount_per_year")]

    def __str__(self):
        return f"{self.item_id} {self.year}: {self.amount} kr"


class Commitment(models.Model):
    """What a grant (or co-funding) decision commits against a budget line for one year. Written by the
    decision service in the same transaction as the decision. A co-funding commitment is conditional until
    the main funder grants; it is released when the proposal lapses (read from the proposal's state, see
    selectors). A corrected decision's commitments are released by the correction."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="commitments")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="commitments")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))
    conditional = models.BooleanField(_("villkorad (medfinansiering)"), default=False)
    over_frame = models.BooleanField(_("över ramen"), default=False)
    override_reason = models.TextField(_("skäl att besluta över ramen"), blank=True)
    override_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    release_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("beslutat"))

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["line", "year", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="one_commitment_per_decision_year"),
            models.CheckConstraint(
                condition=Q(over_frame=False) | ~Q(override_reason=""),
                name="over_frame_needs_reason",
            ),
        ]
        indexes = [models.Index(fields=["line", "year"])]

    def __str__(self):
        return f"{self.proposal} {self.year}: {self.amount} kr ({self.line})"


class Disbursement(models.Model):
    """An utbetalning to the project account after the decision documents are signed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="disbursements")
    year = models.PositiveSmallIntegerField(_("avser år"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))
    paid_on = models.DateField(_("utbetalningsdag"))
    reference = models.CharField(_("referens"), max_length=80)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("utbetalning")
        verbose_name_plural = _("utbetalningar")
        ordering = ["proposal_id", "paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive")]

    def __str__(self):
        return f"{self.proposal} {self.paid_on}: {self.amount} kr"


class Spending(models.Model):
    """Actual costs of a project for a year and cost category: declared in a follow-up report or imported
    from the finance system. The overview sums both sources."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="spending")
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))
    source = models.CharField(_("källa"), max_length=10, choices=SpendingSource.choices)
    reference = models.CharField(_("referens"), max_length=120)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kostnad")
        verbose_name_plural = _("kostnader")
        ordering = ["proposal_id", "year", "category"]
        indexes = [models.Index(fields=["proposal", "year"])]

    def __str__(self):
        return f"{self.proposal} {self.year} {self.get_category_display()}: {self.amount} kr"


# --- Verksamhetsplan ---------------------------------------------------------------------------------------


class ActivityPlan(models.Model):
    """The annual activity plan (verksamhetsplan) of the agreement or of a programme, structured as seed 000:
    introduction, the numbered overall goals, activities, and the budget tables from the year's frame.
    Presented at beredning, decided by the styrgrupp; once decided it is frozen."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="activity_plans")
    programme = models.ForeignKey(
        Proposal,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_plans",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("rubrik"), max_length=200)
    area = models.CharField(
        _("samverkansområde"),
        max_length=120,
        blank=True,
        help_text=_("Budgetposterna i detta samverkansområde bildar planens budgettabell."),
    )
    introduction = models.TextField(_("inledning"), blank=True)
    overall_goals = models.TextField(
        _("övergripande mål"), blank=True, help_text=_("Ett mål per rad; de numreras 1, 2, 3 …")
    )
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    review_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    steering_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="activity_plans"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verksamhetsplan")
        verbose_name_plural = _("verksamhetsplaner")
        ordering = ["agreement", "-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year"],
                condition=Q(programme__isnull=True),
                name="one_agreement_plan_per_year",
            ),
            models.UniqueConstraint(
                fields=["agreement", "programme", "year"],
                condition=Q(programme__isnull=False),
                name="one_programme_plan_per_year",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("budget:plan_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status == PlanStatus.DECIDED

    @property
    def goals(self) -> list[str]:
        return [line.strip() for line in self.overall_goals.splitlines() if line.strip()]


class PlanActivity(models.Model):
    """One activity of the plan: goals served, the area's goal, description, activities, budget (an amount,
    or "ingår i budgetpost X"), communication and follow-up."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="activities")
    order = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=200)
    goal_numbers = models.CharField(
        _("övergripande mål som aktiviteten bidrar till"),
        max_length=60,
        blank=True,
        help_text=_("Målens nummer, t.ex. 1, 2, 3, 4."),
    )
    area_goal = models.TextField(_("verksamhetsområdets mål"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    planned_activities = models.TextField(_("aktiviteter"), blank=True)
    budget_amount = models.PositiveBigIntegerField(_("budget (kr)"), null=True, blank=True)
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budgetpost"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_activities",
        help_text=_("Posten i årets ram som aktiviteten finansieras från (eller ingår i)."),
    )
    communication = models.TextField(_("kommunikation"), blank=True)
    follow_up = models.TextField(_("uppföljning"), blank=True)

    class Meta:
        verbose_name = _("aktivitet i verksamhetsplan")
        verbose_name_plural = _("aktiviteter i verksamhetsplan")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def goal_list(self) -> list[int]:
        return [int(n) for n in self.goal_numbers.replace(" ", "").split(",") if n.isdigit()]
