import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.enums import ProposalState
from budget.enums import CostCategory, FundingSource
from budget.models import ApplicationBudgetRow, CellKey
from budget.services import AmountError, budget_save, parse_amount
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_row, budget_snapshot
from tests.factories.samverkan import (
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db
C, F = CostCategory, FundingSource


@pytest.fixture
def proposal():
    return ProposalFactory(state=ProposalState.APPLICATION)


def own(proposal, year=2026, category=C.SALARIES, organisation=None):
    return CellKey(year, category, F.OWN_CONTRIBUTION, (organisation or proposal.agreement.university).pk)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("12000", 12_000),
        ("12 000", 12_000),
        ("12\xa0000", 12_000),
        ("12 000 kr", 12_000),
        ("12\xa0000\xa0kr", 12_000),
        ("  7 400 000 kr ", 7_400_000),
        ("0", 0),
        ("", 0),
        (None, 0),
        (5000, 5000),
    ],
    ids=["plain", "space", "nbsp", "with-kr", "nbsp-kr", "padded", "zero", "empty", "none", "int"],
)
def test_parse_amount_accepts_swedish_formats(typed, amount):
    assert parse_amount(typed) == amount


@pytest.mark.parametrize(
    "typed",
    ["12,5", "12.5", "-100", "−100", "tolv", "12 000 euro", 12.5, 12.0, True, "1e5"],
    ids=[
        "comma-decimal",
        "dot-decimal",
        "negative",
        "unicode-minus",
        "letters",
        "other-unit",
        "float",
        "whole-float",
        "bool",
        "exponent",
    ],
)
def test_parse_amount_refuses_what_is_not_whole_kronor(typed):
    with pytest.raises(AmountError, match="ange ett helt antal kronor"):
        parse_amount(typed)


def test_budget_save_replaces_the_rows_and_zero_means_no_row(proposal):
    budget_row(proposal, year=2027, category=C.TRAVEL, amount=9_000)
    budget_save(
        proposal=proposal,
        by=proposal.responsible_researcher,
        cells={
            CellKey(2026, C.SALARIES, F.AGREEMENT): "400 000",
            CellKey(2026, C.TRAVEL, F.AGREEMENT): "0",
            CellKey(2027, C.TRAVEL, F.AGREEMENT): "",
            own(proposal): "100 000 kr",
            (2027, C.OTHER, F.EXTERNAL, None): 50_000,
        },
    )
    assert budget_snapshot(proposal) == sorted(
        [
            (2026, C.SALARIES, F.AGREEMENT, None, 400_000),
            (2026, C.SALARIES, F.OWN_CONTRIBUTION, proposal.agreement.university_id, 100_000),
            (2027, C.OTHER, F.EXTERNAL, None, 50_000),
        ]
    )


def test_own_contribution_from_a_municipal_company_of_the_agreement_is_accepted():
    municipality = MunicipalityFactory()
    company = CompanyFactory(parent=municipality)
    proposal = ProposalFactory(agreement=AgreementFactory(municipalities=[municipality]))
    budget_save(
        proposal=proposal,
        by=proposal.responsible_researcher,
        cells={own(proposal, organisation=company): "5000"},
    )
    assert budget_snapshot(proposal) == [(2026, C.SALARIES, F.OWN_CONTRIBUTION, company.pk, 5000)]


ERROR_CASES = [
    pytest.param(
        CellKey(2026, C.TRAVEL, F.AGREEMENT),
        "-5000",
        "2026, Resor, Samverkansavtalet: ange ett helt antal kronor (0 eller mer).",
        id="negative",
    ),
    pytest.param(
        CellKey(2026, C.TRAVEL, F.AGREEMENT),
        "12,5",
        "2026, Resor, Samverkansavtalet: ange ett helt antal kronor (0 eller mer).",
        id="decimal",
    ),
    pytest.param(
        CellKey(2027, C.EQUIPMENT, F.EXTERNAL),
        "många",
        "2027, Utrustning och material, Extern finansiär: ange ett helt antal kronor (0 eller mer).",
        id="text",
    ),
    pytest.param(
        CellKey(2026, C.SALARIES, F.AGREEMENT),
        10.0,
        "2026, Löner inkl. lönebikostnader, Samverkansavtalet: ange ett helt antal kronor (0 eller mer).",
        id="float",
    ),
    pytest.param(
        CellKey(2028, C.SALARIES, F.AGREEMENT),
        "1000",
        "2028, Löner inkl. lönebikostnader, Samverkansavtalet: året ligger utanför projektets planerade "
        "period (2026–2027).",
        id="year-after-period",
    ),
    pytest.param(
        CellKey(2025, C.SALARIES, F.AGREEMENT),
        "1000",
        "2025, Löner inkl. lönebikostnader, Samverkansavtalet: året ligger utanför projektets planerade "
        "period (2026–2027).",
        id="year-before-period",
    ),
    pytest.param(
        CellKey(2026, C.SALARIES, F.OWN_CONTRIBUTION, None),
        "1000",
        "2026, Löner inkl. lönebikostnader, Egen insats: ange vilken part som står för den egna insatsen.",
        id="own-without-party",
    ),
    pytest.param(
        CellKey(2026, C.SALARIES, F.AGREEMENT, "university"),
        "1000",
        "2026, Löner inkl. lönebikostnader, Samverkansavtalet (Universitet",
        id="party-on-agreement-money",
    ),
]


@pytest.mark.parametrize(("key", "typed", "message"), ERROR_CASES)
def test_bad_cell_is_refused_in_swedish_and_nothing_is_saved(proposal, key, typed, message):
    budget_row(proposal, year=2026, category=C.SALARIES, amount=300_000)
    budget_row(proposal, year=2027, category=C.TRAVEL, amount=8_000)
    before = budget_snapshot(proposal)
    if key.organisation_id == "university":
        key = key._replace(organisation_id=proposal.agreement.university_id)
    cells = {
        CellKey(2026, C.SALARIES, F.AGREEMENT): "999 000",
        CellKey(2026, C.INDIRECT, F.AGREEMENT): "1",
        key: typed,
    }

    with pytest.raises(ValidationError) as refused:
        budget_save(proposal=proposal, by=proposal.responsible_researcher, cells=cells)

    messages = refused.value.message_dict[key.name]
    assert len(messages) == 1 and messages[0].startswith(message)
    assert set(refused.value.message_dict) == {key.name}
    assert budget_snapshot(proposal) == before


def test_own_contribution_from_a_party_outside_the_agreement_is_refused(proposal):
    budget_row(proposal, amount=300_000)
    before = budget_snapshot(proposal)
    foreign = MunicipalityFactory(name="Annan kommun")
    key = own(proposal, organisation=foreign)

    with pytest.raises(ValidationError) as refused:
        budget_save(proposal=proposal, by=proposal.responsible_researcher, cells={key: "10 000"})

    assert refused.value.message_dict == {
        key.name: [
            "2026, Löner inkl. lönebikostnader, Egen insats (Annan kommun): en egen insats kan bara komma "
            "från en part i samverkansavtalet (universitetet, en kommun eller ett kommunalt bolag)."
        ]
    }
    assert budget_snapshot(proposal) == before


def test_every_bad_cell_gets_its_own_message(proposal):
    cells = {
        CellKey(2026, C.TRAVEL, F.AGREEMENT): "-1",
        CellKey(2027, C.TRAVEL, F.AGREEMENT): "abc",
        CellKey(2026, C.SALARIES, F.AGREEMENT): "100 000",
    }
    with pytest.raises(ValidationError) as refused:
        budget_save(proposal=proposal, by=proposal.responsible_researcher, cells=cells)
    assert sorted(refused.value.message_dict) == ["c-2026-travel-agreement", "c-2027-travel-agreement"]
    assert ApplicationBudgetRow.objects.count() == 0


def test_budget_without_planned_period_asks_for_the_period_first():
    proposal = ProposalFactory(planned_start=None, planned_end=None)
    with pytest.raises(ValidationError) as refused:
        budget_save(
            proposal=proposal,
            by=proposal.responsible_researcher,
            cells={CellKey(2026, C.SALARIES, F.AGREEMENT): "1000"},
        )
    assert refused.value.messages == ["Ange projektets planerade start och slut innan budgeten fylls i."]
    assert ApplicationBudgetRow.objects.count() == 0


def test_period_within_one_year_allows_only_that_year():
    proposal = ProposalFactory(
        planned_start=datetime.date(2026, 3, 1), planned_end=datetime.date(2026, 11, 30)
    )
    with pytest.raises(ValidationError, match=r"utanför projektets planerade period \(2026–2026\)"):
        budget_save(
            proposal=proposal,
            by=proposal.responsible_researcher,
            cells={CellKey(2027, C.TRAVEL, F.AGREEMENT): "1"},
        )


@pytest.mark.parametrize(
    "who",
    ["unrelated", "processledare", "team-after-submission", "inactive-team-member"],
)
def test_budget_save_refused_without_edit_permission_changes_nothing(who):
    state = ProposalState.SUBMITTED if who == "team-after-submission" else ProposalState.APPLICATION
    proposal = ProposalFactory(state=state)
    budget_row(proposal, amount=300_000)
    before = budget_snapshot(proposal)
    by = {
        "unrelated": lambda: UserFactory(),
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "team-after-submission": lambda: proposal.responsible_researcher,
        "inactive-team-member": lambda: proposal.responsible_officer,
    }[who]()
    if who == "inactive-team-member":
        by.is_active = False
        by.save()

    with pytest.raises(PermissionDenied):
        budget_save(proposal=proposal, by=by, cells={CellKey(2026, C.SALARIES, F.AGREEMENT): "1"})

    assert budget_snapshot(proposal) == before


def test_team_officer_may_save_the_budget(proposal):
    budget_save(
        proposal=proposal,
        by=proposal.responsible_officer,
        cells={CellKey(2026, C.TRAVEL, F.AGREEMENT): "3 000"},
    )
    assert budget_snapshot(proposal) == [(2026, C.TRAVEL, F.AGREEMENT, None, 3000)]
