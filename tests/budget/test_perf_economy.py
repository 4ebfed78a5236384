"""The start page's economy section reads the overview's totals and first warnings without reading every
project: the same figures and sentences as the economy overview, and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budget import selectors
from budget.models import Disbursement, Spending
from tests.budget.test_economy import _many_projects
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_line, frame, grant

pytestmark = pytest.mark.django_db


def spend(proposal, year, amount, by):
    Spending.objects.create(
        proposal=proposal,
        year=year,
        category="salaries",
        amount=amount,
        source="import",
        reference="x",
        created_by=by,
    )


def test_summary_has_the_overviews_totals_and_first_warnings(agreement, leader):
    small = budget_line(agreement, "Liten pott", area="MKL")
    big = budget_line(agreement, "Stor pott", area="MKHV")
    frame(agreement, 2025, {small: 100_000, big: 1_000_000})
    over = ProposalFactory(agreement=agreement, title="B Överskridet")
    grant(over, {2025: 150_000}, line=small, over_frame=True, reason="Beslutat i styrgruppen")
    spend(over, 2025, 200_000, leader)
    quiet = ProposalFactory(agreement=agreement, title="A Tyst projekt")
    grant(quiet, {2025: 400_000}, line=big)
    spend(quiet, 2025, 10_000, leader)
    paid = ProposalFactory(agreement=agreement, title="C Utbetalt")
    grant(paid, {2025: 100_000}, line=big)
    spend(paid, 2025, 90_000, leader)
    Disbursement.objects.create(
        proposal=paid,
        year=2025,
        amount=120_000,
        paid_on=datetime.date(2025, 3, 1),
        reference="x",
        created_by=leader,
    )
    as_of = timezone.localdate()  # the grants count from today, the year 2025 is finished

    overview = selectors.economy_overview(agreement, 2025, as_of=as_of)
    summary = selectors.economy_summary(agreement, 2025, as_of=as_of)
    everything = selectors.economy_summary(agreement, 2025, as_of=as_of, warnings=10)

    assert len(overview.warnings) == 4  # over-committed line, over-spent, low spending, over-paid
    assert overview.warnings[0].startswith("Budgetposten ”Liten pott” är överintecknad 2025")
    assert overview.warnings[1].startswith("A Tyst projekt: Låg förbrukning")
    assert summary.warnings == overview.warnings[:3]
    assert everything.warnings == overview.warnings
    assert summary.total == overview.total
    assert (summary.total.frame, summary.total.committed) == (1_100_000, 650_000)
    assert summary.has_frame and summary.year == 2025
    # Before the grants were decided nothing was committed (as_of is respected).
    assert selectors.economy_summary(agreement, 2025, as_of=datetime.date(2020, 1, 1)).total.committed == 0


def test_start_page_economy_query_count_does_not_grow_with_projects(
    client, agreement, pool, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    _many_projects(agreement, pool, 3)
    client.get("/?avsnitt=ekonomi")  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get("/?avsnitt=ekonomi")

    _many_projects(agreement, pool, 200)
    with django_assert_max_num_queries(len(few)):
        page = client.get("/?avsnitt=ekonomi").content.decode()

    year = selectors.default_year(agreement)
    assert f"Ekonomi {year}" in page
    assert "beslutat 203\xa0000\xa0kr" in page
    assert (
        timezone.localdate().year < 2027
    )  # the pool's frames are for 2027 and 2028: the start page shows 2027
