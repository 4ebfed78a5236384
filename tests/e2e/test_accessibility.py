"""Accessibility: axe-core (shipped by axe-playwright-python) on every page, as the roles that use it.

Swedish public-sector services must meet WCAG 2.1 AA (lagen om tillgänglighet till digital offentlig
service). Every GET page of the URLconf that answers 200 with HTML (from the permission matrix's table) is
opened in Chromium as one role that may see it, every role's start page is opened as that role, and the
public and error pages as an anonymous visitor; axe runs the WCAG 2.0/2.1 A and AA rules on each.
Zero violations: fix the template or the CSS, never switch a rule off.
"""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from samverkan.demo import DEMO_PASSWORD
from tests.security import matrix
from tests.security.test_permission_matrix import expected

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Who opens a page that several roles may see: the first of these that gets a 200 (so the page is seen
# with that role's content; every role's own start page and navigation are checked separately).
ROLE_ORDER = ["forskare", "tjp", "pl", "pl_kommun", "komm", "bered", "styr", "fir", "fir_kommun", "admin"]
# GET URLs that are not pages: files, htmx fragments, redirects-only and machine endpoints.
NOT_PAGES = {
    "healthz",
    "logout",
    "set_language",
    "applications:pipeline_csv",
    "applications:attachment_download",
    "budget:application_budget_xlsx",
    "governance:meeting_ics",
    "governance:minutes_pdf",
    "governance:minutes_status",
    "governance:document_status",
    "governance:copy_download",
    "governance:vote_status",
}
NOT_PAGE_SUFFIXES = (".csv", ".xlsx", ".pdf", ".ics", "_status", "_csv", "_xlsx", "_pdf", "_ics", "_download")

axe = Axe()


def is_page(name: str) -> bool:
    return not (name.startswith("admin:") or name in NOT_PAGES or name.endswith(NOT_PAGE_SUFFIXES))


def pages_by_role(world) -> dict[str, list[tuple[str, str]]]:
    """role -> [(url name, path)] of the pages that role opens."""
    plan: dict[str, list[tuple[str, str]]] = {role: [] for role in matrix.ROLES}
    for endpoint in matrix.endpoints():
        if not is_page(endpoint.name):
            continue
        try:
            path = matrix.url_for(world, endpoint)
        except matrix.Unfillable:
            continue  # the permission matrix reports it
        if expected(endpoint.name, "anon", "GET") == "200":
            plan["anon"].append((endpoint.name, path))
        role = next((r for r in ROLE_ORDER if expected(endpoint.name, r, "GET") == "200"), None)
        if role is not None:
            plan[role].append((endpoint.name, path))
    for role in matrix.ROLES:
        if role != "anon" and ("start", reverse("start")) not in plan[role]:
            plan[role].append(("start", reverse("start")))
    return plan


def target(node) -> str:
    return " ".join(map(str, node["target"])) if isinstance(node["target"], list) else str(node["target"])


def violations_on(page) -> list[dict]:
    results = axe.run(page, options=WCAG_AA)
    return [
        {
            "rule": v["id"],
            "impact": v.get("impact"),
            "help": v["help"],
            "nodes": [target(n) for n in v["nodes"]][:5],
        }
        for v in results.response["violations"]
    ]


def log_in(page, base_url: str, email: str):
    page.goto(base_url + reverse("login"))
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


@pytest.fixture
def world(demo, settings):
    return matrix.World()


def test_every_page_meets_wcag_21_aa_for_every_role(world, browser, browser_context_args, live_server):
    found: dict[str, list[dict]] = {}
    blocked: list[str] = []  # what the Content-Security-Policy refused on a page (console errors)
    checked = 0
    for role, pages in pages_by_role(world).items():
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        page.on(
            "console",
            lambda message, role=role, page=page: (
                blocked.append(f"{role} {page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        if matrix.ROLES[role]:
            log_in(page, live_server.url, matrix.ROLES[role])
        for name, path in pages:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, f"{role} {name} {path}: {response.status}"
            checked += 1
            problems = violations_on(page)
            if problems:
                found[f"{role} {name} {path}"] = problems
        context.close()
    assert checked > 40
    assert not blocked, "The CSP blocked something (move it to static/):\n" + "\n".join(blocked)
    assert not found, "WCAG 2.1 A/AA violations:\n" + json.dumps(found, indent=1, ensure_ascii=False)


def test_error_and_message_pages_meet_wcag_21_aa(demo, page, live_server, settings):
    """The pages people meet when something goes wrong: form errors, lockout, refusals, not found, too big."""
    found: dict[str, list[dict]] = {}

    def check(label: str):
        problems = violations_on(page)
        if problems:
            found[label] = problems

    base = live_server.url
    page.goto(base + reverse("login"))
    page.get_by_label("E-postadress").fill("anna.lindqvist@mdu.example")
    page.get_by_label("Lösenord").fill("fel-losenord")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord")
    check("login with an error")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("E-postadress").fill("maria.nilsson@mdu.example")
        page.get_by_label("Lösenord").fill("fel-losenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Inloggningen är tillfälligt spärrad")
    check("lockout page")

    page.goto(base + "/finns-inte/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check("404 page")

    log_in(page, base, "ahmed.hassan@mdu.example")
    page.goto(base + reverse("agreement_list"))
    expect(page.get_by_role("heading", name="Du har inte behörighet till den här sidan")).to_be_visible()
    check("403 page")

    settings.MAX_REQUEST_SIZE = 300  # the live server runs in this process: a small limit makes a big form
    page.goto(base + reverse("password_change"))
    page.locator("input[type=password]").first.fill("x" * 400)
    page.get_by_role("button", name="Spara nytt lösenord").click()
    expect(page.get_by_role("heading", name="Filen är för stor")).to_be_visible()
    check("413 page")

    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
