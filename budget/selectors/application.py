"""Budget reads: the application budget as a table for pages and exports, with every total computed from the
rows (never typed). A constant number of queries, however many years and rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from applications.models import Proposal
from samverkan.models import Organisation
from samverkan.templatetags.money import format_kr

from ..enums import CostCategory, FundingSource
from ..models import ApplicationBudgetRow, CellKey, cell_label


@dataclass
class Column:
    """A funding source; own contributions get one column per party."""

    source: str
    label: str
    organisation: Organisation | None = None

    @property
    def organisation_id(self) -> int | None:
        return self.organisation.pk if self.organisation else None


@dataclass
class Cell:
    key: CellKey
    label: str  # "2026, Resor, Samverkansavtalet"
    amount: int = 0
    value: str = ""  # what the input shows: the saved amount, or what was typed before an error
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.key.name

    @property
    def error_id(self) -> str:
        return f"{self.key.name}-error"


@dataclass
class CategoryRow:
    category: str
    label: str
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(cell.amount for cell in self.cells)


@dataclass
class YearBudget:
    year: int
    rows: list[CategoryRow]
    in_period: bool = True

    @property
    def column_totals(self) -> list[int]:
        per_row = ([cell.amount for cell in row.cells] for row in self.rows)
        return [sum(column) for column in zip(*per_row, strict=True)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


@dataclass
class SummaryRow:
    label: str
    per_year: list[int]

    @property
    def total(self) -> int:
        return sum(self.per_year)


@dataclass
class BudgetTable:
    proposal: Proposal
    columns: list[Column]
    years: list[YearBudget]
    first_year: int | None
    last_year: int | None

    @property
    def has_period(self) -> bool:
        return self.first_year is not None

    @property
    def year_numbers(self) -> list[int]:
        return [y.year for y in self.years]

    @property
    def year_totals(self) -> list[int]:
        return [y.total for y in self.years]

    @property
    def total(self) -> int:
        return sum(self.year_totals)

    @property
    def by_category(self) -> list[SummaryRow]:
        return [
            SummaryRow(str(label), [year.rows[index].total for year in self.years])
            for index, (_, label) in enumerate(CostCategory.choices)
        ]

    @property
    def by_source(self) -> list[SummaryRow]:
        return [
            SummaryRow(column.label, [year.column_totals[index] for year in self.years])
            for index, column in enumerate(self.columns)
        ]

    def cells(self):
        for year in self.years:
            for row in year.rows:
                yield from row.cells

    def show_input(self, typed: dict[str, str], errors: dict[str, list[str]]) -> None:
        """After a refused save: the inputs keep what was typed and carry their errors; totals stay those of
        the saved budget (nothing was saved)."""
        for cell in self.cells():
            cell.value = typed.get(cell.name, "")
            cell.errors = errors.get(cell.name, [])

    @property
    def stray_years(self) -> list[int]:
        """Years with amounts outside the planned period (the period changed after the budget was written)."""
        return [y.year for y in self.years if not y.in_period]


def party_columns(proposal: Proposal, rows) -> list[Organisation]:
    """Whose own contribution the budget asks for: the university and the municipalities/companies the
    proposal involves (the agreement's municipalities if none is named), plus any party already budgeted."""
    agreement = proposal.agreement
    municipal = list(proposal.municipal_organisations.all())
    if not municipal:
        municipal = list(agreement.municipalities.all())
    parties = [agreement.university, *municipal]
    known = {org.pk for org in parties}
    for row in rows:
        if row.organisation_id is not None and row.organisation_id not in known:
            parties.append(row.organisation)
            known.add(row.organisation_id)
    return parties


def budget_table(proposal: Proposal) -> BudgetTable:
    rows = list(ApplicationBudgetRow.objects.filter(proposal=proposal).select_related("organisation"))
    parties = party_columns(proposal, rows)
    columns = [
        Column(FundingSource.AGREEMENT, str(FundingSource.AGREEMENT.label)),
        *(
            Column(
                FundingSource.OWN_CONTRIBUTION, f"{FundingSource.OWN_CONTRIBUTION.label} ({org.name})", org
            )
            for org in parties
        ),
        Column(FundingSource.EXTERNAL, str(FundingSource.EXTERNAL.label)),
    ]
    organisations = {org.pk: org for org in parties}
    amounts = {row.key: row.amount for row in rows}

    first = proposal.planned_start.year if proposal.planned_start and proposal.planned_end else None
    last = proposal.planned_end.year if first is not None else None
    period = set(range(first, last + 1)) if first is not None else set()
    years = sorted(period | {row.year for row in rows})

    def cell(year: int, category: str, column: Column) -> Cell:
        key = CellKey(year, category, column.source, column.organisation_id)
        amount = amounts.get(key, 0)
        return Cell(key, cell_label(key, organisations), amount, _input_value(amount))

    return BudgetTable(
        proposal=proposal,
        columns=columns,
        years=[
            YearBudget(
                year,
                [
                    CategoryRow(category, str(label), [cell(year, category, column) for column in columns])
                    for category, label in CostCategory.choices
                ],
                in_period=year in period,
            )
            for year in years
        ],
        first_year=first,
        last_year=last,
    )


def _input_value(amount: int) -> str:
    return format_kr(amount, unit=False) if amount else ""


@dataclass
class BudgetSummary:
    total: int
    agreement: int
    own_contribution: int
    external: int
    per_year: list[tuple[int, int]]

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def _sums_by_year_and_source(proposal: Proposal):
    """(year, source, amount) of the application budget, summed in one query."""
    return (
        ApplicationBudgetRow.objects.filter(proposal=proposal)
        .values_list("year", "source")
        .annotate(amount=Sum("amount"))
        .order_by()
    )


def budget_summary(proposal: Proposal) -> BudgetSummary:
    """The few figures the proposal page shows, in one query."""
    per_year: dict[int, int] = defaultdict(int)
    per_source: dict[str, int] = defaultdict(int)
    for year, source, amount in _sums_by_year_and_source(proposal):
        per_year[year] += amount
        per_source[source] += amount
    return BudgetSummary(
        total=sum(per_year.values()),
        agreement=per_source[FundingSource.AGREEMENT],
        own_contribution=per_source[FundingSource.OWN_CONTRIBUTION],
        external=per_source[FundingSource.EXTERNAL],
        per_year=sorted(per_year.items()),
    )


@dataclass(frozen=True)
class AppliedYear:
    year: int
    agreement: int  # applied for from the samverkansavtal – what a grant decides
    total: int  # the whole budget of the year, own contribution and external funding included


def applied_per_year(proposal: Proposal) -> list[AppliedYear]:
    """Per year of the application budget: the amount applied for from the agreement and the year's total,
    in one query (the styrgrupp item page and the decision form's prefill)."""
    agreement: dict[int, int] = defaultdict(int)
    total: dict[int, int] = defaultdict(int)
    for year, source, amount in _sums_by_year_and_source(proposal):
        total[year] += amount
        if source == FundingSource.AGREEMENT:
            agreement[year] += amount
    return [AppliedYear(year, agreement[year], total[year]) for year in sorted(total)]
