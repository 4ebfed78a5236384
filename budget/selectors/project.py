"""A project's economy (granted per line and year, paid, spent) and a decision's budget facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Proposal

from ..enums import CostCategory, LineKind
from ..models import BudgetLine, Commitment, Disbursement, FrameAmount, Spending
from .tally import commitment_rows, end_of

# --- a project's economy ---------------------------------------------------------------------------------


@dataclass
class ProjectYear:
    year: int
    committed: int = 0
    conditional: int = 0
    disbursed: int = 0
    spent: int = 0
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def left_to_disburse(self) -> int:
        return self.committed - self.conditional - self.disbursed

    @property
    def category_rows(self) -> list[tuple[str, int]]:
        return [(str(label), self.by_category.get(code, 0)) for code, label in CostCategory.choices]


@dataclass
class ProjectEconomy:
    proposal: Proposal
    years: list[ProjectYear]
    commitments: list[Commitment]
    disbursements: list[Disbursement]
    spending: list[Spending]
    base_funding: list[tuple[int, int, BudgetLine]]  # (year, amount, line)

    @property
    def total(self) -> ProjectYear:
        total = ProjectYear(0)
        for y in self.years:
            total.committed += y.committed
            total.conditional += y.conditional
            total.disbursed += y.disbursed
            total.spent += y.spent
        return total

    @property
    def is_empty(self) -> bool:
        return not (self.commitments or self.disbursements or self.spending or self.base_funding)


def project_economy(proposal: Proposal) -> ProjectEconomy:
    """A project's granted (per line and year), paid and spent money; fixed queries."""
    until = end_of(timezone.localdate())
    commitments = list(
        Commitment.objects.filter(proposal=proposal)
        .select_related("line", "decision__meeting", "override_by")
        .order_by("year", "created_at")
    )
    live = {row[5]: row for row in commitment_rows(proposal.agreement_id, until, proposal_id=proposal.pk)}
    disbursements = list(Disbursement.objects.filter(proposal=proposal).order_by("paid_on", "pk"))
    spending = list(Spending.objects.filter(proposal=proposal).order_by("year", "category", "source"))
    base = list(
        FrameAmount.objects.filter(
            line__proposal=proposal, line__kind__in=[LineKind.PROGRAMME, LineKind.PROFILE_AREA]
        )
        .select_related("line", "frame")
        .order_by("frame__year")
    )
    years: dict[int, ProjectYear] = {}

    def year_of(y: int) -> ProjectYear:
        return years.setdefault(y, ProjectYear(y))

    for commitment in commitments:
        row = live.get(commitment.pk)
        commitment.is_released = row is None
        commitment.is_conditional = bool(row and row[4])
        if row is not None:
            year_of(commitment.year).committed += commitment.amount
            if commitment.is_conditional:
                year_of(commitment.year).conditional += commitment.amount
    for d in disbursements:
        year_of(d.year).disbursed += d.amount
    for s in spending:
        y = year_of(s.year)
        y.spent += s.amount
        y.by_category[s.category] = y.by_category.get(s.category, 0) + s.amount
    return ProjectEconomy(
        proposal=proposal,
        years=[years[y] for y in sorted(years)],
        commitments=commitments,
        disbursements=disbursements,
        spending=spending,
        base_funding=[(fa.frame.year, fa.amount, fa.line) for fa in base],
    )


def decision_commitments(decision) -> list[Commitment]:
    return list(
        Commitment.objects.filter(decision=decision).select_related("line", "override_by").order_by("year")
    )


def decision_budget_lines(decision) -> list[str]:
    """The decision's budget in the protocol's "Etikett: värde" convention (governance minutes): the line
    it is funded from, conditional co-funding, and an over-the-frame override with its reason."""
    commitments = decision_commitments(decision)
    if not commitments:
        return []
    lines = [_("Budgetpost: %(line)s") % {"line": commitments[0].line.label}]
    if any(c.conditional for c in commitments):
        lines.append(_("Villkorat: medlen binds tills huvudfinansiären har beslutat."))
    over = [c for c in commitments if c.over_frame]
    if over:
        by = over[0].override_by
        lines.append(
            _(
                "Över ramen: beslutet överskrider budgetpostens ram (%(years)s), beslutat av %(name)s. "
                "Skäl: %(reason)s"
            )
            % {
                "years": ", ".join(str(c.year) for c in over),
                "name": (by.get_full_name() or by.email) if by else "–",
                "reason": " ".join(over[0].override_reason.split()),
            }
        )
    return lines
