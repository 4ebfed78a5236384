"""The proposal lifecycle at service level (DESIGN.md, "The proposal lifecycle"; STYLE.md, "Tests").

Every transition: allowed from each source, refused from every other state, each condition, comments, the
permission matrix (anonymous, unrelated, wrong role, right role), history and notifications. On every
refusal nothing may change: state, history, e-mails, in-app notifications.
"""

from __future__ import annotations

import datetime
import re
from typing import NamedTuple

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import END_STATES, PRE_DECISION_STATES, ProposalState, WorkForm
from applications.models import Proposal, ProposalSection, ProposalTransition
from applications.services.proposals import (
    StaleProposal,
    TransitionRefused,
    available_transitions,
    proposal_transition,
    refusal_reason,
)
from budget.models import ApplicationBudgetRow
from samverkan.enums import Role
from samverkan.models import Notification
from tests.factories.applications import (
    ProposalFactory,
    TemplateSectionFactory,
    fulfil_every_condition,
    with_co_researcher,
)
from tests.factories.samverkan import AgreementFactory, MunicipalityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db
S = ProposalState

STALE = "Ärendet har ändrats av någon annan – ladda om sidan."
WRONG_STATE = "Det går inte att göra så med ärendet i dess nuvarande status."
COMMENT_NEEDED = "Skriv en kommentar som förklarar beslutet för de sökande."
BOTH_PARTIES = "Ärendet behöver både en ansvarig forskare och en ansvarig tjänsteperson från kommunen."
NOT_READY_TO_START = "Alla exemplar måste vara signerade och diarieförda och projektkontot angivet."
NOT_READY_TO_CLOSE = "Slutrapport och populärvetenskaplig presentation krävs före avslut."

TEAM, LEADER, TEAM_OR_LEADER = "team", "processledare", "team eller processledare"
# Caused only by a record made elsewhere (a beredning outcome, a styrgrupp decision, signed documents, a
# submitted final report): run by that app's service with authorised=True, never by a person directly.
RECORD = "beslut eller handling"


class Spec(NamedTuple):
    sources: list[str]
    target: str
    runner: str  # who may run it from the proposal page (RECORD: nobody; only the deciding service)
    comment: bool  # a comment to the applicants is required


# The lifecycle as DESIGN.md describes it (test_lifecycle_table_matches_the_state_machine checks the model).
LIFECYCLE = {
    "to_pitch": Spec([S.DIALOG], S.PITCH, TEAM, False),
    "to_application": Spec([S.DIALOG], S.APPLICATION, TEAM, False),
    "record_pitch_feedback": Spec([S.PITCH], S.APPLICATION, LEADER, True),
    "submit": Spec([S.APPLICATION], S.SUBMITTED, TEAM, False),
    "return_incomplete": Spec([S.SUBMITTED], S.APPLICATION, LEADER, True),
    "schedule_review": Spec([S.SUBMITTED], S.IN_REVIEW, RECORD, False),
    "forward_to_decision": Spec([S.IN_REVIEW], S.AWAITING_DECISION, RECORD, False),
    "return_for_revision": Spec([S.IN_REVIEW], S.APPLICATION, RECORD, True),
    "decline": Spec([S.IN_REVIEW], S.DECLINED, RECORD, True),
    "grant": Spec([S.AWAITING_DECISION], S.GRANTED, RECORD, False),
    "reject": Spec([S.AWAITING_DECISION], S.REJECTED, RECORD, False),
    "approve_cofunding": Spec([S.AWAITING_DECISION], S.COFUNDING_APPROVED, RECORD, False),
    "main_funder_granted": Spec([S.COFUNDING_APPROVED], S.GRANTED, LEADER, False),
    "main_funder_declined": Spec([S.COFUNDING_APPROVED], S.LAPSED, LEADER, True),
    "start": Spec([S.GRANTED], S.ACTIVE, RECORD, False),
    "submit_final_report": Spec([S.ACTIVE], S.CLOSING, RECORD, False),
    "close": Spec([S.CLOSING], S.CLOSED, RECORD, False),
    "reopen": Spec([S.CLOSING], S.ACTIVE, RECORD, True),
    "withdraw": Spec(list(PRE_DECISION_STATES), S.WITHDRAWN, TEAM_OR_LEADER, True),
}
# Transitions after which the team (except whoever acted) is told the new status.
NOTIFIES_TEAM = {
    "record_pitch_feedback",
    "return_incomplete",
    "schedule_review",
    "forward_to_decision",
    "return_for_revision",
    "decline",
    "grant",
    "reject",
    "approve_cofunding",
    "main_funder_granted",
    "main_funder_declined",
    "start",
    "close",
    "reopen",
    "withdraw",
}

ALLOWED = [
    pytest.param(name, source, id=f"{name}-from-{source.value}")
    for name, spec in LIFECYCLE.items()
    for source in spec.sources
]
REFUSED_STATES = [
    pytest.param(name, state, id=f"{name}-from-{state.value}")
    for name, spec in LIFECYCLE.items()
    for state in S
    if state not in spec.sources
]
FIRST_SOURCE = {name: spec.sources[0] for name, spec in LIFECYCLE.items()}


# --- people ------------------------------------------------------------------------------------------------


def anonymous(proposal):
    return AnonymousUser()


def unrelated_user(proposal):
    return UserFactory()


def communicator(proposal):
    return person_with_role(proposal.agreement, Role.COMMUNICATOR)


def review_member(proposal):
    return person_with_role(proposal.agreement, Role.REVIEW_MEMBER)


def steering_member(proposal):
    return person_with_role(proposal.agreement, Role.STEERING_MEMBER)


def leader_of_another_agreement(proposal):
    return person_with_role(AgreementFactory(), Role.PROCESS_LEADER)


def researcher_outside_team(proposal):
    return person_with_role(proposal.agreement, Role.RESEARCHER)


def officer_outside_team(proposal):
    return person_with_role(
        proposal.agreement, Role.OFFICER, organisation=proposal.agreement.municipalities.first()
    )


def process_leader(proposal):
    return person_with_role(proposal.agreement, Role.PROCESS_LEADER)


def superuser(proposal):
    return UserFactory(is_superuser=True, is_staff=True)


def leader_of_uninvolved_municipality(proposal):
    """A processledare of another municipality of the same agreement: not a party to this proposal."""
    other = MunicipalityFactory()
    proposal.agreement.municipalities.add(other)
    proposal.municipal_organisations.set([proposal.agreement.municipalities.first()])
    return person_with_role(proposal.agreement, Role.PROCESS_LEADER, organisation=other)


def municipal_process_leader(proposal):
    return person_with_role(
        proposal.agreement, Role.PROCESS_LEADER, organisation=proposal.agreement.municipalities.first()
    )


def former_process_leader(proposal):
    return person_with_role(
        proposal.agreement,
        Role.PROCESS_LEADER,
        valid_from=datetime.date(2024, 1, 1),
        valid_to=datetime.date(2024, 12, 31),
    )


def deactivated_process_leader(proposal):
    return _deactivated(process_leader(proposal))


def team_researcher(proposal):
    return proposal.responsible_researcher


def team_officer(proposal):
    return proposal.responsible_officer


def co_researcher(proposal):
    return with_co_researcher(proposal)


def deactivated_team_member(proposal):
    return _deactivated(proposal.responsible_researcher)


def _deactivated(user):
    user.is_active = False
    user.save()
    return user


OUTSIDERS = [
    anonymous,
    unrelated_user,
    communicator,
    review_member,
    steering_member,
    leader_of_another_agreement,
    researcher_outside_team,
    officer_outside_team,
]
RIGHT = {
    RECORD: [],
    TEAM: [team_researcher, team_officer, co_researcher],
    LEADER: [process_leader, municipal_process_leader],
    TEAM_OR_LEADER: [team_researcher, team_officer, co_researcher, process_leader, municipal_process_leader],
}
WRONG = {
    RECORD: [
        *OUTSIDERS,
        team_researcher,
        team_officer,
        co_researcher,
        process_leader,
        municipal_process_leader,
        superuser,
    ],
    TEAM: [*OUTSIDERS, process_leader, municipal_process_leader, deactivated_team_member],
    LEADER: [
        *OUTSIDERS,
        team_researcher,
        team_officer,
        co_researcher,
        former_process_leader,
        deactivated_process_leader,
        leader_of_uninvolved_municipality,
    ],
    TEAM_OR_LEADER: [
        *OUTSIDERS,
        former_process_leader,
        deactivated_team_member,
        deactivated_process_leader,
        leader_of_uninvolved_municipality,
    ],
}
PERMITTED = [
    pytest.param(name, actor, id=f"{name}-by-{actor.__name__}")
    for name, spec in LIFECYCLE.items()
    for actor in RIGHT[spec.runner]
]
DENIED = [
    pytest.param(name, actor, id=f"{name}-by-{actor.__name__}")
    for name, spec in LIFECYCLE.items()
    for actor in WRONG[spec.runner]
]


def right_actor(proposal, name):
    """Who runs it: the team or a processledare; for RECORD transitions the processledare as the caller of
    the deciding service (the `run` fixture then passes authorised=True, as that service does)."""
    if LIFECYCLE[name].runner in (LEADER, RECORD):
        return process_leader(proposal)
    return proposal.responsible_researcher


# --- helpers -----------------------------------------------------------------------------------------------


def ready_proposal(state):
    """A proposal in `state` that meets every transition's condition."""
    return fulfil_every_condition(ProposalFactory(state=state))


def team(proposal):
    return {proposal.responsible_researcher, proposal.responsible_officer, *proposal.researchers.all()}


def observable(proposal, mailoutbox):
    """Everything a refused action must leave untouched."""
    row = Proposal.objects.values("state", "state_changed_at").get(pk=proposal.pk)
    return {
        **row,
        "history": ProposalTransition.objects.count(),
        "mails": len(mailoutbox),
        "notifications": Notification.objects.count(),
    }


def names(transitions):
    return {t.name for t in transitions}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """proposal_transition as a request runs it: e-mails scheduled on commit are sent (into mailoutbox)."""

    def run_transition(proposal, name, by, *, as_person=False, **kwargs):
        """A RECORD transition runs as its deciding service runs it (authorised=True), unless the test asks
        what a person may do themselves (`as_person`)."""
        if name in LIFECYCLE and LIFECYCLE[name].runner == RECORD and not as_person:
            kwargs.setdefault("authorised", True)
        with django_capture_on_commit_callbacks(execute=True):
            return proposal_transition(proposal=proposal, name=name, by=by, **kwargs)

    return run_transition


# --- the table ---------------------------------------------------------------------------------------------


def test_lifecycle_table_matches_the_state_machine():
    proposal = Proposal()
    actual = {}
    for transition in proposal.get_all_state_transitions():
        actual.setdefault(transition.name, (set(), set()))
        actual[transition.name][0].add(transition.source)
        actual[transition.name][1].add(transition.target)
        assert bool(transition.custom.get("comment")) == LIFECYCLE[transition.name].comment, transition.name

    expected = {name: (set(spec.sources), {spec.target}) for name, spec in LIFECYCLE.items()}
    assert actual == expected


# --- allowed from each source, refused from every other state ----------------------------------------------


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_transition_succeeds_from_each_source(name, source, run, mailoutbox):
    proposal = ready_proposal(source)
    actor = right_actor(proposal, name)

    result = run(proposal, name, actor, comment="  Motivering till de sökande.  ", expected_state=source)

    target = LIFECYCLE[name].target
    assert result.state == target
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.state == target and stored.state_changed_at is not None
    [row] = ProposalTransition.objects.filter(proposal=proposal)
    assert (row.transition, row.source, row.target, row.by, row.comment) == (
        name,
        source,
        target,
        actor,
        "Motivering till de sökande.",
    )


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_transition_notifies_the_people_concerned_but_not_the_actor(name, source, run, mailoutbox):
    proposal = ready_proposal(source)
    with_co_researcher(proposal)
    leaders = {process_leader(proposal), municipal_process_leader(proposal)}
    actor = right_actor(proposal, name)

    run(proposal, name, actor, comment="Motivering.")

    if name == "submit":
        expected = team(proposal) | leaders
    elif name in NOTIFIES_TEAM:
        expected = team(proposal) - {actor}
    else:
        expected = set()
    assert sorted(address for mail in mailoutbox for address in mail.to) == sorted(u.email for u in expected)
    assert set(Notification.objects.values_list("user", flat=True)) == {u.pk for u in expected}


@pytest.mark.parametrize(("name", "state"), REFUSED_STATES)
def test_transition_is_refused_from_every_other_state(name, state, run, mailoutbox):
    proposal = ready_proposal(state)
    actor = right_actor(proposal, name)
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(WRONG_STATE)):
        run(proposal, name, actor, comment="Motivering.")

    assert observable(proposal, mailoutbox) == before


@pytest.mark.parametrize("name", ["delete", "save", "refresh_from_db", "no_such_action", "_permission"])
def test_unknown_action_is_refused(name, run, mailoutbox):
    proposal = ready_proposal(S.SUBMITTED)
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape("Okänd åtgärd.")):
        run(proposal, name, process_leader(proposal))

    assert observable(proposal, mailoutbox) == before
    assert Proposal.objects.filter(pk=proposal.pk).exists()


# --- comments ----------------------------------------------------------------------------------------------

NEEDS_COMMENT = [name for name, spec in LIFECYCLE.items() if spec.comment]
NO_COMMENT_NEEDED = [name for name, spec in LIFECYCLE.items() if not spec.comment]


@pytest.mark.parametrize("comment", ["", "   \n "], ids=["empty", "blank"])
@pytest.mark.parametrize("name", NEEDS_COMMENT)
def test_transition_needing_a_comment_is_refused_without_one(name, comment, run, mailoutbox):
    proposal = ready_proposal(FIRST_SOURCE[name])
    actor = right_actor(proposal, name)
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(COMMENT_NEEDED)):
        run(proposal, name, actor, comment=comment)

    assert observable(proposal, mailoutbox) == before


@pytest.mark.parametrize("name", NO_COMMENT_NEEDED)
def test_transition_without_comment_requirement_succeeds_without_one(name, run):
    proposal = ready_proposal(FIRST_SOURCE[name])

    run(proposal, name, right_actor(proposal, name))

    assert Proposal.objects.get(pk=proposal.pk).state == LIFECYCLE[name].target
    assert ProposalTransition.objects.get(proposal=proposal).comment == ""


# --- conditions --------------------------------------------------------------------------------------------


def _set(message, **fields):
    def breaker(proposal):
        for field, value in fields.items():
            setattr(proposal, field, value)
        proposal.save()
        return message

    return breaker


def _leave_a_section_empty(proposal):
    section = proposal.application_template.sections.first()
    ProposalSection.objects.filter(proposal=proposal, section=section).update(text="  ")
    return f"Avsnittet ”{section.title}” är inte ifyllt."


def _remove_budget(proposal):
    ApplicationBudgetRow.objects.filter(proposal=proposal).delete()
    return "Budget saknas"


CONDITIONS = [
    pytest.param("to_pitch", _set(BOTH_PARTIES, responsible_officer=None), id="to_pitch-without-officer"),
    pytest.param(
        "to_application", _set(BOTH_PARTIES, responsible_officer=None), id="to_application-without-officer"
    ),
    pytest.param("submit", _leave_a_section_empty, id="submit-required-section-empty"),
    pytest.param("submit", _remove_budget, id="submit-without-budget"),
    pytest.param("submit", _set("Sammanfattning saknas.", summary=""), id="submit-without-summary"),
    pytest.param(
        "submit",
        _set("Forskningsfråga saknas.", research_question=" "),
        id="submit-without-research-question",
    ),
    pytest.param(
        "submit",
        _set(
            "Forskningshöjd (forskarens värdering av den vetenskapliga höjden) saknas.",
            scientific_ambition="",
        ),
        id="submit-without-scientific-ambition",
    ),
    pytest.param(
        "submit",
        _set("Planerad start och slut saknas.", planned_start=None),
        id="submit-without-planned-start",
    ),
    pytest.param(
        "submit", _set("Planerad start och slut saknas.", planned_end=None), id="submit-without-planned-end"
    ),
    pytest.param(
        "submit",
        _set("Huvudfinansiär och sökt belopp saknas (medfinansiering).", external_funder=""),
        id="submit-cofunding-without-main-funder",
    ),
    pytest.param(
        "submit",
        _set("Huvudfinansiär och sökt belopp saknas (medfinansiering).", external_amount=None),
        id="submit-cofunding-without-amount",
    ),
    pytest.param(
        "submit",
        _set("Ansvarig tjänsteperson från kommunen saknas.", responsible_officer=None),
        id="submit-without-officer",
    ),
    pytest.param(
        "submit",
        _set("Ansvarig tjänsteperson har inte bekräftat förankringen.", anchoring_confirmed_at=None),
        id="submit-without-anchoring",
    ),
    pytest.param(
        "start", _set(NOT_READY_TO_START, documents_completed_at=None), id="start-documents-not-completed"
    ),
    pytest.param("start", _set(NOT_READY_TO_START, project_account=""), id="start-without-project-account"),
    pytest.param(
        "start", _set(NOT_READY_TO_START, project_account="   "), id="start-with-blank-project-account"
    ),
    pytest.param(
        "submit_final_report",
        _set(NOT_READY_TO_CLOSE, final_report_submitted_at=None),
        id="submit_final_report-without-final-report",
    ),
    pytest.param(
        "submit_final_report",
        _set(NOT_READY_TO_CLOSE, presentation_registered_at=None),
        id="submit_final_report-without-presentation",
    ),
    pytest.param(
        "approve_cofunding",
        _set(WRONG_STATE, work_form=WorkForm.PROJECT),
        id="approve_cofunding-for-a-project",
    ),
]


@pytest.mark.parametrize(("name", "breaker"), CONDITIONS)
def test_transition_is_refused_when_its_condition_is_unmet(name, breaker, run, mailoutbox):
    proposal = ready_proposal(FIRST_SOURCE[name])
    reason = breaker(proposal)
    actor = right_actor(proposal, name)
    before = observable(proposal, mailoutbox)

    with pytest.raises((TransitionRefused, PermissionDenied)):
        run(proposal, name, actor, comment="Motivering.")

    assert observable(proposal, mailoutbox) == before
    assert reason in refusal_reason(Proposal.objects.get(pk=proposal.pk), name)


@pytest.mark.parametrize(("name", "breaker"), CONDITIONS)
def test_refusal_for_unmet_condition_tells_the_right_person_why(name, breaker, run, mailoutbox):
    """The person who may run the transition learns, in Swedish, what is missing – not a bare 403."""
    proposal = ready_proposal(FIRST_SOURCE[name])
    reason = breaker(proposal)
    actor = right_actor(proposal, name)

    with pytest.raises(TransitionRefused) as refused:
        run(proposal, name, actor, comment="Motivering.")

    assert reason in str(refused.value)


def test_submit_lists_everything_that_is_missing(run):
    proposal = ProposalFactory(state=S.APPLICATION, summary="", research_question="")

    with pytest.raises((TransitionRefused, PermissionDenied)):
        run(proposal, "submit", proposal.responsible_researcher)

    reason = refusal_reason(Proposal.objects.get(pk=proposal.pk), "submit")
    assert "Sammanfattning saknas." in reason
    assert "Forskningsfråga saknas." in reason
    assert "Budget saknas" in reason
    assert "Ansvarig tjänsteperson har inte bekräftat förankringen." in reason


def test_missing_budget_is_part_of_the_completeness_check():
    proposal = ready_proposal(S.APPLICATION)
    assert proposal.missing_for_submission() == []

    _remove_budget(proposal)

    assert any(
        "Budget saknas" in message
        for message in Proposal.objects.get(pk=proposal.pk).missing_for_submission()
    )


def test_submit_succeeds_with_an_optional_section_left_empty(run):
    proposal = ready_proposal(S.APPLICATION)
    TemplateSectionFactory(template=proposal.application_template, required=False)

    run(proposal, "submit", proposal.responsible_researcher)

    assert Proposal.objects.get(pk=proposal.pk).state == S.SUBMITTED


def test_grant_does_not_need_cofunding(run):
    proposal = ready_proposal(S.AWAITING_DECISION)
    proposal.work_form = WorkForm.PROJECT
    proposal.save()

    run(proposal, "grant", process_leader(proposal))

    assert Proposal.objects.get(pk=proposal.pk).state == S.GRANTED


# --- services of later stages (authorised=True) -------------------------------------------------------------


def test_authorised_service_runs_a_governance_transition_for_a_non_leader(run):
    proposal = ready_proposal(S.AWAITING_DECISION)
    chair = steering_member(proposal)

    run(proposal, "grant", chair, authorised=True)

    assert Proposal.objects.get(pk=proposal.pk).state == S.GRANTED
    assert ProposalTransition.objects.get(proposal=proposal).by == chair


def test_authorised_service_still_needs_the_condition(run, mailoutbox):
    proposal = ready_proposal(S.GRANTED)
    proposal.project_account = ""
    proposal.save()
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(NOT_READY_TO_START)):
        run(proposal, "start", steering_member(proposal), authorised=True)

    assert observable(proposal, mailoutbox) == before


def test_authorised_service_is_still_refused_from_the_wrong_state(run, mailoutbox):
    proposal = ready_proposal(S.SUBMITTED)
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(WRONG_STATE)):
        run(proposal, "grant", steering_member(proposal), authorised=True)

    assert observable(proposal, mailoutbox) == before


def test_authorised_service_still_needs_a_comment(run, mailoutbox):
    proposal = ready_proposal(S.IN_REVIEW)
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(COMMENT_NEEDED)):
        run(proposal, "decline", review_member(proposal), authorised=True)

    assert observable(proposal, mailoutbox) == before


# --- the permission matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "actor"), DENIED)
def test_transition_is_denied_to_the_wrong_person(name, actor, run, mailoutbox):
    proposal = ready_proposal(FIRST_SOURCE[name])
    user = actor(proposal)
    before = observable(proposal, mailoutbox)

    with pytest.raises(PermissionDenied):
        run(proposal, name, user, comment="Motivering.", as_person=True)

    assert observable(proposal, mailoutbox) == before


@pytest.mark.parametrize(("name", "actor"), PERMITTED)
def test_transition_is_allowed_to_the_right_person(name, actor, run):
    proposal = ready_proposal(FIRST_SOURCE[name])
    user = actor(proposal)

    run(proposal, name, user, comment="Motivering.", as_person=True)

    assert Proposal.objects.get(pk=proposal.pk).state == LIFECYCLE[name].target
    assert ProposalTransition.objects.get(proposal=proposal).by == user


# --- notifications in detail -------------------------------------------------------------------------------


def test_submit_tells_every_process_leader_and_gives_the_team_a_receipt(run, mailoutbox):
    proposal = ready_proposal(S.APPLICATION)
    co = with_co_researcher(proposal)
    leaders = [process_leader(proposal), municipal_process_leader(proposal)]
    not_told = [
        former_process_leader(proposal),
        leader_of_another_agreement(proposal),
        communicator(proposal),
        deactivated_process_leader(proposal),
    ]
    researcher = proposal.responsible_researcher

    run(proposal, "submit", researcher)

    news = [mail for mail in mailoutbox if mail.subject == f"Ny ansökan inskickad: {proposal.title}"]
    assert sorted(mail.to[0] for mail in news) == sorted(leader.email for leader in leaders)
    receipts = [mail for mail in mailoutbox if mail.subject.startswith("Kvitto:")]
    assert sorted(mail.to[0] for mail in receipts) == sorted(
        u.email for u in [researcher, proposal.responsible_officer, co]
    )
    assert all(proposal.title in mail.subject for mail in receipts)
    assert len(mailoutbox) == len(news) + len(receipts)
    assert researcher.email not in {mail.to[0] for mail in news}
    told = {address for mail in mailoutbox for address in mail.to}
    assert not told & {u.email for u in not_told}
    assert Notification.objects.filter(event="proposal_submitted").count() == 2
    assert Notification.objects.filter(event="proposal_submitted_receipt").count() == 3


def test_return_incomplete_mails_the_comment_to_the_applicants(run, mailoutbox):
    proposal = ready_proposal(S.SUBMITTED)
    co = with_co_researcher(proposal)
    leader = process_leader(proposal)
    comment = "Budgeten för 2027 saknas – komplettera och skicka in igen."

    run(proposal, "return_incomplete", leader, comment=comment, expected_state=S.SUBMITTED)

    applicants = {proposal.responsible_researcher.email, proposal.responsible_officer.email, co.email}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(applicants)
    assert all(comment in mail.body for mail in mailoutbox)
    assert all(mail.subject == f"{proposal.title}: Ansökan under arbete" for mail in mailoutbox)
    assert leader.email not in {mail.to[0] for mail in mailoutbox}
    assert not Notification.objects.filter(user=leader).exists()
    assert set(Notification.objects.values_list("user__email", flat=True)) == applicants


@pytest.mark.parametrize("who", ["researcher", "officer", "co-researcher", "processledare"])
def test_withdraw_does_not_notify_the_person_who_withdrew(who, run, mailoutbox):
    proposal = ready_proposal(S.APPLICATION)
    co = with_co_researcher(proposal)
    user = {
        "researcher": proposal.responsible_researcher,
        "officer": proposal.responsible_officer,
        "co-researcher": co,
        "processledare": process_leader(proposal),
    }[who]

    run(proposal, "withdraw", user, comment="Vi har fått annan finansiering.")

    expected = {proposal.responsible_researcher, proposal.responsible_officer, co} - {user}
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(u.email for u in expected)
    assert not Notification.objects.filter(user=user).exists()


def test_deactivated_team_member_is_not_mailed(run, mailoutbox):
    proposal = ready_proposal(S.SUBMITTED)
    _deactivated(proposal.responsible_officer)

    run(proposal, "return_incomplete", process_leader(proposal), comment="Komplettera.")

    assert [mail.to for mail in mailoutbox] == [[proposal.responsible_researcher.email]]


# --- stale clicks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "actual", "expected_state"),
    [
        pytest.param("return_incomplete", S.APPLICATION, S.SUBMITTED, id="returned-after-it-was-returned"),
        pytest.param("schedule_review", S.IN_REVIEW, S.SUBMITTED, id="scheduled-after-it-was-scheduled"),
        pytest.param("submit", S.SUBMITTED, S.APPLICATION, id="submitted-twice"),
        pytest.param("withdraw", S.PITCH, S.DIALOG, id="withdrawn-after-it-moved-on"),
    ],
)
def test_stale_action_is_refused_with_reload_message(name, actual, expected_state, run, mailoutbox):
    proposal = ready_proposal(actual)
    actor = right_actor(proposal, name)
    before = observable(proposal, mailoutbox)

    with pytest.raises(StaleProposal) as stale:
        run(proposal, name, actor, comment="Motivering.", expected_state=expected_state)

    assert str(stale.value) == STALE
    assert observable(proposal, mailoutbox) == before


def test_stale_instance_without_expected_state_is_judged_on_the_stored_state(run, mailoutbox):
    proposal = ready_proposal(S.SUBMITTED)
    page_copy = Proposal.objects.get(pk=proposal.pk)  # loaded before someone else acted
    run(proposal, "return_incomplete", process_leader(proposal), comment="Komplettera.")
    before = observable(proposal, mailoutbox)

    with pytest.raises(TransitionRefused, match=re.escape(WRONG_STATE)):
        run(page_copy, "schedule_review", process_leader(proposal))

    assert observable(proposal, mailoutbox) == before
    assert Proposal.objects.get(pk=proposal.pk).state == S.APPLICATION


# --- history is append-only --------------------------------------------------------------------------------


def test_history_row_cannot_be_changed(run):
    proposal = ready_proposal(S.SUBMITTED)
    run(proposal, "return_incomplete", process_leader(proposal), comment="Komplettera.")
    row = ProposalTransition.objects.get(proposal=proposal)

    row.comment = "Något annat"
    with pytest.raises(ValidationError):
        row.save()

    assert ProposalTransition.objects.get(pk=row.pk).comment == "Komplettera."


def test_history_row_cannot_be_deleted(run):
    proposal = ready_proposal(S.SUBMITTED)
    run(proposal, "return_incomplete", process_leader(proposal), comment="Komplettera.")
    row = ProposalTransition.objects.get(proposal=proposal)

    with pytest.raises(ValidationError):
        row.delete()

    assert ProposalTransition.objects.filter(pk=row.pk).exists()


def test_history_keeps_every_step_in_order(run):
    proposal = ready_proposal(S.APPLICATION)
    leader = process_leader(proposal)
    researcher = proposal.responsible_researcher

    run(proposal, "submit", researcher)
    run(proposal, "return_incomplete", leader, comment="Komplettera.")
    run(proposal, "submit", researcher)
    run(proposal, "schedule_review", leader)

    steps = list(
        ProposalTransition.objects.filter(proposal=proposal).values_list("transition", "source", "target")
    )
    assert steps == [
        ("submit", S.APPLICATION, S.SUBMITTED),
        ("return_incomplete", S.SUBMITTED, S.APPLICATION),
        ("submit", S.APPLICATION, S.SUBMITTED),
        ("schedule_review", S.SUBMITTED, S.IN_REVIEW),
    ]


# --- the buttons a user sees -------------------------------------------------------------------------------


def _without_anchoring(proposal):
    proposal.anchoring_confirmed_at = None
    proposal.save()


def _without_officer(proposal):
    proposal.responsible_officer = None
    proposal.save()


@pytest.mark.parametrize(
    ("state", "actor", "change", "expected"),
    [
        pytest.param(
            S.DIALOG,
            team_researcher,
            None,
            {"to_pitch", "to_application", "withdraw"},
            id="researcher-dialog",
        ),
        pytest.param(
            S.DIALOG, team_officer, None, {"to_pitch", "to_application", "withdraw"}, id="officer-dialog"
        ),
        pytest.param(S.DIALOG, team_researcher, _without_officer, {"withdraw"}, id="researcher-dialog-alone"),
        pytest.param(S.PITCH, team_researcher, None, {"withdraw"}, id="researcher-pitch"),
        pytest.param(S.PITCH, process_leader, None, {"record_pitch_feedback", "withdraw"}, id="leader-pitch"),
        pytest.param(S.APPLICATION, team_researcher, None, {"submit", "withdraw"}, id="researcher-complete"),
        pytest.param(S.APPLICATION, team_officer, None, {"submit", "withdraw"}, id="officer-complete"),
        pytest.param(S.APPLICATION, co_researcher, None, {"submit", "withdraw"}, id="co-researcher-complete"),
        pytest.param(
            S.APPLICATION, team_researcher, _without_anchoring, {"withdraw"}, id="researcher-not-anchored"
        ),
        pytest.param(S.APPLICATION, team_researcher, _remove_budget, {"withdraw"}, id="researcher-no-budget"),
        pytest.param(S.APPLICATION, process_leader, None, {"withdraw"}, id="leader-application"),
        pytest.param(S.SUBMITTED, team_researcher, None, {"withdraw"}, id="researcher-submitted"),
        pytest.param(
            S.SUBMITTED, process_leader, None, {"return_incomplete", "withdraw"}, id="leader-submitted"
        ),
        pytest.param(
            S.SUBMITTED,
            municipal_process_leader,
            None,
            {"return_incomplete", "withdraw"},
            id="municipal-leader",
        ),
        pytest.param(
            S.COFUNDING_APPROVED,
            process_leader,
            None,
            {"main_funder_granted", "main_funder_declined"},
            id="leader-cofunding-approved",
        ),
        pytest.param(S.COFUNDING_APPROVED, team_researcher, None, set(), id="researcher-cofunding-approved"),
        pytest.param(S.ACTIVE, team_researcher, None, set(), id="researcher-active"),
        pytest.param(S.SUBMITTED, leader_of_another_agreement, None, set(), id="other-agreements-leader"),
        pytest.param(S.SUBMITTED, former_process_leader, None, set(), id="former-leader"),
        pytest.param(S.APPLICATION, researcher_outside_team, None, set(), id="researcher-outside-team"),
        pytest.param(S.APPLICATION, deactivated_team_member, None, set(), id="deactivated-team-member"),
    ],
)
def test_available_transitions_are_the_buttons_this_user_may_use_now(state, actor, change, expected):
    proposal = ready_proposal(state)
    if change:
        change(proposal)
    user = actor(proposal)
    proposal = Proposal.objects.get(pk=proposal.pk)

    assert names(available_transitions(proposal, user)) == expected


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("actor", [anonymous, unrelated_user, communicator, review_member, steering_member])
def test_available_transitions_are_none_for_people_outside_the_process(actor, state):
    proposal = ready_proposal(state)

    assert available_transitions(proposal, actor(proposal)) == []


@pytest.mark.parametrize("state", END_STATES)
@pytest.mark.parametrize("actor", [team_researcher, process_leader])
def test_available_transitions_are_none_in_end_states(actor, state):
    proposal = ready_proposal(state)

    assert available_transitions(proposal, actor(proposal)) == []


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("actor", [team_researcher, team_officer, process_leader, superuser])
def test_no_person_is_offered_a_transition_that_only_a_record_may_cause(actor, state):
    proposal = ready_proposal(state)

    offered = names(available_transitions(proposal, actor(proposal)))

    assert not offered & {name for name, spec in LIFECYCLE.items() if spec.runner == RECORD}
