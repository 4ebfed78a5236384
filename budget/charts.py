"""Grouped bar charts as server-rendered SVG (templates/budget/_bar_chart.html): no JavaScript, printable,
and accessible – the SVG has a <title> and <desc>, and the page shows the same figures in a table.

Only the geometry is computed here (pixel positions may be fractions); the amounts stay whole kronor.
"""

from __future__ import annotations

from dataclasses import dataclass

from samverkan.templatetags.money import format_kr

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 124, 16, 16, 56
COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000")


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str  # "2027, Beslutat: 996 000 kr" – the bar's own <title>


@dataclass
class Group:
    label: str
    x: float  # centre, for the axis label
    bars: list[Bar]


@dataclass
class Tick:
    y: float
    label: str


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    series: list[tuple[str, str]]  # (name, colour) for the legend
    groups: list[Group]
    ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _nice_max(value: int) -> int:
    """The axis maximum: 1, 2 or 5 × a power of ten, at least the largest value."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    series: list[str],
    rows: list[tuple[str, list[int]]],
    colours: tuple[str, ...] = COLOURS,
) -> BarChart:
    """rows: (group label, one amount per series); `colours` per series, so that a measure keeps its colour
    from chart to chart."""
    top = _nice_max(max((v for _label, values in rows for v in values), default=0))
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    groups = []
    if rows:
        slot = plot_width / len(rows)
        bar_width = min(36.0, slot * 0.8 / max(1, len(series)))
        for index, (label, values) in enumerate(rows):
            start = LEFT + slot * index + (slot - bar_width * len(series)) / 2
            bars = []
            for s, value in enumerate(values):
                height = plot_height * value / top
                bars.append(
                    Bar(
                        x=round(start + bar_width * s, 1),
                        y=round(TOP + plot_height - height, 1),
                        width=round(bar_width - 2, 1),
                        height=round(height, 1),
                        colour=colours[s % len(colours)],
                        label=f"{label}, {series[s]}: {format_kr(value)}",
                    )
                )
            groups.append(Group(label, round(LEFT + slot * index + slot / 2, 1), bars))
    ticks = [
        Tick(round(TOP + plot_height - plot_height * step / 4, 1), format_kr(top * step // 4))
        for step in range(5)
    ]
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        series=[(name, colours[i % len(colours)]) for i, name in enumerate(series)],
        groups=groups,
        ticks=ticks,
    )
