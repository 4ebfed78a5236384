from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.enums import ProposalState
from budget.enums import CostCategory, FundingSource
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_row, budget_snapshot
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db
C, F, S = CostCategory, FundingSource, ProposalState


def page(proposal):
    return reverse("budget:application_budget", args=[proposal.pk])


def xlsx(proposal):
    return reverse("budget:application_budget_xlsx", args=[proposal.pk])


def person(proposal, who):
    agreement = proposal.agreement
    return {
        "unrelated": lambda: UserFactory(),
        "researcher": lambda: proposal.responsible_researcher,
        "officer": lambda: proposal.responsible_officer,
        "processledare": lambda: person_with_role(agreement, Role.PROCESS_LEADER),
        "kommunikator": lambda: person_with_role(agreement, Role.COMMUNICATOR),
        "beredning": lambda: person_with_role(agreement, Role.REVIEW_MEMBER),
        "other-researcher": lambda: person_with_role(agreement, Role.RESEARCHER),
    }[who]()


@pytest.fixture
def proposal():
    proposal = ProposalFactory(state=S.APPLICATION)
    budget_row(proposal, year=2026, category=C.SALARIES, amount=600_000)
    budget_row(proposal, year=2027, category=C.TRAVEL, amount=12_000)
    return proposal


@pytest.mark.parametrize("url", [page, xlsx], ids=["page", "xlsx"])
def test_anonymous_is_sent_to_login(client, proposal, url):
    response = client.get(url(proposal))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("url", [page, xlsx], ids=["page", "xlsx"])
def test_unknown_proposal_is_404(client, url):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(url(type("P", (), {"pk": 999_999})()))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("state", "who", "status", "may_edit"),
    [
        (S.APPLICATION, "unrelated", 403, False),
        (S.APPLICATION, "other-researcher", 403, False),
        (S.APPLICATION, "researcher", 200, True),
        (S.APPLICATION, "officer", 200, True),
        (S.APPLICATION, "processledare", 200, False),
        (S.APPLICATION, "kommunikator", 200, False),
        (S.APPLICATION, "beredning", 403, False),
        (S.SUBMITTED, "beredning", 200, False),
        (S.SUBMITTED, "researcher", 200, False),
    ],
    ids=lambda v: str(v),
)
def test_budget_page_and_xlsx_permissions(client, state, who, status, may_edit):
    proposal = ProposalFactory(state=state)
    budget_row(proposal, amount=600_000)
    client.force_login(person(proposal, who))

    response = client.get(page(proposal))
    assert response.status_code == status
    assert client.get(xlsx(proposal)).status_code == status
    if status == 200:
        html = response.content.decode()
        assert ("<input" in html and "Spara budgeten" in html) is may_edit
        assert "600\xa0000" in html


@pytest.mark.parametrize(
    ("state", "who"),
    [
        (S.APPLICATION, "unrelated"),
        (S.APPLICATION, "processledare"),
        (S.APPLICATION, "kommunikator"),
        (S.SUBMITTED, "researcher"),
        (S.SUBMITTED, "beredning"),
    ],
    ids=lambda v: str(v),
)
def test_post_without_edit_permission_is_403_and_changes_nothing(client, state, who):
    proposal = ProposalFactory(state=state)
    budget_row(proposal, amount=600_000)
    before = budget_snapshot(proposal)
    client.force_login(person(proposal, who))

    response = client.post(page(proposal), {"c-2026-salaries-agreement": "1"})

    assert response.status_code == 403
    assert budget_snapshot(proposal) == before


def test_team_member_saves_the_budget_and_sees_the_totals(client, proposal):
    client.force_login(proposal.responsible_researcher)
    university = proposal.agreement.university

    response = client.post(
        page(proposal),
        {
            "c-2026-salaries-agreement": "700 000",
            "c-2026-indirect-agreement": "245\xa0000 kr",
            f"c-2026-salaries-own-{university.pk}": "150000",
            "c-2027-travel-agreement": "",
            "c-2027-other-external": "5 000 000",
        },
        follow=True,
    )

    assert response.redirect_chain == [(page(proposal), 302)]
    html = response.content.decode()
    assert "Budgeten är sparad." in html
    assert budget_snapshot(proposal) == sorted(
        [
            (2026, C.INDIRECT, F.AGREEMENT, None, 245_000),
            (2026, C.SALARIES, F.AGREEMENT, None, 700_000),
            (2026, C.SALARIES, F.OWN_CONTRIBUTION, university.pk, 150_000),
            (2027, C.OTHER, F.EXTERNAL, None, 5_000_000),
        ]
    )
    assert "6\xa0095\xa0000\xa0kr" in html  # grand total
    assert "1\xa0095\xa0000" in html  # 2026
    assert 'value="700\xa0000"' in html


def test_bad_cells_show_swedish_errors_keep_the_typed_values_and_change_nothing(client, proposal):
    client.force_login(proposal.responsible_researcher)
    before = budget_snapshot(proposal)

    response = client.post(
        page(proposal),
        {
            "c-2026-salaries-agreement": "800 000",
            "c-2026-travel-agreement": "12,5",
            "c-2027-equipment-external": "-3",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert budget_snapshot(proposal) == before
    assert 'class="error-summary" role="alert"' in html
    assert "Något behöver rättas" in html and "Inget har sparats." in html
    assert (
        '<li id="c-2026-travel-agreement-error"><a href="#c-2026-travel-agreement">'
        "2026, Resor, Samverkansavtalet: ange ett helt antal kronor (0 eller mer).</a></li>"
    ) in html
    assert (
        "2027, Utrustning och material, Extern finansiär: ange ett helt antal kronor (0 eller mer)." in html
    )
    assert (
        'id="c-2026-travel-agreement" name="c-2026-travel-agreement" value="12,5" aria-invalid="true" '
        'aria-describedby="c-2026-travel-agreement-error"'
    ) in html
    assert 'name="c-2026-salaries-agreement" value="800 000">' in html  # typed, not yet saved
    assert "Budgeten är sparad." not in html


def test_page_without_planned_period_asks_for_it(client):
    proposal = ProposalFactory(state=S.APPLICATION, planned_start=None, planned_end=None)
    client.force_login(proposal.responsible_researcher)
    html = client.get(page(proposal)).content.decode()
    assert "Ange planerad start och slut först." in html
    assert reverse("applications:proposal_edit", args=[proposal.pk]) in html
    assert "<table" not in html


def test_every_input_has_a_label_and_tables_have_captions(client, proposal):
    client.force_login(proposal.responsible_researcher)
    html = client.get(page(proposal)).content.decode()
    assert html.count('<input type="text" class="amount"') == html.count(
        '<label class="visually-hidden" for="c-'
    )
    assert html.count('<input type="text" class="amount"') == 2 * 6 * 4  # years × categories × sources
    assert (
        '<label class="visually-hidden" for="c-2026-travel-agreement">2026, Resor, Samverkansavtalet</label>'
        in html
    )
    assert html.count("<caption") == html.count("<table")
    assert '<th scope="row">Resor</th>' in html


def test_budget_page_query_count_does_not_grow_with_years_and_rows(client):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for last_year, rows in ((2026, 1), (2030, 30)):
        proposal = ProposalFactory(
            state=S.APPLICATION,
            planned_start=datetime.date(2026, 1, 1),
            planned_end=datetime.date(last_year, 12, 31),
        )
        for index in range(rows):
            budget_row(
                proposal,
                year=2026 + index % 5 if last_year > 2026 else 2026,
                category=C.values[index // 5 % 6],
                amount=1000 + index,
            )
        client.force_login(proposal.responsible_researcher)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page(proposal)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_xlsx_export_has_a_summary_and_a_sheet_per_year_with_numbers(client, proposal):
    university = proposal.agreement.university
    budget_row(
        proposal,
        year=2027,
        category=C.SALARIES,
        source=F.OWN_CONTRIBUTION,
        organisation=university,
        amount=100_000,
    )
    client.force_login(person(proposal, "processledare"))

    response = client.get(xlsx(proposal))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="budget-{proposal.reference}.xlsx"'
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Sammanställning", "2026", "2027"]

    year = workbook["2027"]
    rows = list(year.iter_rows(values_only=True))
    header = rows[2]
    assert header[0] == "Kostnadsslag" and header[-1] == "Summa"
    assert header[1] == "Samverkansavtalet" and header[2] == f"Egen insats ({university.name})"
    by_label = {row[0]: row[1:] for row in rows[3:]}
    assert by_label["Resor"][0] == 12_000 and isinstance(by_label["Resor"][0], int)
    assert by_label["Löner inkl. lönebikostnader"][1] == 100_000
    assert by_label["Summa"][-1] == 112_000
    assert year["B6"].number_format == '#,##0 "kr"'

    summary = {row[0]: row[1:] for row in workbook["Sammanställning"].iter_rows(values_only=True) if row}
    assert summary["Kostnadsslag"] == ("2026", "2027", "Totalt")
    assert summary["Löner inkl. lönebikostnader"] == (600_000, 100_000, 700_000)
    assert summary["Ärende"] == (proposal.reference, None, None)
    assert summary["Samverkansavtalet"] == (600_000, 12_000, 612_000)
    assert summary["Summa"] == (600_000, 112_000, 712_000)
