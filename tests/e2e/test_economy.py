"""The agreement's economy in a browser, on the demo world: the processledare enters a year's frame and a
new line, the styrgrupp's decision on "Inkludering av nyanlända i föreningslivet" is refused over the
frame and then granted against a chosen line, the overview shows the commitment (charts included), a
disbursement is registered for the running project, and the verksamhetsplan PDF downloads."""

import re
from pathlib import Path

from playwright.sync_api import expect

from governance import services as governance
from governance.enums import VoteStatus
from governance.models import Vote
from governance.seating import seating_now
from samverkan.models import Agreement

LEADER = "anna.lindqvist@mdu.example"
INCLUSION = "Inkludering av nyanlända i föreningslivet"
ENERGY = "Energieffektiva bostäder och minskad segregation"


def _everyone_votes_on_inclusion() -> str:
    """The December vote closes when every seat of the project's parties (the university and Västerås) has
    voted (done here, as the voting tests cover it)."""
    vote = Vote.objects.select_related("item__meeting").get(item__proposal__title=INCLUSION)
    for seat in seating_now(vote.item).seats:
        if not seat.empty and not vote.ballots.filter(member=seat.holder.user).exists():
            governance.ballot_cast(vote=vote, by=seat.holder.user, choice="yes")
            vote.refresh_from_db()
            if vote.status == VoteStatus.CLOSED:
                break
    assert vote.status == VoteStatus.CLOSED
    return vote.item.get_absolute_url()


def test_processledare_runs_the_economy(demo, browser_as):
    agreement = Agreement.objects.get()
    item_url = _everyone_votes_on_inclusion()
    page = browser_as.login(LEADER)

    # The economy overview of the plan year: seed 000's frame.
    page.get_by_role("link", name="Ekonomi", exact=True).first.click()
    page.get_by_role("navigation", name="År").get_by_role("link", name="2027").click()
    expect(page.get_by_role("heading", name="Ekonomi 2027")).to_be_visible()
    lines = page.locator("#lines-table")
    expect(lines.get_by_role("row", name=re.compile("^Summa Gemensamma"))).to_contain_text(
        "7\xa0400\xa0000\xa0kr"
    )
    expect(page.locator("#overall-total")).to_have_text("17\xa0800\xa0000\xa0kr")
    browser_as.shot("overview-2027")

    # A new year's frame: prefilled from the year before, plus a new line.
    page.get_by_label("Ny budgetram för år").fill("2029")
    page.get_by_role("button", name="Lägg upp ram").click()
    expect(page.get_by_role("heading", name="Budgetram 2029")).to_be_visible()
    expect(page.get_by_label("Processledning")).to_have_value("2\xa0300\xa0000")
    page.get_by_label("Samverkansområde, ny post 1").fill("MKL")
    page.get_by_label("Budgetpost, ny post 1").fill("Kommungemensamma förstudier")
    page.get_by_label("Typ, ny post 1").select_option(
        label="Förstudier och projekt (beviljas av styrgruppen)"
    )
    page.get_by_label("Belopp, ny post 1").fill("12,5")
    page.get_by_role("button", name="Spara ramen").click()
    expect(page.get_by_role("alert")).to_contain_text("Inget har sparats.")
    expect(page.get_by_role("alert")).to_contain_text(
        "Kommungemensamma förstudier: ange ett helt antal kronor"
    )
    browser_as.shot("frame-refused")
    page.get_by_label("Belopp, ny post 1").fill("500 000")
    page.get_by_role("button", name="Spara ramen").click()
    expect(page.get_by_role("status")).to_contain_text("Budgetramen för 2029 är sparad.")
    expect(
        page.locator("#lines-table").get_by_role("row", name=re.compile("Kommungemensamma förstudier"))
    ).to_contain_text("500\xa0000\xa0kr")
    expect(page.locator("#overall-total")).to_have_text("18\xa0300\xa0000\xa0kr")
    browser_as.shot("frame-2029")

    # The styrgrupp's decision: over the line's frame it is refused; then granted against a chosen line.
    page = browser_as.goto(item_url)
    form = page.locator("form.decision-form")
    form.get_by_label("Budgetpost som beslutet finansieras från").select_option(
        label="MKHV inkl. ACTION – Förstudier och projekt"
    )
    form.get_by_label("Belopp 2027 (kr)").fill("7 000 000")
    form.get_by_label("Belopp 2028 (kr)").fill("300 000")
    form.get_by_role("button", name="Registrera beslut").click()
    expect(page.get_by_role("alert")).to_contain_text("760\xa0000\xa0kr över ramen")
    browser_as.shot("decision-over-frame")
    form = page.locator("form.decision-form")
    form.get_by_label("Belopp 2027 (kr)").fill("600 000")
    form.get_by_role("button", name="Registrera beslut").click()
    expect(page.locator(".messages")).to_contain_text("Beslut §1 är registrerat", timeout=60_000)
    decision = page.locator("#beslut")
    expect(decision).to_contain_text("MKHV inkl. ACTION – Förstudier och projekt")
    browser_as.shot("decision-with-line")

    # The overview shows the commitment on the line and the project.
    page = browser_as.goto(f"/ekonomi/{agreement.pk}/2027/")
    mkhv = (
        page.locator("#lines-table tbody")
        .filter(has_text="MKHV inkl. ACTION")
        .get_by_role("row", name="Förstudier och projekt")
    )
    expect(mkhv).to_contain_text("600\xa0000\xa0kr")
    expect(mkhv).to_contain_text("5\xa0640\xa0000\xa0kr")
    expect(page.locator("#projects-table").get_by_role("row", name=re.compile(INCLUSION))).to_contain_text(
        "600\xa0000\xa0kr"
    )
    expect(page.get_by_role("img", name="Ram, beslutat och utbetalt per år")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("per kommun 2027"))).to_be_visible()
    browser_as.shot("overview-with-commitment")

    # A disbursement to the running project: above what is left it is refused, then registered.
    page.locator("#projects-table").get_by_role("link", name=ENERGY).click()
    expect(page.get_by_role("heading", name="Projektets ekonomi")).to_be_visible()
    page.get_by_label("Avser år").fill("2027")
    page.get_by_label("Belopp (kr)").fill("600 000")
    page.get_by_label("Utbetalningsdag").fill("2026-11-27")
    page.get_by_label("Referens").fill("MDU-VER-2026-1302")
    page.get_by_role("button", name="Registrera utbetalning").click()
    expect(page.get_by_role("alert")).to_contain_text("högst 498\xa0000\xa0kr")
    page.get_by_label("Belopp (kr)").fill("200 000")
    page.get_by_role("button", name="Registrera utbetalning").click()
    expect(page.get_by_role("status")).to_contain_text("Utbetalningen på 200\xa0000\xa0kr är registrerad.")
    expect(page.locator("#disbursements")).to_contain_text("MDU-VER-2026-1302")
    expect(page.locator("#project-years").get_by_role("row", name=re.compile("^2027"))).to_contain_text(
        "698\xa0000\xa0kr"
    )
    browser_as.shot("disbursement")

    # The verksamhetsplan and its PDF.
    page = browser_as.goto(f"/ekonomi/{agreement.pk}/verksamhetsplaner/")
    page.get_by_role("link", name="Verksamhetsplan 2027 – Gemensamma samverkansområdet").click()
    expect(page.locator("#plan-total")).to_have_text("7\xa0400\xa0000\xa0kr")
    expect(page.locator("#plan-overall #overall-total")).to_have_text("17\xa0800\xa0000\xa0kr")
    browser_as.shot("plan")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:4] == b"%PDF"
