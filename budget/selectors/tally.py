"""The agreement's figures summed in the database: commitments counted at a moment (released ones and
conditional co-funding read from the transition history), disbursements and spending per project and
year, and the frame per line. economy.py turns them into the overview; project.py reads a project's rows.

Every figure is whole kronor (int). A fixed number of queries, however many projects.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from applications.enums import ProposalState
from applications.models import ProposalTransition
from samverkan.models import Agreement

from ..models import BudgetFrame, BudgetLine, Commitment, Disbursement, FrameAmount, Spending

# A commitment no longer holds money once its proposal is in one of these states.
RELEASED_STATES = (ProposalState.LAPSED, ProposalState.WITHDRAWN)


@dataclass
class Figures:
    """frame − committed = remaining; committed includes the conditional (co-funding) part."""

    frame: int = 0
    committed: int = 0
    conditional: int = 0
    disbursed: int = 0
    spent: int = 0

    @property
    def remaining(self) -> int:
        return self.frame - self.committed

    @property
    def firm(self) -> int:
        return self.committed - self.conditional

    @property
    def over_committed(self) -> bool:
        return self.committed > self.frame

    def add(self, other: Figures) -> None:
        self.frame += other.frame
        self.committed += other.committed
        self.conditional += other.conditional
        self.disbursed += other.disbursed
        self.spent += other.spent


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _live_commitments(agreement_id: int, until: datetime.datetime, *, proposal_id: int | None = None):
    """The commitments counted at `until`: decided before it and not released by then (released_at, or
    the proposal lapsing/being withdrawn before `until` according to its transition history). A queryset
    without ordering, so callers can aggregate it in the database."""
    released = ProposalTransition.objects.filter(
        proposal_id=OuterRef("proposal_id"), target__in=RELEASED_STATES, at__lt=until
    )
    rows = Commitment.objects.filter(line__agreement_id=agreement_id, created_at__lt=until)
    if proposal_id is not None:
        rows = rows.filter(proposal_id=proposal_id)
    return rows.filter(Q(released_at__isnull=True) | Q(released_at__gte=until), ~Exists(released)).order_by()


def _still_conditional(until: datetime.datetime) -> Q:
    """Co-funding stays conditional until the main funder's grant was recorded (before `until`)."""
    firm = ProposalTransition.objects.filter(
        proposal_id=OuterRef("proposal_id"), transition="main_funder_granted", at__lt=until
    )
    return Q(conditional=True) & ~Exists(firm)


def commitment_rows(agreement_id: int, until: datetime.datetime, *, proposal_id: int | None = None):
    """Every commitment counted at `until` (of one proposal, if given), with whether it is still
    conditional: one query. Yields (proposal_id, line_id, year, amount, conditional, pk)."""
    rows = (
        _live_commitments(agreement_id, until, proposal_id=proposal_id)
        .annotate(
            still_conditional=Case(
                When(_still_conditional(until), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values_list("proposal_id", "line_id", "year", "amount", "still_conditional", "pk")
    )
    for proposal_id_, line_id, year, amount, conditional, pk in rows:
        yield proposal_id_, line_id, year, amount, bool(conditional), pk


def _in_year(year: int, field_name: str):
    """`field_name` for rows of `year`, NULL for other years: grouping by it gives one row per project
    (or line) in the year and one row per other year, so the database does the summing."""
    return Case(When(year=year, then=F(field_name)), default=Value(None))


def _grouped_commitments(agreement_id: int, year: int, until: datetime.datetime, *, only_year: bool):
    """(year, proposal_id, line_id, committed, conditional): per project and line for `year`, one row
    (proposal and line None) per other year unless `only_year`. One query; rows grow with the year's
    projects only."""
    rows = _live_commitments(agreement_id, until)
    if only_year:
        rows = rows.filter(year=year)
    return (
        rows.annotate(in_year_proposal=_in_year(year, "proposal_id"), in_year_line=_in_year(year, "line_id"))
        .values("year", "in_year_proposal", "in_year_line")
        .annotate(
            committed=Sum("amount"),
            conditional=Sum(
                Case(When(_still_conditional(until), then=F("amount")), default=Value(0)),
                output_field=models.BigIntegerField(),
            ),
        )
        .values_list("year", "in_year_proposal", "in_year_line", "committed", "conditional")
        .order_by()
    )


def _grouped_sums(queryset, year: int, *, only_year: bool):
    """(year, proposal_id or None, sum of amount): per project for `year`, per other year (unless
    `only_year`)."""
    if only_year:
        queryset = queryset.filter(year=year)
    return (
        queryset.annotate(in_year_proposal=_in_year(year, "proposal_id"))
        .values("year", "in_year_proposal")
        .annotate(s=Sum("amount"))
        .values_list("year", "in_year_proposal", "s")
        .order_by()
    )


@dataclass
class Tally:
    """The agreement's figures for a year, summed in the database (six queries)."""

    lines: list[BudgetLine]
    frame_years: set[int]
    line_figures: dict[int, Figures]
    project_figures: dict[int, Figures]
    project_lines: dict[int, set[int]]
    per_year: dict[int, Figures]


def year_tally(agreement: Agreement, year: int, as_of: datetime.date, *, only_year: bool = False) -> Tally:
    """With `only_year`, the other years are left out (`per_year` then holds `year` alone)."""
    until = end_of(as_of)
    lines = list(
        BudgetLine.objects.filter(agreement=agreement).select_related("proposal").order_by("order", "pk")
    )
    frame_amounts = list(
        FrameAmount.objects.filter(frame__agreement=agreement)
        .values_list("frame__year", "line_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    frame_years = set(BudgetFrame.objects.filter(agreement=agreement).values_list("year", flat=True))
    commitments = list(_grouped_commitments(agreement.pk, year, until, only_year=only_year))
    disbursed = list(
        _grouped_sums(
            Disbursement.objects.filter(proposal__agreement=agreement, paid_on__lte=as_of),
            year,
            only_year=only_year,
        )
    )
    spent = list(
        _grouped_sums(
            Spending.objects.filter(proposal__agreement=agreement, created_at__lt=until),
            year,
            only_year=only_year,
        )
    )

    # Lines for the year: frame, committed.
    line_figures = {line.pk: Figures() for line in lines}
    for frame_year, line_id, amount in frame_amounts:
        if frame_year == year:
            line_figures[line_id].frame += amount
    project_figures: dict[int, Figures] = defaultdict(Figures)
    project_lines: dict[int, set[int]] = defaultdict(set)
    per_year: dict[int, Figures] = defaultdict(Figures)
    for frame_year, _line_id, amount in frame_amounts:
        per_year[frame_year].frame += amount
    for commit_year, proposal_id, line_id, amount, conditional in commitments:
        per_year[commit_year].committed += amount
        per_year[commit_year].conditional += conditional
        if commit_year != year:
            continue
        line_figures[line_id].committed += amount
        line_figures[line_id].conditional += conditional
        project_figures[proposal_id].committed += amount
        project_figures[proposal_id].conditional += conditional
        project_lines[proposal_id].add(line_id)
    # Disbursed and spent belong to the project's line(s): spread over the lines in proportion is
    # unnecessary – a project is funded from one line per year; with several, the first carries it.
    project_line_of: dict[int, int] = {pid: min(ids) for pid, ids in project_lines.items()}
    for field_name, rows in (("disbursed", disbursed), ("spent", spent)):
        for row_year, proposal_id, amount in rows:
            setattr(per_year[row_year], field_name, getattr(per_year[row_year], field_name) + amount)
            if row_year != year:
                continue
            figures = project_figures[proposal_id]
            setattr(figures, field_name, getattr(figures, field_name) + amount)
            line_id = project_line_of.get(proposal_id)
            if line_id is not None:
                target = line_figures[line_id]
                setattr(target, field_name, getattr(target, field_name) + amount)
    return Tally(lines, frame_years, line_figures, project_figures, project_lines, per_year)
