"""The beredning's proposed amount per year and conditions, recorded with its ställningstagande, and the
styrgrupp's decision form that starts from them (issue 16: "the decision form is prefilled from the
application and the beredning's proposal")."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from budget.models import ProposedAmount
from budget.services import proposed_amounts_record
from governance import services as governance_services
from governance.enums import MeetingKind, ReviewOutcome
from governance.forms_review import OutcomeForm
from governance.models import AgendaItem
from governance.views.item_page import decision_form_for, facts_context
from samverkan.templatetags.money import format_kr
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_row
from tests.factories.governance import AgendaItemFactory, MeetingFactory, review_member

pytestmark = pytest.mark.django_db

CONDITION = "Halvtidsredovisning senast 2027-09-30"


@pytest.fixture
def proposal(agreement):
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.IN_REVIEW)
    budget_row(proposal, year=2026, amount=400_000)
    budget_row(proposal, year=2026, amount=50_000, category="travel")
    budget_row(proposal, year=2027, amount=200_000)
    return proposal


@pytest.fixture
def item(agreement, leader, proposal):
    """The application on a beredning's agenda, and a styrgrupp meeting ahead to forward it to."""
    meeting = MeetingFactory(
        agreement=agreement, kind=MeetingKind.JOINT_REVIEW, chair=review_member(agreement), secretary=leader
    )
    MeetingFactory(
        agreement=agreement, kind=MeetingKind.STEERING, starts_at=timezone.now() + datetime.timedelta(days=20)
    )
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def url(item):
    return reverse("governance:outcome_record", args=[item.meeting_id, item.pk])


def forward(**amounts):
    data = {"outcome": ReviewOutcome.FORWARD, "motivation": "Stark ansökan.", "conditions": CONDITION}
    data.update({f"proposed_amount_{year}": value for year, value in amounts.items()})
    return data


def steering_item_of(proposal):
    return AgendaItem.objects.select_related("meeting", "proposal").get(
        proposal=proposal, meeting__kind=MeetingKind.STEERING
    )


def nothing_recorded(item, proposal):
    item.refresh_from_db()
    proposal.refresh_from_db()
    return (
        item.outcome == ""
        and item.outcome_conditions == ""
        and proposal.state == ProposalState.IN_REVIEW
        and not ProposedAmount.objects.exists()
        and not AgendaItem.objects.filter(proposal=proposal, meeting__kind=MeetingKind.STEERING).exists()
    )


def test_outcome_form_offers_the_proposed_amount_per_year_prefilled_with_the_amount_applied_for(item):
    form = OutcomeForm(item=item)

    assert [part.fields for part in form.parts] == [("proposed_amount_2026", "proposed_amount_2027")]
    assert form["proposed_amount_2026"].initial == format_kr(450_000, unit=False)
    assert form["proposed_amount_2027"].initial == format_kr(200_000, unit=False)
    assert "conditions" in form.fields


def test_outcome_form_for_a_pitch_proposes_no_money(agreement, item):
    pitch = ProposalFactory(agreement=agreement, state=ProposalState.PITCH)
    budget_row(pitch, year=2026, amount=100_000)
    pitch_item = AgendaItemFactory(meeting=item.meeting, proposal=pitch)

    assert OutcomeForm(item=pitch_item).parts == []


def test_forward_records_proposed_amounts_and_conditions_and_the_decision_form_starts_from_them(
    client, leader, item, proposal
):
    client.force_login(leader)

    response = client.post(url(item), forward(**{"2026": "300 000", "2027": "150000 kr"}))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome_conditions == CONDITION
    assert dict(ProposedAmount.objects.filter(item=item).values_list("year", "amount")) == {
        2026: 300_000,
        2027: 150_000,
    }
    steering = steering_item_of(proposal)
    form = decision_form_for(steering)
    assert form.initial["amount_2026"] == format_kr(300_000, unit=False)
    assert form.initial["amount_2027"] == format_kr(150_000, unit=False)
    assert form.initial["conditions"] == CONDITION
    facts = facts_context(steering)
    assert facts["review_item"].outcome_conditions == CONDITION
    budget = facts["fact_parts"][0].context
    assert [(r["year"], r["agreement"], r["proposed"]) for r in budget["rows"]] == [
        (2026, 450_000, 300_000),
        (2027, 200_000, 150_000),
    ]
    assert budget["proposed"] == 450_000
    page = client.get(item.get_absolute_url()).content.decode()
    assert CONDITION in page
    assert "Sökt och föreslaget belopp per år" in page
    assert format_kr(300_000) in page


def test_decision_form_starts_from_the_amounts_applied_for_when_the_beredning_proposed_none(
    leader, item, proposal
):
    governance_services.outcome_record(item=item, by=leader, outcome=ReviewOutcome.FORWARD, motivation="Bra.")

    form = decision_form_for(steering_item_of(proposal))

    assert form.initial["amount_2026"] == format_kr(450_000, unit=False)
    assert form.initial["amount_2027"] == format_kr(200_000, unit=False)
    assert form.initial["conditions"] == ""
    assert facts_context(steering_item_of(proposal))["fact_parts"][0].context["proposed"] is None


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"2026": "-5 000"}, "Ange ett helt antal kronor (0 eller mer)."),
        ({"2026": "12,5"}, "Ange ett helt antal kronor (0 eller mer)."),
        ({"2027": "mycket"}, "Ange ett helt antal kronor (0 eller mer)."),
        ({"2027": "200 001"}, "Beredningen kan föreslå högst det sökta beloppet för 2027, 200\xa0000\xa0kr."),
    ],
    ids=["negative", "decimals", "letters", "above-applied"],
)
def test_bad_proposed_amount_gives_swedish_message_and_changes_nothing(
    client, leader, item, proposal, amounts, message
):
    client.force_login(leader)

    response = client.post(url(item), forward(**amounts))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_recorded(item, proposal)


def test_service_refuses_bad_amounts_inside_the_outcome_and_nothing_is_recorded(leader, item, proposal):
    with pytest.raises(ValidationError) as refused:
        governance_services.outcome_record(
            item=item,
            by=leader,
            outcome=ReviewOutcome.FORWARD,
            motivation="Bra.",
            conditions=CONDITION,
            extra={"proposed_amount_2026": 900_000, "proposed_amount_2028": 1},
        )

    assert set(refused.value.message_dict) == {"proposed_amount_2026", "proposed_amount_2028"}
    assert refused.value.message_dict["proposed_amount_2028"] == ["Ansökans budget har inget år 2028."]
    assert nothing_recorded(item, proposal)


def test_proposed_amounts_record_replaces_and_is_refused_for_others(leader, item):
    proposed_amounts_record(item=item, by=leader, amounts={2026: 100, 2027: 0})
    proposed_amounts_record(item=item, by=leader, amounts={2026: 200})

    assert list(ProposedAmount.objects.values_list("year", "amount")) == [(2026, 200)]
    with pytest.raises(PermissionDenied):
        proposed_amounts_record(item=item, by=review_member(item.meeting.agreement), amounts={2026: 1})
    assert list(ProposedAmount.objects.values_list("year", "amount")) == [(2026, 200)]


def test_decline_stores_no_proposed_amounts_nor_conditions(client, leader, item):
    client.force_login(leader)

    client.post(url(item), {**forward(**{"2026": "1"}), "outcome": ReviewOutcome.DECLINE})

    item.refresh_from_db()
    assert item.outcome == ReviewOutcome.DECLINE
    assert item.outcome_conditions == ""
    assert not ProposedAmount.objects.exists()


def test_the_beredning_minutes_print_the_proposed_amounts_and_conditions(client, leader, item):
    client.force_login(leader)
    client.post(url(item), forward(**{"2026": "300 000", "2027": "150 000"}))

    text = governance_services.minutes_draft_text(item.meeting).replace("\xa0", " ")

    assert "Föreslaget belopp: 2026: 300 000 kr, 2027: 150 000 kr (totalt 450 000 kr)" in text
    assert f"Föreslagna villkor: {CONDITION}" in text
