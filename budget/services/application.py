"""Budget writes. The application budget is saved as a whole: every cell is checked and either all rows are
replaced or nothing changes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from applications.models import Proposal
from samverkan.errors import ApplicationError
from samverkan.models import Organisation, User

from .. import permissions
from ..enums import CostCategory, FundingSource
from ..models import ApplicationBudgetRow, CellKey, cell_label

# Far above any research budget; keeps typos (an extra row of zeros) out of the sums.
MAX_AMOUNT = 999_999_999_999
NO_PERIOD_MESSAGE = _lazy("Ange projektets planerade start och slut innan budgeten fylls i.")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_UNIT = re.compile(r"(kr\.?|kronor)$", re.IGNORECASE)


class AmountError(ApplicationError):
    """A cell value that is not a whole, non-negative number of kronor (the message is Swedish)."""


def parse_amount(value) -> int:
    """Whole kronor from what a person types: "12 000", "12000", "12 000 kr" (spaces may be NBSP).

    Empty means 0. Decimals ("12,5"), negative numbers, letters and floats are refused: the budget is in
    whole kronor and money is never float (DESIGN.md, "Budget")."""
    if value is None:
        return 0
    if isinstance(value, bool | float):
        raise AmountError(_("ange ett helt antal kronor (0 eller mer)"))
    if isinstance(value, int | Decimal):
        if value != int(value) or value < 0:
            raise AmountError(_("ange ett helt antal kronor (0 eller mer)"))
        amount = int(value)
    else:
        text = _SPACES.sub("", str(value))
        text = _UNIT.sub("", text)
        if text == "":
            return 0
        if not text.isascii() or not text.isdigit():
            raise AmountError(_("ange ett helt antal kronor (0 eller mer)"))
        amount = int(text)
    if amount > MAX_AMOUNT:
        raise AmountError(_("beloppet är orimligt stort – ange hela kronor, utan ören"))
    return amount


def _as_key(key) -> CellKey:
    return key if isinstance(key, CellKey) else CellKey(*key)


def _clean(proposal: Proposal, cells: Mapping) -> list[ApplicationBudgetRow]:
    """Check every cell; collect one Swedish message per bad cell (keyed by the cell's name)."""
    keys = {_as_key(key): value for key, value in cells.items()}
    if not (proposal.planned_start and proposal.planned_end):
        raise ValidationError({NON_FIELD_ERRORS: [NO_PERIOD_MESSAGE]})
    first, last = proposal.planned_start.year, proposal.planned_end.year
    party_ids = proposal.agreement.organisation_ids()
    mentioned = {key.organisation_id for key in keys if key.organisation_id is not None}
    organisations = Organisation.objects.in_bulk(mentioned) if mentioned else {}

    errors: dict[str, list[str]] = {}
    rows: list[ApplicationBudgetRow] = []
    for key in sorted(keys, key=lambda k: (k.year, k.category, k.source, k.organisation_id or 0)):
        label = cell_label(key, organisations)
        try:
            amount = parse_amount(keys[key])
        except AmountError as error:
            errors[key.name] = [f"{label}: {error}."]
            continue
        if amount == 0:
            continue  # an empty or zero cell means "no row"
        problem = _placement_problem(key, first, last, party_ids)
        if problem:
            errors[key.name] = [f"{label}: {problem}"]
            continue
        rows.append(
            ApplicationBudgetRow(
                proposal=proposal,
                year=key.year,
                category=key.category,
                source=key.source,
                organisation_id=key.organisation_id,
                amount=amount,
            )
        )
    if errors:
        raise ValidationError(errors)
    return rows


def _placement_problem(key: CellKey, first: int, last: int, party_ids: set[int]) -> str | None:
    if key.category not in CostCategory.values:
        return _("okänt kostnadsslag.")
    if key.source not in FundingSource.values:
        return _("okänd finansieringskälla.")
    if not first <= key.year <= last:
        return _("året ligger utanför projektets planerade period (%(first)s–%(last)s).") % {
            "first": first,
            "last": last,
        }
    if key.source == FundingSource.OWN_CONTRIBUTION:
        if key.organisation_id is None:
            return _("ange vilken part som står för den egna insatsen.")
        if key.organisation_id not in party_ids:
            return _(
                "en egen insats kan bara komma från en part i samverkansavtalet (universitetet, "
                "en kommun eller ett kommunalt bolag)."
            )
    elif key.organisation_id is not None:
        return _("bara egen insats anges per part.")
    return None


def _replace_rows(proposal: Proposal, rows: list[ApplicationBudgetRow]) -> None:
    ApplicationBudgetRow.objects.filter(proposal=proposal).delete()
    ApplicationBudgetRow.objects.bulk_create(rows)


@transaction.atomic
def budget_save(*, proposal: Proposal, by: User, cells: Mapping) -> None:
    """Replace the proposal's application budget with `cells` ({CellKey or (year, category, source,
    organisation_id): typed value}); empty and zero cells mean no row.

    The budget is per year × cost category × funding source (samverkansavtalet, own contribution per party,
    external funder), in whole kronor, for the years of the planned period; own contributions come from the
    agreement's parties (DESIGN.md, "Budget"). Applicants edit it while they write the application. Any bad
    cell refuses the whole save with one Swedish message per cell (ValidationError keyed by cell name).
    """
    # Lock the proposal so a submission cannot slip in between the check and the write.
    fresh = Proposal.objects.select_for_update().select_related("agreement").get(pk=proposal.pk)
    if not permissions.can_edit_budget(by, fresh):
        raise PermissionDenied
    rows = _clean(fresh, cells)
    _replace_rows(fresh, rows)


@transaction.atomic
def budget_replace_unchecked(*, proposal: Proposal, cells: Mapping) -> None:
    """Validate and replace without a person's permission – for the demo world and imports run by the
    system, never from a view."""
    fresh = Proposal.objects.select_for_update().select_related("agreement").get(pk=proposal.pk)
    _replace_rows(fresh, _clean(fresh, cells))
