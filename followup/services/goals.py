"""Effect goals and KPIs of an agreement: targets and measured values per year, and the yearly follow-up
on a styrgrupp agenda (Samverkansmodellen: "Årsvis genomför styrgruppen en uppföljning av samverkan mot
effektmål och nyckeltal")."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from governance.enums import ItemKind
from governance.models import Meeting
from samverkan.models import Agreement, User

from .. import kpis, permissions
from ..models import EffectGoal, GoalFollowUp, GoalYear


@transaction.atomic
def goal_save(
    *, agreement: Agreement, by: User, goal: EffectGoal | None = None, proposals=None, **fields
) -> EffectGoal:
    if not permissions.can_manage_goals(by, agreement.pk):
        raise PermissionDenied
    goal = goal or EffectGoal(agreement=agreement)
    if goal.agreement_id != agreement.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(goal, name, value.strip() if isinstance(value, str) else value)
    if not goal.name:
        raise ValidationError({"name": _("Ange effektmålets namn.")})
    goal.full_clean(exclude=["agreement"])
    goal.save()
    if proposals is not None:
        if any(p.agreement_id != agreement.pk for p in proposals):
            raise ValidationError({"contributing_proposals": _("Välj projekt i avtalet.")})
        goal.contributing_proposals.set(proposals)
    return goal


@transaction.atomic
def goal_year_save(
    *,
    goal: EffectGoal,
    by: User,
    year: int,
    target: Decimal | None = None,
    value: Decimal | None = None,
    source: str = "",
    respondents: int | None = None,
    agreeing: int | None = None,
) -> GoalYear:
    """Record a year's target and outcome. With a survey (respondents and how many agreed) and a percent
    unit, the outcome is the share agreeing unless given."""
    if not permissions.can_manage_goals(by, goal.agreement_id):
        raise PermissionDenied
    errors = {}
    if not (2000 <= year <= 2100):
        errors["year"] = _("Ange ett giltigt år.")
    if respondents is not None and agreeing is not None and agreeing > respondents:
        errors["agreeing"] = _("Fler kan inte instämma än som har svarat.")
    for name, number in (("target", target), ("value", value)):
        if number is not None and number < 0:
            errors[name] = _("Värdet kan inte vara negativt.")
    if goal.unit == "percent":
        for name, number in (("target", target), ("value", value)):
            if number is not None and number > 100:
                errors[name] = _("En andel i procent kan vara högst 100.")
    if errors:
        raise ValidationError(errors)
    if value is None and goal.unit == "percent":
        value = kpis.share(respondents, agreeing)
    row, _created = GoalYear.objects.update_or_create(
        goal=goal,
        year=year,
        defaults={
            "target": target,
            "value": value,
            "source": source.strip(),
            "respondents": respondents,
            "agreeing": agreeing,
            "recorded_by": by,
        },
    )
    return row


@transaction.atomic
def goals_followup_to_agenda(*, agreement: Agreement, by: User, year: int, meeting: Meeting) -> GoalFollowUp:
    """Put the year's follow-up of effect goals and KPIs on a styrgrupp agenda, with target vs outcome and
    the traffic light of each goal in the item's description."""
    from governance.services import item_add

    if not permissions.can_manage_goals(by, agreement.pk):
        raise PermissionDenied
    if meeting.agreement_id != agreement.pk or not meeting.is_steering:
        raise ValidationError({"meeting": _("Välj ett styrgruppsmöte i avtalet.")})
    if GoalFollowUp.objects.filter(agreement=agreement, year=year, agenda_item__meeting=meeting).exists():
        raise ValidationError({"meeting": _("Uppföljningen för året finns redan på mötets dagordning.")})
    lines = []
    for goal in EffectGoal.objects.filter(agreement=agreement).prefetch_related("years"):
        row = next((r for r in goal.years.all() if r.year == year), None)
        target, value = (row.target, row.value) if row else (None, None)
        status = kpis.light(target, value, higher_is_better=goal.higher_is_better)
        lines.append(
            f"{goal.name}: mål {target if target is not None else '–'}, utfall "
            f"{value if value is not None else '–'} ({dict(_light_words()).get(status)})"
        )
    item = item_add(
        meeting=meeting,
        by=by,
        kind=ItemKind.FOLLOW_UP,
        title=_("Uppföljning av effektmål och nyckeltal %(year)s") % {"year": year},
        description="\n".join(lines),
    )
    return GoalFollowUp.objects.create(agreement=agreement, year=year, agenda_item=item, created_by=by)


def _light_words():
    return [("green", _("grönt")), ("yellow", _("gult")), ("red", _("rött")), ("grey", _("inget utfall"))]
