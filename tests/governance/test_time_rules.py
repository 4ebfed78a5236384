"""Time that holds (issue 16): a meeting is not held before it starts, a decision is dated the day it was
taken, and its document cannot be signed before that day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from governance import services
from governance.enums import DocumentStatus, MeetingKind, MeetingStatus
from governance.models import Decision, DocumentSignature
from governance.services.documents import DocumentError, document_generate
from tests.factories.governance import STOCKHOLM, MeetingFactory, process_leader
from tests.factories.samverkan import AgreementFactory
from tests.governance.test_documents import decide, pdf_bytes, pdf_text, sign, snapshot, world  # noqa: F401

pytestmark = pytest.mark.django_db


# --- a meeting is held from its start -----------------------------------------------------------------------


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


def test_marking_a_meeting_held_before_it_starts_is_refused_and_nothing_changes(agreement, leader):
    starts = datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=starts)

    with pytest.raises(ValidationError) as error:
        services.meeting_mark_held(meeting=meeting, by=leader)

    assert error.value.messages == [
        "Mötet börjar 12 mars 2027 13:00 – det kan inte markeras som genomfört innan det har börjat."
    ]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_a_meeting_that_has_started_can_be_marked_held(agreement, leader):
    meeting = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
    )

    services.meeting_mark_held(meeting=meeting, by=leader)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


# --- the decision's date and its document -------------------------------------------------------------------


def test_the_document_is_dated_the_day_the_decision_was_taken(world):  # noqa: F811
    decision = decide(world)  # at a meeting planned two weeks ahead

    document = document_generate(decision.pk)

    today = timezone.localdate(timezone.now(), STOCKHOLM)
    planned = timezone.localdate(decision.meeting.starts_at, STOCKHOLM)
    assert timezone.localdate(decision.decided_at, STOCKHOLM) == today != planned
    text = pdf_text(pdf_bytes(document.copies.first()))
    assert f"Styrgrupp {today:%Y-%m-%d} § {decision.paragraph}" in text
    assert f"{planned:%Y-%m-%d}" not in text
    assert document.reference.startswith(f"BESLUT-{today:%Y}-")


def test_a_signature_before_the_decisions_date_is_refused_and_nothing_changes(world):  # noqa: F811
    decision = decide(world)
    document = document_generate(decision.pk)
    # A decision dated after today (as when the meeting's planned date was used): 23:30 tomorrow in Stockholm.
    tomorrow = timezone.localdate(timezone.now(), STOCKHOLM) + datetime.timedelta(days=1)
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=datetime.datetime.combine(tomorrow, datetime.time(0, 30), tzinfo=STOCKHOLM)
    )
    before = snapshot(document)

    with pytest.raises(DocumentError) as error:
        sign(document, world.rektor)

    assert error.value.message == (
        f"Beslutet är daterat {tomorrow.isoformat()} – dokumentet kan inte signeras före beslutsdagen."
    )
    assert snapshot(document) == before
    assert not DocumentSignature.objects.exists()


def test_a_signature_on_the_decisions_day_is_accepted(world):  # noqa: F811
    decision = decide(world)
    document = document_generate(decision.pk)

    sign(document, world.rektor)
    sign(document, world.kommundirektor)

    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    for signature in DocumentSignature.objects.filter(copy__document=document):
        assert timezone.localdate(signature.signed_at, STOCKHOLM) >= timezone.localdate(
            decision.decided_at, STOCKHOLM
        )
