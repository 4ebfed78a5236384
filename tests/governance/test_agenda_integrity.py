"""Agendas that stay true (issue 16): one open deciding item per proposal and kind, forwarding to an uncalled
styrgrupp, an updated kallelse when a called agenda changes, items settled by a decision elsewhere, and one §
number per item for the agenda, the decision and the minutes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from applications.enums import ProposalState
from applications.models import ProposalTransition
from governance import services
from governance.enums import DecisionKind, ItemKind, MeetingKind, MeetingStatus, ReviewOutcome
from governance.forms import schedulable_proposals
from governance.minutes_draft import minutes_draft_text
from governance.models import AgendaItem, Decision, Meeting
from tests.factories.applications import ProposalFactory
from tests.factories.governance import STOCKHOLM, AgendaItemFactory, MeetingFactory, in_days, process_leader
from tests.factories.samverkan import AgreementFactory

pytestmark = pytest.mark.django_db

MARCH_12 = datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def leader(agreement):
    return process_leader(agreement)


def steering(agreement, leader, *, starts_at=None, title=None, **fields):
    starts_at = starts_at or in_days(20)
    return MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        starts_at=starts_at,
        title=title or f"Styrgruppsmöte {starts_at:%Y-%m-%d}",
        chair=leader,
        secretary=leader,
        **fields,
    )


@pytest.fixture
def awaiting(agreement):
    return ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)


def acclaim(item, by, kind=DecisionKind.GRANT):
    return services.decision_by_acclamation(
        item=item, by=by, kind=kind, text="Styrgruppen beviljar ansökan.", amounts={2027: 100_000}
    )


# --- one open item per proposal and kind --------------------------------------------------------------------


def test_adding_a_proposal_already_on_another_open_agenda_is_refused_naming_that_meeting(
    agreement, leader, awaiting, mailoutbox
):
    first = steering(agreement, leader, starts_at=MARCH_12, title="Styrgruppsmöte")
    services.item_add(meeting=first, by=leader, title="Information", kind=ItemKind.INFORMATION)
    services.item_add(meeting=first, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    services.item_add(meeting=first, by=leader, proposal=awaiting)
    second = steering(agreement, leader, starts_at=MARCH_12 + datetime.timedelta(days=30))
    transitions = ProposalTransition.objects.filter(proposal=awaiting).count()

    with pytest.raises(ValidationError) as error:
        services.item_add(meeting=second, by=leader, proposal=awaiting)

    assert error.value.message_dict["proposal"] == [
        "Ärendet står redan på dagordningen för Styrgruppsmöte 12 mars 2027 (§3)."
    ]
    assert not second.items.exists()
    assert AgendaItem.objects.filter(proposal=awaiting).count() == 1
    assert ProposalTransition.objects.filter(proposal=awaiting).count() == transitions
    awaiting.refresh_from_db()
    assert awaiting.state == ProposalState.AWAITING_DECISION
    assert mailoutbox == []


def test_a_proposal_whose_meeting_was_held_without_a_decision_can_go_on_the_next_agenda(
    agreement, leader, awaiting
):
    first = steering(agreement, leader, starts_at=in_days(-7))
    services.item_add(meeting=first, by=leader, proposal=awaiting)
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.HELD)
    second = steering(agreement, leader)

    item = services.item_add(meeting=second, by=leader, proposal=awaiting)

    assert item.meeting == second and item.kind == ItemKind.DECISION


def test_an_information_item_about_the_same_proposal_is_not_blocked(agreement, leader, awaiting):
    first = steering(agreement, leader)
    services.item_add(meeting=first, by=leader, proposal=awaiting)
    second = steering(agreement, leader, starts_at=in_days(40))

    item = services.item_add(meeting=second, by=leader, proposal=awaiting, kind=ItemKind.INFORMATION)

    assert item.kind == ItemKind.INFORMATION


def test_agenda_form_does_not_offer_proposals_on_another_open_agenda(agreement, leader, awaiting):
    free = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    first = steering(agreement, leader)
    services.item_add(meeting=first, by=leader, proposal=awaiting)
    second = steering(agreement, leader, starts_at=in_days(40))

    assert list(schedulable_proposals(second)) == [free]
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.HELD)
    assert set(schedulable_proposals(second)) == {awaiting, free}


# --- forwarding and updated kallelser -----------------------------------------------------------------------


@pytest.fixture
def reviewed(agreement, leader):
    """An application on a beredning, ready for the beredning's outcome."""
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.IN_REVIEW)
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW, secretary=leader)
    return AgendaItemFactory(meeting=meeting, proposal=proposal)


def test_forward_goes_to_the_next_styrgrupp_whose_kallelse_is_not_sent(agreement, leader, reviewed):
    called = steering(agreement, leader, starts_at=in_days(10))
    AgendaItemFactory(meeting=called, kind=ItemKind.INFORMATION, title="Ekonomi")
    services.invitation_send(meeting=called, by=leader)
    planned = steering(agreement, leader, starts_at=in_days(30))

    services.outcome_record(item=reviewed, by=leader, outcome=ReviewOutcome.FORWARD, motivation="Bra.")

    assert list(called.items.values_list("title", flat=True)) == ["Ekonomi"]
    forwarded = planned.items.get()
    assert (forwarded.proposal, forwarded.kind, forwarded.order) == (reviewed.proposal, ItemKind.DECISION, 1)
    called.refresh_from_db()
    assert called.ics_sequence == 0


def test_forward_with_only_a_called_styrgrupp_leaves_the_agenda_to_the_processledare(
    agreement, leader, reviewed
):
    called = steering(agreement, leader, starts_at=in_days(10))
    AgendaItemFactory(meeting=called, kind=ItemKind.INFORMATION, title="Ekonomi")
    services.invitation_send(meeting=called, by=leader)

    services.outcome_record(item=reviewed, by=leader, outcome=ReviewOutcome.FORWARD, motivation="Bra.")

    reviewed.proposal.refresh_from_db()
    assert reviewed.proposal.state == ProposalState.AWAITING_DECISION
    assert called.items.count() == 1


def _event(message):
    [(_name, content, _type)] = message.attachments
    return Calendar.from_ical(content).walk("VEVENT")[0]


def test_adding_to_a_called_meeting_sends_an_updated_kallelse_with_the_same_uid_and_a_higher_sequence(
    agreement, leader, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = steering(agreement, leader)
    services.item_add(meeting=meeting, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(meeting=meeting, by=leader)
    first_uid = str(_event(mailoutbox[0])["UID"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        item = services.item_add(meeting=meeting, by=leader, proposal=awaiting)

    meeting.refresh_from_db()
    assert meeting.ics_sequence == 1
    assert mailoutbox
    update = next(m for m in mailoutbox if m.to == [leader.email])
    assert update.subject.startswith("Ändrad dagordning:")
    assert f"§{item.order} " in update.body and awaiting.title in update.body
    event = _event(update)
    assert str(event["UID"]) == first_uid
    assert int(event["SEQUENCE"]) == 1
    assert item.order == 2


def test_a_refused_addition_to_a_called_meeting_sends_nothing(
    agreement, leader, awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    other = steering(agreement, leader, starts_at=in_days(5))
    services.item_add(meeting=other, by=leader, proposal=awaiting)
    meeting = steering(agreement, leader)
    services.item_add(meeting=meeting, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(meeting=meeting, by=leader)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.item_add(meeting=meeting, by=leader, proposal=awaiting)

    meeting.refresh_from_db()
    assert meeting.ics_sequence == 0
    assert meeting.items.count() == 1
    assert mailoutbox == []


# --- decided elsewhere: settled -----------------------------------------------------------------------------


@pytest.fixture
def decided_twice_over(agreement, leader, awaiting):
    """The proposal's first meeting was held without a decision (a void vote); it went on a second agenda
    and was decided there, while an old duplicate on a third, called meeting is still listed."""
    held = steering(agreement, leader, starts_at=in_days(-14), title="Styrgrupp november")
    held_item = services.item_add(meeting=held, by=leader, proposal=awaiting)
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD)
    deciding = steering(agreement, leader, starts_at=in_days(-1), title="Styrgrupp december")
    services.item_add(meeting=deciding, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    deciding_item = services.item_add(meeting=deciding, by=leader, proposal=awaiting)
    later = steering(agreement, leader, starts_at=in_days(30), title="Styrgrupp januari")
    later_item = AgendaItemFactory(meeting=later, proposal=awaiting)  # written directly: legacy duplicate
    decision = acclaim(deciding_item, leader)
    return held_item, decision, later_item


def test_a_decision_settles_the_proposals_items_on_other_meetings(decided_twice_over):
    held_item, decision, later_item = decided_twice_over

    for item in (held_item, later_item):
        item.refresh_from_db()
        assert item.settled_by == decision
        assert item.settled_at is not None
    assert decision.item.settled_by is None
    assert decision.paragraph == 2


def test_a_settled_item_cannot_be_decided_again(decided_twice_over, leader, awaiting):
    _held_item, _decision, later_item = decided_twice_over
    later_item.refresh_from_db()
    awaiting.refresh_from_db()
    state = awaiting.state
    transitions = ProposalTransition.objects.filter(proposal=awaiting).count()

    with pytest.raises(services.DecisionError) as error:
        acclaim(later_item, leader, kind=DecisionKind.REJECT)

    assert error.value.message == (
        "Ärendet avgjordes redan vid Styrgrupp december §2 – punkten kan inte beslutas igen."
    )
    assert not later_item.decisions.exists()
    assert Decision.objects.filter(proposal=awaiting).count() == 1
    awaiting.refresh_from_db()
    assert awaiting.state == state
    assert ProposalTransition.objects.filter(proposal=awaiting).count() == transitions


def test_settled_items_show_where_they_were_decided(client, decided_twice_over, leader, awaiting):
    held_item, _decision, later_item = decided_twice_over
    client.force_login(leader)

    proposal_page = client.get(awaiting.get_absolute_url()).content.decode()
    agenda_page = client.get(
        reverse("governance:meeting_detail", args=[later_item.meeting_id])
    ).content.decode()
    minutes = minutes_draft_text(held_item.meeting)

    assert "Inte behandlat än" not in proposal_page
    assert proposal_page.count("Utgår – avgjort vid Styrgrupp december §2") == 2
    assert "Utgår – avgjort vid Styrgrupp december §2" in agenda_page
    assert f"<s>{later_item.title}</s>" in agenda_page
    assert "Utgår – ärendet avgjordes vid Styrgrupp december §2." in minutes


# --- one § number per item ----------------------------------------------------------------------------------


def test_removing_an_item_before_the_kallelse_renumbers_the_agenda(agreement, leader):
    meeting = steering(agreement, leader)
    _first, second, _third = (
        services.item_add(meeting=meeting, by=leader, title=t, kind=ItemKind.INFORMATION) for t in "ABC"
    )

    services.item_remove(item=second, by=leader)

    assert list(meeting.items.values_list("title", "order")) == [("A", 1), ("C", 2)]


def test_after_the_kallelse_numbers_are_fixed_and_a_new_item_comes_last(agreement, leader):
    meeting = steering(agreement, leader)
    _first, second, _third = (
        services.item_add(meeting=meeting, by=leader, title=t, kind=ItemKind.INFORMATION) for t in "ABC"
    )
    services.invitation_send(meeting=meeting, by=leader)

    services.item_remove(item=second, by=leader)
    services.item_add(meeting=meeting, by=leader, title="D", kind=ItemKind.INFORMATION)

    assert list(meeting.items.values_list("title", "order")) == [("A", 1), ("C", 3), ("D", 4)]


def test_removing_an_item_from_a_called_meeting_sends_an_updated_kallelse(
    agreement, leader, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = steering(agreement, leader)
    services.item_add(meeting=meeting, by=leader, title="A", kind=ItemKind.INFORMATION)
    second = services.item_add(meeting=meeting, by=leader, title="B", kind=ItemKind.INFORMATION)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(meeting=meeting, by=leader)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.item_remove(item=second, by=leader)

    meeting.refresh_from_db()
    assert meeting.ics_sequence == 1
    update = next(m for m in mailoutbox if m.to == [leader.email])
    assert update.subject.startswith("Ändrad dagordning:")
    assert "§2" not in update.body and "§1" in update.body


def test_the_decision_and_the_minutes_carry_the_agenda_items_number(agreement, leader, awaiting):
    meeting = steering(agreement, leader, starts_at=in_days(-1))
    services.item_add(meeting=meeting, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    services.item_add(meeting=meeting, by=leader, title="Övrigt", kind=ItemKind.INFORMATION)
    item = services.item_add(meeting=meeting, by=leader, proposal=awaiting)

    decision = acclaim(item, leader)

    assert item.order == decision.paragraph == 3
    minutes = minutes_draft_text(meeting)
    assert f"§3 Beslut: {awaiting.title}" in minutes
    assert "§1 Information: Ekonomi" in minutes


def test_a_decision_is_dated_the_day_it_was_taken_not_the_meetings_planned_day(agreement, leader, awaiting):
    meeting = steering(agreement, leader, starts_at=in_days(-1))  # started yesterday, decides today
    item = services.item_add(meeting=meeting, by=leader, proposal=awaiting)
    before = timezone.now()

    decision = acclaim(item, leader)

    assert before <= decision.decided_at <= timezone.now()
    assert timezone.localdate(decision.decided_at) != timezone.localdate(meeting.starts_at)


def test_the_agenda_page_says_an_updated_kallelse_went_out(client, agreement, leader, awaiting):
    meeting = steering(agreement, leader)
    services.item_add(meeting=meeting, by=leader, title="Ekonomi", kind=ItemKind.INFORMATION)
    services.invitation_send(meeting=meeting, by=leader)
    client.force_login(leader)

    response = client.post(
        reverse("governance:item_add", args=[meeting.pk]),
        {"proposal": awaiting.pk, "duration_minutes": 15},
        follow=True,
    )

    text = " ".join(str(m) for m in response.context["messages"])
    assert "En uppdaterad kallelse har skickats till ledamöter och föredragande." in text
    assert meeting.items.filter(proposal=awaiting).exists()


def test_the_agenda_page_names_the_other_meeting_when_refusing(client, agreement, leader, awaiting):
    first = steering(agreement, leader, starts_at=MARCH_12, title="Styrgruppsmöte")
    services.item_add(meeting=first, by=leader, proposal=awaiting)
    second = steering(agreement, leader, starts_at=MARCH_12 + datetime.timedelta(days=30))
    client.force_login(leader)

    response = client.post(
        reverse("governance:item_add", args=[second.pk]),
        {"proposal": awaiting.pk, "duration_minutes": 15},
        follow=True,
    )

    text = " ".join(str(m) for m in response.context["messages"])
    assert "Ärendet står redan på dagordningen för Styrgruppsmöte 12 mars 2027 (§1)." in text
    assert not second.items.exists()
