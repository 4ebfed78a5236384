"""The vote page on a phone (issue 16): at 390×844 a styrgrupp member sees the ballot first, then the facts
(the beredning's ställningstagande and scores, the amount applied for per year), votes, and no page of the
walk – start page, meeting page, item page with the vote open and after it closed – scrolls sideways, for
the member and for the processledare."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from applications.models import Proposal
from governance.models import AgendaItem, Vote

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
