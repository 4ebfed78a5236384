"""The beredning's proposed amount per year, recorded with its ställningstagande (issue 16: "the decision
form is prefilled from the application and the beredning's proposal"). Governance announces the
ställningstagande (outcome_recorded); budget stores the money."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from governance import permissions as governance_permissions
from governance.models import AgendaItem
from samverkan.models import User
from samverkan.templatetags.money import format_kr

from ..models import ProposedAmount
from ..selectors import applied_per_year
from .application import AmountError, parse_amount


def proposed_field(year: int) -> str:
    """The form field of a year's proposed amount (the ställningstagande form, its errors)."""
    return f"proposed_amount_{year}"


def clean_proposed(year: int, value, applied: int) -> int:
    """Whole kronor, 0 or more, and at most what was applied for from the agreement that year: the beredning
    may propose less than applied for, never more (a larger grant needs a new application)."""
    try:
        amount = parse_amount(value)
    except AmountError as error:
        raise ValidationError(capfirst(f"{error.message}.")) from None
    if amount > applied:
        raise ValidationError(
            _("Beredningen kan föreslå högst det sökta beloppet för %(year)s, %(applied)s.")
            % {"year": year, "applied": format_kr(applied)}
        )
    return amount


@transaction.atomic
def proposed_amounts_record(
    *, item: AgendaItem, by: User, amounts: Mapping[int, object]
) -> list[ProposedAmount]:
    """Replace the item's proposed amounts. Every year must be a year of the application budget and every
    amount whole kronor between 0 and the amount applied for from the agreement that year; otherwise
    ValidationError keyed by the field, and nothing changes."""
    if not governance_permissions.can_record_outcome(by, item):
        raise PermissionDenied
    applied = {row.year: row.agreement for row in applied_per_year(item.proposal)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, int] = {}
    for year, value in amounts.items():
        if year not in applied:
            errors[proposed_field(year)] = [
                capfirst(_("ansökans budget har inget år %(year)s.") % {"year": year})
            ]
            continue
        try:
            cleaned[year] = clean_proposed(year, value, applied[year])
        except ValidationError as error:
            errors[proposed_field(year)] = error.messages
    if errors:
        raise ValidationError(errors)
    ProposedAmount.objects.filter(item=item).delete()
    return ProposedAmount.objects.bulk_create(
        ProposedAmount(item=item, year=year, amount=amount) for year, amount in sorted(cleaned.items())
    )
