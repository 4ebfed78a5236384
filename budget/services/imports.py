"""Import of actual costs (utfall) from the finance system's export, as CSV or XLSX.

The file format (shown on the import page as well):

    projekt;år;kostnadsslag;belopp
    4711-SAM;2027;Löner inkl. lönebikostnader;412 000
    SAM-2026-0003;2027;travel;18 250,00

- one header row; column names are case-insensitive, in any order; other columns are ignored;
- ``projekt``: the project account (projektkonto) or the ärende id (SAM-ÅÅÅÅ-NNNN);
- ``år``: the year the costs belong to;
- ``kostnadsslag``: the cost category, by its Swedish name or its code (salaries, indirect, travel,
  equipment, services, other);
- ``belopp``: whole kronor; spaces as thousands separators and ",00" are accepted, öre are not.
- CSV: UTF-8 (with or without BOM), separated by semicolons or commas.

The file is the finance system's year-to-date outcome: for every project and year in the file, the
previously imported costs are replaced. Several rows for the same project, year and category are added up.
Any bad row refuses the whole file, with a message per row and column; nothing is saved.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Proposal
from samverkan.models import Agreement, User

from .. import permissions
from ..enums import CostCategory, SpendingSource
from ..models import Spending
from .application import AmountError, parse_amount

COLUMNS = ("projekt", "år", "kostnadsslag", "belopp")
MAX_ROWS = 20_000
_REFERENCE = re.compile(r"^SAM-\d{4}-(\d+)$", re.IGNORECASE)
_ZERO_ORE = re.compile(r"[,.]00$")


@dataclass
class ImportResult:
    rows: int
    projects: int
    total: int


def _category(value: str) -> str | None:
    text = value.strip().casefold()
    for code, label in CostCategory.choices:
        if text in (code, str(label).casefold()):
            return code
    return None


def _read_rows(filename: str, content: bytes) -> list[list[str]]:
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("Filen kunde inte läsas som en Excel-fil (.xlsx).")) from exc
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if cell is None else _cell_text(cell) for cell in row])
        workbook.close()
        return rows
    if name.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("CSV-filen ska vara sparad som UTF-8.")) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    raise ValidationError(_("Välj en CSV- eller XLSX-fil."))


def _cell_text(cell) -> str:
    if isinstance(cell, float):
        # Excel stores every number as float; a whole number of kronor is written without decimals, and
        # anything else is kept as typed so that the amount check can refuse it.
        return str(int(cell)) if cell.is_integer() else repr(cell).replace(".", ",")
    return str(cell).strip()


def _proposals_by_key(agreement: Agreement) -> tuple[dict[str, Proposal], dict[int, Proposal]]:
    proposals = list(Proposal.objects.filter(agreement=agreement))
    by_account = {p.project_account.strip().casefold(): p for p in proposals if p.project_account.strip()}
    return by_account, {p.pk: p for p in proposals}


def _find(text: str, by_account, by_pk) -> Proposal | None:
    key = text.strip().casefold()
    if key in by_account:
        return by_account[key]
    match = _REFERENCE.match(text.strip())
    if match:
        proposal = by_pk.get(int(match.group(1)))
        if proposal is not None and proposal.reference.casefold() == key:
            return proposal
    return None


def parse_spending_file(*, agreement: Agreement, filename: str, content: bytes):
    """Check every row; returns {(proposal, year, category): amount}. Raises ValidationError with one
    Swedish message per bad row and column ("Rad 3, kolumn ”belopp”: …")."""
    rows = [row for row in _read_rows(filename, content)]
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationError(_("Filen är tom."))
    header = [cell.strip().casefold() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            _("Rad 1: kolumnerna %(missing)s saknas. Första raden ska innehålla %(columns)s.")
            % {
                "missing": ", ".join(f"”{c}”" for c in missing),
                "columns": ", ".join(f"”{c}”" for c in COLUMNS),
            }
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS})
    index = {column: header.index(column) for column in COLUMNS}
    by_account, by_pk = _proposals_by_key(agreement)
    errors: list[str] = []
    sums: dict[tuple[Proposal, int, str], int] = defaultdict(int)
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {column: (row[i] if i < len(row) else "").strip() for column, i in index.items()}

        def problem(column: str, message: str, number=number) -> None:
            errors.append(
                _("Rad %(row)s, kolumn ”%(column)s”: %(message)s")
                % {"row": number, "column": column, "message": message}
            )

        proposal = _find(cells["projekt"], by_account, by_pk)
        if not cells["projekt"]:
            problem("projekt", _("projekt saknas."))
        elif proposal is None:
            problem(
                "projekt",
                _("”%(v)s” är varken ett projektkonto eller ett ärende-id i avtalet.")
                % {"v": cells["projekt"]},
            )
        year = cells["år"]
        if not (year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100):
            problem("år", _("”%(v)s” är inget år (t.ex. 2027).") % {"v": year})
        category = _category(cells["kostnadsslag"])
        if category is None:
            problem(
                "kostnadsslag",
                _("”%(v)s” är inget kostnadsslag; använd %(names)s.")
                % {
                    "v": cells["kostnadsslag"],
                    "names": ", ".join(str(label) for _c, label in CostCategory.choices),
                },
            )
        try:
            amount = parse_amount(_ZERO_ORE.sub("", cells["belopp"].replace("\xa0", " ")))
        except AmountError as error:
            problem("belopp", f"”{cells['belopp']}”: {error}.")
            continue
        if proposal is not None and category is not None and year.isdigit():
            sums[(proposal, int(year), category)] += amount
    if errors:
        raise ValidationError(errors)
    if not sums:
        raise ValidationError(_("Filen innehåller inga rader med kostnader."))
    return sums


@transaction.atomic
def spending_import(*, agreement: Agreement, filename: str, content: bytes, by: User) -> ImportResult:
    """Import the finance system's outcome (see the module docstring for the format). All or nothing."""
    if not permissions.can_manage_economy(by, agreement):
        raise PermissionDenied
    sums = parse_spending_file(agreement=agreement, filename=filename, content=content)
    pairs = {(proposal.pk, year) for proposal, year, _category in sums}
    for proposal_id, year in pairs:
        Spending.objects.filter(proposal_id=proposal_id, year=year, source=SpendingSource.IMPORT).delete()
    reference = filename[:120]
    Spending.objects.bulk_create(
        Spending(
            proposal=proposal,
            year=year,
            category=category,
            amount=amount,
            source=SpendingSource.IMPORT,
            reference=reference,
            created_by=by,
        )
        for (proposal, year, category), amount in sorted(
            sums.items(), key=lambda item: (item[0][0].pk, item[0][1], item[0][2])
        )
        if amount
    )
    return ImportResult(rows=len(sums), projects=len({p for p, _y in pairs}), total=sum(sums.values()))
