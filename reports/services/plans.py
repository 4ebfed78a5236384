"""Kommunikationsplan per agreement and year: written by the kommunikatörer (goals linked to the agreement's
effect goals and KPIs, target groups, channels, activities with timing, responsible and cost), handed to the
styrgrupp, put on its agenda by a processledare and decided there (with its funding) as a decision item."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from governance import services as governance_services
from governance.enums import ItemKind
from samverkan.enums import Role
from samverkan.models import Agreement
from samverkan.notifications import notify
from samverkan.selectors import people_with_role

from .. import permissions
from ..enums import PlanStatus
from ..models import CommunicationActivity, CommunicationGoal, CommunicationPlan

YEAR_RANGE = (2000, 2100)


@transaction.atomic
def plan_create(*, agreement: Agreement, year: int, by) -> CommunicationPlan:
    if not permissions.can_create_plan(by, agreement):
        raise PermissionDenied
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise ValidationError({"year": _("Ange ett år med fyra siffror, t.ex. 2027.")})
    if not agreement.starts_on.year <= year <= agreement.ends_on.year:
        raise ValidationError(
            {
                "year": _("Avtalet gäller %(a)s–%(b)s.")
                % {"a": agreement.starts_on.year, "b": agreement.ends_on.year}
            }
        )
    try:
        with transaction.atomic():
            return CommunicationPlan.objects.create(agreement=agreement, year=year, created_by=by)
    except IntegrityError:
        raise ValidationError(
            {"year": _("Det finns redan en kommunikationsplan för %(year)s.") % {"year": year}}
        ) from None


def _editable(plan: CommunicationPlan, by) -> CommunicationPlan:
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    if not permissions.can_edit_plan(by, plan):
        raise PermissionDenied
    return plan


@transaction.atomic
def plan_update(
    *, plan: CommunicationPlan, by, purpose: str, target_groups: str, channels: str
) -> CommunicationPlan:
    plan = _editable(plan, by)
    plan.purpose = purpose.strip()
    plan.target_groups = target_groups.strip()
    plan.channels = channels.strip()
    plan.save()
    return plan


def _next_order(qs) -> int:
    return (qs.aggregate(n=Max("order"))["n"] or 0) + 1


@transaction.atomic
def goal_add(*, plan: CommunicationPlan, by, text: str, effect_goal: str = "") -> CommunicationGoal:
    plan = _editable(plan, by)
    if not text.strip():
        raise ValidationError({"text": _("Skriv kommunikationsmålet.")})
    return CommunicationGoal.objects.create(
        plan=plan, order=_next_order(plan.goals), text=text.strip(), effect_goal=effect_goal.strip()
    )


@transaction.atomic
def activity_add(
    *,
    plan: CommunicationPlan,
    by,
    title: str,
    target_group: str,
    channel: str,
    timing: str,
    responsible: str,
    cost: int,
) -> CommunicationActivity:
    plan = _editable(plan, by)
    errors = {}
    if not title.strip():
        errors["title"] = _("Beskriv aktiviteten.")
    if not timing.strip():
        errors["timing"] = _("Ange när aktiviteten görs.")
    if not responsible.strip():
        errors["responsible"] = _("Ange vem som ansvarar.")
    if not isinstance(cost, int) or cost < 0:
        errors["cost"] = _("Kostnaden ska vara ett helt antal kronor (0 eller mer).")
    if errors:
        raise ValidationError(errors)
    return CommunicationActivity.objects.create(
        plan=plan,
        order=_next_order(plan.activities),
        title=title.strip(),
        target_group=target_group.strip(),
        channel=channel.strip(),
        timing=timing.strip(),
        responsible=responsible.strip(),
        cost=cost,
    )


@transaction.atomic
def plan_row_remove(
    *, plan: CommunicationPlan, by, goal_id: int | None = None, activity_id: int | None = None
) -> None:
    plan = _editable(plan, by)
    if goal_id:
        plan.goals.filter(pk=goal_id).delete()
    if activity_id:
        plan.activities.filter(pk=activity_id).delete()


def plan_total(plan: CommunicationPlan) -> int:
    return sum(a.cost for a in plan.activities.all())


@transaction.atomic
def plan_submit(*, plan: CommunicationPlan, by) -> CommunicationPlan:
    """The kommunikatörer hand the plan to the styrgrupp; processledarna are told to put it on an agenda."""
    plan = _editable(plan, by)
    missing = []
    if not plan.goals.exists():
        missing.append(_("minst ett kommunikationsmål"))
    if not plan.target_groups.strip():
        missing.append(_("målgrupper"))
    if not plan.channels.strip():
        missing.append(_("kanaler"))
    if not plan.activities.exists():
        missing.append(_("minst en aktivitet"))
    if missing:
        raise ValidationError(_("Planen saknar %(what)s.") % {"what": ", ".join(missing)})
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    leaders = people_with_role(plan.agreement, Role.PROCESS_LEADER)
    notify(
        "communication_plan_submitted",
        to=leaders,
        context={"plan": plan, "by": by},
        link=plan.get_absolute_url(),
    )
    return plan


@transaction.atomic
def plan_schedule(*, plan: CommunicationPlan, by, meeting) -> CommunicationPlan:
    """Put the plan on a styrgrupp agenda as a decision item (the chair then records a decision of kind
    "Kommunikationsplan", with its funding as amounts)."""
    plan = CommunicationPlan.objects.select_for_update().get(pk=plan.pk)
    if not permissions.can_schedule_plan(by, plan):
        raise PermissionDenied
    if meeting.agreement_id != plan.agreement_id or not meeting.is_steering:
        raise ValidationError({"meeting": _("Välj ett styrgruppsmöte i samma avtal.")})
    total = plan_total(plan)
    item = governance_services.item_add(
        meeting=meeting,
        by=by,
        kind=ItemKind.DECISION,
        title=_("Kommunikationsplan %(year)s") % {"year": plan.year},
        description=_("Kommunikatörernas förslag till kommunikationsplan för %(year)s, kostnad %(total)s kr.")
        % {"year": plan.year, "total": f"{total:,}".replace(",", " ")},
    )
    plan.agenda_item = item
    plan.save()
    return plan
