"""The follow-up schedule: generated when a project starts, regenerated (its future part only) when
styrgrupp decides a new end date."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import cadence
from applications.models import Proposal
from applications.services import proposal_set_planned_end
from samverkan.models import User

from .. import permissions
from ..enums import OPEN_STATES, ReportKind, ReportState
from ..models import FollowUpReport

KIND = {
    cadence.HALF_TIME: ReportKind.HALF_TIME,
    cadence.YEARLY: ReportKind.YEARLY,
    cadence.HALF_YEARLY: ReportKind.HALF_YEARLY,
    cadence.FINAL: ReportKind.FINAL,
}
# A report becomes "att lämna" this many days before it is due (the first reminder goes out then).
DUE_WINDOW_DAYS = 30


def initial_state(due: datetime.date, today: datetime.date) -> str:
    return ReportState.DUE if (due - today).days <= DUE_WINDOW_DAYS else ReportState.UPCOMING


def _renumber(proposal: Proposal) -> None:
    counters: dict[str, int] = {}
    for report in FollowUpReport.objects.filter(proposal=proposal).order_by("due_date", "pk"):
        counters[report.kind] = counters.get(report.kind, 0) + 1
        if report.number != counters[report.kind]:
            report.number = counters[report.kind]
            report.save(update_fields=["number"])


def _planned(proposal: Proposal) -> list[tuple[str, datetime.date, datetime.date]]:
    """(kind, period start, due date) for the whole period."""
    if not (proposal.planned_start and proposal.planned_end):
        return []
    rows, previous = [], proposal.planned_start
    for key, due in cadence.due_dates(proposal.work_form, proposal.planned_start, proposal.planned_end):
        rows.append((KIND[key], previous, due))
        previous = due
    return rows


@transaction.atomic
def schedule_generate(*, proposal: Proposal, today: datetime.date | None = None) -> list[FollowUpReport]:
    """Generate the project's follow-up schedule from its work form and length (Samverkansmodellen,
    "Beskrivning av arbetsprocess för uppföljning"). Called when the project starts. Idempotent: a project
    that already has a schedule keeps it."""
    today = today or timezone.localdate()
    existing = list(FollowUpReport.objects.filter(proposal=proposal))
    if existing:
        return existing
    FollowUpReport.objects.bulk_create(
        FollowUpReport(
            proposal=proposal,
            kind=kind,
            period_start=start,
            due_date=due,
            state=initial_state(due, today),
        )
        for kind, start, due in _planned(proposal)
    )
    _renumber(proposal)
    return list(FollowUpReport.objects.filter(proposal=proposal))


@transaction.atomic
def schedule_change_end_date(
    *, proposal: Proposal, by: User, end: datetime.date, today: datetime.date | None = None
) -> list[FollowUpReport]:
    """Record a new end date decided by styrgrupp and regenerate the future part of the schedule only:
    reports already submitted or treated, and reports that were due before today, stay as they are; open
    reports due later are replaced by those the new period gives."""
    today = today or timezone.localdate()
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.can_change_end_date(by, proposal):
        raise PermissionDenied
    if not isinstance(end, datetime.date):
        raise ValidationError({"end": _("Ange ett giltigt datum.")})
    if proposal.planned_start and end <= proposal.planned_start:
        raise ValidationError({"end": _("Slutdatum måste ligga efter startdatum.")})
    if end < today:
        raise ValidationError({"end": _("Det nya slutdatumet kan inte ligga i det förflutna.")})
    if FollowUpReport.objects.filter(
        proposal=proposal, kind=ReportKind.FINAL, state__in=[ReportState.SUBMITTED, ReportState.TREATED]
    ).exists():
        raise ValidationError(
            {"end": _("Slutredovisningen är redan inlämnad – slutdatumet kan inte ändras.")}
        )
    proposal = proposal_set_planned_end(proposal=proposal, end=end)
    FollowUpReport.objects.filter(proposal=proposal, state__in=OPEN_STATES, due_date__gte=today).delete()
    kept = set(FollowUpReport.objects.filter(proposal=proposal).values_list("kind", "due_date"))
    FollowUpReport.objects.bulk_create(
        FollowUpReport(
            proposal=proposal, kind=kind, period_start=start, due_date=due, state=initial_state(due, today)
        )
        for kind, start, due in _planned(proposal)
        if due >= today and (kind, due) not in kept
    )
    _renumber(proposal)
    return list(FollowUpReport.objects.filter(proposal=proposal))


def refresh_states(*, today: datetime.date) -> int:
    """Upcoming reports that are due within the window become "att lämna". Returns how many changed."""
    return FollowUpReport.objects.filter(
        state=ReportState.UPCOMING, due_date__lte=today + datetime.timedelta(days=DUE_WINDOW_DAYS)
    ).update(state=ReportState.DUE)
