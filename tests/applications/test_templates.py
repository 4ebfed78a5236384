import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.demo_templates import load_templates
from applications.enums import TemplateStage, WorkForm
from applications.models import ProposalTemplate, TemplateSection
from samverkan.enums import Role
from tests.factories.samverkan import AgreementFactory, person_with_role

pytestmark = pytest.mark.django_db

SECTIONS = [
    {"title": "Bakgrund och syfte", "guidance": "Varför?", "required": True, "max_length": 3000},
    {"title": "Forskningsfråga och metod", "guidance": "Hur?", "required": True, "max_length": None},
    {"title": "Resultatspridning", "guidance": "Till vem?", "required": False, "max_length": 2000},
]


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return person_with_role(agreement, Role.PROCESS_LEADER)


@pytest.fixture
def template(agreement, leader):
    return services.template_create(
        agreement=agreement,
        by=leader,
        stage=TemplateStage.APPLICATION,
        work_form="",
        title="Ansökan – förstudie och projekt",
        introduction="Skriv kort.",
        sections=SECTIONS,
    )


def snapshot(template):
    template.refresh_from_db()
    return (
        template.title,
        template.introduction,
        template.version,
        [(s.pk, s.order, s.title, s.guidance, s.required, s.max_length) for s in template.sections.all()],
    )


def as_dicts(template):
    return [
        {"title": s.title, "guidance": s.guidance, "required": s.required, "max_length": s.max_length}
        for s in template.sections.all()
    ]


# --- services: versioning -----------------------------------------------------------------------------------


def test_template_create_makes_a_current_version_1_with_ordered_sections(template, leader):
    assert template.version == 1 and template.is_current
    assert template.created_by == leader
    assert [(s.order, s.title, s.required, s.max_length) for s in template.sections.all()] == [
        (1, "Bakgrund och syfte", True, 3000),
        (2, "Forskningsfråga och metod", True, None),
        (3, "Resultatspridning", False, 2000),
    ]


def test_new_version_is_version_2_and_version_1_is_unchanged(template, leader):
    before = snapshot(template)
    sections = [
        *as_dicts(template),
        {"title": "Budgetmotivering", "guidance": "Motivera", "max_length": 1500},
    ]
    sections[0]["guidance"] = "Ny vägledning"

    new = services.template_new_version(
        template=template,
        by=leader,
        title="Ansökan (reviderad)",
        introduction="Ny inledning",
        sections=sections,
    )

    assert new.version == 2 and new.is_current and new.pk != template.pk
    assert [s.title for s in new.sections.all()][-1] == "Budgetmotivering"
    assert new.sections.first().guidance == "Ny vägledning"
    assert snapshot(template) == before
    assert template.is_current is False


def test_proposal_created_under_version_1_keeps_version_1_and_its_sections(template, agreement, leader):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    old_proposal = services.proposal_create(
        agreement=agreement, by=researcher, title="Barns hälsa", work_form="projekt"
    )
    assert old_proposal.application_template == template
    old_sections = list(template.sections.values_list("pk", "title", "guidance"))

    new = services.template_new_version(
        template=template, by=leader, title="Ansökan v2", introduction="", sections=as_dicts(template)[:1]
    )

    old_proposal.refresh_from_db()
    assert old_proposal.application_template_id == template.pk
    assert (
        list(old_proposal.application_template.sections.values_list("pk", "title", "guidance"))
        == old_sections
    )
    new_proposal = services.proposal_create(
        agreement=agreement, by=researcher, title="Nytt", work_form="projekt"
    )
    assert new_proposal.application_template_id == new.pk


def test_only_one_current_version_per_stage_and_work_form(template, agreement, leader):
    again = services.template_create(
        agreement=agreement,
        by=leader,
        stage=TemplateStage.APPLICATION,
        work_form="",
        title="Igen",
        introduction="",
        sections=SECTIONS[:1],
    )
    programme = services.template_create(
        agreement=agreement,
        by=leader,
        stage=TemplateStage.APPLICATION,
        work_form=WorkForm.PROGRAMME,
        title="Program",
        introduction="",
        sections=SECTIONS[:1],
    )
    assert again.version == 2  # the existing family's next version, not an error
    assert programme.version == 1
    current = ProposalTemplate.objects.filter(agreement=agreement, is_current=True)
    assert sorted(current.values_list("work_form", "version")) == [("", 2), (WorkForm.PROGRAMME, 1)]
    template.refresh_from_db()
    assert not template.is_current


def test_editing_an_old_version_makes_the_next_version(template, leader):
    v2 = services.template_new_version(template=template, by=leader, title="v2", sections=SECTIONS[:1])
    v3 = services.template_new_version(
        template=template, by=leader, title="v1 igen", sections=as_dicts(template)
    )
    assert (v2.version, v3.version) == (2, 3)
    assert list(ProposalTemplate.objects.filter(is_current=True)) == [v3]


def test_stale_new_version_is_refused_and_nothing_is_saved(template, leader):
    services.template_new_version(
        template=template, by=leader, title="v2", sections=SECTIONS[:1], expected_version=1
    )
    with pytest.raises(ValidationError, match="Någon annan har sparat en ny version"):
        services.template_new_version(
            template=template, by=leader, title="v2 till", sections=SECTIONS, expected_version=1
        )
    assert ProposalTemplate.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sections": []}, "Mallen måste ha minst ett avsnitt."),
        ({"title": "   "}, "Mallen måste ha en rubrik."),
        ({"sections": [{"title": ""}]}, "Avsnitt 1: varje avsnitt måste ha en rubrik."),
        (
            {"sections": [{"title": "A"}, {"title": "B", "max_length": -5}]},
            "Avsnitt 2: max antal tecken måste vara",
        ),
        ({"sections": [{"title": "A", "max_length": 0}]}, "positivt heltal"),
        ({"sections": [{"title": "A", "max_length": "många"}]}, "positivt heltal"),
    ],
    ids=[
        "no-sections",
        "empty-title",
        "empty-section-title",
        "negative-max-length",
        "zero-max-length",
        "text",
    ],
)
def test_bad_input_is_refused_in_swedish_and_nothing_is_saved(template, leader, changes, message):
    before = (ProposalTemplate.objects.count(), TemplateSection.objects.count(), snapshot(template))
    arguments = {"title": "Ny", "introduction": "", "sections": SECTIONS, **changes}
    with pytest.raises(ValidationError) as refused:
        services.template_new_version(template=template, by=leader, **arguments)
    assert message in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.template_create(
            agreement=template.agreement, by=leader, stage=TemplateStage.PITCH, work_form="", **arguments
        )
    template.refresh_from_db()
    assert template.is_current
    assert (ProposalTemplate.objects.count(), TemplateSection.objects.count(), snapshot(template)) == before


@pytest.mark.parametrize("role", [Role.COMMUNICATOR, Role.RESEARCHER, Role.REVIEW_MEMBER], ids=str)
def test_only_processledare_may_write_templates(template, agreement, role):
    user = person_with_role(agreement, role)
    with pytest.raises(PermissionDenied):
        services.template_new_version(template=template, by=user, title="X", sections=SECTIONS)
    with pytest.raises(PermissionDenied):
        services.template_create(
            agreement=agreement, by=user, stage=TemplateStage.PITCH, title="X", sections=SECTIONS
        )
    assert ProposalTemplate.objects.count() == 1


def test_processledare_of_another_agreement_may_not_write_templates(template):
    other = person_with_role(AgreementFactory(), Role.PROCESS_LEADER)
    with pytest.raises(PermissionDenied):
        services.template_new_version(template=template, by=other, title="X", sections=SECTIONS)
    assert ProposalTemplate.objects.count() == 1


# --- views: permission matrix -------------------------------------------------------------------------------

VIEWS = ["list", "create", "detail", "new_version"]


def url_of(view, template):
    return {
        "list": reverse("applications:template_list"),
        "create": reverse("applications:template_create"),
        "detail": reverse("applications:template_detail", args=[template.pk]),
        "new_version": reverse("applications:template_new_version", args=[template.pk]),
    }[view]


EXPECTED = {
    # who: (list, create, detail, new_version)
    "forskare": (403, 403, 403, 403),
    "tjansteperson": (403, 403, 403, 403),
    "kommunikator": (200, 403, 200, 403),
    "processledare": (200, 200, 200, 200),
    "processledare-other-agreement": (200, 200, 403, 403),
}


def user_for(who, agreement):
    if who == "processledare-other-agreement":
        return person_with_role(AgreementFactory(), Role.PROCESS_LEADER)
    role = {
        "forskare": Role.RESEARCHER,
        "tjansteperson": Role.OFFICER,
        "kommunikator": Role.COMMUNICATOR,
        "processledare": Role.PROCESS_LEADER,
    }[who]
    return person_with_role(agreement, role)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix(client, template, agreement, who, view):
    client.force_login(user_for(who, agreement))
    assert client.get(url_of(view, template)).status_code == EXPECTED[who][VIEWS.index(view)]


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_is_sent_to_login(client, template, view):
    response = client.get(url_of(view, template))
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_list_of_processledare_of_another_agreement_does_not_show_this_agreement(client, template):
    client.force_login(user_for("processledare-other-agreement", template.agreement))
    html = client.get(url_of("list", template)).content.decode()
    assert template.title not in html and template.agreement.name not in html


def test_create_form_of_processledare_of_another_agreement_does_not_offer_this_agreement(client, template):
    client.force_login(user_for("processledare-other-agreement", template.agreement))
    response = client.post(url_of("create", template), form_data(template=None, agreement=template.agreement))
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert ProposalTemplate.objects.count() == 1


@pytest.mark.parametrize("who", ["forskare", "kommunikator", "processledare-other-agreement"], ids=str)
def test_post_new_version_by_others_is_forbidden_and_changes_nothing(client, template, agreement, who):
    client.force_login(user_for(who, agreement))
    response = client.post(url_of("new_version", template), form_data(template=template))
    assert response.status_code == 403
    assert ProposalTemplate.objects.count() == 1


def test_post_create_by_kommunikator_is_forbidden(client, template, agreement):
    client.force_login(user_for("kommunikator", agreement))
    response = client.post(url_of("create", template), form_data(template=None, agreement=agreement))
    assert response.status_code == 403
    assert ProposalTemplate.objects.count() == 1


# --- views: forms -------------------------------------------------------------------------------------------


def form_data(*, template=None, agreement=None, sections=None, extra=(), title="Ansökan", **overrides):
    """POST data as the form sends it: existing sections first (INITIAL_FORMS), then filled-in new ones."""
    existing = sections if sections is not None else (as_dicts(template) if template else [])
    rows = [*existing, *extra]
    data = {
        "title": title,
        "introduction": "Inledning",
        "sections-TOTAL_FORMS": str(len(rows) + 1),  # plus one blank, unchanged extra form
        "sections-INITIAL_FORMS": str(len(existing)),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
    if template is not None:
        data["expected_version"] = str(template.version)
    else:
        data.update({"agreement": str(agreement.pk), "stage": TemplateStage.PITCH, "work_form": ""})
    for index, row in enumerate(rows):
        prefix = f"sections-{index}-"
        data[prefix + "title"] = row.get("title", "")
        data[prefix + "guidance"] = row.get("guidance", "")
        data[prefix + "max_length"] = "" if row.get("max_length") is None else str(row["max_length"])
        data[prefix + "order"] = str(row.get("order", index + 1))
        if row.get("required", True):
            data[prefix + "required"] = "on"
        if row.get("delete"):
            data[prefix + "DELETE"] = "on"
    blank = f"sections-{len(rows)}-"
    data[blank + "required"] = "on"
    data.update(overrides)
    return data


def test_processledare_makes_a_new_version_adding_a_section(client, template, leader):
    client.force_login(leader)
    page = client.get(url_of("new_version", template)).content.decode()
    assert 'value="Bakgrund och syfte"' in page and 'name="expected_version"' in page

    response = client.post(
        url_of("new_version", template),
        form_data(template=template, extra=[{"title": "Etiska överväganden", "guidance": "Etikprövning?"}]),
    )

    new = ProposalTemplate.objects.get(version=2)
    assert response.status_code == 302 and response.url == url_of("detail", new)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Version 2 av mallen är sparad."]
    assert [s.title for s in new.sections.all()] == [*[s["title"] for s in SECTIONS], "Etiska överväganden"]
    assert template.sections.count() == 3
    html = client.get(response.url).content.decode()
    assert "Version 2" in html and "Etiska överväganden" in html


def test_new_version_can_reorder_and_remove_sections(client, template, leader):
    client.force_login(leader)
    rows = as_dicts(template)
    rows[0]["order"] = 9
    rows[2]["delete"] = True
    client.post(url_of("new_version", template), form_data(template=template, sections=rows))
    new = ProposalTemplate.objects.get(version=2)
    assert [s.title for s in new.sections.all()] == ["Forskningsfråga och metod", "Bakgrund och syfte"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"sections": [{"title": s["title"], "delete": True} for s in SECTIONS]},
            "Mallen måste ha minst ett avsnitt.",
        ),
        ({"title": ""}, "Mallen måste ha en rubrik."),
        ({"sections": [{"title": "A", "max_length": -3}]}, "Max antal tecken måste vara ett positivt heltal"),
        ({"sections": [{"title": "", "guidance": "Text utan rubrik"}]}, "varje avsnitt måste ha en rubrik"),
    ],
    ids=["no-sections", "empty-title", "negative-max-length", "section-without-title"],
)
def test_bad_new_version_shows_swedish_error_and_saves_nothing(client, template, leader, data, message):
    client.force_login(leader)
    before = snapshot(template)
    response = client.post(url_of("new_version", template), form_data(template=template, **data))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Något behöver rättas" in html
    assert message in html
    assert ProposalTemplate.objects.count() == 1
    assert snapshot(template) == before


def test_stale_form_is_refused(client, template, leader):
    client.force_login(leader)
    stale = form_data(template=template)
    client.post(url_of("new_version", template), form_data(template=template))
    response = client.post(url_of("new_version", template), stale)
    assert response.status_code == 200
    assert "Någon annan har sparat en ny version" in response.content.decode()
    assert ProposalTemplate.objects.count() == 2


def test_processledare_creates_a_template(client, agreement, leader):
    client.force_login(leader)
    assert "Ny mall" in client.get(reverse("applications:template_create")).content.decode()
    response = client.post(
        reverse("applications:template_create"),
        form_data(agreement=agreement, sections=[], extra=SECTIONS[:2], title="Pitch"),
    )
    template = ProposalTemplate.objects.get()
    assert response.status_code == 302 and response.url == url_of("detail", template)
    assert (template.stage, template.work_form, template.version) == (TemplateStage.PITCH, "", 1)
    assert [s.title for s in template.sections.all()] == [s["title"] for s in SECTIONS[:2]]


def test_create_without_sections_is_refused(client, agreement, leader):
    client.force_login(leader)
    response = client.post(
        reverse("applications:template_create"), form_data(agreement=agreement, sections=[])
    )
    assert "Mallen måste ha minst ett avsnitt." in response.content.decode()
    assert not ProposalTemplate.objects.exists()


# --- views: pages -------------------------------------------------------------------------------------------


def test_old_version_is_read_only_with_a_note(client, template, leader):
    new = services.template_new_version(template=template, by=leader, title="v2", sections=SECTIONS[:1])
    client.force_login(person_with_role(template.agreement, Role.COMMUNICATOR))
    old_html = client.get(url_of("detail", template)).content.decode()
    assert "Äldre version – används av ärenden som skapades när den gällde" in old_html
    assert "Gör en ny version" not in old_html  # kommunikatör: read only
    current_html = client.get(url_of("detail", new)).content.decode()
    assert "Äldre version – används av" not in current_html
    for section in SECTIONS:
        assert section["title"] in old_html and section["guidance"] in old_html


def test_list_shows_current_templates_with_older_versions_collapsed(client, template, leader):
    services.template_new_version(template=template, by=leader, title="Ansökan v2", sections=SECTIONS[:2])
    client.force_login(leader)
    html = client.get(url_of("list", template)).content.decode()
    assert template.agreement.name in html
    assert "Ansökan v2" in html
    assert "<details" in html and "1 äldre version" in html
    assert '<th scope="col">' in html and '<th scope="row">' in html


def _list_queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("applications:template_list")).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_templates(client, agreement, leader, template):
    one = _list_queries(client, leader)
    for stage in (TemplateStage.PITCH, TemplateStage.PRE_REVIEW, TemplateStage.FINAL_REPORT):
        created = services.template_create(
            agreement=agreement, by=leader, stage=stage, title=str(stage), sections=SECTIONS
        )
        services.template_new_version(template=created, by=leader, title="v2", sections=SECTIONS)
    assert _list_queries(client, leader) == one


# --- demo templates -----------------------------------------------------------------------------------------


def test_demo_templates_are_idempotent_and_realistic(agreement, leader):
    first = load_templates(agreement, leader)
    count = (ProposalTemplate.objects.count(), TemplateSection.objects.count())
    second = load_templates(agreement, leader)
    assert [t.pk for t in first] == [t.pk for t in second]
    assert (ProposalTemplate.objects.count(), TemplateSection.objects.count()) == count
    current = {(t.stage, t.work_form): t for t in ProposalTemplate.objects.filter(is_current=True)}
    assert {
        (TemplateStage.PITCH, ""),
        (TemplateStage.PRE_REVIEW, ""),
        (TemplateStage.APPLICATION, ""),
        (TemplateStage.APPLICATION, WorkForm.PROGRAMME),
        (TemplateStage.APPLICATION, WorkForm.PROFILE_AREA),
        (TemplateStage.FINAL_REPORT, ""),
    } <= set(current)
    application = current[(TemplateStage.APPLICATION, "")]
    titles = [s.title for s in application.sections.all()]
    assert titles == [
        "Bakgrund och syfte",
        "Forskningsfråga och metod",
        "Forskningshöjd",
        "Förankring i kommunen",
        "Leveranser och nytta för kommunen",
        "Resultatspridning",
        "Genomförande och tidplan",
    ]
    assert all(s.max_length and s.guidance for s in application.sections.all())
    pitch_titles = [s.title for s in current[(TemplateStage.PITCH, "")].sections.all()]
    assert pitch_titles == ["Idé och problem", "Vem i kommunen berörs", "Forskningsfrågan", "Nästa steg"]
    final = [s.title for s in current[(TemplateStage.FINAL_REPORT, "")].sections.all()]
    assert "Leveranser jämfört med beslut" in final and "Spridning" in final
