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


# --- The agreement's economy -----------------------------------------------------------------------------


def budget_line(
    agreement, name="Förstudier och projekt", *, area="Gemensamma området", kind="pool", proposal=None
):
    from budget.models import BudgetLine

    order = BudgetLine.objects.filter(agreement=agreement).count() + 1
    return BudgetLine.objects.create(
        agreement=agreement, area=area, name=name, kind=kind, proposal=proposal, order=order
    )


def frame(agreement, year, amounts, by=None):
    """The year's frame with {line: amount}, written directly (tests only)."""
    from budget.models import BudgetFrame, FrameAmount
    from tests.factories.governance import process_leader

    created_by = by or process_leader(agreement)
    result, _ = BudgetFrame.objects.get_or_create(
        agreement=agreement, year=year, defaults={"created_by": created_by}
    )
    for line, amount in amounts.items():
        FrameAmount.objects.update_or_create(frame=result, line=line, defaults={"amount": amount})
    return result


def steering_item(proposal, *, state="awaiting_decision"):
    """A styrgrupp meeting item for the proposal (moved to `state`) and the meeting's secretary, a
    processledare who may record decisions."""
    from applications.models import Proposal
    from governance.enums import MeetingKind
    from tests.factories.governance import AgendaItemFactory, MeetingFactory, started

    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    proposal.refresh_from_db()
    # Under way: a decision enligt förslag is taken at the meeting, once it has started (issue 16).
    meeting = MeetingFactory(agreement=proposal.agreement, kind=MeetingKind.STEERING, starts_at=started())
    return AgendaItemFactory(meeting=meeting, proposal=proposal), meeting.secretary


def grant(proposal, amounts, *, line=None, kind="grant", over_frame=False, reason=""):
    """A styrgrupp decision "enligt förslag" granting `amounts` ({year: kr}) against `line`."""
    from governance.services import decision_by_acclamation

    item, secretary = steering_item(proposal)
    return decision_by_acclamation(
        item=item,
        by=secretary,
        kind=kind,
        text="Styrgruppen beviljar ansökan.",
        amounts=amounts,
        extra={"budget_line": line, "over_frame": over_frame, "over_frame_reason": reason},
    )
