"""A world with known numbers for quarterly reports (2026):

- A: registered 10 Jan; pitch 1 Feb; application 1 Mar; submitted 5 Apr.
- B: registered 15 Feb; application 20 Feb; submitted 10 Mar; in review 20 Mar; awaiting decision 2 Apr;
  granted 20 Apr at a held styrgrupp meeting (decision §1: 500 000 kr 2026 + 700 000 kr 2027).
- C: registered 5 May (stays in dialog).
- D: registered 1 Nov 2025; withdrawn 20 Jan 2026.

Q1 2026 at its end: application 1, in review 1, withdrawn 1 (3 in all; 1 at the start). New: 2 ideas,
1 pitch, 1 submitted application. Q2 2026 at its end: submitted 1, granted 1, dialog 1, withdrawn 1; new: 1
idea,
0 pitches, 1 submitted; one meeting, one decision, 1 200 000 kr granted.
"""

from __future__ import annotations

import pytest
import time_machine

from applications.enums import ProposalState as S
from governance.enums import DecisionKind, MeetingKind, MeetingStatus
from governance.models import Decision, DecisionAmount
from samverkan.enums import Role
from tests.factories.governance import AgendaItemFactory, MeetingFactory
from tests.factories.reports import at, move, proposal_at
from tests.factories.samverkan import AgreementFactory, person_with_role


@pytest.fixture
def agreement(db):
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return person_with_role(
        agreement, Role.PROCESS_LEADER, user__first_name="Anna", user__last_name="Lindqvist"
    )


@pytest.fixture
def communicator(agreement):
    return person_with_role(agreement, Role.COMMUNICATOR, user__first_name="Sara", user__last_name="Holm")


@pytest.fixture
def world(agreement, leader, communicator):
    a = proposal_at(at(2026, 1, 10), agreement=agreement, title="Äldres digitala vardag")
    move(a, S.PITCH, at(2026, 2, 1))
    move(a, S.APPLICATION, at(2026, 3, 1))
    move(a, S.SUBMITTED, at(2026, 4, 5))
    b = proposal_at(at(2026, 2, 15), agreement=agreement, title="Språkutveckling i förskolan")
    move(b, S.APPLICATION, at(2026, 2, 20))
    move(b, S.SUBMITTED, at(2026, 3, 10))
    move(b, S.IN_REVIEW, at(2026, 3, 20))
    move(b, S.AWAITING_DECISION, at(2026, 4, 2))
    meeting = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        title="Styrgrupp april 2026",
        starts_at=at(2026, 4, 20, 9),
        ends_at=at(2026, 4, 20, 11),
        status=MeetingStatus.MINUTES_APPROVED,
    )
    item = AgendaItemFactory(meeting=meeting, proposal=b)
    with time_machine.travel(at(2026, 4, 20, 10), tick=False):
        decision = Decision.objects.create(
            meeting=meeting,
            item=item,
            proposal=b,
            kind=DecisionKind.GRANT,
            paragraph=1,
            text="Styrgruppen beviljar ansökan.",
            by_acclamation=True,
            created_by=leader,
        )
    DecisionAmount.objects.create(decision=decision, year=2026, amount=500_000)
    DecisionAmount.objects.create(decision=decision, year=2027, amount=700_000)
    move(b, S.GRANTED, at(2026, 4, 20, 10))
    c = proposal_at(at(2026, 5, 5), agreement=agreement, title="Trygghet i centrum")
    d = proposal_at(at(2025, 11, 1), agreement=agreement, title="Återkallad idé")
    move(d, S.WITHDRAWN, at(2026, 1, 20))
    return {"a": a, "b": b, "c": c, "d": d, "meeting": meeting, "decision": decision}


@pytest.fixture
def after_q2():
    """The clock in August 2026: Q1 and Q2 have ended."""
    with time_machine.travel(at(2026, 8, 10), tick=False):
        yield
