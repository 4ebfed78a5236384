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
Any bad row refuses the whole file, with a message per row and column; nothing is saved. An empty amount is
a bad row, not a zero: a blank cell must never wipe out costs.

Two steps when something would be replaced (issue 14): `spending_import_preview` reads the file and says
what it will replace (old amount → new amount) without writing; `spending_import_apply` carries it out
once the user has confirmed, and refuses if the imported costs changed in between. A file that replaces
nothing is saved at once (`spending_import`). Nothing imported is ever deleted without the user having
seen it.

The file is read as a stream and reading stops at the row limit: a small file that unpacks to a million
rows (or declares one far down the sheet) costs no more than the limit.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

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
# Columns read from each row of a workbook; the sheet's own dimension is not trusted (it can claim 16 384).
MAX_COLUMNS = 50
_REFERENCE = re.compile(r"^SAM-\d{4}-(\d+)$", re.IGNORECASE)
_ZERO_ORE = re.compile(r"[,.]00$")


@dataclass
class ImportResult:
    rows: int
    projects: int
    total: int


@dataclass(frozen=True)
class ImportChange:
    """One project, year and cost category as the preview shows it: what is there now, what the file says."""

    proposal: Proposal
    year: int
    category: str
    old: int | None  # None: nothing imported before
    new: int | None  # None: not in the file, so the old amount goes

    @property
    def category_label(self) -> str:
        return str(CostCategory(self.category).label)

    @property
    def kind(self) -> str:
        if self.old is None:
            return "new"
        if self.new is None:
            return "removed"
        return "same" if self.old == self.new else "changed"


@dataclass
class SpendingImportPlan:
    """What an import will do. `rows` are (proposal id, year, category, amount); `replaces` is the imported
    costs it deletes as (spending id, amount) – the fingerprint the confirmation is checked against."""

    agreement_id: int
    filename: str
    rows: list[tuple[int, int, str, int]]
    replaces: list[tuple[int, int]]
    changes: list[ImportChange] = field(default_factory=list)

    @property
    def replaces_anything(self) -> bool:
        return bool(self.replaces)

    @property
    def total(self) -> int:
        return sum(amount for *_key, amount in self.rows)

    def as_data(self) -> dict:
        """For the session between preview and confirmation (JSON)."""
        return {
            "agreement": self.agreement_id,
            "filename": self.filename,
            "rows": [list(row) for row in self.rows],
            "replaces": [list(row) for row in self.replaces],
        }

    @classmethod
    def from_data(cls, data: dict) -> SpendingImportPlan:
        return cls(
            agreement_id=int(data["agreement"]),
            filename=str(data["filename"]),
            rows=[(int(p), int(y), str(c), int(a)) for p, y, c, a in data["rows"]],
            replaces=[(int(pk), int(a)) for pk, a in data["replaces"]],
        )


def _category(value: str) -> str | None:
    text = value.strip().casefold()
    for code, label in CostCategory.choices:
        if text in (code, str(label).casefold()):
            return code
    return None


def _read_rows(filename: str, content: bytes) -> Iterator[list[str]]:
    """The file's rows, one at a time, as text; the caller stops reading when it has seen enough."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        yield from _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        yield from _csv_rows(content)
    else:
        raise ValidationError(_("Välj en CSV- eller XLSX-fil."))


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    unreadable = _("Filen kunde inte läsas som en Excel-fil (.xlsx).")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(unreadable) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # read what is there, not what the file claims (rows, columns)
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a broken sheet part shows up while it is read
                raise ValidationError(unreadable) from exc
            yield ["" if cell is None else _cell_text(cell) for cell in row]
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        text.seek(0)
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        yield from csv.reader(text, delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise ValidationError(_("CSV-filen ska vara sparad som UTF-8.")) from exc
    except csv.Error as exc:
        raise ValidationError(_("CSV-filen kunde inte läsas (%(error)s).") % {"error": exc}) from exc


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


def _is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def parse_spending_file(*, agreement: Agreement, filename: str, content: bytes):
    """Check every row; returns {(proposal, year, category): amount}. Raises ValidationError with one
    Swedish message per bad row and column ("Rad 3, kolumn ”belopp”: …"). Stops reading at the row limit."""
    rows = _read_rows(filename, content)
    try:
        return _parse_rows(agreement, rows)
    finally:
        rows.close()  # stopping early: the workbook is closed now, not when the generator is collected


def _parse_rows(agreement: Agreement, rows: Iterator[list[str]]):
    first = next(rows, None)
    if first is None:
        raise ValidationError(_("Filen är tom."))
    header = [cell.strip().casefold() for cell in first]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            _("Rad 1: kolumnerna %(missing)s saknas. Första raden ska innehålla %(columns)s.")
            % {
                "missing": ", ".join(f"”{c}”" for c in missing),
                "columns": ", ".join(f"”{c}”" for c in COLUMNS),
            }
        )
    index = {column: header.index(column) for column in COLUMNS}
    by_account, by_pk = _proposals_by_key(agreement)
    errors: list[str] = []
    sums: dict[tuple[Proposal, int, str], int] = defaultdict(int)
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            # Every row counts, blank or not: a sheet can hold a million empty rows in a few bytes.
            raise ValidationError(_("Filen har fler än %(n)s rader.") % {"n": MAX_ROWS})
        if _is_blank(row):
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
        if not cells["belopp"].replace("\xa0", " ").strip():
            # Not zero: an empty cell would otherwise replace the imported costs with nothing.
            problem("belopp", _("beloppet saknas – skriv 0 om kostnaden verkligen är noll."))
            continue
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


def _imported(pairs: set[tuple[int, int]]):
    """The imported costs of these (project, year) pairs – what an import of them replaces."""
    query = Spending.objects.none()
    for proposal_id, year in sorted(pairs):
        query = query | Spending.objects.filter(
            proposal_id=proposal_id, year=year, source=SpendingSource.IMPORT
        )
    return query.order_by("pk")


def spending_import_preview(
    *, agreement: Agreement, filename: str, content: bytes, by: User
) -> SpendingImportPlan:
    """Read and check the file and say what importing it would do; writes nothing."""
    if not permissions.can_manage_economy(by, agreement):
        raise PermissionDenied
    sums = parse_spending_file(agreement=agreement, filename=filename, content=content)
    proposals = {proposal.pk: proposal for proposal, _year, _category in sums}
    pairs = {(proposal.pk, year) for proposal, year, _category in sums}
    existing = list(_imported(pairs))
    old: dict[tuple[int, int, str], int] = defaultdict(int)
    for spending in existing:
        old[(spending.proposal_id, spending.year, spending.category)] += spending.amount
    new = {(proposal.pk, year, category): amount for (proposal, year, category), amount in sums.items()}
    changes = [
        ImportChange(proposals[key[0]], key[1], key[2], old.get(key), new.get(key))
        for key in sorted(set(old) | set(new), key=lambda k: (proposals[k[0]].reference, k[1], k[2]))
    ]
    return SpendingImportPlan(
        agreement_id=agreement.pk,
        filename=filename[:120],
        rows=sorted((*new_key, amount) for new_key, amount in new.items()),
        replaces=[(spending.pk, spending.amount) for spending in existing],
        changes=changes,
    )


@transaction.atomic
def spending_import_apply(*, agreement: Agreement, plan: SpendingImportPlan, by: User) -> ImportResult:
    """Carry out a previewed import: delete the imported costs the preview listed and save the file's. If
    the imported costs of those projects and years are no longer what the preview showed (another import
    in between), nothing is changed."""
    if not permissions.can_manage_economy(by, agreement):
        raise PermissionDenied
    if plan.agreement_id != agreement.pk:
        raise PermissionDenied
    proposal_ids = sorted({proposal_id for proposal_id, *_rest in plan.rows})
    # Imports of the same projects wait for each other here, so the check below stays true until commit.
    locked = list(
        Proposal.objects.select_for_update().filter(agreement=agreement, pk__in=proposal_ids).order_by("pk")
    )
    changed = _(
        "Kostnaderna har ändrats sedan förhandsgranskningen (någon annan har importerat). Inget har "
        "sparats – ladda upp filen igen och granska ändringarna."
    )
    if len(locked) != len(proposal_ids):
        raise ValidationError(changed)
    pairs = {(proposal_id, year) for proposal_id, year, _category, _amount in plan.rows}
    existing = _imported(pairs)
    if sorted(existing.values_list("pk", "amount")) != sorted(plan.replaces):
        raise ValidationError(changed)
    existing.delete()
    Spending.objects.bulk_create(
        Spending(
            proposal_id=proposal_id,
            year=year,
            category=category,
            amount=amount,
            source=SpendingSource.IMPORT,
            reference=plan.filename,
            created_by=by,
        )
        for proposal_id, year, category, amount in plan.rows
        if amount
    )
    return ImportResult(rows=len(plan.rows), projects=len(proposal_ids), total=plan.total)


def spending_import(*, agreement: Agreement, filename: str, content: bytes, by: User) -> ImportResult:
    """Import a file that replaces nothing (see the module docstring). One that would replace imported
    costs is refused with a message: it goes through preview and confirmation instead."""
    plan = spending_import_preview(agreement=agreement, filename=filename, content=content, by=by)
    if plan.replaces_anything:
        raise ValidationError(
            _("Filen ersätter tidigare importerade kostnader; granska och bekräfta ändringarna först.")
        )
    return spending_import_apply(agreement=agreement, plan=plan, by=by)
