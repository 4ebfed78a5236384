"""Reads of the agreement's economy: the overview per line, area, municipality, work form and project, the
per-year series for the charts, a project's drill-down and the verksamhetsplan's budget tables.

Every figure is whole kronor (int) and every total is the sum of its parts. A fixed number of queries,
however many projects (tally.py aggregates in the database; this module groups in Python).

`as_of` makes a past quarter reproducible: commitments count from their decision's time and stop counting
when released (correction, or the proposal lapsing/being withdrawn – read from its transition history);
co-funding is conditional until the main funder's grant was recorded; disbursements count by payment day
and spending by registration time. Frame amounts are taken as they are now (a frame is set for its year).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import WorkForm
from applications.models import Proposal
from samverkan.models import Agreement, Organisation
from samverkan.templatetags.money import format_kr

from ..enums import LineKind
from ..models import BudgetFrame, BudgetLine
from .tally import RELEASED_STATES, Figures, Tally, year_tally  # noqa: F401 (RELEASED_STATES: services)

NO_MUNICIPALITY = "—"
# A finished year in which less than this share of the granted money was spent is flagged.
UNDER_SPENDING_PERCENT = 50


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


def _areas(tally: Tally, year: int) -> tuple[dict[str, AreaRow], Figures]:
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
    tally = year_tally(agreement, year, as_of)
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
    tally = year_tally(agreement, year, as_of, only_year=True)
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
