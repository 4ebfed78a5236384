"""Writes for the agreement's frames: a year's frame over the budget lines, and new lines. Every bad value is
reported at once and nothing is saved; money is whole kronor (int)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.models import Agreement, User

from .. import permissions
from ..enums import LineKind
from ..models import BudgetFrame, BudgetLine, FrameAmount
from .application import AmountError, parse_amount

FIRST_YEAR, LAST_YEAR = 2000, 2100


def check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": _("Ange året med fyra siffror, t.ex. 2027.")}) from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("Ange ett år mellan 2000 och 2100.")})
    return year


@transaction.atomic
def frame_save(
    *,
    agreement: Agreement,
    year: int,
    by: User,
    amounts: Mapping[int, object],
    new_lines: list[dict] = (),
    note: str | None = None,
) -> BudgetFrame:
    """Create or replace the year's frame: `amounts` maps existing line ids to typed amounts (empty = the
    line is not in this year's frame); `new_lines` adds lines ({"area", "name", "kind", "amount",
    "proposal"}). Every bad value is reported (ValidationError keyed "line-<id>" / "new-<n>-<field>") and
    nothing is saved."""
    if not permissions.can_manage_economy(by, agreement):
        raise PermissionDenied
    year = check_year(year)
    lines = {line.pk: line for line in BudgetLine.objects.filter(agreement=agreement)}
    errors: dict[str, list[str]] = {}
    parsed: dict[int, int] = {}
    for line_id, value in amounts.items():
        line = lines.get(int(line_id))
        if line is None:
            errors.setdefault("__all__", []).append(_("Okänd budgetpost."))
            continue
        try:
            amount = parse_amount(value)
        except AmountError as error:
            errors[f"line-{line.pk}"] = [f"{line.name}: {error}."]
            continue
        if str(value or "").strip() != "":
            parsed[line.pk] = amount
    known = {(line.area.casefold(), line.name.casefold()) for line in lines.values()}
    created: list[tuple[dict, int]] = []
    for index, row in enumerate(new_lines):
        area = (row.get("area") or "").strip()
        name = (row.get("name") or "").strip()
        raw = row.get("amount")
        if not name and not area and str(raw or "").strip() == "":
            continue  # an empty row
        prefix = f"new-{index}"
        label = name or _("Ny budgetpost %(n)s") % {"n": index + 1}
        if not name:
            errors[f"{prefix}-name"] = [_("%(label)s: ange budgetpostens namn.") % {"label": label}]
        if not area:
            errors[f"{prefix}-area"] = [_("%(label)s: ange samverkansområde.") % {"label": label}]
        kind = row.get("kind") or LineKind.OPERATIONS
        if kind not in LineKind.values:
            errors[f"{prefix}-kind"] = [_("%(label)s: okänd typ av budgetpost.") % {"label": label}]
        try:
            amount = parse_amount(raw)
        except AmountError as error:
            errors[f"{prefix}-amount"] = [f"{label}: {error}."]
            continue
        if name and area:
            key = (area.casefold(), name.casefold())
            if key in known:
                errors[f"{prefix}-name"] = [
                    _("%(label)s: det finns redan en budgetpost med det namnet i området.") % {"label": label}
                ]
            known.add(key)
        created.append(({**row, "area": area, "name": name, "kind": kind}, amount))
    if errors:
        raise ValidationError(errors)

    frame, _created = BudgetFrame.objects.select_for_update().get_or_create(
        agreement=agreement, year=year, defaults={"created_by": by, "note": note or ""}
    )
    if note is not None and frame.note != note:
        frame.note = note
        frame.save(update_fields=["note", "updated_at"])
    FrameAmount.objects.filter(frame=frame).exclude(line_id__in=parsed).delete()
    for line_id, amount in parsed.items():
        FrameAmount.objects.update_or_create(frame=frame, line_id=line_id, defaults={"amount": amount})
    order = max((line.order for line in lines.values()), default=0)
    for row, amount in created:
        order += 1
        line = BudgetLine.objects.create(
            agreement=agreement,
            area=row["area"],
            name=row["name"],
            kind=row["kind"],
            proposal=row.get("proposal"),
            order=order,
        )
        FrameAmount.objects.create(frame=frame, line=line, amount=amount)
    frame.save(update_fields=["updated_at"])
    return frame
