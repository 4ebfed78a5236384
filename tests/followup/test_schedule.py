import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.cadence import add_months
from applications.enums import ProposalState, WorkForm
from applications.services import proposal_start
from followup.enums import ReportKind, ReportState
from followup.models import FollowUpReport
from followup.services import schedule_change_end_date, schedule_generate
from tests.factories.applications import ProposalFactory
from tests.factories.followup import active_project, set_state

START = datetime.date(2027, 1, 1)


def schedule(proposal):
    return list(FollowUpReport.objects.filter(proposal=proposal).values_list("kind", "due_date"))


def project(months, work_form=WorkForm.PROJECT):
    end = add_months(START, months) - datetime.timedelta(days=1)
    proposal = ProposalFactory(
        state=ProposalState.ACTIVE, work_form=work_form, planned_start=START, planned_end=end
    )
    schedule_generate(proposal=proposal, today=datetime.date(2026, 12, 1))
    return proposal


@pytest.mark.django_db
@pytest.mark.parametrize(
    "months, expected",
    [
        pytest.param(
            17,
            [
                (ReportKind.HALF_TIME, datetime.date(2027, 9, 16)),
                (ReportKind.FINAL, datetime.date(2028, 5, 31)),
            ],
            id="17-months-half-time",
        ),
        pytest.param(
            18,
            [(ReportKind.YEARLY, datetime.date(2028, 1, 1)), (ReportKind.FINAL, datetime.date(2028, 6, 30))],
            id="18-months-yearly",
        ),
        pytest.param(
            19,
            [(ReportKind.YEARLY, datetime.date(2028, 1, 1)), (ReportKind.FINAL, datetime.date(2028, 7, 31))],
            id="19-months-yearly",
        ),
        pytest.param(
            36,
            [
                (ReportKind.YEARLY, datetime.date(2028, 1, 1)),
                (ReportKind.YEARLY, datetime.date(2029, 1, 1)),
                (ReportKind.FINAL, datetime.date(2029, 12, 31)),
            ],
            id="36-months-two-yearly",
        ),
    ],
)
def test_project_schedule_follows_the_18_month_rule(months, expected):
    assert schedule(project(months)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("work_form", [WorkForm.PRE_STUDY, WorkForm.PROJECT, WorkForm.CO_FUNDING])
def test_short_forstudie_projekt_and_cofunding_report_at_half_time(work_form):
    kinds = [kind for kind, _ in schedule(project(12, work_form))]
    assert kinds == [ReportKind.HALF_TIME, ReportKind.FINAL]


@pytest.mark.django_db
@pytest.mark.parametrize("work_form", [WorkForm.PROGRAMME, WorkForm.PROFILE_AREA])
def test_programme_and_profile_area_report_every_six_months(work_form):
    assert schedule(project(24, work_form)) == [
        (ReportKind.HALF_YEARLY, datetime.date(2027, 7, 1)),
        (ReportKind.HALF_YEARLY, datetime.date(2028, 1, 1)),
        (ReportKind.HALF_YEARLY, datetime.date(2028, 7, 1)),
        (ReportKind.FINAL, datetime.date(2028, 12, 31)),
    ]


@pytest.mark.django_db
def test_reports_are_numbered_and_titled_per_kind():
    proposal = project(24, WorkForm.PROGRAMME)
    titles = [r.title for r in proposal.followup_reports.order_by("due_date")]
    assert titles == [
        "Halvårsredovisning 1",
        "Halvårsredovisning 2",
        "Halvårsredovisning 3",
        "Slutredovisning",
    ]


@pytest.mark.django_db
def test_report_due_within_30_days_is_att_lamna_others_kommande():
    proposal = active_project(months=2)  # half time in about a month
    states = dict(proposal.followup_reports.values_list("kind", "state"))
    assert states[ReportKind.HALF_TIME] == ReportState.DUE
    assert states[ReportKind.FINAL] == ReportState.UPCOMING


@pytest.mark.django_db
def test_starting_a_project_generates_its_schedule(django_capture_on_commit_callbacks):
    from tests.factories.governance import process_leader

    proposal = ProposalFactory(
        state=ProposalState.GRANTED,
        planned_start=START,
        planned_end=datetime.date(2027, 12, 31),
        documents_completed_at=timezone.now(),
        project_account="MDU-1",
    )
    leader = process_leader(proposal.agreement)

    proposal_start(proposal=proposal, by=leader)

    assert schedule(proposal) == [
        (ReportKind.HALF_TIME, datetime.date(2027, 7, 2)),
        (ReportKind.FINAL, datetime.date(2027, 12, 31)),
    ]


@pytest.mark.django_db
def test_generating_twice_keeps_the_schedule():
    proposal = project(12)
    before = list(proposal.followup_reports.values_list("pk", flat=True))
    schedule_generate(proposal=proposal)
    assert list(proposal.followup_reports.values_list("pk", flat=True)) == before


@pytest.mark.django_db
def test_project_without_end_date_gets_no_schedule():
    proposal = ProposalFactory(state=ProposalState.ACTIVE, planned_end=None)
    assert schedule_generate(proposal=proposal) == []


# --- a changed end date ----------------------------------------------------------------------------


@pytest.fixture
def long_project(db):
    """24 months from 2027-01-01: yearly 2028-01-01, final 2028-12-31; the yearly report is submitted."""
    proposal = project(24)
    return proposal


@pytest.mark.django_db
def test_new_end_date_regenerates_only_the_future_part(long_project):
    from tests.factories.governance import process_leader

    leader = process_leader(long_project.agreement)
    yearly = long_project.followup_reports.get(kind=ReportKind.YEARLY)
    set_state(yearly, ReportState.SUBMITTED)
    today = datetime.date(2028, 3, 1)

    schedule_change_end_date(proposal=long_project, by=leader, end=datetime.date(2029, 12, 31), today=today)

    assert schedule(long_project) == [
        (ReportKind.YEARLY, datetime.date(2028, 1, 1)),
        (ReportKind.YEARLY, datetime.date(2029, 1, 1)),
        (ReportKind.FINAL, datetime.date(2029, 12, 31)),
    ]
    yearly.refresh_from_db()
    assert yearly.state == ReportState.SUBMITTED  # the past part is untouched (same row)
    long_project.refresh_from_db()
    assert long_project.planned_end == datetime.date(2029, 12, 31)


@pytest.mark.django_db
def test_shorter_end_date_keeps_an_overdue_report_and_moves_the_final(long_project):
    from tests.factories.governance import process_leader

    leader = process_leader(long_project.agreement)
    overdue = long_project.followup_reports.get(kind=ReportKind.YEARLY)
    today = datetime.date(2028, 2, 1)

    schedule_change_end_date(proposal=long_project, by=leader, end=datetime.date(2028, 6, 30), today=today)

    assert schedule(long_project) == [
        (ReportKind.YEARLY, datetime.date(2028, 1, 1)),
        (ReportKind.FINAL, datetime.date(2028, 6, 30)),
    ]
    assert FollowUpReport.objects.filter(pk=overdue.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "end, message",
    [
        pytest.param(datetime.date(2026, 6, 1), "Slutdatum måste ligga efter startdatum.", id="before-start"),
        pytest.param(
            datetime.date(2027, 2, 1), "Det nya slutdatumet kan inte ligga i det förflutna.", id="past"
        ),
    ],
)
def test_bad_end_date_is_refused_and_changes_nothing(long_project, end, message):
    from tests.factories.governance import process_leader

    leader = process_leader(long_project.agreement)
    before = schedule(long_project)

    with pytest.raises(ValidationError) as error:
        schedule_change_end_date(proposal=long_project, by=leader, end=end, today=datetime.date(2027, 3, 1))

    assert message in error.value.messages
    assert schedule(long_project) == before
    long_project.refresh_from_db()
    assert long_project.planned_end == datetime.date(2028, 12, 31)


@pytest.mark.django_db
def test_only_processledare_change_the_end_date(long_project):
    with pytest.raises(PermissionDenied):
        schedule_change_end_date(
            proposal=long_project,
            by=long_project.responsible_researcher,
            end=datetime.date(2029, 12, 31),
            today=datetime.date(2027, 3, 1),
        )
    long_project.refresh_from_db()
    assert long_project.planned_end == datetime.date(2028, 12, 31)
