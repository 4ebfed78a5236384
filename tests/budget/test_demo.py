import pytest
from django.core.management import call_command

from applications.enums import ProposalState
from applications.models import Proposal
from budget import demo
from budget.enums import FundingSource
from budget.models import ApplicationBudgetRow
from samverkan.demo import AGREEMENT_NAME
from tests.factories.budget import budget_snapshot

pytestmark = pytest.mark.django_db
S = ProposalState


def test_demo_without_proposals_does_nothing():
    demo.load()
    assert ApplicationBudgetRow.objects.count() == 0


def test_demo_gives_every_application_a_realistic_budget():
    call_command("load_demo")
    proposals = Proposal.objects.filter(agreement__name=AGREEMENT_NAME)
    with_budget = {p.title for p in proposals if p.budget_rows.exists()}
    expected = {p.title for p in proposals if p.state not in (S.DIALOG, S.PITCH)}
    assert with_budget == expected and expected

    for proposal in proposals.exclude(state__in=[S.DIALOG, S.PITCH]):
        rows = list(proposal.budget_rows.all())
        sources = {(row.source, row.organisation_id) for row in rows}
        assert (FundingSource.AGREEMENT, None) in sources
        assert (FundingSource.OWN_CONTRIBUTION, proposal.agreement.university_id) in sources
        assert any(
            source == FundingSource.OWN_CONTRIBUTION and org != proposal.agreement.university_id
            for source, org in sources
        )
        assert {row.year for row in rows} == set(
            range(proposal.planned_start.year, proposal.planned_end.year + 1)
        )
        assert all(row.amount > 0 and row.amount % 1000 == 0 for row in rows)


def test_demo_budgets_let_finished_applications_be_submitted():
    call_command("load_demo")
    submitted = Proposal.objects.get(title="Inkludering av nyanlända i föreningslivet")
    # Its budget made it complete: it was submitted (and has since gone on through the beredning).
    assert submitted.transitions.filter(transition="submit").exists()
    assert submitted.state not in (S.DIALOG, S.PITCH, S.APPLICATION)


def test_demo_budget_twice_gives_the_same_rows():
    call_command("load_demo")
    before = {p.pk: budget_snapshot(p) for p in Proposal.objects.all()}
    ids = sorted(ApplicationBudgetRow.objects.values_list("pk", flat=True))
    demo.load()
    call_command("load_demo")
    assert {p.pk: budget_snapshot(p) for p in Proposal.objects.all()} == before
    assert sorted(ApplicationBudgetRow.objects.values_list("pk", flat=True)) == ids


def test_demo_economy_is_seed_000s_plan_with_commitments_disbursement_and_spending():
    from budget import selectors
    from budget.models import ActivityPlan, Commitment, Disbursement, Spending
    from samverkan.models import Agreement
    from samverkan.templatetags.money import format_kr

    call_command("load_demo")
    agreement = Agreement.objects.get(name=AGREEMENT_NAME)
    plan = ActivityPlan.objects.get(agreement=agreement, year=demo.PLAN_YEAR)
    budget = selectors.plan_budget(plan)
    assert format_kr(budget.total).replace("\xa0", " ") == "7 400 000 kr"
    assert format_kr(budget.overall_total).replace("\xa0", " ") == "17 800 000 kr"
    assert plan.activities.count() == len(demo.PLAN_ACTIVITIES)
    assert plan.activities.filter(budget_amount__isnull=True, budget_line__isnull=False).count() == 2

    # The October grants are committed against the MKL pool and shown in the minutes.
    granted = Proposal.objects.filter(decisions__kind="grant").distinct()
    assert set(Commitment.objects.values_list("proposal", flat=True)) == set(
        granted.values_list("pk", flat=True)
    )
    assert Disbursement.objects.count() == 1 and Spending.objects.exists()
    overview = selectors.economy_overview(agreement, 2027)
    assert overview.total.committed == 996_000 + 860_000
    assert overview.total.disbursed == demo.DISBURSEMENT["amount"]

    # Idempotent.
    counts = (Commitment.objects.count(), Disbursement.objects.count(), Spending.objects.count())
    call_command("load_demo")
    assert (Commitment.objects.count(), Disbursement.objects.count(), Spending.objects.count()) == counts
