"""The quarterly report as an ordered set of sections. Each section is a function
`(agreement, quarter) -> dict | None` computing a plain, JSON-serialisable structure that the web page, the
PDF
and the workbook all render the same way (None: the section has nothing to say for this agreement).

A section's structure::

    {"key": "pipeline", "title": "…", "intro": "…",
     "facts": [[label, value, kind], …],
     "tables": [{"title": "…", "columns": [[label, kind], …], "rows": [[…], …], "total": [...] | None}],
     "charts": [{"kind": "bar" | "line", "title": "…", "labels": […], "series": [{"name": "…", "values":
     […]}],
                 "unit": "kr" | ""}]}

kind is "text", "int", "kr" (whole kronor), "date" (ISO), "num" (a measure, maybe with decimals) or "pct".
Every figure is computed as of the quarter's
end from history, so re-running a past quarter gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from samverkan.registry import Registry


@dataclass(frozen=True)
class SectionSpec:
    key: str
    compute: Callable


# The report's order: portfolio first, then money, then follow-up and what was spread.
ORDER = ["pipeline", "new", "meetings", "economy", "followup", "closures", "events", "kpis"]

specs: Registry[SectionSpec] = Registry(
    "reports.sections",
    key=lambda spec: spec.key,
    order=lambda spec: ORDER.index(spec.key) if spec.key in ORDER else len(ORDER),
)


def register(key: str):
    def decorator(function):
        specs.register(SectionSpec(key, function))
        return function

    return decorator


def all_sections() -> list[SectionSpec]:
    return list(specs)


def section(key: str, title: str, *, intro: str = "", facts=None, tables=None, charts=None) -> dict:
    return {
        "key": key,
        "title": str(title),
        "intro": str(intro),
        "facts": [[str(label), value, kind] for label, value, kind in (facts or [])],
        "tables": tables or [],
        "charts": charts or [],
    }


def table(title: str, columns: list[tuple[str, str]], rows: list[list], total: list | None = None) -> dict:
    return {
        "title": str(title),
        "columns": [[str(label), kind] for label, kind in columns],
        "rows": [[_plain(v) for v in row] for row in rows],
        "total": [_plain(v) for v in total] if total is not None else None,
    }


def chart(kind: str, title: str, labels: list[str], series: list[tuple[str, list]], unit: str = "") -> dict:
    return {
        "kind": kind,
        "title": str(title),
        "labels": [str(label) for label in labels],
        "series": [{"name": str(name), "values": [int(v or 0) for v in values]} for name, values in series],
        "unit": unit,
    }


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Money is always int; a Decimal here is a measure (a KPI value such as 72.5 %).
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
