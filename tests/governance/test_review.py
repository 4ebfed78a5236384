"""Beredning screens: the agenda item page, the member's assessment and the meeting's outcome – who sees
what, what the service refuses, and which transition each outcome drives."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from applications.models import ProposalTransition
from governance import services
from governance.enums import CRITERIA, ItemKind, MeetingKind, Perspective, ReviewOutcome
from governance.models import AgendaItem, Assessment, CriterionScore
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    process_leader,
    review_member,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- the world ---------------------------------------------------------------------------------------------


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def municipality(agreement):
    return agreement.municipalities.get()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


@pytest.fixture
def chair(agreement):
    """The chair sits in the body (a university beredningsledamot)."""
    return review_member(agreement)


@pytest.fixture
def uni_member(agreement):
    return review_member(agreement, user__first_name="Ulla", user__last_name="Universitet")


@pytest.fixture
def muni_member(agreement, municipality):
    return review_member(agreement, municipality, user__first_name="Kalle", user__last_name="Kommun")


@pytest.fixture
def meeting(agreement, leader, chair, uni_member, muni_member):
    return MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, chair=chair, secretary=leader)


@pytest.fixture
def proposal(agreement):
    return ProposalFactory(agreement=agreement, state=ProposalState.IN_REVIEW)


@pytest.fixture
def item(meeting, proposal):
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


@pytest.fixture
def people(agreement, leader, chair, uni_member):
    return {
        "anonymous": None,
        "unrelated": UserFactory(),
        "other_body": steering_member(agreement),  # sits in the styrgrupp, not in this beredning
        "member": uni_member,
        "chair": chair,
        "secretary": leader,
    }


def url(name, item):
    return reverse(f"governance:{name}", args=[item.meeting_id, item.pk])


def all_scores(value=3, **overrides):
    """A complete POST for the assessment form (both perspectives' fields; the form uses its own)."""
    data = {
        "research_quality": value,
        "research_ambition": value,
        "benefit": value,
        "effects": value,
        "comment": "Väl underbyggd ansökan.",
        "proposed_goals": "Minst tre skolor deltar",
    }
    for number, _label in CRITERIA:
        data[f"criterion_{number}"] = value
        data[f"criterion_{number}_comment"] = ""
    data.update(overrides)
    return data


def submit(item, member, *, scores=None, criteria=3, comment="", goals=""):
    """A submitted assessment through the service."""
    return services.assessment_save(
        item=item,
        by=member,
        scores=scores or {"research_quality": 3, "research_ambition": 3, "benefit": 3, "effects": 3},
        criteria={n: (criteria, "") for n, _label in CRITERIA},
        comment=comment,
        proposed_goals=goals,
        submit=True,
    )


def state_of(item):
    item.refresh_from_db()
    item.proposal.refresh_from_db()
    return (
        item.outcome,
        item.proposal.state,
        ProposalTransition.objects.filter(proposal=item.proposal).count(),
        AgendaItem.objects.count(),
    )


def login(client, user):
    if user is not None:
        client.force_login(user)


# --- permission matrix -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("unrelated", 403),
        ("other_body", 403),
        ("member", 200),
        ("chair", 200),
        ("secretary", 200),
    ],
)
def test_item_detail_permission_matrix(client, people, item, who, status):
    login(client, people[who])

    response = client.get(url("item_detail", item))

    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("unrelated", 403),
        ("other_body", 403),
        ("member", 200),
        ("chair", 200),  # the chair sits in the body and assesses too
        ("secretary", 403),  # the processledare runs the meeting but does not assess
    ],
)
def test_assessment_form_permission_matrix(client, people, item, who, status):
    login(client, people[who])

    get = client.get(url("assessment_form", item))
    post = client.post(url("assessment_form", item), {**all_scores(), "submit": "1"})

    assert get.status_code == status
    if status == 200:
        assert post.status_code == 302
        assert Assessment.objects.filter(member=people[who], submitted_at__isnull=False).exists()
    else:
        assert post.status_code == status
        assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("unrelated", 403),
        ("other_body", 403),
        ("member", 403),
        ("chair", 302),
        ("secretary", 302),
    ],
)
def test_outcome_record_permission_matrix(client, people, item, who, status):
    login(client, people[who])
    before = state_of(item)

    response = client.post(
        url("outcome_record", item), {"outcome": ReviewOutcome.DECLINE, "motivation": "Saknar förankring."}
    )

    assert response.status_code == status
    if who in ("chair", "secretary"):
        assert response.url == item.get_absolute_url()
        assert state_of(item)[:2] == (ReviewOutcome.DECLINE, ProposalState.DECLINED)
    else:
        assert state_of(item) == before
        if who == "anonymous":
            assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["outcome_record"])
def test_post_only_review_view_refuses_get(client, leader, item, name):
    client.force_login(leader)

    assert client.get(url(name, item)).status_code == 405


def test_item_of_another_meeting_is_404(client, leader, item, agreement):
    other = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=leader)
    client.force_login(leader)

    response = client.get(reverse("governance:item_detail", args=[other.pk, item.pk]))

    assert response.status_code == 404


# --- visibility of others' assessments ---------------------------------------------------------------------


def test_own_draft_is_shown_but_others_are_hidden_until_own_is_submitted(
    client, item, uni_member, muni_member
):
    submit(item, muni_member, comment="Kommunens kommentar om nyttan.")
    services.assessment_save(item=item, by=uni_member, scores={}, criteria={}, comment="", submit=False)
    client.force_login(uni_member)

    page = client.get(url("item_detail", item)).content.decode()

    assert "Din bedömning är ett utkast." in page
    assert "Kommunens kommentar om nyttan." not in page
    assert "Du ser de andra ledamöternas bedömningar när du har skickat in din egen" in page


def test_others_are_visible_after_submitting_own(client, item, uni_member, muni_member):
    submit(item, muni_member, comment="Kommunens kommentar om nyttan.")
    submit(item, uni_member, comment="Min egen kommentar.")
    client.force_login(uni_member)

    page = client.get(url("item_detail", item)).content.decode()

    assert "Kommunens kommentar om nyttan." in page
    assert "Min egen kommentar." in page


def test_others_are_visible_once_the_meeting_has_started(client, item, meeting, uni_member, muni_member):
    submit(item, muni_member, comment="Kommunens kommentar om nyttan.")
    meeting.starts_at = timezone.now() - datetime.timedelta(minutes=5)
    meeting.ends_at = timezone.now() + datetime.timedelta(hours=2)
    meeting.save()
    client.force_login(uni_member)

    page = client.get(url("item_detail", item)).content.decode()

    assert "Kommunens kommentar om nyttan." in page


@pytest.mark.parametrize("who", ["chair", "secretary"])
def test_chair_and_secretary_always_see_assessments(client, people, item, muni_member, who):
    submit(item, muni_member, comment="Kommunens kommentar om nyttan.")
    client.force_login(people[who])

    page = client.get(url("item_detail", item)).content.decode()

    assert "Kommunens kommentar om nyttan." in page


def test_presenters_do_not_see_individual_assessments(client, item, muni_member):
    submit(item, muni_member, comment="Kommunens kommentar om nyttan.")
    client.force_login(item.proposal.responsible_researcher)

    response = client.get(url("item_detail", item))

    assert response.status_code == 200
    assert "Kommunens kommentar om nyttan." not in response.content.decode()


# --- the assessment form -----------------------------------------------------------------------------------


def test_university_member_gets_research_questions(client, item, uni_member):
    client.force_login(uni_member)

    page = client.get(url("assessment_form", item)).content.decode()

    assert "<legend>Forskningens kvalitet</legend>" in page
    assert "<legend>Forskningens ambition</legend>" in page
    assert "Nytta för medborgare, företagare och besökare</legend>" not in page
    assert "<legend>9. Tid och resurser för att få samverkan att fungera</legend>" in page


def test_municipal_member_gets_benefit_questions(client, item, muni_member):
    client.force_login(muni_member)

    page = client.get(url("assessment_form", item)).content.decode()

    assert "<legend>Nytta för medborgare, företagare och besökare</legend>" in page
    assert "<legend>Effekter för kommunen</legend>" in page
    assert "Forskningens kvalitet</legend>" not in page


def test_submit_stores_the_members_perspective_and_nine_criteria(client, item, uni_member, muni_member):
    for member in (uni_member, muni_member):
        client.force_login(member)
        client.post(url("assessment_form", item), {**all_scores(4), "submit": "1"})

    research = Assessment.objects.get(member=uni_member)
    benefit = Assessment.objects.get(member=muni_member)
    assert (research.perspective, research.research_quality, research.benefit) == (
        Perspective.RESEARCH,
        4,
        None,
    )
    assert (benefit.perspective, benefit.benefit, benefit.research_quality) == (Perspective.BENEFIT, 4, None)
    assert research.submitted_at and benefit.submitted_at
    assert CriterionScore.objects.filter(assessment=research).count() == 9


def test_submit_requires_every_score_with_swedish_messages(client, item, uni_member):
    client.force_login(uni_member)
    data = all_scores(research_quality="", criterion_4="")

    response = client.post(url("assessment_form", item), {**data, "submit": "1"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Forskningens kvalitet: välj ett betyg 1–5." in page
    assert "4. Deltagarna har mandat att fatta beslut: välj ett betyg 1–5." in page
    assert not Assessment.objects.exists()


def test_draft_may_be_incomplete_and_stays_editable(client, item, uni_member):
    client.force_login(uni_member)

    response = client.post(
        url("assessment_form", item), {"research_quality": "2", "criterion_1": "5", "draft": "1"}
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert assessment.submitted_at is None
    assert (assessment.research_quality, assessment.research_ambition) == (2, None)
    again = client.get(url("assessment_form", item))
    assert "Skicka in bedömning" in again.content.decode()
    assert again.context["form"]["research_quality"].value() == "2"
    assert again.context["form"]["criterion_1"].value() == "5"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("research_quality", "7", "Forskningens kvalitet: betyget ska vara 1–5."),
        ("research_ambition", "0", "Forskningens ambition: betyget ska vara 1–5."),
        ("criterion_3", "6", "3. Överenskommelser om vad var och en bidrar med: betyget ska vara 1–5."),
        ("criterion_1", "tre", "1. Tydligt och realistiskt syfte med samverkan: betyget ska vara 1–5."),
    ],
    ids=["quality-7", "ambition-0", "criterion-6", "criterion-text"],
)
@pytest.mark.parametrize("button", ["draft", "submit"])
def test_score_outside_1_to_5_is_refused(client, item, uni_member, field, value, message, button):
    client.force_login(uni_member)

    response = client.post(url("assessment_form", item), {**all_scores(**{field: value}), button: "1"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_score_outside_1_to_5_is_refused_by_the_service(item, uni_member):
    with pytest.raises(ValidationError):
        services.assessment_save(
            item=item, by=uni_member, scores={"research_quality": 6}, criteria={}, submit=False
        )

    assert not Assessment.objects.exists()


def test_submitted_assessment_is_read_only(client, item, uni_member):
    submit(item, uni_member, comment="Inskickad.")
    client.force_login(uni_member)
    before = list(Assessment.objects.values_list("research_quality", "comment", "submitted_at"))

    page = client.get(url("assessment_form", item)).content.decode()
    response = client.post(url("assessment_form", item), {**all_scores(5), "submit": "1"})

    assert "Skicka in bedömning" not in page
    assert "kan inte längre ändras" in page
    assert response.status_code == 403
    assert list(Assessment.objects.values_list("research_quality", "comment", "submitted_at")) == before


# --- the summary per perspective ---------------------------------------------------------------------------


def test_summary_shows_mean_and_spread_per_perspective(
    client, agreement, item, uni_member, muni_member, leader
):
    third = review_member(agreement)
    submit(item, uni_member, scores={"research_quality": 2, "research_ambition": 4}, criteria=1)
    submit(
        item,
        third,
        scores={"research_quality": 5, "research_ambition": 4},
        criteria=2,
        goals="Två seminarier",
    )
    submit(item, muni_member, scores={"benefit": 3, "effects": 1}, criteria=5, comment="Stor nytta.")
    client.force_login(leader)

    response = client.get(url("item_detail", item))

    summary = {part["perspective"]: part for part in response.context["summary"]}
    research, benefit = summary[Perspective.RESEARCH], summary[Perspective.BENEFIT]
    assert research["questions"][0]["stats"] == {"n": 2, "mean": 3.5, "min": 2, "max": 5}
    assert research["questions"][1]["stats"] == {"n": 2, "mean": 4.0, "min": 4, "max": 4}
    assert research["criteria"][0]["stats"] == {"n": 2, "mean": 1.5, "min": 1, "max": 2}
    assert benefit["questions"][1]["stats"] == {"n": 1, "mean": 1.0, "min": 1, "max": 1}
    assert benefit["criteria"][8]["stats"]["mean"] == 5.0
    page = response.content.decode()
    assert "3,5" in page and "2–5" in page  # Swedish decimal comma, spread as min–max
    assert "Stor nytta." in page
    assert "Två seminarier" in page


def test_summary_counts_only_submitted_assessments(client, item, uni_member, muni_member, leader):
    submit(item, uni_member, scores={"research_quality": 2, "research_ambition": 2})
    services.assessment_save(
        item=item, by=muni_member, scores={"benefit": 5}, criteria={}, comment="Utkast", submit=False
    )
    client.force_login(leader)

    response = client.get(url("item_detail", item))

    assert [p["perspective"] for p in response.context["summary"]] == [Perspective.RESEARCH]
    assert "Utkast" not in response.content.decode()


# --- the outcome and the transition it drives --------------------------------------------------------------


def test_forward_moves_to_awaiting_decision_and_onto_next_styrgrupp_agenda(
    client, agreement, leader, item, proposal
):
    later = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, starts_at=timezone.now() + datetime.timedelta(days=40)
    )
    sooner = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    client.force_login(leader)

    response = client.post(
        url("outcome_record", item),
        {
            "outcome": ReviewOutcome.FORWARD,
            "motivation": "Stark ansökan.",
            "goals": "Minst tre skolor deltar",
        },
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert proposal.state == ProposalState.AWAITING_DECISION
    steering_item = AgendaItem.objects.get(meeting=sooner, proposal=proposal)
    assert steering_item.kind == ItemKind.DECISION
    assert steering_item.description == "Minst tre skolor deltar"
    assert not later.items.exists()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Tillstyrks – går vidare till styrgruppen" in page
    assert "Till styrgrupp" in page


def test_forward_numbers_the_new_item_after_the_last_even_with_gaps(
    client, agreement, leader, item, proposal
):
    steering = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    # §1 was removed earlier, so the agenda holds §2 and §3: the next item is §4, not a second §3.
    AgendaItemFactory(meeting=steering, order=2, kind=ItemKind.INFORMATION, proposal=None, title="Ekonomi")
    AgendaItemFactory(meeting=steering, order=3, kind=ItemKind.INFORMATION, proposal=None, title="Övrigt")
    client.force_login(leader)

    client.post(url("outcome_record", item), {"outcome": ReviewOutcome.FORWARD, "motivation": "Bra."})

    assert AgendaItem.objects.get(meeting=steering, proposal=proposal).order == 4


def test_forward_without_planned_styrgrupp_meeting_only_moves_state(client, leader, item, proposal):
    client.force_login(leader)

    client.post(url("outcome_record", item), {"outcome": ReviewOutcome.FORWARD, "motivation": "Bra."})

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.AWAITING_DECISION
    assert AgendaItem.objects.filter(proposal=proposal).count() == 1


def test_return_sends_back_to_application_with_motivation_in_timeline(client, leader, item, proposal):
    client.force_login(leader)

    client.post(
        url("outcome_record", item),
        {"outcome": ReviewOutcome.RETURN, "motivation": "Förtydliga kommunens roll i genomförandet."},
    )

    proposal.refresh_from_db()
    last = ProposalTransition.objects.filter(proposal=proposal).last()
    assert proposal.state == ProposalState.APPLICATION
    assert (last.transition, last.source, last.target) == (
        "return_for_revision",
        ProposalState.IN_REVIEW,
        ProposalState.APPLICATION,
    )
    assert last.comment == "Förtydliga kommunens roll i genomförandet."
    assert (
        "Förtydliga kommunens roll i genomförandet."
        in client.get(proposal.get_absolute_url()).content.decode()
    )


def test_decline_moves_to_declined(client, leader, item, proposal):
    client.force_login(leader)

    client.post(
        url("outcome_record", item), {"outcome": ReviewOutcome.DECLINE, "motivation": "Utanför avtalet."}
    )

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED


def test_pitch_gets_feedback_and_goes_on_to_application(client, agreement, leader, meeting):
    pitch = ProposalFactory(agreement=agreement, state=ProposalState.PITCH)
    item = AgendaItemFactory(meeting=meeting, proposal=pitch)
    assert item.kind == ItemKind.PITCH
    client.force_login(leader)

    client.post(
        url("outcome_record", item), {"outcome": ReviewOutcome.FORWARD, "motivation": "Skriv ansökan."}
    )

    pitch.refresh_from_db()
    last = ProposalTransition.objects.filter(proposal=pitch).last()
    assert pitch.state == ProposalState.APPLICATION
    assert last.transition == "record_pitch_feedback"
    assert not AgendaItem.objects.filter(proposal=pitch, meeting__kind=MeetingKind.STEERING).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": ReviewOutcome.FORWARD, "motivation": "  "}, "Skriv en motivering."),
        ({"motivation": "Bra."}, "Välj tillstyrk, återför eller tillstyrk inte."),
        ({"outcome": "maybe", "motivation": "Bra."}, "Välj ett giltigt alternativ"),
    ],
    ids=["no-motivation", "no-outcome", "unknown-outcome"],
)
def test_outcome_bad_input_gives_swedish_message_and_changes_nothing(client, leader, item, data, message):
    client.force_login(leader)
    before = state_of(item)

    response = client.post(url("outcome_record", item), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state_of(item) == before


def test_outcome_twice_is_refused_with_message(client, leader, item):
    client.force_login(leader)
    client.post(url("outcome_record", item), {"outcome": ReviewOutcome.DECLINE, "motivation": "Nej."})
    before = state_of(item)

    response = client.post(
        url("outcome_record", item), {"outcome": ReviewOutcome.FORWARD, "motivation": "Ja."}, follow=True
    )

    assert "Beredningens ställningstagande är redan registrerat." in response.content.decode()
    assert state_of(item) == before


def test_outcome_form_shown_only_to_those_allowed(client, item, uni_member, leader):
    client.force_login(uni_member)
    member_page = client.get(url("item_detail", item)).content.decode()
    client.force_login(leader)
    leader_page = client.get(url("item_detail", item)).content.decode()

    assert "Registrera ställningstagandet" not in member_page
    assert "Registrera ställningstagandet" in leader_page


def test_item_page_lists_documents_with_permission_checked_links(client, item, leader, proposal):
    from django.core.files.base import ContentFile

    from applications.models import Attachment

    attachment = Attachment(
        proposal=proposal,
        original_name="budget.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        uploaded_by=proposal.responsible_researcher,
    )
    attachment.file.save("x", ContentFile(b"%PDF"), save=False)
    attachment.save()
    client.force_login(leader)

    page = client.get(url("item_detail", item)).content.decode()

    assert attachment.get_absolute_url() in page
    assert "budget.pdf" in page
    assert proposal.get_absolute_url() in page
    assert proposal.summary in page
