import pytest
from django.urls import reverse

from applications.enums import ProposalState
from applications.models import Proposal, ProposalSection, ProposalTransition
from samverkan.enums import Role
from tests.factories.applications import (
    ProposalFactory,
    ProposalTemplateFactory,
    TemplateSectionFactory,
    anchored,
    with_sections,
)
from tests.factories.budget import with_budget
from tests.factories.samverkan import AgreementFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db
S = ProposalState


def detail(proposal):
    return reverse("applications:proposal_detail", args=[proposal.pk])


def test_researcher_registers_idea_with_municipal_co_applicant(client):
    agreement = AgreementFactory()
    researcher = person_with_role(agreement, Role.RESEARCHER)
    municipality = agreement.municipalities.get()
    officer = person_with_role(agreement, Role.OFFICER, organisation=municipality)
    client.force_login(researcher)
    response = client.post(
        reverse("applications:proposal_create"),
        {
            "agreement": agreement.pk,
            "title": "Barns hälsa",
            "work_form": "projekt",
            "summary": "Idé",
            "responsible_researcher": researcher.pk,
            "responsible_officer": officer.pk,
            "municipal_organisations": [municipality.pk],
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == detail(proposal)
    assert proposal.state == S.DIALOG
    assert proposal.responsible_officer == officer
    html = client.get(detail(proposal)).content.decode()
    assert "Idé registrerad" in html
    assert "Börja skriva ansökan" in html and "Gå vidare till pitch" in html


def test_create_with_an_officer_outside_the_agreement_is_refused_in_swedish(client):
    agreement = AgreementFactory()
    researcher = person_with_role(agreement, Role.RESEARCHER)
    client.force_login(researcher)
    response = client.post(
        reverse("applications:proposal_create"),
        {
            "agreement": agreement.pk,
            "title": "X",
            "work_form": "projekt",
            "responsible_researcher": researcher.pk,
            "responsible_officer": UserFactory().pk,
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.COMMUNICATOR, Role.REVIEW_MEMBER, Role.STEERING_MEMBER, Role.SIGNATORY]
)
def test_roles_that_do_not_apply_cannot_register_ideas(client, role):
    agreement = AgreementFactory()
    client.force_login(person_with_role(agreement, role))
    assert client.get(reverse("applications:proposal_create")).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("anonymous", 302, id="anonymous"),
        pytest.param("stranger", 403, id="unrelated"),
        pytest.param("other_leader", 403, id="processledare-of-other-agreement"),
        pytest.param("reviewer", 403, id="beredning-before-submission"),
        pytest.param("researcher", 200, id="team-researcher"),
        pytest.param("officer", 200, id="team-officer"),
        pytest.param("leader", 200, id="processledare"),
        pytest.param("communicator", 200, id="kommunikator"),
    ],
)
def test_proposal_page_permissions(client, who, status):
    proposal = ProposalFactory(state=S.APPLICATION)
    people = {
        "stranger": UserFactory(),
        "other_leader": person_with_role(AgreementFactory(), Role.PROCESS_LEADER),
        "reviewer": person_with_role(proposal.agreement, Role.REVIEW_MEMBER),
        "researcher": proposal.responsible_researcher,
        "officer": proposal.responsible_officer,
        "leader": person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "communicator": person_with_role(proposal.agreement, Role.COMMUNICATOR),
    }
    if who != "anonymous":
        client.force_login(people[who])
    assert client.get(detail(proposal)).status_code == status


def test_reviewer_sees_proposal_once_submitted(client):
    proposal = ProposalFactory(state=S.SUBMITTED)
    client.force_login(person_with_role(proposal.agreement, Role.REVIEW_MEMBER))
    assert client.get(detail(proposal)).status_code == 200


def test_unknown_proposal_is_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("applications:proposal_detail", args=[987654])).status_code == 404


def test_page_shows_only_the_actions_this_user_may_use(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    with_sections(proposal)
    with_budget(proposal)
    anchored(proposal)
    client.force_login(proposal.responsible_researcher)
    html = client.get(detail(proposal)).content.decode()
    assert "Skicka in ansökan" in html
    assert "Återför till sökande" not in html
    leader = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    client.force_login(leader)
    html = client.get(detail(proposal)).content.decode()
    assert "Skicka in ansökan" not in html


def test_incomplete_application_lists_what_is_missing_in_swedish(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    sections = with_sections(proposal, filled=False)
    client.force_login(proposal.responsible_researcher)
    html = client.get(detail(proposal)).content.decode()
    assert f"Avsnittet ”{sections[0].title}” är inte ifyllt." in html
    assert "Ansvarig tjänsteperson har inte bekräftat förankringen." in html
    assert "Skicka in ansökan" not in html


def test_submit_then_return_with_comment_shows_in_timeline(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory(state=S.APPLICATION)
    with_sections(proposal)
    with_budget(proposal)
    anchored(proposal)
    leader = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    client.force_login(proposal.responsible_researcher)
    url = reverse("applications:proposal_transition", args=[proposal.pk, "submit"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"expected_state": "application"})
    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED
    assert any(leader.email in m.to for m in mailoutbox)

    client.force_login(leader)
    url = reverse("applications:proposal_transition", args=[proposal.pk, "return_incomplete"])
    response = client.post(
        url, {"expected_state": "submitted", "comment": "Budgeten för 2027 saknas."}, follow=True
    )
    proposal.refresh_from_db()
    assert proposal.state == S.APPLICATION
    html = response.content.decode()
    assert "Budgeten för 2027 saknas." in html
    assert "Inskickad → Ansökan under arbete" in html


def test_stale_click_shows_reload_message_and_changes_nothing(client):
    proposal = ProposalFactory(state=S.SUBMITTED)
    leader = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    client.force_login(leader)
    url = reverse("applications:proposal_transition", args=[proposal.pk, "return_incomplete"])
    # The leader's page was loaded when the proposal was still an application under work.
    response = client.post(url, {"expected_state": "application", "comment": "x"}, follow=True)
    assert response.status_code == 200
    assert "Ärendet har ändrats av någon annan – ladda om sidan." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == S.SUBMITTED
    assert not ProposalTransition.objects.filter(proposal=proposal).exists()


def test_transition_is_post_only(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    client.force_login(proposal.responsible_researcher)
    url = reverse("applications:proposal_transition", args=[proposal.pk, "submit"])
    assert client.get(url).status_code == 405


def test_unknown_action_gives_a_message_not_an_error(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    client.force_login(proposal.responsible_researcher)
    url = reverse("applications:proposal_transition", args=[proposal.pk, "delete_everything"])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Okänd åtgärd." in response.content.decode()


def test_sections_are_saved_and_length_limit_enforced_in_swedish(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    template = ProposalTemplateFactory(agreement=proposal.agreement)
    short = TemplateSectionFactory(template=template, title="Syfte", max_length=20)
    proposal.application_template = template
    proposal.save()
    client.force_login(proposal.responsible_researcher)
    url = reverse("applications:proposal_sections", args=[proposal.pk])
    response = client.post(url, {f"section_{short.pk}": "x" * 21})
    assert response.status_code == 200
    assert "Syfte: högst 20 tecken (nu 21)." in response.content.decode()
    assert not ProposalSection.objects.exists()
    client.post(url, {f"section_{short.pk}": "Att förbättra"})
    assert ProposalSection.objects.get().text == "Att förbättra"


def test_only_the_responsible_officer_confirms_anchoring(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    municipality = proposal.agreement.municipalities.get()
    url = reverse("applications:proposal_anchoring", args=[proposal.pk])
    client.force_login(proposal.responsible_researcher)
    assert client.post(url, {"organisation": municipality.pk, "confirm": "on"}).status_code == 403
    client.force_login(proposal.responsible_officer)
    client.post(url, {"organisation": municipality.pk, "confirm": "on"})
    proposal.refresh_from_db()
    assert proposal.anchoring_confirmed_by == proposal.responsible_officer
    assert proposal.anchoring_organisation == municipality


def test_anchoring_without_the_checkbox_changes_nothing(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    client.force_login(proposal.responsible_officer)
    url = reverse("applications:proposal_anchoring", args=[proposal.pk])
    response = client.post(url, {"organisation": proposal.agreement.municipalities.get().pk}, follow=True)
    assert "Kryssa i bekräftelsen" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.anchoring_confirmed_at is None


def test_edit_after_submission_is_refused(client):
    proposal = ProposalFactory(state=S.SUBMITTED)
    client.force_login(proposal.responsible_researcher)
    assert client.get(reverse("applications:proposal_edit", args=[proposal.pk])).status_code == 403


def test_edit_saves_activity_goals_and_period(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    client.force_login(proposal.responsible_researcher)
    data = {
        "title": proposal.title,
        "work_form": "projekt",
        "summary": "Ny sammanfattning",
        "responsible_researcher": proposal.responsible_researcher.pk,
        "responsible_officer": proposal.responsible_officer.pk,
        "planned_start": "2026-03-01",
        "planned_end": "2027-02-28",
        "activity_goals": "Tre skolor deltar\n\nEn rapport till nämnden",
    }
    response = client.post(reverse("applications:proposal_edit", args=[proposal.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal.refresh_from_db()
    assert [g.text for g in proposal.activity_goals.all()] == ["Tre skolor deltar", "En rapport till nämnden"]
    assert str(proposal.planned_end) == "2027-02-28"


def test_edit_with_end_before_start_shows_swedish_error(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    client.force_login(proposal.responsible_researcher)
    data = {
        "title": proposal.title,
        "work_form": "projekt",
        "responsible_researcher": proposal.responsible_researcher.pk,
        "planned_start": "2027-03-01",
        "planned_end": "2026-02-28",
    }
    response = client.post(reverse("applications:proposal_edit", args=[proposal.pk]), data)
    assert response.status_code == 200
    assert "Slutdatum måste ligga efter startdatum." in response.content.decode()


def test_template_guidance_is_shown_escaped_never_as_html(client):
    proposal = ProposalFactory(state=S.APPLICATION)
    template = ProposalTemplateFactory(agreement=proposal.agreement)
    TemplateSectionFactory(template=template, title="Syfte", guidance="<script>alert('x')</script>")
    proposal.application_template = template
    proposal.save()
    client.force_login(proposal.responsible_researcher)
    html = client.get(reverse("applications:proposal_sections", args=[proposal.pk])).content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;" in html


def test_history_cannot_be_rewritten_in_bulk_nor_deleted_with_its_proposal():
    from django.core.exceptions import ValidationError
    from django.db.models import ProtectedError

    proposal = ProposalFactory()
    ProposalTransition.objects.create(
        proposal=proposal, transition="create", source="dialog", target="dialog"
    )
    with pytest.raises(ValidationError):
        ProposalTransition.objects.filter(proposal=proposal).update(comment="ändrad")
    with pytest.raises(ValidationError):
        ProposalTransition.objects.filter(proposal=proposal).delete()
    with pytest.raises(ProtectedError):
        proposal.delete()
    assert ProposalTransition.objects.filter(proposal=proposal, comment="").count() == 1


def test_project_account_only_by_processledare_and_only_for_granted_proposals():
    from django.core.exceptions import PermissionDenied, ValidationError

    from applications.services import proposal_set_project_account

    proposal = ProposalFactory(state=S.GRANTED)
    leader = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    with pytest.raises(PermissionDenied):
        proposal_set_project_account(proposal=proposal, by=proposal.responsible_researcher, account="1234-56")
    with pytest.raises(ValidationError):
        proposal_set_project_account(proposal=proposal, by=leader, account="   ")
    proposal_set_project_account(proposal=proposal, by=leader, account=" 1234-56 ")
    proposal.refresh_from_db()
    assert proposal.project_account == "1234-56"
    active = ProposalFactory(state=S.ACTIVE, agreement=proposal.agreement)
    with pytest.raises(ValidationError):
        proposal_set_project_account(proposal=active, by=leader, account="999")
