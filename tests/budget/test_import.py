"""Import of actual costs from the finance system (CSV/XLSX): all or nothing, row and column named."""

import io
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from budget import services
from budget.models import Spending
from tests.factories.applications import ProposalFactory
from tests.factories.governance import steering_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(agreement):
    return ProposalFactory(agreement=agreement, state="active", project_account="4711-SAM")


def csv_bytes(text: str) -> bytes:
    return ("\ufeff" + text).encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_import_saves_costs_per_project_year_and_category(agreement, leader, project):
    content = csv_bytes(
        "projekt;år;kostnadsslag;belopp;kommentar\n"
        "4711-SAM;2027;Löner inkl. lönebikostnader;412 000;jan–mars\n"
        f"{project.reference};2027;travel;18 250,00;\n"
        "4711-SAM;2027;Resor;1 000;\n"
    )
    result = services.spending_import(agreement=agreement, filename="utfall.csv", content=content, by=leader)

    assert (result.rows, result.projects, result.total) == (2, 1, 431_250)
    assert sorted(Spending.objects.values_list("category", "amount", "source", "reference")) == [
        ("salaries", 412_000, "import", "utfall.csv"),
        ("travel", 19_250, "import", "utfall.csv"),
    ]


def imported() -> list[tuple]:
    return sorted(Spending.objects.values_list("category", "amount", "reference"))


def test_a_reimport_replaces_the_imported_costs_only_after_preview_and_confirmation(
    agreement, leader, project
):
    services.spending_import(
        agreement=agreement,
        filename="a.csv",
        content=csv_bytes(
            "projekt,år,kostnadsslag,belopp\n4711-SAM,2027,Resor,5000\n4711-SAM,2027,Övrigt,100\n"
        ),
        by=leader,
    )
    content = csv_bytes(
        "projekt,år,kostnadsslag,belopp\n"
        "4711-SAM,2027,Resor,7000\n"
        "4711-SAM,2027,Löner inkl. lönebikostnader,1\n"
    )

    with pytest.raises(ValidationError, match="granska och bekräfta"):
        services.spending_import(agreement=agreement, filename="b.csv", content=content, by=leader)
    plan = services.spending_import_preview(agreement=agreement, filename="b.csv", content=content, by=leader)

    assert imported() == [("other", 100, "a.csv"), ("travel", 5_000, "a.csv")]
    assert [(c.category, c.old, c.new, c.kind) for c in plan.changes] == [
        ("other", 100, None, "removed"),
        ("salaries", None, 1, "new"),
        ("travel", 5_000, 7_000, "changed"),
    ]
    services.spending_import_apply(agreement=agreement, plan=plan, by=leader)
    assert imported() == [("salaries", 1, "b.csv"), ("travel", 7_000, "b.csv")]


def test_a_confirmation_after_another_import_changes_nothing(agreement, leader, project):
    def file(amount):
        return csv_bytes(f"projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;{amount}\n")

    services.spending_import(agreement=agreement, filename="a.csv", content=file(5000), by=leader)
    stale = services.spending_import_preview(
        agreement=agreement, filename="b.csv", content=file(7000), by=leader
    )
    meanwhile = services.spending_import_preview(
        agreement=agreement, filename="c.csv", content=file(9000), by=leader
    )
    services.spending_import_apply(agreement=agreement, plan=meanwhile, by=leader)

    with pytest.raises(ValidationError, match="ändrats sedan förhandsgranskningen"):
        services.spending_import_apply(agreement=agreement, plan=stale, by=leader)
    assert imported() == [("travel", 9_000, "c.csv")]


@pytest.mark.parametrize(
    ("amount", "why"),
    [("", "saknas"), ("   ", "saknas"), ("\xa0", "saknas"), ("tolv", "helt antal"), ("12x", "helt antal")],
    ids=["empty", "spaces", "nbsp", "word", "trailing-letter"],
)
def test_an_empty_or_non_numeric_amount_is_a_row_error_and_deletes_nothing(
    agreement, leader, project, amount, why
):
    services.spending_import(
        agreement=agreement,
        filename="a.csv",
        content=csv_bytes("projekt;år;kostnadsslag;belopp\n4711-SAM;2027;travel;12345\n"),
        by=leader,
    )
    content = csv_bytes(f"projekt;år;kostnadsslag;belopp\n4711-SAM;2027;travel;{amount}\n")

    with pytest.raises(ValidationError) as refused:
        services.spending_import_preview(agreement=agreement, filename="b.csv", content=content, by=leader)

    assert refused.value.messages[0].startswith("Rad 2, kolumn ”belopp”")
    assert why in refused.value.messages[0]
    assert imported() == [("travel", 12_345, "a.csv")]


def test_an_empty_amount_cell_in_a_workbook_is_a_row_error(agreement, leader, project):
    content = xlsx_bytes([["projekt", "år", "kostnadsslag", "belopp"], ["4711-SAM", 2027, "Resor", None]])
    with pytest.raises(ValidationError, match="Rad 2, kolumn ”belopp”: beloppet saknas"):
        services.spending_import(agreement=agreement, filename="b.xlsx", content=content, by=leader)
    assert not Spending.objects.exists()


def test_a_file_with_one_bad_row_saves_nothing_and_names_row_and_column(agreement, leader, project):
    content = csv_bytes(
        "projekt;år;kostnadsslag;belopp\n"
        "4711-SAM;2027;Resor;1 000\n"
        "4711-SAM;2027;Resor;12,50\n"
        "9999-X;20x7;Kaffe;100\n"
    )
    with pytest.raises(ValidationError) as refused:
        services.spending_import(agreement=agreement, filename="utfall.csv", content=content, by=leader)

    messages = refused.value.messages
    assert any(m.startswith("Rad 3, kolumn ”belopp”") for m in messages)
    assert any(m.startswith("Rad 4, kolumn ”projekt”") for m in messages)
    assert any(m.startswith("Rad 4, kolumn ”år”") for m in messages)
    assert any(m.startswith("Rad 4, kolumn ”kostnadsslag”") for m in messages)
    assert not Spending.objects.exists()


def test_xlsx_import_and_a_bad_xlsx_row(agreement, leader, project):
    good = xlsx_bytes([["Projekt", "År", "Kostnadsslag", "Belopp"], ["4711-SAM", 2027, "Övrigt", 2500]])
    services.spending_import(agreement=agreement, filename="utfall.xlsx", content=good, by=leader)
    assert list(Spending.objects.values_list("category", "amount")) == [("other", 2_500)]

    bad = xlsx_bytes(
        [
            ["projekt", "år", "kostnadsslag", "belopp"],
            ["4711-SAM", 2027, "Övrigt", 2500],
            ["4711-SAM", 2027, "Resor", 99.5],
        ]
    )
    with pytest.raises(ValidationError) as refused:
        services.spending_import_preview(agreement=agreement, filename="nytt.xlsx", content=bad, by=leader)
    assert refused.value.messages[0].startswith("Rad 3, kolumn ”belopp”")
    assert list(Spending.objects.values_list("category", "amount", "reference")) == [
        ("other", 2_500, "utfall.xlsx")
    ]


def test_missing_columns_are_named(agreement, leader, project):
    with pytest.raises(ValidationError, match="”belopp”"):
        services.spending_import(
            agreement=agreement,
            filename="x.csv",
            content=csv_bytes("projekt;år;kostnadsslag\n4711-SAM;2027;Resor\n"),
            by=leader,
        )


def test_a_project_of_another_agreement_is_not_found(agreement, leader):
    ProposalFactory(project_account="4711-SAM")  # another agreement
    with pytest.raises(ValidationError, match="Rad 2, kolumn ”projekt”"):
        services.spending_import(
            agreement=agreement,
            filename="x.csv",
            content=csv_bytes("projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;1\n"),
            by=leader,
        )


def test_other_file_types_are_refused(agreement, leader):
    with pytest.raises(ValidationError, match="CSV- eller XLSX"):
        services.spending_import(agreement=agreement, filename="x.pdf", content=b"%PDF", by=leader)


def test_only_processledare_import(agreement, project):
    with pytest.raises(PermissionDenied):
        services.spending_import(
            agreement=agreement,
            filename="x.csv",
            content=csv_bytes("projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;1\n"),
            by=steering_member(agreement),
        )
    assert not Spending.objects.exists()


def test_import_page_shows_the_row_errors_and_saves_nothing(client, agreement, leader, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(leader)
    upload = SimpleUploadedFile(
        "utfall.csv", csv_bytes("projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;tusen\n")
    )
    response = client.post(f"/ekonomi/{agreement.pk}/import/", {"file": upload})

    assert response.status_code == 400
    assert "Rad 2, kolumn ”belopp”" in response.content.decode()
    assert "Inget har sparats" in response.content.decode()
    assert not Spending.objects.exists()


def test_import_page_refuses_a_file_over_the_size_limit_before_reading_it(client, agreement, leader, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(leader)
    header = b"projekt;\xc3\xa5r;kostnadsslag;belopp\n4711-SAM;2027;Resor;1\n"
    upload = SimpleUploadedFile("utfall.csv", header + b"#" * (5 * 1024 * 1024))
    response = client.post(f"/ekonomi/{agreement.pk}/import/", {"file": upload})

    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode()
    assert not Spending.objects.exists()


# --- Reading stops at the row limit (issue 14, item 6) ---------------------------------------------------


@pytest.fixture
def rows_read(monkeypatch):
    """Counts the rows the import takes from the file reader (the real reader, only counted)."""
    from budget.services import imports

    count = {"rows": 0}
    real = imports._read_rows

    def counting(filename, content):
        for row in real(filename, content):
            count["rows"] += 1
            yield row

    monkeypatch.setattr(imports, "_read_rows", counting)
    return count


def streamed_xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_with_too_many_rows_is_refused_after_reading_the_limit(
    agreement, leader, project, rows_read, monkeypatch
):
    from budget.services import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 1_000)  # the same code path, a file that is quick to make
    data = (["4711-SAM", 2027, "Resor", 1] for _ in range(5_000))
    content = streamed_xlsx(itertools.chain([["projekt", "år", "kostnadsslag", "belopp"]], data))

    with pytest.raises(ValidationError, match="Filen har fler än 1000 rader"):
        services.spending_import(agreement=agreement, filename="stor.xlsx", content=content, by=leader)
    assert rows_read["rows"] <= 1_000 + 2
    assert not Spending.objects.exists()


def test_a_workbook_claiming_a_million_rows_is_not_read_to_its_end(agreement, leader, project, rows_read):
    """A few bytes of XML can put a row at number 1 000 000 and declare 16 384 columns: the reader would
    make up every empty row in between."""
    from openpyxl import Workbook as FullWorkbook

    from budget.services.imports import MAX_ROWS

    workbook = FullWorkbook()
    sheet = workbook.active
    sheet.append(["projekt", "år", "kostnadsslag", "belopp"])
    sheet.append(["4711-SAM", 2027, "Resor", 1])
    sheet.cell(row=1_000_000, column=16_384, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ValidationError, match="Filen har fler än 20000 rader"):
        services.spending_import(
            agreement=agreement, filename="gles.xlsx", content=buffer.getvalue(), by=leader
        )
    assert rows_read["rows"] <= MAX_ROWS + 2


def test_a_csv_with_too_many_lines_is_refused_after_reading_the_limit(agreement, leader, project, rows_read):
    from budget.services.imports import MAX_ROWS

    content = csv_bytes("projekt;år;kostnadsslag;belopp\n" + "4711-SAM;2027;Resor;1\n" * 1_000_000)

    with pytest.raises(ValidationError, match="Filen har fler än 20000 rader"):
        services.spending_import(agreement=agreement, filename="stor.csv", content=content, by=leader)
    assert rows_read["rows"] <= MAX_ROWS + 2
    assert not Spending.objects.exists()


def test_a_file_at_the_limit_is_imported(agreement, leader, project):
    from budget.services.imports import MAX_ROWS

    content = csv_bytes("projekt;år;kostnadsslag;belopp\n" + "4711-SAM;2027;Resor;1\n" * MAX_ROWS)
    result = services.spending_import(agreement=agreement, filename="full.csv", content=content, by=leader)
    assert result.total == MAX_ROWS


# --- The import page: preview, confirm, cancel ------------------------------------------------------------


def upload(client, agreement, amount: str, name: str = "utfall.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = csv_bytes(f"projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;{amount}\n")
    return client.post(f"/ekonomi/{agreement.pk}/import/", {"file": SimpleUploadedFile(name, content)})


def test_reupload_shows_what_it_replaces_and_saves_only_on_confirmation(client, agreement, leader, project):
    client.force_login(leader)
    assert upload(client, agreement, "12345", "a.csv").status_code == 302

    preview = upload(client, agreement, "20 000", "b.csv")

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Filen ersätter tidigare importerade kostnader" in page
    assert project.reference in page and "12\xa0345" in page and "20\xa0000" in page and "Ersätts" in page
    assert imported() == [("travel", 12_345, "a.csv")]

    token = preview.context["token"]
    done = client.post(f"/ekonomi/{agreement.pk}/import/", {"token": token, "action": "confirm"})
    assert done.status_code == 302
    assert imported() == [("travel", 20_000, "b.csv")]
    # The token is used up: posting it again changes nothing.
    again = client.post(
        f"/ekonomi/{agreement.pk}/import/", {"token": token, "action": "confirm"}, follow=True
    )
    assert "Förhandsgranskningen finns inte längre" in again.content.decode()
    assert imported() == [("travel", 20_000, "b.csv")]


@pytest.mark.parametrize(
    "post", [{"token": "gissad", "action": "confirm"}, "cancel"], ids=["wrong-token", "cancel"]
)
def test_a_preview_that_is_not_confirmed_changes_nothing(client, agreement, leader, project, post):
    client.force_login(leader)
    upload(client, agreement, "12345", "a.csv")
    preview = upload(client, agreement, "1", "b.csv")
    data = {"token": preview.context["token"], "action": "cancel"} if post == "cancel" else post

    response = client.post(f"/ekonomi/{agreement.pk}/import/", data, follow=True)

    assert "Inget har ändrats" in response.content.decode()
    assert imported() == [("travel", 12_345, "a.csv")]


def test_a_confirmation_after_someone_else_imported_changes_nothing(client, agreement, leader, project):
    client.force_login(leader)
    upload(client, agreement, "12345", "a.csv")
    preview = upload(client, agreement, "1", "b.csv")
    plan = services.spending_import_preview(
        agreement=agreement,
        filename="c.csv",
        content=csv_bytes("projekt;år;kostnadsslag;belopp\n4711-SAM;2027;Resor;777\n"),
        by=leader,
    )
    services.spending_import_apply(agreement=agreement, plan=plan, by=leader)

    response = client.post(
        f"/ekonomi/{agreement.pk}/import/",
        {"token": preview.context["token"], "action": "confirm"},
        follow=True,
    )

    assert "ändrats sedan förhandsgranskningen" in response.content.decode()
    assert imported() == [("travel", 777, "c.csv")]


def test_an_empty_amount_on_the_page_names_row_and_column_and_keeps_the_costs(
    client, agreement, leader, project
):
    client.force_login(leader)
    upload(client, agreement, "12345", "a.csv")

    response = upload(client, agreement, "", "b.csv")

    assert response.status_code == 400
    assert "Rad 2, kolumn ”belopp”: beloppet saknas" in response.content.decode()
    assert imported() == [("travel", 12_345, "a.csv")]
