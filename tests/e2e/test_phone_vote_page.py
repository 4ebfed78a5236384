"""The vote page on a phone (issue 16): at 390×844 a styrgrupp member sees the ballot first, then the facts
(the beredning's ställningstagande and scores, the amount applied for per year), votes, and no page of the
walk – start page, meeting page, item page with the vote open and after it closed – scrolls sideways, for
the member and for the processledare. Nor does any role's start page (with the account links on the
screen), the meeting list, a beredning's meeting, item and assessment form, the chair's live view or a
decision document's page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from applications.enums import ProposalState
from applications.models import Proposal
from governance.enums import MeetingKind
from governance.models import AgendaItem, DecisionDocument, Vote
from tests.factories.applications import ProposalFactory, anchored
from tests.factories.budget import budget_row
from tests.factories.governance import AgendaItemFactory, MeetingFactory, in_days

MEMBER = "eva.persson@vasteras.example"  # Västerås stad: a party of "Inkludering…", not yet voted in the demo
PROCESS_LEADER = "anna.lindqvist@mdu.example"
TITLE = "Inkludering av nyanlända i föreningslivet"
PHONE = {"width": 390, "height": 844}

# Every element whose right edge passes the viewport, except inside a container that scrolls by itself
# (a wide table in its .table-scroll box) or is visually hidden.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsItself = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (p.classList.contains('table-scroll') || ['auto', 'scroll', 'hidden'].includes(overflow)) {
        return true;
      }
    }
    return false;
  };
  const describe = (el, box) => {
    const where = el.closest('[id]');
    const style = getComputedStyle(el);
    return `${el.tagName.toLowerCase()}.${el.className} in #${where ? where.id : ''} `
      + `${Math.round(box.left)}–${Math.round(box.right)} ${style.position}`;
  };
  const wide = [];
  const all = [];  // when the page scrolls sideways anyway: what pokes out (e.g. an absolute element)
  const scrolls = document.documentElement.scrollWidth > width;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= width + 0.5) continue;
    if (scrolls && !el.closest('.main-nav')) all.push(describe(el, box));
    if (box.width === 0 || box.height === 0 || scrollsItself(el)) continue;
    wide.push(describe(el, box));
  }
  const scrollWidth = document.documentElement.scrollWidth;
  return {width, scrollWidth, wide: wide.slice(0, 10), all: all.slice(0, 10)};
}"""


def assert_fits(page, where: str):
    result = page.evaluate(OVERFLOW)
    assert result["wide"] == [], f"{where}: wider than {result['width']} px: {result['wide']}"
    assert result["scrollWidth"] <= result["width"], f"{where}: the page scrolls sideways: {result['all']}"


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


@pytest.fixture
def open_vote(demo):
    """The demo's December styrgrupp: "Inkludering…" (forwarded by the Q4 beredning) has an open vote in
    which the chair has voted and Eva Persson (Västerås) has not."""
    proposal = Proposal.objects.get(title=TITLE)
    item = AgendaItem.objects.get(proposal=proposal, meeting__kind="styrgrupp")
    assert Vote.objects.get(item=item).status == "open"
    return item


def test_member_votes_on_a_phone(open_vote, browser_as):
    item = open_vote
    page = browser_as.page
    page.set_viewport_size(PHONE)

    # The start page and the meeting page fit, and the header is compact.
    browser_as.login(MEMBER)
    expect(page.locator("main h1").first).to_be_visible()
    assert header_height(page) < 130, header_height(page)
    assert_fits(page, "start page (member)")
    browser_as.shot("startsida")
    browser_as.goto(item.meeting.get_absolute_url())
    assert_fits(page, "meeting page (member)")
    browser_as.shot("mötet")

    # The item page: the ballot comes before the facts, which hold what the member needs to decide.
    browser_as.goto(item.get_absolute_url())
    ballot = page.get_by_role("group", name="Din röst")
    facts = page.locator("#underlag")
    expect(ballot).to_be_visible()
    assert ballot.bounding_box()["y"] + ballot.bounding_box()["height"] < facts.bounding_box()["y"]
    assert ballot.bounding_box()["y"] < 844, "the ballot is on the first screen"
    # The status per party follows the facts.
    assert facts.bounding_box()["y"] < page.locator("#votering").bounding_box()["y"]
    expect(facts).to_contain_text("Tillstyrks")
    expect(facts).to_contain_text("Väl förankrad i föreningslivet")
    applied = facts.get_by_role("table", name="Sökt belopp per år")
    expect(applied.get_by_role("row", name="2027")).to_contain_text("996 000 kr")
    expect(facts.get_by_role("table", name="Beredningens betyg per perspektiv (1–5)")).to_be_visible()
    assert_fits(page, "item page, vote open (member)")
    browser_as.shot("punkten-före-röst")

    # She votes; her vote is shown at the top with the form to change it.
    ballot.get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    assert page.get_by_text("Din röst: Bifall").bounding_box()["y"] < facts.bounding_box()["y"]
    assert_fits(page, "item page after voting (member)")
    browser_as.shot("punkten-efter-röst")
    browser_as.logout()

    # The processledare: start page, meeting page and the item page, closing the vote if still open.
    browser_as.login(PROCESS_LEADER)
    assert_fits(page, "start page (processledare)")
    browser_as.shot("startsida-processledare")
    browser_as.goto(item.meeting.get_absolute_url())
    assert_fits(page, "meeting page (processledare)")
    browser_as.shot("mötet-processledare")
    browser_as.goto(item.get_absolute_url())
    assert_fits(page, "item page (processledare)")
    close = page.get_by_role("button", name="Stäng voteringen")
    if close.count():
        close.click()
    expect(page.get_by_role("table", name="Resultat per part")).to_be_visible()
    # The decision form is prefilled with the amounts applied for.
    expect(page.get_by_label("Belopp 2027 (kr)")).to_have_value("996\xa0000")
    assert_fits(page, "item page, vote closed (processledare)")
    browser_as.shot("punkten-stängd-processledare")
    browser_as.logout()

    # And the member after close.
    browser_as.login(MEMBER)
    browser_as.goto(item.get_absolute_url())
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    assert_fits(page, "item page, vote closed (member)")
    browser_as.shot("punkten-stängd-ledamot")


# --- every role's start page and the other meeting pages at 390 px ------------------------------------------

ROLES = {
    "processledare": PROCESS_LEADER,
    "forskare": "maria.nilsson@mdu.example",
    "tjänsteperson": "lena.karlsson@eskilstuna.example",
    "styrgruppsledamot": "helena.wik@mdu.example",
    "ersättare": "ingrid.falk@eskilstuna.example",  # Eskilstuna's ersättare, also its kommundirektör
    "beredningsledamot": "karin.sjoberg@mdu.example",
    "firmatecknare": "paul.pettersson@mdu.example",  # the rektor
    "kommunikatör": "sara.holm@mdu.example",
}
REVIEW_MEMBER = ROLES["beredningsledamot"]


def assert_account_links_reachable(page, where: str):
    """The account links – notifications, change password, log out – are on the screen on a phone."""
    header = page.locator(".site-header")
    for link in (
        header.get_by_role("link", name="Notiser"),
        header.get_by_role("link", name="Byt lösenord"),
        header.get_by_role("button", name="Logga ut"),
    ):
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{where}: {link} off screen"


def test_every_roles_start_page_fits_a_phone_with_the_account_links(demo, browser_as):
    page = browser_as.page
    page.set_viewport_size(PHONE)
    for role, email in ROLES.items():
        browser_as.login(email)
        expect(page.locator("main h1").first).to_be_visible()
        assert_fits(page, f"start page ({role})")
        assert_account_links_reachable(page, f"start page ({role})")
        assert header_height(page) < 130, (role, header_height(page))
        browser_as.shot(f"startsida-{role}")
        browser_as.logout()

    # "Byt lösenord" leads to the form, which fits too.
    browser_as.login(PROCESS_LEADER)
    page.locator(".site-header").get_by_role("link", name="Byt lösenord").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("lösenord")
    assert_fits(page, "change password")
    browser_as.shot("byt-losenord")


@pytest.fixture
def review_item(demo):
    """A beredning ahead with an application Karin Sjöberg has yet to assess (the demo's one is held)."""
    agreement = Proposal.objects.get(title=TITLE).agreement
    proposal = ProposalFactory(
        agreement=agreement,
        state=ProposalState.IN_REVIEW,
        title="Digitala stödformer för föreningar med många nyanlända medlemmar och ledare",
    )
    anchored(proposal)
    budget_row(proposal, amount=300_000)
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, starts_at=in_days(3))
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def test_meeting_pages_fit_a_phone(review_item, open_vote, browser_as):
    """The meeting list, a beredning's meeting and item page with the assessment form open, the chair's live
    view and a decision document's page: none scrolls sideways at 390 px."""
    page = browser_as.page
    page.set_viewport_size(PHONE)

    # A beredningsledamot: the meeting list, the beredning's page, its item and her assessment form.
    browser_as.login(REVIEW_MEMBER)
    browser_as.goto(reverse("governance:meeting_list"))
    assert_fits(page, "meeting list (beredningsledamot)")
    browser_as.shot("motesliste")
    browser_as.goto(review_item.meeting.get_absolute_url())
    assert_fits(page, "beredning meeting page")
    browser_as.shot("beredning-mote")
    browser_as.goto(review_item.get_absolute_url())
    assert_fits(page, "beredning item page")
    browser_as.shot("beredning-punkt")
    page.get_by_role("link", name="Bedöm ansökan").click()
    expect(page.get_by_role("button", name="Skicka in bedömning")).to_be_visible()
    page.get_by_role("group", name="Forskningens kvalitet", exact=True).get_by_label("4", exact=True).check()
    assert_fits(page, "assessment form")
    browser_as.shot("bedomning")
    browser_as.logout()

    # The processledare: the meeting list, the chair's live view of the open vote, a decision document.
    browser_as.login(PROCESS_LEADER)
    browser_as.goto(reverse("governance:meeting_list"))
    assert_fits(page, "meeting list (processledare)")
    browser_as.shot("motesliste-processledare")
    browser_as.goto(reverse("governance:chair_view", args=[open_vote.meeting_id]))
    expect(page.locator("main h1")).to_be_visible()
    assert_fits(page, "chair's live view")
    browser_as.shot("ordforandens-vy")
    for document in DecisionDocument.objects.order_by("pk")[:2]:
        browser_as.goto(reverse("governance:document_detail", args=[document.pk]))
        expect(page.locator("main h1")).to_be_visible()
        assert_fits(page, f"decision document {document.pk}")
        browser_as.shot(f"beslutsdokument-{document.pk}")
