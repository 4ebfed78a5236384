"""Import of actual costs from the finance system (CSV/XLSX): all or nothing, row and column named."""

import io

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


def test_a_new_import_replaces_the_imported_costs_of_that_project_and_year(agreement, leader, project):
    services.spending_import(
        agreement=agreement,
        filename="a.csv",
        content=csv_bytes("projekt,år,kostnadsslag,belopp\n4711-SAM,2027,Resor,5000\n"),
        by=leader,
    )
    services.spending_import(
        agreement=agreement,
        filename="b.csv",
        content=csv_bytes("projekt,år,kostnadsslag,belopp\n4711-SAM,2027,Resor,7000\n"),
        by=leader,
    )
    assert list(Spending.objects.values_list("amount", "reference")) == [(7_000, "b.csv")]


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
        services.spending_import(agreement=agreement, filename="nytt.xlsx", content=bad, by=leader)
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
