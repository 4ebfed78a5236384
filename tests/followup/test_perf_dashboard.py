"""The processledare's start-page section "Uppföljning och avslut" counts in the database: the same
numbers as the follow-up overview, with a query count and a read that do not grow with projects."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from applications.models import Proposal
from followup import selectors
from followup.enums import ReportState
from samverkan.enums import Role
from tests.factories.followup import DisseminationEventFactory, active_project, set_state
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory, person_with_role
from tests.followup.test_dashboards import make_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()


def build(agreement, n):
    """n projects with a report due in 10 days and n with one 3 days overdue; one submitted report to
    treat and one project ready for closure per pair."""
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    for _ in range(n):
        for days in (10, -3):
            proposal = active_project(
                months=12, agreement=agreement, responsible_researcher=researcher, responsible_officer=officer
            )
            make_due(proposal, days)
        submitted = active_project(
            months=12, agreement=agreement, responsible_researcher=researcher, responsible_officer=officer
        )
        set_state(submitted.followup_reports.order_by("due_date").first(), ReportState.SUBMITTED)
        closing = active_project(
            months=12, agreement=agreement, responsible_researcher=researcher, responsible_officer=officer
        )
        Proposal.objects.filter(pk=closing.pk).update(state=ProposalState.CLOSING)


def test_counts_are_the_lengths_of_the_overview_lists(agreement):
    build(agreement, 2)
    DisseminationEventFactory(agreement=agreement, title="Första")
    DisseminationEventFactory(
        agreement=agreement, title="Senare", starts_at=timezone.now() + datetime.timedelta(days=400)
    )
    leader = process_leader(agreement)

    for offset in (0, 20, -400):
        today = timezone.localdate() + datetime.timedelta(days=offset)
        full = selectors.overview(leader, today=today)
        counts = selectors.overview_counts(leader, today=today)
        assert (counts.due, counts.overdue, counts.to_treat, counts.closing) == (
            len(full.due),
            len(full.overdue),
            len(full.to_treat),
            len(full.closing),
        )
        assert counts.events == full.events[:1]
    counts = selectors.overview_counts(leader)
    assert (counts.due, counts.overdue, counts.to_treat, counts.closing) == (2, 2, 2, 2)
    assert counts.events[0].title == "Första"


def test_other_agreements_are_not_counted(agreement):
    build(agreement, 1)
    other = process_leader(AgreementFactory())

    counts = selectors.overview_counts(other)

    assert (counts.due, counts.overdue, counts.to_treat, counts.closing, counts.events) == (0, 0, 0, 0, [])


def test_start_page_summary_query_count_does_not_grow_with_projects(
    client, agreement, django_assert_max_num_queries
):
    leader = process_leader(agreement)
    client.force_login(leader)
    build(agreement, 1)
    client.get(reverse("start"))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("start"))

    build(agreement, 4)
    with django_assert_max_num_queries(len(one)):
        page = client.get(reverse("start")).content.decode()

    assert "5 försenade rapporter" in page
    assert "5 rapporter ska lämnas inom 30 dagar" in page
    assert "5 inlämnade rapporter att behandla" in page
    assert "5 projekt redo för avslut" in page
