"""The governance demo's story, meeting by meeting (the story is told in governance/demo/__init__.py)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.models import Proposal
from samverkan.demo import AGREEMENT_NAME, person
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation, RoleAssignment

from .. import services
from ..enums import AttendanceStatus, Choice, DecisionKind, MeetingKind, ReviewOutcome
from ..models import (
    AgendaItem,
    Assessment,
    Ballot,
    Decision,
    Meeting,
    Minutes,
    Recusal,
    Vote,
)
from .cast import (
    ADJUSTER,
    CHAIR,
    DECEMBER,
    DEPUTY,
    ENERGY,
    GRANT_AMOUNTS,
    INCLUSION,
    JAV_REASON,
    OCTOBER,
    OCTOBER_DAY,
    PLACE,
    PRESCHOOL,
    PRESCHOOL_AMOUNTS,
    PRESCHOOL_GOALS,
    PRESCHOOL_SPEC,
    Q3_DAY,
    Q3_REVIEW,
    Q4_DAY,
    Q4_REVIEW,
    REVIEW_CHAIR,
    REVIEWERS,
    SCORES,
    SECRETARY,
    STEERING,
    S,
    local_time,
)
from .documents import decision_documents


def _december_start() -> datetime.datetime:
    # At least ten days ahead, so that a meeting booked within the next week (as the browser walks do) always
    # comes first and gets the applications forwarded from beredning: 8 December 2026, or else the first
    # Tuesday two weeks ahead (a styrgrupp meets on a weekday).
    planned = local_time(datetime.date(2026, 12, 8), 13)
    if planned > timezone.now() + datetime.timedelta(days=10):
        return planned
    day = timezone.localdate() + datetime.timedelta(days=14)
    return local_time(day + datetime.timedelta(days=(1 - day.weekday()) % 7), 13)


def _agreement() -> Agreement:
    return Agreement.objects.get(name=AGREEMENT_NAME)


def _meeting(agreement, kind: str, title: str) -> Meeting | None:
    return Meeting.objects.filter(agreement=agreement, kind=kind, title=title).first()


def _proposal(agreement, title: str) -> Proposal | None:
    return Proposal.objects.filter(agreement=agreement, title=title).first()


@transaction.atomic
def load(stdout=None) -> None:
    """The meeting bodies (styrgrupp, kommungemensam beredning, a beredningsgrupp per municipality), and the
    application "Språkutveckling i förskolan…" – only while the October styrgrupp, which decides it, has not
    been held yet (so that an older demo database is not given an application its story cannot place)."""
    agreement = _agreement()
    services.ensure_bodies(agreement)
    if not _proposal(agreement, PRESCHOOL) and not _meeting(agreement, MeetingKind.STEERING, OCTOBER):
        _write_preschool_application(agreement)


def _write_preschool_application(agreement) -> None:
    spec = PRESCHOOL_SPEC
    researcher, officer = person(spec["researcher"]), person(spec["officer"])
    organisation = Organisation.objects.get(name=spec["organisation"])
    proposal = application_services.proposal_create(
        agreement=agreement,
        by=researcher,
        title=PRESCHOOL,
        work_form="projekt",
        responsible_officer=officer,
        municipal_organisations=[organisation],
        summary=spec["summary"],
    )
    proposal = application_services.proposal_update(
        proposal=proposal,
        by=researcher,
        research_question=spec["research_question"],
        scientific_ambition=spec["scientific_ambition"],
        popular_summary=spec["popular_summary"],
        planned_start=datetime.date(2027, 1, 1),
        planned_end=datetime.date(2028, 6, 30),
    )
    application_services.proposal_set_activity_goals(proposal=proposal, by=researcher, goals=spec["goals"])
    proposal = application_services.proposal_transition(
        proposal=proposal, name="to_application", by=researcher
    )
    if proposal.application_template_id:
        application_services.proposal_save_sections(
            proposal=proposal,
            by=researcher,
            texts={
                s.pk: f"{s.title}: {spec['summary']} {spec['research_question']}"
                for s in proposal.application_template.sections.all()
            },
        )
    application_services.proposal_confirm_anchoring(proposal=proposal, by=officer, organisation=organisation)


@transaction.atomic
def advance(stdout=None) -> None:
    agreement = _agreement()
    services.ensure_bodies(agreement)
    energy, inclusion = _proposal(agreement, ENERGY), _proposal(agreement, INCLUSION)
    preschool = _proposal(agreement, PRESCHOOL)
    if (
        preschool
        and preschool.state == S.APPLICATION
        and preschool.is_complete()
        and preschool.anchoring_confirmed()
    ):
        preschool = application_services.proposal_transition(
            proposal=preschool, name="submit", by=preschool.responsible_researcher
        )
    # Each step runs once, when its meeting does not exist yet and the proposal is where the story needs it.
    if (
        energy
        and energy.state in (S.SUBMITTED, S.IN_REVIEW)
        and not _meeting(agreement, MeetingKind.JOINT_REVIEW, Q3_REVIEW)
    ):
        _q3_review(agreement, energy, preschool if preschool and preschool.state == S.SUBMITTED else None)
        energy.refresh_from_db()
        if preschool:
            preschool.refresh_from_db()
    if (
        energy
        and energy.state == S.AWAITING_DECISION
        and not _meeting(agreement, MeetingKind.STEERING, OCTOBER)
    ):
        _october_steering(
            agreement, energy, preschool if preschool and preschool.state == S.AWAITING_DECISION else None
        )
    october = _meeting(agreement, MeetingKind.STEERING, OCTOBER)
    if october is not None and october.decisions.filter(kind=DecisionKind.GRANT).exists():
        decision_documents(october)
    if (
        inclusion
        and inclusion.state == S.SUBMITTED
        and not _meeting(agreement, MeetingKind.JOINT_REVIEW, Q4_REVIEW)
    ):
        _q4_review_and_december(agreement, inclusion)


# --- 1. the Q3 beredning ---------------------------------------------------------------------------------


def _book(
    agreement, *, kind, title, starts_at, hours, chair, location=PLACE, video_link="", per_capsulam=False
) -> Meeting:
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
        per_capsulam=per_capsulam,
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


def _q3_review(agreement, energy: Proposal, preschool: Proposal | None) -> None:
    start = local_time(Q3_DAY, 13)
    meeting = _book(
        agreement,
        kind=MeetingKind.JOINT_REVIEW,
        title=Q3_REVIEW,
        starts_at=start,
        hours=3,
        chair=REVIEW_CHAIR,
    )
    item = services.item_add(meeting=meeting, by=person(SECRETARY), proposal=energy, duration_minutes=30)
    preschool_item = None
    if preschool is not None:
        preschool_item = services.item_add(
            meeting=meeting, by=person(SECRETARY), proposal=preschool, duration_minutes=30
        )
    services.invitation_send(meeting=meeting, by=person(SECRETARY))
    _assess_and_forward(
        meeting,
        item,
        ENERGY,
        motivation="Hög forskningskvalitet och tydlig nytta för kommunerna; ansökan tillstyrks.",
        goals="Två renoveringsprojekt följs. Boendedialoger genomförs i båda områdena.",
    )
    if preschool_item is not None:
        _assess_and_forward(
            meeting,
            preschool_item,
            PRESCHOOL,
            motivation=(
                "Väl förankrad i förskolans vardag, med vårdnadshavarna som parter; nytta i alla tre "
                "kommunerna. Ansökan tillstyrks."
            ),
            goals=PRESCHOOL_GOALS,
        )
    services.meeting_mark_held(meeting=meeting, by=person(SECRETARY))
    _backdate_review(
        meeting, local_time(datetime.date(2026, 8, 31), 9), outcome_at=local_time(Q3_DAY, 15, 10)
    )


# --- 2. the October styrgrupp ----------------------------------------------------------------------------


def _deputy_for_october(agreement) -> None:
    """Ingrid Falk is Eskilstuna kommun's ersättare in the styrgrupp (see the module docstring)."""
    RoleAssignment.objects.update_or_create(
        user=person(DEPUTY),
        agreement=agreement,
        organisation=Organisation.objects.get(name="Eskilstuna kommun"),
        role=Role.STEERING_DEPUTY,
        valid_from=datetime.date(2026, 1, 1),
        defaults={"title": "Ersättare i styrgruppen"},
    )


def _october_steering(agreement, energy: Proposal, preschool: Proposal | None) -> None:
    _deputy_for_october(agreement)
    secretary, chair = person(SECRETARY), person(CHAIR)
    start = local_time(OCTOBER_DAY, 13)
    meeting = _book(
        agreement, kind=MeetingKind.STEERING, title=OCTOBER, starts_at=start, hours=2, chair=CHAIR
    )
    item = services.item_add(meeting=meeting, by=secretary, proposal=energy, duration_minutes=30)
    preschool_item = None
    if preschool is not None:
        preschool_item = services.item_add(
            meeting=meeting, by=secretary, proposal=preschool, duration_minutes=20
        )
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
    # Only the parties of the project decide it: the university and Eskilstuna (its company is the municipal
    # party); Ingrid Falk holds Mats Larsson's seat. Västerås and Strängnäs do not vote on it.
    for email in (CHAIR, DEPUTY):
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
    if preschool_item is not None:
        services.decision_by_acclamation(
            item=preschool_item,
            by=chair,
            kind=DecisionKind.GRANT,
            text=(
                f"Styrgruppen beviljar ansökan ”{PRESCHOOL}” medel ur samverkansavtalet för 2027–2028 enligt "
                "beredningens förslag."
            ),
            amounts=PRESCHOOL_AMOUNTS,
            conditions=(
                "Medlen betalas ut när beslutsunderlaget är undertecknat av båda parter. Metodmaterialet redovisas "
                "vid resultatspridningen kvartal 4 2027."
            ),
            activity_goals=PRESCHOOL_GOALS,
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
        created_at=local_time(datetime.date(2026, 9, 16), 9),
        invitation_sent_at=local_time(datetime.date(2026, 9, 22), 9),
    )
    Vote.objects.filter(pk=vote.pk).update(
        opened_at=local_time(OCTOBER_DAY, 13, 20), closed_at=local_time(OCTOBER_DAY, 13, 42)
    )
    Recusal.objects.filter(vote=vote).update(declared_at=local_time(OCTOBER_DAY, 13, 21))
    for minute, ballot in enumerate(Ballot.objects.filter(vote=vote).order_by("pk"), start=25):
        Ballot.objects.filter(pk=ballot.pk).update(
            cast_at=local_time(OCTOBER_DAY, 13, minute), changed_at=local_time(OCTOBER_DAY, 13, minute)
        )
    Decision.objects.filter(meeting=meeting).update(created_at=local_time(OCTOBER_DAY, 13, 45))

    services.minutes_save(
        meeting=meeting, by=secretary, text=services.minutes_draft_text(meeting), adjuster=person(ADJUSTER)
    )
    minutes = Minutes.objects.get(meeting=meeting)
    services.minutes_approve(minutes=minutes, by=chair)
    services.minutes_approve(minutes=minutes, by=person(ADJUSTER))
    # Justerat in the week after the meeting; the PDF (rendered after commit) shows these times.
    Minutes.objects.filter(pk=minutes.pk).update(
        chair_approved_at=local_time(datetime.date(2026, 10, 9), 10, 12),
        adjuster_approved_at=local_time(datetime.date(2026, 10, 12), 8, 47),
        approved_at=local_time(datetime.date(2026, 10, 12), 8, 47),
    )


# --- 3. and 4. the Q4 beredning and the December styrgrupp ------------------------------------------------


def _q4_review_and_december(agreement, inclusion: Proposal) -> None:
    secretary = person(SECRETARY)
    start = local_time(Q4_DAY, 13)
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

    # The December styrgrupp is booked first, so that forwarding puts the application on its agenda. It
    # decides per capsulam (the members vote online until the meeting's end), so its vote is open before its
    # date – an ordinary meeting's votes open only when it has started.
    december = _december_start()
    steering = _book(
        agreement,
        kind=MeetingKind.STEERING,
        title=DECEMBER,
        starts_at=december,
        hours=2,
        chair=CHAIR,
        location="",
        per_capsulam=True,
    )
    _assess_and_forward(
        review,
        item,
        INCLUSION,
        motivation="Väl förankrad i föreningslivet och stor nytta för kommunerna; ansökan tillstyrks.",
        goals="Fyra föreningar prövar nya former för introduktion. En vägledning för föreningsbidrag tas fram.",
    )
    services.meeting_mark_held(meeting=review, by=secretary)
    _backdate_review(review, local_time(datetime.date(2026, 11, 2), 9), outcome_at=local_time(Q4_DAY, 15))

    decision_item = steering.items.get(proposal=inclusion)
    services.item_add(
        meeting=steering,
        by=secretary,
        title="Resultatspridning och kommunikationsplan 2027",
        description="Kommunikatörernas förslag till kommunikationsplan för 2027 skickas med kallelsen.",
    )
    services.invitation_send(meeting=steering, by=secretary)
    vote = services.vote_open(item=decision_item, by=secretary, deadline=steering.ends_at)
    # The parties of "Inkludering…" are the university and Västerås: Helena Wik has voted, Eva Persson not yet.
    services.ballot_cast(vote=vote, by=person(CHAIR), choice=Choice.YES)


def summary() -> dict:
    """What the demo's governance looks like (for tests and the curious)."""
    agreement = _agreement()
    return {
        title: Meeting.objects.filter(agreement=agreement, title=title)
        .values_list("status", flat=True)
        .first()
        for title in (Q3_REVIEW, OCTOBER, Q4_REVIEW, DECEMBER)
    }
