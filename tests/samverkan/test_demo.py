import pytest
from django.apps import apps
from django.core.management import call_command

from samverkan import permissions
from samverkan.demo import DEMO_PASSWORD
from samverkan.enums import OrganisationKind, Role
from samverkan.models import Agreement, Organisation, User

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row of every model of ours, as comparable values (ids included)."""
    rows = {}
    for config in apps.get_app_configs():
        if config.name in {"samverkan", "applications", "governance", "budget", "reports"}:
            for model in config.get_models():
                rows[model._meta.label] = sorted(
                    tuple(sorted((k, str(v)) for k, v in row.items() if k not in {"password", "last_login"}))
                    for row in model.objects.values()
                )
    return rows


def test_load_demo_twice_gives_the_same_rows():
    call_command("load_demo", stdout=None)
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first


def test_demo_world_has_every_role_on_both_sides():
    call_command("load_demo")
    agreement = Agreement.objects.get()
    assert agreement.municipalities.count() == 3
    assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPAL_COMPANY, parent__isnull=False).exists()
    roles = set(agreement.role_assignments.values_list("role", "organisation__kind"))
    for role in (
        Role.PROCESS_LEADER,
        Role.COMMUNICATOR,
        Role.REVIEW_MEMBER,
        Role.STEERING_MEMBER,
        Role.SIGNATORY,
    ):
        assert (role, OrganisationKind.UNIVERSITY) in roles
        assert (role, OrganisationKind.MUNICIPALITY) in roles
    assert (Role.RESEARCHER, OrganisationKind.UNIVERSITY) in roles
    assert (Role.OFFICER, OrganisationKind.MUNICIPAL_COMPANY) in roles


def test_demo_logins_work_with_the_printed_password(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    leader = User.objects.get(email="anna.lindqvist@mdu.example")
    assert "anna.lindqvist@mdu.example" in out
    assert leader.check_password(DEMO_PASSWORD)
    assert permissions.can_manage_agreement(leader, Agreement.objects.get())
