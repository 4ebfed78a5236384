import os

import pytest
from django.core.management import call_command

from followup import demo
from followup.enums import ReportState
from followup.models import DisseminationEvent, FollowUpReport, GoalYear, Presentation


def snapshot():
    return {
        "reports": sorted(FollowUpReport.objects.values_list("proposal__title", "kind", "state")),
        "events": DisseminationEvent.objects.count(),
        "presentations": Presentation.objects.count(),
        "values": GoalYear.objects.count(),
    }


@pytest.mark.django_db(transaction=True)
def test_demo_world_has_every_follow_up_situation_and_is_idempotent():
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    first = snapshot()

    summary = demo.summary()
    assert summary["states"][demo.HERITAGE] == "closing"
    assert summary["states"][demo.YOUTH] == "closed"
    assert summary["events"] == 2 and summary["goals"] == 3
    reports = FollowUpReport.objects.select_related("proposal")
    assert any(r.is_open and r.is_late for r in reports)  # overdue
    assert any(r.is_open and not r.is_late and r.state == ReportState.DUE for r in reports)  # due soon
    assert reports.filter(state=ReportState.SUBMITTED).exists()
    assert reports.filter(state=ReportState.TREATED).exists()
    past, upcoming = sorted(DisseminationEvent.objects.all(), key=lambda e: e.starts_at)
    assert past.is_past and not upcoming.is_past
    assert GoalYear.objects.values("year").distinct().count() == 2

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert snapshot() == first
