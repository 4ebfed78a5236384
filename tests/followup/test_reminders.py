import datetime

import pytest
from django.core import mail

from followup.enums import ReminderKind, ReportState
from followup.models import FollowUpReport, ReminderLog
from followup.services import reminders_send
from followup.tasks import send_reminders_task
from samverkan.models import Notification
from tests.factories.followup import active_project, set_state
from tests.factories.governance import process_leader

DUE = datetime.date(2027, 7, 2)  # the half-time report of a 12-month project from 2027-01-01


@pytest.fixture
def world(db):
    proposal = active_project(months=12, start=datetime.date(2027, 1, 1))
    leader = process_leader(proposal.agreement)
    report = proposal.followup_reports.get(kind="halvtid")
    assert report.due_date == DUE
    return proposal, report, leader


def run_on(time_machine, day: datetime.date):
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(7, 30)), tick=False)
    return reminders_send()


def reminders_to(user, event="followup_reminder"):
    return list(
        Notification.objects.filter(user=user, event=event).order_by("pk").values_list("subject", flat=True)
    )


@pytest.mark.parametrize(
    "days_before, kind",
    [
        pytest.param(30, ReminderKind.BEFORE_30, id="30-days-before"),
        pytest.param(7, ReminderKind.BEFORE_7, id="7-days-before"),
        pytest.param(0, ReminderKind.DUE_DAY, id="on-the-day"),
        pytest.param(-7, ReminderKind.OVERDUE, id="one-week-late"),
        pytest.param(-14, ReminderKind.OVERDUE, id="two-weeks-late"),
    ],
)
def test_reminder_goes_to_researcher_and_officer_on_the_right_day(world, time_machine, days_before, kind):
    proposal, report, leader = world

    result = run_on(time_machine, DUE - datetime.timedelta(days=days_before))

    assert result["reminders"] == 2
    logs = ReminderLog.objects.filter(report=report)
    assert {log.recipient for log in logs} == {proposal.responsible_researcher, proposal.responsible_officer}
    assert {log.kind for log in logs} == {kind}
    assert result["digests"] == 1
    assert len(reminders_to(leader, "followup_digest")) == 1


@pytest.mark.parametrize("days_before", [31, 29, 8, 6, -1, -6, -8])
def test_no_new_reminder_between_milestones(world, time_machine, days_before):
    proposal, report, leader = world  # noqa: RUF059
    # Every earlier milestone has been sent on its day.
    for day in (30, 7, 0, -7):
        if day > days_before:
            run_on(time_machine, DUE - datetime.timedelta(days=day))
    before = ReminderLog.objects.exclude(kind=ReminderKind.DIGEST).count()

    result = run_on(time_machine, DUE - datetime.timedelta(days=days_before))

    assert result["reminders"] == 0
    assert ReminderLog.objects.exclude(kind=ReminderKind.DIGEST).count() == before


def test_running_the_job_twice_sends_nothing_the_second_time(
    world, time_machine, django_capture_on_commit_callbacks
):
    proposal, report, leader = world  # noqa: RUF059
    with django_capture_on_commit_callbacks(execute=True):
        first = run_on(time_machine, DUE - datetime.timedelta(days=7))
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_send()

    assert first == {"reminders": 2, "digests": 1, "became_due": 1}
    assert second == {"reminders": 0, "digests": 0, "became_due": 0}
    assert len(mail.outbox) == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [proposal.responsible_researcher.email, proposal.responsible_officer.email, leader.email]
    )
    assert "senast" in mail.outbox[0].body or "senast" in mail.outbox[1].body


def test_a_missed_day_is_caught_up_once(world, time_machine):
    proposal, report, leader = world  # noqa: RUF059
    result = run_on(time_machine, DUE - datetime.timedelta(days=5))  # the job did not run on day 7
    assert result["reminders"] == 2
    assert set(ReminderLog.objects.filter(report=report).values_list("kind", flat=True)) == {
        ReminderKind.BEFORE_7
    }
    assert run_on(time_machine, DUE - datetime.timedelta(days=4))["reminders"] == 0


def test_submitted_report_gets_no_reminder(world, time_machine):
    proposal, report, leader = world  # noqa: RUF059
    set_state(report, ReportState.SUBMITTED)
    assert run_on(time_machine, DUE)["reminders"] == 0


def test_overdue_report_becomes_att_lamna_and_is_in_the_digest(
    world, time_machine, django_capture_on_commit_callbacks
):
    proposal, report, leader = world
    with django_capture_on_commit_callbacks(execute=True):
        run_on(time_machine, DUE + datetime.timedelta(days=14))

    report.refresh_from_db()
    assert report.state == ReportState.DUE
    digest = next(m for m in mail.outbox if m.to == [leader.email])
    assert "Försenade rapporter:" in digest.body
    assert proposal.title in digest.body
    reminder = next(m for m in mail.outbox if m.to == [proposal.responsible_researcher.email])
    assert reminder.subject.startswith("Försenad:")
    assert "14 dagar försenad" in reminder.body


def test_report_due_in_over_30_days_stays_kommande(world, time_machine):
    proposal, report, leader = world  # noqa: RUF059
    run_on(time_machine, DUE - datetime.timedelta(days=31))
    report.refresh_from_db()
    assert report.state == ReportState.UPCOMING


@pytest.mark.needs_redis
@pytest.mark.django_db(transaction=True)
def test_reminder_job_through_a_real_celery_worker(celery_worker):
    from django.utils import timezone

    proposal = active_project(months=12)
    process_leader(proposal.agreement)
    report = proposal.followup_reports.get(kind="halvtid")
    due = timezone.localdate() + datetime.timedelta(days=7)
    FollowUpReport.objects.filter(pk=report.pk).update(period_start=timezone.localdate(), due_date=due)

    first = send_reminders_task.delay().get(timeout=30)
    second = send_reminders_task.delay().get(timeout=30)

    assert first["reminders"] == 2 and first["digests"] == 1
    assert second["reminders"] == 0 and second["digests"] == 0
    assert ReminderLog.objects.filter(report=report, kind=ReminderKind.BEFORE_7).count() == 2
