import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ProposalState
from applications.models import ProposalTransition
from applications.services import TransitionRefused, proposal_transition
from followup import services
from followup.enums import ReportState
from governance.enums import DecisionKind, ItemKind, MeetingKind
from governance.services import decision_by_acclamation
from tests.factories.followup import DisseminationEventFactory, filled, quarter_day
from tests.factories.governance import MeetingFactory, started


@pytest.fixture
def event(project):
    return DisseminationEventFactory(agreement=project.agreement)


def submit_final(final, researcher):
    filled(final)
    return services.report_submit(report=final, by=researcher)


def present(project, event, by):
    return services.presentation_register(
        event=event,
        proposal=project,
        by=by,
        title="Vad vi lärde oss",
        presenter=project.responsible_researcher,
    )


def state_of(project):
    project.refresh_from_db()
    return project.state


def test_final_report_alone_does_not_close(project, final, researcher):
    submit_final(final, researcher)
    project.refresh_from_db()
    assert project.final_report_submitted_at is not None
    assert project.state == ProposalState.ACTIVE


def test_presentation_alone_does_not_close(project, event, researcher):
    present(project, event, researcher)
    project.refresh_from_db()
    assert project.presentation_registered_at is not None
    assert project.state == ProposalState.ACTIVE


@pytest.mark.parametrize("order", ["report-first", "presentation-first"])
def test_final_report_and_presentation_take_the_project_to_closing(project, final, event, researcher, order):
    if order == "report-first":
        submit_final(final, researcher)
        present(project, event, researcher)
    else:
        present(project, event, researcher)
        submit_final(final, researcher)

    assert state_of(project) == ProposalState.CLOSING
    assert ProposalTransition.objects.filter(proposal=project, transition="submit_final_report").count() == 1


def test_closing_is_refused_without_the_material(project, researcher):
    with pytest.raises(TransitionRefused) as refused:
        proposal_transition(proposal=project, name="submit_final_report", by=researcher, authorised=True)
    assert str(refused.value) == "Slutrapport och populärvetenskaplig presentation krävs före avslut."
    assert state_of(project) == ProposalState.ACTIVE


@pytest.fixture
def closing(project, final, event, researcher):
    submit_final(final, researcher)
    present(project, event, researcher)
    assert state_of(project) == ProposalState.CLOSING
    return project


@pytest.fixture
def steering(project):
    return MeetingFactory(agreement=project.agreement, kind=MeetingKind.STEERING, starts_at=started())


def test_styrgrupp_approves_results_and_closes(closing, steering):
    secretary = steering.secretary
    item = services.closure_put_on_agenda(proposal=closing, by=secretary, meeting=steering)
    assert item.kind == ItemKind.CLOSURE

    decision_by_acclamation(
        item=item,
        by=secretary,
        kind=DecisionKind.APPROVE_RESULTS,
        text="Styrgruppen godkänner resultaten och avslutar.",
    )

    assert state_of(closing) == ProposalState.CLOSED


def test_styrgrupp_sends_the_project_back_with_a_comment(closing, steering, final):
    secretary = steering.secretary
    item = services.closure_put_on_agenda(proposal=closing, by=secretary, meeting=steering)

    decision_by_acclamation(
        item=item,
        by=secretary,
        kind=DecisionKind.REJECT,
        text="Slutrapporten behöver en analys av effekterna.",
    )

    assert state_of(closing) == ProposalState.ACTIVE
    final.refresh_from_db()
    assert final.state == ReportState.DUE
    assert final.feedback == "Slutrapporten behöver en analys av effekterna."
    closing.refresh_from_db()
    assert closing.final_report_submitted_at is None
    assert closing.presentation_registered_at is not None


def test_only_closing_projects_go_to_styrgrupp_for_closure(project, steering):
    with pytest.raises(ValidationError) as error:
        services.closure_put_on_agenda(proposal=project, by=steering.secretary, meeting=steering)
    assert error.value.messages == ["Projektet är inte slutredovisat och kan inte tas upp för avslut."]
    assert not steering.items.exists()


def test_closure_agenda_needs_a_processledare(closing, steering, researcher):
    with pytest.raises(PermissionDenied):
        services.closure_put_on_agenda(proposal=closing, by=researcher, meeting=steering)
    assert not steering.items.exists()


# --- presentations: the permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    "who, allowed",
    [("researcher", True), ("officer", True), ("leader", True), ("communicator", True), ("outsider", False)],
)
def test_who_may_book_a_presentation(request, project, event, who, allowed):
    user = request.getfixturevalue(who)
    if allowed:
        present(project, event, user)
        assert event.presentations.filter(proposal=project).exists()
    else:
        with pytest.raises(PermissionDenied):
            present(project, event, user)
        assert not event.presentations.exists()
        project.refresh_from_db()
        assert project.presentation_registered_at is None


def test_team_cannot_book_a_past_event_but_processledare_can_record_it(project, researcher, leader):
    past = DisseminationEventFactory(
        agreement=project.agreement,
        starts_at=quarter_day(2, year=datetime.date.today().year - 1),
    )
    with pytest.raises(ValidationError) as error:
        present(project, past, researcher)
    assert error.value.message_dict["event"] == [
        "Tillfället har redan ägt rum – välj ett kommande tillfälle."
    ]
    present(project, past, leader)
    assert past.presentations.count() == 1


def test_presenter_must_be_in_the_team(project, event, researcher, outsider):
    with pytest.raises(ValidationError) as error:
        services.presentation_register(
            event=event, proposal=project, by=researcher, title="X", presenter=outsider
        )
    assert error.value.message_dict["presenter"] == [
        "Presentatören ska vara forskare eller tjänsteperson i projektet."
    ]
    assert not event.presentations.exists()


def test_one_presentation_per_event_and_project(project, event, researcher):
    present(project, event, researcher)
    with pytest.raises(ValidationError):
        present(project, event, researcher)
    assert event.presentations.count() == 1
