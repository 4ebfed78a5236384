import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.enums import ReportState
from followup.models import FollowUpReport
from followup.selectors import followup_summary
from samverkan.enums import Role
from tests.factories.followup import DisseminationEventFactory, active_project, set_state
from tests.factories.governance import process_leader
from tests.factories.samverkan import AgreementFactory, person_with_role


def make_due(proposal, days):
    """Move the project's half-time report to `days` from today (negative: overdue)."""
    due = timezone.localdate() + datetime.timedelta(days=days)
    report = proposal.followup_reports.order_by("due_date").first()
    FollowUpReport.objects.filter(pk=report.pk).update(
        period_start=due - datetime.timedelta(days=60), due_date=due, state=ReportState.DUE
    )
    return report


@pytest.fixture
def agreement(db):
    return AgreementFactory()


def projects(agreement, n, researcher, officer):
    for index in range(n):
        proposal = active_project(
            months=12, agreement=agreement, responsible_researcher=researcher, responsible_officer=officer
        )
        make_due(proposal, days=-3 if index % 2 else 10)


@pytest.mark.parametrize("n", [1, 6])
def test_start_page_query_count_does_not_grow_with_projects(
    client, agreement, n, django_assert_max_num_queries
):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    projects(agreement, n, researcher, officer)
    client.force_login(researcher)
    client.get(reverse("start"))  # warm caches (sessions, content types)

    with django_assert_max_num_queries(30):
        page = client.get(reverse("start")).content.decode()

    assert "Uppföljningsrapporter att lämna" in page
    assert page.count("Halvtidsredovisning") >= n


@pytest.mark.parametrize("n", [1, 6])
def test_overview_query_count_is_constant(client, agreement, n, django_assert_num_queries):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    projects(agreement, n, researcher, officer)
    DisseminationEventFactory(agreement=agreement)
    leader = process_leader(agreement)
    client.force_login(leader)
    client.get(reverse("followup:overview"))

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("followup:overview"))

    page = response.content.decode()
    assert "Försenade rapporter" in page
    assert page.count("Försenad 3 dagar") == n // 2


QUERIES = 9


def test_processledare_start_page_summarises_follow_up(client, agreement):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    projects(agreement, 2, researcher, officer)
    client.force_login(process_leader(agreement))

    page = client.get(reverse("start")).content.decode()

    assert "1 försenad rapport" in page
    assert "1 rapport ska lämnas inom 30 dagar" in page


def test_overview_is_for_processledare(client, agreement):
    client.force_login(person_with_role(agreement, Role.RESEARCHER))
    assert client.get(reverse("followup:overview")).status_code == 403


def test_followup_summary_is_reproducible_as_of_a_date(agreement, time_machine):
    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    proposal = active_project(
        months=12,
        start=datetime.date(2027, 1, 1),
        agreement=agreement,
        responsible_researcher=researcher,
        responsible_officer=officer,
    )
    report = proposal.followup_reports.get(kind="halvtid")  # due 2027-07-02
    submitted = timezone.make_aware(datetime.datetime(2027, 7, 10, 12))
    set_state(report, ReportState.SUBMITTED, submitted_at=submitted)

    q3 = (datetime.date(2027, 7, 1), datetime.date(2027, 9, 30))
    before = followup_summary(agreement, *q3, as_of=timezone.make_aware(datetime.datetime(2027, 7, 5)))
    after = followup_summary(agreement, *q3, as_of=timezone.make_aware(datetime.datetime(2027, 10, 1)))

    assert (before.reports_due, before.reports_late) == (1, 1)
    assert (after.reports_due, after.reports_late) == (1, 1)  # submitted eight days late
    assert after.reports_treated == 0 and after.closures == 0 and after.events_held == 0


def test_followup_summary_counts_closures_treated_and_events_by_as_of(agreement):
    from applications.models import ProposalTransition
    from tests.factories.followup import STOCKHOLM as TZ
    from tests.factories.followup import DisseminationEventFactory

    researcher = person_with_role(agreement, Role.RESEARCHER)
    officer = person_with_role(agreement, Role.OFFICER, organisation=agreement.municipalities.first())
    proposal = active_project(
        months=12,
        start=datetime.date(2027, 1, 1),
        agreement=agreement,
        responsible_researcher=researcher,
        responsible_officer=officer,
    )
    report = proposal.followup_reports.get(kind="halvtid")
    set_state(report, ReportState.TREATED, treated_at=datetime.datetime(2027, 8, 1, 12, tzinfo=TZ))
    DisseminationEventFactory(agreement=agreement, starts_at=datetime.datetime(2027, 5, 20, 13, tzinfo=TZ))
    ProposalTransition.objects.create(
        proposal=proposal, transition="close", source="closing", target="closed", by=researcher
    )

    q2 = followup_summary(
        agreement,
        datetime.date(2027, 4, 1),
        datetime.date(2027, 6, 30),
        as_of=datetime.datetime(2027, 7, 1, tzinfo=TZ),
    )
    q3_early = followup_summary(
        agreement,
        datetime.date(2027, 7, 1),
        datetime.date(2027, 9, 30),
        as_of=datetime.datetime(2027, 7, 15, tzinfo=TZ),
    )
    q3 = followup_summary(
        agreement,
        datetime.date(2027, 7, 1),
        datetime.date(2027, 9, 30),
        as_of=datetime.datetime(2027, 10, 1, tzinfo=TZ),
    )

    assert q2.events_held == 1 and q2.reports_due == 0
    assert q3_early.reports_treated == 0
    assert q3.reports_treated == 1
    assert q3.closures == 0  # the close transition is stamped now, not in 2027
