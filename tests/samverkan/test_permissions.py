import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from samverkan import permissions
from samverkan.enums import Role
from tests.factories.samverkan import AgreementFactory, RoleAssignmentFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db

# role -> (may view the agreement page, may manage the agreement)
EXPECTED = {
    Role.PROCESS_LEADER: (True, True),
    Role.COMMUNICATOR: (True, False),
    Role.STEERING_MEMBER: (True, False),
    Role.SIGNATORY: (True, False),
    Role.STEERING_DEPUTY: (True, False),
    Role.REVIEW_MEMBER: (False, False),
    Role.REVIEW_DEPUTY: (False, False),
    Role.RESEARCHER: (False, False),
    Role.OFFICER: (False, False),
}


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_policy_for_each_role_in_its_own_agreement(role):
    agreement = AgreementFactory()
    user = person_with_role(agreement, role)
    may_view, may_manage = EXPECTED[role]
    assert permissions.can_view_agreement(user, agreement) is may_view
    assert permissions.can_manage_agreement(user, agreement) is may_manage
    assert permissions.can_list_agreements(user) is may_view


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_role_in_agreement_a_gives_nothing_in_agreement_b(role):
    agreement_a, agreement_b = AgreementFactory(), AgreementFactory()
    user = person_with_role(agreement_a, role)
    assert permissions.can_view_agreement(user, agreement_b) is False
    assert permissions.can_manage_agreement(user, agreement_b) is False
    assert permissions.roles_in(user, agreement_b) == set()


def test_unrelated_user_sees_nothing():
    agreement = AgreementFactory()
    person_with_role(agreement, Role.PROCESS_LEADER)
    stranger = UserFactory()
    assert permissions.can_view_agreement(stranger, agreement) is False
    assert permissions.can_list_agreements(stranger) is False
    assert permissions.grants(stranger) == ()


def test_anonymous_user_sees_nothing():
    agreement = AgreementFactory()
    assert permissions.can_view_agreement(AnonymousUser(), agreement) is False
    assert permissions.can_manage_agreement(AnonymousUser(), agreement) is False
    assert permissions.can_list_agreements(AnonymousUser()) is False


def test_expired_role_gives_nothing():
    agreement = AgreementFactory()
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    user = person_with_role(
        agreement, Role.PROCESS_LEADER, valid_from=datetime.date(2024, 1, 1), valid_to=yesterday
    )
    assert permissions.can_manage_agreement(user, agreement) is False


def test_inactive_account_gives_nothing():
    agreement = AgreementFactory()
    user = person_with_role(agreement, Role.PROCESS_LEADER)
    user.is_active = False
    assert permissions.can_manage_agreement(user, agreement) is False


def test_municipal_company_role_counts_for_its_municipality_party():
    agreement = AgreementFactory()
    municipality = agreement.municipalities.get()
    from tests.factories.samverkan import CompanyFactory

    company = CompanyFactory(parent=municipality)
    user = person_with_role(agreement, Role.SIGNATORY, organisation=company)
    assert permissions.has_role(user, agreement, Role.SIGNATORY, party_id=municipality.pk)
    assert not permissions.has_role(user, agreement, Role.SIGNATORY, party_id=agreement.university_id)


def test_guardian_object_permission_shares_one_agreement_only():
    shared, other = AgreementFactory(), AgreementFactory()
    auditor = UserFactory()
    assign_perm("samverkan.view_agreement", auditor, shared)
    assert permissions.can_view_agreement(auditor, shared) is True
    assert permissions.can_view_agreement(auditor, other) is False
    assert permissions.can_manage_agreement(auditor, shared) is False
    assert permissions.can_list_agreements(auditor) is True


def test_superuser_may_do_everything():
    agreement = AgreementFactory()
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert permissions.can_manage_agreement(admin, agreement)


def test_grants_are_read_in_one_query(django_assert_num_queries):
    agreement = AgreementFactory()
    user = person_with_role(agreement, Role.PROCESS_LEADER)
    RoleAssignmentFactory(user=user, agreement=agreement, role=Role.STEERING_MEMBER)
    with django_assert_num_queries(1):
        for _ in range(5):
            permissions.has_role(user, agreement, Role.STEERING_MEMBER)
            permissions.can_manage_agreement(user, agreement)
