"""Ordering, generating, failing and retrying quarterly reports; the beat job; the real worker."""

from __future__ import annotations

import datetime
import time

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied

from reports import sections as report_sections
from reports.enums import ReportStatus
from reports.models import QuarterlyReport
from reports.periods import Quarter
from reports.services import ReportError, report_request
from reports.tasks import order_quarterly_reports
from samverkan.enums import Role
from tests.factories.reports import at
from tests.factories.samverkan import AgreementFactory, UserFactory, person_with_role

Q2 = Quarter(2026, 2)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Order a report in August 2026 and let the (eager) job run after commit."""

    def order(**kwargs):
        with (
            time_machine.travel(at(2026, 8, 10), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            report, started = report_request(**kwargs)
        report.refresh_from_db()
        return report, started

    return order


def test_report_is_stored_and_mailed_to_process_leaders_and_communicators(
    world, agreement, leader, communicator, run
):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    report, started = run(agreement=agreement, quarter=Q2, by=communicator)
    assert started
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.pdf.name.endswith(".pdf") and report.xlsx.name.endswith(".xlsx")
    assert report.requested_by == communicator and report.runs == 1
    to = sorted(address for message in mail.outbox for address in message.to)
    # The meeting's secretary is a processledare of the agreement too.
    assert to == sorted([leader.email, communicator.email, world["meeting"].secretary.email])
    assert researcher.email not in to
    assert mail.outbox[0].subject == "Kvartalsrapporten för Kvartal 2 2026 är klar"
    assert f"/rapporter/{report.pk}/" in mail.outbox[0].body


def test_double_trigger_makes_one_run(world, agreement, leader, communicator, run):
    first, started_first = run(agreement=agreement, quarter=Q2, by=leader)
    second, started_second = run(agreement=agreement, quarter=Q2, by=communicator)
    assert started_first and not started_second
    assert first.pk == second.pk
    assert QuarterlyReport.objects.count() == 1
    assert second.runs == 1 and second.requested_by == leader


def test_second_click_while_queued_starts_nothing(world, agreement, leader):
    # Without committing, the first order stays queued (the job starts after commit).
    with time_machine.travel(at(2026, 8, 10), tick=False):
        report, started = report_request(agreement=agreement, quarter=Q2, by=leader)
        again, started_again = report_request(agreement=agreement, quarter=Q2, by=leader, rerun=True)
    assert started and not started_again
    assert again.pk == report.pk and again.status == ReportStatus.QUEUED


@pytest.mark.parametrize(
    "who", ["researcher", "steering", "other_agreement_leader", "inactive_leader"], ids=str
)
def test_only_process_leaders_and_communicators_order_reports(world, agreement, who, run):
    if who == "researcher":
        user = person_with_role(agreement, Role.RESEARCHER)
    elif who == "steering":
        user = person_with_role(agreement, Role.STEERING_MEMBER)
    elif who == "other_agreement_leader":
        user = person_with_role(AgreementFactory(), Role.PROCESS_LEADER)
    else:
        user = person_with_role(agreement, Role.PROCESS_LEADER, user__is_active=False)
    with pytest.raises(PermissionDenied):
        run(agreement=agreement, quarter=Q2, by=user)
    assert not QuarterlyReport.objects.exists()
    assert mail.outbox == []


def test_a_quarter_that_has_not_ended_is_refused_with_a_swedish_message(world, agreement, leader):
    with time_machine.travel(at(2026, 8, 10), tick=False), pytest.raises(ReportError) as error:
        report_request(agreement=agreement, quarter=Quarter(2026, 3), by=leader)
    assert error.value.messages == [
        "Kvartal 3 2026 är inte slut ännu – rapporten kan tas fram från och med 2026-10-01."
    ]
    assert not QuarterlyReport.objects.exists()


def test_a_quarter_outside_the_agreement_is_refused(world, agreement, leader):
    with time_machine.travel(at(2026, 8, 10), tick=False), pytest.raises(ReportError) as error:
        report_request(agreement=agreement, quarter=Quarter(2023, 4), by=leader)
    assert "utanför avtalets period" in error.value.messages[0]
    assert not QuarterlyReport.objects.exists()


@pytest.fixture
def broken_section():
    """A section that fails (as a bug or bad data would), registered for one test."""

    def broken(agreement, quarter):
        raise ValueError("division med noll i testavsnittet")

    report_sections.specs.register(report_sections.SectionSpec("broken", broken))
    yield
    report_sections.specs.unregister("broken")


def test_failure_shows_a_message_and_retry_succeeds(world, agreement, leader, run, broken_section, client):
    report, started = run(agreement=agreement, quarter=Q2, by=leader)
    assert report.status == ReportStatus.FAILED
    assert report.error == "Rapporten kunde inte skapas: division med noll i testavsnittet"
    assert not report.pdf and mail.outbox == []
    client.force_login(leader)
    page = client.get(f"/rapporter/{report.pk}/").content.decode()
    assert "division med noll i testavsnittet" in page and "Försök igen" in page

    report_sections.specs.unregister("broken")
    again, started = run(agreement=agreement, quarter=Q2, by=leader)
    assert started and again.pk == report.pk
    assert again.status == ReportStatus.DONE and again.error == "" and again.runs == 2


def test_beat_schedule_fires_at_quarter_start():
    schedule = settings.CELERY_BEAT_SCHEDULE["quarterly-reports"]
    assert schedule["task"] == "reports.order_quarterly_reports"
    cron = schedule["schedule"]
    stockholm = datetime.timezone(datetime.timedelta(hours=2))
    cron.nowfun = lambda: datetime.datetime(2026, 10, 1, 6, 0, 30, tzinfo=stockholm)
    due, _next = cron.is_due(datetime.datetime(2026, 7, 1, 6, 0, tzinfo=stockholm))
    assert due
    cron.nowfun = lambda: datetime.datetime(2026, 9, 30, 6, 0, 30, tzinfo=stockholm)
    due, _next = cron.is_due(datetime.datetime(2026, 7, 1, 6, 0, tzinfo=stockholm))
    assert not due


def test_beat_job_orders_the_quarter_just_ended(world, agreement, django_capture_on_commit_callbacks):
    ended = AgreementFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2025, 12, 31))
    with time_machine.travel(at(2026, 7, 1, 6), tick=False), django_capture_on_commit_callbacks(execute=True):
        ids = order_quarterly_reports.delay().get()
    report = QuarterlyReport.objects.get()
    assert ids == [report.pk]
    assert (report.agreement, report.year, report.quarter) == (agreement, 2026, 2)
    assert report.trigger == "schedule" and report.requested_by is None
    assert report.status == ReportStatus.DONE
    assert not QuarterlyReport.objects.filter(agreement=ended).exists()
    # Beat firing twice (e.g. after a restart) changes nothing.
    with time_machine.travel(at(2026, 7, 1, 7), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert order_quarterly_reports.delay().get() == []
    assert QuarterlyReport.objects.count() == 1


@pytest.mark.needs_redis
def test_report_job_through_a_real_celery_worker(celery_worker, agreement):
    leader = person_with_role(agreement, Role.PROCESS_LEADER)
    report, started = report_request(agreement=agreement, quarter=Quarter(2026, 2), by=leader)
    assert started
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not report.pending:
            break
        time.sleep(0.3)
    assert report.status == ReportStatus.DONE, report.error
    assert report.pdf and report.xlsx


def test_unrelated_user_gets_nothing(world, agreement, run):
    with pytest.raises(PermissionDenied):
        run(agreement=agreement, quarter=Q2, by=UserFactory())
    assert not QuarterlyReport.objects.exists()


def test_a_run_lost_for_half_an_hour_can_be_ordered_again(world, agreement, leader):
    with time_machine.travel(at(2026, 8, 10, 9), tick=False):
        report, _started = report_request(agreement=agreement, quarter=Q2, by=leader)  # job never dispatched
    with time_machine.travel(at(2026, 8, 10, 9) + datetime.timedelta(minutes=10), tick=False):
        assert report_request(agreement=agreement, quarter=Q2, by=leader)[1] is False
    with time_machine.travel(at(2026, 8, 10, 9) + datetime.timedelta(minutes=31), tick=False):
        again, started = report_request(agreement=agreement, quarter=Q2, by=leader)
    assert started and again.pk == report.pk and again.status == ReportStatus.QUEUED
