"""The demo world's governance: two held kommungemensamma beredningar, a held styrgrupp meeting with a closed
vote, two grants with their signed decision documents and approved minutes (with their PDF), and an
upcoming styrgrupp meeting with an open vote.

The story (the applications demo has submitted "Inkludering av nyanlända i föreningslivet" and put
"Energieffektiva bostäder och minskad segregation" under beredning; this module's `load` adds one more
finished application from Västerås, "Språkutveckling i förskolan – tidiga insatser i flerspråkiga områden", which
budget from the budget demo and is submitted by `advance`):

1. Kommungemensam beredning, kvartal 3 – tisdag 15 september 2026 (held). "Energieffektiva bostäder och
   minskad segregation" and "Språkutveckling i förskolan…" are assessed by Karin Sjöberg (university:
   research quality and ambition), Olof Strand and Fatima Ali (municipalities: benefit and effects); the
   beredning forwards both → Till styrgrupp.
2. Styrgrupp – tisdag 6 oktober 2026 (held, minutes approved). §1 "Energieffektiva…": Mats Larsson declares
   jäv (he sits on the board of Eskilstuna Energi och Miljö AB, the municipal party of the application);
   Ingrid Falk serves as ersättare for Eskilstuna kommun that month (a styrgrupp role valid in October 2026
   only, so that Eskilstuna can still form a position: with one member per party, a party whose only member
   is recused has no quorum). Everyone else votes bifall; the vote closes itself; the chair records the
   grant with amounts per year → Beviljad. §2 "Språkutveckling i förskolan…": nobody asks for a vote, the
   chair declares the grant "enligt förslag" → Beviljad. §3 information on the budget, noted "enligt
   förslag". The secretary Anna Lindqvist writes the minutes, Mats Larsson is the adjuster; the chair and he
   approve them and the PDF is rendered (eagerly in `load_demo` without REDIS_URL, by the worker otherwise).
   The decision documents after the meeting (`_decision_documents`; demo signing keys from
   `create_signing_certificates` in SIGNING_DIR): the beslutsunderlag for §1 is signed by the rektor Paul
   Pettersson and – the municipal party being Eskilstuna Energi och Miljö AB – its kommunbolagschef Stefan
   Lund, registered in MDU's diarium by Anna Lindqvist and in the company's (EEM-…) by Erik Johansson,
   Eskilstuna's processledare; the project account is entered and the project starts → Pågående. The
   beslutsunderlag for §2 is signed by the rektor only: Västerås stadsdirektör Birgitta Ros has yet to sign.
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
The decision documents are generated once (document_generate returns the existing one), and every signature,
registration and the start are made only when missing – a signature changes the PDF's bytes (its signing
time), so it must never be applied twice.
"""

from __future__ import annotations

import datetime
import fcntl
import io
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.demo import AGREEMENT_NAME, DEMO_PASSWORD, person
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation, RoleAssignment

from . import services, signing
from .enums import AttendanceStatus, Choice, DecisionKind, DocumentStatus, MeetingKind, ReviewOutcome
from .models import (
    AgendaItem,
    Assessment,
    Ballot,
    Decision,
    DecisionDocument,
    DocumentSignature,
    Meeting,
    Minutes,
    Recusal,
    Vote,
)
from .services import documents

TZ = ZoneInfo("Europe/Stockholm")
S = ProposalState

ENERGY = "Energieffektiva bostäder och minskad segregation"
INCLUSION = "Inkludering av nyanlända i föreningslivet"
PRESCHOOL = "Språkutveckling i förskolan – tidiga insatser i flerspråkiga områden"

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
PRESCHOOL_AMOUNTS = {2027: 860_000, 2028: 455_000}

RECTOR = "paul.pettersson@mdu.example"
ENERGY_DIARIUM = {"MDU": "MDU-2026/1187", "EEM": "EEM-2026/412"}  # per diarium prefix
ENERGY_ACCOUNT = "MDU-71304"

# The application this module adds (load), written and anchored through the services like the
# applications demo's; the budget demo gives it its budget before `advance` submits it.
PRESCHOOL_SPEC = {
    "researcher": "maria.nilsson@mdu.example",
    "officer": "sofia.andersson@vasteras.example",
    "organisation": "Västerås stad",
    "summary": "Hur kan förskolan tillsammans med vårdnadshavare och bibliotek stärka språkutvecklingen hos "
    "barn i flerspråkiga bostadsområden?",
    "research_question": "Vilka arbetssätt i förskolan stärker barns språkutveckling på svenska och på "
    "modersmålet, och hur når de hemmen?",
    "scientific_ambition": "Praktiknära forskning i sex förskolor i tre stadsdelar med språkbedömningar "
    "före och efter och intervjuer med pedagoger och vårdnadshavare.",
    "popular_summary": "Språket är nyckeln till skolan. Projektet prövar hur förskolan och föräldrarna "
    "tillsammans kan ge alla barn en bra start.",
    "goals": [
        "Sex förskolor prövar arbetssätten under två terminer",
        "Ett metodmaterial för språkstödjande samtal med vårdnadshavare tas fram",
    ],
}
# One goal a line (the beslutsunderlag lists them), each a sentence (the minutes run them together).
PRESCHOOL_GOALS = "\n".join(f"{goal}." for goal in PRESCHOOL_SPEC["goals"])

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
    PRESCHOOL: {
        "karin.sjoberg@mdu.example": (
            {"research_quality": 4, "research_ambition": 4},
            [4, 4, 4, 4, 4, 5, 4, 5, 3],
            "Tydlig design; bra att språkbedömningarna före och efter är planerade från början.",
            "",
        ),
        "olof.strand@eskilstuna.example": (
            {"benefit": 4, "effects": 4},
            [4, 4, 4, 4, 4, 4, 4, 4, 4],
            "Metodmaterialet kan användas i alla tre kommunerna.",
            "",
        ),
        "fatima.ali@vasteras.example": (
            {"benefit": 5, "effects": 4},
            [5, 4, 4, 4, 4, 5, 5, 5, 4],
            "Efterfrågat av förskoleförvaltningen och stadsbiblioteket.",
            "Metodmaterialet presenteras för förskolecheferna i alla tre kommunerna.",
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
    # At least ten days ahead, so that a meeting booked within the next week (as the browser walks do) always
    # comes first and gets the applications forwarded from beredning: 8 December 2026, or else the first
    # Tuesday two weeks ahead (a styrgrupp meets on a weekday).
    planned = _at(datetime.date(2026, 12, 8), 13)
    if planned > timezone.now() + datetime.timedelta(days=10):
        return planned
    day = timezone.localdate() + datetime.timedelta(days=14)
    return _at(day + datetime.timedelta(days=(1 - day.weekday()) % 7), 13)


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
        _decision_documents(october)
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


def _q3_review(agreement, energy: Proposal, preschool: Proposal | None) -> None:
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


def _october_steering(agreement, energy: Proposal, preschool: Proposal | None) -> None:
    _deputy_for_october(agreement)
    secretary, chair = person(SECRETARY), person(CHAIR)
    start = _at(OCTOBER_DAY, 13)
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


# --- after the October styrgrupp: the signed decision documents -----------------------------------------


def _ensure_signing_keys() -> None:
    """The demo signing keys (a demo CA and one key per organisation; existing keys are kept). Under a file
    lock: test workers running load_demo side by side share SIGNING_DIR and must not write it at once."""
    directory = signing.signing_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        call_command("create_signing_certificates", stdout=io.StringIO())


def _signatory(document: DecisionDocument, organisation: Organisation):
    assignments = documents.signatories(document)[organisation.pk]
    return min((a.user for a in assignments), key=lambda user: user.email)


def _sign_once(document: DecisionDocument, user) -> None:
    """Sign for the user's organisation unless it has signed already (the service refuses a second one)."""
    document.refresh_from_db()
    assignment = documents.signing_assignment(user, document)
    already = DocumentSignature.objects.filter(
        copy__document=document, organisation=assignment.organisation
    ).exists()
    if document.status == DocumentStatus.TO_SIGN and not already:
        services.document_sign(document=document, by=user, password=DEMO_PASSWORD)


def _register_once(document: DecisionDocument) -> None:
    """Each copy in its party's diarium, by that party's processledare (a company's copy: the municipality's)."""
    for copy in document.copies.select_related("organisation").order_by("number"):
        if copy.diarienummer:
            continue
        party = copy.organisation.parent or copy.organisation
        leader = min(
            (
                a.user
                for a in RoleAssignment.objects.active()
                .filter(
                    agreement=document.decision.meeting.agreement,
                    role=Role.PROCESS_LEADER,
                    organisation=party,
                )
                .select_related("user")
            ),
            key=lambda user: user.email,
        )
        services.copy_register(
            copy=copy, by=leader, diarienummer=ENERGY_DIARIUM[copy.organisation.diarium_prefix]
        )


def _decision_documents(october: Meeting) -> None:
    _ensure_signing_keys()
    grants = (
        october.decisions.filter(kind=DecisionKind.GRANT).select_related("proposal").order_by("paragraph")
    )
    rector = person(RECTOR)
    for decision in grants:
        document = services.document_generate(decision.pk)
        proposal = decision.proposal
        _sign_once(document, rector)
        if proposal.title != ENERGY:
            continue  # "Språkutveckling i förskolan…": Västerås has yet to sign
        # The municipal party is Eskilstuna Energi och Miljö AB: its kommunbolagschef Stefan Lund signs.
        municipal = documents.municipal_party_organisation(proposal)
        _sign_once(document, _signatory(document, municipal))
        document.refresh_from_db()
        if document.status == DocumentStatus.SIGNED:
            _register_once(document)
        proposal.refresh_from_db()
        if proposal.state == S.GRANTED and not proposal.project_account:
            proposal = application_services.proposal_set_project_account(
                proposal=proposal, by=person(SECRETARY), account=ENERGY_ACCOUNT
            )
        if proposal.state == S.GRANTED and proposal.ready_to_start():
            application_services.proposal_start(
                proposal=proposal,
                by=person(SECRETARY),
                comment="Beslutsunderlaget är signerat av båda parter och diariefört; projektkontot är upplagt.",
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
