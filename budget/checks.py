"""The budget's part of the completeness check before submission (registered in apps.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def budget_missing(proposal) -> list[str]:
    """An application needs a budget (DESIGN.md, "Budget"), within the planned period.

    Reads `proposal.budget_rows.all()`, so lists that prefetch "budget_rows" check many proposals without a
    query each."""
    rows = [row for row in proposal.budget_rows.all() if row.amount > 0]
    if not rows:
        return [_("Budget saknas – fyll i budgeten.")]
    if proposal.planned_start and proposal.planned_end:
        period = range(proposal.planned_start.year, proposal.planned_end.year + 1)
        stray = sorted({row.year for row in rows if row.year not in period})
        if stray:
            years = ", ".join(str(year) for year in stray)
            message = _("Budgeten har belopp för år utanför den planerade perioden (%(years)s).")
            return [message % {"years": years}]
    return []
