"""The team is what the proposal's fields say – however they were changed (the services, the admin, a
shell) – and django-guardian holds only ad-hoc grants to people outside the team."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as installed_apps
from django.urls import reverse
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from applications import permissions
from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.enums import Role
from samverkan.models import User
from tests.factories.applications import ProposalFactory, with_co_researcher
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return ProposalFactory(state=ProposalState.APPLICATION)


@pytest.fixture
def researcher(proposal):
    """A forskare of the agreement who is not on the proposal's team."""
    return person_with_role(proposal.agreement, Role.RESEARCHER)


def pages(client, user, proposal) -> dict[str, int]:
    """What the person gets on the proposal page and its edit page."""
    client.force_login(user)
    return {
        name: client.get(reverse(f"applications:{name}", args=[proposal.pk])).status_code
        for name in ("proposal_detail", "proposal_edit")
    }


SEES_AND_EDITS = {"proposal_detail": 200, "proposal_edit": 200}
REFUSED = {"proposal_detail": 403, "proposal_edit": 403}


def _admin_form_data(response) -> dict:
    """The admin change form as the page shows it, ready to post back (fields and inline formsets)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = (
                [str(v) for v in value] if isinstance(value, list | tuple) else value
            )
    return data


def test_a_researcher_added_in_the_admin_sees_and_edits_the_proposal(
    client, admin_user, proposal, researcher
):
    assert pages(client, researcher, proposal) == REFUSED
    change = reverse("admin:applications_proposal_change", args=[proposal.pk])
    client.force_login(admin_user)
    data = _admin_form_data(client.get(change))
    data["researchers"] = [str(researcher.pk)]

    response = client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(Proposal.objects.get(pk=proposal.pk).researchers.all()) == [researcher]
    assert not UserObjectPermission.objects.exists()  # nothing to keep in step
    assert pages(client, researcher, proposal) == SEES_AND_EDITS


def test_a_researcher_removed_in_the_admin_no_longer_sees_the_proposal(client, admin_user, proposal):
    member = with_co_researcher(proposal)
    assert pages(client, member, proposal) == SEES_AND_EDITS
    change = reverse("admin:applications_proposal_change", args=[proposal.pk])
    client.force_login(admin_user)
    data = _admin_form_data(client.get(change))
    data.pop("researchers")

    response = client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Proposal.objects.get(pk=proposal.pk).researchers.exists()
    assert pages(client, member, proposal) == REFUSED


def test_a_changed_responsible_field_moves_access_with_it(client, proposal):
    old_officer = proposal.responsible_officer
    new_officer = person_with_role(
        proposal.agreement, Role.OFFICER, organisation=proposal.agreement.municipalities.get()
    )

    Proposal.objects.filter(pk=proposal.pk).update(responsible_officer=new_officer)

    assert pages(client, new_officer, proposal) == SEES_AND_EDITS
    assert pages(client, old_officer, proposal) == REFUSED


def test_an_ad_hoc_guardian_grant_still_gives_access(client, proposal):
    reader, editor = UserFactory(), UserFactory()
    assign_perm("applications.view_proposal", reader, proposal)
    assign_perm("applications.view_proposal", editor, proposal)
    assign_perm("applications.change_proposal", editor, proposal)

    assert pages(client, reader, proposal) == {"proposal_detail": 200, "proposal_edit": 403}
    assert pages(client, editor, proposal) == SEES_AND_EDITS


def test_team_q_finds_exactly_the_proposals_of_the_team(proposal, researcher):
    co_researcher = with_co_researcher(proposal)
    ProposalFactory(agreement=proposal.agreement)  # another team's

    def team_proposals(user):
        return list(Proposal.objects.filter(permissions.team_q(user)))

    assert team_proposals(proposal.responsible_researcher) == [proposal]
    assert team_proposals(proposal.responsible_officer) == [proposal]
    assert team_proposals(co_researcher) == [proposal]
    assert team_proposals(researcher) == []


# --- the migration that removed the team's guardian rows -------------------------------------------------


def _migration():
    return importlib.import_module("applications.migrations.0004_team_permissions_from_fields")


def _rows() -> set[tuple[int, str, str]]:
    return set(UserObjectPermission.objects.values_list("user_id", "object_pk", "permission__codename"))


def test_the_migration_deletes_only_the_rows_that_repeat_the_team(proposal, researcher):
    co_researcher = with_co_researcher(proposal)
    removed, outsider = UserFactory(), UserFactory()
    for user in (proposal.responsible_researcher, proposal.responsible_officer, co_researcher, removed):
        assign_perm("applications.view_proposal", user, proposal)
        assign_perm("applications.change_proposal", user, proposal)
    assign_perm("applications.view_proposal", outsider, proposal)
    pk = str(proposal.pk)

    _migration().delete_team_rows(installed_apps, None)

    assert _rows() == {
        (removed.pk, pk, "view_proposal"),
        (removed.pk, pk, "change_proposal"),
        (outsider.pk, pk, "view_proposal"),
    }


def test_the_migration_reversed_writes_the_team_rows_again(proposal):
    _migration().write_team_rows(installed_apps, None)

    pk = str(proposal.pk)
    team = (proposal.responsible_researcher_id, proposal.responsible_officer_id)
    assert _rows() == {(user, pk, perm) for user in team for perm in ("view_proposal", "change_proposal")}
    assert User.objects.filter(pk__in=team).count() == 2
