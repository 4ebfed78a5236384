"""What budget adds to the apps below it (samverkan/registry.py): a completeness check and panels for the
proposal, the economy entry and start-page section, and – for governance – the budget part of the decision
form, the commitment when a decision is recorded and the budget lines of a decision in the minutes."""

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
    """The decision's amount per year starts as the amount applied for from the agreement that year (not
    for a closure, which grants nothing)."""
    from applications.enums import ProposalState
    from samverkan.templatetags.money import format_kr

    from . import selectors

    if proposal.state == ProposalState.CLOSING:
        return
    for row in selectors.applied_per_year(proposal):
        if row.agreement:
            form.initial.setdefault(f"amount_{row.year}", format_kr(row.agreement, unit=False))


def item_facts(item):
    """The amount per year applied for, on the styrgrupp item page."""
    from governance.extensions import ItemFacts

    from . import selectors

    rows = selectors.applied_per_year(item.proposal)
    if not rows:
        return None
    return ItemFacts(
        "budget/_item_facts.html",
        {
            "rows": rows,
            "agreement": sum(r.agreement for r in rows),
            "total": sum(r.total for r in rows),
        },
    )


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
    extensions.decision_recorded.connect(freeze_plan, dispatch_uid="budget.freeze_plan")
    extensions.decision_recorded.connect(commit_decision, dispatch_uid="budget.commit_decision")
    extensions.minutes_decision_lines.register(selectors.decision_budget_lines)
