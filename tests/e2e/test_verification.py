"""The public verification page as a visitor uses it (issue 14): a copy of ours is recognised at once; a
file the hash does not know is checked by a job while the page shows its progress, then its verdict – with
JavaScript without reloading, without JavaScript by refreshing itself."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from governance import services
from governance.enums import DecisionKind
from governance.models import DecisionDocument, VerificationRequest
from samverkan.demo import DEMO_PASSWORD
from samverkan.models import User
from tests.e2e.steps import extra_steering_item

REKTOR = "paul.pettersson@mdu.example"
KOMMUNDIREKTOR = "ingrid.falk@eskilstuna.example"
TITLE = "Solceller på kommunens förskolor"

# The job must run beside the page for the progress to be seen: a real worker, as in production.
pytestmark = [
    pytest.mark.needs_redis,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="a worker thread beside the live server needs PostgreSQL (SQLite's test database locks)",
    ),
]


@pytest.fixture
def signed_copy(demo, request) -> bytes:
    """Copy 1 of a fresh grant's decision document, signed by the rektor and the kommundirektör."""
    request.getfixturevalue("signing_keys")
    item = extra_steering_item(TITLE, under_way=True)
    decision = services.decision_by_acclamation(
        item=item,
        by=item.meeting.chair,
        kind=DecisionKind.GRANT,
        text=f"Styrgruppen beviljar ansökan ”{TITLE}”.",
        amounts={2027: 400_000},
    )
    document = DecisionDocument.objects.get(decision=decision)
    for email in (REKTOR, KOMMUNDIREKTOR):
        services.document_sign(document=document, by=User.objects.get(email=email), password=DEMO_PASSWORD)
    copy = document.copies.get(number=1)
    with copy.pdf.open("rb") as handle:
        return handle.read()


def altered(data: bytes) -> bytes:
    position = data.index(b"stream", data.index(b"/Length")) + 40
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def _upload(page, data: bytes, name: str):
    page.get_by_label("Beslutsdokument (PDF)").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": data}
    )
    page.get_by_role("button", name="Kontrollera").click()


def _progress(page):
    status = page.get_by_role("status")
    return status.filter(has_text="I kö för kontroll").or_(
        status.filter(has_text="Signaturerna kontrolleras")
    )


def start_worker(request):
    """The real worker – started only now, so that the decision document above was made eagerly."""
    request.getfixturevalue("celery_worker")


def test_visitor_sees_the_check_progress_and_then_the_verdict(signed_copy, browser_as, request):
    start_worker(request)
    page = browser_as.goto("/verifiera/")
    expect(page.get_by_role("heading", name="Verifiera beslutsdokument", level=1)).to_be_visible()

    # The signed copy itself: recognised by its hash at once.
    _upload(page, signed_copy, "beslut.pdf")
    expect(page.get_by_role("heading", name="Äkta, ej diariefört")).to_be_visible()
    browser_as.shot("äkta-direkt")
    assert not VerificationRequest.objects.exists()

    # One byte changed: the hash does not know it, so the signatures are checked by the job.
    _upload(page, altered(signed_copy), "andrad.pdf")
    expect(_progress(page)).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    browser_as.shot("kontrolleras")
    expect(page.get_by_role("heading", name="Ändrat – inte giltigt")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Dokumentet har ändrats efter att det signerades")).to_be_visible()
    assert page.evaluate("window.__notReloaded === true")  # htmx swapped the verdict in
    browser_as.shot("ändrat")
    assert VerificationRequest.objects.get().verdict == "altered"


@pytest.fixture
def browser_without_javascript(browser, live_server, request):
    from tests.e2e.conftest import Browser

    context = browser.new_context(java_script_enabled=False, locale="sv-SE")
    yield Browser(context.new_page(), live_server.url, request.node.name)
    context.close()


def test_without_javascript_the_page_refreshes_itself_until_the_verdict(
    signed_copy, browser_without_javascript, request
):
    start_worker(request)
    visitor = browser_without_javascript
    page = visitor.goto("/verifiera/")

    _upload(page, altered(signed_copy), "andrad.pdf")
    expect(_progress(page)).to_be_visible()
    visitor.shot("kontrolleras-utan-js")
    expect(page.get_by_role("heading", name="Ändrat – inte giltigt")).to_be_visible(timeout=60_000)
    visitor.shot("ändrat-utan-js")
