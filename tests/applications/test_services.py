"""Proposal services besides the lifecycle: create (templates pinned, team validated, object permissions),
update (team changes move permissions, a new tjänsteperson must confirm förankring again), förankring and
section texts. Refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from applications import permissions
from applications.enums import ProposalState, TemplateStage, WorkForm
from applications.models import Proposal, ProposalSection, ProposalTransition
from applications.services.proposals import (
    StaleProposal,
    proposal_confirm_anchoring,
    proposal_create,
    proposal_save_sections,
    proposal_update,
)
from samverkan.enums import Role
from samverkan.models import Notification, User
from tests.factories.applications import (
    ProposalFactory,
    ProposalTemplateFactory,
    TemplateSectionFactory,
    anchored,
    with_co_researcher,
)
from tests.factories.samverkan import (
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db
S = ProposalState

RESEARCHER_MUST_HOLD_ROLE = "Ansvarig forskare måste ha rollen forskare i avtalet."
OFFICER_MUST_BE_MUNICIPAL = "Ansvarig tjänsteperson måste ha rollen tjänsteperson i en kommun i avtalet."
ORGANISATIONS_MUST_BE_PARTIES = "Välj kommuner eller bolag som är parter i avtalet."
ANCHORING_ORGANISATION = "Välj en kommun eller ett bolag som är part i avtalet."
STALE = "Ärendet har ändrats av någon annan – ladda om sidan."


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def municipality(agreement):
    return agreement.municipalities.get()


@pytest.fixture
def researcher(agreement):
    return person_with_role(agreement, Role.RESEARCHER)


@pytest.fixture
def officer(agreement, municipality):
    return person_with_role(agreement, Role.OFFICER, organisation=municipality)


@pytest.fixture
def create(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return proposal_create(**kwargs)

    return run


@pytest.fixture
def update(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return proposal_update(**kwargs)

    return run


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return proposal_confirm_anchoring(**kwargs)

    return run


def works_on(user, proposal) -> bool:
    """Whether a freshly loaded person sees and works on the freshly loaded proposal as its team (no
    per-request caches)."""
    fresh_user, fresh = User.objects.get(pk=user.pk), Proposal.objects.get(pk=proposal.pk)
    return permissions.is_team_member(fresh_user, fresh) and permissions.can_view_proposal(fresh_user, fresh)


def stored(proposal):
    return Proposal.objects.get(pk=proposal.pk)


# --- proposal_create ---------------------------------------------------------------------------------------


def test_create_registers_an_idea_in_dialog_with_history(
    create, agreement, researcher, officer, municipality
):
    proposal = create(
        agreement=agreement,
        by=researcher,
        title="Barns hälsa i skolan",
        responsible_officer=officer,
        municipal_organisations=[municipality],
        summary="En idé.",
    )

    proposal = stored(proposal)
    assert proposal.state == S.DIALOG
    assert (proposal.responsible_researcher, proposal.responsible_officer) == (researcher, officer)
    assert list(proposal.municipal_organisations.all()) == [municipality]
    assert proposal.summary == "En idé."
    [row] = ProposalTransition.objects.filter(proposal=proposal)
    assert (row.transition, row.source, row.target, row.by, row.comment) == (
        "create",
        S.DIALOG,
        S.DIALOG,
        researcher,
        "Idé registrerad",
    )


def test_create_pins_the_current_templates(create, agreement, researcher):
    pitch = ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.PITCH)
    application = ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.APPLICATION)
    ProposalTemplateFactory(agreement=AgreementFactory(), stage=TemplateStage.APPLICATION)

    proposal = create(agreement=agreement, by=researcher, title="Idé")

    assert (proposal.pitch_template, proposal.application_template) == (pitch, application)


def test_create_keeps_its_template_when_a_new_version_becomes_current(create, agreement, researcher):
    first = ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.APPLICATION, version=1)
    proposal = create(agreement=agreement, by=researcher, title="Tidig idé")

    first.is_current = False
    first.save()
    second = ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.APPLICATION, version=2)
    later = create(agreement=agreement, by=researcher, title="Senare idé")

    assert stored(proposal).application_template == first
    assert stored(later).application_template == second


def test_create_prefers_the_work_forms_own_template(create, agreement, researcher):
    ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.APPLICATION, work_form="")
    own = ProposalTemplateFactory(
        agreement=agreement, stage=TemplateStage.APPLICATION, work_form=WorkForm.PRE_STUDY
    )

    proposal = create(agreement=agreement, by=researcher, title="Förstudie", work_form=WorkForm.PRE_STUDY)

    assert proposal.application_template == own


def test_create_without_templates_leaves_them_empty(create, agreement, researcher):
    ProposalTemplateFactory(agreement=agreement, stage=TemplateStage.APPLICATION, is_current=False)

    proposal = create(agreement=agreement, by=researcher, title="Idé")

    assert proposal.pitch_template is None and proposal.application_template is None


def test_create_gives_the_team_object_permissions(create, agreement, researcher, officer):
    co = person_with_role(agreement, Role.RESEARCHER)
    leader = person_with_role(agreement, Role.PROCESS_LEADER)

    proposal = create(
        agreement=agreement,
        by=leader,
        title="Idé",
        responsible_researcher=researcher,
        responsible_officer=officer,
        researchers=[co],
    )

    for member in (researcher, officer, co):
        assert works_on(member, proposal)
    assert not works_on(leader, proposal)
    assert not works_on(person_with_role(agreement, Role.RESEARCHER), proposal)


def test_create_tells_the_team_except_the_creator(create, mailoutbox, agreement, researcher, officer):
    co = person_with_role(agreement, Role.RESEARCHER)

    proposal = create(
        agreement=agreement, by=researcher, title="Idé", responsible_officer=officer, researchers=[co]
    )

    assert sorted(mail.to[0] for mail in mailoutbox) == sorted([officer.email, co.email])
    assert all(mail.subject == f'Du är med i ärendet "{proposal.title}"' for mail in mailoutbox)
    assert set(Notification.objects.values_list("user", flat=True)) == {officer.pk, co.pk}


@pytest.mark.parametrize(
    "role",
    [Role.COMMUNICATOR, Role.REVIEW_MEMBER, Role.STEERING_MEMBER, None],
    ids=["kommunikator", "beredningsledamot", "styrgruppsledamot", "no-role"],
)
def test_create_is_refused_to_people_without_an_applicant_role(
    role, create, mailoutbox, agreement, researcher
):
    by = person_with_role(agreement, role) if role else UserFactory()

    with pytest.raises(PermissionDenied):
        create(agreement=agreement, by=by, title="Idé", responsible_researcher=researcher)

    assert not Proposal.objects.exists() and not mailoutbox


def test_create_is_refused_to_anonymous(create, agreement, researcher):
    with pytest.raises(PermissionDenied):
        create(agreement=agreement, by=AnonymousUser(), title="Idé", responsible_researcher=researcher)

    assert not Proposal.objects.exists()


def _officer_as_researcher(agreement, municipality):
    return {"responsible_researcher": person_with_role(agreement, Role.OFFICER, organisation=municipality)}


def _researcher_of_another_agreement(agreement, municipality):
    return {"responsible_researcher": person_with_role(AgreementFactory(), Role.RESEARCHER)}


def _former_researcher(agreement, municipality):
    person = person_with_role(
        agreement, Role.RESEARCHER, valid_from=datetime.date(2024, 1, 1), valid_to=datetime.date(2024, 12, 31)
    )
    return {"responsible_researcher": person}


def _officer_for_the_university(agreement, municipality):
    return {"responsible_officer": person_with_role(agreement, Role.OFFICER)}


def _researcher_as_officer(agreement, municipality):
    return {"responsible_officer": person_with_role(agreement, Role.RESEARCHER, organisation=municipality)}


def _officer_of_another_agreement(agreement, municipality):
    other = AgreementFactory()
    return {
        "responsible_officer": person_with_role(other, Role.OFFICER, organisation=other.municipalities.get())
    }


def _municipality_outside_the_agreement(agreement, municipality):
    return {"municipal_organisations": [MunicipalityFactory()]}


def _the_university_as_municipal_organisation(agreement, municipality):
    return {"municipal_organisations": [agreement.university]}


INVALID_TEAMS = [
    pytest.param(
        _officer_as_researcher,
        "responsible_researcher",
        RESEARCHER_MUST_HOLD_ROLE,
        id="officer-as-researcher",
    ),
    pytest.param(
        _researcher_of_another_agreement,
        "responsible_researcher",
        RESEARCHER_MUST_HOLD_ROLE,
        id="researcher-of-another-agreement",
    ),
    pytest.param(
        _former_researcher, "responsible_researcher", RESEARCHER_MUST_HOLD_ROLE, id="former-researcher"
    ),
    pytest.param(
        _officer_for_the_university,
        "responsible_officer",
        OFFICER_MUST_BE_MUNICIPAL,
        id="officer-for-university",
    ),
    pytest.param(
        _researcher_as_officer, "responsible_officer", OFFICER_MUST_BE_MUNICIPAL, id="researcher-as-officer"
    ),
    pytest.param(
        _officer_of_another_agreement,
        "responsible_officer",
        OFFICER_MUST_BE_MUNICIPAL,
        id="officer-of-another-agreement",
    ),
    pytest.param(
        _municipality_outside_the_agreement,
        "municipal_organisations",
        ORGANISATIONS_MUST_BE_PARTIES,
        id="municipality-outside-agreement",
    ),
    pytest.param(
        _the_university_as_municipal_organisation,
        "municipal_organisations",
        ORGANISATIONS_MUST_BE_PARTIES,
        id="university-as-municipal-organisation",
    ),
]


@pytest.mark.parametrize(("make", "field", "message"), INVALID_TEAMS)
def test_create_refuses_an_invalid_team_in_swedish(
    make, field, message, create, mailoutbox, agreement, municipality, researcher, officer
):
    leader = person_with_role(agreement, Role.PROCESS_LEADER)
    team = {
        "responsible_researcher": researcher,
        "responsible_officer": officer,
        "municipal_organisations": [],
    }
    team.update(make(agreement, municipality))

    with pytest.raises(ValidationError) as error:
        create(agreement=agreement, by=leader, title="Idé", **team)

    assert error.value.message_dict == {field: [message]}
    assert not Proposal.objects.exists()
    assert not ProposalTransition.objects.exists() and not mailoutbox


def test_create_refuses_an_officer_creating_for_themself_as_researcher(create, agreement, officer):
    with pytest.raises(ValidationError) as error:
        create(agreement=agreement, by=officer, title="Idé", responsible_officer=officer)

    assert error.value.message_dict == {"responsible_researcher": [RESEARCHER_MUST_HOLD_ROLE]}


def test_create_refuses_a_co_researcher_without_the_researcher_role(create, agreement, researcher):
    outsider = UserFactory()

    with pytest.raises(ValidationError):
        create(agreement=agreement, by=researcher, title="Idé", researchers=[outsider])

    assert not Proposal.objects.exists()


def test_create_accepts_a_municipal_company_of_a_party(create, agreement, municipality, researcher):
    company = CompanyFactory(parent=municipality)
    company_officer = person_with_role(agreement, Role.OFFICER, organisation=company)

    proposal = create(
        agreement=agreement,
        by=researcher,
        title="Idé",
        responsible_officer=company_officer,
        municipal_organisations=[company],
    )

    assert stored(proposal).responsible_officer == company_officer


def test_create_refuses_a_period_that_ends_before_it_starts(create, agreement, researcher):
    with pytest.raises(ValidationError) as error:
        create(
            agreement=agreement,
            by=researcher,
            title="Idé",
            planned_start=datetime.date(2027, 1, 1),
            planned_end=datetime.date(2026, 1, 1),
        )

    assert "Slutdatum måste ligga efter startdatum." in error.value.messages
    assert not Proposal.objects.exists()


# --- proposal_update ---------------------------------------------------------------------------------------


def test_update_with_a_new_officer_resets_anchoring_and_moves_permissions(update, mailoutbox):
    proposal = anchored(ProposalFactory(state=S.APPLICATION))
    old_officer = proposal.responsible_officer
    new_officer = person_with_role(
        proposal.agreement, Role.OFFICER, organisation=proposal.agreement.municipalities.get()
    )
    assert works_on(old_officer, proposal)

    update(proposal=proposal, by=proposal.responsible_researcher, responsible_officer=new_officer)

    proposal = stored(proposal)
    assert proposal.responsible_officer == new_officer
    assert proposal.anchoring_confirmed_at is None and proposal.anchoring_confirmed_by is None
    assert not works_on(old_officer, proposal)
    assert works_on(new_officer, proposal)
    assert not permissions.is_team_member(User.objects.get(pk=old_officer.pk), proposal)
    assert [mail.to for mail in mailoutbox] == [[new_officer.email]]


def test_update_keeping_the_officer_keeps_anchoring(update):
    proposal = anchored(ProposalFactory(state=S.APPLICATION))
    confirmed_at = proposal.anchoring_confirmed_at

    update(
        proposal=proposal,
        by=proposal.responsible_researcher,
        responsible_officer=proposal.responsible_officer,
        title="Ny titel",
    )

    proposal = stored(proposal)
    assert proposal.title == "Ny titel"
    assert proposal.anchoring_confirmed_at == confirmed_at


def test_update_with_an_invalid_officer_changes_nothing(update, mailoutbox):
    proposal = anchored(ProposalFactory(state=S.APPLICATION))
    old_officer = proposal.responsible_officer
    university_officer = person_with_role(proposal.agreement, Role.OFFICER)

    with pytest.raises(ValidationError) as error:
        update(proposal=proposal, by=proposal.responsible_researcher, responsible_officer=university_officer)

    assert error.value.message_dict == {"responsible_officer": [OFFICER_MUST_BE_MUNICIPAL]}
    proposal = stored(proposal)
    assert proposal.responsible_officer == old_officer and proposal.anchoring_confirmed_at is not None
    assert works_on(old_officer, proposal)
    assert not works_on(university_officer, proposal)
    assert not mailoutbox


def test_update_moves_permissions_with_co_researchers(update):
    proposal = ProposalFactory(state=S.DIALOG)
    leaving = with_co_researcher(proposal)
    joining = person_with_role(proposal.agreement, Role.RESEARCHER)

    update(proposal=proposal, by=proposal.responsible_researcher, researchers=[joining])

    assert not works_on(leaving, proposal)
    assert works_on(joining, proposal)


def test_update_refuses_a_co_researcher_without_the_researcher_role(update):
    proposal = ProposalFactory(state=S.DIALOG)
    outsider = UserFactory()

    with pytest.raises(ValidationError):
        update(proposal=proposal, by=proposal.responsible_researcher, researchers=[outsider])

    assert not stored(proposal).researchers.exists()
    assert not works_on(outsider, proposal)


@pytest.mark.parametrize(
    "who",
    ["anonymous", "unrelated", "processledare", "kommunikator", "researcher-outside-team"],
)
def test_update_is_refused_to_people_outside_the_team(who, update):
    proposal = ProposalFactory(state=S.APPLICATION)
    user = {
        "anonymous": AnonymousUser,
        "unrelated": UserFactory,
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "kommunikator": lambda: person_with_role(proposal.agreement, Role.COMMUNICATOR),
        "researcher-outside-team": lambda: person_with_role(proposal.agreement, Role.RESEARCHER),
    }[who]()

    with pytest.raises(PermissionDenied):
        update(proposal=proposal, by=user, title="Kapad")

    assert stored(proposal).title == proposal.title


@pytest.mark.parametrize("state", [S.SUBMITTED, S.IN_REVIEW, S.GRANTED, S.WITHDRAWN])
def test_update_is_refused_once_the_application_is_submitted(state, update):
    proposal = ProposalFactory(state=state)

    with pytest.raises(PermissionDenied):
        update(proposal=proposal, by=proposal.responsible_researcher, title="Ändrad")

    assert stored(proposal).title == proposal.title


def test_update_with_a_stale_state_is_refused(update):
    proposal = ProposalFactory(state=S.SUBMITTED)

    with pytest.raises(StaleProposal) as stale:
        update(proposal=proposal, by=proposal.responsible_researcher, expected_state=S.APPLICATION, title="X")

    assert str(stale.value) == STALE
    assert stored(proposal).title == proposal.title


# --- proposal_confirm_anchoring ----------------------------------------------------------------------------


def test_confirm_anchoring_by_the_responsible_officer(confirm, mailoutbox):
    proposal = ProposalFactory(state=S.APPLICATION)
    municipality = proposal.agreement.municipalities.get()
    officer = proposal.responsible_officer

    confirm(proposal=proposal, by=officer, organisation=municipality)

    proposal = stored(proposal)
    assert proposal.anchoring_confirmed()
    assert (proposal.anchoring_organisation, proposal.anchoring_confirmed_by) == (municipality, officer)
    assert [mail.to for mail in mailoutbox] == [[proposal.responsible_researcher.email]]
    assert mailoutbox[0].subject == f"Förankring bekräftad: {proposal.title}"


def test_confirm_anchoring_in_a_municipal_company(confirm):
    proposal = ProposalFactory(state=S.DIALOG)
    company = CompanyFactory(parent=proposal.agreement.municipalities.get())

    confirm(proposal=proposal, by=proposal.responsible_officer, organisation=company)

    assert stored(proposal).anchoring_organisation == company


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "unrelated",
        "responsible-researcher",
        "co-researcher",
        "other-officer-same-municipality",
        "processledare",
        "deactivated-responsible-officer",
    ],
)
def test_confirm_anchoring_is_refused_to_anyone_but_the_responsible_officer(who, confirm, mailoutbox):
    proposal = ProposalFactory(state=S.APPLICATION)
    municipality = proposal.agreement.municipalities.get()
    if who == "deactivated-responsible-officer":
        proposal.responsible_officer.is_active = False
        proposal.responsible_officer.save()
    user = {
        "anonymous": AnonymousUser,
        "unrelated": UserFactory,
        "responsible-researcher": lambda: proposal.responsible_researcher,
        "co-researcher": lambda: with_co_researcher(proposal),
        "other-officer-same-municipality": lambda: person_with_role(
            proposal.agreement, Role.OFFICER, organisation=municipality
        ),
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "deactivated-responsible-officer": lambda: proposal.responsible_officer,
    }[who]()

    with pytest.raises(PermissionDenied):
        confirm(proposal=proposal, by=user, organisation=municipality)

    assert not stored(proposal).anchoring_confirmed()
    assert not mailoutbox and not Notification.objects.exists()


def test_confirm_anchoring_is_refused_after_submission(confirm):
    proposal = ProposalFactory(state=S.SUBMITTED)

    with pytest.raises(PermissionDenied):
        confirm(
            proposal=proposal,
            by=proposal.responsible_officer,
            organisation=proposal.agreement.municipalities.get(),
        )

    assert not stored(proposal).anchoring_confirmed()


@pytest.mark.parametrize("where", ["university", "other-municipality"])
def test_confirm_anchoring_outside_the_municipal_parties_is_refused(where, confirm, mailoutbox):
    proposal = ProposalFactory(state=S.APPLICATION)
    organisation = proposal.agreement.university if where == "university" else MunicipalityFactory()

    with pytest.raises(ValidationError) as error:
        confirm(proposal=proposal, by=proposal.responsible_officer, organisation=organisation)

    assert error.value.message_dict == {"organisation": [ANCHORING_ORGANISATION]}
    assert not stored(proposal).anchoring_confirmed()
    assert not mailoutbox


def test_former_officer_cannot_confirm_anchoring_after_being_replaced(update, confirm):
    proposal = ProposalFactory(state=S.APPLICATION)
    municipality = proposal.agreement.municipalities.get()
    old_officer = proposal.responsible_officer
    new_officer = person_with_role(proposal.agreement, Role.OFFICER, organisation=municipality)
    update(proposal=proposal, by=proposal.responsible_researcher, responsible_officer=new_officer)

    with pytest.raises(PermissionDenied):
        confirm(proposal=proposal, by=old_officer, organisation=municipality)
    confirm(proposal=proposal, by=new_officer, organisation=municipality)

    assert stored(proposal).anchoring_confirmed_by == new_officer


# --- proposal_save_sections --------------------------------------------------------------------------------


@pytest.fixture
def writable():
    """An application under work with a template of a short (max 10 characters) and a free section."""
    proposal = ProposalFactory(state=S.APPLICATION)
    template = ProposalTemplateFactory(agreement=proposal.agreement)
    short = TemplateSectionFactory(template=template, title="Kort sammanfattning", max_length=10)
    free = TemplateSectionFactory(template=template, title="Metod")
    proposal.application_template = template
    proposal.save()
    return proposal, short, free


def texts_of(proposal):
    return dict(ProposalSection.objects.filter(proposal=proposal).values_list("section__title", "text"))


def test_save_sections_stores_the_texts(writable):
    proposal, short, free = writable
    researcher = proposal.responsible_researcher

    proposal_save_sections(proposal=proposal, by=researcher, texts={short.pk: "Kort.", free.pk: "  Enkät.\n"})

    assert texts_of(proposal) == {"Kort sammanfattning": "Kort.", "Metod": "Enkät."}
    assert set(ProposalSection.objects.values_list("updated_by", flat=True)) == {researcher.pk}


def test_save_sections_accepts_exactly_the_maximum(writable):
    proposal, short, _ = writable

    proposal_save_sections(proposal=proposal, by=proposal.responsible_officer, texts={short.pk: "x" * 10})

    assert texts_of(proposal) == {"Kort sammanfattning": "x" * 10}


def test_save_sections_over_the_maximum_is_refused_in_swedish_and_saves_nothing(writable):
    proposal, short, free = writable
    proposal_save_sections(proposal=proposal, by=proposal.responsible_researcher, texts={free.pk: "Första."})

    with pytest.raises(ValidationError) as error:
        proposal_save_sections(
            proposal=proposal,
            by=proposal.responsible_researcher,
            texts={free.pk: "Andra versionen.", short.pk: "Elva tecken"},
        )

    assert error.value.message_dict == {
        f"section_{short.pk}": ["Kort sammanfattning: högst 10 tecken (nu 11)."]
    }
    assert texts_of(proposal) == {"Metod": "Första."}


def test_save_sections_refuses_a_section_of_another_template(writable):
    proposal, short, _ = writable
    foreign = TemplateSectionFactory()

    with pytest.raises(ValidationError) as error:
        proposal_save_sections(
            proposal=proposal, by=proposal.responsible_researcher, texts={short.pk: "Ok", foreign.pk: "X"}
        )

    assert error.value.messages == ["Avsnittet hör inte till ärendets mall."]
    assert texts_of(proposal) == {}


def test_save_sections_in_pitch_uses_the_pitch_template(writable):
    proposal, short, _ = writable
    pitch = ProposalTemplateFactory(agreement=proposal.agreement, stage=TemplateStage.PITCH)
    idea = TemplateSectionFactory(template=pitch, title="Idén i korthet")
    Proposal.objects.filter(pk=proposal.pk).update(state=S.PITCH, pitch_template=pitch)
    proposal = stored(proposal)

    proposal_save_sections(proposal=proposal, by=proposal.responsible_researcher, texts={idea.pk: "Idé."})
    with pytest.raises(ValidationError):
        proposal_save_sections(proposal=proposal, by=proposal.responsible_researcher, texts={short.pk: "Nej"})

    assert texts_of(proposal) == {"Idén i korthet": "Idé."}


@pytest.mark.parametrize("who", ["anonymous", "unrelated", "processledare", "researcher-outside-team"])
def test_save_sections_is_refused_to_people_outside_the_team(who, writable):
    proposal, short, _ = writable
    user = {
        "anonymous": AnonymousUser,
        "unrelated": UserFactory,
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "researcher-outside-team": lambda: person_with_role(proposal.agreement, Role.RESEARCHER),
    }[who]()

    with pytest.raises(PermissionDenied):
        proposal_save_sections(proposal=proposal, by=user, texts={short.pk: "Kapad"})

    assert texts_of(proposal) == {}


def test_save_sections_is_refused_after_submission(writable):
    proposal, short, _ = writable
    Proposal.objects.filter(pk=proposal.pk).update(state=S.SUBMITTED)

    with pytest.raises(PermissionDenied):
        proposal_save_sections(
            proposal=stored(proposal), by=proposal.responsible_researcher, texts={short.pk: "Sent"}
        )

    assert texts_of(proposal) == {}
