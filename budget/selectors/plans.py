"""The verksamhetsplan's budget tables, computed from the year's frame."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from samverkan.models import Agreement
from samverkan.templatetags.money import format_kr

from ..models import ActivityPlan, BudgetLine, FrameAmount

# --- the verksamhetsplan's budget tables ------------------------------------------------------------------


@dataclass
class PlanBudget:
    area: str
    year: int
    rows: list[tuple[BudgetLine, int]]
    overall: list[tuple[str, int]]  # (area, total) across the agreement's areas
    warnings: list[str]

    @property
    def total(self) -> int:
        return sum(amount for _line, amount in self.rows)

    @property
    def overall_total(self) -> int:
        return sum(amount for _area, amount in self.overall)


def plan_budget(plan: ActivityPlan, activities=None) -> PlanBudget:
    """The plan's budget table (the lines of its area in the year's frame, as seed 000's "Budget för
    samverkansområdet") and the overall budget across areas ("Övergripande budget"); both computed from the
    frame. Warns when the activities' own amounts exceed the line they are funded from."""
    amounts = list(
        FrameAmount.objects.filter(frame__agreement_id=plan.agreement_id, frame__year=plan.year)
        .select_related("line")
        .order_by("line__order", "line_id")
    )
    area = plan.area or (amounts[0].line.area if amounts else "")
    rows = [(fa.line, fa.amount) for fa in amounts if fa.line.area == area]
    overall: dict[str, int] = {}
    for fa in amounts:
        overall[fa.line.area] = overall.get(fa.line.area, 0) + fa.amount
    by_line = {line.pk: amount for line, amount in rows}
    planned: dict[int, int] = defaultdict(int)
    names = {}
    for activity in activities if activities is not None else plan.activities.select_related("budget_line"):
        if activity.budget_line_id and activity.budget_amount:
            planned[activity.budget_line_id] += activity.budget_amount
            names[activity.budget_line_id] = activity.budget_line.name
    warnings = []
    for line_id, amount in planned.items():
        frame = by_line.get(line_id, 0)
        if amount > frame:
            warnings.append(
                _("Aktiviteterna under ”%(line)s” har %(planned)s men posten har %(frame)s i ramen %(year)s.")
                % {
                    "line": names[line_id],
                    "planned": format_kr(amount),
                    "frame": format_kr(frame),
                    "year": plan.year,
                }
            )
    return PlanBudget(area, plan.year, rows, list(overall.items()), warnings)


def plans_for(agreement: Agreement):
    return (
        ActivityPlan.objects.filter(agreement=agreement)
        .select_related("programme", "decision__meeting")
        .order_by("-year", "title")
    )
