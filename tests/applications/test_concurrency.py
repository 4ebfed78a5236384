"""Two processledare act on the same submitted proposal at the same moment (PostgreSQL only: SQLite has no
row locks). Exactly one wins; the other is told that someone else changed it; the history has one row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from applications.enums import ProposalState
from applications.models import Proposal, ProposalTransition
from applications.services.proposals import StaleProposal, TransitionRefused, proposal_transition
from samverkan.enums import Role
from samverkan.models import User
from tests.factories.applications import ProposalFactory, fulfil_every_condition
from tests.factories.samverkan import person_with_role

pytestmark = [pytest.mark.django_db(transaction=True)]
S = ProposalState

STALE = "Ärendet har ändrats av någon annan – ladda om sidan."
TARGETS = {
    "return_incomplete": S.APPLICATION,
    "withdraw": S.WITHDRAWN,
    "main_funder_granted": S.GRANTED,
    "main_funder_declined": S.LAPSED,
}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE); set DATABASE_URL – CI runs it")


def race(proposal_pk: int, moves: dict[str, int], *, expected_state: str | None):
    """Run each transition (name → acting user's pk) in its own thread; all load the proposal, then act
    together. Returns name → None (succeeded) or the exception it raised."""
    barrier = threading.Barrier(len(moves), timeout=20)
    outcome: dict[str, BaseException | None] = {}

    def act(name: str, user_pk: int) -> None:
        try:
            proposal = Proposal.objects.get(pk=proposal_pk)
            by = User.objects.get(pk=user_pk)
            barrier.wait()  # both have loaded the submitted proposal before either saves
            proposal_transition(
                proposal=proposal,
                name=name,
                by=by,
                comment=f"{name} – kommentar",
                expected_state=expected_state,
            )
            outcome[name] = None
        except BaseException as exc:  # reported to the test thread, never lost in this one
            outcome[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a transition hung (lock never released?)"
    return outcome


@pytest.fixture
def submitted():
    proposal = fulfil_every_condition(ProposalFactory(state=S.SUBMITTED))
    leader_a = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    leader_b = person_with_role(
        proposal.agreement, Role.PROCESS_LEADER, organisation=proposal.agreement.municipalities.get()
    )
    return proposal, {"return_incomplete": leader_a.pk, "withdraw": leader_b.pk}


@pytest.mark.parametrize("attempt", range(5), ids=lambda n: f"attempt-{n}")
def test_simultaneous_transitions_from_submitted_let_exactly_one_win(attempt, submitted):
    proposal, moves = submitted

    outcome = race(proposal.pk, moves, expected_state=S.SUBMITTED)

    winners = [name for name, error in outcome.items() if error is None]
    losers = {name: error for name, error in outcome.items() if error is not None}
    assert len(winners) == 1, outcome
    [winner] = winners
    [(loser, error)] = losers.items()
    assert isinstance(error, TransitionRefused), repr(error)
    if isinstance(error, StaleProposal):
        assert str(error) == STALE
    assert isinstance(error, StaleProposal), f"{loser} was refused with {error!r}, not told it is stale"

    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.state == TARGETS[winner]
    [row] = ProposalTransition.objects.filter(proposal=proposal)
    assert (row.transition, row.source, row.target, row.by_id) == (
        winner,
        S.SUBMITTED,
        TARGETS[winner],
        moves[winner],
    )


@pytest.fixture
def cofunding_approved():
    """Two processledare record the main funder's answer at once: granted and declined exclude each other."""
    proposal = fulfil_every_condition(ProposalFactory(state=S.COFUNDING_APPROVED))
    leader_a = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    leader_b = person_with_role(
        proposal.agreement, Role.PROCESS_LEADER, organisation=proposal.agreement.municipalities.get()
    )
    return proposal, {"main_funder_granted": leader_a.pk, "main_funder_declined": leader_b.pk}


def test_simultaneous_transitions_without_expected_state_still_let_exactly_one_win(cofunding_approved):
    proposal, moves = cofunding_approved

    outcome = race(proposal.pk, moves, expected_state=None)

    winners = [name for name, error in outcome.items() if error is None]
    assert len(winners) == 1, outcome
    [error] = [error for error in outcome.values() if error is not None]
    assert isinstance(error, TransitionRefused), repr(error)
    assert Proposal.objects.get(pk=proposal.pk).state == TARGETS[winners[0]]
    assert ProposalTransition.objects.filter(proposal=proposal).count() == 1


def test_the_same_transition_clicked_twice_at_once_is_recorded_once(submitted):
    proposal, moves = submitted
    leader_b = moves["withdraw"]
    leader_c = person_with_role(proposal.agreement, Role.PROCESS_LEADER).pk

    barrier = threading.Barrier(2, timeout=20)
    outcome: list[BaseException | None] = []

    def act(user_pk: int) -> None:
        try:
            loaded = Proposal.objects.get(pk=proposal.pk)
            by = User.objects.get(pk=user_pk)
            barrier.wait()
            proposal_transition(
                proposal=loaded, name="withdraw", by=by, comment="Dras tillbaka.", expected_state=S.SUBMITTED
            )
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(pk,)) for pk in (leader_b, leader_c)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcome.count(None) == 1, outcome
    [error] = [error for error in outcome if error is not None]
    assert isinstance(error, StaleProposal) and str(error) == STALE
    assert Proposal.objects.get(pk=proposal.pk).state == S.WITHDRAWN
    assert ProposalTransition.objects.filter(proposal=proposal).count() == 1
