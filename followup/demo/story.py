"""The follow-up demo's story: the running projects with their reports, the dissemination events, the
closure, and the day's reminders (the story is told in followup/demo/__init__.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from applications import services as application_services
from applications.cadence import add_months
from applications.models import Proposal, ProposalTransition
from samverkan.demo import AGREEMENT_NAME, person
from samverkan.models import Agreement, Organisation

from .. import services
from ..enums import GoalStatus, ReportKind, ReportState
from ..models import DisseminationEvent, EffectGoal, FollowUpReport, Presentation
from .cast import (
    AHMED,
    CLOSURE_MEETING,
    COMMUNICATOR,
    DIGITAL,
    HERITAGE,
    LEADER,
    LENA,
    MARIA,
    MEALS,
    NEXT_EVENT,
    PAST_EVENT,
    PROGRAMME,
    REVIEW,
    SENSORS,
    SOFIA,
    TEXTS,
    TZ,
    YOUTH,
    S,
)
from .goals import goals_load


def _agreement() -> Agreement:
    return Agreement.objects.get(name=AGREEMENT_NAME)


def _at(day: datetime.date, hour: int = 13) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=TZ)


def _event_days(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The latest past and the next dissemination day (20 May in Q2, 10 December in Q4)."""
    candidates = sorted(
        datetime.date(year, month, day)
        for year in (today.year - 1, today.year, today.year + 1)
        for month, day in ((5, 20), (12, 10))
    )
    past = max(c for c in candidates if c < today - datetime.timedelta(days=7))
    upcoming = min(c for c in candidates if c > today + datetime.timedelta(days=3))
    return past, upcoming


def _project(
    agreement, *, title, work_form, researcher, officer, orgs, start, months, goals, summary, parent=None
):
    existing = Proposal.objects.filter(agreement=agreement, title=title).first()
    if existing:
        return existing, False
    researcher, officer = person(researcher), person(officer)
    proposal = application_services.proposal_create(
        agreement=agreement,
        by=researcher,
        title=title,
        work_form=work_form,
        responsible_officer=officer,
        municipal_organisations=list(Organisation.objects.filter(name__in=orgs)),
        summary=summary,
        popular_summary=summary,
        planned_start=start,
        planned_end=add_months(start, months) - datetime.timedelta(days=1),
        parent=parent,
    )
    application_services.proposal_set_activity_goals(proposal=proposal, by=researcher, goals=goals)
    Proposal.objects.filter(pk=proposal.pk).update(
        state=S.ACTIVE,
        state_changed_at=_at(start, 9),
        documents_completed_at=_at(start, 9),
        project_account=f"MDU-7{proposal.pk:04d}",
    )
    ProposalTransition.objects.create(
        proposal=proposal,
        transition="start",
        source=S.GRANTED,
        target=S.ACTIVE,
        by=person(LEADER),
        comment="Beviljat och startat innan Samverkan togs i bruk – registrerat som pågående.",
    )
    proposal.refresh_from_db()
    services.schedule_generate(proposal=proposal)
    return proposal, True


def _submit(report: FollowUpReport, *, statuses, submitted_on: datetime.date, spent: dict | None = None):
    researcher = report.proposal.responsible_researcher
    goals = {
        goal.pk: (statuses[index % len(statuses)], "")
        for index, goal in enumerate(report.proposal.activity_goals.all())
    }
    FollowUpReport.objects.filter(pk=report.pk).update(state=ReportState.DUE)
    report.refresh_from_db()
    services.report_save(
        report=report,
        by=researcher,
        deliveries=TEXTS["deliveries"],
        evaluation=TEXTS["evaluation"],
        lessons=TEXTS["lessons"],
        scientific_report=TEXTS["scientific_report"] if report.is_final else "",
        goals=goals,
        spending_year=report.due_date.year if spent else None,
        spending=spent or {},
    )
    report = services.report_submit(report=report, by=researcher)
    FollowUpReport.objects.filter(pk=report.pk).update(submitted_at=_at(submitted_on, 10))
    return report


def _treated(report: FollowUpReport, *, on: datetime.date, feedback: str):
    FollowUpReport.objects.filter(pk=report.pk).update(
        state=ReportState.TREATED, treated_at=_at(on, 15), treated_by=person(LEADER), feedback=feedback
    )


def _events(agreement, today):
    past_day, next_day = _event_days(today)
    communicator = person(COMMUNICATOR)
    events = {}
    for title, day, place in (
        (PAST_EVENT, past_day, "Mälardalens universitet, Västerås, Aros Congress Center"),
        (NEXT_EVENT, next_day, "Eskilstuna, Munktellarenan"),
    ):
        event = DisseminationEvent.objects.filter(agreement=agreement, title=title).first()
        if event is None:
            event = DisseminationEvent.objects.create(
                agreement=agreement,
                title=title,
                starts_at=_at(day, 13),
                ends_at=_at(day, 16),
                location=place,
                description="Forskare och kommunernas verksamheter berättar populärvetenskapligt om resultaten "
                "från samverkansprojekten. Fritt inträde, anmälan via kommunikatörerna.",
                created_by=communicator,
            )
        events[title] = event
    return events[PAST_EVENT], events[NEXT_EVENT]


def _review_meeting(agreement, today):
    """An upcoming kommungemensam beredning (a Tuesday about five weeks ahead) where follow-up reports are
    presented; booked through the governance services by the processledare."""
    from governance.enums import MeetingKind
    from governance.models import Meeting
    from governance.services import meeting_create

    meeting = Meeting.objects.filter(agreement=agreement, title=REVIEW).first()
    if meeting is None:
        day = today + datetime.timedelta(days=35)
        day += datetime.timedelta(days=(1 - day.weekday()) % 7)
        meeting = meeting_create(
            agreement=agreement,
            by=person(LEADER),
            kind=MeetingKind.JOINT_REVIEW,
            title=REVIEW,
            starts_at=_at(day, 9),
            ends_at=_at(day, 12),
            location="Mälardalens universitet, Eskilstuna, sal U2-024",
            chair=person("karin.sjoberg@mdu.example"),
            secretary=person(LEADER),
        )
    return meeting


def _closure_decided(agreement, proposal, *, on: datetime.date) -> None:
    """A project closes only by a styrgrupp decision (Samverkansmodellen, "Avslut"): the processledare puts
    it on a styrgrupp agenda and the meeting approves the results "enligt förslag"."""
    from governance.enums import DecisionKind, MeetingKind
    from governance.models import Meeting
    from governance.services import decision_by_acclamation, meeting_create

    day = on + datetime.timedelta(days=(1 - on.weekday()) % 7)
    meeting = Meeting.objects.filter(agreement=agreement, title=CLOSURE_MEETING).first()
    if meeting is None:
        meeting = meeting_create(
            agreement=agreement,
            by=person(LEADER),
            kind=MeetingKind.STEERING,
            title=CLOSURE_MEETING,
            starts_at=_at(day, 13),
            ends_at=_at(day, 15),
            location="Mälardalens universitet, Västerås, sal R1-121",
            chair=person("helena.wik@mdu.example"),
            secretary=person(LEADER),
        )
    item = services.closure_put_on_agenda(proposal=proposal, by=person(LEADER), meeting=meeting)
    decision_by_acclamation(
        item=item,
        by=person(LEADER),
        kind=DecisionKind.APPROVE_RESULTS,
        text="Styrgruppen godkänner resultaten och beslutar att avsluta förstudien.",
    )


def _present(event, proposal, title, by):
    if not Presentation.objects.filter(event=event, proposal=proposal).exists():
        services.presentation_register(
            event=event, proposal=proposal, by=by, title=title, presenter=proposal.responsible_researcher
        )


def load(stdout=None) -> None:
    agreement = _agreement()
    today = timezone.localdate()
    leader = person(LEADER)
    past_event, next_event = _events(agreement, today)

    programme, new = _project(
        agreement,
        title=PROGRAMME,
        work_form="program",
        researcher=MARIA,
        officer=LENA,
        orgs=["Eskilstuna kommun", "Västerås stad"],
        start=add_months(today, -13),
        months=36,
        goals=[
            "Tre kommuner prövar välfärdsteknik i hemtjänsten",
            "En gemensam lärplattform för personalen",
            "Två nya projektansökningar per år",
        ],
        summary="Ett program där forskare och hemtjänsten i flera kommuner prövar och utvärderar välfärdsteknik.",
    )
    if new:
        first, second = programme.followup_reports.order_by("due_date")[:2]
        _submit(
            first,
            statuses=[GoalStatus.MET, GoalStatus.PARTLY, GoalStatus.NOT_MET],
            submitted_on=first.due_date,
        )
        _treated(
            first,
            on=first.due_date + datetime.timedelta(days=20),
            feedback="Beredningen noterar goda framsteg; lärplattformen bör prioriteras.",
        )
        second = _submit(
            second,
            statuses=[GoalStatus.MET, GoalStatus.MET, GoalStatus.PARTLY],
            submitted_on=second.due_date,
        )
        services.report_put_on_agenda(report=second, by=leader, meeting=_review_meeting(agreement, today))

    digital, new = _project(
        agreement,
        title=DIGITAL,
        work_form="projekt",
        researcher=MARIA,
        officer=LENA,
        orgs=["Eskilstuna kommun"],
        start=today - datetime.timedelta(days=170),
        months=12,
        goals=["Trettio äldre deltar i digitala träffar", "Ett stödmaterial för anhöriga tas fram"],
        summary="Hur kan äldre som bor hemma delta digitalt i föreningsliv och kontakt med kommunen?",
        parent=programme,
    )

    sensors, new = _project(
        agreement,
        title=SENSORS,
        work_form="forstudie",
        researcher=AHMED,
        officer=SOFIA,
        orgs=["Västerås stad"],
        start=add_months(today, -8),
        months=12,
        goals=["Sensorer prövas i tio hem", "Personalens erfarenheter dokumenteras"],
        summary="En förstudie om sensorer som stöd när äldre kommer hem från sjukhuset.",
        parent=programme,
    )
    if new:
        half = sensors.followup_reports.get(kind=ReportKind.HALF_TIME)
        _submit(half, statuses=[GoalStatus.PARTLY], submitted_on=half.due_date)
        _treated(
            half,
            on=half.due_date + datetime.timedelta(days=14),
            feedback="Bra start – dokumentera personalens erfarenheter löpande.",
        )
        _present(next_event, sensors, "Sensorer som trygghet efter sjukhusvistelse", person(AHMED))

    _project(
        agreement,
        title=MEALS,
        work_form="projekt",
        researcher=AHMED,
        officer=SOFIA,
        orgs=["Västerås stad"],
        start=add_months(today, -14),
        months=24,
        goals=["Matsvinnet minskar med 20 procent", "Eleverna är med och planerar menyn"],
        summary="Skolmåltider som är goda, hållbara och planerade tillsammans med eleverna.",
    )

    heritage, new = _project(
        agreement,
        title=HERITAGE,
        work_form="projekt",
        researcher=MARIA,
        officer=LENA,
        orgs=["Eskilstuna kommun"],
        start=add_months(today, -13),
        months=12,
        goals=["Tre besöksmål utvecklas med kulturarvet", "Besöksnäringen deltar i två workshoppar"],
        summary="Hur kan kulturarvet bli en tillgång för besöksnäringen i Mälardalen?",
    )
    if new:
        half = heritage.followup_reports.get(kind=ReportKind.HALF_TIME)
        _submit(half, statuses=[GoalStatus.MET, GoalStatus.PARTLY], submitted_on=half.due_date)
        _treated(
            half,
            on=half.due_date + datetime.timedelta(days=21),
            feedback="Beredningen ser fram emot slutrapporten.",
        )
        _present(past_event, heritage, "Kulturarvet som besöksmål", leader)
        final = heritage.followup_reports.get(kind=ReportKind.FINAL)
        _submit(
            final,
            statuses=[GoalStatus.MET],
            submitted_on=final.due_date + datetime.timedelta(days=3),
        )

    youth, new = _project(
        agreement,
        title=YOUTH,
        work_form="forstudie",
        researcher=AHMED,
        officer=LENA,
        orgs=["Eskilstuna kommun"],
        start=add_months(today, -16),
        months=10,
        goals=["Tjugo unga deltar i entreprenörsprogrammet", "Ett koncept för sommarföretagande"],
        summary="En förstudie om hur kommunen kan stödja ungas företagande.",
    )
    if new:
        half = youth.followup_reports.get(kind=ReportKind.HALF_TIME)
        _submit(half, statuses=[GoalStatus.MET], submitted_on=half.due_date)
        _treated(half, on=half.due_date + datetime.timedelta(days=10), feedback="Väl genomfört.")
        _present(past_event, youth, "Unga som startar företag", leader)
        final = youth.followup_reports.get(kind=ReportKind.FINAL)
        _submit(final, statuses=[GoalStatus.MET, GoalStatus.PARTLY], submitted_on=final.due_date)
        _treated(
            final,
            on=final.due_date + datetime.timedelta(days=30),
            feedback="Styrgruppen godkänner resultaten.",
        )
        youth.refresh_from_db()
        if youth.state == S.CLOSING:
            _closure_decided(agreement, youth, on=final.due_date + datetime.timedelta(days=35))

    goals_load(agreement, [programme, digital, sensors, heritage, youth, _by_title(agreement, MEALS)])
    services.reminders_send(today=today)


def _by_title(agreement, title):
    return Proposal.objects.get(agreement=agreement, title=title)


def summary() -> dict:
    """What the demo's follow-up looks like (for tests and the curious)."""
    agreement = _agreement()
    return {
        "states": dict(
            Proposal.objects.filter(
                agreement=agreement, title__in=[PROGRAMME, DIGITAL, SENSORS, MEALS, HERITAGE, YOUTH]
            ).values_list("title", "state")
        ),
        "events": DisseminationEvent.objects.filter(agreement=agreement).count(),
        "goals": EffectGoal.objects.filter(agreement=agreement).count(),
    }
