"""What budget adds to the apps below it (samverkan/registry.py): a completeness check and panels for the
proposal, the economy entry and start-page section, and – for governance – the budget part of the decision
form, the commitment when a decision is recorded and the budget lines of a decision in the minutes, the
proposed amount per year in the beredning's ställningstagande form (stored when it is recorded) and the
amounts applied for and proposed on the item pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DECISION_FIELDS = ("budget_line", "over_frame", "over_frame_reason")


def decision_form_part(form, item):
    """The line a grant is committed against (and the processledare's override of the frame), when the
    agreement has budget lines."""
    from governance.extensions import FormPart

    from . import services

    proposal = item.proposal
    if proposal is None:
        return None
    prefill_amounts(form, proposal)
    if not services.agreement_has_lines(proposal.agreement_id):
        return None
    form.fields["budget_line"] = forms.ModelChoiceField(
        label=_("Budgetpost som beslutet finansieras från"),
        queryset=services.commitment_lines(proposal.agreement_id),
        required=False,
        empty_label=_("Välj budgetpost"),
    )
    form.fields["budget_line"].label_from_instance = lambda line: line.label
    form.fields["over_frame"] = forms.BooleanField(
        label=_("Besluta över ramen (processledaren)"),
        required=False,
        help_text=_(
            "Kryssa i bara om beslutet medvetet överskrider budgetpostens ram; skälet protokollförs."
        ),
    )
    form.fields["over_frame_reason"] = forms.CharField(
        label=_("Skäl att besluta över ramen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    if "budget_line" not in form.initial:
        default = services.default_line_for(proposal)
        form.initial["budget_line"] = default.pk if default else None
    return FormPart("budget/_decision_form_part.html", DECISION_FIELDS)


def prefill_amounts(form, proposal) -> None:
    """The decision's amount per year starts as the beredning's proposed amount when it proposed one, else as
    the amount applied for from the agreement that year (not for a closure, which grants nothing)."""
    from applications.enums import ProposalState
    from samverkan.templatetags.money import format_kr

    from . import selectors

    if proposal.state == ProposalState.CLOSING:
        return
    proposed = selectors.proposed_for_proposal(proposal.pk)
    if proposed:
        for year, amount in proposed.items():
            form.initial.setdefault(f"amount_{year}", format_kr(amount, unit=False))
        return
    for row in selectors.applied_per_year(proposal):
        if row.agreement:
            form.initial.setdefault(f"amount_{row.year}", format_kr(row.agreement, unit=False))


def outcome_form_part(form, item):
    """The beredning's proposed amount per year, prefilled with the amount applied for from the agreement
    (not for a pitch, which gets feedback and never money)."""
    from applications.enums import ProposalState
    from governance.extensions import FormPart
    from samverkan.templatetags.money import format_kr

    from . import selectors, services

    proposal = item.proposal
    if proposal is None or proposal.state == ProposalState.PITCH:
        return None
    rows = selectors.applied_per_year(proposal)
    if not rows:
        return None
    names = []
    for row in rows:
        name = services.proposed_field(row.year)
        form.fields[name] = ProposedAmountField(
            year=row.year,
            applied=row.agreement,
            label=_("Föreslaget %(year)s (kr)") % {"year": row.year},
            help_text=_("Sökt: %(applied)s") % {"applied": format_kr(row.agreement)},
            initial=format_kr(row.agreement, unit=False),
        )
        names.append(name)
    return FormPart("budget/_outcome_form_part.html", tuple(names))


class ProposedAmountField(forms.CharField):
    """Typed kronor ("250 000") → int, refused when negative, not whole or above the amount applied for."""

    def __init__(self, *, year: int, applied: int, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.year = year
        self.applied = applied

    def clean(self, value):
        from .services import clean_proposed

        return clean_proposed(self.year, super().clean(value), self.applied)


def item_facts(item):
    """The amount per year applied for and, beside it, the beredning's proposed amount: on the styrgrupp
    item page (from the beredning item that forwarded the proposal) and under the beredning's recorded
    ställningstagande (its own)."""
    from governance.extensions import ItemFacts

    from . import selectors

    rows = selectors.applied_per_year(item.proposal)
    if not rows:
        return None
    if item.meeting.is_review:
        proposed = selectors.proposed_for_item(item.pk)
    else:
        proposed = selectors.proposed_for_proposal(item.proposal_id)
    years = [
        {"year": r.year, "agreement": r.agreement, "proposed": proposed.get(r.year), "total": r.total}
        for r in rows
    ]
    return ItemFacts(
        "budget/_item_facts.html",
        {
            "rows": years,
            "agreement": sum(r.agreement for r in rows),
            "proposed": sum(proposed.values()) if proposed else None,
            "total": sum(r.total for r in rows),
        },
    )


def minutes_outcome_lines(item) -> list[str]:
    """Under the beredning's ställningstagande in its minutes: the amount per year it proposed."""
    from samverkan.templatetags.money import format_kr

    from . import selectors

    proposed = selectors.proposed_for_item(item.pk)
    if not proposed:
        return []
    years = ", ".join(f"{year}: {format_kr(amount)}" for year, amount in sorted(proposed.items()))
    return [
        _("Föreslaget belopp: %(years)s (totalt %(total)s)")
        % {"years": years, "total": format_kr(sum(proposed.values()))}
    ]


def record_proposed_amounts(sender, *, item, by, extra, **kwargs):
    """Store the beredning's proposed amounts with its ställningstagande; bad amounts refuse it."""
    from . import services

    amounts = {}
    for name, value in extra.items():
        prefix, _sep, year = name.rpartition("_")
        if prefix == "proposed_amount" and year.isdigit():
            amounts[int(year)] = value
    if amounts:
        services.proposed_amounts_record(item=item, by=by, amounts=amounts)


def freeze_plan(sender, *, decision, **kwargs):
    """A decided verksamhetsplan is frozen."""
    from .services.plans import plan_decision_recorded

    plan_decision_recorded(decision=decision)


def commit_decision(sender, *, decision, by, extra, **kwargs):
    """Commit the decided amounts against the chosen line; over-commitment is refused unless overridden
    with a reason."""
    from . import services

    services.decision_recorded(
        decision=decision,
        by=by,
        line=extra.get("budget_line"),
        override=bool(extra.get("over_frame")),
        override_reason=extra.get("over_frame_reason") or "",
    )


def register():
    from applications import completeness, panels
    from governance import extensions
    from samverkan import dashboard, navigation

    from . import checks, permissions, selectors
    from .panels import budget_panel
    from .views.economy import economy_section, project_panel

    completeness.register(checks.budget_missing)
    panels.register(budget_panel)
    panels.register(project_panel)
    navigation.register(
        navigation.NavItem(_("Ekonomi"), "budget:economy", permissions.can_see_economy_anywhere, 50)
    )
    dashboard.register(economy_section)
    extensions.decision_form_parts.register(decision_form_part)
    extensions.item_facts.register(item_facts)
    extensions.outcome_form_parts.register(outcome_form_part)
    extensions.outcome_recorded.connect(
        record_proposed_amounts, dispatch_uid="budget.record_proposed_amounts"
    )
    extensions.decision_recorded.connect(freeze_plan, dispatch_uid="budget.freeze_plan")
    extensions.decision_recorded.connect(commit_decision, dispatch_uid="budget.commit_decision")
    extensions.minutes_decision_lines.register(selectors.decision_budget_lines)
    extensions.minutes_outcome_lines.register(minutes_outcome_lines)
