"""The beredning's proposed amount per year (budget.ProposedAmount)."""

from __future__ import annotations

from governance.enums import ReviewOutcome

from ..models import ProposedAmount


def proposed_for_item(item_id: int) -> dict[int, int]:
    """The amounts per year the beredning proposed on this item (empty when it proposed none)."""
    return dict(ProposedAmount.objects.filter(item_id=item_id).values_list("year", "amount"))


def proposed_for_proposal(proposal_id: int) -> dict[int, int]:
    """The amounts per year of the latest beredning item that forwarded the proposal with proposed amounts,
    in one query (the styrgrupp's decision form and facts)."""
    rows = list(
        ProposedAmount.objects.filter(item__proposal_id=proposal_id, item__outcome=ReviewOutcome.FORWARD)
        .order_by("-item__outcome_at", "-item_id", "year")
        .values_list("item_id", "year", "amount")
    )
    if not rows:
        return {}
    latest = rows[0][0]
    return {year: amount for item_id, year, amount in rows if item_id == latest}
