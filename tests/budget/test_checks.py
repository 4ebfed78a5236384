import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from applications import completeness, panels
from applications.enums import ProposalState
from applications.models import Proposal
from budget.checks import budget_missing
from budget.enums import CostCategory, FundingSource
from budget.panels import budget_panel
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.budget import budget_row, with_budget
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db
C, F = CostCategory, FundingSource


def test_budget_check_is_registered_with_the_completeness_check():
    assert budget_missing in completeness.checks
    assert budget_panel in panels.providers


def test_application_without_budget_misses_the_budget():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    assert budget_missing(proposal) == ["Budget saknas – fyll i budgeten."]
    assert "Budget saknas – fyll i budgeten." in proposal.missing_for_submission()


def test_budget_with_only_zero_rows_is_missing():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    budget_row(proposal, amount=0)
    assert budget_missing(proposal) == ["Budget saknas – fyll i budgeten."]


def test_application_with_budget_is_complete_as_to_the_budget():
    proposal = with_budget(ProposalFactory(state=ProposalState.APPLICATION))
    assert budget_missing(proposal) == []
    assert "Budget saknas – fyll i budgeten." not in proposal.missing_for_submission()


def test_amounts_outside_a_changed_period_must_be_moved_before_submission():
    proposal = with_budget(ProposalFactory(state=ProposalState.APPLICATION))
    budget_row(proposal, year=2027, amount=1000)
    proposal.planned_end = datetime.date(2026, 12, 31)
    proposal.save()
    assert budget_missing(proposal) == ["Budgeten har belopp för år utanför den planerade perioden (2027)."]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_panel_is_only_for_those_who_may_view_the_proposal():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    assert budget_panel(_request(AnonymousUser()), proposal) is None
    assert budget_panel(_request(UserFactory()), proposal) is None
    assert (
        budget_panel(_request(person_with_role(proposal.agreement, Role.PROCESS_LEADER)), proposal)
        is not None
    )


def test_panel_shows_totals_and_links_for_the_team():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    budget_row(proposal, year=2026, amount=5_000_000)
    budget_row(proposal, year=2027, amount=2_000_000)
    budget_row(
        proposal,
        year=2027,
        source=F.OWN_CONTRIBUTION,
        organisation=proposal.agreement.university,
        amount=400_000,
    )

    panel = budget_panel(_request(proposal.responsible_researcher), proposal)
    html = render_to_string(panel.template, {"panel": panel})

    assert panel.title == "Budget"
    assert panel.context["can_edit"] is True
    assert "<dd>7\xa0000\xa0000\xa0kr</dd>" in html  # from the agreement
    assert "<dd>400\xa0000\xa0kr</dd>" in html  # own contribution
    assert "<strong>7\xa0400\xa0000\xa0kr</strong>" in html  # total
    assert "Fyll i budgeten" in html
    assert reverse("budget:application_budget", args=[proposal.pk]) in html
    assert reverse("budget:application_budget_xlsx", args=[proposal.pk]) in html


def test_panel_for_a_viewer_links_to_view_the_budget():
    proposal = with_budget(ProposalFactory(state=ProposalState.APPLICATION))
    panel = budget_panel(_request(person_with_role(proposal.agreement, Role.COMMUNICATOR)), proposal)
    html = render_to_string(panel.template, {"panel": panel})
    assert panel.context["can_edit"] is False
    assert "Visa budgeten" in html and "Fyll i budgeten" not in html


def test_panel_without_budget_says_so():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    panel = budget_panel(_request(proposal.responsible_researcher), proposal)
    html = render_to_string(panel.template, {"panel": panel})
    assert "Ingen budget ännu." in html and ".xlsx" not in html


def test_budget_check_reads_prefetched_rows_without_queries(django_assert_num_queries):
    for _ in range(3):
        with_budget(ProposalFactory(state=ProposalState.APPLICATION))
    ProposalFactory(state=ProposalState.APPLICATION)
    proposals = list(Proposal.objects.prefetch_related("budget_rows"))
    with django_assert_num_queries(0):
        results = [budget_missing(proposal) for proposal in proposals]
    assert sorted(map(len, results)) == [0, 0, 0, 1]
