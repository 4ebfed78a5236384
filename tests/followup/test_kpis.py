from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from followup import kpis, services
from followup.enums import Light
from followup.models import GoalFollowUp, GoalYear
from governance.enums import MeetingKind
from tests.factories.followup import EffectGoalFactory, goal_year
from tests.factories.governance import MeetingFactory, steering_member

D = Decimal


@pytest.mark.parametrize(
    "target, value, higher, expected",
    [
        pytest.param(D(70), D(71), True, Light.GREEN, id="above-target"),
        pytest.param(D(70), D(70), True, Light.GREEN, id="on-target"),
        pytest.param(D(70), D(63), True, Light.YELLOW, id="within-10-percent"),
        pytest.param(D(70), D("62.9"), True, Light.RED, id="just-below-90-percent"),
        pytest.param(D(10), D(9), False, Light.GREEN, id="lower-is-better-met"),
        pytest.param(D(10), D(11), False, Light.YELLOW, id="lower-is-better-near"),
        pytest.param(D(10), D(13), False, Light.RED, id="lower-is-better-far"),
        pytest.param(D(70), None, True, Light.GREY, id="no-value"),
        pytest.param(None, D(70), True, Light.GREY, id="no-target"),
    ],
)
def test_traffic_light(target, value, higher, expected):
    assert kpis.light(target, value, higher_is_better=higher) == expected


@pytest.mark.django_db
def test_chart_data_scales_percent_to_100_and_colours_each_year():
    goal = EffectGoalFactory(unit="percent", baseline=50)
    rows = [goal_year(goal, 2025, D(65), D(62)), goal_year(goal, 2026, D(70), D(71))]

    chart = kpis.chart(goal, rows)

    assert chart["max"] == D(100)
    assert chart["baseline_height"] == 50.0
    assert [(b.year, b.target_height, b.value_height, b.light) for b in chart["bars"]] == [
        (2025, 65.0, 62.0, Light.YELLOW),
        (2026, 70.0, 71.0, Light.GREEN),
    ]
    assert chart["bars"][1].value_y == 29.0


@pytest.mark.django_db
def test_chart_data_for_counts_scales_to_the_largest_number():
    goal = EffectGoalFactory(unit="count", baseline=None)
    chart = kpis.chart(goal, [goal_year(goal, 2025, D(8), D(4))])
    assert chart["max"] == D(8)
    assert chart["bars"][0].value_height == 50.0
    assert chart["bars"][0].light == Light.RED


@pytest.fixture
def goal(project):
    return EffectGoalFactory(agreement=project.agreement)


def test_survey_gives_the_share_agreeing(goal, leader):
    row = services.goal_year_save(goal=goal, by=leader, year=2026, target=D(70), respondents=140, agreeing=99)
    assert row.value == D("70.7")


@pytest.mark.parametrize(
    "fields, key, message",
    [
        ({"respondents": 10, "agreeing": 11}, "agreeing", "Fler kan inte instämma än som har svarat."),
        ({"value": D(120)}, "value", "En andel i procent kan vara högst 100."),
        ({"target": D(-1)}, "target", "Värdet kan inte vara negativt."),
    ],
)
def test_bad_yearly_values_are_refused(goal, leader, fields, key, message):
    with pytest.raises(ValidationError) as error:
        services.goal_year_save(goal=goal, by=leader, year=2026, **fields)
    assert error.value.message_dict[key] == [message]
    assert not GoalYear.objects.exists()


@pytest.mark.parametrize("who", ["researcher", "communicator", "outsider"])
def test_only_processledare_record_values(request, goal, who):
    with pytest.raises(PermissionDenied):
        services.goal_year_save(goal=goal, by=request.getfixturevalue(who), year=2026, value=D(50))
    assert not GoalYear.objects.exists()


def test_yearly_follow_up_becomes_a_styrgrupp_agenda_item(goal, leader):
    goal_year(goal, 2026, D(70), D(71))
    meeting = MeetingFactory(agreement=goal.agreement, kind=MeetingKind.STEERING)

    follow_up = services.goals_followup_to_agenda(
        agreement=goal.agreement, by=leader, year=2026, meeting=meeting
    )

    item = follow_up.agenda_item
    assert item.meeting == meeting
    assert item.title == "Uppföljning av effektmål och nyckeltal 2026"
    assert "mål 70" in item.description and "grönt" in item.description
    with pytest.raises(ValidationError):
        services.goals_followup_to_agenda(agreement=goal.agreement, by=leader, year=2026, meeting=meeting)
    assert GoalFollowUp.objects.count() == 1


def test_goals_page_shows_lights_and_chart(client, goal, project):
    goal_year(goal, 2025, D(65), D(62))
    goal_year(goal, 2026, D(70), D(71))
    client.force_login(steering_member(project.agreement))

    page = client.get(reverse("followup:goals", args=[project.agreement.pk])).content.decode()

    assert goal.name in page
    assert "<svg" in page and "light-green" in page and "light-yellow" in page


@pytest.mark.parametrize("who, status", [("researcher", 403), ("communicator", 200), ("leader", 200)])
def test_goals_page_permission(request, client, goal, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("followup:goals", args=[goal.agreement_id])).status_code == status


def test_goal_year_form_error_in_swedish(client, goal, leader):
    client.force_login(leader)
    response = client.post(reverse("followup:goal_detail", args=[goal.pk]), {"year": "2026", "value": "abc"})
    assert "Ange ett tal." in response.content.decode()
    assert not GoalYear.objects.exists()
