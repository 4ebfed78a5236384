"""Minutes (protokoll): generated from the meeting, written by the secretary, approved by the chair and the
adjuster, then frozen and rendered as PDF by a Celery task (eagerly, and once through a real worker)."""

from __future__ import annotations

import datetime
import io
import time
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from applications.enums import ProposalState
from governance import services
from governance.enums import AttendanceStatus, Choice, DecisionKind, MeetingKind, MeetingStatus, ReviewOutcome
from governance.models import Decision, Meeting, Minutes
from governance.tasks import render_minutes_pdf
from samverkan.enums import Role
from samverkan.models import Notification
from tests.factories.applications import ProposalFactory
from tests.factories.governance import MeetingFactory, in_days, process_leader, review_member, steering_member
from tests.factories.samverkan import AgreementFactory, MunicipalityFactory, UserFactory, person_with_role

NBSP = "\xa0"
# The meetings here are marked held, which is possible only once they have started (issue 16).
STARTED = in_days(-1)


@dataclass
class World:
    agreement: object
    meeting: Meeting
    proposal: object
    secretary: object
    chair: object
    adjuster: object  # a member of the second municipality
    member: object  # an ordinary member (first municipality)
    recused: object  # declares jäv
    abstainer: object
    applicant_member: object  # a styrgrupp member who is also the applicant: recused automatically
    other_body_member: object  # a beredning member: sits in another body of the same agreement
    grant: Decision


def _build(*, location="Mälardalens universitet, Eskilstuna, sal U2-024", video_link="") -> World:
    m1, m2 = MunicipalityFactory(name="Eskilstuna kommun"), MunicipalityFactory(name="Västerås stad")
    agreement = AgreementFactory(municipalities=[m1, m2])
    agreement.university.name = "Mälardalens universitet"
    agreement.university.save()
    secretary = process_leader(agreement)
    chair = steering_member(agreement, user__first_name="Helena", user__last_name="Wik")
    member = steering_member(agreement, m1, user__first_name="Mats", user__last_name="Larsson")
    recused = steering_member(agreement, m1, user__first_name="Ingrid", user__last_name="Falk")
    abstainer = steering_member(agreement, m1, user__first_name="Olle", user__last_name="Berg")
    adjuster = steering_member(agreement, m2, user__first_name="Eva", user__last_name="Persson")
    proposal = ProposalFactory(
        agreement=agreement, state=ProposalState.AWAITING_DECISION, title="Energieffektiva bostäder"
    )
    applicant_member = proposal.responsible_researcher
    person_with_role(agreement, Role.STEERING_MEMBER, user=applicant_member)
    meeting = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        title="Styrgruppsmöte oktober",
        chair=chair,
        secretary=secretary,
        location=location,
        video_link=video_link,
        starts_at=STARTED,  # marked held below: not before its start (issue 16)
    )
    item = services.item_add(meeting=meeting, by=secretary, proposal=proposal)
    info = services.item_add(meeting=meeting, by=secretary, title="Budgetläge 2026")
    services.attendance_set(
        meeting=meeting,
        by=secretary,
        statuses={
            chair.pk: AttendanceStatus.PRESENT,
            member.pk: AttendanceStatus.PRESENT,
            recused.pk: AttendanceStatus.LATE,
            abstainer.pk: AttendanceStatus.LEFT,
            adjuster.pk: AttendanceStatus.PRESENT,
            applicant_member.pk: AttendanceStatus.ABSENT,
        },
        notes={recused.pk: "från 13.20"},
    )
    vote = services.vote_open(item=item, by=secretary)
    services.recusal_declare(vote=vote, by=recused, reason="Styrelseledamot i Eskilstuna Energi och Miljö AB")
    services.ballot_cast(vote=vote, by=chair, choice=Choice.YES)
    services.ballot_cast(vote=vote, by=member, choice=Choice.YES)
    services.ballot_cast(vote=vote, by=abstainer, choice=Choice.ABSTAIN)
    services.ballot_cast(vote=vote, by=adjuster, choice=Choice.YES)  # the last one: the vote closes itself
    vote.refresh_from_db()
    grant = services.decision_from_vote(
        vote=vote,
        by=chair,
        kind=DecisionKind.GRANT,
        text="Styrgruppen beviljar ansökan.",
        amounts={2027: 400_000, 2028: 250_000},
        conditions="Lägesrapport efter sex månader.",
    )
    services.decision_by_acclamation(
        item=info,
        by=chair,
        kind=DecisionKind.OTHER,
        text="Styrgruppen lägger informationen till handlingarna.",
    )
    meeting = services.meeting_mark_held(meeting=meeting, by=secretary)
    other_body_member = review_member(agreement)
    return World(
        agreement, meeting, proposal, secretary, chair, adjuster, member, recused, abstainer,
        applicant_member, other_body_member, grant,
    )  # fmt: skip


@pytest.fixture
def world(db) -> World:
    return _build()


def _written(world: World) -> Minutes:
    text = services.minutes_draft_text(world.meeting)
    return services.minutes_save(
        meeting=world.meeting, by=world.secretary, text=text, adjuster=world.adjuster
    )


def _approved(world: World, django_capture_on_commit_callbacks) -> Minutes:
    minutes = _written(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(minutes=minutes, by=world.chair)
        minutes = services.minutes_approve(minutes=minutes, by=world.adjuster)
    minutes.refresh_from_db()
    return minutes


def _pdf_text(minutes: Minutes) -> str:
    with minutes.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages).replace(NBSP, " ")
    return " ".join(text.split())


def _snapshot(minutes: Minutes):
    minutes.refresh_from_db()
    return (
        minutes.text,
        minutes.adjuster_id,
        minutes.chair_approved_at,
        minutes.adjuster_approved_at,
        minutes.approved_at,
        minutes.pdf_status,
        Meeting.objects.get(pk=minutes.meeting_id).status,
    )


# --- the generated text ----------------------------------------------------------------------------------


def test_draft_text_lists_attendance_per_party(world):
    text = services.minutes_draft_text(world.meeting)

    assert "Part | Ledamot | Närvaro" in text
    assert "Mälardalens universitet | Helena Wik (ordförande) | Närvarande" in text
    assert "Eskilstuna kommun | Ingrid Falk | Anlände sent (från 13.20)" in text
    assert "Eskilstuna kommun | Olle Berg | Lämnade mötet" in text
    assert "Västerås stad | Eva Persson | Närvarande" in text
    assert f"Mälardalens universitet | {world.applicant_member.get_full_name()} | Frånvarande" in text
    assert f"Övriga närvarande: {world.secretary.get_full_name()} (sekreterare)" in text
    # the university first, then the municipalities by name
    assert (
        text.index("Mälardalens universitet |") < text.index("Eskilstuna kommun |") < text.index("Västerås")
    )


def test_draft_text_numbers_the_agenda_and_gives_each_votes_result_per_party(world):
    text = services.minutes_draft_text(world.meeting)

    assert "§1 Beslut: Energieffektiva bostäder" in text
    assert "§2 Information: Budgetläge 2026" in text
    assert "Votering: Bifall" in text
    assert "Part | Bifall | Avslag | Avstår | Jäv | Beslutsför | Partens ställning" in text
    assert "Mälardalens universitet | 1 | 0 | 0 | 1 | ja | bifall" in text
    assert "Eskilstuna kommun | 1 | 0 | 1 | 1 | ja | bifall" in text
    assert "Västerås stad | 1 | 0 | 0 | 0 | ja | bifall" in text
    assert "Totalt | 3 | 0 | 1 | 2 | ja | bifall" in text
    assert "Olle Berg – avstår" in text


def test_draft_text_minutes_declared_and_automatic_jav(world):
    text = services.minutes_draft_text(world.meeting)

    assert (
        "Ingrid Falk (Eskilstuna kommun) anmälde jäv: Styrelseledamot i Eskilstuna Energi och Miljö AB. "
        "Deltog inte i handläggningen av ärendet." in text
    )
    assert f"{world.applicant_member.get_full_name()} (Mälardalens universitet): sökande i ärendet" in text


def test_draft_text_gives_decisions_with_amounts_per_year(world):
    text = services.minutes_draft_text(world.meeting).replace(NBSP, " ")

    assert "Beslut (bevilja)\nStyrgruppen beviljar ansökan." in text
    assert "2027: 400 000 kr" in text
    assert "2028: 250 000 kr" in text
    assert "Totalt: 650 000 kr" in text
    assert "Villkor: Lägesrapport efter sex månader." in text
    # the information item was decided without a vote
    assert "Styrgruppen lägger informationen till handlingarna.\nBeslutet fattades enligt förslag" in text


def test_draft_text_says_when_the_meeting_was_online_only(db):
    world = _build(location="", video_link="https://video.example/styrgrupp")

    text = services.minutes_draft_text(world.meeting)

    assert "Plats: Digitalt möte (videomöte)" in text
    assert "Mötet hölls digitalt (videomöte)." in text


def test_draft_text_summarises_assessments_and_outcome_at_a_beredning(db):
    agreement = AgreementFactory()
    municipality = agreement.municipalities.first()
    secretary = process_leader(agreement)
    university = review_member(agreement)
    municipal = review_member(agreement, municipality)
    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=secretary, starts_at=STARTED
    )
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.SUBMITTED)
    item = services.item_add(meeting=meeting, by=secretary, proposal=proposal)
    criteria = {n: (4, "") for n in range(1, 10)}
    services.assessment_save(
        item=item,
        by=university,
        scores={"research_quality": 5, "research_ambition": 4},
        criteria=criteria,
        submit=True,
    )
    services.assessment_save(
        item=item, by=municipal, scores={"benefit": 3, "effects": 5}, criteria=criteria, submit=True
    )
    services.outcome_record(
        item=item, by=secretary, outcome=ReviewOutcome.FORWARD, motivation="Tydlig nytta för kommunen."
    )

    text = services.minutes_draft_text(meeting)

    assert "Bedömningar (2 inskickade)" in text
    assert "Forskningens kvalitet och ambition (universitetet) | 1 | 4,5 | 4–5" in text
    assert "Nytta och effekter för medborgare, företagare och besökare (kommunen) | 1 | 4,0 | 3–5" in text
    assert "Samverkanskriterier 1–9 (alla ledamöter) | 2 | 4,0 | 4" in text
    assert "Beredningens ställningstagande: Tillstyrks – går vidare till styrgruppen" in text
    assert "Motivering: Tydlig nytta för kommunen." in text


# --- writing and approving ------------------------------------------------------------------------------


def test_minutes_save_by_the_secretary_stores_text_and_adjuster(world):
    minutes = _written(world)

    assert minutes.text.startswith("Organ: Styrgrupp")
    assert minutes.adjuster == world.adjuster
    assert services.minutes_for(world.meeting) == minutes


@pytest.mark.parametrize("who", ["chair", "member", "adjuster", "other_body_member", "unrelated", "leader"])
def test_minutes_save_refused_for_anyone_but_the_secretary(world, who):
    minutes = _written(world)
    before = _snapshot(minutes)
    user = {
        "unrelated": UserFactory(),
        "leader": process_leader(world.agreement),  # a processledare who is not this meeting's secretary
    }.get(who) or getattr(world, who)

    with pytest.raises(PermissionDenied):
        services.minutes_save(meeting=world.meeting, by=user, text="Ändrat", adjuster=world.adjuster)

    assert _snapshot(minutes) == before


@pytest.mark.parametrize(
    "adjuster, message",
    [("chair", "Ordföranden justerar redan"), ("other_body_member", "måste vara ledamot")],
    ids=["chair", "not-a-member"],
)
def test_minutes_save_refuses_an_adjuster_who_is_the_chair_or_not_a_member(world, adjuster, message):
    with pytest.raises(ValidationError) as error:
        services.minutes_save(
            meeting=world.meeting, by=world.secretary, text="Text", adjuster=getattr(world, adjuster)
        )

    assert message in str(error.value)
    assert not Minutes.objects.filter(meeting=world.meeting, text__contains="Text").exists()


def test_approval_needs_both_chair_and_adjuster(world, django_capture_on_commit_callbacks):
    minutes = _written(world)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        minutes = services.minutes_approve(minutes=minutes, by=world.chair)

    assert minutes.chair_approved_at is not None
    assert minutes.approved_at is None
    assert callbacks == []
    assert Meeting.objects.get(pk=world.meeting.pk).status == MeetingStatus.HELD

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        minutes = services.minutes_approve(minutes=minutes, by=world.adjuster)

    assert minutes.approved_at is not None
    assert minutes.pdf_status == "queued"
    assert Meeting.objects.get(pk=world.meeting.pk).status == MeetingStatus.MINUTES_APPROVED
    # After commit: the render task, and one mail job per notification written (the outbox).
    mails = Notification.objects.filter(event="minutes_approved").count()
    assert mails > 0
    assert len(callbacks) == mails + 1
    assert Notification.objects.filter(event="minutes_approved", user=world.member).count() == 1
    subject = Notification.objects.get(event="minutes_approved", user=world.member).subject
    assert subject.startswith("Protokollet är justerat: Styrgruppsmöte oktober")


@pytest.mark.parametrize("who", ["chair", "adjuster"])
def test_approval_each_confirms_only_once(world, who):
    minutes = services.minutes_approve(minutes=_written(world), by=getattr(world, who))
    before = _snapshot(minutes)

    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, by=getattr(world, who))

    assert _snapshot(minutes) == before


@pytest.mark.parametrize("who", ["secretary", "member", "other_body_member", "unrelated"])
def test_approval_refused_for_others(world, who):
    minutes = _written(world)
    before = _snapshot(minutes)
    user = UserFactory() if who == "unrelated" else getattr(world, who)

    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, by=user)

    assert _snapshot(minutes) == before
    assert not Notification.objects.filter(event="minutes_approved").exists()


def test_approval_refused_before_the_meeting_is_held(world):
    minutes = _written(world)
    Meeting.objects.filter(pk=world.meeting.pk).update(status=MeetingStatus.INVITED)
    before = _snapshot(minutes)

    with pytest.raises(ValidationError, match="genomfört"):
        services.minutes_approve(minutes=minutes, by=world.chair)

    assert _snapshot(minutes) == before


def test_changed_text_withdraws_confirmations(world):
    minutes = services.minutes_approve(minutes=_written(world), by=world.chair)

    minutes = services.minutes_save(
        meeting=world.meeting, by=world.secretary, text=minutes.text + "\nTillägg.", adjuster=world.adjuster
    )

    assert minutes.chair_approved_at is None


def test_approved_minutes_are_frozen(world, django_capture_on_commit_callbacks):
    minutes = _approved(world, django_capture_on_commit_callbacks)
    before = _snapshot(minutes)

    with pytest.raises(ValidationError, match=r"Protokollet är justerat och kan inte ändras\."):
        services.minutes_save(meeting=world.meeting, by=world.secretary, text="Nytt", adjuster=world.adjuster)
    world.grant.text = "Ändrat i efterhand"
    with pytest.raises(ValidationError, match="Beslutet är justerat"):
        world.grant.save()

    assert _snapshot(minutes) == before
    assert Decision.objects.get(pk=world.grant.pk).text == "Styrgruppen beviljar ansökan."


# --- the PDF --------------------------------------------------------------------------------------------


def test_pdf_renders_eagerly_after_approval(world, django_capture_on_commit_callbacks):
    minutes = _approved(world, django_capture_on_commit_callbacks)

    assert minutes.pdf_status == "done"
    assert minutes.pdf.name.startswith(f"minutes/{world.meeting.pk}-")
    text = _pdf_text(minutes)
    assert "Styrgruppsmöte oktober" in text
    assert "§1" in text and "§2" in text
    assert "400 000 kr" in text
    assert "Styrelseledamot i Eskilstuna Energi och Miljö AB" in text
    assert "Sida 1 av" in text
    assert "Justering" in text and "Eva Persson" in text


def test_render_task_is_idempotent(world, django_capture_on_commit_callbacks):
    minutes = _approved(world, django_capture_on_commit_callbacks)
    name = minutes.pdf.name

    assert render_minutes_pdf.delay(minutes.pk).get() == "done"
    render_minutes_pdf.delay(minutes.pk).get()

    minutes.refresh_from_db()
    assert minutes.pdf.name == name
    assert len(default_storage.listdir("minutes")[1]) == 1


def test_render_task_does_nothing_for_unapproved_minutes(world):
    minutes = _written(world)

    render_minutes_pdf.delay(minutes.pk).get()

    minutes.refresh_from_db()
    assert not minutes.pdf
    assert minutes.pdf_status == ""


@pytest.mark.needs_redis
def test_pdf_renders_through_a_real_celery_worker(celery_worker, django_capture_on_commit_callbacks):
    world = _build()
    minutes = _written(world)
    services.minutes_approve(minutes=minutes, by=world.chair)
    # The worker reads the committed row: the on-commit callback sends the task to Redis.
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(minutes=minutes, by=world.adjuster)

    deadline = datetime.datetime.now() + datetime.timedelta(seconds=60)
    while datetime.datetime.now() < deadline:
        minutes.refresh_from_db()
        if minutes.pdf_status in ("done", "failed"):
            break
        time.sleep(0.25)

    assert minutes.pdf_status == "done", minutes.pdf_error
    text = _pdf_text(minutes)
    assert "Styrgruppsmöte oktober" in text
    assert "§1" in text
    assert "400 000 kr" in text
    assert "Styrelseledamot i Eskilstuna Energi och Miljö AB" in text


# --- the views: permission matrix ---------------------------------------------------------------------

VIEWS = ["minutes_detail", "minutes_edit", "minutes_status", "minutes_pdf"]
# expected status per (person, view) with approved minutes that have their PDF; edit redirects the secretary
EXPECTED = {
    "anonymous": {"minutes_detail": 302, "minutes_edit": 302, "minutes_status": 302, "minutes_pdf": 302},
    "unrelated": {"minutes_detail": 403, "minutes_edit": 403, "minutes_status": 403, "minutes_pdf": 403},
    "other_body_member": {
        "minutes_detail": 403,
        "minutes_edit": 403,
        "minutes_status": 403,
        "minutes_pdf": 403,
    },
    "member": {"minutes_detail": 200, "minutes_edit": 403, "minutes_status": 200, "minutes_pdf": 200},
    "chair": {"minutes_detail": 200, "minutes_edit": 403, "minutes_status": 200, "minutes_pdf": 200},
    "secretary": {"minutes_detail": 200, "minutes_edit": 302, "minutes_status": 200, "minutes_pdf": 200},
}


def _login(client, world, who):
    if who == "anonymous":
        return None
    user = UserFactory() if who == "unrelated" else getattr(world, who)
    client.force_login(user)
    return user


@pytest.mark.parametrize("who", list(EXPECTED))
def test_minutes_views_permission_matrix_after_approval(
    client, world, who, django_capture_on_commit_callbacks
):
    _approved(world, django_capture_on_commit_callbacks)
    _login(client, world, who)

    for view in VIEWS:
        response = client.get(reverse(f"governance:{view}", args=[world.meeting.pk]))
        assert response.status_code == EXPECTED[who][view], (who, view)
        if response.status_code == 302 and who == "anonymous":
            assert "/konto/logga-in/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("unrelated", 403), ("other_body_member", 403), ("member", 403), ("chair", 403),
     ("secretary", 200)],
)  # fmt: skip
def test_minutes_edit_page_only_for_the_secretary_before_approval(client, world, who, status):
    _login(client, world, who)

    response = client.get(reverse("governance:minutes_edit", args=[world.meeting.pk]))

    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "Generera om från mötet" in content
        assert "§1 Beslut: Energieffektiva bostäder" in content


def test_minutes_edit_post_saves_and_regenerate_refills(client, world):
    client.force_login(world.secretary)
    url = reverse("governance:minutes_edit", args=[world.meeting.pk])

    response = client.post(url, {"text": "§1 Kort protokoll", "adjuster": world.adjuster.pk, "save": "1"})

    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=world.meeting)
    assert minutes.text == "§1 Kort protokoll\n"
    assert minutes.adjuster == world.adjuster
    response = client.post(url, {"text": "x", "adjuster": world.adjuster.pk, "regenerate": "1"})
    assert "Organ: Styrgrupp" in response.content.decode()
    assert Minutes.objects.get(meeting=world.meeting).text == "§1 Kort protokoll\n"


def test_minutes_edit_post_shows_swedish_error_for_the_chair_as_adjuster(client, world):
    client.force_login(world.secretary)

    response = client.post(
        reverse("governance:minutes_edit", args=[world.meeting.pk]),
        {"text": "Text", "adjuster": world.chair.pk, "save": "1"},
    )

    assert response.status_code == 200
    assert not Minutes.objects.filter(meeting=world.meeting, text__contains="Text").exists()


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("unrelated", 403), ("other_body_member", 403), ("member", 403), ("secretary", 403),
     ("chair", 302), ("adjuster", 302)],
)  # fmt: skip
def test_minutes_approve_view_permission_matrix(client, world, who, status):
    minutes = _written(world)
    user = _login(client, world, who)

    response = client.post(reverse("governance:minutes_approve", args=[world.meeting.pk]))

    assert response.status_code == status
    minutes.refresh_from_db()
    confirmed = {minutes.chair_approved_at is not None, minutes.adjuster_approved_at is not None}
    assert confirmed == ({True, False} if status == 302 and user else {False})


def test_minutes_approve_view_is_post_only(client, world):
    _written(world)
    client.force_login(world.chair)

    assert client.get(reverse("governance:minutes_approve", args=[world.meeting.pk])).status_code == 405


def test_minutes_detail_shows_status_and_approve_button(client, world):
    _written(world)
    client.force_login(world.chair)
    url = reverse("governance:minutes_detail", args=[world.meeting.pk])

    content = client.get(url).content.decode()
    assert "Justeras – väntar på ordförande och justerare" in content
    assert "Justera protokollet" in content

    client.post(reverse("governance:minutes_approve", args=[world.meeting.pk]))
    content = client.get(url).content.decode()
    assert "Justeras – väntar på justerare" in content
    assert "Justera protokollet" not in content


def test_minutes_status_polls_while_rendering_then_links_the_pdf(
    client, world, django_capture_on_commit_callbacks
):
    minutes = _written(world)
    services.minutes_approve(minutes=minutes, by=world.chair)
    with django_capture_on_commit_callbacks(execute=False):  # the task stays queued
        services.minutes_approve(minutes=minutes, by=world.adjuster)
    client.force_login(world.member)
    url = reverse("governance:minutes_status", args=[world.meeting.pk])

    pending = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in pending
    assert "genereras" in pending
    assert client.get(reverse("governance:minutes_pdf", args=[world.meeting.pk])).status_code == 404

    render_minutes_pdf.delay(minutes.pk).get()
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done
    assert reverse("governance:minutes_pdf", args=[world.meeting.pk]) in done
    response = client.get(reverse("governance:minutes_pdf", args=[world.meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_failed_pdf_can_be_retried_by_the_secretary_and_renders(
    client, world, django_capture_on_commit_callbacks
):
    minutes = _approved(world, django_capture_on_commit_callbacks)
    Minutes.objects.filter(pk=minutes.pk).update(pdf_status="failed", pdf_error="Disken var full.", pdf="")
    url = reverse("governance:minutes_retry", args=[world.meeting.pk])

    client.force_login(world.member)
    assert client.post(url).status_code == 403
    client.force_login(world.secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    minutes.refresh_from_db()
    assert "PDF:en skapas igen." in response.content.decode()
    assert minutes.pdf_status == "done" and minutes.pdf
    assert "§1" in _pdf_text(minutes)


def test_retry_is_refused_when_nothing_failed(client, world, django_capture_on_commit_callbacks):
    minutes = _approved(world, django_capture_on_commit_callbacks)
    client.force_login(world.secretary)
    response = client.post(reverse("governance:minutes_retry", args=[world.meeting.pk]), follow=True)
    assert "PDF:en kan bara skapas om när en tidigare körning har misslyckats." in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.pdf_status == "done"
