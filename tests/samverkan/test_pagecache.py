"""The per-person page cache (samverkan.pagecache): a page is served again until anything changes, never
to anyone else, never with someone's flash message, and never when the cache is down.

The cache only works on committed data, so these tests commit (transactional database), as the app does.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from applications.enums import ProposalState
from governance.tasks import close_expired_votes_task
from samverkan.models import Notification
from samverkan.pagecache import HIT_HEADER, changes_data, generation, has_pending_writes
from samverkan.tasks import requeue_pending_jobs
from tests.factories.applications import ProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def proposal():
    return ProposalFactory(state=ProposalState.DIALOG)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(reverse("start"))  # the first page sets the CSRF cookie the cache keys by
    return client


def _kept_proposal_page(proposal) -> tuple[Client, str]:
    """The researcher's client with the proposal page in the cache."""
    client = _client_for(proposal.responsible_researcher)
    url = reverse("applications:proposal_detail", args=[proposal.pk])
    client.get(url)
    assert _hit(client.get(url))
    return client, url


def _hit(response) -> bool:
    return response.get(HIT_HEADER) == "hit"


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('INSERT INTO "applications_proposal" ("title") VALUES (%s)', True),
        ('UPDATE "applications_proposal" SET "state" = %s', True),
        ('DELETE FROM "governance_vote" WHERE "id" = %s', True),
        ('INSERT OR IGNORE INTO "budget_line" ("name") VALUES (%s)', True),
        ('TRUNCATE "applications_proposal", "governance_vote"', True),
        ('SELECT "id" FROM "applications_proposal" WHERE "title" = \'UPDATE x\'', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('UPDATE "samverkan_datageneration" SET "value" = ("value" + 1)', False),
    ],
)
def test_which_statements_change_what_a_page_shows(sql, expected):
    assert changes_data(sql) is expected


def test_a_page_is_served_again_until_anything_changes(proposal):
    researcher = proposal.responsible_researcher
    client = _client_for(researcher)

    first, second = client.get(reverse("start")), client.get(reverse("start"))
    assert not _hit(first)
    assert _hit(second)
    assert second.content == first.content

    Notification.objects.create(user=researcher, event="test", subject="Styrgruppen har beslutat", body="…")

    fresh = client.get(reverse("start"))
    assert not _hit(fresh)
    assert "Styrgruppen har beslutat" in fresh.content.decode()
    assert _hit(client.get(reverse("start")))


def test_a_renamed_proposal_shows_on_the_next_view_of_its_kept_page(proposal):
    client, url = _kept_proposal_page(proposal)

    proposal.title = "Ett nytt namn på projektet"
    proposal.save(update_fields=["title"])

    assert "Ett nytt namn på projektet" in client.get(url).content.decode()


def test_no_one_gets_another_persons_page(proposal):
    researcher, officer = proposal.responsible_researcher, proposal.responsible_officer
    researcher_client, officer_client = _client_for(researcher), _client_for(officer)
    researcher_client.get(reverse("start"))
    assert _hit(researcher_client.get(reverse("start")))

    officers_page = officer_client.get(reverse("start"))

    assert not _hit(officers_page)
    assert officer.get_full_name() in officers_page.content.decode()
    assert researcher.get_full_name() not in officers_page.content.decode()


def test_a_flash_message_is_shown_once_and_never_kept(proposal):
    client, url = _kept_proposal_page(proposal)
    before = generation()

    refused = client.post(reverse("applications:proposal_transition", args=[proposal.pk, "close"]))
    assert refused.status_code == 302

    with_message = client.get(url)
    assert not _hit(with_message)
    assert 'class="message' in with_message.content.decode()
    again = client.get(url)
    assert _hit(again)  # nothing changed: the page from before, without the message
    assert 'class="message' not in again.content.decode()
    assert generation() == before


def test_only_committed_changes_move_the_generation(proposal):
    before = generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        proposal.title = "Ändras inte"
        proposal.save(update_fields=["title"])
        assert has_pending_writes(transaction.get_connection())
        raise RuntimeError("ångrat")
    assert generation() == before

    with transaction.atomic():
        proposal.title = "Ändras"
        proposal.save(update_fields=["title"])
        proposal.save(update_fields=["title"])
    assert generation() == before + 1  # once per transaction, however many writes
    assert not has_pending_writes(transaction.get_connection())


def test_a_cached_page_costs_three_queries(proposal, django_assert_max_num_queries):
    client, url = _kept_proposal_page(proposal)
    with django_assert_max_num_queries(3):  # the session, the person, the data generation
        assert _hit(client.get(url))


def test_a_new_day_renders_the_page_again(proposal):
    stockholm = zoneinfo.ZoneInfo("Europe/Stockholm")
    with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 58, tzinfo=stockholm), tick=False):
        client = _client_for(proposal.responsible_researcher)
        client.get(reverse("start"))
        assert _hit(client.get(reverse("start")))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 0, 1, tzinfo=stockholm), tick=False):
        assert not _hit(client.get(reverse("start")))


def test_anonymous_visitors_are_never_served_from_the_cache(proposal):
    anonymous = Client()
    anonymous.get(reverse("reports:catalogue"))
    assert not _hit(anonymous.get(reverse("reports:catalogue")))


def test_the_cache_can_be_turned_off(proposal, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = _client_for(proposal.responsible_researcher)
    client.get(reverse("start"))
    assert not _hit(client.get(reverse("start")))


def test_pages_work_when_the_cache_is_down(proposal):
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
    with override_settings(CACHES={"default": unreachable}):
        client = _client_for(proposal.responsible_researcher)
        pages = [client.get(reverse("start")) for _ in range(2)]
    assert [p.status_code for p in pages] == [200, 200]
    assert not any(_hit(p) for p in pages)
    assert proposal.title in pages[1].content.decode()


def test_the_scheduled_jobs_with_nothing_to_do_keep_the_kept_pages(proposal):
    """Beat runs these every minute or five; if they wrote when idle, no page would ever be served again."""
    before = generation()
    close_expired_votes_task()
    requeue_pending_jobs()
    assert generation() == before


def test_a_write_in_autocommit_keeps_its_row_and_moves_the_generation_before_the_next_statement(proposal):
    """On SQLite, SQL of the cache's own run while an INSERT … RETURNING was still being read rolled the
    row back (make run broke); the bump for an autocommit write waits for the next statement."""
    researcher = proposal.responsible_researcher
    before = generation()

    notification = Notification.objects.create(user=researcher, event="test", subject="Ny", body="…")

    assert Notification.objects.get(pk=notification.pk).user == researcher  # the row is there, with its id
    assert generation() == before + 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"},
        {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"},
    ],
    ids=["htmx", "history-restore", "target", "any-other-hx-header"],
)
def test_a_page_asked_for_with_other_htmx_headers_is_never_served_the_kept_one(proposal, headers):
    """A history restore (HX-History-Restore-Request) must get the whole page, never a kept partial – and the
    same for any htmx header, including ones a later htmx adds."""
    client, url = _kept_proposal_page(proposal)

    assert not _hit(client.get(url, **headers))
    assert _hit(client.get(url, **headers))
    assert _hit(client.get(url))
