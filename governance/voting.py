"""Counting a styrgrupp vote. Pure functions: no database, so every rule is easy to test.

Rules (DESIGN.md "Governance", issue #4):
- Quorum: within EACH party, more than half of the entitled, non-recused members have voted (or, at a
  meeting, are present). A party whose members are all recused cannot form a position: no quorum.
- majority_each_party (default): within each party bifall must outnumber avslag; abstentions count
  neither way (never as a no). The motion is adopted only if every party says yes – the parties decide
  together.
- simple_majority: bifall must outnumber avslag among all votes cast.
- Ties: the chair's casting vote (ordförandens utslagsröst) decides when the chair voted bifall or avslag;
  otherwise (or with tie_break "rejected") a tie is not a majority for the motion.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

YES, NO, ABSTAIN = "yes", "no", "abstain"
ADOPTED, REJECTED, NO_QUORUM = "adopted", "rejected", "no_quorum"


@dataclass(frozen=True)
class Member:
    user_id: int
    party_id: int


@dataclass
class PartyCount:
    party_id: int
    entitled: int = 0
    recused: int = 0
    voted: int = 0
    present: int = 0
    yes: int = 0
    no: int = 0
    abstain: int = 0
    quorum: bool = False
    outcome: str = ""  # yes / no / tie-resolved-yes / tie-resolved-no / no_quorum


@dataclass
class Result:
    outcome: str
    quorum: bool
    rule: str
    parties: list[PartyCount] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    abstain: int = 0
    casting_vote_used: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _resolve_tie(tie_break: str, chair_choice: str | None) -> tuple[bool, bool]:
    """(adopted, casting vote used) for a tie."""
    if tie_break == "chair" and chair_choice in (YES, NO):
        return chair_choice == YES, True
    return False, False


def count(
    *,
    members: Iterable[Member],
    ballots: Mapping[int, str],
    recused: Iterable[int] = (),
    present: Iterable[int] | None = None,
    rule: str = "majority_each_party",
    tie_break: str = "chair",
    chair_id: int | None = None,
) -> Result:
    members = list(members)
    recused = set(recused)
    present = set(present) if present is not None else None
    eligible = [m for m in members if m.user_id not in recused]
    eligible_ids = {m.user_id for m in eligible}
    valid = {uid: choice for uid, choice in ballots.items() if uid in eligible_ids}
    chair_choice = valid.get(chair_id) if chair_id is not None else None

    parties: dict[int, PartyCount] = {}
    for member in members:
        party = parties.setdefault(member.party_id, PartyCount(member.party_id))
        party.entitled += 1
        if member.user_id in recused:
            party.recused += 1
            continue
        choice = valid.get(member.user_id)
        if choice is not None:
            party.voted += 1
            setattr(party, choice, getattr(party, choice) + 1)
        if present is not None and member.user_id in present:
            party.present += 1

    for party in parties.values():
        eligible_count = party.entitled - party.recused
        participating = max(party.voted, party.present)
        party.quorum = eligible_count > 0 and participating * 2 > eligible_count

    quorum = bool(parties) and all(p.quorum for p in parties.values())
    result = Result(
        outcome=NO_QUORUM,
        quorum=quorum,
        rule=rule,
        parties=sorted(parties.values(), key=lambda p: p.party_id),
    )
    result.yes = sum(p.yes for p in parties.values())
    result.no = sum(p.no for p in parties.values())
    result.abstain = sum(p.abstain for p in parties.values())
    for party in parties.values():
        if not party.quorum:
            party.outcome = NO_QUORUM
    if not quorum:
        return result

    if rule == "simple_majority":
        if result.yes != result.no:
            adopted = result.yes > result.no
        else:
            adopted, result.casting_vote_used = _resolve_tie(tie_break, chair_choice)
        for party in parties.values():
            party.outcome = YES if party.yes > party.no else NO if party.no > party.yes else "tie"
        result.outcome = ADOPTED if adopted else REJECTED
        return result

    adopted = True
    for party in parties.values():
        if party.yes > party.no:
            party.outcome = YES
        elif party.no > party.yes:
            party.outcome = NO
            adopted = False
        else:
            tie_yes, used = _resolve_tie(tie_break, chair_choice)
            result.casting_vote_used |= used
            party.outcome = "tie-yes" if tie_yes else "tie-no"
            adopted &= tie_yes
    result.outcome = ADOPTED if adopted else REJECTED
    return result
