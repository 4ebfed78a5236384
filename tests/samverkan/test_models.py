import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from samverkan.enums import OrganisationKind, Role
from samverkan.models import Organisation, RoleAssignment, User
from tests.factories.samverkan import (
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    RoleAssignmentFactory,
    UniversityFactory,
)

pytestmark = pytest.mark.django_db


def test_user_logs_in_with_email_stored_lowercase():
    user = User.objects.create_user("Anna.Lindqvist@MDU.example", "hemligt-losen")
    assert user.email == "anna.lindqvist@mdu.example"
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("hemligt-losen")


def test_municipal_company_without_parent_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="Bolag AB", short_name="B", kind=OrganisationKind.MUNICIPAL_COMPANY)


def test_municipality_with_parent_is_refused_by_the_database():
    parent = MunicipalityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            name="K", short_name="K", kind=OrganisationKind.MUNICIPALITY, parent=parent
        )


def test_municipal_company_under_a_university_is_invalid():
    company = Organisation(
        name="Bolag AB", short_name="B", kind=OrganisationKind.MUNICIPAL_COMPANY, parent=UniversityFactory()
    )
    with pytest.raises(ValidationError) as err:
        company.full_clean()
    assert "kan bara tillhöra en kommun" in str(err.value)


def test_company_acts_for_its_municipality():
    company = CompanyFactory()
    assert company.party == company.parent
    assert company.parent.party == company.parent


def test_agreement_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2025, 1, 1))


def test_agreement_organisations_include_companies_of_municipal_parties():
    company = CompanyFactory()
    other_company = CompanyFactory()
    agreement = AgreementFactory(municipalities=[company.parent])
    assert agreement.organisation_ids() == {agreement.university_id, company.parent_id, company.pk}
    assert other_company.pk not in agreement.organisation_ids()


def test_role_for_an_organisation_outside_the_agreement_is_invalid():
    agreement = AgreementFactory()
    assignment = RoleAssignment(
        agreement=agreement,
        organisation=MunicipalityFactory(),
        user=RoleAssignmentFactory().user,
        role=Role.OFFICER,
    )
    with pytest.raises(ValidationError) as err:
        assignment.full_clean()
    assert "inte part i avtalet" in str(err.value)


def test_role_ending_before_it_starts_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignmentFactory(valid_from=datetime.date(2025, 6, 1), valid_to=datetime.date(2025, 5, 31))


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "active"),
    [
        pytest.param(datetime.date(2025, 1, 1), None, True, id="open-ended"),
        pytest.param(datetime.date(2025, 1, 1), datetime.date(2025, 6, 1), True, id="last-day"),
        pytest.param(datetime.date(2025, 1, 1), datetime.date(2025, 5, 31), False, id="ended"),
        pytest.param(datetime.date(2025, 6, 2), None, False, id="not-started"),
    ],
)
def test_role_validity_on_a_date(valid_from, valid_to, active):
    assignment = RoleAssignmentFactory(valid_from=valid_from, valid_to=valid_to)
    on = datetime.date(2025, 6, 1)
    assert assignment.is_active(on) is active
    assert RoleAssignment.objects.active(on).filter(pk=assignment.pk).exists() is active
