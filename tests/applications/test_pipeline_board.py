"""The pipeline board read at the source (issue 15): a column shows BOARD_COLUMN_LIMIT cards and "Visa fler"
(htmx: the next cards of that column; without JavaScript: the state's own pages, STATE_PAGE_SIZE a page), and
neither the board nor a state's page asks the database more when there are more proposals."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ProposalState
from applications.views.lists import BOARD_COLUMN_LIMIT, STATE_PAGE_SIZE
from tests.factories.applications import ProposalFactory
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db

PIPELINE = reverse("applications:pipeline")
S = ProposalState


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


@pytest.fixture
def leader_client(client):
    agreement = AgreementFactory()
    leader = process_leader(agreement)
    client.force_login(leader)
    client.agreement = agreement
    return client


def _queries(client, url, **headers) -> int:
    client.get(url, **headers)  # warm: the session, the cached person choices
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)


def test_board_column_links_to_more_cards_with_htmx_and_to_the_states_pages_without(leader_client):
    _proposals(leader_client.agreement, S.SUBMITTED, BOARD_COLUMN_LIMIT + 1, "Inskickad")

    html = leader_client.get(PIPELINE).content.decode()

    link = re.search(r'<a id="more-submitted"[^>]*>', html).group(0)
    assert 'href="/pipeline/?state=submitted"' in link
    assert f'hx-get="/pipeline/?kolumn=submitted&amp;fran={BOARD_COLUMN_LIMIT}"' in link
    assert 'hx-target="#cards-submitted"' in link and 'hx-swap="beforeend"' in link
    assert 'id="more-dialog"' not in html  # a column with no more cards has no link


def test_more_cards_gives_the_next_cards_of_the_column_and_drops_the_link_at_the_end(leader_client):
    _proposals(leader_client.agreement, S.SUBMITTED, BOARD_COLUMN_LIMIT + 2, "Inskickad")
    _proposals(leader_client.agreement, S.DIALOG, 3, "Idé")

    response = leader_client.get(
        PIPELINE, {"kolumn": "submitted", "fran": BOARD_COLUMN_LIMIT}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "<html" not in html
    assert sorted(re.findall(r"Inskickad (\d\d)", html)) == ["00", "01"]  # the two oldest
    assert "Idé" not in html
    assert '<span id="more-submitted" hx-swap-oob="true"></span>' in html
    assert "HX-Request" in response["Vary"]


def test_more_cards_keeps_the_link_while_the_column_has_more(leader_client):
    _proposals(leader_client.agreement, S.SUBMITTED, 2 * BOARD_COLUMN_LIMIT + 1, "Inskickad")

    html = leader_client.get(
        PIPELINE, {"kolumn": "submitted", "fran": BOARD_COLUMN_LIMIT}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert len(re.findall(r'class="card"', html)) == BOARD_COLUMN_LIMIT
    assert re.search(r'<a id="more-submitted" class="more-cards" hx-swap-oob="true"', html)
    assert f"fran={2 * BOARD_COLUMN_LIMIT}" in html


def test_state_view_is_paged(leader_client):
    _proposals(leader_client.agreement, S.SUBMITTED, STATE_PAGE_SIZE + 3, "Inskickad")

    first = leader_client.get(PIPELINE, {"state": "submitted"}).content.decode()
    second = leader_client.get(PIPELINE, {"state": "submitted", "sida": 2}).content.decode()

    assert len(re.findall(r'class="card"', first)) == STATE_PAGE_SIZE
    assert "Sida 1 av 2" in first
    assert sorted(re.findall(r"Inskickad (\d\d)", second)) == ["00", "01", "02"]
    assert f"{STATE_PAGE_SIZE + 3} ärenden matchar filtret." in first


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({}, {}),
        ({"state": "submitted"}, {}),
        ({"state": "submitted", "sida": "2"}, {}),
        ({"q": "Inskickad"}, {}),
        ({"kolumn": "submitted", "fran": str(BOARD_COLUMN_LIMIT)}, {"HTTP_HX_REQUEST": "true"}),
    ],
    ids=["board", "state", "state-page-2", "filtered", "more-cards"],
)
def test_pipeline_queries_do_not_grow_with_proposals(
    leader_client, django_assert_max_num_queries, params, headers
):
    url = PIPELINE + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    _proposals(leader_client.agreement, S.SUBMITTED, STATE_PAGE_SIZE + 1, "Inskickad")
    _proposals(leader_client.agreement, S.DIALOG, 1, "Idé")
    few = _queries(leader_client, url, **headers)

    _proposals(leader_client.agreement, S.SUBMITTED, 2 * STATE_PAGE_SIZE, "Fler")
    _proposals(leader_client.agreement, S.IN_REVIEW, BOARD_COLUMN_LIMIT + 4, "Beredning")
    _proposals(leader_client.agreement, S.ACTIVE, 3, "Pågående")

    leader_client.get(url, **headers)  # the new pipeline version's person choices are cached once
    with django_assert_max_num_queries(few):
        assert leader_client.get(url, **headers).status_code == 200
