"""Budget facts shown in other apps' templates (the decision panel)."""

from django import template

from ..selectors import decision_commitments

register = template.Library()


@register.inclusion_tag("budget/_decision_budget.html")
def decision_budget(decision):
    commitments = decision_commitments(decision)
    return {
        "commitments": commitments,
        "line": commitments[0].line if commitments else None,
        "conditional": any(c.conditional for c in commitments),
        "over": [c for c in commitments if c.over_frame],
    }
