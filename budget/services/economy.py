"""Writes for the agreement's economy: commitments from styrgrupp decisions, disbursements and spending
(the frames and lines: frames.py). Money is whole kronor (int), never float; every total is computed.

Rules (Samverkansmodellen, DESIGN.md "Budget"):
- a grant decision commits its amount per year against the line it is funded from; a decision that would
  over-commit a line is refused unless a processledare overrides with a written reason (recorded, shown in
  the minutes and on the decision);
- a co-funding decision commits conditionally until the main funder decides; the commitment lapses with
  the proposal (read from the proposal's state by the selectors);
- disbursements go to the project account once the decision documents are signed, and never exceed what
  was granted for that year;
- spending is declared per year and cost category by follow-up reports or imported from the finance system.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.models import User
from samverkan.templatetags.money import format_kr

from .. import permissions
from ..enums import CostCategory, LineKind, SpendingSource
from ..models import BudgetLine, Commitment, Disbursement, FrameAmount, Spending
from .application import AmountError, parse_amount
from .frames import check_year

# Proposal states in which the decision documents may have been signed and money paid out.
DISBURSABLE_STATES = (
    ProposalState.GRANTED,
    ProposalState.ACTIVE,
    ProposalState.CLOSING,
    ProposalState.CLOSED,
)


# --- commitments -------------------------------------------------------------------------------------------


def line_room(line: BudgetLine, year: int, *, exclude_decision=None) -> tuple[int, int]:
    """(frame amount, committed) for the line and year; committed counts every commitment that is not
    released, including conditional ones (they hold the money until the main funder decides)."""
    frame = (
        FrameAmount.objects.filter(line=line, frame__year=year).values_list("amount", flat=True).first() or 0
    )
    from ..selectors.economy import RELEASED_STATES

    committed = Commitment.objects.filter(line=line, year=year, released_at__isnull=True).exclude(
        proposal__state__in=RELEASED_STATES
    )
    if exclude_decision is not None:
        committed = committed.exclude(decision=exclude_decision)
    return frame, committed.aggregate(s=Sum("amount"))["s"] or 0


def over_commitment_problems(
    line: BudgetLine, amounts: Mapping[int, int], *, exclude_decision=None
) -> list[str]:
    """Swedish sentences, one per year the amounts would take the line over its frame."""
    problems = []
    for year, amount in sorted(amounts.items()):
        if not amount:
            continue
        frame, committed = line_room(line, year, exclude_decision=exclude_decision)
        if committed + amount > frame:
            problems.append(
                _(
                    "%(year)s: budgetposten ”%(line)s” har ramen %(frame)s, redan beslutat %(committed)s; "
                    "beslutet (%(amount)s) går %(over)s över ramen."
                )
                % {
                    "year": year,
                    "line": line.name,
                    "frame": format_kr(frame),
                    "committed": format_kr(committed),
                    "amount": format_kr(amount),
                    "over": format_kr(committed + amount - frame),
                }
            )
    return problems


def agreement_has_lines(agreement_id: int) -> bool:
    return BudgetLine.objects.filter(agreement_id=agreement_id).exists()


def commitment_lines(agreement_id: int):
    """The lines a decision may be funded from, in the frame's order."""
    return BudgetLine.objects.filter(agreement_id=agreement_id).order_by("order", "pk")


def default_line_for(proposal: Proposal | None) -> BudgetLine | None:
    """The line a decision on the proposal is most likely funded from: a line naming the proposal or its
    programme, else the first pool for förstudier and projekt."""
    if proposal is None:
        return None
    lines = commitment_lines(proposal.agreement_id)
    named = [pk for pk in (proposal.pk, proposal.parent_id) if pk]
    return lines.filter(proposal_id__in=named).first() or lines.filter(kind=LineKind.POOL).first()


@transaction.atomic
def decision_recorded(
    *,
    decision,
    by: User,
    line: BudgetLine | None = None,
    override: bool = False,
    override_reason: str = "",
) -> list[Commitment]:
    """Called when a styrgrupp decision is created (same transaction, budget/integration.py): a grant or
    co-funding decision with amounts commits them against `line`.

    Refusals raise ValidationError with a Swedish message; the decision is then not created either. When the
    agreement has no budget lines at all (no frame set up yet) nothing is committed."""
    from governance.enums import DecisionKind

    if decision.supersedes_id:
        Commitment.objects.filter(decision_id=decision.supersedes_id, released_at__isnull=True).update(
            released_at=timezone.now(),
            release_reason=_("Rättat genom beslut §%(p)s") % {"p": decision.paragraph},
        )
    if decision.kind not in (DecisionKind.GRANT, DecisionKind.COFUNDING) or decision.proposal_id is None:
        return []
    amounts = {a.year: a.amount for a in decision.amounts.all() if a.amount}
    proposal = decision.proposal
    if not amounts or not agreement_has_lines(proposal.agreement_id):
        return []
    if line is None and decision.supersedes_id:
        # A correction is funded from the same line as the decision it corrects.
        earlier = Commitment.objects.filter(decision_id=decision.supersedes_id).select_related("line").first()
        line = earlier.line if earlier else None
    if line is None:
        # Callers without a screen (the demo, imports) get the line the form would have proposed.
        line = default_line_for(proposal)
    if line is None:
        raise ValidationError(_("Välj vilken budgetpost beslutet finansieras från."))
    if line.agreement_id != proposal.agreement_id:
        raise ValidationError(_("Budgetposten hör till ett annat avtal."))
    # Lock the line so two decisions at the same time cannot both take the last of the frame.
    BudgetLine.objects.select_for_update().filter(pk=line.pk).first()
    problems = over_commitment_problems(line, amounts, exclude_decision=decision.supersedes_id)
    override_reason = (override_reason or "").strip()
    if problems:
        if not override:
            raise ValidationError(
                [
                    *problems,
                    _(
                        "Beslutet överskrider ramen. Processledaren kan besluta ändå genom att kryssa i "
                        "”Besluta över ramen” och skriva skälet."
                    ),
                ]
            )
        if not permissions.can_override_frame(by, proposal.agreement_id):
            raise ValidationError(_("Bara en processledare kan besluta över ramen."))
        if not override_reason:
            raise ValidationError(_("Skriv skälet till att besluta över ramen."))
    conditional = decision.kind == DecisionKind.COFUNDING
    return Commitment.objects.bulk_create(
        Commitment(
            decision=decision,
            proposal=proposal,
            line=line,
            year=year,
            amount=amount,
            conditional=conditional,
            over_frame=bool(problems),
            override_reason=override_reason if problems else "",
            override_by=by if problems else None,
            created_at=decision.created_at or timezone.now(),
        )
        for year, amount in sorted(amounts.items())
    )


# --- disbursements -----------------------------------------------------------------------------------------


def granted_for(proposal: Proposal, year: int) -> int:
    """What the styrgrupp has granted the proposal for the year and may be paid: firm commitments only."""
    if proposal.state in (ProposalState.COFUNDING_APPROVED,) or proposal.state == ProposalState.LAPSED:
        return 0
    return (
        Commitment.objects.filter(proposal=proposal, year=year, released_at__isnull=True).aggregate(
            s=Sum("amount")
        )["s"]
        or 0
    )


@transaction.atomic
def disbursement_create(
    *, proposal: Proposal, year: int, amount, paid_on: datetime.date, reference: str, by: User
) -> Disbursement:
    """Register an utbetalning to the project account. Only after the decision documents are signed and
    registered (the beslutsunderlag is what opens the project account), and the year's disbursements never
    exceed what was granted for that year – more money needs a new decision."""
    fresh = Proposal.objects.select_for_update().select_related("agreement").get(pk=proposal.pk)
    if not permissions.can_manage_economy(by, fresh.agreement_id):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    try:
        amount = parse_amount(amount)
    except AmountError as error:
        errors["amount"] = [_("Belopp: %(e)s.") % {"e": error}]
    else:
        if amount == 0:
            errors["amount"] = [_("Belopp: ange ett belopp större än 0 kr.")]
    try:
        year = check_year(year)
    except ValidationError as error:
        errors.update(error.message_dict)
    reference = (reference or "").strip()
    if not reference:
        errors["reference"] = [_("Ange en referens, t.ex. verifikationsnumret.")]
    if paid_on is None:
        errors["paid_on"] = [_("Ange utbetalningsdag.")]
    if fresh.state not in DISBURSABLE_STATES or fresh.documents_completed_at is None:
        errors.setdefault("__all__", []).append(
            _("Utbetalning kan registreras först när beslutsunderlaget är signerat och diariefört.")
        )
    if errors:
        raise ValidationError(errors)
    granted = granted_for(fresh, year)
    paid = Disbursement.objects.filter(proposal=fresh, year=year).aggregate(s=Sum("amount"))["s"] or 0
    if paid + amount > granted:
        raise ValidationError(
            {
                "amount": [
                    _(
                        "Beviljat för %(year)s är %(granted)s och %(paid)s är redan utbetalt – "
                        "högst %(left)s "
                        "kan betalas ut. Mer pengar kräver ett nytt beslut."
                    )
                    % {
                        "year": year,
                        "granted": format_kr(granted),
                        "paid": format_kr(paid),
                        "left": format_kr(max(0, granted - paid)),
                    }
                ]
            }
        )
    return Disbursement.objects.create(
        proposal=fresh, year=year, amount=amount, paid_on=paid_on, reference=reference, created_by=by
    )


# --- spending ----------------------------------------------------------------------------------------------


@transaction.atomic
def spending_replace_for_report(
    *, proposal: Proposal, year: int, amounts: Mapping[str, int], reference: str, by
) -> None:
    """Replace the spending one follow-up report declared: amounts per CostCategory value (budget/enums.py)
    for that year; reference identifies the report (e.g. 'uppföljning-42'). Rows with source 'report'.

    Zero amounts give no row. Raises ValidationError (Swedish, keyed by category) for an unknown category or
    an amount that is not whole kronor ≥ 0, and PermissionDenied unless `by` is in the project's team or a
    processledare of its agreement. Nothing changes on refusal."""
    fresh = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.can_report_spending(by, fresh):
        raise PermissionDenied
    year = check_year(year)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": [_("Referens saknas.")]})
    errors: dict[str, list[str]] = {}
    rows = []
    for category, value in amounts.items():
        if category not in CostCategory.values:
            errors[str(category)] = [_("Okänt kostnadsslag: %(c)s.") % {"c": category}]
            continue
        try:
            amount = parse_amount(value)
        except AmountError as error:
            errors[category] = [f"{CostCategory(category).label}: {error}."]
            continue
        if amount:
            rows.append(
                Spending(
                    proposal=fresh,
                    year=year,
                    category=category,
                    amount=amount,
                    source=SpendingSource.REPORT,
                    reference=reference,
                    created_by=by,
                )
            )
    if errors:
        raise ValidationError(errors)
    Spending.objects.filter(
        proposal=fresh, year=year, source=SpendingSource.REPORT, reference=reference
    ).delete()
    Spending.objects.bulk_create(rows)
