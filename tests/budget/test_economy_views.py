"""The economy pages: who sees them, the frame form, disbursements, the XLSX export and the decision form's
budget line with the override."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Proposal
from budget.models import Commitment, Disbursement, FrameAmount
from governance.models import Decision
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_line, frame, grant, steering_item
from tests.factories.governance import process_leader, steering_member
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(agreement):
    """The shared pool (conftest) with a frame for 2027 only."""
    line = budget_line(agreement, "Förstudier och projekt", area="MKL")
    frame(agreement, 2027, {line: 1_000_000})
    return line


def url(agreement, year=2027):
    return f"/ekonomi/{agreement.pk}/{year}/"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("unrelated", 403), ("researcher", 403), ("steering", 200), ("leader", 200)],
)
def test_overview_permissions(client, agreement, pool, who, status):
    users = {
        "unrelated": UserFactory,
        "researcher": lambda: person_with_role(agreement, Role.RESEARCHER),
        "steering": lambda: steering_member(agreement),
        "leader": lambda: process_leader(agreement),
    }
    if who in users:
        client.force_login(users[who]())
    response = client.get(url(agreement))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "1\xa0000\xa0000\xa0kr" in page
        assert ("Ändra ramen för 2027" in page) == (who == "leader")


def test_steering_member_cannot_post_a_frame(client, agreement, pool):
    client.force_login(steering_member(agreement))
    response = client.post(f"/ekonomi/{agreement.pk}/ram/2027/", {f"line-{pool.pk}": "5"})
    assert response.status_code == 403
    assert FrameAmount.objects.get(line=pool).amount == 1_000_000


def test_frame_form_saves_and_a_bad_value_saves_nothing(client, agreement, pool, leader):
    client.force_login(leader)
    response = client.post(
        f"/ekonomi/{agreement.pk}/ram/2028/",
        {
            f"line-{pool.pk}": "1 200 000",
            "new-0-area": "MKL",
            "new-0-name": "Basfinansiering",
            "new-0-kind": "operations",
            "new-0-amount": "40 000",
        },
    )
    assert response.status_code == 302
    assert sorted(FrameAmount.objects.filter(frame__year=2028).values_list("amount", flat=True)) == [
        40_000,
        1_200_000,
    ]

    response = client.post(
        f"/ekonomi/{agreement.pk}/ram/2028/",
        {f"line-{pool.pk}": "abc", "new-0-name": "Utan område", "new-0-amount": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Inget har sparats." in page
    assert "Förstudier och projekt: ange ett helt antal kronor" in page
    assert "Utan område: ange samverkansområde." in page
    assert sorted(FrameAmount.objects.filter(frame__year=2028).values_list("amount", flat=True)) == [
        40_000,
        1_200_000,
    ]


def test_new_frame_is_prefilled_from_last_year(client, agreement, pool, leader):
    client.force_login(leader)
    page = client.get(f"/ekonomi/{agreement.pk}/ram/2028/").content.decode()
    assert 'value="1\xa0000\xa0000"' in page


def test_disbursement_form_shows_the_limit(client, agreement, pool, leader):
    proposal = ProposalFactory(agreement=agreement)
    grant(proposal, {2027: 500_000}, line=pool)
    Proposal.objects.filter(pk=proposal.pk).update(documents_completed_at=timezone.now(), state="active")
    client.force_login(leader)

    response = client.post(
        f"/ekonomi/projekt/{proposal.pk}/utbetalning/",
        {"year": "2027", "amount": "600 000", "paid_on": "2027-01-10", "reference": "V-1"},
    )
    assert response.status_code == 400
    assert "högst 500\xa0000\xa0kr" in response.content.decode()
    assert not Disbursement.objects.exists()

    response = client.post(
        f"/ekonomi/projekt/{proposal.pk}/utbetalning/",
        {"year": "2027", "amount": "250 000", "paid_on": "2027-01-10", "reference": "V-1"},
    )
    assert response.status_code == 302
    page = client.get(f"/ekonomi/projekt/{proposal.pk}/").content.decode()
    assert "250\xa0000\xa0kr" in page and "V-1" in page


def test_project_team_sees_its_own_economy_but_cannot_pay(client, agreement, pool):
    proposal = ProposalFactory(agreement=agreement)
    grant(proposal, {2027: 500_000}, line=pool)
    client.force_login(proposal.responsible_researcher)
    page = client.get(f"/ekonomi/projekt/{proposal.pk}/")
    assert page.status_code == 200 and "Registrera utbetalning" not in page.content.decode()
    response = client.post(
        f"/ekonomi/projekt/{proposal.pk}/utbetalning/",
        {"year": "2027", "amount": "1", "paid_on": "2027-01-10", "reference": "x"},
    )
    assert response.status_code == 403


def test_overview_xlsx_has_the_figures_as_numbers(client, agreement, pool, leader):
    grant(ProposalFactory(agreement=agreement, title="Skolhälsa"), {2027: 300_000}, line=pool)
    client.force_login(leader)
    response = client.get(f"/ekonomi/{agreement.pk}/2027/ekonomi.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Budgetposter"].iter_rows(values_only=True))
    line_row = next(r for r in rows if r[1] == "Förstudier och projekt")
    assert line_row[2:8] == (1_000_000, 300_000, 0, 0, 0, 700_000)
    projects = list(workbook["Projekt"].iter_rows(values_only=True))
    assert any(r[1] == "Skolhälsa" and r[4] == 300_000 for r in projects)


def test_decision_form_commits_against_the_chosen_line_and_override_shows_on_the_decision(
    client, agreement, pool
):
    other = budget_line(agreement, "Reserv", area="MKL")
    frame(agreement, 2027, {other: 50_000})
    proposal = ProposalFactory(
        agreement=agreement, planned_start=datetime.date(2027, 1, 1), planned_end=datetime.date(2027, 12, 31)
    )
    item, secretary = steering_item(proposal)
    client.force_login(secretary)
    item_url = f"/moten/{item.meeting_id}/punkter/{item.pk}/"
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Budgetpost som beslutet finansieras från" in page
    action = f"/moten/{item.meeting_id}/punkter/{item.pk}/beslut/"
    from django.urls import reverse

    action = reverse("governance:decision_create", args=[item.meeting_id, item.pk])
    data = {
        "kind": "grant",
        "text": "Styrgruppen beviljar.",
        "amount_2027": "100 000",
        "budget_line": other.pk,
    }

    response = client.post(action, data)
    assert response.status_code == 200
    assert "går 50\xa0000\xa0kr över ramen" in response.content.decode()
    assert not Decision.objects.exists()

    response = client.post(
        action, {**data, "over_frame": "on", "over_frame_reason": "Reserven fylls på i april."}
    )
    assert response.status_code == 302, item_url
    commitment = Commitment.objects.get()
    assert (commitment.line, commitment.amount, commitment.over_frame) == (other, 100_000, True)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Beslutat över ramen av" in page and "Reserven fylls på i april." in page
