import datetime

import factory

from samverkan.enums import OrganisationKind, Role
from samverkan.models import Agreement, Organisation, RoleAssignment, User

PASSWORD = "losenord-for-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Universitet {n}")
    short_name = factory.Sequence(lambda n: f"U{n}")
    kind = OrganisationKind.UNIVERSITY
    diarium_prefix = factory.Sequence(lambda n: f"U{n}")


class MunicipalityFactory(UniversityFactory):
    name = factory.Sequence(lambda n: f"Kommun {n}")
    short_name = factory.Sequence(lambda n: f"K{n}")
    kind = OrganisationKind.MUNICIPALITY


class CompanyFactory(UniversityFactory):
    name = factory.Sequence(lambda n: f"Kommunbolag {n} AB")
    short_name = factory.Sequence(lambda n: f"B{n}")
    kind = OrganisationKind.MUNICIPAL_COMPANY
    parent = factory.SubFactory(MunicipalityFactory)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Samverkansavtal {n}")
    university = factory.SubFactory(UniversityFactory)
    starts_on = datetime.date(2024, 1, 1)
    ends_on = datetime.date(2027, 12, 31)

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create:
            obj.municipalities.set(extracted if extracted is not None else [MunicipalityFactory()])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.LazyAttribute(lambda o: o.agreement.university)
    role = Role.RESEARCHER
    valid_from = datetime.date(2024, 1, 1)


def person_with_role(agreement, role, organisation=None, **kwargs) -> User:
    """A new person holding `role` in `agreement` (for the university unless an organisation is given)."""
    assignment = RoleAssignmentFactory(
        agreement=agreement, role=role, organisation=organisation or agreement.university, **kwargs
    )
    return assignment.user
