"""Reads of the agreement's economy: the overview per line, area, municipality, work form and project, the
per-year series for the charts, a project's drill-down and the verksamhetsplan's budget tables.

Every figure is whole kronor (int) and every total is the sum of its parts. A fixed number of queries,
however many projects (the overview aggregates in the database and groups in Python).

`as_of` makes a past quarter reproducible: commitments count from their decision's time and stop counting
when released (correction, or the proposal lapsing/being withdrawn – read from its transition history);
co-funding is conditional until the main funder's grant was recorded; disbursements count by payment day
and spending by registration time. Frame amounts are taken as they are now (a frame is set for its year).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ProposalState, WorkForm
from applications.models import Proposal, ProposalTransition
from samverkan.models import Agreement, Organisation
from samverkan.templatetags.money import format_kr

from ..enums import LineKind
from ..models import BudgetFrame, BudgetLine, Commitment, Disbursement, FrameAmount, Spending

# A commitment no longer holds money once its proposal is in one of these states.
RELEASED_STATES = (ProposalState.LAPSED, ProposalState.WITHDRAWN)
NO_MUNICIPALITY = "—"
# A finished year in which less than this share of the granted money was spent is flagged.
UNDER_SPENDING_PERCENT = 50


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


@dataclass
class LineRow:
    line: BudgetLine
    figures: Figures = field(default_factory=Figures)


@dataclass
class AreaRow:
    name: str
    lines: list[LineRow] = field(default_factory=list)

    @property
    def figures(self) -> Figures:
        total = Figures()
        for row in self.lines:
            total.add(row.figures)
        return total


@dataclass
class GroupRow:
    """A municipality or a work form: what the year's projects there were granted, paid and spent."""

    label: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class ProjectRow:
    proposal: Proposal
    lines: list[str]
    municipalities: list[str]
    figures: Figures = field(default_factory=Figures)
    warnings: list[str] = field(default_factory=list)


@dataclass
class YearFigures:
    year: int
    figures: Figures


@dataclass
class BaseFundingRow:
    proposal: Proposal
    line: BudgetLine
    amount: int


@dataclass
class EconomyOverview:
    """What `economy_overview` returns.

    - `year`, `as_of` (a date), `agreement`;
    - `areas`: [AreaRow(name, lines=[LineRow(line, figures)])] in the frame's order – `.figures` sums them;
    - `total`: Figures for the whole frame (sum of the areas);
    - `municipalities`, `work_forms`: [GroupRow(label, figures)] (frame = 0; a project with several
      municipalities is split equally between them, so the rows add up to the project total);
    - `projects`: [ProjectRow(proposal, lines, municipalities, figures, warnings)];
    - `years`: [YearFigures(year, figures)] for every year with a frame or a commitment (chart series);
    - `base_funding`: [BaseFundingRow(proposal, line, amount)] for programmes and profile areas;
    - `warnings`: Swedish sentences (over-committed lines, projects over or under spending).
    Figures fields: frame, committed (incl. conditional co-funding), conditional, disbursed, spent, and the
    properties remaining (= frame − committed) and firm (= committed − conditional). All int kronor.
    """

    agreement: Agreement
    year: int
    as_of: datetime.date
    has_frame: bool
    areas: list[AreaRow]
    total: Figures
    municipalities: list[GroupRow]
    work_forms: list[GroupRow]
    projects: list[ProjectRow]
    years: list[YearFigures]
    base_funding: list[BaseFundingRow]
    warnings: list[str]

    @property
    def projects_total(self) -> Figures:
        total = Figures()
        for row in self.projects:
            total.add(row.figures)
        return total


def _end_of(day: datetime.date) -> datetime.datetime:
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


def _commitment_rows(agreement_id: int, until: datetime.datetime, *, proposal_id: int | None = None):
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


def _municipalities(proposals) -> dict[int, list[str]]:
    result = {}
    for proposal in proposals:
        names = sorted({(org.parent or org).name for org in proposal.municipal_organisations.all()})
        result[proposal.pk] = names or [NO_MUNICIPALITY]
    return result


def _split(amount: int, parts: int) -> list[int]:
    """Split whole kronor into equal parts; the first parts take the remainder, so the parts add up."""
    share, rest = divmod(amount, parts)
    return [share + (1 if index < rest else 0) for index in range(parts)]


@dataclass
class _Tally:
    """The agreement's figures for a year, summed in the database (six queries)."""

    lines: list[BudgetLine]
    frame_years: set[int]
    line_figures: dict[int, Figures]
    project_figures: dict[int, Figures]
    project_lines: dict[int, set[int]]
    per_year: dict[int, Figures]


def _tally(agreement: Agreement, year: int, as_of: datetime.date, *, only_year: bool = False) -> _Tally:
    """With `only_year`, the other years are left out (`per_year` then holds `year` alone)."""
    until = _end_of(as_of)
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
    return _Tally(lines, frame_years, line_figures, project_figures, project_lines, per_year)


def _areas(tally: _Tally, year: int) -> tuple[dict[str, AreaRow], Figures]:
    areas: dict[str, AreaRow] = {}
    for line in tally.lines:
        figures = tally.line_figures[line.pk]
        if figures.frame or figures.committed or year in tally.frame_years:
            areas.setdefault(line.area, AreaRow(line.area)).lines.append(LineRow(line, figures))
    total = Figures()
    for area in areas.values():
        total.add(area.figures)
    return areas, total


def _line_warnings(areas: dict[str, AreaRow], year: int) -> list[str]:
    """Over-committed lines, last line first (they open the warnings list)."""
    warnings = []
    for area in areas.values():
        for row in area.lines:
            if row.figures.over_committed:
                warnings.insert(
                    0,
                    _(
                        "Budgetposten ”%(line)s” är överintecknad %(year)s: "
                        "%(committed)s beslutat mot ramen %(frame)s."
                    )
                    % {
                        "line": row.line.name,
                        "year": year,
                        "committed": format_kr(row.figures.committed),
                        "frame": format_kr(row.figures.frame),
                    },
                )
    return warnings


def _project_warnings(figures: Figures, year: int, as_of: datetime.date) -> list[str]:
    warnings = []
    granted = figures.firm
    if figures.spent > granted:
        warnings.append(
            _("Kostnaderna (%(spent)s) överstiger beviljat (%(granted)s).")
            % {"spent": format_kr(figures.spent), "granted": format_kr(granted)}
        )
    elif year < as_of.year and granted and figures.spent * 100 < granted * UNDER_SPENDING_PERCENT:
        warnings.append(
            _("Låg förbrukning: %(spent)s av beviljade %(granted)s användes %(year)s.")
            % {"spent": format_kr(figures.spent), "granted": format_kr(granted), "year": year}
        )
    if figures.disbursed > granted:
        warnings.append(_("Utbetalt överstiger beviljat."))
    return warnings


def economy_overview(agreement: Agreement, year: int, as_of: datetime.date | None = None) -> EconomyOverview:
    """The agreement's economy for `year` as of `as_of` (default today). Returns an EconomyOverview (see
    its docstring for the fields). Query count is fixed (about eight) whatever the number of projects;
    the sums are done in the database, so the rows read grow with the year's projects only."""
    as_of = as_of or timezone.localdate()
    tally = _tally(agreement, year, as_of)
    areas, total = _areas(tally, year)
    project_figures, project_lines = tally.project_figures, tally.project_lines

    proposals = list(
        Proposal.objects.filter(pk__in=project_figures.keys())
        .only("pk", "title", "work_form", "state", "created_at", "agreement_id", "parent_id")
        .prefetch_related(
            Prefetch(
                "municipal_organisations",
                queryset=Organisation.objects.select_related("parent").order_by("name"),
            )
        )
        .order_by("title", "pk")
    )
    municipalities_of = _municipalities(proposals)
    line_by_id = {line.pk: line for line in tally.lines}
    by_municipality: dict[str, Figures] = defaultdict(Figures)
    by_work_form: dict[str, Figures] = defaultdict(Figures)
    projects = []
    warnings = []
    for proposal in proposals:
        figures = project_figures[proposal.pk]
        names = municipalities_of[proposal.pk]
        for field_name in ("committed", "conditional", "disbursed", "spent"):
            for name, part in zip(names, _split(getattr(figures, field_name), len(names)), strict=True):
                target = by_municipality[name]
                setattr(target, field_name, getattr(target, field_name) + part)
        by_work_form[proposal.work_form].add(figures)
        row = ProjectRow(
            proposal,
            [line_by_id[i].name for i in sorted(project_lines.get(proposal.pk, ()))],
            names,
            figures,
            _project_warnings(figures, year, as_of),
        )
        for text in row.warnings:
            warnings.append(f"{proposal.title}: {text}")
        projects.append(row)
    warnings = _line_warnings(areas, year) + warnings

    line_figures = tally.line_figures
    base_funding = [
        BaseFundingRow(line.proposal, line, line_figures[line.pk].frame)
        for line in tally.lines
        if line.kind in (LineKind.PROGRAMME, LineKind.PROFILE_AREA)
        and line.proposal_id
        and line_figures[line.pk].frame
    ]
    return EconomyOverview(
        agreement=agreement,
        year=year,
        as_of=as_of,
        has_frame=year in tally.frame_years,
        areas=list(areas.values()),
        total=total,
        municipalities=[
            GroupRow(name, by_municipality[name])
            for name in sorted(by_municipality, key=lambda n: (n == NO_MUNICIPALITY, n))
        ],
        work_forms=[
            GroupRow(str(label), by_work_form[code])
            for code, label in WorkForm.choices
            if code in by_work_form
        ],
        projects=projects,
        years=[YearFigures(y, tally.per_year[y]) for y in sorted(tally.per_year)],
        base_funding=base_funding,
        warnings=warnings,
    )


@dataclass
class EconomySummary:
    """The start page's glance at an agreement's year: the frame's totals and the first warnings."""

    year: int
    has_frame: bool
    total: Figures
    warnings: list[str]


def economy_summary(
    agreement: Agreement, year: int, *, as_of: datetime.date | None = None, warnings: int = 3
) -> EconomySummary:
    """What the start page shows of `economy_overview`: the same `total` and the first `warnings` of its
    warnings, in the same order, without reading every project (seven queries at most)."""
    as_of = as_of or timezone.localdate()
    tally = _tally(agreement, year, as_of, only_year=True)
    areas, total = _areas(tally, year)
    texts = _line_warnings(areas, year)[:warnings]
    if len(texts) < warnings:
        warned = {
            pk: found
            for pk, figures in tally.project_figures.items()
            if (found := _project_warnings(figures, year, as_of))
        }
        if warned:
            titles = (
                Proposal.objects.filter(pk__in=warned.keys())
                .order_by("title", "pk")
                .values_list("pk", "title")
            )
            texts += [f"{title}: {text}" for pk, title in titles for text in warned[pk]]
    return EconomySummary(
        year=year, has_frame=year in tally.frame_years, total=total, warnings=texts[:warnings]
    )


def frame_years(agreement: Agreement) -> list[int]:
    return list(
        BudgetFrame.objects.filter(agreement=agreement).order_by("year").values_list("year", flat=True)
    )


def default_year(agreement: Agreement) -> int:
    years = frame_years(agreement)
    today = timezone.localdate().year
    if today in years or not years:
        return today
    later = [y for y in years if y > today]
    return later[0] if later else years[-1]
