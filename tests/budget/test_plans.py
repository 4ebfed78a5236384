"""Verksamhetsplan: activities with goals and budget, presented at beredning, decided by the styrgrupp and
then frozen; next year's plan as a copy; the PDF."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from budget import selectors, services
from budget.enums import PlanStatus
from budget.models import ActivityPlan, PlanActivity
from governance.enums import MeetingKind
from governance.services import decision_by_acclamation
from tests.factories.budget import budget_line, frame
from tests.factories.governance import MeetingFactory, started, steering_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(agreement, leader):
    return services.plan_create(
        agreement=agreement,
        year=2027,
        by=leader,
        title="Verksamhetsplan 2027",
        area="Gemensamma samverkansområdet",
        overall_goals="Höja kompetensnivån.\nStärka forskning.\nUtveckla verksamheter.\nVidareutveckla samverkan.",  # noqa: E501
    )


def add(plan, leader, **fields):
    values = {"title": "Summit", "goal_numbers": "1, 2,3 , 4", "budget_amount": "150 000", **fields}
    return services.activity_save(plan=plan, by=leader, **values)


def test_activity_keeps_goals_and_budget(plan, leader):
    activity = add(plan, leader)
    assert activity.goal_numbers == "1, 2, 3, 4"
    assert activity.goal_list == [1, 2, 3, 4]
    assert activity.budget_amount == 150_000


@pytest.mark.parametrize(("numbers", "ok"), [("1, 4", True), ("5", False), ("1; 2", False), ("0", False)])
def test_goal_numbers_must_be_the_plans_goals(plan, leader, numbers, ok):
    if ok:
        add(plan, leader, goal_numbers=numbers)
    else:
        with pytest.raises(ValidationError) as refused:
            add(plan, leader, goal_numbers=numbers)
        assert "1–4" in refused.value.message_dict["goal_numbers"][0]
        assert not PlanActivity.objects.exists()


def test_activity_included_in_a_line_and_warning_when_activities_exceed_it(agreement, plan, leader):
    event = budget_line(agreement, "Event, spridning", area="Gemensamma samverkansområdet", kind="operations")
    summit = budget_line(agreement, "SK summit", area="Gemensamma samverkansområdet", kind="project")
    frame(agreement, 2027, {event: 210_000, summit: 150_000})
    add(plan, leader, title="Arenor för dialog", budget_amount="", budget_line=event)
    add(plan, leader, title="Summit", budget_amount="160 000", budget_line=summit)

    budget = selectors.plan_budget(plan)

    assert budget.total == 360_000
    assert budget.warnings and "SK summit" in budget.warnings[0]


def test_plan_goes_to_beredning_then_styrgrupp_and_the_decision_freezes_it(agreement, plan, leader):
    review = MeetingFactory(agreement=agreement, kind=MeetingKind.JOINT_REVIEW)
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=started())
    add(plan, leader)

    services.plan_present(plan=plan, meeting=review, by=leader)
    item = services.plan_to_steering(plan=plan, meeting=steering, by=leader)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ON_AGENDA and plan.review_item.meeting == review

    decision = decision_by_acclamation(
        item=item, by=steering.secretary, kind="other", text="Styrgruppen fastställer verksamhetsplanen."
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DECIDED and plan.decision == decision and plan.is_frozen

    with pytest.raises(ValidationError, match="beslutad"):
        services.plan_update(plan=plan, by=leader, title="Ändrad")
    with pytest.raises(ValidationError, match="beslutad"):
        add(plan, leader, title="Ny")
    plan.refresh_from_db()
    assert plan.title == "Verksamhetsplan 2027" and plan.activities.count() == 1


def test_a_rejected_plan_goes_back_to_draft(agreement, plan, leader):
    steering = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, starts_at=started())
    item = services.plan_to_steering(plan=plan, meeting=steering, by=leader)
    decision_by_acclamation(item=item, by=steering.secretary, kind="reject", text="Återremitteras.")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and not plan.is_frozen


def test_next_years_plan_starts_as_a_copy(agreement, plan, leader):
    line = budget_line(agreement, "PreLAB", area="Gemensamma samverkansområdet", kind="project")
    add(plan, leader, title="PreLAB 2027", budget_line=line)

    copy = services.plan_copy(plan=plan, by=leader)

    assert (copy.year, copy.title, copy.status, copy.copied_from) == (
        2028,
        "Verksamhetsplan 2028",
        PlanStatus.DRAFT,
        plan,
    )
    assert list(copy.activities.values_list("title", "budget_line", "budget_amount")) == [
        ("PreLAB 2028", line.pk, 150_000)
    ]
    with pytest.raises(ValidationError, match="redan"):
        services.plan_copy(plan=plan, by=leader)


def test_only_processledare_write_plans(agreement, plan):
    member = steering_member(agreement)
    with pytest.raises(PermissionDenied):
        services.plan_create(agreement=agreement, year=2030, by=member, title="X")
    with pytest.raises(PermissionDenied):
        add(plan, member)
    assert ActivityPlan.objects.count() == 1 and not PlanActivity.objects.exists()


def test_one_plan_per_year(agreement, plan, leader):
    with pytest.raises(ValidationError, match="redan"):
        services.plan_create(agreement=agreement, year=2027, by=leader, title="Igen")


def test_plan_pdf_downloads_for_a_steering_member(client, agreement, plan, leader):
    line = budget_line(agreement, "Processledning", area="Gemensamma samverkansområdet", kind="operations")
    frame(agreement, 2027, {line: 7_400_000})
    add(plan, leader, budget_line=line)
    client.force_login(steering_member(agreement))

    response = client.get(f"/verksamhetsplaner/{plan.pk}/verksamhetsplan.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_plan_page_is_closed_to_researchers(client, agreement, plan):
    from samverkan.enums import Role
    from tests.factories.samverkan import person_with_role

    client.force_login(person_with_role(agreement, Role.RESEARCHER))
    assert client.get(f"/verksamhetsplaner/{plan.pk}/").status_code == 403
