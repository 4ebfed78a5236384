"""Agendas that stay true (issue 16): the processledare cannot put a proposal on a second open agenda – the
page names the meeting where it already is."""

import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from applications.enums import ProposalState
from governance import services
from governance.enums import ItemKind, MeetingKind
from governance.models import AgendaItem
from tests.factories.applications import ProposalFactory
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LEADER = "anna.lindqvist@mdu.example"
PASSWORD = "processledare-2027"
TITLE = "Cirkulära byggmaterial i kommunala nybyggen"


def _steering(agreement, leader, title, starts_at):
    return services.meeting_create(
        agreement=agreement,
        by=leader,
        kind=MeetingKind.STEERING,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        location="Stadshuset, Eskilstuna",
    )


def test_processledare_adding_a_proposal_already_on_another_agenda_sees_where_it_is(
    transactional_db, browser_as
):
    agreement = AgreementFactory()
    leader = process_leader(
        agreement, user__email=LEADER, user__first_name="Anna", user__last_name="Lindqvist"
    )
    leader.set_password(PASSWORD)
    leader.save()
    proposal = ProposalFactory(agreement=agreement, title=TITLE, state=ProposalState.AWAITING_DECISION)
    march = _steering(
        agreement, leader, "Styrgruppsmöte", datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    )
    services.item_add(meeting=march, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    april = _steering(
        agreement, leader, "Styrgruppsmöte april", datetime.datetime(2027, 4, 16, 13, 0, tzinfo=STOCKHOLM)
    )

    page = browser_as.login(LEADER, PASSWORD)
    browser_as.goto(april.get_absolute_url())
    expect(page.get_by_role("heading", level=1, name="Styrgruppsmöte april")).to_be_visible()
    page.get_by_label("Ärende").select_option(label=f"{TITLE} (Till styrgrupp)")
    # Meanwhile a colleague puts the same proposal on the March agenda (§2).
    services.item_add(meeting=march, by=leader, proposal=proposal)
    page.get_by_role("button", name="Lägg till på dagordningen").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Ärendet står redan på dagordningen för Styrgruppsmöte 12 mars 2027 (§2)."
    )
    browser_as.shot("redan-pa-dagordningen")
    assert not AgendaItem.objects.filter(meeting=april, proposal=proposal).exists()

    # The form no longer offers it.
    page.reload()
    options = page.get_by_label("Ärende").locator("option").all_inner_texts()
    assert not any(TITLE in option for option in options)
