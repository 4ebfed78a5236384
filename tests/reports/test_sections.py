"""Report figures for the known world (see conftest), checked exactly; reproducible as of a quarter's end."""

from __future__ import annotations

import pytest
import time_machine

from applications.enums import ProposalState as S
from governance.enums import DecisionKind
from governance.models import AgendaItem, Decision, DecisionAmount
from reports.periods import Quarter
from reports.services import compute_sections, report_request
from tests.factories.reports import at, move, proposal_at

Q1, Q2 = Quarter(2026, 1), Quarter(2026, 2)


def _by_key(sections):
    return {s["key"]: s for s in sections}


def _facts(section):
    return {label: value for label, value, _kind in section["facts"]}


def _rows(section, index=0):
    return section["tables"][index]["rows"]


def test_pipeline_counts_states_as_of_quarter_end(world, agreement):
    sections = _by_key(compute_sections(agreement, Q1))
    pipeline = sections["pipeline"]
    assert _facts(pipeline) == {"Ärenden totalt": 3, "Förändring under kvartalet": 2}
    assert _rows(pipeline) == [
        ["Dialog", 0, -1],
        ["Ansökan under arbete", 1, 1],
        ["Under beredning", 1, 1],
        ["Återkallad", 1, 1],
    ]
    assert pipeline["tables"][0]["total"] == ["Totalt", 3, 2]


def test_pipeline_second_quarter(world, agreement):
    rows = _rows(_by_key(compute_sections(agreement, Q2))["pipeline"])
    assert {row[0]: row[1] for row in rows} == {
        "Dialog": 1,
        "Ansökan under arbete": 0,
        "Inskickad": 1,
        "Under beredning": 0,
        "Beviljad": 1,
        "Återkallad": 1,
    }


def test_new_ideas_pitches_and_applications_per_quarter(world, agreement):
    new = _by_key(compute_sections(agreement, Q1))["new"]
    assert _facts(new) == {"Nya idéer": 2, "Nya pitchar": 1, "Inskickade ansökningar": 1}
    assert _rows(new, 0)[-2:] == [["Q4 2025", 1, 0, 0], ["Q1 2026", 2, 1, 1]]
    assert [row[1] for row in _rows(new, 1)] == ["Äldres digitala vardag", "Språkutveckling i förskolan"]
    q2 = _by_key(compute_sections(agreement, Q2))["new"]
    assert _facts(q2) == {"Nya idéer": 1, "Nya pitchar": 0, "Inskickade ansökningar": 1}


def test_meetings_and_decisions_with_amounts(world, agreement):
    meetings = _by_key(compute_sections(agreement, Q2))["meetings"]
    assert _facts(meetings) == {
        "Genomförda möten": 1,
        "Beslut": 1,
        "Beviljade projekt": 1,
        "Beviljat belopp": 1_200_000,
    }
    assert _rows(meetings, 1) == [
        ["2026-04-20", "Styrgrupp april 2026", 1, "Bevilja", "Språkutveckling i förskolan", 1_200_000]
    ]
    chart = meetings["charts"][0]
    assert chart["labels"] == ["2026", "2027"]
    assert chart["series"][0]["values"] == [500_000, 700_000]
    assert _facts(_by_key(compute_sections(agreement, Q1))["meetings"])["Beslut"] == 0


def test_rerun_of_a_past_quarter_gives_the_same_figures(
    world, agreement, leader, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 7, 2), tick=False), django_capture_on_commit_callbacks(execute=True):
        report, started = report_request(agreement=agreement, quarter=Q2, by=leader)
    report.refresh_from_db()
    assert started and report.status == "done"
    first = report.data["sections"]

    # After the quarter the world moves on; a decision for the April meeting is even recorded in August.
    with time_machine.travel(at(2026, 8, 4), tick=False):
        move(world["a"], S.IN_REVIEW, at(2026, 8, 1))
        move(world["c"], S.WITHDRAWN, at(2026, 8, 2))
        proposal_at(at(2026, 8, 3), agreement=agreement, title="Ny idé i augusti")
        item = AgendaItem.objects.create(meeting=world["meeting"], order=9, kind="decision", title="Tillägg")
        late = Decision.objects.create(
            meeting=world["meeting"],
            item=item,
            kind=DecisionKind.OTHER,
            paragraph=9,
            text="Beslut registrerat i efterhand.",
            created_by=leader,
        )
        DecisionAmount.objects.create(decision=late, year=2026, amount=99_000)
    with time_machine.travel(at(2026, 8, 5), tick=False), django_capture_on_commit_callbacks(execute=True):
        again, started = report_request(agreement=agreement, quarter=Q2, by=leader, rerun=True)
    again.refresh_from_db()
    assert started and again.pk == report.pk and again.runs == 2
    assert again.data["sections"] == first


@pytest.mark.parametrize(
    "quarter", [Quarter(2026, 4), Quarter(2023, 4)], ids=["not-ended", "before-agreement"]
)
def test_compute_sections_never_fails_for_empty_quarters(world, agreement, quarter):
    sections = compute_sections(agreement, quarter)
    assert [s["key"] for s in sections] == [
        "pipeline",
        "new",
        "meetings",
        "economy",
        "followup",
        "closures",
        "events",
        "kpis",
    ]


def test_economy_events_and_kpis_as_of_quarter_end(world, agreement):
    from decimal import Decimal

    from tests.factories.budget import budget_line, frame
    from tests.factories.followup import DisseminationEventFactory, EffectGoalFactory, goal_year

    line = budget_line(agreement, "Förstudier och projekt")
    frame(agreement, 2026, {line: 2_000_000})
    with time_machine.travel(at(2026, 4, 1), tick=False):
        DisseminationEventFactory(
            agreement=agreement, title="Vårens forskningsmöte", starts_at=at(2026, 5, 20, 13)
        )
    with time_machine.travel(at(2026, 7, 15), tick=False):  # registered after the quarter: not in it
        DisseminationEventFactory(agreement=agreement, title="Efterregistrerat", starts_at=at(2026, 6, 2, 13))
    goal = EffectGoalFactory(agreement=agreement, name="70 % upplever ny kunskap")
    goal_year(goal, 2026, target=Decimal("70"), value=Decimal("72.5"))

    sections = _by_key(compute_sections(agreement, Q2))
    economy = _facts(sections["economy"])
    assert economy["Ram 2026"] == 2_000_000 and economy["Kvar att bevilja"] == 2_000_000 - economy["Beviljat"]
    assert _rows(sections["economy"])[0][:2] == ["Förstudier och projekt (Gemensamma området)", 2_000_000]
    assert _facts(sections["events"]) == {"Spridningstillfällen": 1, "Presentationer": 0}
    assert [r[1] for r in _rows(sections["events"])] == ["Vårens forskningsmöte"]
    assert _rows(sections["kpis"]) == [["70 % upplever ny kunskap", 2026, 70, 72.5, "Grönt – målet är nått"]]
    assert _facts(sections["kpis"])["Mål nådda"] == 1
