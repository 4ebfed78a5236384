"""Follow-up and closure in the browser: a researcher submits a halvtidsredovisning, the processledare treats
it at a meeting; later the researcher submits the final report and books a presentation at the Q4 event;
the styrgrupp closes the project."""

import datetime
import re

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from followup import demo as followup_demo
from followup.enums import ReportState
from followup.models import DisseminationEvent, FollowUpReport
from governance.models import Meeting
from tests.e2e.steps import extra_steering_meeting

RESEARCHER = "maria.nilsson@mdu.example"
LEADER = "anna.lindqvist@mdu.example"


def meeting_label(title):
    meeting = Meeting.objects.get(title=title)
    return f"{meeting.title} – {timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def fill_report(page, *, final=False):
    page.get_by_label("Leveranser: uppnått jämfört med beslutat").fill(
        "Sex digitala träffar har hållits med 34 deltagare; stödmaterialet finns i ett första utkast."
    )
    page.get_by_label("Trettio äldre deltar i digitala träffar").select_option(label="Uppnått")
    page.get_by_label("Ett stödmaterial för anhöriga tas fram").select_option(label="Delvis uppnått")
    page.get_by_label("Utvärdering av arbetet").fill("Träffarna fungerar väl; anhöriga vill vara med mer.")
    page.get_by_label("Vunna erfarenheter").fill("Biblioteken är bra mötesplatser för digitala träffar.")
    if final:
        page.get_by_label("Vetenskaplig slutrapport").fill(
            "Syfte, metod, resultat och slutsatser: digitala träffar minskar upplevd ensamhet."
        )
    page.get_by_label("Löner inkl. lönebikostnader").fill("185 000")
    page.get_by_label("Resor").fill("4 200")


def test_report_treated_then_final_report_presentation_and_closure(demo, browser_as):
    digital = Proposal.objects.get(title=followup_demo.DIGITAL)
    half_time = digital.followup_reports.get(kind="halvtid")

    # 1. The researcher sees the due report on the start page and submits it.
    page = browser_as.login(RESEARCHER)
    section = page.get_by_role("region", name="Uppföljningsrapporter att lämna")
    expect(section).to_contain_text(followup_demo.DIGITAL)
    browser_as.shot("forskarens-startsida")
    section.get_by_role("link", name="Halvtidsredovisning").first.click()
    expect(page.get_by_role("heading", level=1, name="Halvtidsredovisning")).to_be_visible()
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Skriv en utvärdering av arbetet."
    )  # nothing filled yet
    fill_report(page)
    browser_as.shot("halvtid-ifylld")
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Inlämnad")
    browser_as.shot("halvtid-inlamnad")
    browser_as.logout()

    # 2. The processledare puts it on the beredning's agenda and records the feedback.
    page = browser_as.login(LEADER)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    treat = page.get_by_role("region", name=re.compile("Inlämnade – att behandla"))
    expect(treat).to_contain_text(followup_demo.DIGITAL)
    browser_as.shot("processledarens-oversikt")
    treat.get_by_role("row", name=re.compile(followup_demo.DIGITAL)).get_by_role(
        "link", name="Halvtidsredovisning"
    ).click()
    page.get_by_role("combobox", name="Möte").select_option(label=meeting_label(followup_demo.REVIEW))
    page.get_by_role("button", name="Sätt på dagordningen").click()
    expect(page.get_by_text("Rapporten är satt på mötets dagordning.")).to_be_visible()
    report_url = page.url
    browser_as.logout()
    # The beredning meets – a report is treated at its meeting, not before (issue 16). The clock moves to the
    # meeting (the only thing no user does) and the processledare records the meeting's feedback there.
    meeting = Meeting.objects.get(title=followup_demo.REVIEW)
    with time_machine.travel(meeting.starts_at + datetime.timedelta(hours=1), tick=True):
        page = browser_as.login(LEADER)
        page.goto(report_url)
        page.get_by_label("Mötets återkoppling").fill(
            "Beredningen ser goda resultat. Involvera anhöriga tidigare."
        )
        browser_as.shot("behandla-rapport")
        page.get_by_role("button", name="Markera som behandlad").click()
        expect(page.locator(".status-line")).to_contain_text("Behandlad")
        feedback = page.get_by_role("region", name="Återkoppling")
        expect(feedback).to_contain_text("Involvera anhöriga tidigare.")
        browser_as.shot("rapport-behandlad")
        browser_as.logout()
    half_time.refresh_from_db()
    assert half_time.state == ReportState.TREATED
    assert half_time.agenda_item.meeting.title == followup_demo.REVIEW

    # 3. Later: the researcher submits the final report and books the presentation at the Q4 event.
    page = browser_as.login(RESEARCHER)
    browser_as.goto(f"/uppfoljning/arende/{digital.pk}/")
    expect(page.locator(".progress-list")).to_contain_text("75 %")  # one goal met, one partly
    page.get_by_role("link", name="Slutredovisning", exact=True).click()
    fill_report(page, final=True)
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    browser_as.goto(f"/uppfoljning/arende/{digital.pk}/")
    expect(page.locator(".status-line")).to_contain_text("Pågående")
    event = DisseminationEvent.objects.get(title=followup_demo.NEXT_EVENT)
    page.get_by_label("Resultatspridningstillfälle").select_option(
        label=f"{event.title} – {timezone.localtime(event.starts_at):%Y-%m-%d}, {event.location}"
    )
    page.get_by_label("Presentationens titel").fill("Digitala träffar mot ensamhet")
    browser_as.shot("boka-presentation")
    page.get_by_role("button", name="Registrera presentationen").click()
    expect(page.get_by_text("Presentationen är registrerad på programmet.")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Slutredovisad")
    browser_as.shot("slutredovisad")
    browser_as.logout()

    # The public listing shows the programme.
    browser_as.goto("/spridning/")
    expect(page.get_by_role("region", name=followup_demo.NEXT_EVENT)).to_contain_text(
        "Digitala träffar mot ensamhet"
    )
    browser_as.shot("oppen-kalender")

    # 4. The styrgrupp, meeting now, approves the results and closes the project (the demo's December
    # styrgrupp decides per capsulam, by vote only, and an ordinary meeting decides enligt förslag only once
    # it has started – issue 16).
    steering = extra_steering_meeting(under_way=True)
    page = browser_as.login(LEADER)
    browser_as.goto(f"/uppfoljning/arende/{digital.pk}/")
    page.get_by_role("combobox", name="Möte").select_option(label=meeting_label(steering.title))
    page.get_by_role("button", name="Sätt på styrgruppens dagordning").click()
    expect(page.get_by_text("Avslutet är satt på styrgruppens dagordning.")).to_be_visible()
    page.get_by_label("Typ av beslut").select_option(label="Godkänna resultat")
    page.get_by_label("Beslutstext").fill("Styrgruppen godkänner resultaten och avslutar projektet.")
    browser_as.shot("beslut-avslut")
    page.get_by_role("button", name="Besluta enligt förslag").click()
    browser_as.goto(f"/uppfoljning/arende/{digital.pk}/")
    expect(page.locator(".status-line")).to_contain_text("Avslutad")
    browser_as.shot("avslutad")

    digital.refresh_from_db()
    assert digital.state == ProposalState.CLOSED
    assert FollowUpReport.objects.get(proposal=digital, kind="slut").state == ReportState.SUBMITTED


def test_processledare_sees_kpis_with_traffic_lights(demo, browser_as):
    page = browser_as.login(LEADER)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Effektmål").click()
    expect(page.get_by_role("heading", level=1, name="Effektmål och nyckeltal")).to_be_visible()
    expect(page.locator(".light-green").first).to_be_visible()
    expect(page.locator(".light-red").first).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    browser_as.shot("effektmal")
