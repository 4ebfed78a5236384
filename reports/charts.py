"""Bar and line charts as server-rendered SVG: the same markup goes into the web page and the PDF (WeasyPrint
draws inline SVG), so no JavaScript and nothing from a CDN. Input is a section's chart structure."""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString, mark_safe

from samverkan.templatetags.money import format_kr

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 18, 64
# Colour-blind safe (Okabe–Ito), dark enough against white for 3:1 contrast of graphics.
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#7A6A00", "#56B4E9"]
FONT = "Liberation Sans, DejaVu Sans, Arial, sans-serif"


def _nice_max(value: int) -> int:
    """A round axis maximum, at least 4 so that the five ticks are whole numbers."""
    if value <= 4:
        return 4
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return int(10 * magnitude)


def _tick(value: int, unit: str) -> str:
    if unit == "kr":
        if value >= 1_000_000:
            return f"{value / 1_000_000:.1f}".replace(".", ",").replace(",0", "") + " mnkr"
        if value >= 1000:
            return f"{value // 1000} tkr"
        return f"{value} kr"
    return f"{value:,}".replace(",", "\u00a0")


def _label(value: int, unit: str) -> str:
    return format_kr(value) if unit == "kr" else f"{value:,}".replace(",", "\u00a0")


def _text(x, y, content, *, anchor="middle", size=11, fill="#222", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-family="{FONT}"{extra}>{escape(str(content))}</text>'
    )


def _axes(maximum: int, unit: str) -> list[str]:
    parts = []
    plot_h = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = maximum * i // 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(_text(LEFT - 6, y + 4, _tick(value, unit), anchor="end", size=10, fill="#444"))
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#333"/>'
    )
    return parts


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _legend(series: list[dict]) -> list[str]:
    if len(series) < 2:
        return []
    parts, x = [], LEFT
    y = HEIGHT - 12
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, s["name"], anchor="start", size=10))
        x += 24 + 6.2 * len(s["name"])
    return parts


def bar_chart(data: dict) -> str:
    labels, series, unit = data["labels"], data["series"], data.get("unit", "")
    maximum = _nice_max(max((v for s in series for v in s["values"]), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _axes(maximum, unit)
    group_w = plot_w / max(len(labels), 1)
    bar_w = min(48, group_w * 0.7 / max(len(series), 1))
    limit = max(6, int(group_w / 6.2))
    for i, label in enumerate(labels):
        group_x = LEFT + group_w * i + (group_w - bar_w * len(series)) / 2
        for j, s in enumerate(series):
            value = s["values"][i]
            h = plot_h * value / maximum
            x = group_x + j * bar_w
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[j % len(COLOURS)]}">'
                f"<title>{escape(label)}: {escape(_label(value, unit))}</title></rect>"
            )
            if len(series) == 1 or bar_w >= 30:
                parts.append(_text(x + (bar_w - 2) / 2, y - 4, _label(value, unit), size=10))
        parts.append(_text(LEFT + group_w * (i + 0.5), TOP + plot_h + 16, _short(label, limit), size=10))
    parts += _legend(series)
    return _svg(data, parts)


def line_chart(data: dict) -> str:
    labels, series, unit = data["labels"], data["series"], data.get("unit", "")
    maximum = _nice_max(max((v for s in series for v in s["values"]), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = _axes(maximum, unit)
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        parts.append(_text(LEFT + step * (i + 0.5), TOP + plot_h + 16, label, size=10))
    for j, s in enumerate(series):
        colour = COLOURS[j % len(COLOURS)]
        points = [
            (LEFT + step * (i + 0.5), TOP + plot_h - plot_h * v / maximum) for i, v in enumerate(s["values"])
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for (x, y), value, label in zip(points, s["values"], labels, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(s['name'])} {escape(label)}: {escape(_label(value, unit))}</title></circle>"
            )
    parts += _legend(series)
    return _svg(data, parts)


def _svg(data: dict, parts: list[str]) -> str:
    summary = "; ".join(
        f"{s['name']}: "
        + ", ".join(
            f"{label} {_label(v, data.get('unit', ''))}"
            for label, v in zip(data["labels"], s["values"], strict=True)
        )
        for s in data["series"]
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-label="{escape(data["title"])}. {escape(summary)}" class="chart">'
        f"<title>{escape(data['title'])}</title>" + "".join(parts) + "</svg>"
    )


def render(data: dict) -> SafeString:
    """The chart as SVG markup (everything in it escaped)."""
    return mark_safe(line_chart(data) if data["kind"] == "line" else bar_chart(data))
