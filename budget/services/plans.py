"""Verksamhetsplan (annual activity plan) writes. A plan for the agreement or for a programme is written by
the processledare, presented at a beredning and decided by the styrgrupp (Samverkansmodellen, "Program":
"Varje år upprättas en verksamhetsplan med mål och aktiviteter som presenteras för beredningsgruppen och
beslutas av styrgruppen"). Once decided it is frozen; next year's plan can start as a copy."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from applications.enums import WorkForm
from samverkan.models import Agreement, User

from .. import permissions
from ..enums import PlanStatus
from ..models import ActivityPlan, BudgetLine, PlanActivity
from .application import AmountError, parse_amount
from .frames import check_year

PLAN_FIELDS = ("title", "area", "introduction", "overall_goals")
ACTIVITY_FIELDS = (
    "title",
    "goal_numbers",
    "area_goal",
    "description",
    "planned_activities",
    "communication",
    "follow_up",
)
FROZEN_MESSAGE = _(
    "Verksamhetsplanen är beslutad av styrgruppen och kan inte ändras. Kopiera den till nästa år."
)


def _locked_for_edit(plan: ActivityPlan, by: User) -> ActivityPlan:
    """The plan, locked, once `permissions.can_edit_plan` allows the edit: PermissionDenied for anyone but a
    processledare, the Swedish refusal for a frozen plan."""
    fresh = ActivityPlan.objects.select_for_update().get(pk=plan.pk)
    if not permissions.can_manage_economy(by, fresh.agreement_id):
        raise PermissionDenied
    if fresh.is_frozen:
        raise ValidationError(str(FROZEN_MESSAGE))
    return fresh


def _check_programme(agreement: Agreement, programme) -> None:
    if programme is None:
        return
    if programme.agreement_id != agreement.pk or programme.work_form != WorkForm.PROGRAMME:
        raise ValidationError({"programme": _("Välj ett program i avtalet.")})


def _unique(agreement, programme, year, exclude=None) -> None:
    existing = ActivityPlan.objects.filter(agreement=agreement, programme=programme, year=year)
    if exclude is not None:
        existing = existing.exclude(pk=exclude.pk)
    if existing.exists():
        raise ValidationError(
            {"year": _("Det finns redan en verksamhetsplan för %(year)s.") % {"year": year}}
        )


@transaction.atomic
def plan_create(
    *,
    agreement: Agreement,
    year: int,
    by: User,
    title: str,
    area: str = "",
    introduction: str = "",
    overall_goals: str = "",
    programme=None,
) -> ActivityPlan:
    if not permissions.can_manage_economy(by, agreement):
        raise PermissionDenied
    year = check_year(year)
    _check_programme(agreement, programme)
    _unique(agreement, programme, year)
    if not title.strip():
        raise ValidationError(
            {"title": _("Ange en rubrik, t.ex. ”Verksamhetsplan %(year)s”.") % {"year": year}}
        )
    return ActivityPlan.objects.create(
        agreement=agreement,
        programme=programme,
        year=year,
        title=title.strip(),
        area=area.strip(),
        introduction=introduction.strip(),
        overall_goals=overall_goals.strip(),
        created_by=by,
    )


@transaction.atomic
def plan_update(*, plan: ActivityPlan, by: User, **fields) -> ActivityPlan:
    fresh = _locked_for_edit(plan, by)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(fresh, name, (fields[name] or "").strip())
    if not fresh.title:
        raise ValidationError({"title": _("Ange en rubrik.")})
    fresh.save()
    return fresh


def _activity_values(plan: ActivityPlan, fields: dict) -> dict:
    errors: dict[str, list[str]] = {}
    values = {name: (fields.get(name) or "").strip() for name in ACTIVITY_FIELDS}
    if not values["title"]:
        errors["title"] = [_("Ange aktivitetens rubrik.")]
    numbers = [n.strip() for n in values["goal_numbers"].split(",") if n.strip()]
    goal_count = len(plan.goals)
    bad = [n for n in numbers if not n.isdigit() or not 1 <= int(n) <= goal_count]
    if bad:
        errors["goal_numbers"] = [
            _("Målnummer ska vara 1–%(n)s (planens övergripande mål), åtskilda med komma.")
            % {"n": goal_count}
            if goal_count
            else _("Skriv först planens övergripande mål; aktiviteterna hänvisar till deras nummer.")
        ]
    else:
        values["goal_numbers"] = ", ".join(str(int(n)) for n in numbers)
    try:
        amount = parse_amount(fields.get("budget_amount"))
    except AmountError as error:
        errors["budget_amount"] = [_("Budget: %(e)s.") % {"e": error}]
        amount = 0
    values["budget_amount"] = amount or None
    line = fields.get("budget_line")
    if line is not None and line.agreement_id != plan.agreement_id:
        errors["budget_line"] = [_("Välj en budgetpost i avtalet.")]
    values["budget_line"] = line
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def activity_save(
    *, plan: ActivityPlan, by: User, activity: PlanActivity | None = None, **fields
) -> PlanActivity:
    """Add or change an activity: budget is an amount, or (amount empty) "ingår i budgetpost X" when a line is
    chosen, or nothing ("–")."""
    fresh = _locked_for_edit(plan, by)
    values = _activity_values(fresh, fields)
    if activity is None:
        order = (fresh.activities.aggregate(n=Max("order"))["n"] or 0) + 1
        return PlanActivity.objects.create(plan=fresh, order=order, **values)
    if activity.plan_id != fresh.pk:
        raise PermissionDenied
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    return activity


@transaction.atomic
def activity_delete(*, activity: PlanActivity, by: User) -> None:
    _locked_for_edit(activity.plan, by)
    activity.delete()


@transaction.atomic
def plan_copy(*, plan: ActivityPlan, by: User, year: int | None = None) -> ActivityPlan:
    """Start next year's plan as a copy: texts, goals and activities (with their budget lines); amounts are
    kept as a starting point. The copy is a draft."""
    if not permissions.can_manage_economy(by, plan.agreement_id):
        raise PermissionDenied
    year = check_year(year or plan.year + 1)
    _unique(plan.agreement, plan.programme, year)
    title = plan.title.replace(str(plan.year), str(year))
    if title == plan.title:
        title = f"{plan.title} {year}"
    copy = ActivityPlan.objects.create(
        agreement=plan.agreement,
        programme=plan.programme,
        year=year,
        title=title,
        area=plan.area,
        introduction=plan.introduction,
        overall_goals=plan.overall_goals,
        copied_from=plan,
        created_by=by,
    )
    PlanActivity.objects.bulk_create(
        PlanActivity(
            plan=copy,
            order=activity.order,
            title=activity.title.replace(str(plan.year), str(year)),
            goal_numbers=activity.goal_numbers,
            area_goal=activity.area_goal,
            description=activity.description,
            planned_activities=activity.planned_activities,
            budget_amount=activity.budget_amount,
            budget_line=activity.budget_line,
            communication=activity.communication,
            follow_up=activity.follow_up,
        )
        for activity in plan.activities.all()
    )
    return copy


def _item_title(plan: ActivityPlan) -> str:
    return _("Verksamhetsplan: %(title)s") % {"title": plan.title}


@transaction.atomic
def plan_present(*, plan: ActivityPlan, meeting, by: User):
    """Put the plan on a beredning's agenda (an information item) – it is presented there."""
    from governance.enums import ItemKind
    from governance.services import item_add

    fresh = _locked_for_edit(plan, by)
    if fresh.agreement_id not in meeting.agreement_ids() or not meeting.is_review:
        raise ValidationError({"meeting": _("Välj en beredning i avtalet.")})
    item = item_add(
        meeting=meeting,
        by=by,
        title=_item_title(fresh),
        kind=ItemKind.INFORMATION,
        description=_("Verksamhetsplanen presenteras för beredningen."),
    )
    fresh.review_item = item
    if fresh.status == PlanStatus.DRAFT:
        fresh.status = PlanStatus.PRESENTED
    fresh.save(update_fields=["review_item", "status", "updated_at"])
    return item


@transaction.atomic
def plan_to_steering(*, plan: ActivityPlan, meeting, by: User):
    """Put the plan on a styrgrupp agenda as a decision item; the decision on that item freezes it."""
    from governance.enums import ItemKind
    from governance.services import item_add

    fresh = _locked_for_edit(plan, by)
    if meeting.agreement_id != fresh.agreement_id or not meeting.is_steering:
        raise ValidationError({"meeting": _("Välj ett styrgruppsmöte i avtalet.")})
    if fresh.steering_item_id and not fresh.steering_item.decisions.exists():
        raise ValidationError({"meeting": _("Planen ligger redan på en styrgrupps dagordning.")})
    item = item_add(
        meeting=meeting,
        by=by,
        title=_item_title(fresh),
        kind=ItemKind.DECISION,
        description=_("Styrgruppen beslutar om verksamhetsplanen med budget."),
    )
    fresh.steering_item = item
    fresh.status = PlanStatus.ON_AGENDA
    fresh.save(update_fields=["steering_item", "status", "updated_at"])
    return item


def plan_decision_recorded(*, decision) -> None:
    """A decision on the plan's styrgrupp item: approval (any kind but avslag) freezes the plan."""
    from governance.enums import DecisionKind

    plan = ActivityPlan.objects.filter(steering_item_id=decision.item_id).first()
    if plan is None or plan.is_frozen:
        return
    if decision.kind == DecisionKind.REJECT:
        plan.status = PlanStatus.DRAFT
        plan.steering_item = None
        plan.save(update_fields=["status", "steering_item", "updated_at"])
        return
    plan.decision = decision
    plan.status = PlanStatus.DECIDED
    plan.save(update_fields=["decision", "status", "updated_at"])


def lines_for_plan(plan: ActivityPlan):
    return BudgetLine.objects.filter(agreement_id=plan.agreement_id).order_by("order", "pk")
