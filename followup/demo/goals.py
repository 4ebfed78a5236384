"""The agreement's effect goals and KPIs in the demo, with targets and values for 2025 and 2026 (the targets
from seed 001, e.g. "70 % av konferensdeltagarna…")."""

from __future__ import annotations

from decimal import Decimal

from samverkan.demo import person

from .. import services
from ..enums import GoalKind, Unit
from ..models import EffectGoal
from .cast import LEADER

GOALS = [
    {
        "name": "70 % av konferensdeltagarna upplever att konferenserna bidragit till ny kunskap om samverkan",
        "kind": GoalKind.EFFECT_GOAL,
        "unit": Unit.PERCENT,
        "baseline": Decimal(55),
        "years": [
            (2025, 65, 140, 87, "Enkät till deltagarna i resultatspridningen"),
            (2026, 70, 152, 108, "Enkät till deltagarna i resultatspridningen"),
        ],
        "activities": "Resultatspridningstillfällena i kvartal 2 och 4.",
    },
    {
        "name": "60 % av användarna anser att det webbaserade stödmaterialet bidragit positivt till samverkansarbetet",
        "kind": GoalKind.EFFECT_GOAL,
        "unit": Unit.PERCENT,
        "baseline": Decimal(40),
        "years": [(2025, 50, 80, 38, "Webbenkät"), (2026, 60, 95, 53, "Webbenkät")],
        "activities": "Mallar och guider på webben för kommunsamverkan.",
    },
    {
        "name": "Antal nya gemensamma projekt per år",
        "kind": GoalKind.KPI,
        "unit": Unit.COUNT,
        "baseline": Decimal(3),
        "years": [(2025, 6, None, None, Decimal(6)), (2026, 8, None, None, Decimal(5))],
        "activities": "Kommungemensam beredning varje kvartal.",
    },
]


def goals_load(agreement, proposals) -> None:
    leader = person(LEADER)
    for order, spec in enumerate(GOALS):
        goal = EffectGoal.objects.filter(agreement=agreement, name=spec["name"]).first()
        if goal is None:
            goal = services.goal_save(
                agreement=agreement,
                by=leader,
                proposals=proposals,
                kind=spec["kind"],
                name=spec["name"],
                unit=spec["unit"],
                baseline=spec["baseline"],
                baseline_year=2024,
                order=order,
                contributing_activities=spec["activities"],
            )
        for year, target, respondents, agreeing, source_or_value in spec["years"]:
            if goal.years.filter(year=year).exists():
                continue
            if respondents:
                services.goal_year_save(
                    goal=goal,
                    by=leader,
                    year=year,
                    target=Decimal(target),
                    source=source_or_value,
                    respondents=respondents,
                    agreeing=agreeing,
                )
            else:
                services.goal_year_save(
                    goal=goal,
                    by=leader,
                    year=year,
                    target=Decimal(target),
                    value=source_or_value,
                    source="Samverkans projektportfölj",
                )
