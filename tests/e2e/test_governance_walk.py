"""Issue #4's walk, every step in the browser as the person who does it: the processledare books a
kommungemensam beredning with two applications and sends the kallelse; two members assess (each sees the
other's assessment only after submitting their own); the beredning forwards one application and returns
the other; at the styrgrupp the members vote online, one declares jäv, the vote closes by itself and the
secretary records the grant; the minutes are written, approved by the chair and the adjuster, and the PDF is
downloaded and read back."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.enums import ProposalState
from governance.enums import CRITERIA, MeetingKind, MeetingStatus, VoteOutcome
from governance.models import Vote
from samverkan.demo import DEMO_PASSWORD
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation, RoleAssignment, User
from tests.e2e.steps import book_meeting, nav
from tests.factories.applications import ProposalFactory, anchored
from tests.factories.budget import budget_row

LEADER = "anna.lindqvist@mdu.example"  # processledare: books, schedules, records, secretary of the styrgrupp
KARIN = "karin.sjoberg@mdu.example"  # beredning, university: research questions
OLOF = "olof.strand@eskilstuna.example"  # beredning, municipality: benefit questions
RESEARCHER = "ahmed.hassan@mdu.example"
OFFICER = "sofia.andersson@vasteras.example"
CHAIR = "helena.wik@mdu.example"
ADJUSTER = "mats.larsson@eskilstuna.example"
RECUSED = "eva.persson@vasteras.example"
DEPUTY = "sara.ersattare@vasteras.example"
# Only the university and Västerås (the applications' municipality) decide; the ersättare votes last.
VOTERS = [CHAIR, DEPUTY]

FORWARDED = "Trygga skolvägar för barn som cyklar"
RETURNED = "Digital delaktighet bland äldre i Västerås"
RETURN_MOTIVATION = "Förtydliga hur de äldre själva deltar i utformningen och avgränsa urvalet."
JAV_REASON = "Sitter i styrelsen för föreningen som leder projektets träffar"
CONDITIONS = "Delrapport till styrgruppen efter ett år."


@pytest.fixture
def world(demo):
    """What the UI has no way to make: two submitted applications (researcher Ahmed Hassan, tjänsteperson
    Sofia Andersson in Västerås, anchored there, with a budget for 2027–2028) and an ersättare in the
    styrgrupp for Västerås, who takes Eva Persson's seat when she declares jäv (each party has one ordinary
    member in the demo)."""
    agreement = Agreement.objects.get()
    researcher = User.objects.get(email=RESEARCHER)
    officer = User.objects.get(email=OFFICER)
    vasteras = Organisation.objects.get(name="Västerås stad")
    for title in (FORWARDED, RETURNED):
        proposal = ProposalFactory(
            agreement=agreement,
            state=ProposalState.SUBMITTED,
            responsible_researcher=researcher,
            responsible_officer=officer,
            title=title,
            planned_start=datetime.date(2027, 1, 1),
            planned_end=datetime.date(2028, 12, 31),
        )
        anchored(proposal)
        proposal.municipal_organisations.add(vasteras)
        proposal.anchoring_organisation = vasteras
        proposal.save()
        budget_row(proposal, year=2027, amount=450_000)
        budget_row(proposal, year=2028, amount=350_000)
    deputy = User.objects.create_user(
        email=DEPUTY, password=DEMO_PASSWORD, first_name="Sara", last_name="Ersättare"
    )
    RoleAssignment.objects.create(
        user=deputy,
        agreement=agreement,
        organisation=vasteras,
        role=Role.STEERING_DEPUTY,
        valid_from=datetime.date(2024, 1, 1),
        title="Ersättare i styrgruppen",
    )


# --- steps --------------------------------------------------------------------------------------------------


def told(page, text):
    """The message the page gives after an action (a live region, as are the vote and PDF statuses)."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def open_item(browser_as, meeting, title):
    page = browser_as.goto(meeting.get_absolute_url())
    page.get_by_role("table", name=re.compile("Dagordning")).get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(re.escape(title)))).to_be_visible()
    return page


def assess(browser_as, meeting, title, *, questions, criteria, comment, shot=None):
    """The member scores every question of their perspective and all nine criteria, then submits."""
    page = open_item(browser_as, meeting, title)
    page.get_by_role("link", name="Bedöm ansökan").click()
    for question, score in questions.items():
        page.get_by_role("group", name=question, exact=True).get_by_label(str(score), exact=True).check()
    for (number, label), score in zip(CRITERIA, criteria, strict=True):
        page.get_by_role("group", name=f"{number}. {label}").get_by_label(str(score), exact=True).check()
    page.get_by_label("Sammanfattande kommentar").fill(comment)
    if shot:
        browser_as.shot(shot)
    page.get_by_role("button", name="Skicka in bedömning").click()
    told(page, "Din bedömning är inskickad")
    expect(page.locator(".own-assessment")).to_contain_text("Din bedömning är inskickad")
    return page


def record_outcome(browser_as, meeting, title, *, outcome, motivation, state, shot):
    page = open_item(browser_as, meeting, title)
    form = page.locator("form.outcome-form")
    form.get_by_role("group", name="Beredningens ställningstagande").get_by_label(outcome).check()
    form.get_by_label("Motivering").fill(motivation)
    page.get_by_role("button", name="Registrera ställningstagandet").click()
    told(page, f"Ärendet har nu status ”{state}”.")
    section = page.get_by_role("region", name="Beredningens ställningstagande")
    expect(section).to_contain_text(motivation)
    browser_as.shot(shot)


def vote(browser_as, email, item_url, *, shot=None):
    page = browser_as.login(email)
    browser_as.goto(item_url)
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    if shot:
        browser_as.shot(shot)
    browser_as.logout()
    return page


def approve_minutes(browser_as, email, meeting, *, message, shot):
    page = browser_as.login(email)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    row = page.get_by_role("row").filter(has_text=meeting.title)
    expect(row).to_contain_text("Justera protokollet")
    row.get_by_role("link", name="Justera protokollet").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Protokoll"))).to_be_visible()
    page.get_by_role("button", name="Justera protokollet").click()
    told(page, message)
    browser_as.shot(shot)
    return page


# --- the walk -----------------------------------------------------------------------------------------------


def test_beredning_to_granted_application_with_approved_minutes(world, browser_as, time_machine):
    page = browser_as.page
    today = timezone.localdate()
    review_day = today + datetime.timedelta(days=3)
    # Before the demo's December styrgrupp meeting, so the forwarded application lands on this one.
    steering_day = today + datetime.timedelta(days=7)
    review_title = "Extra kommungemensam beredning"
    steering_title = "Extra styrgruppsmöte"

    # 1. The processledare books the beredning, schedules both applications and sends the kallelse.
    browser_as.login(LEADER)
    review = book_meeting(
        browser_as,
        kind="Kommungemensam beredning",
        title=review_title,
        day=review_day,
        hours=("13:00", "16:00"),
        chair="Anna Lindqvist",
        shot="beredning-boka",
    )
    assert review.kind == MeetingKind.JOINT_REVIEW
    for title in (FORWARDED, RETURNED):
        page.get_by_label("Ärende").select_option(label=f"{title} (Inskickad)")
        page.get_by_role("button", name="Lägg till på dagordningen").click()
        told(page, f"Punkten ”{title}” är tillagd på dagordningen.")
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    expect(agenda.get_by_role("row").filter(has_text=FORWARDED)).to_contain_text("13:00–13:15")
    expect(agenda.get_by_role("row").filter(has_text=RETURNED)).to_contain_text("13:15–13:30")
    expect(agenda.get_by_text("Under beredning")).to_have_count(2)
    expect(agenda.get_by_text("Bedömningar: 0 av 3 inskickade")).to_have_count(2)
    browser_as.shot("beredning-dagordning")
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.locator(".meeting-status")).to_have_text("Kallat")
    told(page, "Kallelsen är skickad")
    browser_as.shot("beredning-kallat")
    invited = {m.to[0] for m in mail.outbox if m.subject.startswith("Kallelse:")}
    assert {KARIN, OLOF, RESEARCHER} <= invited

    # ... and books the upcoming styrgrupp meeting: Helena Wik chairs, she is the secretary.
    steering = book_meeting(
        browser_as,
        kind="Styrgrupp",
        title=steering_title,
        day=steering_day,
        hours=("09:00", "11:00"),
        chair="Helena Wik",
        shot="styrgrupp-boka",
    )
    expect(page.get_by_text("Dagordningen är tom.")).to_be_visible()
    assert (steering.chair.email, steering.secretary.email) == (CHAIR, LEADER)
    browser_as.logout()

    # 2. Olof Strand (municipality) assesses both applications on benefit and effects.
    page = browser_as.login(OLOF)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    expect(page.get_by_role("row").filter(has_text=review_title)).to_contain_text("Bedöm 2 ansökningar")
    browser_as.shot("olof-mina-moten")
    benefit = {"Nytta för medborgare, företagare och besökare": 5, "Effekter för kommunen": 4}
    olof_comment = "Stor nytta för skolorna i Eskilstuna; trafikkontoret är redan med."
    page = assess(
        browser_as,
        review,
        FORWARDED,
        questions=benefit,
        criteria=[5, 4, 4, 4, 4, 4, 5, 5, 4],
        comment=olof_comment,
        shot="olof-bedomer",
    )
    expect(page.get_by_text(olof_comment)).to_be_visible()
    assess(
        browser_as,
        review,
        RETURNED,
        questions={"Nytta för medborgare, företagare och besökare": 3, "Effekter för kommunen": 2},
        criteria=[3, 3, 2, 3, 3, 3, 3, 2, 2],
        comment="Oklart hur de äldre själva deltar.",
    )
    browser_as.logout()

    # 3. Karin Sjöberg (university) does not see Olof's assessment until she has submitted her own.
    page = browser_as.login(KARIN)
    page = open_item(browser_as, review, FORWARDED)
    assessments = page.get_by_role("region", name="Bedömningar")
    expect(assessments).to_contain_text("1 bedömning inskickad.")
    expect(assessments).to_contain_text(
        "Du ser de andra ledamöternas bedömningar när du har skickat in din egen"
    )
    expect(assessments).not_to_contain_text(olof_comment)
    expect(assessments.get_by_role("table")).to_have_count(0)
    browser_as.shot("karin-ser-inte-olofs-bedomning")
    research = {"Forskningens kvalitet": 4, "Forskningens ambition": 5}
    karin_comment = "Väl avgränsad design; GPS-data och intervjuer kompletterar varandra."
    page = assess(
        browser_as,
        review,
        FORWARDED,
        questions=research,
        criteria=[4, 4, 3, 4, 4, 4, 5, 4, 3],
        comment=karin_comment,
        shot="karin-bedomer",
    )
    assessments = page.get_by_role("region", name="Bedömningar")
    expect(assessments).to_contain_text("2 bedömningar inskickade.")
    expect(assessments).to_contain_text(f"Olof Strand (Eskilstuna kommun): {olof_comment}")
    expect(assessments).to_contain_text(karin_comment)
    expect(assessments.get_by_role("table", name=re.compile("Sammanställning av 1 inskickad"))).to_have_count(
        2
    )
    browser_as.shot("karin-ser-alla-bedomningar")
    assess(
        browser_as,
        review,
        RETURNED,
        questions={"Forskningens kvalitet": 3, "Forskningens ambition": 3},
        criteria=[3, 3, 3, 3, 3, 3, 3, 3, 3],
        comment="Urvalet behöver avgränsas.",
    )
    browser_as.logout()

    # 4. The processledare records the beredning's outcome: forward the first, return the second.
    browser_as.login(LEADER)
    record_outcome(
        browser_as,
        review,
        FORWARDED,
        outcome="Tillstyrks – går vidare till styrgruppen",
        motivation="Hög nytta och god forskningskvalitet.",
        state="Till styrgrupp",
        shot="beredning-tillstyrker",
    )
    record_outcome(
        browser_as,
        review,
        RETURNED,
        outcome="Återförs för revidering",
        motivation=RETURN_MOTIVATION,
        state="Ansökan under arbete",
        shot="beredning-aterfor",
    )
    page = browser_as.goto(review.get_absolute_url())
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    expect(agenda.get_by_role("row").filter(has_text=FORWARDED)).to_contain_text("Till styrgrupp")
    expect(agenda.get_by_role("row").filter(has_text=RETURNED)).to_contain_text("Ansökan under arbete")
    browser_as.shot("beredning-utfall")

    # The forwarded application is now on the styrgrupp's agenda; she sends that kallelse too.
    page = browser_as.goto(steering.get_absolute_url())
    agenda = page.get_by_role("table", name=re.compile("Dagordning"))
    row = agenda.get_by_role("row").filter(has_text=FORWARDED)
    expect(row).to_contain_text("Beslut")
    expect(row).to_contain_text("Till styrgrupp")
    expect(row).to_contain_text("Ingen votering öppnad")
    expect(row).to_contain_text("Sofia Andersson, Ahmed Hassan")  # the applicants present it
    expect(agenda.get_by_role("link", name=RETURNED)).to_have_count(0)
    mail.outbox.clear()
    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.locator(".meeting-status")).to_have_text("Kallat")
    browser_as.shot("styrgrupp-dagordning")
    invited = {m.to[0] for m in mail.outbox if m.subject.startswith("Kallelse:")}
    assert {CHAIR, ADJUSTER, RECUSED, DEPUTY, RESEARCHER, OFFICER} <= invited
    browser_as.logout()

    # The researcher reads why the second application came back, in its timeline.
    page = browser_as.login(RESEARCHER)
    nav(page).get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name=RETURNED).click()
    expect(page.locator(".status-line")).to_contain_text("Ansökan under arbete")
    expect(page.locator(".timeline")).to_contain_text(RETURN_MOTIVATION)
    browser_as.shot("forskaren-ser-motiveringen")
    browser_as.logout()

    # 5. At the styrgrupp the secretary opens the vote on the forwarded application. A vote opens from the
    # meeting's start (issue 16): the clock moves to the meeting (a new working day: she logs in again).
    time_machine.move_to(steering.starts_at + datetime.timedelta(minutes=10), tick=True)
    browser_as.login(LEADER)
    page = open_item(browser_as, steering, FORWARDED)
    item_url = page.url.removeprefix(browser_as.base_url)
    page.get_by_role("button", name="Öppna voteringen").click()
    expect(page.get_by_text("Voteringen är öppnad.")).to_be_visible()
    # The university and Västerås hold the seats: Eskilstuna and Strängnäs are not parties to it.
    expect(page.get_by_text("0 av 2 röstberättigade har röstat")).to_be_visible()
    browser_as.shot("votering-oppnad")
    browser_as.logout()

    page = browser_as.login(CHAIR)
    nav(page).get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Mina möten").click()
    expect(page.get_by_role("row").filter(has_text=steering_title)).to_contain_text("Rösta i 1 punkt")
    browser_as.shot("ordforanden-mina-moten")
    browser_as.logout()
    vote(browser_as, CHAIR, item_url, shot="ordforanden-rostar")

    # Eva Persson declares jäv; Västerås keeps its voice through the ersättare, who takes her seat.
    page = browser_as.login(RECUSED)
    page = browser_as.goto(item_url)
    page.get_by_text("Anmäl jäv", exact=True).first.click()
    page.get_by_label("Skäl till jäv").fill(JAV_REASON)
    page.get_by_label("Jag är jävig och deltar inte i ärendet").check()
    browser_as.shot("jav-ifyllt")
    page.get_by_role("button", name="Anmäl jäv").click()
    told(page, "Ditt jäv är anmält")
    expect(page.get_by_text(f"Du har anmält jäv i ärendet ({JAV_REASON})")).to_be_visible()
    expect(page.get_by_role("group", name="Din röst")).to_have_count(0)
    expect(page.get_by_text("1 av 2 röstberättigade har röstat")).to_be_visible()
    browser_as.shot("jav-anmalt")
    browser_as.logout()

    for email in VOTERS[1:-1]:
        vote(browser_as, email, item_url)
    # The last entitled member's ballot closes the vote by itself.
    page = browser_as.login(VOTERS[-1])
    browser_as.goto(item_url)
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Alla röstberättigade har röstat – voteringen är stängd.")).to_be_visible()
    browser_as.shot("sista-rosten-stanger")
    browser_as.logout()

    # The secretary sees the result per party and records the grant with an amount per year.
    browser_as.login(LEADER)
    page = browser_as.goto(item_url)
    expect(page.get_by_role("button", name="Stäng voteringen")).to_have_count(0)
    result = page.get_by_role("table", name="Resultat per part")
    expected = {
        "Mälardalens universitet": ("1", "0"),
        "Västerås stad": ("1", "0"),  # the ersättare holds Eva Persson's seat: no seat left empty
    }
    for party, (yes, recused) in expected.items():
        cells = result.get_by_role("row", name=party).get_by_role("cell")
        expect(cells.nth(3)).to_have_text(yes)  # Bifall
        expect(cells.nth(1)).to_have_text(recused)  # Jäv
        expect(cells.nth(7)).to_have_text("Bifall")  # Partens utfall
    for party in ("Eskilstuna kommun", "Strängnäs kommun"):
        expect(result.get_by_role("row", name=party)).to_have_count(0)
    expect(page.get_by_text("Ersättare som tjänstgjorde: Sara Ersättare för Eva Persson")).to_be_visible()
    expect(page.locator(".recusal-list")).to_contain_text(f"Eva Persson: {JAV_REASON}")
    expect(page.get_by_role("table", name="Hur var och en röstade")).to_contain_text("Sara Ersättare")
    browser_as.shot("resultat-per-part")
    assert Vote.objects.get(item__meeting=steering).outcome == VoteOutcome.ADOPTED

    page.get_by_label("Belopp 2027 (kr)").fill("400 000")
    page.get_by_label("Belopp 2028 (kr)").fill("350 000")
    page.get_by_label("Villkor").fill(CONDITIONS)
    page.get_by_role("button", name="Registrera beslut").click()
    told(page, "Beslut §1 är registrerat: Bevilja.")
    told(page, "Ärendet har nu status ”Beviljad”.")
    decision = page.get_by_role("region", name="Beslut", exact=True)
    expect(decision).to_contain_text(re.compile(r"2027: 400\s000\skr; 2028: 350\s000\skr"))
    expect(decision).to_contain_text(re.compile(r"totalt 750\s000\skr"))
    browser_as.shot("beslut-registrerat")
    page.get_by_role("link", name="Hela ansökan med budget och historik").click()
    expect(page.locator(".status-line")).to_contain_text("Beviljad")
    browser_as.shot("arendet-beviljat")

    # 6. Minutes: the meeting is marked held, the secretary writes them from the generated text and
    # appoints Mats Larsson as adjuster; the meeting has started (the clock moved to it for the vote).
    browser_as.logout()
    browser_as.login(LEADER)
    page = browser_as.goto(steering.get_absolute_url())
    page.get_by_role("link", name="Närvaro").click()
    for name in ["Helena Wik", "Mats Larsson", "Sara Ersättare", "Eva Persson"]:
        page.get_by_label(f"Närvaro för {name}").select_option(label="Närvarande")
    page.get_by_label("Närvaro för Nils Öberg").select_option(label="Anlände sent")
    page.get_by_label("Anteckning för Nils Öberg").fill("Anslöt via video 09.20")
    page.get_by_role("button", name="Spara närvaron").click()
    told(page, "Närvaron är sparad.")
    browser_as.shot("narvaro")
    page = browser_as.goto(steering.get_absolute_url())
    page.get_by_role("button", name="Markera som genomfört").click()
    expect(page.locator(".meeting-status")).to_have_text("Genomfört")
    page.get_by_role("link", name="Till protokollet").click()
    page.get_by_role("link", name="Skriv protokollet").click()
    text = page.get_by_label("Protokollstext")
    expect(text).to_have_value(re.compile(rf"§1 Beslut: {FORWARDED}"))
    expect(text).to_have_value(re.compile(re.escape(JAV_REASON)))
    expect(text).to_have_value(re.compile(r"Strängnäs kommun \| Nils Öberg \| Anlände sent"))
    page.get_by_label("Justerare").select_option(label="Mats Larsson")
    browser_as.shot("protokoll-skriv")
    page.get_by_role("button", name="Spara protokollet").click()
    told(page, "Protokollet är sparat.")
    expect(page.locator(".status-line")).to_contain_text("Justeras – väntar på ordförande och justerare")
    expect(page.locator(".minutes-body")).to_contain_text(FORWARDED)
    browser_as.shot("protokoll-sparat")
    browser_as.logout()

    approve_minutes(
        browser_as, CHAIR, steering, message="Din justering är registrerad.", shot="ordforanden-justerar"
    )
    expect(page.locator(".status-line")).to_contain_text("Justeras – väntar på justerare")
    browser_as.logout()
    page = approve_minutes(
        browser_as,
        ADJUSTER,
        steering,
        message="Protokollet är justerat. PDF:en skapas nu.",
        shot="justeraren-justerar",
    )
    expect(page.locator(".status-line")).to_contain_text("Justerat")
    download_link = page.get_by_role("link", name="Ladda ner protokollet (PDF)")
    expect(download_link).to_be_visible(timeout=15_000)
    browser_as.shot("protokoll-justerat")
    steering.refresh_from_db()
    assert steering.status == MeetingStatus.MINUTES_APPROVED

    with page.expect_download() as info:
        download_link.click()
    pdf_path = browser_as.shots / "protokoll.pdf"
    info.value.save_as(pdf_path)
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    flat = " ".join(pdf_text.split())
    assert FORWARDED in flat
    assert "§1" in flat
    assert re.search(r"2027 400\s?000 kr 2028 350\s?000 kr Totalt 750\s?000 kr", flat), flat
    assert JAV_REASON in flat
    assert "Föredragande Sofia Andersson, Ahmed Hassan" in flat
    assert "Anlände sent (Anslöt via video 09.20)" in flat
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf_path), str(browser_as.shots / "pdf")],
        check=True,
    )
    assert list(browser_as.shots.glob("pdf*.png"))
