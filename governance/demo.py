"""The demo world's governance: two held kommungemensamma beredningar, a held styrgrupp meeting with a closed
vote, a grant and approved minutes (with their PDF), and an upcoming styrgrupp meeting with an open vote.

The story (the applications demo has submitted "Inkludering av nyanlända i föreningslivet" and put
"Energieffektiva bostäder och minskad segregation" under beredning):

1. Kommungemensam beredning, kvartal 3 – tisdag 15 september 2026 (held). "Energieffektiva bostäder och
   minskad segregation" is assessed by Karin Sjöberg (university: research quality and ambition), Olof Strand
   and Fatima Ali (municipalities: benefit and effects); the beredning forwards it → Till styrgrupp.
2. Styrgrupp – tisdag 6 oktober 2026 (held, minutes approved). §1 the application: Mats Larsson declares
   jäv (he sits on the board of Eskilstuna Energi och Miljö AB, the municipal party of the application);
   Ingrid Falk serves as ersättare for Eskilstuna kommun that month (a styrgrupp role valid in October 2026
   only, so that Eskilstuna can still form a position: with one member per party, a party whose only member
   is recused has no quorum). Everyone else votes bifall; the vote closes itself; the chair records the
   grant with amounts per year → Beviljad. §2 information on the budget, noted "enligt förslag". The
   secretary Anna Lindqvist writes the minutes, Mats Larsson is the adjuster; the chair and he approve them
   and the PDF is rendered (eagerly in `load_demo` without REDIS_URL, by the worker otherwise).
3. Kommungemensam beredning, kvartal 4 – tisdag 17 november 2026 (held). "Inkludering av nyanlända i
   föreningslivet" is scheduled (→ Under beredning), assessed by the same three members and forwarded; the
   service puts it on the next styrgrupp agenda.
4. Styrgrupp – tisdag 8 december 2026 (upcoming, kallat): an open online vote on "Inkludering…" with the
   meeting's start as deadline; Helena Wik and Nils Öberg have already voted.

The services run as the right people (they check permissions); because they stamp "now", the past meetings'
own timestamps (invitation, assessments, outcome, vote, ballots, jäv, decision, justering) are set afterwards
with queryset.update() so that the minutes and the PDF tell the story's dates. The proposals' history
(ProposalTransition) is append-only and is left exactly as the services wrote it: complete and in order, stamped
with the time the demo was built (its comments name the meetings). If the demo runs after 8 December 2026, the
upcoming meeting moves to two weeks ahead.

Idempotent: each meeting is looked up by body and title and built only once; a second run changes nothing.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.demo import AGREEMENT_NAME, person
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation, RoleAssignment

from . import services
from .enums import AttendanceStatus, Choice, DecisionKind, MeetingKind, ReviewOutcome
from .models import AgendaItem, Assessment, Ballot, Decision, Meeting, Minutes, Recusal, Vote

TZ = ZoneInfo("Europe/Stockholm")
S = ProposalState

ENERGY = "Energieffektiva bostäder och minskad segregation"
INCLUSION = "Inkludering av nyanlända i föreningslivet"

SECRETARY = "anna.lindqvist@mdu.example"
REVIEW_CHAIR = "karin.sjoberg@mdu.example"
REVIEWERS = ["karin.sjoberg@mdu.example", "olof.strand@eskilstuna.example", "fatima.ali@vasteras.example"]
CHAIR = "helena.wik@mdu.example"
ADJUSTER = "mats.larsson@eskilstuna.example"
DEPUTY = "ingrid.falk@eskilstuna.example"
STEERING = [CHAIR, ADJUSTER, "eva.persson@vasteras.example", "nils.oberg@strangnas.example"]

Q3_REVIEW = "Kommungemensam beredning kvartal 3 2026"
OCTOBER = "Styrgruppsmöte oktober 2026"
Q4_REVIEW = "Kommungemensam beredning kvartal 4 2026"
DECEMBER = "Styrgruppsmöte december 2026"
PLACE = "Mälardalens universitet, Eskilstuna, sal U2-024"
VIDEO = "https://video.mdu.example/samverkan-styrgrupp"

JAV_REASON = "Ledamot i styrelsen för Eskilstuna Energi och Miljö AB, som är kommunal part i ansökan"  # minuted as given
GRANT_AMOUNTS = {2027: 996_000, 2028: 528_000}

# Scores per reviewer and proposal: (perspective scores, nine criteria, comment, proposed goals)
SCORES = {
    ENERGY: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 5},
            [4, 4, 3, 4, 4, 4, 5, 4, 3],
            "Väl avgränsad jämförande fallstudie; energidata och enkäter kompletterar varandra.",
            "Resultaten presenteras vid ett resultatspridningstillfälle 2028.",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 5, "effects": 4},
            [5, 4, 4, 4, 4, 4, 5, 5, 4],
            "Direkt nytta för renoveringsplaneringen i Eskilstuna; boendedialogerna är centrala.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 4, "effects": 4},
            [4, 4, 4, 3, 4, 4, 4, 4, 3],
            "Intressant även för Västerås miljonprogramsområden – sprid erfarenheterna.",
            "",
        ),
    },
    INCLUSION: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 4},
            [4, 5, 4, 4, 4, 4, 4, 5, 4],
            "Aktionsforskningen är väl förankrad; registerdelen behöver en tydligare etikprövningsplan.",
            "",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 4, "effects": 3},
            [4, 4, 3, 4, 4, 4, 4, 4, 3],
            "Bra för föreningsstödet; effekterna för kommunen bör följas upp efter projektet.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 5, "effects": 5},
            [5, 5, 4, 4, 5, 4, 5, 5, 4],
            "Mycket efterfrågat i stadsdelarna; föreningarna är redan engagerade.",
            "En vägledning för föreningsbidrag tas fram tillsammans med stadens fritidsförvaltning.",
        ),
    },
}


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


Q3_DAY = datetime.date(2026, 9, 15)
OCTOBER_DAY = datetime.date(2026, 10, 6)
Q4_DAY = datetime.date(2026, 11, 17)


def _december_start() -> datetime.datetime:
    planned = _at(datetime.date(2026, 12, 8), 13)
    if planned > timezone.now() + datetime.timedelta(days=1):
        return planned
    return _at(timezone.localdate() + datetime.timedelta(days=14), 13)


def _agreement() -> Agreement:
    return Agreement.objects.get(name=AGREEMENT_NAME)


def _meeting(agreement, kind: str, title: str) -> Meeting | None:
    return Meeting.objects.filter(agreement=agreement, kind=kind, title=title).first()


def _proposal(agreement, title: str) -> Proposal | None:
    return Proposal.objects.filter(agreement=agreement, title=title).first()


def load(stdout=None) -> None:
    """The meeting bodies (styrgrupp, kommungemensam beredning, a beredningsgrupp per municipality)."""
    services.ensure_bodies(_agreement())


@transaction.atomic
def advance(stdout=None) -> None:
    agreement = _agreement()
    services.ensure_bodies(agreement)
    energy, inclusion = _proposal(agreement, ENERGY), _proposal(agreement, INCLUSION)
    # Each step runs once, when its meeting does not exist yet and the proposal is where the story needs it.
    if (
        energy
        and energy.state == S.IN_REVIEW
        and not _meeting(agreement, MeetingKind.JOINT_REVIEW, Q3_REVIEW)
    ):
        _q3_review(agreement, energy)
        energy.refresh_from_db()
    if (
        energy
        and energy.state == S.AWAITING_DECISION
        and not _meeting(agreement, MeetingKind.STEERING, OCTOBER)
    ):
        _october_steering(agreement, energy)
    if (
        inclusion
        and inclusion.state == S.SUBMITTED
        and not _meeting(agreement, MeetingKind.JOINT_REVIEW, Q4_REVIEW)
    ):
        _q4_review_and_december(agreement, inclusion)


# --- 1. the Q3 beredning ---------------------------------------------------------------------------------


def _book(agreement, *, kind, title, starts_at, hours, chair, location=PLACE, video_link="") -> Meeting:
    return services.meeting_create(
        agreement=agreement,
        by=person(SECRETARY),
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        location=location,
        video_link=video_link,
        chair=person(chair),
        secretary=person(SECRETARY),
    )


def _assess_and_forward(meeting: Meeting, item: AgendaItem, title: str, motivation: str, goals: str) -> None:
    for email, (scores, criteria, comment, proposed) in SCORES[title].items():
        services.assessment_save(
            item=item,
            by=person(email),
            scores=scores,
            criteria={n: (score, "") for n, score in enumerate(criteria, start=1)},
            comment=comment,
            proposed_goals=proposed,
            submit=True,
        )
    services.attendance_set(
        meeting=meeting,
        by=person(SECRETARY),
        statuses={person(email).pk: AttendanceStatus.PRESENT for email in REVIEWERS},
    )
    services.outcome_record(
        item=item, by=person(SECRETARY), outcome=ReviewOutcome.FORWARD, motivation=motivation, goals=goals
    )


def _backdate_review(
    meeting: Meeting, invited_at: datetime.datetime, *, outcome_at: datetime.datetime
) -> None:
    start = meeting.starts_at
    Meeting.objects.filter(pk=meeting.pk).update(created_at=invited_at, invitation_sent_at=invited_at)
    assessments = Assessment.objects.filter(item__meeting=meeting).order_by("pk")
    for index, assessment in enumerate(assessments):
        when = start - datetime.timedelta(days=2, hours=index * 3)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=when, updated_at=when)
    AgendaItem.objects.filter(meeting=meeting, outcome__gt="").update(outcome_at=outcome_at)


def _q3_review(agreement, energy: Proposal) -> None:
    start = _at(Q3_DAY, 13)
    meeting = _book(
        agreement,
        kind=MeetingKind.JOINT_REVIEW,
        title=Q3_REVIEW,
        starts_at=start,
        hours=3,
        chair=REVIEW_CHAIR,
    )
    item = services.item_add(meeting=meeting, by=person(SECRETARY), proposal=energy, duration_minutes=30)
    services.invitation_send(meeting=meeting, by=person(SECRETARY))
    _assess_and_forward(
        meeting,
        item,
        ENERGY,
        motivation="Hög forskningskvalitet och tydlig nytta för kommunerna; ansökan tillstyrks.",
        goals="Två renoveringsprojekt följs. Boendedialoger genomförs i båda områdena.",
    )
    services.meeting_mark_held(meeting=meeting, by=person(SECRETARY))
    _backdate_review(meeting, _at(datetime.date(2026, 8, 31), 9), outcome_at=_at(Q3_DAY, 15, 10))


# --- 2. the October styrgrupp ----------------------------------------------------------------------------


def _deputy_for_october(agreement) -> None:
    """Ingrid Falk serves as ersättare for Eskilstuna kommun in October 2026 (see the module docstring)."""
    RoleAssignment.objects.update_or_create(
        user=person(DEPUTY),
        agreement=agreement,
        organisation=Organisation.objects.get(name="Eskilstuna kommun"),
        role=Role.STEERING_MEMBER,
        valid_from=datetime.date(2026, 10, 1),
        defaults={"valid_to": datetime.date(2026, 10, 31), "title": "Ersättare i styrgruppen"},
    )


def _october_steering(agreement, energy: Proposal) -> None:
    _deputy_for_october(agreement)
    secretary, chair = person(SECRETARY), person(CHAIR)
    start = _at(OCTOBER_DAY, 13)
    meeting = _book(
        agreement, kind=MeetingKind.STEERING, title=OCTOBER, starts_at=start, hours=2, chair=CHAIR
    )
    item = services.item_add(meeting=meeting, by=secretary, proposal=energy, duration_minutes=30)
    info = services.item_add(
        meeting=meeting,
        by=secretary,
        title="Budgetläge och uppföljning 2026",
        description="Processledaren redovisade utfallet mot budgetramen till och med september.",
    )
    services.invitation_send(meeting=meeting, by=secretary)
    statuses = {person(email).pk: AttendanceStatus.PRESENT for email in [*STEERING, DEPUTY]}
    statuses[person("nils.oberg@strangnas.example").pk] = AttendanceStatus.LATE
    services.attendance_set(
        meeting=meeting,
        by=secretary,
        statuses=statuses,
        notes={person("nils.oberg@strangnas.example").pk: "från 13.15, deltog i §1"},
    )
    vote = services.vote_open(item=item, by=secretary)
    services.recusal_declare(vote=vote, by=person(ADJUSTER), reason=JAV_REASON)
    for email in (CHAIR, DEPUTY, "eva.persson@vasteras.example", "nils.oberg@strangnas.example"):
        services.ballot_cast(vote=vote, by=person(email), choice=Choice.YES)
    vote.refresh_from_db()  # the last ballot closed the vote
    services.decision_from_vote(
        vote=vote,
        by=chair,
        kind=DecisionKind.GRANT,
        text=(
            f"Styrgruppen beviljar ansökan ”{ENERGY}” medel ur samverkansavtalet för 2027–2028 i enlighet "
            "med beredningens förslag."
        ),
        amounts=GRANT_AMOUNTS,
        conditions=(
            "Medlen betalas ut när beslutsunderlaget är undertecknat av båda parter. En lägesrapport lämnas "
            "efter sex månader."
        ),
        activity_goals="Två renoveringsprojekt följs. Boendedialoger genomförs i båda områdena.",
    )
    services.decision_by_acclamation(
        item=info,
        by=chair,
        kind=DecisionKind.OTHER,
        text="Styrgruppen lägger informationen till handlingarna.",
    )
    services.meeting_mark_held(meeting=meeting, by=secretary)

    # The meeting happened on 6 October: its timestamps say so before the minutes are written.
    Meeting.objects.filter(pk=meeting.pk).update(
        created_at=_at(datetime.date(2026, 9, 16), 9), invitation_sent_at=_at(datetime.date(2026, 9, 22), 9)
    )
    Vote.objects.filter(pk=vote.pk).update(
        opened_at=_at(OCTOBER_DAY, 13, 20), closed_at=_at(OCTOBER_DAY, 13, 42)
    )
    Recusal.objects.filter(vote=vote).update(declared_at=_at(OCTOBER_DAY, 13, 21))
    for minute, ballot in enumerate(Ballot.objects.filter(vote=vote).order_by("pk"), start=25):
        Ballot.objects.filter(pk=ballot.pk).update(
            cast_at=_at(OCTOBER_DAY, 13, minute), changed_at=_at(OCTOBER_DAY, 13, minute)
        )
    Decision.objects.filter(meeting=meeting).update(created_at=_at(OCTOBER_DAY, 13, 45))

    services.minutes_save(
        meeting=meeting, by=secretary, text=services.minutes_draft_text(meeting), adjuster=person(ADJUSTER)
    )
    minutes = Minutes.objects.get(meeting=meeting)
    services.minutes_approve(minutes=minutes, by=chair)
    services.minutes_approve(minutes=minutes, by=person(ADJUSTER))
    # Justerat in the week after the meeting; the PDF (rendered after commit) shows these times.
    Minutes.objects.filter(pk=minutes.pk).update(
        chair_approved_at=_at(datetime.date(2026, 10, 9), 10, 12),
        adjuster_approved_at=_at(datetime.date(2026, 10, 12), 8, 47),
        approved_at=_at(datetime.date(2026, 10, 12), 8, 47),
    )


# --- 3. and 4. the Q4 beredning and the December styrgrupp ------------------------------------------------


def _q4_review_and_december(agreement, inclusion: Proposal) -> None:
    secretary = person(SECRETARY)
    start = _at(Q4_DAY, 13)
    review = _book(
        agreement,
        kind=MeetingKind.JOINT_REVIEW,
        title=Q4_REVIEW,
        starts_at=start,
        hours=3,
        chair=REVIEW_CHAIR,
    )
    item = services.item_add(meeting=review, by=secretary, proposal=inclusion, duration_minutes=30)
    services.invitation_send(meeting=review, by=secretary)

    # The December styrgrupp is booked first, so that forwarding puts the application on its agenda.
    december = _december_start()
    steering = _book(
        agreement,
        kind=MeetingKind.STEERING,
        title=DECEMBER,
        starts_at=december,
        hours=2,
        chair=CHAIR,
        video_link=VIDEO,
    )
    _assess_and_forward(
        review,
        item,
        INCLUSION,
        motivation="Väl förankrad i föreningslivet och stor nytta för kommunerna; ansökan tillstyrks.",
        goals="Fyra föreningar prövar nya former för introduktion. En vägledning för föreningsbidrag tas fram.",
    )
    services.meeting_mark_held(meeting=review, by=secretary)
    _backdate_review(review, _at(datetime.date(2026, 11, 2), 9), outcome_at=_at(Q4_DAY, 15))

    decision_item = steering.items.get(proposal=inclusion)
    services.item_add(
        meeting=steering,
        by=secretary,
        title="Resultatspridning och kommunikationsplan 2027",
        description="Kommunikatörerna presenterar förslaget till kommunikationsplan för 2027.",
    )
    services.invitation_send(meeting=steering, by=secretary)
    vote = services.vote_open(item=decision_item, by=secretary, deadline=december)
    services.ballot_cast(vote=vote, by=person(CHAIR), choice=Choice.YES)
    services.ballot_cast(vote=vote, by=person("nils.oberg@strangnas.example"), choice=Choice.YES)


def summary() -> dict:
    """What the demo's governance looks like (for tests and the curious)."""
    agreement = _agreement()
    return {
        title: Meeting.objects.filter(agreement=agreement, title=title)
        .values_list("status", flat=True)
        .first()
        for title in (Q3_REVIEW, OCTOBER, Q4_REVIEW, DECEMBER)
    }
