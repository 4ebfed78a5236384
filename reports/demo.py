"""The demo world's reports and communication: a published catalogue, a decided communication plan for 2026
and a draft for the coming year, and the quarterly reports of the two quarters before the current one.

- Catalogue: Sara Holm (kommunikatör, MDU) publishes the running and finished projects listed in PUBLISH that
  exist in the demo, with the responsible researcher's name only. Other granted projects stay unpublished, so
  that there is something to publish (her start page lists them).
- Kommunikationsplan 2026: written by Sara Holm, handed to the styrgrupp, put by Anna Lindqvist on the agenda
  of "Styrgrupp – februari 2026" (a held meeting booked here through the governance services) and decided
  there "enligt förslag" with its funding (180 000 kr). Kommunikationsplan 2027 is a draft.
- Quarterly reports: ordered as the beat job would (no person) for the two quarters before the current one;
  the job runs eagerly in `load_demo` without REDIS_URL, by the worker otherwise. Their figures are as of each
  quarter's end, from the history the demo has written.

Idempotent: publications, plans and reports are made only when missing.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from applications.models import Proposal
from governance import services as governance_services
from governance.enums import DecisionKind, MeetingKind
from governance.models import Meeting
from samverkan.demo import AGREEMENT_NAME, person
from samverkan.models import Agreement

from . import services
from .enums import ReportTrigger
from .models import CommunicationPlan, Publication
from .periods import Quarter

TZ = ZoneInfo("Europe/Stockholm")
COMMUNICATOR = "sara.holm@mdu.example"
LEADER = "anna.lindqvist@mdu.example"
CHAIR = "helena.wik@mdu.example"
FEBRUARY = "Styrgrupp – februari 2026"

PUBLISH = [
    "Energieffektiva bostäder och minskad segregation",
    "Unga entreprenörer i Eskilstuna",
    "Kulturarv och besöksnäring i Mälardalen",
    "Välfärdsteknik i hemtjänsten",
]

PLAN_2026 = {
    "purpose": (
        "Göra samverkansavtalets forskning känd hos medarbetare och förtroendevalda i kommunerna och hos "
        "forskare vid universitetet, och sprida resultaten till medborgare, företagare och besökare."
    ),
    "target_groups": "Medarbetare och chefer i kommunerna\nFörtroendevalda\nForskare vid universitetet\nMedborgare",
    "channels": "Nyhetsbrev (fyra per år)\nResultatspridningstillfällen kvartal 2 och 4\nIntranät och webb\nLokalmedia",
    "goals": [
        (
            "70 % av deltagarna vid resultatspridningen upplever att de fått ny kunskap",
            "Effektmål 1: ny kunskap (mål 70 %)",
        ),
        (
            "Alla nya projekt presenteras i nyhetsbrevet inom två månader efter beslut",
            "Nyckeltal: spridda resultat",
        ),
    ],
    "activities": [
        (
            "Vårens forskningsmöte – resultatspridning",
            "Medarbetare och chefer",
            "Seminarium",
            "Kvartal 2",
            "Sara Holm",
            85_000,
        ),
        (
            "Höstens forskningsmöte – resultatspridning",
            "Medarbetare och förtroendevalda",
            "Seminarium",
            "Kvartal 4",
            "Johan Berg",
            70_000,
        ),
        (
            "Nyhetsbrev om samverkansprojekten",
            "Alla målgrupper",
            "Nyhetsbrev",
            "Varje kvartal",
            "Sara Holm",
            25_000,
        ),
    ],
}


def _agreement() -> Agreement:
    return Agreement.objects.get(name=AGREEMENT_NAME)


def load(stdout=None) -> None:
    """Nothing to build before the other apps have moved their lifecycles (see `advance`)."""


def advance(stdout=None) -> None:
    agreement = _agreement()
    _publish(agreement)
    _plan_2026(agreement)
    _plan_2027(agreement)
    _quarterly_reports(agreement)


@transaction.atomic
def _publish(agreement) -> None:
    communicator = person(COMMUNICATOR)
    for proposal in Proposal.objects.filter(agreement=agreement, title__in=PUBLISH):
        if Publication.objects.filter(proposal=proposal).exists() or not proposal.popular_summary.strip():
            continue
        try:
            services.publication_publish(proposal=proposal, by=communicator, show_researcher=True)
        except Exception:  # a project not (yet) in a publishable state in this demo world
            continue


def _write(plan, spec, by) -> None:
    services.plan_update(
        plan=plan,
        by=by,
        purpose=spec["purpose"],
        target_groups=spec["target_groups"],
        channels=spec["channels"],
    )
    from .selectors import effect_goal_names

    # Link the goals to the agreement's own effect goals when the follow-up demo has made them.
    names = effect_goal_names(plan.agreement_id)
    for index, (text, effect) in enumerate(spec["goals"]):
        linked = names[index] if index < len(names) else effect
        services.goal_add(plan=plan, by=by, text=text, effect_goal=linked)
    for title, group, channel, timing, responsible, cost in spec["activities"]:
        services.activity_add(
            plan=plan,
            by=by,
            title=title,
            target_group=group,
            channel=channel,
            timing=timing,
            responsible=responsible,
            cost=cost,
        )


@transaction.atomic
def _plan_2026(agreement) -> None:
    if CommunicationPlan.objects.filter(agreement=agreement, year=2026).exists():
        return
    communicator, leader = person(COMMUNICATOR), person(LEADER)
    plan = services.plan_create(agreement=agreement, year=2026, by=communicator)
    _write(plan, PLAN_2026, communicator)
    services.plan_submit(plan=plan, by=communicator)
    meeting = Meeting.objects.filter(agreement=agreement, title=FEBRUARY).first()
    if meeting is None:
        start = datetime.datetime(2026, 2, 10, 13, 0, tzinfo=TZ)
        meeting = governance_services.meeting_create(
            agreement=agreement,
            by=leader,
            kind=MeetingKind.STEERING,
            title=FEBRUARY,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="Mälardalens universitet, Västerås, sal R1-131",
            chair=person(CHAIR),
            secretary=leader,
        )
    plan.refresh_from_db()
    plan = services.plan_schedule(plan=plan, by=leader, meeting=meeting)
    governance_services.decision_by_acclamation(
        item=plan.agenda_item,
        by=leader,
        kind=DecisionKind.COMMUNICATION_PLAN,
        text="Styrgruppen fastställer kommunikationsplanen för 2026 och dess finansiering.",
        amounts={2026: services.plan_total(plan)},
    )
    governance_services.meeting_mark_held(meeting=meeting, by=leader)


@transaction.atomic
def _plan_2027(agreement) -> None:
    if CommunicationPlan.objects.filter(agreement=agreement, year=2027).exists():
        return
    communicator = person(COMMUNICATOR)
    plan = services.plan_create(agreement=agreement, year=2027, by=communicator)
    services.plan_update(
        plan=plan,
        by=communicator,
        purpose="Utkast: fortsätta resultatspridningen och nå fler förtroendevalda.",
        target_groups="Förtroendevalda\nMedarbetare i kommunerna",
        channels="Resultatspridningstillfällen\nNyhetsbrev",
    )


def _quarterly_reports(agreement) -> None:
    last = Quarter.current().previous()
    for quarter in (last.previous(), last):
        with transaction.atomic():
            services.report_request(
                agreement=agreement, quarter=quarter, by=None, trigger=ReportTrigger.SCHEDULE
            )
