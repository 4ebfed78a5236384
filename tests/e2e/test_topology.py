"""A programme of two agreements (issue 16, seed topology): Köping has its own agreement with the university
in the demo's samverkansorganisation. A programme of the demo agreement that involves Eskilstuna and Köping
is decided jointly – Köping's own styrgrupp member, who is no member of the demo agreement's styrgrupp, is
told when the vote opens, follows the link and votes – and the decision document has a copy for
each of the three parties, which Köping's kommunchef signs for Köping."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ProposalState, WorkForm
from governance import services
from governance.enums import Choice, DecisionKind, MeetingKind
from governance.models import DocumentSignature, Vote
from governance.seating import seating_now
from governance.services.documents import document_generate
from samverkan.demo import DEMO_PASSWORD
from samverkan.enums import OrganisationKind, Role
from samverkan.models import Agreement, Notification, Organisation, RoleAssignment, User
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory

SECRETARY = "anna.lindqvist@mdu.example"
KOPING_MEMBER = "karl.berg@koping.example"
KOPING_SIGNATORY = "sofia.ek@koping.example"
TITLE = "Program för klimatanpassade skolgårdar"


def _person(email, first, last, title, agreement, organisation, role):
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
    RoleAssignment.objects.create(
        user=user,
        agreement=agreement,
        organisation=organisation,
        role=role,
        title=title,
        valid_from=agreement.starts_on,
    )
    return user


@pytest.fixture
def item(demo, request):
    demo_agreement = Agreement.objects.get()
    koping = Organisation.objects.create(
        name="Köpings kommun", short_name="Köping", kind=OrganisationKind.MUNICIPALITY, diarium_prefix="KS-KÖ"
    )
    agreement = Agreement.objects.create(
        name="Samverkansavtal Mälardalens universitet – Köping 2026–2029",
        collaboration=demo_agreement.collaboration,
        university=demo_agreement.university,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2029, 12, 31),
    )
    agreement.municipalities.set([koping])
    _person(
        KOPING_MEMBER, "Karl", "Berg", "Kommunstyrelsens ordförande", agreement, koping, Role.STEERING_MEMBER
    )
    _person(KOPING_SIGNATORY, "Sofia", "Ek", "Kommunchef", agreement, koping, Role.SIGNATORY)
    request.getfixturevalue("signing_keys")  # after Köping exists: it signs with its own key
    secretary = User.objects.get(email=SECRETARY)
    starts = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(minutes=10)
    meeting = services.meeting_create(
        agreement=demo_agreement,
        by=secretary,
        kind=MeetingKind.STEERING,
        title="Styrgruppen – programbeslut",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        location="Mälardalens universitet, Västerås",
        chair=User.objects.get(email="helena.wik@mdu.example"),
        secretary=secretary,
    )
    proposal = ProposalFactory(
        agreement=demo_agreement,
        state=ProposalState.AWAITING_DECISION,
        work_form=WorkForm.PROGRAMME,
        title=TITLE,
        responsible_researcher=User.objects.get(email="maria.nilsson@mdu.example"),
        responsible_officer=User.objects.get(email="lena.karlsson@eskilstuna.example"),
        anchoring_organisation=Organisation.objects.get(name="Eskilstuna kommun"),
    )
    proposal.municipal_organisations.set([Organisation.objects.get(name="Eskilstuna kommun"), koping])
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def test_the_other_agreements_municipality_votes_on_the_programme_and_signs_its_own_copy(item, browser_as):
    page = browser_as.page

    # The secretary opens the vote; Köping has a seat of its own for this item.
    page = browser_as.login(SECRETARY)
    browser_as.goto(item.get_absolute_url())
    page.get_by_role("button", name="Öppna voteringen").click()
    expect(page.get_by_text("Voteringen är öppnad.")).to_be_visible()
    seats = page.get_by_role("table", name=re.compile("Vilka som har röstat"))
    expect(seats.get_by_role("row", name=re.compile("Köpings kommun"))).to_contain_text("Karl Berg")
    expect(seats.get_by_role("row", name=re.compile("Västerås stad"))).to_have_count(0)
    browser_as.shot("tre-parter-i-programmet")
    browser_as.logout()

    # Karl Berg sits in Köping's styrgrupp, not in the demo agreement's: he is told, with the item's link, and
    # votes.
    told = Notification.objects.get(user__email=KOPING_MEMBER, event="vote_opened")
    page = browser_as.login(KOPING_MEMBER)
    browser_as.goto(told.link)
    expect(page.get_by_role("heading", name="Votering", exact=True)).to_be_visible()
    page.get_by_role("group", name="Din röst").get_by_label("Bifall").check()
    page.get_by_role("button", name="Rösta").click()
    expect(page.get_by_text("Din röst: Bifall")).to_be_visible()
    browser_as.shot("köping-har-röstat")
    browser_as.logout()

    # The others of the university and Eskilstuna vote bifall; the vote closes and the grant is recorded.
    vote = Vote.objects.get(item=item)
    karl = User.objects.get(email=KOPING_MEMBER)
    for seat in seating_now(item).seats:
        if seat.holder.user_id != karl.pk and not seat.empty:
            services.ballot_cast(vote=Vote.objects.get(pk=vote.pk), by=seat.holder.user, choice=Choice.YES)
    vote.refresh_from_db()
    decision = services.decision_from_vote(
        vote=vote,
        by=item.meeting.chair,
        kind=DecisionKind.GRANT,
        text=f"Styrgruppen beviljar programmet ”{TITLE}”.",
        amounts={2027: 600_000},
    )
    document = document_generate(decision.pk)
    assert [c.organisation.name for c in document.copies.order_by("number")] == [
        "Mälardalens universitet",
        "Eskilstuna kommun",
        "Köpings kommun",
    ]

    third = document.copies.get(number=3)
    (browser_as.shots / "exemplar-3.pdf").write_bytes(third.pdf.open("rb").read())  # to look at

    # Köping's kommunchef signs Köping's copy.
    page = browser_as.login(KOPING_SIGNATORY)
    page.get_by_role("link", name="Att signera", exact=True).click()
    page.get_by_role("link", name=re.compile(document.reference)).first.click()
    expect(page.get_by_role("heading", name="Exemplar 3 av 3 – Köpings kommun")).to_be_visible()
    page.get_by_label("Jag har läst beslutsunderlaget och signerar det för Köpings kommun").check()
    page.get_by_label("Bekräfta med ditt lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Signera", exact=True).click()
    expect(page.get_by_text(re.compile("signerat", re.IGNORECASE)).first).to_be_visible()
    browser_as.shot("köping-har-signerat")
    assert (
        DocumentSignature.objects.filter(
            copy__document=document,
            organisation__name="Köpings kommun",
            signer=User.objects.get(email=KOPING_SIGNATORY),
        ).count()
        == 3
    )  # Köping signs every copy for Köping
