"""Reminders for follow-up reports (run daily by Celery beat): 30 and 7 days before the due date, on the
day, and every week while the report is overdue – to the responsible researcher and tjänsteperson – with a
digest of the day's reminders and all overdue reports to each processledare of the agreement.

Idempotent: every reminder sent is recorded (ReminderLog, unique per agreement, key and recipient) and the
report row is locked while its reminder is decided, so running the job twice – even at the same time –
never sends the same reminder twice. A day the job did not run is caught up: the latest milestone reached
is sent if it has not been."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from applications.enums import ProposalState
from samverkan.enums import Role
from samverkan.notifications import notify
from samverkan.selectors import people_with_role

from ..enums import OPEN_STATES, ReminderKind
from ..models import FollowUpReport, ReminderLog
from .schedule import refresh_states


def milestone(due: datetime.date, today: datetime.date) -> tuple[str, str] | None:
    """The latest reminder milestone reached on `today`, as (kind, key), or None before the first."""
    days = (due - today).days
    if days > 30:
        return None
    if days > 7:
        return ReminderKind.BEFORE_30, "before_30"
    if days > 0:
        return ReminderKind.BEFORE_7, "before_7"
    if days > -7:
        return ReminderKind.DUE_DAY, "due_day"
    week = -days // 7
    return ReminderKind.OVERDUE, f"overdue_{week}"


def _recipients(report: FollowUpReport):
    proposal = report.proposal
    return [u for u in (proposal.responsible_researcher, proposal.responsible_officer) if u and u.is_active]


def _send_one(report_id: int, today: datetime.date) -> list[ReminderLog]:
    with transaction.atomic():
        report = (
            FollowUpReport.objects.select_for_update(of=("self",))
            .select_related("proposal", "proposal__responsible_researcher", "proposal__responsible_officer")
            .get(pk=report_id)
        )
        if report.state not in OPEN_STATES:
            return []
        reached = milestone(report.due_date, today)
        if reached is None:
            return []
        kind, key = reached
        key = f"report-{report.pk}-{key}"
        already = set(
            ReminderLog.objects.filter(agreement_id=report.proposal.agreement_id, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        recipients = [u for u in _recipients(report) if u.pk not in already]
        if not recipients:
            return []
        logs = ReminderLog.objects.bulk_create(
            ReminderLog(
                agreement_id=report.proposal.agreement_id,
                report=report,
                kind=kind,
                key=key,
                recipient=user,
                sent_on=today,
            )
            for user in recipients
        )
        notify(
            "followup_reminder",
            to=recipients,
            context={
                "report": report,
                "proposal": report.proposal,
                "kind": kind,
                "days_left": (report.due_date - today).days,
                "days_late": max(0, (today - report.due_date).days),
            },
            link=report.get_absolute_url(),
        )
        return logs


def _digest(agreement_id: int, today: datetime.date, sent: list[ReminderLog]) -> int:
    """One digest per processledare and day: today's reminders and every overdue report of the agreement."""
    with transaction.atomic():
        key = f"digest-{today.isoformat()}"
        leaders = people_with_role(agreement_id, Role.PROCESS_LEADER)
        already = set(
            ReminderLog.objects.filter(agreement_id=agreement_id, key=key).values_list(
                "recipient_id", flat=True
            )
        )
        leaders = [u for u in leaders if u.pk not in already and u.is_active]
        if not leaders:
            return 0
        overdue = list(
            FollowUpReport.objects.filter(
                proposal__agreement_id=agreement_id,
                proposal__state=ProposalState.ACTIVE,
                state__in=OPEN_STATES,
                due_date__lt=today,
            ).select_related("proposal")
        )
        reminded = sorted({log.report for log in sent if log.report}, key=lambda r: (r.due_date, r.pk))
        if not overdue and not reminded:
            return 0
        ReminderLog.objects.bulk_create(
            ReminderLog(
                agreement_id=agreement_id, kind=ReminderKind.DIGEST, key=key, recipient=user, sent_on=today
            )
            for user in leaders
        )
        notify(
            "followup_digest",
            to=leaders,
            context={"today": today, "reminded": reminded, "overdue": overdue},
            link="/uppfoljning/",
        )
        return len(leaders)


def reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job. Returns {"reminders": sent to team members, "digests": sent to processledare,
    "became_due": reports that became "att lämna"}."""
    today = today or timezone.localdate()
    became_due = refresh_states(today=today)
    candidates = list(
        FollowUpReport.objects.filter(
            state__in=OPEN_STATES,
            proposal__state=ProposalState.ACTIVE,
            due_date__lte=today + datetime.timedelta(days=30),
        )
        .order_by("due_date", "pk")
        .values_list("pk", "proposal__agreement_id")
    )
    sent_by_agreement: dict[int, list[ReminderLog]] = defaultdict(list)
    agreements = set()
    reminders = 0
    for report_id, agreement_id in candidates:
        agreements.add(agreement_id)
        logs = _send_one(report_id, today)
        reminders += len(logs)
        sent_by_agreement[agreement_id].extend(logs)
    digests = sum(
        _digest(agreement_id, today, sent_by_agreement[agreement_id]) for agreement_id in sorted(agreements)
    )
    return {"reminders": reminders, "digests": digests, "became_due": became_due}
