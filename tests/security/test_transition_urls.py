"""The transition URL (`/arenden/<pk>/atgard/<name>/`) answers every person exactly as the transition's
declared actor allows – the whole class behind "a processledare can decide a proposal without the styrgrupp".

The table is generated from the state machine: every transition Proposal declares is tried by every kind of
person, from its first source state, over HTTP. A transition whose actor is a record made elsewhere (a
beredning outcome, a styrgrupp decision, signed documents, a final report) is refused for everyone,
superusers included; a processledare acts only for a party the proposal concerns. A new transition, or a
new kind of actor, is covered without anyone adding a line (an unknown actor fails the test).
On every refusal nothing changes: state, history, e-mails, in-app notifications.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Proposal, ProposalTransition
from samverkan.enums import Role
from samverkan.models import Notification
from tests.factories.applications import ProposalFactory, fulfil_every_condition
from tests.factories.samverkan import MunicipalityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


def _municipality(proposal):
    return proposal.agreement.municipalities.order_by("pk").first()


PEOPLE = {
    "anonym": lambda p: None,
    "utan roll": lambda p: UserFactory(),
    "ansvarig forskare": lambda p: p.responsible_researcher,
    "ansvarig tjänsteperson": lambda p: p.responsible_officer,
    "processledare universitetet": lambda p: person_with_role(p.agreement, Role.PROCESS_LEADER),
    "processledare ärendets kommun": lambda p: person_with_role(
        p.agreement, Role.PROCESS_LEADER, organisation=_municipality(p)
    ),
    "processledare annan kommun": lambda p: person_with_role(
        p.agreement, Role.PROCESS_LEADER, organisation=p._other_municipality
    ),
    "kommunikatör": lambda p: person_with_role(p.agreement, Role.COMMUNICATOR),
    "beredningsledamot": lambda p: person_with_role(p.agreement, Role.REVIEW_MEMBER),
    "styrgruppsledamot": lambda p: person_with_role(p.agreement, Role.STEERING_MEMBER),
    "firmatecknare": lambda p: person_with_role(p.agreement, Role.SIGNATORY),
    "administratör": lambda p: UserFactory(is_superuser=True, is_staff=True),
}
TEAM = {"ansvarig forskare", "ansvarig tjänsteperson"}
LEADERS = {"processledare universitetet", "processledare ärendets kommun", "administratör"}
# Who may run a transition by URL, by its declared actor. Anything caused by a record is nobody's click.
BY_ACTOR = {
    "applicant": TEAM,
    "processledare": LEADERS,
    "governance": set(),
    "documents": set(),
    "reports": set(),
}
# Withdrawal is the applicants' choice; their processledare may record it for them.
EXCEPTIONS = {"withdraw": TEAM | LEADERS}


def _transitions():
    seen = {}
    for transition in Proposal().get_all_state_transitions():
        seen.setdefault(transition.name, transition)
    return sorted(seen.values(), key=lambda t: t.name)


CASES = [
    pytest.param(t.name, t.source, t.target, t.custom.get("actor"), who, id=f"{t.name}-{who}")
    for t in _transitions()
    for who in PEOPLE
]


def _proposal(state):
    """A proposal meeting every condition, concerning the first of two municipalities of its agreement."""
    proposal = fulfil_every_condition(ProposalFactory())
    other = MunicipalityFactory()
    proposal.agreement.municipalities.add(other)
    proposal.municipal_organisations.set([_municipality(proposal)])
    Proposal.objects.filter(pk=proposal.pk).update(state=state)
    proposal.refresh_from_db()
    proposal._other_municipality = other
    return proposal


def _observable(proposal, mailoutbox):
    return (
        Proposal.objects.values_list("state", "state_changed_at").get(pk=proposal.pk),
        ProposalTransition.objects.count(),
        len(mailoutbox),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(("name", "source", "target", "actor", "who"), CASES)
def test_transition_url_answers_exactly_as_the_declared_actor_allows(
    client, mailoutbox, django_capture_on_commit_callbacks, name, source, target, actor, who
):
    assert actor in BY_ACTOR, f"Transition {name!r} declares an actor the URL policy does not know: {actor!r}"
    allowed = EXCEPTIONS.get(name, BY_ACTOR[actor])
    proposal = _proposal(source)
    user = PEOPLE[who](proposal)
    if user is not None:
        client.force_login(user)
    before = _observable(proposal, mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("applications:proposal_transition", args=[proposal.pk, name]),
            {"comment": "Motivering till de sökande.", "expected_state": source},
        )

    stored = Proposal.objects.get(pk=proposal.pk)
    if who in allowed:
        assert response.status_code == 302
        assert stored.state == target
        assert ProposalTransition.objects.filter(proposal=proposal, transition=name, by=user).exists()
    else:
        # Anonymous is sent to the login page; everyone else is refused.
        assert response.status_code == (302 if user is None else 403)
        assert _observable(proposal, mailoutbox) == before


def test_every_declared_actor_is_known_to_the_url_policy():
    actors = {t.custom.get("actor") for t in _transitions()}

    assert actors <= set(BY_ACTOR), actors - set(BY_ACTOR)
