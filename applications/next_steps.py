"""What is expected of *this* person next on a proposal: one short Swedish sentence for lists and the start
page ("Mina ärenden", pipeline, dashboard).

Cheap by design: it reads the proposal's own fields, the prefetched co-researchers and the user's cached role
grants. Only when a team member writes an application whose förankring is confirmed does it run the
completeness check (`Proposal.is_complete`), which reads the prefetched sections, template sections and
budget rows (`selectors.with_completeness_data` prefetches them for the rows that need it) – and whatever the
other apps' registered checks read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan import permissions as core
from samverkan.enums import Role

from .enums import END_STATES, ProposalState

S = ProposalState


@dataclass(frozen=True)
class Step:
    text: str
    # True when the person has something to do (shown on the start page); False when they wait for others.
    expected: bool


def _waiting_text(state: str) -> str:
    """What everyone else waits for, per state."""
    return {
        S.DIALOG: _("Inväntar att forskare och tjänsteperson formar idén"),
        S.PITCH: _("Inväntar återkoppling på pitchen"),
        S.APPLICATION: _("Inväntar att de sökande skickar in ansökan"),
        S.SUBMITTED: _("Inväntar processledarens kontroll"),
        S.IN_REVIEW: _("Inväntar beredningens ställningstagande"),
        S.AWAITING_DECISION: _("Inväntar styrgruppens beslut"),
        S.COFUNDING_APPROVED: _("Inväntar huvudfinansiärens beslut"),
        S.GRANTED: _("Inväntar signaturer och projektkonto"),
        S.ACTIVE: _("Projektet pågår – uppföljning enligt plan"),
        S.CLOSING: _("Inväntar styrgruppens godkännande av slutredovisningen"),
    }.get(state, _("Inget – ärendet är avslutat"))


def team_role(proposal, user) -> str:
    """The user's place in the proposal's team ("" when not on it), from fields and prefetched rows."""
    user_pk = getattr(user, "pk", None)
    if user_pk is None:
        return ""
    if proposal.responsible_researcher_id == user_pk:
        return _("Ansvarig forskare")
    if proposal.responsible_officer_id == user_pk:
        return _("Ansvarig tjänsteperson")
    if any(researcher.pk == user_pk for researcher in proposal.researchers.all()):
        return _("Forskare")
    return ""


def needs_completeness(proposal) -> bool:
    """Whether a team member's next step depends on the completeness check (see `_team_step`)."""
    return proposal.state == S.APPLICATION and proposal.anchoring_confirmed()


def _team_step(proposal, user) -> Step:
    state = proposal.state
    is_officer = proposal.responsible_officer_id == user.pk
    if state == S.DIALOG:
        if not proposal.responsible_officer_id:
            return Step(_("Lägg till en ansvarig tjänsteperson"), True)
        return Step(_("Gå vidare till pitch eller börja skriva ansökan"), True)
    if state == S.PITCH:
        return Step(_("Presentera pitchen och invänta återkopplingen"), False)
    if state == S.APPLICATION:
        if not needs_completeness(proposal):
            if is_officer:
                return Step(_("Bekräfta förankringen"), True)
            return Step(_("Skriv klart ansökan och budgeten"), True)
        # Only now is completeness worth its queries: with förankring in place it decides the step.
        if proposal.is_complete():
            return Step(_("Skicka in ansökan"), True)
        return Step(_("Skriv klart ansökan och budgeten"), True)
    if state == S.IN_REVIEW:
        return Step(_("Presentera på beredningen"), True)
    if state == S.ACTIVE:
        return Step(_("Lämna uppföljningsrapporter enligt plan"), True)
    return Step(_waiting_text(state), False)


def _process_leader_text(state: str) -> str | None:
    """What the processledare does in the states where the process waits for them (None: nothing)."""
    return {
        S.PITCH: _("Registrera återkoppling på pitchen"),
        S.SUBMITTED: _("Kontrollera och sätt på beredning"),
        S.IN_REVIEW: _("Registrera beredningens ställningstagande"),
        S.AWAITING_DECISION: _("Registrera styrgruppens beslut"),
        S.COFUNDING_APPROVED: _("Registrera huvudfinansiärens beslut"),
        S.GRANTED: _("Samla in signaturer och registrera projektkontot"),
        S.CLOSING: _("Sätt slutredovisningen på styrgruppens dagordning"),
    }.get(state)


def step(proposal, user) -> Step:
    if proposal.state in END_STATES:
        return Step(_("Inget – ärendet är avslutat"), False)
    on_team = bool(team_role(proposal, user))
    if on_team:
        team = _team_step(proposal, user)
        if team.expected:
            return team
    leader_text = _process_leader_text(proposal.state)
    if leader_text and (
        core.is_superuser(user) or core.has_role(user, proposal.agreement_id, Role.PROCESS_LEADER)
    ):
        return Step(leader_text, True)
    if on_team:
        return team
    return Step(_waiting_text(proposal.state), False)


# The states where a team member always has the next step (see _team_step), and those where the
# processledare of the proposal's agreement has it (see _process_leader_text).
_TEAM_EXPECTED_STATES = (S.DIALOG, S.APPLICATION, S.IN_REVIEW, S.ACTIVE)
_LEADER_STATES = (
    S.PITCH,
    S.SUBMITTED,
    S.IN_REVIEW,
    S.AWAITING_DECISION,
    S.COFUNDING_APPROVED,
    S.GRANTED,
    S.CLOSING,
)


def expected_of_team_member(user) -> Q:
    """The proposals of the user's team whose next step is the user's (`step(...).expected`), as a filter,
    so that the start page asks the database for the few it shows instead of computing every proposal's
    step in Python. Kept in step with `step` by a test over every state."""
    expected = Q(state__in=_TEAM_EXPECTED_STATES)
    if core.is_superuser(user):
        return expected | Q(state__in=_LEADER_STATES)
    led = core.agreement_ids_with_role(user, Role.PROCESS_LEADER)
    if led:
        expected |= Q(state__in=_LEADER_STATES, agreement_id__in=led)
    return expected


def next_step(proposal, user) -> str:
    """A short Swedish sentence: what this user is expected to do next (or what they are waiting for)."""
    return step(proposal, user).text


def is_expected_of(proposal, user) -> bool:
    """Whether the next step is the user's to take (the start page lists only these)."""
    return step(proposal, user).expected
