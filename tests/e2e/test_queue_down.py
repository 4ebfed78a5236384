"""Redis (the job queue) down while the styrgrupp's secretary records a grant: the decision is saved, the
page says the decision document will be made as soon as the queue is back, and nothing is lost – the beat
sweep makes the document later (tests/robustness/test_broker_down.py). The broker is a real Redis URL where
nothing listens (tests/robustness/conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from governance.enums import DecisionKind
from governance.models import Decision, DecisionDocument
from tests.e2e.steps import extra_steering_item
from tests.robustness.conftest import unreachable_broker  # noqa: F401 – the fixture

SECRETARY = "anna.lindqvist@mdu.example"
TITLE = "Cirkulära byggmaterial i Eskilstunas nya skolor"


@pytest.fixture
def item(demo):
    return extra_steering_item(TITLE, under_way=True)


def test_grant_while_the_queue_is_down_is_saved_and_the_secretary_is_told(
    item,
    browser_as,
    unreachable_broker,  # noqa: F811
):
    browser_as.login(SECRETARY)
    page = browser_as.goto(item.get_absolute_url())
    page.get_by_label(re.compile(r"Belopp \d{4} \(kr\)")).first.fill("400 000")
    browser_as.shot("beslut-enligt-forslag")
    page.get_by_role("button", name="Besluta enligt förslag").click()

    expect(page.get_by_text("Beslut §1 är registrerat: Bevilja.")).to_be_visible()
    expect(
        page.get_by_text("Köservern svarar inte just nu. Ändringen är sparad och jobbet körs automatiskt")
    ).to_be_visible()
    browser_as.shot("koservern-nere")
    decision = Decision.objects.get(item=item)
    assert decision.kind == DecisionKind.GRANT
    assert not DecisionDocument.objects.filter(decision=decision).exists()
