"""Reading the budget grid from a POST. The grid is a table of free-text cells; checking the amounts is the
service's job (one rule for every way in)."""

from __future__ import annotations

import re

from ..models import CellKey

CELL_NAME = re.compile(
    r"^c-(?P<year>\d{4})-(?P<category>[a-z_]+)-(?P<source>[a-z_]+)(?:-(?P<organisation>\d+))?$"
)


def cells_from_post(data) -> dict[CellKey, str]:
    """Every posted cell ("c-<year>-<category>-<source>[-<organisation id>]") with the text as typed."""
    cells: dict[CellKey, str] = {}
    for name, value in data.items():
        match = CELL_NAME.match(name)
        if match is None:
            continue
        organisation = int(match["organisation"]) if match["organisation"] else None
        cells[CellKey(int(match["year"]), match["category"], match["source"], organisation)] = value
    return cells
