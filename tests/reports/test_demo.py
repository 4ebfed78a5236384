"""The demo world's reports and communication (reports.demo)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from reports.models import CommunicationPlan, Publication, QuarterlyReport
from reports.periods import Quarter
from reports.selectors import plan_decision


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demo_has_two_past_reports_a_published_catalogue_and_a_decided_plan(demo, client):
    last = Quarter.current().previous()
    reports = QuarterlyReport.objects.order_by("year", "quarter")
    assert [(r.year, r.quarter) for r in reports] == [
        (last.previous().year, last.previous().quarter),
        (last.year, last.quarter),
    ]
    assert all(r.status == "done" and r.pdf and r.xlsx for r in reports)
    published = Publication.objects.filter(published=True)
    assert published.count() >= 1
    page = client.get("/katalog/").content.decode()
    for publication in published:
        assert publication.proposal.title in page
    plan = CommunicationPlan.objects.get(year=2026)
    decision = plan_decision(plan)
    assert decision is not None and decision.total_amount == 180_000
    assert CommunicationPlan.objects.get(year=2027).status == "draft"


def test_demo_is_idempotent(demo):
    counts = (QuarterlyReport.objects.count(), Publication.objects.count(), CommunicationPlan.objects.count())
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (
        QuarterlyReport.objects.count(),
        Publication.objects.count(),
        CommunicationPlan.objects.count(),
    ) == counts
