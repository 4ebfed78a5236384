"""Counting a styrgrupp vote, and saying in words what was counted. Pure functions: no database, so every
rule is easy to test (tests/governance/test_voting_rules.py holds the table of situations).

Who sits is settled before counting (governance.seating): one `Member` per seat of each party entitled to
decide the item, with a deputy (ersättare) in the seat of an ordinary member who is absent or recused.

Rules (the agreement chooses `rule` and `tie_break`; `rule_text` states them in words):
- Quorum: within EACH party, more than half of the seats not left empty by jäv have voted (or, at a meeting
  with attendance, are present). A party whose every seat is recused cannot form a position: no quorum, and
  the vote is void (no decision can be made on it).
- majority_each_party (default): a party's position is bifall when bifall outnumbers avslag among its
  members, avslag when avslag outnumbers bifall. Abstentions count neither way. A party whose voters all
  abstain takes no position and does not block. A tie within a party is not bifall – the party does not
  agree – unless the agreement gives the chair a casting vote and the chair belongs to that party: the
  casting vote settles only the chair's own party, never another party's position. The motion is adopted
  when no party opposes (avslag or an unresolved tie) and at least one party is for it.
- simple_majority: bifall must outnumber avslag among all votes cast (each party must still be quorate);
  on a tie the chair's casting vote decides when the agreement gives it and the chair voted bifall or
  avslag, otherwise a tie rejects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

YES, NO, ABSTAIN = "yes", "no", "abstain"
ADOPTED, REJECTED, NO_QUORUM = "adopted", "rejected", "no_quorum"
# A party's position besides YES, NO and NO_QUORUM.
NO_POSITION, TIE, TIE_YES, TIE_NO = "no_position", "tie", "tie-yes", "tie-no"
EACH_PARTY, SIMPLE = "majority_each_party", "simple_majority"
CHAIR = "chair"


@dataclass(frozen=True)
class Member:
    """A seat for this item: the person holding it, their party and, for a deputy (ersättare), the ordinary
    member whose seat they hold."""

    user_id: int
    party_id: int
    serves_for: int | None = None


@dataclass
class PartyCount:
    party_id: int
    entitled: int = 0  # seats
    recused: int = 0  # seats left empty by jäv (no deputy to take them)
    deputies: int = 0  # seats held by a deputy
    voted: int = 0
    present: int = 0
    yes: int = 0
    no: int = 0
    abstain: int = 0
    quorum: bool = False
    outcome: str = ""  # YES / NO / NO_POSITION / TIE / TIE_YES / TIE_NO / NO_QUORUM

    @property
    def eligible(self) -> int:
        return self.entitled - self.recused


@dataclass
class Result:
    outcome: str
    quorum: bool
    rule: str
    tie_break: str = CHAIR
    parties: list[PartyCount] = field(default_factory=list)
    yes: int = 0
    no: int = 0
    abstain: int = 0
    casting_vote_used: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _party_position(party: PartyCount, *, rule: str, tie_break: str, chair_party: int | None, chair_choice):
    """(position, casting vote used) of one quorate party."""
    if party.yes > party.no:
        return YES, False
    if party.no > party.yes:
        return NO, False
    if party.yes == 0:
        return NO_POSITION, False
    if (
        rule == EACH_PARTY
        and tie_break == CHAIR
        and party.party_id == chair_party
        and chair_choice in (YES, NO)
    ):
        return (TIE_YES if chair_choice == YES else TIE_NO), True
    return TIE, False


def count(
    *,
    members: Iterable[Member],
    ballots: Mapping[int, str],
    recused: Iterable[int] = (),
    present: Iterable[int] | None = None,
    rule: str = EACH_PARTY,
    tie_break: str = CHAIR,
    chair_id: int | None = None,
) -> Result:
    members = list(members)
    recused = set(recused)
    present = set(present) if present is not None else None
    eligible_ids = {m.user_id for m in members if m.user_id not in recused}
    valid = {uid: choice for uid, choice in ballots.items() if uid in eligible_ids}
    chair_choice = valid.get(chair_id) if chair_id is not None else None
    chair_party = next((m.party_id for m in members if m.user_id == chair_id), None)

    parties: dict[int, PartyCount] = {}
    for member in members:
        party = parties.setdefault(member.party_id, PartyCount(member.party_id))
        party.entitled += 1
        if member.user_id in recused:
            party.recused += 1
            continue
        if member.serves_for is not None:
            party.deputies += 1
        choice = valid.get(member.user_id)
        if choice is not None:
            party.voted += 1
            setattr(party, choice, getattr(party, choice) + 1)
        if present is not None and member.user_id in present:
            party.present += 1

    for party in parties.values():
        participating = max(party.voted, party.present)
        party.quorum = party.eligible > 0 and participating * 2 > party.eligible

    quorum = bool(parties) and all(p.quorum for p in parties.values())
    result = Result(
        outcome=NO_QUORUM,
        quorum=quorum,
        rule=rule,
        tie_break=tie_break,
        parties=sorted(parties.values(), key=lambda p: p.party_id),
    )
    result.yes = sum(p.yes for p in parties.values())
    result.no = sum(p.no for p in parties.values())
    result.abstain = sum(p.abstain for p in parties.values())
    for party in parties.values():
        if not party.quorum:
            party.outcome = NO_QUORUM
            continue
        party.outcome, used = _party_position(
            party, rule=rule, tie_break=tie_break, chair_party=chair_party, chair_choice=chair_choice
        )
        result.casting_vote_used |= used
    if not quorum:
        return result

    if rule == SIMPLE:
        if result.yes != result.no:
            adopted = result.yes > result.no
        elif tie_break == CHAIR and result.yes and chair_choice in (YES, NO):
            adopted, result.casting_vote_used = chair_choice == YES, True
        else:
            adopted = False
        result.outcome = ADOPTED if adopted else REJECTED
        return result

    positions = [p.outcome for p in parties.values()]
    opposed = any(position in (NO, TIE, TIE_NO) for position in positions)
    supported = any(position in (YES, TIE_YES) for position in positions)
    result.outcome = ADOPTED if supported and not opposed else REJECTED
    return result


# --- in words ---------------------------------------------------------------------------------------------


def rule_text(rule: str, tie_break: str) -> str:
    """The agreement's decision rule as a lawyer reads it, for the vote page and the minutes."""
    quorum = _(
        "Varje part är beslutsför när mer än hälften av dess platser deltar; en plats vars ledamot är jävig "
        "eller frånvarande tas av partens ersättare."
    )
    if rule == SIMPLE:
        main = _(
            "Beslut fattas med enkel majoritet av de avgivna rösterna; den som avstår räknas inte åt "
            "något håll."
        )
        tie = (
            _("Vid lika röstetal avgör ordförandens utslagsröst.")
            if tie_break == CHAIR
            else _("Lika röstetal innebär avslag.")
        )
    else:
        main = _(
            "Förslaget bifalls när bifall överstiger avslag inom varje part som tar ställning. Den som "
            "avstår räknas inte åt något håll; en part vars röstande alla avstår tar inte ställning och "
            "hindrar inte beslutet."
        )
        tie = (
            _(
                "Vid lika röstetal inom ordförandens egen part avgör ordförandens utslagsröst den partens "
                "ställning; lika röstetal inom en annan part innebär att den parten inte bifaller."
            )
            if tie_break == CHAIR
            else _("Lika röstetal inom en part innebär att parten inte bifaller.")
        )
    return f"{main} {tie} {quorum}"


def _counts(party: Mapping) -> str:
    return _("%(yes)d bifall, %(no)d avslag, %(abstain)d avstår") % party


def party_line(party: Mapping, name: str, rule: str) -> str:
    """One party's position in a closed vote, as a sentence (`party` is a PartyCount as stored)."""
    outcome = party["outcome"]
    counts = _counts(party)
    if outcome == NO_QUORUM:
        eligible = party["entitled"] - party["recused"]
        if eligible <= 0:
            return _(
                "%(party)s: ej beslutsför – ingen plats kvar att rösta på (alla jäviga, ingen ersättare)."
            ) % {"party": name}
        participating = max(party["voted"], party.get("present", 0))
        return _("%(party)s: ej beslutsför – %(n)d av %(eligible)d platser deltog; mer än hälften krävs.") % {
            "party": name,
            "n": participating,
            "eligible": eligible,
        }
    texts = {
        YES: _("%(party)s: bifall (%(counts)s)."),
        NO: _("%(party)s: avslag (%(counts)s)."),
        NO_POSITION: _(
            "%(party)s: tog inte ställning – alla som röstade avstod; parten hindrar inte beslutet."
        ),
        TIE_YES: _(
            "%(party)s: lika röstetal (%(counts)s) – ordförandens utslagsröst inom parten gav bifall."
        ),
        TIE_NO: _("%(party)s: lika röstetal (%(counts)s) – ordförandens utslagsröst inom parten gav avslag."),
    }
    if outcome == TIE:
        text = (
            _("%(party)s: lika röstetal (%(counts)s).")
            if rule == SIMPLE
            else _(
                "%(party)s: lika röstetal (%(counts)s) – bifall överstiger inte avslag, parten bifaller inte."
            )
        )
    else:
        text = texts.get(outcome, "%(party)s: %(counts)s.")
    return text % {"party": name, "counts": counts}


def _names(names: list[str]) -> str:
    return (
        names[0]
        if len(names) == 1
        else _("%(list)s och %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}
    )


def outcome_line(result: Mapping, names: Mapping[int, str]) -> str:
    """The overall result of a closed vote, as a sentence naming the parties it turned on."""
    parties = result.get("parties", [])
    name = [names.get(p["party_id"], "?") for p in parties]
    if result["outcome"] == NO_QUORUM:
        void = [n for n, p in zip(name, parties, strict=True) if p["outcome"] == NO_QUORUM]
        return ngettext(
            "Voteringen är ogiltig: %(parties)s är inte beslutsför. Inget beslut kan fattas på den.",
            "Voteringen är ogiltig: %(parties)s är inte beslutsföra. Inget beslut kan fattas på den.",
            len(void),
        ) % {"parties": _names(void)}
    counts = _counts(result)
    if result["rule"] == SIMPLE:
        if result["outcome"] == ADOPTED:
            if result.get("casting_vote_used"):
                return _(
                    "Förslaget är bifallet efter lika röstetal (%(counts)s) genom ordförandens utslagsröst."
                ) % {"counts": counts}
            return _("Förslaget är bifallet med enkel majoritet (%(counts)s).") % {"counts": counts}
        if result.get("casting_vote_used"):
            return _(
                "Förslaget är avslaget efter lika röstetal (%(counts)s) genom ordförandens utslagsröst."
            ) % {"counts": counts}
        return _("Förslaget är avslaget: bifall överstiger inte avslag (%(counts)s).") % {"counts": counts}
    if result["outcome"] == ADOPTED:
        for_it = [n for n, p in zip(name, parties, strict=True) if p["outcome"] in (YES, TIE_YES)]
        return _("Förslaget är bifallet: ingen part motsatte sig och %(parties)s biföll.") % {
            "parties": _names(for_it)
        }
    against = [n for n, p in zip(name, parties, strict=True) if p["outcome"] in (NO, TIE, TIE_NO)]
    if against:
        return _("Förslaget är avslaget: %(parties)s biföll inte.") % {"parties": _names(against)}
    return _("Förslaget är avslaget: ingen part biföll – alla som röstade avstod.")


def explain(result: Mapping, names: Mapping[int, str]) -> list[str]:
    """The result in sentences: one per party (in the order of `names`), then the outcome."""
    order = list(names)
    parties = sorted(
        result.get("parties", []),
        key=lambda p: order.index(p["party_id"]) if p["party_id"] in order else len(order),
    )
    lines = [party_line(p, names.get(p["party_id"], "?"), result["rule"]) for p in parties]
    return [*lines, outcome_line(result, names)]
