"""Redis (the job queue) down while the styrgrupp's secretary records a grant: the decision is saved, the
page says the decision document will be made as soon as the queue is back, and nothing is lost – the beat
sweep makes the document later (tests/robustness/test_broker_down.py). The broker is a real Redis URL where
nothing listens (tests/robustness/conftest.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState
from governance import services
from governance.enums import DecisionKind, MeetingKind
from governance.models import Decision, DecisionDocument
from samverkan.models import Agreement, Organisation, User
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory
from tests.robustness.conftest import unreachable_broker  # noqa: F401 – the fixture

SECRETARY = "anna.lindqvist@mdu.example"
CHAIR = "helena.wik@mdu.example"
TITLE = "Cirkulära byggmaterial i Eskilstunas nya skolor"


@pytest.fixture
def item(demo):
    agreement = Agreement.objects.get()
    secretary = User.objects.get(email=SECRETARY)
    starts = timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    meeting = services.meeting_create(
        agreement=agreement,
        by=secretary,
        kind=MeetingKind.STEERING,
        title="Styrgruppen – extra möte",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Mälardalens universitet, Eskilstuna",
        chair=User.objects.get(email=CHAIR),
        secretary=secretary,
    )
    proposal = ProposalFactory(
        agreement=agreement,
        state=ProposalState.AWAITING_DECISION,
        title=TITLE,
        responsible_researcher=User.objects.get(email="maria.nilsson@mdu.example"),
        responsible_officer=User.objects.get(email="lena.karlsson@eskilstuna.example"),
        anchoring_organisation=Organisation.objects.get(name="Eskilstuna kommun"),
    )
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


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
