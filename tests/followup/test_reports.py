import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from budget.models import Spending
from followup import services
from followup.enums import GoalStatus, ReportState
from followup.models import GoalAssessment
from governance.enums import ItemKind, MeetingKind
from samverkan.models import Notification
from tests.factories.followup import filled, set_state
from tests.factories.governance import STOCKHOLM, MeetingFactory, in_days


def goals_of(report, status=GoalStatus.MET):
    return {goal.pk: (status, "") for goal in report.proposal.activity_goals.all()}


def complete(report, by, **overrides):
    fields = {
        "deliveries": "Två workshoppar.",
        "evaluation": "Enligt plan.",
        "lessons": "Förankra tidigt.",
        "goals": goals_of(report),
        "spending_year": report.due_date.year,
        "spending": {"salaries": 120_000, "travel": 4_500},
    }
    fields.update(overrides)
    return services.report_save(report=report, by=by, **fields)


# --- writing and submitting ----------------------------------------------------------------------------


def test_researcher_saves_and_submits_a_report(half_time, researcher, leader):
    complete(half_time, researcher)

    report = services.report_submit(report=half_time, by=researcher)

    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == researcher
    assert set(report.goal_assessments.values_list("status", flat=True)) == {GoalStatus.MET}
    assert Notification.objects.filter(user=leader, event="followup_report_submitted").exists()


def test_submitted_spending_reaches_the_budget(half_time, researcher):
    complete(half_time, researcher)
    services.report_submit(report=half_time, by=researcher)

    rows = Spending.objects.filter(proposal=half_time.proposal)
    assert {(r.category, r.amount) for r in rows} == {("salaries", 120_000), ("travel", 4_500)}


def test_incomplete_report_is_refused_with_swedish_reasons_and_nothing_changes(half_time, researcher):
    complete(half_time, researcher, evaluation="", goals={})
    mail.outbox.clear()

    with pytest.raises(ValidationError) as error:
        services.report_submit(report=half_time, by=researcher)

    assert "Skriv en utvärdering av arbetet." in error.value.messages
    assert any(m.startswith("Ange måluppfyllelse för aktivitetsmålet") for m in error.value.messages)
    half_time.refresh_from_db()
    assert half_time.state != ReportState.SUBMITTED
    assert half_time.submitted_at is None
    assert mail.outbox == []


def test_negative_amount_is_refused_and_nothing_saved(half_time, researcher):
    with pytest.raises(ValidationError) as error:
        complete(half_time, researcher, spending={"travel": -5})
    assert error.value.message_dict["spent_travel"] == ["Ange ett helt antal kronor (0 eller mer)."]
    half_time.refresh_from_db()
    assert half_time.deliveries == ""
    assert not half_time.spending.exists()


def test_final_report_needs_the_scientific_report(final, researcher):
    complete(final, researcher)
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=final, by=researcher)
    assert (
        "Slutredovisningen behöver den vetenskapliga slutrapporten (text eller bilaga)."
        in error.value.messages
    )


@pytest.mark.parametrize("who", ["outsider", "leader", "communicator"])
def test_only_the_team_writes_reports(request, half_time, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        complete(half_time, user)
    half_time.refresh_from_db()
    assert half_time.deliveries == ""


def test_officer_in_the_team_may_submit(half_time, officer):
    complete(half_time, officer)
    assert services.report_submit(report=half_time, by=officer).state == ReportState.SUBMITTED


def test_submitted_report_can_no_longer_be_edited(half_time, researcher):
    filled(half_time)
    services.report_submit(report=half_time, by=researcher)
    with pytest.raises(PermissionDenied):
        complete(half_time, researcher, deliveries="Ändrat i efterhand")


# --- treating at a meeting ----------------------------------------------------------------------------


@pytest.fixture
def submitted(half_time, researcher):
    filled(half_time)
    return services.report_submit(report=half_time, by=researcher)


def test_processledare_puts_report_on_a_beredning_and_records_feedback(submitted, leader, researcher):
    meeting = MeetingFactory(
        agreement=submitted.proposal.agreement, kind=MeetingKind.JOINT_REVIEW, starts_at=in_days(-1)
    )

    report = services.report_put_on_agenda(report=submitted, by=leader, meeting=meeting)
    item = report.agenda_item
    report = services.report_treat(report=report, by=leader, feedback="Bra framsteg – fortsätt.")

    assert item.meeting == meeting and item.kind == ItemKind.FOLLOW_UP and item.proposal == submitted.proposal
    assert set(item.presenters.all()) == {
        submitted.proposal.responsible_researcher,
        submitted.proposal.responsible_officer,
    }
    assert report.state == ReportState.TREATED
    assert report.feedback == "Bra framsteg – fortsätt."
    assert Notification.objects.filter(user=researcher, event="followup_report_treated").exists()


def test_treating_needs_an_agenda_item_and_feedback(submitted, leader):
    with pytest.raises(ValidationError) as error:
        services.report_treat(report=submitted, by=leader, feedback="Bra")
    assert error.value.messages == ["Sätt rapporten på ett mötes dagordning innan den behandlas."]
    meeting = MeetingFactory(agreement=submitted.proposal.agreement, kind=MeetingKind.STEERING)
    services.report_put_on_agenda(report=submitted, by=leader, meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.report_treat(report=submitted, by=leader, feedback="  ")
    assert error.value.message_dict["feedback"] == ["Skriv mötets återkoppling till projektet."]
    submitted.refresh_from_db()
    assert submitted.state == ReportState.SUBMITTED


def test_treating_before_the_meeting_is_refused_and_nothing_changes(submitted, leader):
    starts = datetime.datetime(2027, 3, 12, 13, 0, tzinfo=STOCKHOLM)
    meeting = MeetingFactory(
        agreement=submitted.proposal.agreement,
        kind=MeetingKind.JOINT_REVIEW,
        title="Beredning",
        starts_at=starts,
    )
    report = services.report_put_on_agenda(report=submitted, by=leader, meeting=meeting)
    notifications = Notification.objects.count()

    with pytest.raises(ValidationError) as error:
        services.report_treat(report=report, by=leader, feedback="Bra framsteg.")

    assert error.value.messages == [
        "Rapporten behandlas vid Beredning 2027-03-12 – den kan inte markeras som behandlad före mötet."
    ]
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert (report.feedback, report.treated_at, report.treated_by) == ("", None, None)
    assert Notification.objects.count() == notifications


def test_treating_once_the_meeting_has_started_is_accepted(submitted, leader):
    meeting = MeetingFactory(
        agreement=submitted.proposal.agreement,
        kind=MeetingKind.JOINT_REVIEW,
        starts_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    report = services.report_put_on_agenda(report=submitted, by=leader, meeting=meeting)

    report = services.report_treat(report=report, by=leader, feedback="Bra framsteg.")

    assert report.state == ReportState.TREATED


@pytest.mark.parametrize("who", ["researcher", "officer", "outsider", "communicator"])
def test_only_processledare_treat_reports(request, submitted, who):
    meeting = MeetingFactory(agreement=submitted.proposal.agreement)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.report_put_on_agenda(report=submitted, by=user, meeting=meeting)
    assert not meeting.items.exists()


# --- views ----------------------------------------------------------------------------


def test_report_page_submit_flow(client, half_time, researcher):
    client.force_login(researcher)
    goals = list(half_time.proposal.activity_goals.all())
    data = {
        "deliveries": "Leveranser enligt plan",
        "evaluation": "Bra",
        "lessons": "Mycket",
        "spending_year": str(half_time.due_date.year),
        "spent_salaries": "12 500",
        "submit": "1",
    }
    for goal in goals:
        data[f"goal_{goal.pk}"] = "partly"
        data[f"goal_{goal.pk}_comment"] = "På väg"

    response = client.post(reverse("followup:report_detail", args=[half_time.pk]), data, follow=True)

    half_time.refresh_from_db()
    assert half_time.state == ReportState.SUBMITTED
    assert "Rapporten är inlämnad." in response.content.decode()
    assert GoalAssessment.objects.filter(report=half_time, status="partly").count() == 2


def test_report_page_shows_swedish_errors_and_saves_nothing(client, half_time, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("followup:report_detail", args=[half_time.pk]),
        {"deliveries": "x", "spent_travel": "tolv", "submit": "1"},
    )
    assert response.status_code == 200
    assert "Ange ett helt antal kronor, t.ex. 12 500." in response.content.decode()
    half_time.refresh_from_db()
    assert half_time.deliveries == "" and half_time.state != ReportState.SUBMITTED


@pytest.mark.parametrize(
    "who, status",
    [("anonymous", 302), ("outsider", 403), ("researcher", 200), ("leader", 200), ("communicator", 200)],
)
def test_report_page_permission_matrix(request, client, half_time, who, status):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("followup:report_detail", args=[half_time.pk])).status_code == status


def test_outsider_cannot_post_a_report(client, half_time, outsider):
    client.force_login(outsider)
    response = client.post(reverse("followup:report_detail", args=[half_time.pk]), {"deliveries": "x"})
    assert response.status_code == 403
    half_time.refresh_from_db()
    assert half_time.deliveries == ""


def test_late_report_is_marked_late(client, researcher, project):
    import datetime

    from django.utils import timezone

    report = project.followup_reports.get(kind="halvtid")
    due = timezone.localdate() - datetime.timedelta(days=3)
    type(report).objects.filter(pk=report.pk).update(
        period_start=due - datetime.timedelta(days=90), due_date=due, state="att_lamna"
    )
    client.force_login(researcher)
    page = client.get(reverse("followup:project", args=[project.pk])).content.decode()
    assert "Försenad 3 dagar" in page


def test_progress_over_time_from_treated_reports(client, project, researcher):
    from followup.selectors import progress_series, project_reports

    report = project.followup_reports.get(kind="halvtid")
    filled(report, status=GoalStatus.PARTLY)
    goal = project.activity_goals.first()
    GoalAssessment.objects.filter(report=report, goal=goal).update(status=GoalStatus.MET)
    set_state(report, ReportState.TREATED)

    series = progress_series(list(project_reports(project)))

    assert [point["share"] for point in series] == [75.0]


def test_programme_rolls_up_its_sub_projects_progress(client, db):
    from followup.selectors import programme_rollup
    from tests.factories.followup import active_project
    from tests.factories.governance import process_leader

    programme = active_project(months=24, work_form="program")
    first = active_project(months=12, agreement=programme.agreement, parent=programme)
    second = active_project(months=12, agreement=programme.agreement, parent=programme)
    active_project(months=12, agreement=programme.agreement, parent=programme)  # nothing treated yet
    filled(first.followup_reports.get(kind="halvtid"), status=GoalStatus.MET)
    set_state(first.followup_reports.get(kind="halvtid"), ReportState.TREATED)
    filled(second.followup_reports.get(kind="halvtid"), status=GoalStatus.NOT_MET)
    set_state(second.followup_reports.get(kind="halvtid"), ReportState.TREATED)

    rollup = programme_rollup(programme)

    assert sorted(row["share"] for row in rollup["rows"] if row["share"] is not None) == [0.0, 100.0]
    assert len(rollup["rows"]) == 3
    assert rollup["average"] == 50.0
    client.force_login(process_leader(programme.agreement))
    page = client.get(reverse("followup:project", args=[programme.pk])).content.decode()
    assert "Delprojekt" in page and first.title in page


def test_attachment_is_stored_and_downloaded_by_the_team_only(client, half_time, researcher, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.attachment_add(
        report=half_time,
        by=researcher,
        upload=SimpleUploadedFile("slutrapport.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    url = reverse("followup:attachment_download", args=[half_time.pk, attachment.pk])
    client.force_login(researcher)
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 test"
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_unsupported_attachment_type_is_refused(half_time, researcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            report=half_time,
            by=researcher,
            upload=SimpleUploadedFile("program.exe", b"MZ", content_type="application/x-msdownload"),
        )
    assert (
        "Endast PDF, Word (DOCX), Excel (XLSX) och OpenDocument-text (ODT) är tillåtna"
        in error.value.messages[0]
    )
    assert not half_time.attachments.exists()


def test_attachment_type_is_read_from_the_content_not_the_browser(half_time, researcher):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # An executable that claims to be a PDF.
    with pytest.raises(ValidationError):
        services.attachment_add(
            report=half_time,
            by=researcher,
            upload=SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" * 100, content_type="application/pdf"),
        )
    assert not half_time.attachments.exists()
