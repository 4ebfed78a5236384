"""The start page's "Möten" section reads only the meetings it shows: the database picks the meetings
where the person has something to do (assess, vote, approve minutes) and counts the rest."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.enums import Choice, MeetingKind, MeetingStatus, VoteStatus
from governance.models import Assessment, Ballot, Minutes, Vote
from governance.selectors import meeting_todos, meeting_todos_first
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    in_days,
    review_member,
    steering_member,
)
from tests.factories.samverkan import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()


def review_meetings_to_assess(agreement, n):
    meetings = []
    for index in range(n):
        meeting = MeetingFactory(
            agreement=agreement, kind=MeetingKind.JOINT_REVIEW, starts_at=in_days(3 + index)
        )
        AgendaItemFactory(meeting=meeting, proposal=ProposalFactory(agreement=agreement, state="in_review"))
        meetings.append(meeting)
    return meetings


def rows_key(rows):
    return [(r["meeting"].pk, r["assess"], r["vote"], r["approve"]) for r in rows]


def test_first_rows_and_total_are_those_of_the_full_list(agreement):
    member = review_member(agreement)
    meetings = review_meetings_to_assess(agreement, 7)
    # Already assessed: nothing to do in the first meeting.
    Assessment.objects.create(
        item=meetings[0].items.get(),
        member=member,
        party=agreement.university,
        perspective="research",
        submitted_at=timezone.now(),
    )
    MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW)  # upcoming, nothing to assess

    rows, total = meeting_todos_first(member, 5)

    full = meeting_todos(member, only_with_todos=True)
    assert total == len(full) == 6
    assert rows_key(rows) == rows_key(full[:5])
    assert meetings[0].pk not in [r["meeting"].pk for r in rows]
    assert all(r["assess"] == 1 for r in rows)


def test_votes_cast_or_recused_and_approved_minutes_are_not_todos(agreement):
    member = steering_member(agreement)
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING)
    votes = []
    for _ in range(2):
        item = AgendaItemFactory(
            meeting=steering, proposal=ProposalFactory(agreement=agreement, state="awaiting_decision")
        )
        votes.append(Vote.objects.create(item=item, status=VoteStatus.OPEN))
    Ballot.objects.create(vote=votes[0], member=member, party=agreement.university, choice=Choice.NO)
    votes[1].recusals.create(item=votes[1].item, member=member, reason="Jävig")
    held = MeetingFactory(
        agreement=agreement,
        kind=MeetingKind.STEERING,
        chair=member,
        starts_at=in_days(-2),
        status=MeetingStatus.HELD,
    )
    Minutes.objects.create(meeting=held, adjuster=steering_member(agreement))

    rows, total = meeting_todos_first(member, 5)

    assert total == 1
    assert [(r["meeting"], r["approve"], r["vote"]) for r in rows] == [(held, True, 0)]
    Minutes.objects.filter(meeting=held).update(chair_approved_at=timezone.now())
    assert meeting_todos_first(member, 5) == ([], 0)


def test_start_page_shows_five_meetings_and_counts_the_rest(client, agreement, django_assert_max_num_queries):
    member = review_member(agreement)
    client.force_login(member)
    review_meetings_to_assess(agreement, 1)
    client.get(reverse("start"))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("start"))

    review_meetings_to_assess(agreement, 7)
    with django_assert_max_num_queries(len(one)):
        html = client.get(reverse("start")).content.decode()

    assert "<h3>Möten</h3>" in html
    assert html.count("Bedöm 1 ansökan") == 5
    assert "Och 3 möten till." in html
