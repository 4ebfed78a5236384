"""Effect goals and KPIs: the traffic light for a year (target vs outcome) and the chart data. Pure
functions over GoalYear rows; no queries."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .enums import Light

# Within this share of the target counts as "nära målet" (yellow).
NEAR = Decimal("0.9")


def light(target: Decimal | None, value: Decimal | None, *, higher_is_better: bool = True) -> str:
    """Green when the outcome reaches the target, yellow when it is within 10 % of it, red otherwise; grey
    when there is no outcome or no target for the year."""
    if target is None or value is None:
        return Light.GREY
    if higher_is_better:
        if value >= target:
            return Light.GREEN
        return Light.YELLOW if value >= target * NEAR else Light.RED
    if value <= target:
        return Light.GREEN
    return Light.YELLOW if value * NEAR <= target else Light.RED


@dataclass(frozen=True)
class Bar:
    year: int
    target: Decimal | None
    value: Decimal | None
    light: str
    # Heights in percent of the chart's scale (0–100), for the SVG chart.
    target_height: float
    value_height: float

    @property
    def target_y(self) -> float:
        return round(100 - self.target_height, 1)

    @property
    def value_y(self) -> float:
        return round(100 - self.value_height, 1)


def chart(goal, years) -> dict:
    """Chart data for a goal: one bar pair (target, outcome) per year with its light, and the scale."""
    rows = sorted(years, key=lambda row: row.year)
    numbers = [n for row in rows for n in (row.target, row.value) if n is not None]
    if goal.baseline is not None:
        numbers.append(goal.baseline)
    top = max(numbers, default=Decimal(0))
    if goal.unit == "percent":
        top = max(top, Decimal(100))
    scale = top or Decimal(1)

    def height(number):
        return round(float(number / scale * 100), 1) if number is not None else 0.0

    bars = [
        Bar(
            year=row.year,
            target=row.target,
            value=row.value,
            light=light(row.target, row.value, higher_is_better=goal.higher_is_better),
            target_height=height(row.target),
            value_height=height(row.value),
        )
        for row in rows
    ]
    return {
        "bars": bars,
        "max": scale,
        "baseline_height": height(goal.baseline) if goal.baseline is not None else None,
    }


def share(respondents: int | None, agreeing: int | None) -> Decimal | None:
    """A survey's share agreeing, in percent with one decimal."""
    if not respondents or agreeing is None:
        return None
    return (Decimal(agreeing) * 100 / Decimal(respondents)).quantize(Decimal("0.1"))
