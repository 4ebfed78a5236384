"""Factories for follow-up: an active project with its schedule, reports in a given state, events and
effect goals.

    proposal = active_project(months=12)                    # active, schedule generated, two goals
    report = proposal.followup_reports.get(kind="halvtid")
    event = DisseminationEventFactory(agreement=proposal.agreement)
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from applications.cadence import add_months
from applications.enums import ProposalState
from followup.enums import GoalStatus, ReportState
from followup.models import DisseminationEvent, EffectGoal, GoalAssessment, GoalYear
from followup.services import schedule_generate
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory, with_goals
from tests.factories.samverkan import AgreementFactory, person_with_role

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def active_project(
    *, months: int = 12, start: datetime.date | None = None, work_form="projekt", goals=2, **kwargs
):
    """An active project (state written directly) of `months` months from `start` (default: today), with
    `goals` activity goals and its follow-up schedule generated."""
    start = start or timezone.localdate()
    end = add_months(start, months) - datetime.timedelta(days=1)
    proposal = ProposalFactory(
        state=ProposalState.ACTIVE, work_form=work_form, planned_start=start, planned_end=end, **kwargs
    )
    if goals:
        with_goals(proposal, *[f"Aktivitetsmål {n + 1}" for n in range(goals)])
    schedule_generate(proposal=proposal)
    return proposal


def filled(report, *, status=GoalStatus.MET):
    """Write a complete report (texts and every goal assessed) without submitting it."""
    report.deliveries = "Två workshoppar genomförda med förvaltningen."
    report.evaluation = "Arbetet har gått enligt plan."
    report.lessons = "Tidig förankring i verksamheten lönar sig."
    if report.is_final:
        report.scientific_report = "Vetenskaplig slutrapport enligt mallen."
    report.save()
    for goal in report.proposal.activity_goals.all():
        GoalAssessment.objects.update_or_create(report=report, goal=goal, defaults={"status": status})
    return report


def set_state(report, state, **fields):
    """Write a report's state directly (tests only)."""
    now = timezone.now()
    if state in (ReportState.SUBMITTED, ReportState.TREATED):
        fields.setdefault("submitted_at", now)
    if state == ReportState.TREATED:
        fields.setdefault("treated_at", now)
        fields.setdefault("feedback", "Bra arbete.")
    type(report).objects.filter(pk=report.pk).update(state=state, **fields)
    report.refresh_from_db()
    return report


def quarter_day(quarter: int = 4, *, year: int | None = None, hour: int = 13) -> datetime.datetime:
    """An aware datetime in the middle of a quarter, in the future when `year` is not given."""
    today = timezone.localdate()
    year = year or today.year
    month = {1: 2, 2: 5, 3: 8, 4: 11}[quarter]
    day = datetime.datetime(year, month, 15, hour, tzinfo=STOCKHOLM)
    if day.date() <= today and year == today.year:
        day = day.replace(year=year + 1)
    return day


class DisseminationEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisseminationEvent

    agreement = factory.SubFactory(AgreementFactory)
    title = factory.Sequence(lambda n: f"Resultatspridning {n}")
    starts_at = factory.LazyFunction(lambda: quarter_day(4))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    location = "Eskilstuna, Munktellarenan"
    created_by = factory.LazyAttribute(lambda o: person_with_role(o.agreement, Role.COMMUNICATOR))


class EffectGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EffectGoal

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"70 % av konferensdeltagarna upplever ny kunskap ({n})")
    unit = "percent"
    baseline = 50


def goal_year(goal, year, target=None, value=None, **kwargs):
    return GoalYear.objects.create(goal=goal, year=year, target=target, value=value, **kwargs)
