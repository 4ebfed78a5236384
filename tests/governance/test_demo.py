"""The demo world's governance (governance/demo.py), built by load_demo through the services."""

from __future__ import annotations

import datetime
import io
import os

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ProposalState
from applications.models import Proposal
from governance import demo, signing
from governance.enums import DocumentStatus, MeetingStatus, ReviewOutcome, VoteOutcome, VoteStatus
from governance.models import DecisionDocument, Meeting
from governance.services import documents


def _load():
    with open(os.devnull, "w") as devnull:
        call_command("load_demo", stdout=devnull)


@pytest.fixture
def demo_world(transactional_db, signing_keys):  # transactional: the minutes PDF is rendered after commit
    _load()  # signing_keys: the demo's signing keys go to a temporary SIGNING_DIR


def test_demo_has_a_held_beredning_with_assessments_and_an_outcome(demo_world):
    meeting = Meeting.objects.get(title=demo.Q3_REVIEW)
    item = meeting.items.get(proposal__title=demo.ENERGY)

    assert meeting.status == MeetingStatus.HELD
    assert meeting.starts_at < timezone.now()
    assert item.outcome == ReviewOutcome.FORWARD
    assert sorted(a.member.email for a in item.assessments.filter(submitted_at__isnull=False)) == sorted(
        demo.REVIEWERS
    )
    assert Meeting.objects.get(title=demo.Q4_REVIEW).items.get().outcome == ReviewOutcome.FORWARD


def test_demo_has_a_styrgrupp_meeting_with_a_closed_vote_and_approved_minutes_with_pdf(demo_world):
    meeting = Meeting.objects.get(title=demo.OCTOBER)
    vote = meeting.items.get(proposal__title=demo.ENERGY).vote
    minutes = meeting.minutes

    assert meeting.status == MeetingStatus.MINUTES_APPROVED
    assert vote.status == VoteStatus.CLOSED and vote.outcome == VoteOutcome.ADOPTED
    assert vote.recusals.get().member.email == demo.ADJUSTER
    # granted at the meeting, started since its documents were signed and registered
    assert Proposal.objects.get(title=demo.ENERGY).transitions.filter(transition="grant").exists()
    assert sorted(meeting.decisions.get(vote=vote).amounts.values_list("year", "amount")) == sorted(
        demo.GRANT_AMOUNTS.items()
    )
    assert minutes.approved_at and minutes.adjuster.email == demo.ADJUSTER
    assert minutes.pdf_status == "done"
    with minutes.pdf.open("rb") as handle:
        pages = PdfReader(io.BytesIO(handle.read())).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).replace("\xa0", " ").split())
    assert "§1" in text and "996 000 kr" in text and "Eskilstuna Energi och Miljö AB" in text


def test_demo_has_an_upcoming_per_capsulam_meeting_with_an_open_vote(demo_world):
    meeting = Meeting.objects.get(title=demo.DECEMBER)
    vote = meeting.items.get(proposal__title=demo.INCLUSION).vote

    assert meeting.status == MeetingStatus.INVITED
    assert meeting.starts_at > timezone.now() + datetime.timedelta(days=10)
    assert timezone.localtime(meeting.starts_at).weekday() < 5  # a weekday, whenever the demo is built
    # Open before the meeting's date: only a per-capsulam meeting's votes may (issue 16), until its end.
    assert meeting.per_capsulam and vote.opened_at < meeting.starts_at
    assert vote.status == VoteStatus.OPEN and vote.deadline == meeting.ends_at
    assert vote.ballots.count() == 1  # Helena Wik; Eva Persson (Västerås, the other party) not yet
    assert Proposal.objects.get(title=demo.INCLUSION).state == ProposalState.AWAITING_DECISION


def test_demo_proposal_history_reads_in_order(demo_world):
    for title in (demo.ENERGY, demo.INCLUSION):
        times = list(Proposal.objects.get(title=title).transitions.values_list("at", flat=True))
        assert times == sorted(times)
        assert times[-1] < timezone.now()


def test_demo_load_twice_gives_the_same_rows(demo_world):
    def rows():
        return {
            model._meta.label: sorted(map(repr, model.objects.values_list()))
            for model in apps.get_models()
            if model._meta.app_label in {"governance", "applications", "samverkan"}
        }

    before = rows()
    _load()

    assert rows() == before


def _copy_bytes(copy) -> bytes:
    with copy.pdf.open("rb") as handle:
        return handle.read()


def test_demo_has_a_signed_and_registered_document_and_an_active_project(demo_world):
    document = DecisionDocument.objects.get(decision__proposal__title=demo.ENERGY)
    copies = list(document.copies.order_by("number"))

    assert document.status == DocumentStatus.REGISTERED
    assert [(c.organisation.name, c.diarienummer, c.registered_by.email) for c in copies] == [
        ("Mälardalens universitet", "MDU-2026/1187", "anna.lindqvist@mdu.example"),
        ("Eskilstuna Energi och Miljö AB", "EEM-2026/412", "erik.johansson@eskilstuna.example"),
    ]
    for copy in copies:
        assert sorted(copy.signatures.values_list("signer__email", flat=True)) == [
            "paul.pettersson@mdu.example",
            "stefan.lund@eem.example",
        ]
        checks = signing.validate(_copy_bytes(copy))
        assert len(checks) == 2 and all(c.intact and c.valid for c in checks)
    proposal = Proposal.objects.get(title=demo.ENERGY)
    assert proposal.state == ProposalState.ACTIVE
    assert proposal.project_account and proposal.documents_completed_at


def test_demo_has_a_granted_proposal_whose_document_misses_a_signature(demo_world):
    document = DecisionDocument.objects.get(decision__proposal__title=demo.PRESCHOOL)
    decision = document.decision

    assert decision.meeting.title == demo.OCTOBER and decision.by_acclamation and decision.paragraph == 2
    assert document.status == DocumentStatus.TO_SIGN
    for copy in document.copies.all():
        assert list(copy.signatures.values_list("signer__email", flat=True)) == [
            "paul.pettersson@mdu.example"
        ]
        assert not copy.diarienummer
    assert [org.name for org in documents.missing_signatures(document)] == ["Västerås stad"]
    assert Proposal.objects.get(title=demo.PRESCHOOL).state == ProposalState.GRANTED
