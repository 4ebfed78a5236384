"""Issue #9 item 1: the whole lifecycle of one proposal, end to end, in a real browser. Every step is done
through the UI by the person whose job it is (each logs in and out), and the test asserts what that
person sees. A screenshot per step goes to test-artifacts/screenshots/<test name>/.

The story: Maria Nilsson (forskare, MDU) and Lena Karlsson (tjänsteperson, Eskilstuna kommun) register an idea
and pitch it; Anna Lindqvist (processledare) gives feedback on the pitch; Maria writes the application with
its budget, Lena confirms förankring and Maria submits. Anna books a kommungemensam beredning, schedules the
application and sends the kallelse; Olof Strand and Karin Sjöberg assess; the beredning forwards it and it
lands on the next styrgrupp meeting's agenda (the demo's December meeting). Only the university and
Eskilstuna, the project's parties, decide it. Anna, the secretary, opens the online vote; the chair votes,
Mats Larsson (Eskilstuna) declares jäv and Ingrid Falk, Eskilstuna's ersättare, is called in by e-mail, takes
his seat and casts the last ballot, which closes the vote; Anna records the grant. The rektor and the
kommundirektör sign the beslutsunderlag with their password (a wrong one signs nothing); each processledare
registers their organisation's copy in its diarium; Erik Johansson (Eskilstuna's processledare) enters the
project account and starts the project: Pågående. Maria submits the halvtidsredovisning (an empty one is
refused first), Anna puts it on a beredning and records the feedback; Sara Holm (kommunikatör) arranges a
dissemination event; Maria books the popular-science presentation and submits the final report: Slutredovisad.
Anna books a later styrgrupp meeting and takes the closure there; the chair Helena Wik decides it "enligt
förslag": Avslutad. The quarter ends, and the quarterly report Sara orders shows the project started,
final-reported and closed.

Only what no user does is set up outside the browser: the demo world, the demo signing keys, and the clock
moving past the quarter's end.
"""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from followup import demo as followup_demo
from followup.enums import ReportKind, ReportState
from followup.models import FollowUpReport
from governance.demo import DECEMBER
from governance.enums import CRITERIA, MeetingKind, VoteOutcome
from governance.models import AgendaItem, DecisionDocument, Meeting, Vote
from reports.periods import Quarter
from samverkan.demo import DEMO_PASSWORD
from tests.e2e.steps import book_meeting, nav

TITLE = "Trygga mötesplatser för unga i Fröslunda"
GOALS = ["Tre mötesplatser öppnas på kvällstid", "Unga deltar i utformningen"]

RESEARCHER = "maria.nilsson@mdu.example"
OFFICER = "lena.karlsson@eskilstuna.example"
LEADER = "anna.lindqvist@mdu.example"  # processledare MDU; secretary of the styrgrupp
MUNI_LEADER = "erik.johansson@eskilstuna.example"  # processledare Eskilstuna kommun
KARIN = "karin.sjoberg@mdu.example"  # beredning, university
OLOF = "olof.strand@eskilstuna.example"  # beredning, municipality
CHAIR = "helena.wik@mdu.example"
RECUSED = "mats.larsson@eskilstuna.example"
DEPUTY = "ingrid.falk@eskilstuna.example"  # kommundirektör; Eskilstuna's ersättare in the styrgrupp
COMMUNICATOR = "sara.holm@mdu.example"
REKTOR = "paul.pettersson@mdu.example"
KOMMUNDIREKTOR = DEPUTY

JAV_REASON = "Min förvaltning är projektets arbetsplats och jag är chef för den projektansvariga enheten"
REVIEW_TITLE = "Beredning av vårens ansökningar"
CLOSURE_MEETING = "Styrgruppsmöte – avslut av projekt"
EVENT = "Resultatspridning – vinterns forskningsmöte"
PRESENTATION = "Unga bygger trygga mötesplatser"
CONDITIONS = "Delrapport till styrgruppen efter halva projekttiden."


@pytest.fixture
def world(demo, request):
    """The demo world plus the demo signing keys (made after the demo's organisations exist)."""
    request.getfixturevalue("signing_keys")


# --- small steps --------------------------------------------------------------------------------------------


def told(page, text):
    """The message the page gives after an action."""
    expect(page.get_by_role("status").filter(has_text=text).first).to_be_visible()


def state_is(page, label):
    expect(page.locator(".status-line .state")).to_have_text(label)


def open_mine(browser_as, email):
    """Log in and open the proposal from "Mina ärenden"."""
    page = browser_as.login(email)
    nav(page).get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    return page


def open_from_board(browser_as, email, column):
    """Log in as a processledare and open the proposal from its column on the pipeline board."""
    page = browser_as.login(email)
    nav(page).get_by_role("link", name="Pipeline").click()
    region = page.get_by_role("region", name=column)
    expect(region.get_by_role("link", name=TITLE)).to_be_visible()
    region.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    return page


def meeting_label(title):
    """How a meeting is offered in the follow-up forms' meeting lists."""
    meeting = Meeting.objects.get(title=title)
    return f"{meeting.title} – {timezone.localtime(meeting.starts_at):%Y-%m-%d}"


def agenda(page):
    return page.get_by_role("table", name=re.compile("Dagordning"))


def open_item(browser_as, meeting_url):
    """The proposal's item on a meeting's agenda (meeting_url None: from the meeting page shown)."""
    page = browser_as.goto(meeting_url) if meeting_url else browser_as.page
    agenda(page).get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(TITLE)))).to_be_visible()
    return page


def assess(browser_as, email, *, questions, criteria, comment, shot):
    """The member finds the assessment to do in "Mina möten", scores and submits it."""
    page = browser_as.login(email)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    row = page.get_by_role("row").filter(has_text=REVIEW_TITLE)
    expect(row).to_contain_text("Bedöm 1 ansökan")
    row.get_by_role("link", name="Bedöm 1 ansökan").click()
    page = open_item(browser_as, None)
    page.get_by_role("link", name="Bedöm ansökan").click()
    for question, score in questions.items():
        page.get_by_role("group", name=question, exact=True).get_by_label(str(score), exact=True).check()
    for (number, label), score in zip(CRITERIA, criteria, strict=True):
        page.get_by_role("group", name=f"{number}. {label}").get_by_label(str(score), exact=True).check()
    page.get_by_label("Sammanfattande kommentar").fill(comment)
    browser_as.shot(shot)
    page.get_by_role("button", name="Skicka in bedömning").click()
    told(page, "Din bedömning är inskickad")
    return page


def link_in_mail(email, subject):
    """The link in the latest e-mail to `email` whose subject starts with `subject` (as a path)."""
    message = [m for m in mail.outbox if m.to == [email] and m.subject.startswith(subject)][-1]
    return re.search(r"https?://[^/\s]+(/\S*)", message.body).group(1)


def vote_yes(browser_as, email, *, closes=False, shot=None, on_page=False, mail_subject="Rösta"):
    """The member votes bifall; from the link in the e-mail "Rösta: …" (or another `mail_subject`) unless
    already on the page."""
    if on_page:
        page = browser_as.page
    else:
        page = browser_as.login(email)
        browser_as.goto(link_in_mail(email, f"{mail_subject}: {TITLE}"))
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    if closes:
        expect(page.get_by_text("Alla röstberättigade har röstat – voteringen är stängd.")).to_be_visible()
    else:
        expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    if shot:
        browser_as.shot(shot)
    browser_as.logout()


def sign(browser_as, email, organisation, short):
    page = browser_as.login(email)
    page.get_by_role("link", name="Att signera", exact=True).click()
    expect(page.get_by_role("heading", name="Väntar på din signatur")).to_be_visible()
    document = DecisionDocument.objects.get(decision__item__proposal__title=TITLE)
    link = page.get_by_role("link", name=re.compile(document.reference)).first
    expect(link).to_be_visible()
    browser_as.shot(f"{short}-att-signera")
    link.click()
    expect(page.locator("iframe.pdf-frame")).to_be_visible()
    page.get_by_label(f"Jag har läst beslutsunderlaget och signerar det för {organisation}").check()
    # A wrong password signs nothing.
    page.get_by_label("Bekräfta med ditt lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Signera", exact=True).click()
    expect(page.get_by_text("Fel lösenord – inget har signerats.").first).to_be_visible()
    expect(page.get_by_text(f"Du har signerat {document.reference}")).to_have_count(0)
    page.get_by_label(f"Jag har läst beslutsunderlaget och signerar det för {organisation}").check()
    page.get_by_label("Bekräfta med ditt lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Signera", exact=True).click()
    expect(page.get_by_text(f"Du har signerat {document.reference} för {organisation}.")).to_be_visible()
    browser_as.shot(f"{short}-har-signerat")
    browser_as.logout()
    return document


def register(browser_as, email, document, number, diarienummer, short):
    """The processledare opens the granted proposal from the board, then its decision document."""
    page = open_from_board(browser_as, email, "Beviljad")
    page.get_by_role("region", name="Beslutsdokument").get_by_role(
        "link", name=f"Beslutsunderlag {document.reference}"
    ).click()
    page.get_by_label("Diarienummer").fill(diarienummer)
    page.get_by_role("button", name="Diarieför").click()
    expect(page.get_by_text(f"Exemplar {number} är diariefört som {diarienummer}.")).to_be_visible()
    browser_as.shot(f"{short}-diariefört")
    return page


# --- the walk -----------------------------------------------------------------------------------------------


def walk_to_submitted(browser_as):
    """Idea → pitch → feedback → application with budget → förankring → Inskickad."""
    # The researcher registers the idea with Lena Karlsson as municipal co-applicant.
    page = browser_as.login(RESEARCHER)
    nav(page).get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name="Registrera en ny idé").click()
    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Arbetsform").select_option(label="Projekt")
    page.get_by_label("Idén i korthet").fill(
        "Hur kan fritidsgårdar, föreningar och skolor i Fröslunda bli trygga mötesplatser för unga?"
    )
    page.get_by_label("Ansvarig tjänsteperson (medsökande i kommunen)").select_option(
        label="Lena Karlsson (lena.karlsson@eskilstuna.example)"
    )
    page.get_by_label("Eskilstuna kommun", exact=True).check()
    browser_as.shot("forskaren-ny-ide")
    page.get_by_role("button", name="Registrera idén").click()
    expect(page.get_by_text("Idén är registrerad.")).to_be_visible()
    state_is(page, "Dialog")

    # They pitch it first.
    page.get_by_role("button", name="Gå vidare till pitch").click()
    told(page, "Klart: ärendet har status ”Pitch / för-beredning”.")
    state_is(page, "Pitch / för-beredning")
    page.get_by_role("link", name="Skriv pitchen").click()
    for area in page.locator("textarea").all():
        area.fill("Unga i Fröslunda saknar trygga platser på kvällar; vi vill pröva tre mötesplatser ihop.")
    browser_as.shot("forskaren-skriver-pitch")
    page.get_by_role("button", name="Spara och gå till ärendet").click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()
    browser_as.shot("forskaren-pitch-klar")
    browser_as.logout()

    # The processledare finds the pitch on the board and gives feedback: write the application.
    page = open_from_board(browser_as, LEADER, "Pitch / för-beredning")
    feedback = "Bra idé – skriv en ansökan och knyt an till fritidsförvaltningens trygghetsarbete."
    page.get_by_label("Kommentar till ”Registrera återkoppling på pitchen”").fill(feedback)
    browser_as.shot("processledaren-aterkoppling-pitch")
    page.get_by_role("button", name="Registrera återkoppling på pitchen").click()
    state_is(page, "Ansökan under arbete")
    browser_as.logout()

    # The researcher reads the feedback and writes the application and its budget.
    page = open_mine(browser_as, RESEARCHER)
    state_is(page, "Ansökan under arbete")
    expect(page.locator(".timeline")).to_contain_text(feedback)
    page.get_by_role("link", name="Redigera uppgifter och team").click()
    page.get_by_label("Forskningsfråga").fill("Vad gör en mötesplats trygg för unga, enligt de unga själva?")
    page.get_by_label("Forskningshöjd").fill(
        "Deltagande aktionsforskning med platsobservationer och enkäter."
    )
    page.get_by_label("Planerad start").fill("2027-01-01")
    page.get_by_label("Planerat slut").fill("2027-12-31")
    page.get_by_label("Aktivitetsmål").fill(
        "Tre mötesplatser öppnas på kvällstid\nUnga deltar i utformningen"
    )
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Uppgifterna är sparade.")).to_be_visible()
    page.get_by_role("link", name="Skriv ansökan").click()
    for area in page.locator("textarea").all():
        area.fill("Enligt mallen: mötesplatser, trygghet och ungas fritid i Fröslunda, Eskilstuna.")
    browser_as.shot("forskaren-skriver-ansokan")
    page.get_by_role("button", name="Spara och gå till ärendet").click()
    expect(page.get_by_text("Texten är sparad.")).to_be_visible()
    page.get_by_role("link", name="Fyll i budgeten").click()
    page.get_by_label("2027, Löner inkl. lönebikostnader, Samverkansavtalet").fill("420 000")
    page.get_by_label("2027, Indirekta kostnader, Samverkansavtalet").fill("130 000")
    page.get_by_role("button", name="Spara budgeten").click()
    expect(page.get_by_text("Budgeten är sparad.")).to_be_visible()
    expect(page.locator("body")).to_contain_text(re.compile(r"550\s000\skr"))
    browser_as.shot("forskaren-budget")
    page.get_by_role("link", name="Tillbaka till ärendet").click()
    expect(page.get_by_role("note")).to_contain_text(
        "Ansvarig tjänsteperson har inte bekräftat förankringen."
    )
    expect(page.get_by_role("button", name="Skicka in ansökan")).to_have_count(0)
    browser_as.shot("forskaren-vantar-pa-forankring")
    browser_as.logout()

    # The tjänsteperson confirms förankring.
    page = open_mine(browser_as, OFFICER)
    page.get_by_label("Jag bekräftar att ansökan är förankrad").check()
    page.get_by_role("button", name="Bekräfta förankring").click()
    expect(page.get_by_text("Förankringen är bekräftad.")).to_be_visible()
    expect(page.get_by_text("Bekräftad i Eskilstuna kommun av Lena Karlsson")).to_be_visible()
    browser_as.shot("tjanstepersonen-forankrar")
    browser_as.logout()

    # The researcher submits.
    page = open_mine(browser_as, RESEARCHER)
    page.get_by_role("button", name="Skicka in ansökan").click()
    state_is(page, "Inskickad")
    browser_as.shot("forskaren-skickar-in")
    browser_as.logout()


def walk_through_beredning(browser_as):
    """The processledare books both meetings and schedules; two members assess; the beredning forwards."""
    today = timezone.localdate()
    page = browser_as.page
    browser_as.login(LEADER)
    review_url = book_meeting(
        browser_as,
        kind="Kommungemensam beredning",
        title=REVIEW_TITLE,
        day=today + datetime.timedelta(days=3),
        hours=("13:00", "15:00"),
        chair="Anna Lindqvist",
        shot="processledaren-bokar-beredning",
    ).get_absolute_url()
    page.get_by_label("Ärende").select_option(label=f"{TITLE} (Inskickad)")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    told(page, f"Punkten ”{TITLE}” är tillagd på dagordningen.")
    row = agenda(page).get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Under beredning")
    expect(row).to_contain_text("Bedömningar: 0 av 3 inskickade")
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.locator(".meeting-status")).to_have_text("Kallat")
    told(page, "Kallelsen är skickad")
    browser_as.shot("processledaren-kallar-beredning")
    browser_as.logout()

    # The researcher sees the application under beredning.
    page = open_mine(browser_as, RESEARCHER)
    state_is(page, "Under beredning")
    browser_as.logout()

    # Olof Strand (municipality) and Karin Sjöberg (university) assess.
    olof_comment = "Stor nytta för fritidsförvaltningen; föreningarna är redan engagerade."
    assess(
        browser_as,
        OLOF,
        questions={"Nytta för medborgare, företagare och besökare": 5, "Effekter för kommunen": 4},
        criteria=[5, 4, 4, 4, 4, 4, 5, 5, 4],
        comment=olof_comment,
        shot="olof-bedomer",
    )
    browser_as.logout()
    page = assess(
        browser_as,
        KARIN,
        questions={"Forskningens kvalitet": 4, "Forskningens ambition": 4},
        criteria=[4, 4, 4, 4, 4, 4, 4, 4, 3],
        comment="Väl avgränsad aktionsforskning med tydlig roll för de unga.",
        shot="karin-bedomer",
    )
    assessments = page.get_by_role("region", name="Bedömningar")
    expect(assessments).to_contain_text("2 bedömningar inskickade.")
    expect(assessments).to_contain_text(f"Olof Strand (Eskilstuna kommun): {olof_comment}")
    browser_as.shot("karin-ser-bedomningarna")
    browser_as.logout()

    # The beredning forwards it (the processledare records the outcome).
    browser_as.login(LEADER)
    page = open_item(browser_as, review_url)
    form = page.locator("form.outcome-form")
    form.get_by_role("group", name="Beredningens ställningstagande").get_by_label(
        "Tillstyrks – går vidare till styrgruppen"
    ).check()
    form.get_by_label("Motivering").fill("Hög nytta och god forskningskvalitet.")
    page.get_by_role("button", name="Registrera ställningstagandet").click()
    told(page, "Ärendet har nu status ”Till styrgrupp”.")
    browser_as.shot("beredningen-tillstyrker")
    # The next styrgrupp (the demo's December meeting) is already kallat, so forwarding leaves its agenda
    # alone; the processledare adds the application and the invitees get an updated kallelse (issue 16).
    assert not AgendaItem.objects.filter(proposal__title=TITLE, meeting__kind=MeetingKind.STEERING).exists()
    steering = Meeting.objects.get(title=DECEMBER)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name=steering.title).first.click()
    expect(page.locator(".meeting-status")).to_have_text("Kallat")
    page.get_by_label("Ärende").select_option(label=f"{TITLE} (Till styrgrupp)")
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    told(page, "En uppdaterad kallelse har skickats till ledamöter och föredragande.")
    steering.refresh_from_db()
    assert steering.ics_sequence >= 1
    row = agenda(page).get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Till styrgrupp")
    expect(row).to_contain_text("Ingen votering öppnad")
    expect(row).to_contain_text("Lena Karlsson, Maria Nilsson")  # the applicants present it
    browser_as.shot("styrgruppens-dagordning")
    browser_as.logout()
    return steering


def walk_through_styrgrupp(browser_as, steering):
    """The online vote with jäv, and the decision."""
    browser_as.login(LEADER)
    page = open_item(browser_as, steering.get_absolute_url())
    page.get_by_role("button", name="Öppna voteringen").click()
    expect(page.get_by_text("Voteringen är öppnad.")).to_be_visible()
    # The project's parties hold the seats: the university and Eskilstuna (not Västerås, not Strängnäs).
    expect(page.get_by_text("0 av 2 röstberättigade har röstat")).to_be_visible()
    browser_as.shot("sekreteraren-oppnar-votering")
    browser_as.logout()

    # The chair sees the vote waiting for her in "Mina möten" and votes.
    page = browser_as.login(CHAIR)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    # (She has voted on the meeting's other open item already.)
    expect(page.get_by_role("row").filter(has_text=steering.title)).to_contain_text("Rösta i 1 punkt")
    browser_as.shot("ordforanden-mina-moten")
    page.get_by_role("link", name="Rösta i 1 punkt").click()
    page = open_item(browser_as, None)
    vote_yes(browser_as, CHAIR, shot="ordforanden-rostar", on_page=True)

    # Mats Larsson declares jäv; Eskilstuna's ersättare takes his seat.
    page = browser_as.login(RECUSED)
    browser_as.goto(link_in_mail(RECUSED, f"Rösta: {TITLE}"))
    page.get_by_text("Anmäl jäv", exact=True).first.click()
    page.get_by_label("Skäl till jäv").fill(JAV_REASON)
    page.get_by_label("Jag är jävig och deltar inte i ärendet").check()
    browser_as.shot("mats-anmaler-jav")
    page.get_by_role("button", name="Anmäl jäv").click()
    told(page, "Ditt jäv är anmält")
    expect(page.get_by_text(f"Du har anmält jäv i ärendet ({JAV_REASON})")).to_be_visible()
    expect(page.get_by_role("group", name="Din röst")).to_have_count(0)
    expect(page.get_by_text("1 av 2 röstberättigade har röstat")).to_be_visible()
    browser_as.shot("mats-jav-anmalt")
    browser_as.logout()

    # Ingrid Falk is told by e-mail that she takes the seat; her ballot, the last, closes the vote.
    vote_yes(
        browser_as,
        DEPUTY,
        closes=True,
        shot="sista-rosten-stanger",
        mail_subject="Du tjänstgör som ersättare",
    )

    # The secretary is told the vote has closed, sees the result and records the grant.
    page = browser_as.login(LEADER)
    browser_as.goto(link_in_mail(LEADER, f"Voteringen är stängd: {TITLE} – Bifall"))
    result = page.get_by_role("table", name="Resultat per part")
    for party in ("Mälardalens universitet", "Eskilstuna kommun"):
        expect(result.get_by_role("row", name=party).get_by_role("cell").nth(7)).to_have_text("Bifall")
    for party in ("Västerås stad", "Strängnäs kommun"):
        expect(result.get_by_role("row", name=party)).to_have_count(0)
    expect(page.get_by_text("Ersättare som tjänstgjorde: Ingrid Falk för Mats Larsson")).to_be_visible()
    expect(page.locator(".recusal-list")).to_contain_text(f"Mats Larsson: {JAV_REASON}")
    browser_as.shot("resultat-per-part")
    assert Vote.objects.get(item__proposal__title=TITLE).outcome == VoteOutcome.ADOPTED
    page.get_by_label("Belopp 2027 (kr)").fill("550 000")
    page.get_by_label("Villkor").fill(CONDITIONS)
    page.get_by_role("button", name="Registrera beslut").click()
    told(page, "Ärendet har nu status ”Beviljad”.")
    decision = page.get_by_role("region", name="Beslut", exact=True)
    expect(decision).to_contain_text(re.compile(r"2027: 550\s000\skr"))
    browser_as.shot("beslut-registrerat")
    browser_as.logout()

    # The applicants see the grant.
    page = open_mine(browser_as, RESEARCHER)
    state_is(page, "Beviljad")
    browser_as.shot("forskaren-ser-beviljad")
    browser_as.logout()


def walk_to_active(browser_as):
    """Signatures (password re-entry), diarium numbers for both copies, the project account, the start."""
    document = sign(browser_as, REKTOR, "Mälardalens universitet", "rektor")
    sign(browser_as, KOMMUNDIREKTOR, "Eskilstuna kommun", "kommundirektor")
    register(browser_as, LEADER, document, 1, "MDU-2026/2001", "anna")
    browser_as.logout()
    page = register(browser_as, MUNI_LEADER, document, 2, "KSKF-2026/3002", "erik")
    expect(page.get_by_text("MDU-2026/2001")).to_be_visible()
    page.get_by_label("Projektkonto").fill("MDU-72001")
    page.get_by_role("button", name="Starta projektet").click()
    expect(page.get_by_text("Projektkontot är sparat och projektet har startat.")).to_be_visible()
    browser_as.shot("erik-startar-projektet")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    state_is(page, "Pågående")
    browser_as.logout()


def fill_report(page, *, final=False):
    page.get_by_label("Leveranser: uppnått jämfört med beslutat").fill(
        "Två av tre mötesplatser är öppna på kvällstid; unga har varit med och utformat dem."
    )
    page.get_by_label(GOALS[0]).select_option(label="Uppnått" if final else "Delvis uppnått")
    page.get_by_label(GOALS[1]).select_option(label="Uppnått")
    page.get_by_label("Utvärdering av arbetet").fill("Samarbetet med föreningarna fungerar väl.")
    page.get_by_label("Vunna erfarenheter").fill("De unga vill själva bemanna mötesplatserna.")
    if final:
        page.get_by_label("Vetenskaplig slutrapport").fill(
            "Syfte, metod, resultat och slutsatser: mötesplatser som unga utformar upplevs som tryggare."
        )
    page.get_by_label("Kostnaderna avser år").fill("2027")
    page.get_by_label("Löner inkl. lönebikostnader").fill("210 000" if final else "190 000")


def open_report(browser_as, email, report_title):
    """The team opens a report from the follow-up panel on the proposal page."""
    page = open_mine(browser_as, email)
    panel = page.get_by_role("region", name="Uppföljning och avslut")
    panel.get_by_role("link", name=report_title, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=report_title)).to_be_visible()
    return page


def event_day(today: datetime.date) -> datetime.date:
    """A week ahead at the earliest, in quarter 2 or 4 (when dissemination events are held)."""
    day = today + datetime.timedelta(days=7)
    while (day.month - 1) // 3 + 1 not in (2, 4):
        day += datetime.timedelta(days=1)
    return day


def walk_through_follow_up(browser_as):
    """Halvtidsredovisning treated at the beredning; the kommunikatör arranges a dissemination event; the
    team books its presentation and submits the final report: Slutredovisad; the styrgrupp closes it."""
    # The team sees the project running, with the follow-up schedule the start generated, and submits the
    # half-time report.
    page = open_mine(browser_as, RESEARCHER)
    state_is(page, "Pågående")
    expect(page.get_by_role("heading", name="Beslutsdokument")).to_be_visible()
    panel = page.get_by_role("region", name="Uppföljning och avslut")
    expect(panel).to_contain_text("Halvtidsredovisning")
    expect(panel).to_contain_text("Slutredovisning")
    browser_as.shot("forskaren-ser-pagaende-och-uppfoljningsplanen")
    panel.get_by_role("link", name="Halvtidsredovisning", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Halvtidsredovisning")).to_be_visible()
    # Handing in an empty report is refused with a list of what is missing, and nothing changes.
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_role("alert")).to_contain_text("Skriv en utvärdering av arbetet.")
    expect(page.locator(".status-line")).to_contain_text("Kommande")
    fill_report(page)
    browser_as.shot("forskaren-skriver-halvtidsredovisning")
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    expect(page.locator(".status-line")).to_contain_text("Inlämnad")
    browser_as.shot("forskaren-halvtid-inlamnad")
    browser_as.logout()

    # The processledare puts it on the beredning's agenda and records the feedback.
    page = browser_as.login(LEADER)
    nav(page).get_by_role("link", name="Uppföljning").click()
    treat = page.get_by_role("region", name=re.compile("Inlämnade – att behandla"))
    row = treat.get_by_role("row", name=re.compile(re.escape(TITLE)))
    expect(row).to_contain_text("Inte på dagordning")
    browser_as.shot("processledaren-uppfoljning")
    row.get_by_role("link", name="Halvtidsredovisning").click()
    meeting = page.get_by_role("combobox", name="Möte")
    # The application's own beredning has it on its agenda already; the next one takes up follow-up.
    meeting.select_option(label=meeting_label(followup_demo.REVIEW))
    page.get_by_role("button", name="Sätt på dagordningen").click()
    expect(page.get_by_text("Rapporten är satt på mötets dagordning.")).to_be_visible()
    report_url = page.url
    browser_as.logout()
    # The beredning meets – a report is treated at its meeting, not before (issue 16): the clock moves to it.
    review = Meeting.objects.get(title=followup_demo.REVIEW)
    with time_machine.travel(review.starts_at + datetime.timedelta(hours=1), tick=True):
        page = browser_as.login(LEADER)
        page.goto(report_url)
        feedback = "Beredningen ser goda resultat. Låt de unga presentera på resultatspridningen."
        page.get_by_label("Mötets återkoppling").fill(feedback)
        page.get_by_role("button", name="Markera som behandlad").click()
        expect(page.locator(".status-line")).to_contain_text("Behandlad")
        expect(page.get_by_role("region", name="Återkoppling")).to_contain_text(feedback)
        browser_as.shot("processledaren-behandlar-rapporten")
        browser_as.logout()

    # The kommunikatör arranges the next dissemination event.
    day = event_day(timezone.localdate())
    page = browser_as.login(COMMUNICATOR)
    nav(page).get_by_role("link", name="Resultatspridning").click()
    page.get_by_role("link", name="Nytt tillfälle").click()
    page.get_by_label("Rubrik").fill(EVENT)
    page.get_by_label("Börjar").fill(f"{day:%Y-%m-%d}T13:00")
    page.get_by_label("Slutar").fill(f"{day:%Y-%m-%d}T16:00")
    page.get_by_label("Plats").fill("Eskilstuna, Munktellarenan")
    page.get_by_label("Beskrivning").fill(
        "Populärvetenskapliga presentationer av projekten i samverkansavtalet."
    )
    browser_as.shot("kommunikatoren-nytt-tillfalle")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Resultatspridningstillfället är sparat.")).to_be_visible()
    expect(page.get_by_role("heading", name=EVENT)).to_be_visible()
    browser_as.logout()

    # The researcher books the presentation, then submits the final report: the project is Slutredovisad.
    page = open_mine(browser_as, RESEARCHER)
    page.get_by_role("link", name="Uppföljning, presentation och avslut").click()
    expect(page.locator(".status-line .state")).to_have_text("Pågående")
    expect(page.locator(".progress-list")).to_contain_text("75 %")  # one goal met, one partly
    page.get_by_label("Resultatspridningstillfälle").select_option(
        label=f"{EVENT} – {day:%Y-%m-%d}, Eskilstuna, Munktellarenan"
    )
    page.get_by_label("Presentationens titel").fill(PRESENTATION)
    page.get_by_label("Presentatör").select_option(label="Maria Nilsson")
    page.get_by_role("button", name="Registrera presentationen").click()
    expect(page.get_by_text("Presentationen är registrerad på programmet.")).to_be_visible()
    expect(page.locator(".checklist")).to_contain_text(PRESENTATION)
    expect(page.locator(".status-line .state")).to_have_text("Pågående")  # the final report is missing
    browser_as.shot("forskaren-bokar-presentation")
    page.get_by_role("link", name="Slutredovisning", exact=True).click()
    fill_report(page, final=True)
    browser_as.shot("forskaren-skriver-slutredovisning")
    page.get_by_role("button", name="Lämna in rapporten").click()
    expect(page.get_by_text("Rapporten är inlämnad.")).to_be_visible()
    page.get_by_role("link", name=re.compile("Uppföljning: ")).click()
    expect(page.locator(".status-line .state")).to_have_text("Slutredovisad")
    browser_as.shot("forskaren-slutredovisad")
    browser_as.logout()

    # The public calendar shows the presentation on the programme.
    page = browser_as.goto("/spridning/")
    expect(page.get_by_role("region", name=EVENT)).to_contain_text(PRESENTATION)
    browser_as.shot("oppna-kalendern")

    # The processledare books the styrgrupp meeting after December and takes the closure there.
    browser_as.login(LEADER)
    book_meeting(
        browser_as,
        kind="Styrgrupp",
        title=CLOSURE_MEETING,
        day=timezone.localdate() + datetime.timedelta(days=28),  # the demo's December meeting is earlier
        hours=("09:00", "11:00"),
        chair="Helena Wik",
        shot="processledaren-bokar-styrgrupp",
    )
    expect(page.get_by_text("Dagordningen är tom.")).to_be_visible()
    nav(page).get_by_role("link", name="Uppföljning").click()
    page.get_by_role("region", name=re.compile("Redo för avslut")).get_by_role("link", name=TITLE).click()
    expect(page.locator(".status-line .state")).to_have_text("Slutredovisad")
    page.get_by_role("combobox", name="Möte").select_option(label=meeting_label(CLOSURE_MEETING))
    page.get_by_role("button", name="Sätt på styrgruppens dagordning").click()
    expect(page.get_by_text("Avslutet är satt på styrgruppens dagordning.")).to_be_visible()
    browser_as.shot("processledaren-avslut-pa-dagordningen")
    browser_as.logout()

    # The meeting begins (the clock moves to it: a decision enligt förslag is taken at the meeting, issue 16)
    # and the chair approves the results and closes the project "enligt förslag".
    closure = Meeting.objects.get(title=CLOSURE_MEETING)
    with time_machine.travel(closure.starts_at + datetime.timedelta(minutes=10), tick=True):
        page = browser_as.login(CHAIR)
        nav(page).get_by_role("link", name="Möten").click()
        page.get_by_role("link", name=CLOSURE_MEETING).first.click()
        agenda(page).get_by_role("link", name=f"Godkänna resultat och avsluta: {TITLE}").click()
        # The form is prefilled for a closure.
        expect(page.get_by_label("Typ av beslut").locator("option:checked")).to_have_text("Avsluta")
        expect(page.get_by_label("Beslutstext")).to_have_value(
            f"Styrgruppen godkänner resultaten och avslutar ”{TITLE}”."
        )
        browser_as.shot("ordforanden-beslutar-avslut")
        page.get_by_role("button", name="Besluta enligt förslag").click()
        told(page, "Ärendet har nu status ”Avslutad”.")
        # Decided: no vote is offered any more.
        expect(page.get_by_role("button", name="Öppna voteringen")).to_have_count(0)
        expect(page.get_by_text("Voteringen är inte öppnad än.")).to_have_count(0)
        browser_as.shot("ordforanden-avslutat")
        browser_as.logout()

    page = open_mine(browser_as, RESEARCHER)
    state_is(page, "Avslutad")
    browser_as.shot("forskaren-ser-avslutad")
    browser_as.logout()


def walk_to_quarterly_report(browser_as):
    """The quarter ends (the clock moves – the only thing no user does); the kommunikatör orders the
    quarterly report for it and finds the project started, final-reported and closed."""
    quarter = Quarter.current()
    after = datetime.datetime.combine(
        quarter.next().start, datetime.time(8, 0), tzinfo=timezone.get_current_timezone()
    ) + datetime.timedelta(days=1)
    with time_machine.travel(after, tick=True):
        page = browser_as.login(COMMUNICATOR)
        nav(page).get_by_role("link", name="Rapporter").click()
        page.get_by_role("combobox", name="Kvartal").select_option(label=quarter.label)
        page.get_by_role("button", name="Ta fram rapporten").click()
        expect(page.get_by_role("heading", name=f"Kvartalsrapport {quarter.label}")).to_be_visible()
        expect(page.get_by_role("link", name="Ladda ner PDF")).to_be_visible()
        ideas = page.locator("#avsnitt-new")
        expect(ideas).to_contain_text(TITLE)
        events = page.get_by_role("region", name=re.compile("Starter, slutredovisningar och avslut"))
        for happening in ("Startat", "Slutredovisat", "Avslutat"):
            expect(events.get_by_role("row").filter(has_text=TITLE).filter(has_text=happening)).to_have_count(
                1
            )
        browser_as.shot("kommunikatoren-kvartalsrapport")
        browser_as.logout()


def test_the_whole_lifecycle(world, browser_as):
    for old in browser_as.shots.glob("*.png"):  # one run's steps, not a mix with an earlier run's
        old.unlink()
    walk_to_submitted(browser_as)
    steering = walk_through_beredning(browser_as)
    walk_through_styrgrupp(browser_as, steering)
    walk_to_active(browser_as)
    assert Proposal.objects.get(title=TITLE).state == ProposalState.ACTIVE
    walk_through_follow_up(browser_as)
    walk_to_quarterly_report(browser_as)

    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.state == ProposalState.CLOSED
    assert list(proposal.transitions.values_list("transition", flat=True)) == [
        "create",
        "to_pitch",
        "record_pitch_feedback",
        "submit",
        "schedule_review",
        "forward_to_decision",
        "grant",
        "start",
        "submit_final_report",
        "close",
    ]
    assert {r.kind: r.state for r in FollowUpReport.objects.filter(proposal=proposal)} == {
        ReportKind.HALF_TIME: ReportState.TREATED,
        ReportKind.FINAL: ReportState.SUBMITTED,
    }
