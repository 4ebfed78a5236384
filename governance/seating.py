"""Who holds each seat when an item is decided.

- Only the parties entitled to decide the item sit: for a styrgrupp item on a proposal, the university and
  the municipalities the proposal involves (its municipal organisations, a company acting for its
  municipality). A municipality that is not party to the activity neither votes nor blocks.
- Each ordinary member holds their party's seat, unless they are recused (jäv) or registered absent: then
  the party's first free deputy (ersättare) holds it for this item. A recused member whose party has no
  deputy left leaves the seat empty; an absent one without a deputy keeps it (and does not take part).

`governance.voting.count` counts the seats this module hands it; the vote page shows the same seating
before the vote opens (a party with no one left to vote) and while it runs (beslutsför per party).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .enums import AttendanceStatus
from .models import AgendaItem, Attendance, Recusal, Vote
from .selectors import Seat, joint_seats, seats_by_user
from .voting import Member


@dataclass(frozen=True)
class ItemSeat:
    """One seat of a party for this item: who holds it, and for whom when a deputy does."""

    holder: Seat
    serves_for: Seat | None = None
    empty: bool = False  # recused ordinary member, no deputy to take the seat
    absent: bool = False  # the holder is registered absent

    @property
    def party_id(self) -> int:
        return self.holder.party_id


@dataclass
class PartySeats:
    party_id: int
    seats: list[ItemSeat] = field(default_factory=list)

    @property
    def open_seats(self) -> list[ItemSeat]:
        return [s for s in self.seats if not s.empty]

    @property
    def can_vote(self) -> bool:
        """Someone is left to vote for the party (otherwise it cannot be beslutsför)."""
        return bool(self.open_seats)


@dataclass
class Seating:
    parties: list[PartySeats]
    idle_deputies: list[Seat]
    recused_ids: set[int]

    @property
    def seats(self) -> list[ItemSeat]:
        return [seat for party in self.parties for seat in party.seats]

    def holder(self, user_id: int) -> ItemSeat | None:
        """The seat this person holds for the item (None: they hold none – not a member, a deputy not
        called in, or an ordinary member whose seat a deputy holds)."""
        for seat in self.seats:
            if not seat.empty and seat.holder.user_id == user_id:
                return seat
        return None

    def members(self) -> list[Member]:
        """The seats as `voting.count` counts them; an empty seat is its recused member's."""
        return [
            Member(s.holder.user_id, s.party_id, s.serves_for.user_id if s.serves_for else None)
            for s in self.seats
        ]

    @property
    def parties_without_voters(self) -> list[int]:
        return [party.party_id for party in self.parties if not party.can_vote]


def deciding_party_ids(item: AgendaItem) -> set[int] | None:
    """The parties entitled to decide the item, or None for every party of the body (items without a
    proposal, beredning meetings)."""
    if item.proposal_id is None or not item.meeting.is_steering:
        return None
    proposal = item.proposal
    municipalities = {org.parent_id or org.pk for org in proposal.municipal_organisations.all()}
    if not municipalities:
        return None
    return {proposal.agreement.university_id, *municipalities}


def seating(item: AgendaItem, *, recused_ids=(), absent_ids=()) -> Seating:
    """The seats of the item, given who is recused and who is registered absent."""
    recused_ids, absent_ids = set(recused_ids), set(absent_ids)
    entitled = deciding_party_ids(item)
    seats = [s for s in seats_by_user(item.meeting).values() if entitled is None or s.party_id in entitled]
    # A party of the activity without a seat in this styrgrupp (another agreement's municipality in a
    # programme) is seated with its own styrgrupp members: one joint decision.
    seats += joint_seats_of(item, entitled)
    free_deputies = [
        s for s in seats if s.deputy and s.user_id not in recused_ids and s.user_id not in absent_ids
    ]
    # Every entitled party is listed, one without anyone to sit for it too: it cannot be beslutsför, and the
    # vote page says so before the vote opens.
    parties: dict[int, PartySeats] = {p: PartySeats(p) for p in sorted(entitled or ())}
    for seat in seats:
        if seat.deputy:
            continue
        party = parties.setdefault(seat.party_id, PartySeats(seat.party_id))
        vacated = seat.user_id in recused_ids or seat.user_id in absent_ids
        deputy = next((d for d in free_deputies if d.party_id == seat.party_id), None) if vacated else None
        if deputy is not None:
            free_deputies.remove(deputy)
            party.seats.append(ItemSeat(deputy, serves_for=seat))
        elif seat.user_id in recused_ids:
            party.seats.append(ItemSeat(seat, empty=True))
        else:
            party.seats.append(ItemSeat(seat, absent=seat.user_id in absent_ids))
    return Seating(list(parties.values()), free_deputies, recused_ids)


def joint_seats_of(item: AgendaItem, entitled) -> list[Seat]:
    """The seats of the item's entitled parties that the meeting's own body does not seat (another
    agreement's municipality in a joint decision), read once per item object."""
    if not entitled:
        return []
    cached = item.__dict__.get("_joint_seats")
    if cached is None:
        own = {s.party_id for s in seats_by_user(item.meeting).values()}
        cached = item._joint_seats = joint_seats(item.meeting, frozenset(entitled) - own)
    return cached


def joint_member_ids(item: AgendaItem) -> set[int]:
    """Who sits for this item in a joint decision without being a member of the meeting's body."""
    return {s.user_id for s in joint_seats_of(item, deciding_party_ids(item))}


def absent_ids(meeting) -> set[int]:
    return set(
        Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.ABSENT).values_list(
            "member_id", flat=True
        )
    )


def team_ids(item: AgendaItem) -> set[int]:
    """The proposal's team (responsible researcher, co-researchers, responsible tjänsteperson): recused from
    the item automatically, at the beredning as at the styrgrupp."""
    proposal = item.proposal if item.proposal_id else None
    if proposal is None:
        return set()
    ids = {proposal.responsible_researcher_id, proposal.responsible_officer_id}
    ids |= set(proposal.researchers.values_list("pk", flat=True))
    return ids - {None}


def recused_ids(item: AgendaItem) -> set[int]:
    """Declared jäv, and the team's automatic jäv."""
    return set(Recusal.objects.filter(item=item).values_list("member_id", flat=True)) | team_ids(item)


def seating_now(item: AgendaItem) -> Seating:
    """The item's seating as it stands: its recusals and the meeting's registered absences."""
    return seating(item, recused_ids=recused_ids(item), absent_ids=absent_ids(item.meeting))


def seating_of_vote(vote: Vote) -> Seating:
    return seating_now(vote.item)
