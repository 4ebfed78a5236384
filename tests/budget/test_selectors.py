import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.enums import ProposalState
from budget.enums import CostCategory, FundingSource
from budget.selectors import applied_per_year, budget_summary, budget_table
from samverkan.templatetags.money import format_kr
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_row
from tests.factories.samverkan import AgreementFactory, CompanyFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db
C, F = CostCategory, FundingSource


@pytest.fixture
def proposal():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    university = proposal.agreement.university
    municipality = proposal.agreement.municipalities.get()
    budget_row(proposal, year=2026, category=C.SALARIES, amount=600_000)
    budget_row(proposal, year=2026, category=C.INDIRECT, amount=210_000)
    budget_row(
        proposal,
        year=2026,
        category=C.SALARIES,
        source=F.OWN_CONTRIBUTION,
        organisation=university,
        amount=150_000,
    )
    budget_row(proposal, year=2027, category=C.SALARIES, amount=300_000)
    budget_row(proposal, year=2027, category=C.TRAVEL, amount=12_000)
    budget_row(
        proposal,
        year=2027,
        category=C.SALARIES,
        source=F.OWN_CONTRIBUTION,
        organisation=municipality,
        amount=120_000,
    )
    budget_row(proposal, year=2027, category=C.OTHER, source=F.EXTERNAL, amount=50_000)
    return proposal


def test_budget_table_years_follow_the_planned_period(proposal):
    table = budget_table(proposal)
    assert table.year_numbers == [2026, 2027]
    assert (table.first_year, table.last_year) == (2026, 2027)


def test_budget_table_columns_are_agreement_own_per_party_and_external(proposal):
    agreement = proposal.agreement
    labels = [column.label for column in budget_table(proposal).columns]
    assert labels == [
        "Samverkansavtalet",
        f"Egen insats ({agreement.university.name})",
        f"Egen insats ({agreement.municipalities.get().name})",
        "Extern finansiär",
    ]


def test_columns_use_the_proposals_municipal_organisations_when_named():
    first, second = MunicipalityFactory(), MunicipalityFactory()
    company = CompanyFactory(parent=second)
    proposal = ProposalFactory(agreement=AgreementFactory(municipalities=[first, second]))
    proposal.municipal_organisations.set([company])
    parties = [c.organisation for c in budget_table(proposal).columns if c.source == F.OWN_CONTRIBUTION]
    assert parties == [proposal.agreement.university, company]


def test_budget_table_totals_per_year_category_source_and_grand_total(proposal):
    table = budget_table(proposal)
    year_2026, year_2027 = table.years

    assert [row.total for row in year_2026.rows] == [750_000, 210_000, 0, 0, 0, 0]
    assert year_2026.column_totals == [810_000, 150_000, 0, 0]
    assert year_2026.total == 960_000
    assert year_2027.column_totals == [312_000, 0, 120_000, 50_000]
    assert year_2027.total == 482_000
    assert table.year_totals == [960_000, 482_000]

    by_category = {row.label: (row.per_year, row.total) for row in table.by_category}
    assert by_category["Löner inkl. lönebikostnader"] == ([750_000, 420_000], 1_170_000)
    assert by_category["Resor"] == ([0, 12_000], 12_000)
    assert by_category["Övrigt"] == ([0, 50_000], 50_000)

    by_source = [(row.per_year, row.total) for row in table.by_source]
    assert by_source == [
        ([810_000, 312_000], 1_122_000),
        ([150_000, 0], 150_000),
        ([0, 120_000], 120_000),
        ([0, 50_000], 50_000),
    ]
    assert table.total == 1_442_000 == sum(total for _, total in by_source)


def test_budget_summary_for_the_proposal_page(proposal):
    summary = budget_summary(proposal)
    assert summary.total == 1_442_000
    assert (summary.agreement, summary.own_contribution, summary.external) == (1_122_000, 270_000, 50_000)
    assert summary.per_year == [(2026, 960_000), (2027, 482_000)]


def test_rows_outside_a_shortened_period_stay_visible(proposal):
    proposal.planned_end = datetime.date(2026, 12, 31)
    proposal.save()
    table = budget_table(proposal)
    assert table.year_numbers == [2026, 2027]
    assert table.stray_years == [2027]
    assert table.total == 1_442_000


def test_budget_table_without_period_has_no_years():
    proposal = ProposalFactory(planned_start=None, planned_end=None)
    table = budget_table(proposal)
    assert not table.has_period and table.years == [] and table.total == 0


def _queries(proposal) -> int:
    with CaptureQueriesContext(connection) as queries:
        table = budget_table(proposal)
        _ = (table.total, table.by_category, table.by_source, [c.label for c in table.cells()])
    return len(queries)


def test_budget_table_query_count_does_not_grow_with_years_and_rows():
    small = ProposalFactory(planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2026, 12, 31))
    budget_row(small, amount=1000)
    large = ProposalFactory(planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2030, 12, 31))
    university = large.agreement.university
    for year in range(2026, 2031):
        for category in C.values:
            budget_row(large, year=year, category=category, amount=1000)
            budget_row(
                large,
                year=year,
                category=category,
                source=F.OWN_CONTRIBUTION,
                organisation=university,
                amount=500,
            )
    small = type(small).objects.select_related("agreement__university").get(pk=small.pk)
    large = type(large).objects.select_related("agreement__university").get(pk=large.pk)
    assert _queries(small) == _queries(large) <= 4


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(7_400_000, "7\xa0400\xa0000\xa0kr"), (0, "0\xa0kr"), (950, "950\xa0kr"), (1_000, "1\xa0000\xa0kr")],
)
def test_money_is_shown_as_swedish_kronor(amount, shown):
    assert format_kr(amount) == shown


def test_applied_per_year_is_the_agreement_share_and_the_years_total(proposal):
    rows = [(r.year, r.agreement, r.total) for r in applied_per_year(proposal)]
    assert rows == [(2026, 810_000, 960_000), (2027, 312_000, 482_000)]


def test_the_styrgrupp_item_shows_and_the_decision_form_is_prefilled_with_the_amounts_applied_for(proposal):
    """Issue 16: the board member sees the amount per year applied for on the item page, and the decision
    form starts from it (budget contributes both to governance through its registries)."""
    from governance.views.item_page import decision_form_for, facts_context
    from tests.factories.budget import steering_item

    item, _secretary = steering_item(proposal)
    facts = facts_context(item)["fact_parts"]
    assert [f.template for f in facts] == ["budget/_item_facts.html"]
    assert facts[0].context["agreement"] == 1_122_000
    form = decision_form_for(item)
    assert form.initial["amount_2026"] == format_kr(810_000, unit=False)
    assert form.initial["amount_2027"] == format_kr(312_000, unit=False)
