"""Report pages, live status, downloads, exports, the public catalogue, publication, communication plans."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from applications.enums import ProposalState as S
from governance.enums import DecisionKind, MeetingKind
from governance.services import decision_by_acclamation
from reports.models import CommunicationPlan, Publication, QuarterlyReport
from reports.periods import Quarter
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory, with_co_researcher
from tests.factories.governance import MeetingFactory, started
from tests.factories.reports import CommunicationPlanFactory, PublicationFactory, at, complete_plan
from tests.factories.samverkan import person_with_role


def _order(client, agreement, quarter="2026-2", **extra):
    return client.post(
        reverse("reports:report_order"), {"agreement": agreement.pk, "quarter": quarter, **extra}
    )


# --- reports ----


def test_communicator_orders_a_report_and_sees_it_done(
    world, agreement, communicator, client, django_capture_on_commit_callbacks
):
    client.force_login(communicator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _order(client, agreement)
    report = QuarterlyReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Ladda ner PDF" in page and "Pipeline per status" in page and "<svg" in page
    status = client.get(reverse("reports:report_status", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' not in status.content.decode()
    pdf = client.get(reverse("reports:report_pdf", args=[report.pk]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("reports:report_xlsx", args=[report.pk]))
    assert load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).sheetnames[0] == "Översikt"


def test_pending_report_page_polls_its_status(world, agreement, leader, client):
    client.force_login(leader)
    _order(client, agreement)  # the job starts only after commit: the report stays queued in this test
    report = QuarterlyReport.objects.get()
    assert report.status == "queued"
    page = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "I kö" in page
    QuarterlyReport.objects.filter(pk=report.pk).update(
        status="running", progress=45, step="Beräknar avsnitt 3 av 5"
    )
    page = client.get(reverse("reports:report_status", args=[report.pk])).content.decode()
    assert 'value="45"' in page and "Beräknar avsnitt 3 av 5" in page
    assert client.get(reverse("reports:report_pdf", args=[report.pk])).status_code == 404


@pytest.mark.parametrize(
    "quarter", ["2026-3", "nonsens", "2026-7"], ids=["not-ended", "garbage", "bad-quarter"]
)
def test_bad_order_gets_a_swedish_message_and_changes_nothing(world, agreement, leader, client, quarter):
    client.force_login(leader)
    with time_machine.travel(at(2026, 8, 10), tick=False):
        response = _order(client, agreement, quarter)
    assert response.status_code == 400
    page = response.content.decode()
    assert "inte slut ännu" in page or "är inget kvartal" in page
    assert not QuarterlyReport.objects.exists()


def test_researcher_cannot_see_or_order_reports(world, agreement, client):
    client.force_login(person_with_role(agreement, Role.RESEARCHER))
    assert client.get(reverse("reports:report_list")).status_code == 403
    assert _order(client, agreement).status_code == 403
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize(
    "name", ["reports:report_list", "reports:export_list", "reports:publication_list", "reports:plan_list"]
)
def test_anonymous_users_cannot_reach_internal_pages(client, name, db):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]


def test_report_list_query_count_does_not_grow(agreement, leader, client, django_assert_max_num_queries):
    client.force_login(leader)
    for year, quarter in [(2025, 1)]:
        QuarterlyReport.objects.create(agreement=agreement, year=year, quarter=quarter, status="done")
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("reports:report_list"))
    for year in (2024, 2025):
        for quarter in (2, 3, 4):
            QuarterlyReport.objects.get_or_create(
                agreement=agreement, year=year, quarter=quarter, status="done"
            )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reports:report_list"))


# --- exports ----


@pytest.fixture
def granted_project(world):
    proposal = world["b"]
    proposal.popular_summary = "Hur lär sig små barn svenska? Förskolor i Västerås prövar nya arbetssätt."
    proposal.save()
    return proposal


def test_catalogue_csv_has_bom_swedish_columns_and_characters(granted_project, communicator, client):
    client.force_login(communicator)
    response = client.get(reverse("reports:export_download", args=["projektkatalog", "csv"]))
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Ärende",
        "Titel",
        "Populärvetenskaplig sammanfattning",
        "Arbetsform",
        "Parter",
        "Forskare",
        "Tjänsteperson",
        "Period",
        "Beviljat belopp (kr)",
        "Status",
        "Diarienummer",
    ]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Titel"] == "Språkutveckling i förskolan"
    assert row["Populärvetenskaplig sammanfattning"].startswith(
        "Hur lär sig små barn svenska? Förskolor i Västerås"
    )
    assert row["Beviljat belopp (kr)"] == "1200000"
    assert row["Status"] == "Beviljad"


def test_decisions_xlsx_has_amounts_as_numbers(world, communicator, client):
    client.force_login(communicator)
    response = client.get(reverse("reports:export_download", args=["beslut", "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Mötesdatum", "Möte", "Paragraf", "Typ av beslut"]
    assert rows[1][7] == 1_200_000 and rows[1][8] == "2026: 500000, 2027: 700000"


def test_pipeline_export_takes_the_board_filters(world, leader, client):
    client.force_login(leader)
    response = client.get(
        reverse("reports:export_download", args=["pipeline", "csv"]), {"state": S.SUBMITTED}
    )
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert [r[1] for r in rows[1:]] == ["Äldres digitala vardag"]


def test_exports_are_refused_for_researchers(world, agreement, client):
    client.force_login(person_with_role(agreement, Role.RESEARCHER))
    assert client.get(reverse("reports:export_download", args=["beslut", "csv"])).status_code == 403


def test_export_of_another_agreement_is_empty(world, client):
    from tests.factories.samverkan import AgreementFactory

    client.force_login(person_with_role(AgreementFactory(), Role.COMMUNICATOR))
    body = b"".join(client.get(reverse("reports:export_download", args=["beslut", "csv"])).streaming_content)
    assert body.decode("utf-8-sig").count("\r\n") == 1  # the heading only


# --- public catalogue and publication ----


def test_catalogue_shows_only_published_projects_and_only_agreed_names(agreement, client, db):
    shown = PublicationFactory(
        proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE, title="Publicerat projekt"),
        show_researcher=True,
        show_officer=False,
    )
    co = with_co_researcher(shown.proposal)
    PublicationFactory(
        proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE, title="Avpublicerat projekt"),
        published=False,
    )
    ProposalFactory(agreement=agreement, state=S.ACTIVE, title="Aldrig publicerat")
    PublicationFactory(
        proposal=ProposalFactory(agreement=agreement, state=S.IN_REVIEW, title="Under beredning")
    )
    page = client.get(reverse("reports:catalogue")).content.decode()
    assert "Publicerat projekt" in page
    for hidden in ("Avpublicerat projekt", "Aldrig publicerat", "Under beredning"):
        assert hidden not in page
    proposal = shown.proposal
    assert proposal.responsible_researcher.get_full_name() in page
    assert proposal.responsible_officer.get_full_name() not in page
    assert co.get_full_name() not in page
    assert proposal.responsible_researcher.email not in page
    detail = client.get(reverse("reports:catalogue_detail", args=[proposal.pk]))
    assert detail.status_code == 200
    hidden = ProposalFactory(agreement=agreement, state=S.ACTIVE)
    assert client.get(reverse("reports:catalogue_detail", args=[hidden.pk])).status_code == 404


def test_catalogue_search_and_filters(agreement, client, db):
    PublicationFactory(
        proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE, title="Skolgårdar och lek")
    )
    PublicationFactory(
        proposal=ProposalFactory(agreement=agreement, state=S.CLOSED, title="Äldreomsorg i glesbygd")
    )
    page = client.get(reverse("reports:catalogue"), {"q": "skolgård"}).content.decode()
    assert "Skolgårdar och lek" in page and "Äldreomsorg i glesbygd" not in page
    page = client.get(reverse("reports:catalogue"), {"status": "avslutade"}).content.decode()
    assert "Äldreomsorg i glesbygd" in page and "Skolgårdar och lek" not in page
    page = client.get(reverse("reports:catalogue"), {"status": "okänd"}).content.decode()
    assert "Statusen finns inte" in page and "Skolgårdar och lek" in page


def test_catalogue_query_count_does_not_grow(agreement, client, django_assert_max_num_queries, db):
    PublicationFactory(proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE))
    with django_assert_max_num_queries(15) as one:
        client.get(reverse("reports:catalogue"))
    for _ in range(6):
        with_co_researcher(
            PublicationFactory(proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE)).proposal
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("reports:catalogue"))


def test_template_download_is_public(client, db):
    from tests.factories.applications import ProposalTemplateFactory, TemplateSectionFactory

    template = ProposalTemplateFactory(title="Ansökan om projektmedel")
    TemplateSectionFactory(template=template, title="Syfte och frågeställning")
    response = client.get(reverse("reports:catalogue_template_pdf", args=[template.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_communicator_publishes_with_chosen_names(granted_project, communicator, client):
    client.force_login(communicator)
    response = client.post(
        reverse("reports:publication_save", args=[granted_project.pk]),
        {
            f"p{granted_project.pk}-show_researcher": "on",
            f"p{granted_project.pk}-results": "Tre förskolor deltar.",
        },
    )
    assert response.status_code == 302
    publication = Publication.objects.get(proposal=granted_project)
    assert publication.published and publication.show_researcher and not publication.show_officer
    assert publication.published_by == communicator and publication.results == "Tre förskolor deltar."
    assert "Tre förskolor deltar." in client.get(reverse("reports:catalogue")).content.decode()
    client.post(reverse("reports:publication_save", args=[granted_project.pk]), {"action": "withdraw"})
    client.get(reverse("reports:publication_list"))  # shows (and so consumes) the message
    assert "Språkutveckling i förskolan" not in client.get(reverse("reports:catalogue")).content.decode()


@pytest.mark.parametrize("who", ["leader", "researcher"])
def test_only_communicators_publish(granted_project, agreement, leader, client, who):
    user = leader if who == "leader" else granted_project.responsible_researcher
    client.force_login(user)
    response = client.post(reverse("reports:publication_save", args=[granted_project.pk]), {})
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_project_under_review_cannot_be_published(world, communicator, client):
    client.force_login(communicator)
    proposal = world["a"]  # submitted
    response = client.post(reverse("reports:publication_save", args=[proposal.pk]), {}, follow=True)
    assert "Bara beviljade, pågående och avslutade projekt kan publiceras" in response.content.decode()
    assert not Publication.objects.exists()


# --- communication plans ----


def test_plan_is_written_submitted_scheduled_and_decided(
    agreement, communicator, leader, client, django_capture_on_commit_callbacks
):
    client.force_login(communicator)
    response = client.post(reverse("reports:plan_list"), {"agreement": agreement.pk, "year": 2027})
    plan = CommunicationPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    edit = reverse("reports:plan_edit", args=[plan.pk])
    client.post(
        edit,
        {
            "action": "plan",
            "purpose": "Sprida resultat",
            "target_groups": "Medarbetare\nMedborgare",
            "channels": "Nyhetsbrev",
        },
    )
    client.post(
        edit,
        {"action": "goal", "text": "Fler känner till projekten", "effect_goal": "70 % upplever ny kunskap"},
    )
    bad = client.post(
        edit,
        {
            "action": "activity",
            "title": "Seminarium",
            "timing": "Kvartal 2",
            "responsible": "Sara",
            "cost": "-5",
        },
    )
    assert bad.status_code == 400 and "Kostnaden kan inte vara negativ." in bad.content.decode()
    assert not plan.activities.exists()
    client.post(
        edit,
        {
            "action": "activity",
            "title": "Resultatseminarium",
            "target_group": "Medarbetare",
            "channel": "Seminarium",
            "timing": "Kvartal 2",
            "responsible": "Sara Holm",
            "cost": "45000",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit, {"action": "submit"})
    plan.refresh_from_db()
    assert plan.status == "submitted"

    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, chair=leader, starts_at=started()
    )
    client.force_login(leader)
    client.post(edit, {"action": "schedule", "meeting": meeting.pk})
    plan.refresh_from_db()
    assert plan.agenda_item.meeting == meeting and plan.agenda_item.title == "Kommunikationsplan 2027"
    decision_by_acclamation(
        item=plan.agenda_item,
        by=leader,
        kind=DecisionKind.COMMUNICATION_PLAN,
        text="Styrgruppen fastställer kommunikationsplanen.",
        amounts={2027: 45000},
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Beslutad" in page and "45\xa0000\xa0kr" in page
    pdf = client.get(reverse("reports:plan_pdf", args=[plan.pk]))
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert (
        "Kommunikationsplan 2027" in text
        and "Resultatseminarium" in text
        and "Beslutad av styrgruppen" in text
    )


def test_incomplete_plan_cannot_be_submitted(agreement, communicator, client):
    plan = CommunicationPlanFactory(agreement=agreement, created_by=communicator)
    client.force_login(communicator)
    response = client.post(reverse("reports:plan_edit", args=[plan.pk]), {"action": "submit"}, follow=True)
    assert "Planen saknar minst ett kommunikationsmål, minst en aktivitet." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_duplicate_plan_year_gets_a_message(agreement, communicator, client):
    complete_plan(CommunicationPlanFactory(agreement=agreement, created_by=communicator))
    client.force_login(communicator)
    response = client.post(reverse("reports:plan_list"), {"agreement": agreement.pk, "year": 2027})
    assert (
        response.status_code == 400
        and "Det finns redan en kommunikationsplan för 2027." in response.content.decode()
    )
    assert CommunicationPlan.objects.count() == 1


def test_process_leader_cannot_edit_plan(agreement, communicator, leader, client):
    plan = CommunicationPlanFactory(agreement=agreement, created_by=communicator)
    client.force_login(leader)
    response = client.post(
        reverse("reports:plan_edit", args=[plan.pk]), {"action": "goal", "text": "Nytt mål"}
    )
    assert response.status_code == 403 and not plan.goals.exists()


# --- dashboards ----


def test_dashboards_per_role(granted_project, agreement, leader, communicator, client):
    client.force_login(leader)
    page = client.get(reverse("start")).content.decode()
    # The portfolio's charts count every proposal and decision: htmx fetches them after the page.
    assert "Portfölj och ekonomi" in page and "Beviljat per budgetår" not in page
    assert 'hx-get="/?avsnitt=portfolj"' in page
    fragment = client.get("/?avsnitt=portfolj", headers={"HX-Request": "true"}).content.decode()
    assert "Beviljat per budgetår" in fragment and "<html" not in fragment
    without_js = client.get("/?avsnitt=portfolj").content.decode()
    assert "Beviljat per budgetår" in without_js and "Hej " in without_js
    client.force_login(communicator)
    page = client.get(reverse("start")).content.decode()
    assert "Att publicera och sprida" in page and "Språkutveckling i förskolan" in page
    client.force_login(person_with_role(agreement, Role.STEERING_MEMBER))
    page = client.get(reverse("start")).content.decode()
    assert "Att besluta och ekonomin" in page


def test_quarter_parse():
    assert Quarter.parse("2026-Q3") == Quarter(2026, 3)
    with pytest.raises(ValueError):
        Quarter.parse("2026-5")


def test_events_export_and_upcoming_events_in_the_catalogue(agreement, communicator, client):
    from tests.factories.followup import DisseminationEventFactory
    from tests.factories.governance import in_days

    event = DisseminationEventFactory(
        agreement=agreement, title="Höstens forskningsmöte på Munktellarenan", starts_at=in_days(20)
    )
    client.force_login(communicator)
    response = client.get(reverse("reports:export_download", args=["handelser", "csv"]))
    body = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Datum", "Tid", "Rubrik", "Plats"]
    assert rows[1][2:4] == ["Höstens forskningsmöte på Munktellarenan", "Eskilstuna, Munktellarenan"]
    client.logout()
    page = client.get(reverse("reports:catalogue")).content.decode()
    assert "Höstens forskningsmöte på Munktellarenan" in page
    assert reverse("followup:event_ics", args=[event.uid]) in page


@pytest.mark.parametrize("name", ["reports:publication_list", "start"])
def test_communicator_pages_query_count_does_not_grow(
    agreement, communicator, client, django_assert_max_num_queries, name
):
    ProposalFactory(agreement=agreement, state=S.GRANTED)
    client.force_login(communicator)
    client.get(reverse(name))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(40) as one:
        client.get(reverse(name))
    for state in (S.ACTIVE, S.CLOSED, S.GRANTED, S.ACTIVE, S.CLOSING):
        with_co_researcher(ProposalFactory(agreement=agreement, state=state))
    PublicationFactory(proposal=ProposalFactory(agreement=agreement, state=S.ACTIVE))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse(name))
