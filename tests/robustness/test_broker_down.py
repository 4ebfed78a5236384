"""Redis (the Celery broker) down: pages keep working, an action that queues a job is saved and the user
is told the job runs later, and the beat sweep queues it once the broker is back – nothing is lost.
The broker is a real Redis URL where nothing listens (tests/robustness/conftest.py), not a mock."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from governance import services
from governance.enums import Choice, DecisionKind, DocumentStatus, MeetingKind, VoteStatus
from governance.models import Decision, DecisionDocument
from governance.tasks import generate_decision_documents, render_minutes_pdf
from reports.enums import ReportStatus
from reports.models import QuarterlyReport
from samverkan.enums import Role
from samverkan.jobs import QUEUE_UNAVAILABLE_MESSAGE, enqueue, job_kinds
from samverkan.models import Notification
from samverkan.tasks import requeue_pending_jobs
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    process_leader,
    started,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory, person_with_role

from .conftest import UNREACHABLE_BROKER

QUEUE_DOWN = "Köservern svarar inte just nu. Ändringen är sparad och jobbet körs automatiskt så snart"


@pytest.fixture
def styrgrupp(db):
    agreement = AgreementFactory()
    municipality = agreement.municipalities.get()
    leader = process_leader(agreement)
    members = [steering_member(agreement), steering_member(agreement, municipality)]
    meeting = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        chair=members[0],
        secretary=leader,
        starts_at=started(),
    )
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    vote = services.vote_open(item=item, by=leader)
    for member in members:
        services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    return {"leader": leader, "meeting": meeting, "item": item, "proposal": proposal}


def _grant(client, styrgrupp):
    client.force_login(styrgrupp["leader"])
    item = styrgrupp["item"]
    return client.post(
        reverse("governance:decision_create", args=[item.meeting_id, item.pk]),
        {"kind": DecisionKind.GRANT, "text": "Styrgruppen beviljar.", "amount_2026": "250 000"},
        follow=True,
    )


def test_enqueue_reports_an_unreachable_broker_without_raising(unreachable_broker):
    assert enqueue(generate_decision_documents, 1) is False


def test_enqueue_runs_the_job_when_the_broker_answers(db):
    assert enqueue(render_minutes_pdf, 0) is True  # no such minutes: the job runs and records nothing


def _nothing_queued(**queued: int) -> dict[str, int]:
    """The sweep's answer: every registered job kind, with `queued` jobs for the named ones."""
    return {kind.name: queued.get(kind.name, 0) for kind in job_kinds()}


@pytest.mark.django_db(transaction=True)
def test_grant_with_redis_down_is_saved_and_the_user_is_told_the_document_comes_later(
    client, styrgrupp, unreachable_broker
):
    response = _grant(client, styrgrupp)

    page = response.content.decode()
    assert response.status_code == 200
    assert QUEUE_DOWN in page
    assert "Beslut §1 är registrerat: Bevilja." in page
    decision = Decision.objects.get()
    assert decision.kind == DecisionKind.GRANT
    styrgrupp["proposal"].refresh_from_db()
    assert styrgrupp["proposal"].state == ProposalState.GRANTED
    assert not DecisionDocument.objects.exists()  # not generated yet – and not lost, see the next test


@pytest.mark.django_db(transaction=True)
def test_document_lost_while_redis_was_down_is_made_by_the_sweep_when_it_is_back(
    client, styrgrupp, unreachable_broker, time_machine
):
    from samverkan.celery import app

    _grant(client, styrgrupp)
    decision = Decision.objects.get()

    # Redis is back (jobs run again); a fresh decision is left to its own job for five minutes …
    app.conf.task_always_eager = True
    assert requeue_pending_jobs.apply().get() == _nothing_queued()
    assert not DecisionDocument.objects.exists()

    # … after which the beat sweep queues the lost job once, and a second sweep finds nothing to do.
    # The decision's notifications, whose mail jobs were lost too, are mailed by the same sweep (the outbox).
    lost_mails = Notification.objects.filter(mail_status="pending").count()
    assert lost_mails > 0
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    assert requeue_pending_jobs.apply().get() == _nothing_queued(
        decision_documents=1, notification_mails=lost_mails
    )
    assert requeue_pending_jobs.apply().get() == _nothing_queued()

    document = DecisionDocument.objects.get(decision=decision)
    assert document.status == DocumentStatus.TO_SIGN
    assert document.copies.count() == 2


@pytest.mark.django_db(transaction=True)
def test_quarterly_report_ordered_while_redis_was_down_is_made_by_the_sweep_when_it_is_back(
    client, unreachable_broker, time_machine
):
    from samverkan.celery import app

    agreement = AgreementFactory()
    client.force_login(person_with_role(agreement, Role.PROCESS_LEADER))
    response = client.post(
        reverse("reports:report_order"), {"agreement": agreement.pk, "quarter": "2026-2"}, follow=True
    )
    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    report = QuarterlyReport.objects.get()
    assert report.status == ReportStatus.QUEUED

    app.conf.task_always_eager = True  # Redis is back
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    assert requeue_pending_jobs.apply().get() == _nothing_queued(quarterly_reports=1)
    assert requeue_pending_jobs.apply().get() == _nothing_queued()

    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.pdf and report.xlsx


def test_a_message_is_shown_only_when_a_job_was_not_queued(
    client, styrgrupp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _grant(client, styrgrupp)

    assert str(QUEUE_UNAVAILABLE_MESSAGE)[:40] not in response.content.decode()
    assert DecisionDocument.objects.get().status == DocumentStatus.TO_SIGN


def test_pages_work_without_redis(client, settings, styrgrupp, unreachable_broker):
    """Sessions live in the database and no page needs the cache or the broker: with both pointing at a
    Redis that is down, the main pages still render."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_BROKER}
    }
    client.force_login(styrgrupp["leader"])
    item = styrgrupp["item"]
    for url in [
        reverse("start"),
        reverse("applications:pipeline"),
        reverse("applications:proposal_detail", args=[styrgrupp["proposal"].pk]),
        reverse("governance:meeting_detail", args=[item.meeting_id]),
        reverse("governance:item_detail", args=[item.meeting_id, item.pk]),
        reverse("governance:meeting_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
