"""The pipeline board at scale: each column shows its newest BOARD_COLUMN_LIMIT proposals and a link to all
of them, loading only those rows (bench/queries.py found the board fetching all 10 000 proposals to show 25
per column)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from applications.enums import ProposalState
from applications.views.lists import BOARD_COLUMN_LIMIT
from tests.factories.applications import ProposalFactory
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

PIPELINE = reverse("applications:pipeline")


def _proposals(agreement, state, count, prefix):
    researcher, officer = UserFactory(), UserFactory()  # shared: keeps the set-up fast
    return [
        ProposalFactory(
            agreement=agreement,
            state=state,
            title=f"{prefix} {n:02d}",
            responsible_researcher=researcher,
            responsible_officer=officer,
        )
        for n in range(count)
    ]


def test_full_column_shows_the_newest_cards_and_a_link_to_all(client):
    agreement = AgreementFactory()
    leader = process_leader(agreement)
    _proposals(agreement, ProposalState.SUBMITTED, BOARD_COLUMN_LIMIT + 3, "Inskickad")
    _proposals(agreement, ProposalState.DIALOG, 2, "Idé")
    client.force_login(leader)

    html = client.get(PIPELINE).content.decode()

    shown = re.findall(r"Inskickad (\d\d)", html)
    assert len(set(shown)) == BOARD_COLUMN_LIMIT
    newest = f"Inskickad {BOARD_COLUMN_LIMIT + 2:02d}"
    assert newest in html and "Inskickad 00" not in html  # newest first; the oldest three hidden
    assert f"Visa alla {BOARD_COLUMN_LIMIT + 3} i Inskickad" in html
    assert "Idé 00" in html and "Idé 01" in html
    assert "Visa alla 2 i" not in html


def test_board_queries_do_not_grow_with_proposals(client, django_assert_num_queries):
    agreement = AgreementFactory()
    leader = process_leader(agreement)
    _proposals(agreement, ProposalState.SUBMITTED, 2, "Inskickad")
    client.force_login(leader)
    client.get(PIPELINE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(PIPELINE)
    expected = len(few)  # before the next request clears the connection's query log
    _proposals(agreement, ProposalState.SUBMITTED, BOARD_COLUMN_LIMIT + 5, "Fler")
    _proposals(agreement, ProposalState.IN_REVIEW, 5, "Beredning")
    client.get(PIPELINE)  # the new pipeline version's person choices are cached once

    with django_assert_num_queries(expected):
        response = client.get(PIPELINE)
    assert response.status_code == 200
