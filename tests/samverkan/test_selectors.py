"""people_with_role: the one query for "the people with role R in agreement A"."""

from __future__ import annotations

import datetime

import pytest

from samverkan.enums import Role
from samverkan.selectors import people_with_role
from tests.factories.samverkan import AgreementFactory, RoleAssignmentFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory()


def test_people_with_role_are_the_active_holders_of_the_role_each_once(agreement):
    leader = person_with_role(agreement, Role.PROCESS_LEADER, user=UserFactory(last_name="Berg"))
    RoleAssignmentFactory(
        user=leader,
        agreement=agreement,
        role=Role.PROCESS_LEADER,
        organisation=agreement.municipalities.get(),
    )
    other = person_with_role(agreement, Role.PROCESS_LEADER, user=UserFactory(last_name="Ahl"))
    person_with_role(agreement, Role.RESEARCHER)  # another role
    person_with_role(AgreementFactory(), Role.PROCESS_LEADER)  # another agreement
    person_with_role(agreement, Role.PROCESS_LEADER, valid_to=datetime.date(2024, 12, 31))  # ended
    person_with_role(agreement, Role.PROCESS_LEADER, user=UserFactory(is_active=False))  # inactive person

    assert list(people_with_role(agreement, Role.PROCESS_LEADER)) == [other, leader]


def test_people_with_role_takes_several_roles_an_agreement_id_and_an_organisation(agreement):
    municipality = agreement.municipalities.get()
    leader = person_with_role(agreement, Role.PROCESS_LEADER, organisation=municipality)
    communicator = person_with_role(agreement, Role.COMMUNICATOR)

    both = people_with_role(agreement.pk, Role.PROCESS_LEADER, Role.COMMUNICATOR)
    of_the_municipality = people_with_role(
        agreement, Role.PROCESS_LEADER, Role.COMMUNICATOR, organisation=municipality
    )

    assert set(both) == {leader, communicator}
    assert list(of_the_municipality) == [leader]


def test_people_with_role_in_several_agreements(agreement):
    other_agreement = AgreementFactory()
    first = person_with_role(agreement, Role.RESEARCHER)
    second = person_with_role(other_agreement, Role.RESEARCHER)

    assert set(people_with_role([agreement.pk, other_agreement.pk], Role.RESEARCHER)) == {first, second}
