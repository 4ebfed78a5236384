"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Each test gets the demo world (load_demo) in a transactional database. Screenshots go to
test-artifacts/screenshots/<test name>/ – look at them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the live server and ORM calls in the test are
# ordinary synchronous code, so Django's async-safety guard does not apply here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


class Browser:
    """A person at a browser: logs in, clicks, fills, and leaves a screenshot per step."""

    def __init__(self, page, base_url: str, test_name: str):
        self.page = page
        self.base_url = base_url
        self.shots = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.step = 0

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, email: str, password: str = DEMO_PASSWORD):
        self.goto("/konto/logga-in/")
        self.page.get_by_label("E-postadress").fill(email)
        self.page.get_by_label("Lösenord").fill(password)
        self.page.get_by_role("button", name="Logga in").click()
        return self.page

    def logout(self):
        self.page.get_by_role("button", name="Logga ut").click()

    def shot(self, name: str):
        self.step += 1
        self.page.screenshot(path=str(self.shots / f"{self.step:02d}-{name}.png"), full_page=True)
        # After a full-page capture of a tall page Chromium may drop the next click; reset the viewport.
        self.page.evaluate("window.scrollTo(0, 0)")


@pytest.fixture
def browser_as(page, live_server, request):
    return Browser(page, live_server.url, request.node.name)
