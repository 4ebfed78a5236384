"""'Mina ärenden', the pipeline board, its CSV export, next steps and the start-page sections."""

import csv
import datetime
import io
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications import next_steps
from applications.enums import END_STATES, ProposalState, WorkForm
from applications.models import Proposal, ProposalSection
from samverkan.enums import Role
from tests.factories.applications import (
    ProposalFactory,
    ProposalTemplateFactory,
    TemplateSectionFactory,
    anchored,
    with_sections,
)
from tests.factories.budget import with_budget
from tests.factories.samverkan import (
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db
S = ProposalState
MY = reverse("applications:my_proposals")
PIPELINE = reverse("applications:pipeline")
CSV_URL = reverse("applications:pipeline_csv")


# --- arrange ------------------------------------------------------------------------------------------------


@pytest.fixture
def world():
    """One agreement with two municipalities (one with a company), its people, and a second agreement."""
    eskilstuna, vasteras = (
        MunicipalityFactory(name="Eskilstuna kommun"),
        MunicipalityFactory(name="Västerås stad"),
    )
    energy = CompanyFactory(name="Eskilstuna Energi och Miljö AB", parent=eskilstuna)
    agreement = AgreementFactory(municipalities=[eskilstuna, vasteras])
    researcher = person_with_role(
        agreement, Role.RESEARCHER, user__first_name="Maria", user__last_name="Nilsson"
    )
    other_researcher = person_with_role(
        agreement, Role.RESEARCHER, user__first_name="Ahmed", user__last_name="Hassan"
    )
    officer = person_with_role(
        agreement, Role.OFFICER, organisation=eskilstuna, user__first_name="Lena", user__last_name="Karlsson"
    )
    energy_officer = person_with_role(
        agreement, Role.OFFICER, organisation=energy, user__first_name="Peter", user__last_name="Ek"
    )
    other = AgreementFactory()
    return {
        "agreement": agreement,
        "eskilstuna": eskilstuna,
        "vasteras": vasteras,
        "energy": energy,
        "researcher": researcher,
        "other_researcher": other_researcher,
        "officer": officer,
        "energy_officer": energy_officer,
        "leader": person_with_role(agreement, Role.PROCESS_LEADER),
        "communicator": person_with_role(agreement, Role.COMMUNICATOR),
        "other_agreement": other,
        "other_leader": person_with_role(other, Role.PROCESS_LEADER),
    }


def proposal(world, *, title, researcher=None, officer="default", orgs=(), **kwargs):
    p = ProposalFactory(
        agreement=world["agreement"],
        title=title,
        responsible_researcher=researcher or world["researcher"],
        responsible_officer=world["officer"] if officer == "default" else officer,
        **kwargs,
    )
    if orgs:
        p.municipal_organisations.set(orgs)
    return p


@pytest.fixture
def board(world):
    """Four proposals that differ in every filtered property."""
    return {
        "health": proposal(
            world,
            title="Barns hälsa i skolan",
            orgs=[world["eskilstuna"]],
            planned_start=datetime.date(2027, 1, 1),
        ),
        "energy": proposal(
            world,
            title="Fjärrvärme och energifattigdom",
            researcher=world["other_researcher"],
            officer=world["energy_officer"],
            work_form=WorkForm.PRE_STUDY,
            planned_start=datetime.date(2025, 3, 1),
            state=S.SUBMITTED,
        ),
        "safety": proposal(
            world,
            title="Trygghet för unga",
            officer=None,
            orgs=[world["vasteras"]],
            work_form=WorkForm.PRE_STUDY,
            planned_start=None,
            planned_end=None,
        ),
        "closed": proposal(
            world,
            title="Äldreomsorgens digitalisering",
            planned_start=datetime.date(2024, 1, 1),
            state=S.CLOSED,
        ),
    }


def titles(response) -> set[str]:
    html = response.content.decode()
    return {t for t in Proposal.objects.values_list("title", flat=True) if t in html}


# --- Mina ärenden -------------------------------------------------------------------------------------------


def test_my_proposals_researcher_sees_only_own(client, world, board):
    client.force_login(world["researcher"])
    response = client.get(MY)
    assert response.status_code == 200
    assert titles(response) == {"Barns hälsa i skolan", "Trygghet för unga", "Äldreomsorgens digitalisering"}
    html = response.content.decode()
    assert "Ansvarig forskare" in html
    assert "Gå vidare till pitch eller börja skriva ansökan" in html
    assert "Lägg till en ansvarig tjänsteperson" in html
    assert "Inget – ärendet är avslutat" in html
    assert board["health"].get_absolute_url() in html


def test_my_proposals_officer_sees_those_they_are_officer_on(client, world, board):
    client.force_login(world["energy_officer"])
    response = client.get(MY)
    assert titles(response) == {"Fjärrvärme och energifattigdom"}
    html = response.content.decode()
    assert "Ansvarig tjänsteperson" in html and "Inväntar processledarens kontroll" in html


def test_my_proposals_co_researcher_sees_proposal_with_role(client, world, board):
    board["health"].researchers.add(world["other_researcher"])
    client.force_login(world["other_researcher"])
    response = client.get(MY)
    assert titles(response) == {"Barns hälsa i skolan", "Fjärrvärme och energifattigdom"}
    assert ">Forskare<" in response.content.decode()


def test_my_proposals_empty_state_offers_to_register_an_idea(client, world):
    client.force_login(world["researcher"])
    html = client.get(MY).content.decode()
    assert "Du är inte med i något ärende ännu" in html
    assert "Registrera en ny idé" in html and reverse("applications:proposal_create") in html


def _many_of_researcher(world, count):
    return [proposal(world, title=f"Ärende nummer {i:03d}") for i in range(count)]


def _my_proposals_queries(client, user) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(MY).status_code == 200
    return len(queries)


def test_my_proposals_queries_do_not_grow_with_proposals(client, world, django_assert_num_queries):
    _many_of_researcher(world, 1)
    client.force_login(world["researcher"])
    client.get(MY)  # warm: session, content types
    one = _my_proposals_queries(client, world["researcher"])
    _many_of_researcher(world, 39)

    with django_assert_num_queries(one):
        response = client.get(MY)

    assert response.content.decode().count('<th scope="row">') == 25


def test_my_proposals_shows_25_per_page_and_links_to_the_next(client, world):
    made = _many_of_researcher(world, 60)
    client.force_login(world["researcher"])

    first = client.get(MY).content.decode()
    third = client.get(MY, {"sida": 3}).content.decode()

    assert first.count('<th scope="row">') == 25
    assert "60 ärenden" in first and "Sida 1 av 3" in first
    assert 'href="?sida=2"' in first
    assert third.count('<th scope="row">') == 10 and 'href="?sida=2"' in third
    # Newest first: the last one made is on page 1, the first one made on the last page.
    assert made[-1].title in first and made[0].title not in first and made[0].title in third


@pytest.mark.parametrize("who", ["leader", "communicator"])
def test_my_proposals_is_forbidden_without_researcher_or_officer_role(client, world, who):
    client.force_login(world[who])
    assert client.get(MY).status_code == 403


@pytest.mark.parametrize("url", [MY, PIPELINE, CSV_URL], ids=["my", "pipeline", "csv"])
def test_lists_redirect_anonymous_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response.url


# --- pipeline: who sees what --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "communicator"])
def test_pipeline_shows_the_agreements_proposals_to_staff(client, world, board, who):
    ProposalFactory(agreement=world["other_agreement"], title="Annat avtals ärende")
    client.force_login(world[who])
    response = client.get(PIPELINE)
    assert response.status_code == 200
    assert titles(response) == {b.title for b in board.values()}


def test_pipeline_of_another_agreement_is_not_shown(client, world, board):
    ProposalFactory(agreement=world["other_agreement"], title="Annat avtals ärende")
    client.force_login(world["other_leader"])
    assert titles(client.get(PIPELINE)) == {"Annat avtals ärende"}


@pytest.mark.parametrize("who", ["researcher", "officer"])
@pytest.mark.parametrize("url", [PIPELINE, CSV_URL], ids=["board", "csv"])
def test_pipeline_is_forbidden_for_applicants(client, world, who, url):
    client.force_login(world[who])
    assert client.get(url).status_code == 403


def test_pipeline_board_has_a_column_per_state_with_counts(client, world, board):
    client.force_login(world["leader"])
    html = client.get(PIPELINE).content.decode()
    for state in ProposalState:
        assert f'id="column-{state.value}-heading"' in html
        assert str(state.label) in html
    assert "1 ärende" in html and "0 ärenden" in html
    assert "Avslutade och avslagna" in html
    assert "4 ärenden totalt." in html


# --- pipeline filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"work_form": "forstudie"}, {"energy", "safety"}),
        ({"municipality": "eskilstuna"}, {"health", "energy", "closed"}),
        ({"municipality": "energy"}, {"energy"}),
        ({"municipality": "vasteras"}, {"safety"}),
        ({"year": "2025"}, {"energy"}),
        ({"year": "today"}, {"safety"}),
        ({"person": "other_researcher"}, {"energy"}),
        ({"person": "energy_officer"}, {"energy"}),
        ({"person": "officer"}, {"health", "closed"}),
        ({"q": "hälsa"}, {"health"}),
        ({"q": "karlsson"}, {"health", "closed"}),
        ({"q": "Ahmed fjärrvärme"}, {"energy"}),
        ({"state": "submitted"}, {"energy"}),
        ({"work_form": "forstudie", "municipality": "vasteras"}, {"safety"}),
    ],
    ids=lambda v: "-".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_pipeline_filter(client, world, board, query, expected):
    params = {}
    for key, value in query.items():
        if key in ("municipality", "person"):
            value = world[value].pk
        elif key == "year" and value == "today":
            value = timezone.localdate().year
        params[key] = value
    client.force_login(world["leader"])
    response = client.get(PIPELINE, params)
    assert response.status_code == 200
    assert titles(response) == {board[name].title for name in expected}
    # The CSV export filters in the same way.
    rows = read_csv(client.get(CSV_URL, params))
    assert {row["Titel"] for row in rows} == {board[name].title for name in expected}


def test_pipeline_search_finds_the_reference(client, world, board):
    client.force_login(world["leader"])
    assert titles(client.get(PIPELINE, {"q": board["safety"].reference})) == {"Trygghet för unga"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"year": "abc"},
            "”abc” är inget år. Skriv året med fyra siffror, t.ex. 2026. Filtret används inte.",
        ),
        ({"year": "99999"}, "”99999” är inget år."),
        ({"work_form": "hemligt"}, "Arbetsformen ”hemligt” finns inte. Filtret används inte."),
        ({"municipality": "abc"}, "Kommunen finns inte bland avtalens parter. Filtret används inte."),
        ({"municipality": "999999"}, "Kommunen finns inte bland avtalens parter."),
        ({"person": "x"}, "Personen är inte ansvarig för något ärende här. Filtret används inte."),
        ({"state": "nope"}, "Statusen ”nope” finns inte. Filtret används inte."),
    ],
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_pipeline_bad_filter_is_ignored_with_a_swedish_message(client, world, board, params, message):
    client.force_login(world["leader"])
    response = client.get(PIPELINE, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Några filter kunde inte användas" in html
    assert titles(response) == {b.title for b in board.values()}
    assert client.get(CSV_URL, params).status_code == 200


def test_pipeline_bad_filter_does_not_stop_the_good_ones(client, world, board):
    client.force_login(world["leader"])
    response = client.get(PIPELINE, {"year": "tjugo", "work_form": "forstudie"})
    assert titles(response) == {"Fjärrvärme och energifattigdom", "Trygghet för unga"}
    assert "”tjugo” är inget år." in response.content.decode()


def test_pipeline_htmx_request_gets_the_board_and_refreshed_filter_messages(client, world, board):
    client.force_login(world["leader"])
    response = client.get(PIPELINE, {"year": "abc"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and 'id="pipeline-board"' in html
    assert 'id="filter-error-year" hx-swap-oob="true"' in html and "”abc” är inget år." in html
    assert "HX-Request" in response["Vary"]


def test_pipeline_htmx_history_restore_gets_the_whole_page(client, world, board):
    client.force_login(world["leader"])
    response = client.get(PIPELINE, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


# --- CSV ----------------------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_excel_friendly_with_swedish_headers(client, world, board):
    board["health"].municipal_organisations.add(world["energy"])
    client.force_login(world["communicator"])
    response = client.get(CSV_URL)
    today = timezone.localdate().isoformat()
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="pipeline-{today}.csv"'
    rows = read_csv(client.get(CSV_URL))
    assert list(rows[0]) == [
        "Ärende", "Titel", "Arbetsform", "Status", "Avtal", "Kommunala organisationer", "Ansvarig forskare",
        "Ansvarig tjänsteperson", "Planerad start", "Planerat slut", "Senast ändrad",
    ]  # fmt: skip
    health = next(row for row in rows if row["Titel"] == "Barns hälsa i skolan")
    assert health["Ärende"] == board["health"].reference
    assert health["Arbetsform"] == "Projekt" and health["Status"] == "Dialog"
    assert health["Kommunala organisationer"] == "Eskilstuna Energi och Miljö AB, Eskilstuna kommun"
    assert health["Ansvarig forskare"] == "Maria Nilsson"
    assert health["Ansvarig tjänsteperson"] == "Lena Karlsson"
    assert health["Planerad start"] == "2027-01-01" and health["Planerat slut"] == "2027-06-30"
    assert health["Avtal"] == world["agreement"].name
    assert {row["Titel"] for row in rows} >= {"Äldreomsorgens digitalisering", "Trygghet för unga"}
    assert next(r for r in rows if r["Titel"] == "Trygghet för unga")["Ansvarig tjänsteperson"] == ""


def test_csv_defuses_cells_excel_would_run_as_formulas(client, world):
    proposal(world, title='=HYPERLINK("http://example.com")')
    client.force_login(world["leader"])
    rows = read_csv(client.get(CSV_URL))
    assert rows[0]["Titel"] == '\'=HYPERLINK("http://example.com")'


# --- query counts -------------------------------------------------------------------------------------------

STATE_CYCLE = [S.DIALOG, S.SUBMITTED, S.APPLICATION, S.PITCH, S.ACTIVE, S.CLOSED]


def complete(world, p):
    """Fill the agreement's one application template (made once) and give the proposal a budget."""
    if "template" not in world:
        world["template"] = ProposalTemplateFactory(agreement=world["agreement"])
        world["section"] = TemplateSectionFactory(template=world["template"])
    p.application_template = world["template"]
    p.save()
    ProposalSection.objects.create(proposal=p, section=world["section"], text="Ifylld text")
    with_budget(p)


def make_proposals(world, count, *, anchored_applications=False):
    """`count` proposals of the same team, across states. With `anchored_applications` every application
    has förankring confirmed (so that the next step runs the completeness check), some also complete."""
    agreement = world["agreement"]
    for index, state in zip(range(count), itertools.cycle(STATE_CYCLE), strict=False):
        p = ProposalFactory(
            agreement=agreement,
            responsible_researcher=world["researcher"],
            responsible_officer=world["officer"],
            title=f"Ärende {index}",
            state=state,
        )
        p.municipal_organisations.set([world["eskilstuna"], world["energy"]])
        p.researchers.add(world["other_researcher"])
        if state == S.APPLICATION and anchored_applications:
            anchored(p)
            if index % 12 == 2:
                complete(world, p)


def count_queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    ("who", "url", "params"),
    [
        ("researcher", MY, {}),
        ("other_researcher", MY, {}),
        ("officer", MY, {}),
        ("leader", PIPELINE, {}),
        (
            "leader",
            PIPELINE,
            {"q": "Ärende", "municipality": "eskilstuna", "year": "2026", "work_form": "projekt"},
        ),
        ("leader", CSV_URL, {}),
    ],
    ids=[
        "my-researcher",
        "my-co-researcher",
        "my-officer",
        "board",
        "board-filtered",
        "csv",
    ],
)
def test_query_count_does_not_grow_with_proposals(client, world, who, url, params):
    params = {k: world[v].pk if k == "municipality" else v for k, v in params.items()}
    client.force_login(world[who])
    make_proposals(world, 3)
    few = count_queries(client, url, **params)
    make_proposals(world, 297)
    assert Proposal.objects.count() == 300
    many = count_queries(client, url, **params)
    assert few == many


@pytest.mark.parametrize("who", ["researcher", "officer"])
def test_query_count_does_not_grow_with_anchored_applications(client, world, who):
    client.force_login(world[who])
    make_proposals(world, 3, anchored_applications=True)
    few = count_queries(client, MY)
    make_proposals(world, 297, anchored_applications=True)
    assert few == count_queries(client, MY)


# --- next steps ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "who", "setup", "expected"),
    [
        (S.DIALOG, "researcher", "no_officer", "Lägg till en ansvarig tjänsteperson"),
        (S.DIALOG, "officer", None, "Gå vidare till pitch eller börja skriva ansökan"),
        (S.APPLICATION, "officer", None, "Bekräfta förankringen"),
        (S.APPLICATION, "researcher", None, "Skriv klart ansökan och budgeten"),
        (S.APPLICATION, "researcher", "complete", "Skriv klart ansökan och budgeten"),
        (S.APPLICATION, "researcher", "anchored", "Skriv klart ansökan och budgeten"),
        (S.APPLICATION, "researcher", "complete_anchored", "Skicka in ansökan"),
        (S.APPLICATION, "officer", "complete_anchored", "Skicka in ansökan"),
        (S.SUBMITTED, "researcher", None, "Inväntar processledarens kontroll"),
        (S.SUBMITTED, "leader", None, "Kontrollera och sätt på beredning"),
        (S.SUBMITTED, "communicator", None, "Inväntar processledarens kontroll"),
        (S.PITCH, "leader", None, "Registrera återkoppling på pitchen"),
        (S.IN_REVIEW, "researcher", None, "Presentera på beredningen"),
        (S.AWAITING_DECISION, "officer", None, "Inväntar styrgruppens beslut"),
        (S.GRANTED, "researcher", None, "Inväntar signaturer och projektkonto"),
        (S.ACTIVE, "researcher", None, "Lämna uppföljningsrapporter enligt plan"),
        (S.REJECTED, "researcher", None, "Inget – ärendet är avslutat"),
        (S.CLOSED, "leader", None, "Inget – ärendet är avslutat"),
    ],
)
def test_next_step(world, state, who, setup, expected):
    p = proposal(world, title="Ärende", state=state, officer=None if setup == "no_officer" else "default")
    if setup in ("complete", "complete_anchored"):
        with_sections(p)
        with_budget(p)
    if setup in ("anchored", "complete_anchored"):
        anchored(p)
    p = Proposal.objects.get(pk=p.pk)
    assert next_steps.next_step(p, world[who]) == expected


def test_next_step_for_end_states_expects_nothing(world):
    for state in END_STATES:
        p = proposal(world, title=f"Ärende {state}", state=state)
        assert not next_steps.is_expected_of(p, world["researcher"])


@pytest.mark.parametrize("who", ["researcher", "officer", "leader_on_team"])
@pytest.mark.parametrize("state", list(S), ids=[state.value for state in S])
def test_expected_filter_agrees_with_the_next_step(world, state, who):
    """The start page filters in SQL; it must pick exactly the proposals whose step is the person's."""
    user = world["leader"] if who == "leader_on_team" else world[who]
    p = proposal(world, title="Ärende", state=state)
    if who == "leader_on_team":
        p.researchers.add(user)
    p = Proposal.objects.get(pk=p.pk)

    filtered = Proposal.objects.filter(next_steps.expected_of_team_member(user), pk=p.pk).exists()

    assert filtered == (next_steps.is_expected_of(p, user) and state not in END_STATES)


# --- start page ---------------------------------------------------------------------------------------------
START = reverse("start")


def start_page(client, user) -> str:
    client.force_login(user)
    return client.get(START).content.decode()


def test_start_page_lists_proposals_waiting_for_the_applicant(client, world, board):
    html = start_page(client, world["researcher"])
    assert "<h3>Mina ärenden</h3>" in html
    assert "Barns hälsa i skolan" in html and "Gå vidare till pitch eller börja skriva ansökan" in html
    assert "Lägg till en ansvarig tjänsteperson" in html
    # Closed: nothing expected of the researcher.
    assert "Äldreomsorgens digitalisering" not in html


def test_start_page_has_no_my_proposals_section_when_nothing_is_expected(client, world, board):
    # Only on a submitted proposal: waiting for the processledare.
    assert "<h3>Mina ärenden</h3>" not in start_page(client, world["energy_officer"])


def test_start_page_lists_submitted_applications_for_the_process_leader(client, world, board):
    html = start_page(client, world["leader"])
    assert "<h3>Inskickade ansökningar att kontrollera</h3>" in html
    assert "Fjärrvärme och energifattigdom" in html and "Barns hälsa i skolan" not in html
    assert "Kontrollera och sätt på beredning" in html


def test_start_page_of_another_agreements_process_leader_has_no_submitted_section(client, world, board):
    assert "Inskickade ansökningar att kontrollera" not in start_page(client, world["other_leader"])


@pytest.mark.parametrize("who", ["researcher", "leader"])
def test_start_page_query_count_does_not_grow_with_proposals(client, world, who):
    client.force_login(world[who])
    make_proposals(world, 3)
    few = count_queries(client, START)
    make_proposals(world, 297)
    with CaptureQueriesContext(connection) as many:
        html = client.get(START).content.decode()
    assert few == len(many)
    assert "Och " in html  # more than the section shows


def test_start_page_shows_ten_of_the_researchers_proposals_and_counts_the_rest(client, world):
    _many_of_researcher(world, 60)  # in dialog: the researcher's turn on every one
    proposal(world, title="Avslutat ärende", state=S.CLOSED)

    html = start_page(client, world["researcher"])

    assert html.count("Gå vidare till pitch eller börja skriva ansökan") == 10
    assert "Och 50 ärenden till." in html


def test_unrelated_user_gets_403_and_no_sections(client):
    client.force_login(UserFactory())
    assert client.get(MY).status_code == 403
    assert client.get(PIPELINE).status_code == 403
    assert "Du har inget att göra just nu" in client.get(reverse("start")).content.decode()
