"""Every non-trivial read in follow-up: permission-filtered lists for the dashboards (query counts do not
grow with the number of rows), a project's progress, a programme's roll-up, and the summary the quarterly
report (reports/) reads."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from applications.enums import ProposalState, WorkForm
from applications.models import Proposal, ProposalTransition
from samverkan.models import Agreement

from . import kpis, permissions
from .enums import GOAL_WEIGHT, OPEN_STATES, ReportState
from .models import DisseminationEvent, EffectGoal, FollowUpReport, GoalAssessment, Presentation

# Reports the team sees on the start page: due within this many days, or overdue.
TEAM_HORIZON_DAYS = 30


def _report_rows():
    return FollowUpReport.objects.select_related(
        "proposal", "proposal__agreement", "proposal__responsible_researcher", "proposal__responsible_officer"
    )


def team_reports_due(user, *, today: datetime.date | None = None):
    """Open reports of projects where the user is in the team, due within 30 days or overdue (one query)."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return FollowUpReport.objects.none()
    # The team's projects as a subquery: no join over the researchers and no DISTINCT over the reports.
    team = Proposal.objects.filter(
        Q(responsible_researcher=user) | Q(responsible_officer=user) | Q(researchers=user),
        state=ProposalState.ACTIVE,
    ).values("pk")
    return (
        _report_rows()
        .filter(
            proposal__in=team,
            state__in=OPEN_STATES,
            due_date__lte=today + datetime.timedelta(days=TEAM_HORIZON_DAYS),
        )
        .order_by("due_date", "pk")
    )


def _agreement_filter(user, prefix: str = "") -> Q:
    ids = permissions.overview_agreement_ids(user)
    return Q() if ids is None else Q(**{f"{prefix}agreement_id__in": ids})


@dataclass
class Overview:
    """The processledare's follow-up overview: what is due or overdue across their agreements, what waits
    to be treated, upcoming events, and projects ready for closure."""

    due: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    to_treat: list = field(default_factory=list)
    events: list = field(default_factory=list)
    closing: list = field(default_factory=list)


def overview(user, *, today: datetime.date | None = None) -> Overview:
    """Four queries, whatever the number of projects."""
    today = today or timezone.localdate()
    scope = _agreement_filter(user, "proposal__")
    open_reports = list(
        _report_rows()
        .filter(scope, state__in=OPEN_STATES, proposal__state=ProposalState.ACTIVE)
        .filter(due_date__lte=today + datetime.timedelta(days=TEAM_HORIZON_DAYS))
        .order_by("due_date", "pk")
    )
    to_treat = list(
        _report_rows()
        .select_related("agenda_item__meeting")
        .filter(scope, state=ReportState.SUBMITTED)
        .order_by("submitted_at", "pk")
    )
    events = list(
        DisseminationEvent.objects.filter(_agreement_filter(user), ends_at__gte=timezone.now())
        .prefetch_related(Prefetch("presentations", queryset=Presentation.objects.select_related("proposal")))
        .order_by("starts_at")[:5]
    )
    closing = list(
        Proposal.objects.filter(_agreement_filter(user), state=ProposalState.CLOSING)
        .select_related("responsible_researcher")
        .order_by("state_changed_at", "pk")
    )
    return Overview(
        due=[r for r in open_reports if r.due_date >= today],
        overdue=[r for r in open_reports if r.due_date < today],
        to_treat=to_treat,
        events=events,
        closing=closing,
    )


@dataclass
class OverviewCounts:
    """The start page's glance at the follow-up overview: how many reports are due, overdue and waiting to
    be treated, how many projects are ready for closure, and the next dissemination event (a list of at
    most one)."""

    due: int = 0
    overdue: int = 0
    to_treat: int = 0
    closing: int = 0
    events: list = field(default_factory=list)


def overview_counts(user, *, today: datetime.date | None = None) -> OverviewCounts:
    """The same numbers as `overview` (the lengths of its lists) counted in the database, and its first
    event: three queries, and nothing read per project."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=TEAM_HORIZON_DAYS)
    open_due = Q(state__in=OPEN_STATES, proposal__state=ProposalState.ACTIVE, due_date__lte=horizon)
    submitted = Q(state=ReportState.SUBMITTED)
    reports = (
        FollowUpReport.objects.filter(_agreement_filter(user, "proposal__"))
        .filter(open_due | submitted)
        .aggregate(
            due=Count("pk", filter=open_due & Q(due_date__gte=today)),
            overdue=Count("pk", filter=open_due & Q(due_date__lt=today)),
            to_treat=Count("pk", filter=submitted),
        )
    )
    closing = Proposal.objects.filter(_agreement_filter(user), state=ProposalState.CLOSING).count()
    events = list(
        DisseminationEvent.objects.filter(_agreement_filter(user), ends_at__gte=timezone.now()).order_by(
            "starts_at", "pk"
        )[:1]
    )
    return OverviewCounts(
        due=reports["due"],
        overdue=reports["overdue"],
        to_treat=reports["to_treat"],
        closing=closing,
        events=events,
    )


def project_reports(proposal: Proposal):
    return (
        FollowUpReport.objects.filter(proposal=proposal)
        .select_related("agenda_item__meeting")
        .prefetch_related(
            Prefetch("goal_assessments", queryset=GoalAssessment.objects.select_related("goal")),
            "spending",
        )
        .order_by("due_date", "pk")
    )


def goal_share(assessments) -> float | None:
    """Share of activity goals met (met = 1, partly = ½, not = 0), 0–100, or None without assessments."""
    assessments = list(assessments)
    if not assessments:
        return None
    return round(100 * sum(GOAL_WEIGHT[a.status] for a in assessments) / len(assessments), 1)


def progress_series(reports) -> list[dict]:
    """A project's progress over time from its treated reports: [{"report", "date", "share"}] in date
    order. `reports` come from project_reports (prefetched)."""
    return [
        {"report": r, "date": r.due_date, "share": goal_share(r.goal_assessments.all())}
        for r in reports
        if r.state == ReportState.TREATED and goal_share(r.goal_assessments.all()) is not None
    ]


def programme_rollup(programme: Proposal) -> dict:
    """A programme's or profile area's sub-projects with their latest treated progress, and the average:
    {"rows": [{"proposal", "share", "date"}], "average": float | None}. Two queries."""
    children = list(
        programme.children.exclude(state__in=[ProposalState.WITHDRAWN])
        .prefetch_related(
            Prefetch(
                "followup_reports",
                queryset=FollowUpReport.objects.filter(state=ReportState.TREATED)
                .prefetch_related("goal_assessments")
                .order_by("due_date", "pk"),
                to_attr="treated_reports",
            )
        )
        .order_by("title")
    )
    rows = []
    for child in children:
        series = [(r.due_date, goal_share(r.goal_assessments.all())) for r in child.treated_reports]
        series = [(d, s) for d, s in series if s is not None]
        rows.append(
            {
                "proposal": child,
                "date": series[-1][0] if series else None,
                "share": series[-1][1] if series else None,
            }
        )
    shares = [row["share"] for row in rows if row["share"] is not None]
    return {"rows": rows, "average": round(sum(shares) / len(shares), 1) if shares else None}


def is_umbrella(proposal: Proposal) -> bool:
    return proposal.work_form in (WorkForm.PROGRAMME, WorkForm.PROFILE_AREA)


def goals_with_years(agreement_id: int) -> list[dict]:
    """The agreement's effect goals and KPIs with their yearly rows and chart data (two queries)."""
    goals = EffectGoal.objects.filter(agreement_id=agreement_id).prefetch_related(
        "years", "contributing_proposals"
    )
    result = []
    for goal in goals:
        years = list(goal.years.all())
        latest = next((row for row in reversed(years) if row.value is not None), None)
        result.append(
            {
                "goal": goal,
                "years": years,
                "chart": kpis.chart(goal, years),
                "latest": latest,
                "light": kpis.light(
                    latest.target if latest else None,
                    latest.value if latest else None,
                    higher_is_better=goal.higher_is_better,
                ),
            }
        )
    return result


def public_events(*, now: datetime.datetime | None = None):
    """Upcoming public dissemination events with their programme, for the open listing."""
    now = now or timezone.now()
    return (
        DisseminationEvent.objects.filter(is_public=True, ends_at__gte=now)
        .select_related("agreement")
        .prefetch_related(
            Prefetch("presentations", queryset=Presentation.objects.select_related("proposal", "presenter"))
        )
        .order_by("starts_at")
    )


# --- what the quarterly report reads --------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpSummary:
    """Follow-up figures for an agreement and a period [start, end], as they stood at `as_of`.

    - reports_due: reports with a due date in the period
    - reports_late: of those, reports not submitted by their due date (submitted late, or still missing at
      as_of)
    - reports_treated: reports treated (behandlad) in the period, by as_of
    - closures: projects closed by styrgrupp in the period, by as_of
    - events_held: dissemination events that took place in the period, by as_of
    - kpis: [(goal name, year, target, value, light)] for the year of `end`
    """

    reports_due: int
    reports_late: int
    reports_treated: int
    closures: int
    events_held: int
    kpis: list[tuple[str, int, object, object, str]]


def followup_summary(
    agreement: Agreement, start: datetime.date, end: datetime.date, *, as_of: datetime.datetime | None = None
) -> FollowUpSummary:
    """Follow-up figures for the quarterly report. Reproducible for past quarters: only what was recorded
    by `as_of` (default: now) counts (submission, treatment, closure and event times are stored)."""
    as_of = as_of or timezone.now()
    reports = list(
        FollowUpReport.objects.filter(
            proposal__agreement=agreement, due_date__gte=start, due_date__lte=end
        ).values_list("due_date", "submitted_at")
    )

    def late(due, submitted_at):
        if submitted_at is None or submitted_at > as_of:
            return due < timezone.localdate(as_of)
        return timezone.localdate(submitted_at) > due

    tz_start = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    tz_end = min(timezone.make_aware(datetime.datetime.combine(end, datetime.time.max)), as_of)
    treated = FollowUpReport.objects.filter(
        proposal__agreement=agreement, treated_at__gte=tz_start, treated_at__lte=tz_end
    ).count()
    closures = ProposalTransition.objects.filter(
        proposal__agreement=agreement, transition="close", at__gte=tz_start, at__lte=tz_end
    ).count()
    events = DisseminationEvent.objects.filter(
        agreement=agreement, starts_at__gte=tz_start, ends_at__lte=tz_end
    ).count()
    kpi_rows = []
    for goal in EffectGoal.objects.filter(agreement=agreement).prefetch_related("years"):
        row = next((r for r in goal.years.all() if r.year == end.year), None)
        target, value = (row.target, row.value) if row else (None, None)
        kpi_rows.append(
            (
                goal.name,
                end.year,
                target,
                value,
                kpis.light(target, value, higher_is_better=goal.higher_is_better),
            )
        )
    return FollowUpSummary(
        reports_due=len(reports),
        reports_late=sum(1 for due, submitted in reports if late(due, submitted)),
        reports_treated=treated,
        closures=closures,
        events_held=events,
        kpis=kpi_rows,
    )
