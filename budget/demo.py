"""Demo application budgets: every demo proposal from the application stage on gets a realistic budget
(salaries, indirect costs, travel and dissemination from the agreement; own contributions of the university
and the municipality), unless it already has one. Runs after applications' `load`, before `advance`
submits the finished applications. Idempotent: a proposal with budget rows is left alone."""

from __future__ import annotations

import datetime

from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.demo import AGREEMENT_NAME

from . import permissions, services
from .enums import CostCategory, FundingSource
from .models import ApplicationBudgetRow, CellKey

S = ProposalState
BEFORE_APPLICATION = {S.DIALOG, S.PITCH}

# Whole-year amounts in kronor; a part year gets its share of months.
AGREEMENT_SALARIES = 720_000
INDIRECT_PERCENT = 35  # of the salaries, as the university charges
AGREEMENT_TRAVEL = 24_000
DISSEMINATION = 30_000  # in the last year: a seminar and a popular-science publication
UNIVERSITY_OWN_SALARIES = 180_000
MUNICIPAL_OWN_SALARIES = 240_000


def _months_in(year: int, start: datetime.date, end: datetime.date) -> int:
    first = start.month if start.year == year else 1
    last = end.month if end.year == year else 12
    return max(0, last - first + 1)


def _share(amount: int, numerator: int, denominator: int) -> int:
    """amount × numerator / denominator in whole thousands of kronor (integers only: money is never float)."""
    return (amount * numerator + denominator * 500) // (denominator * 1000) * 1000


def demo_cells(proposal: Proposal) -> dict[CellKey, int]:
    start, end = proposal.planned_start, proposal.planned_end
    municipal = proposal.municipal_organisations.order_by("name").first() or (
        proposal.agreement.municipalities.order_by("name").first()
    )
    cells: dict[CellKey, int] = {}
    university = proposal.agreement.university_id
    agreement, own = FundingSource.AGREEMENT, FundingSource.OWN_CONTRIBUTION
    for year in range(start.year, end.year + 1):
        months = _months_in(year, start, end)
        salaries = _share(AGREEMENT_SALARIES, months, 12)
        cells[CellKey(year, CostCategory.SALARIES, agreement)] = salaries
        cells[CellKey(year, CostCategory.INDIRECT, agreement)] = _share(salaries, INDIRECT_PERCENT, 100)
        cells[CellKey(year, CostCategory.TRAVEL, agreement)] = _share(AGREEMENT_TRAVEL, months, 12)
        cells[CellKey(year, CostCategory.SALARIES, own, university)] = _share(
            UNIVERSITY_OWN_SALARIES, months, 12
        )
        if municipal is not None:
            amount = _share(MUNICIPAL_OWN_SALARIES, months, 12)
            cells[CellKey(year, CostCategory.SALARIES, own, municipal.pk)] = amount
    cells[CellKey(end.year, CostCategory.OTHER, FundingSource.AGREEMENT)] = DISSEMINATION
    return cells


def load(stdout=None) -> None:
    proposals = (
        Proposal.objects.filter(
            agreement__name=AGREEMENT_NAME, planned_start__isnull=False, planned_end__isnull=False
        )
        .exclude(state__in=BEFORE_APPLICATION)
        .exclude(pk__in=ApplicationBudgetRow.objects.values("proposal_id"))
        .select_related("agreement", "responsible_researcher")
        .order_by("pk")
    )
    for proposal in proposals:
        cells = demo_cells(proposal)
        researcher = proposal.responsible_researcher
        if permissions.can_edit_budget(researcher, proposal):
            services.budget_save(proposal=proposal, by=researcher, cells=cells)
        else:
            # Already past the applicants' stage (moved on by another part of the demo): written directly.
            services.budget_replace_unchecked(proposal=proposal, cells=cells)
