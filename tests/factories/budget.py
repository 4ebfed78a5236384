from budget.enums import CostCategory, FundingSource
from budget.models import ApplicationBudgetRow


def with_budget(proposal, amount=400_000):
    """A minimal complete budget: salaries from the agreement for the proposal's first year."""
    year = proposal.planned_start.year if proposal.planned_start else 2026
    ApplicationBudgetRow.objects.create(
        proposal=proposal,
        year=year,
        category=CostCategory.SALARIES,
        source=FundingSource.AGREEMENT,
        amount=amount,
    )
    return proposal


def budget_row(
    proposal,
    *,
    amount,
    year=None,
    category=CostCategory.SALARIES,
    source=FundingSource.AGREEMENT,
    organisation=None,
):
    """One budget cell; an own contribution needs its party (`organisation`)."""
    return ApplicationBudgetRow.objects.create(
        proposal=proposal,
        year=year or proposal.planned_start.year,
        category=category,
        source=source,
        organisation=organisation,
        amount=amount,
    )


def budget_snapshot(proposal):
    """The proposal's budget as comparable values, to assert that nothing changed."""
    return sorted(
        ApplicationBudgetRow.objects.filter(proposal=proposal).values_list(
            "year", "category", "source", "organisation_id", "amount"
        )
    )
