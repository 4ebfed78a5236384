"""The counting rules of a styrgrupp vote (pure: no database)."""

import pytest

from governance.voting import ADOPTED, NO_QUORUM, REJECTED, Member, count

U, K1, K2 = 1, 2, 3  # parties: the university and two municipalities


def seats(**per_party):
    """seats(U=3, K1=2) -> members 1.., party per keyword."""
    parties = {"U": U, "K1": K1, "K2": K2}
    members, uid = [], 100
    for name, n in per_party.items():
        for _ in range(n):
            members.append(Member(uid, parties[name]))
            uid += 1
    return members


def ids(members, party):
    return [m.user_id for m in members if m.party_id == party]


def ballots(members, **choices):
    """ballots(m, U="yes yes no", K1="yes abstain") in member order of each party."""
    parties = {"U": U, "K1": K1, "K2": K2}
    result = {}
    for name, spec in choices.items():
        for uid, choice in zip(ids(members, parties[name]), spec.split(), strict=False):
            if choice != "-":
                result[uid] = choice
    return result


CASES = [
    # id, seats, ballots, rule, expected outcome
    ("each-party-all-yes", dict(U=2, K1=2), dict(U="yes yes", K1="yes yes"), "majority_each_party", ADOPTED),
    (
        "each-party-one-party-no",
        dict(U=2, K1=2),
        dict(U="yes yes", K1="no no"),
        "majority_each_party",
        REJECTED,
    ),
    (
        "each-party-big-party-cannot-outvote-small",
        dict(U=5, K1=2),
        dict(U="yes yes yes yes yes", K1="no no"),
        "majority_each_party",
        REJECTED,
    ),
    (
        "simple-majority-big-party-outvotes",
        dict(U=5, K1=2),
        dict(U="yes yes yes yes yes", K1="no no"),
        "simple_majority",
        ADOPTED,
    ),
    (
        "abstention-is-not-a-no",
        dict(U=3, K1=3),
        dict(U="yes abstain abstain", K1="yes abstain abstain"),
        "majority_each_party",
        ADOPTED,
    ),
    (
        "abstention-is-not-a-no-simple",
        dict(U=3, K1=3),
        dict(U="yes abstain abstain", K1="abstain abstain no"),
        "simple_majority",
        REJECTED,
    ),
    (
        "no-quorum-too-few-voted",
        dict(U=4, K1=2),
        dict(U="yes yes", K1="yes yes"),
        "majority_each_party",
        NO_QUORUM,
    ),
    (
        "quorum-exactly-more-than-half",
        dict(U=3, K1=2),
        dict(U="yes yes", K1="yes -"),
        "majority_each_party",
        NO_QUORUM,
    ),
    (
        "quorum-met-party-tie-without-chair-vote-is-no-majority",
        dict(U=3, K1=3),
        dict(U="yes yes", K1="yes no"),
        "majority_each_party",
        REJECTED,
    ),
]


@pytest.mark.parametrize(
    ("seat_spec", "ballot_spec", "rule", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_outcome(seat_spec, ballot_spec, rule, expected):
    members = seats(**seat_spec)
    result = count(members=members, ballots=ballots(members, **ballot_spec), rule=rule)
    assert result.outcome == expected


def test_quorum_needs_more_than_half_of_each_party():
    members = seats(U=3, K1=3)
    # K1: 2 of 3 voted -> quorum; U: 1 of 3 -> no quorum.
    result = count(members=members, ballots=ballots(members, U="yes", K1="yes yes"))
    by_party = {p.party_id: p for p in result.parties}
    assert by_party[K1].quorum is True
    assert by_party[U].quorum is False
    assert result.outcome == NO_QUORUM


def test_presence_counts_for_quorum_at_a_meeting():
    members = seats(U=2, K1=2)
    present = ids(members, U) + ids(members, K1)
    # Everyone present; only two voted, both yes; the others abstained silently.
    result = count(members=members, ballots=ballots(members, U="yes", K1="yes"), present=present)
    assert result.quorum is True
    assert result.outcome == ADOPTED


@pytest.mark.parametrize(
    ("tie_break", "chair_choice", "expected", "casting"),
    [
        pytest.param("chair", "yes", ADOPTED, True, id="chair-casts-yes"),
        pytest.param("chair", "no", REJECTED, True, id="chair-casts-no"),
        pytest.param("chair", "abstain", REJECTED, False, id="chair-abstained-tie-is-no-majority"),
        pytest.param("rejected", "yes", REJECTED, False, id="agreement-says-tie-rejects"),
    ],
)
def test_tie_in_simple_majority(tie_break, chair_choice, expected, casting):
    members = seats(U=3, K1=2)
    chair, u2, u3 = ids(members, U)
    k1, k2 = ids(members, K1)
    # Two yes and two no among the others; the chair's own choice decides nothing unless it breaks the tie.
    votes = {u2: "yes", u3: "no", k1: "yes", k2: "no", chair: chair_choice}
    if chair_choice in ("yes", "no"):
        # Keep the tie: the chair's ballot replaces one of the others of the same side.
        votes[u2 if chair_choice == "yes" else u3] = "abstain"
    result = count(
        members=members, ballots=votes, rule="simple_majority", tie_break=tie_break, chair_id=chair
    )
    assert result.yes == result.no
    assert result.outcome == expected
    assert result.casting_vote_used is casting


def test_tie_within_a_party_uses_the_chairs_casting_vote():
    members = seats(U=2, K1=2)
    u1, u2 = ids(members, U)
    k1, k2 = ids(members, K1)
    result = count(members=members, ballots={u1: "yes", u2: "no", k1: "yes", k2: "yes"}, chair_id=u1)
    assert result.outcome == ADOPTED
    assert result.casting_vote_used is True
    result = count(members=members, ballots={u1: "no", u2: "yes", k1: "yes", k2: "yes"}, chair_id=u1)
    assert result.outcome == REJECTED


def test_party_with_every_member_recused_has_no_quorum():
    members = seats(U=2, K1=1)
    k1 = ids(members, K1)[0]
    result = count(members=members, ballots=ballots(members, U="yes yes"), recused=[k1])
    by_party = {p.party_id: p for p in result.parties}
    assert by_party[K1].recused == 1 and by_party[K1].quorum is False
    assert result.outcome == NO_QUORUM


def test_recused_members_ballot_is_ignored_and_not_entitled_for_quorum():
    members = seats(U=3, K1=2)
    u1, u2, u3 = ids(members, U)
    result = count(
        members=members,
        ballots={u1: "no", u2: "yes", u3: "yes", **ballots(members, K1="yes yes")},
        recused=[u1],
    )
    by_party = {p.party_id: p for p in result.parties}
    assert by_party[U].yes == 2 and by_party[U].no == 0
    assert result.outcome == ADOPTED


def test_ballots_from_non_members_are_ignored():
    members = seats(U=1, K1=1)
    result = count(members=members, ballots={**ballots(members, U="yes", K1="yes"), 999: "no"})
    assert (result.yes, result.no) == (2, 0)


def test_result_per_party_counts():
    members = seats(U=3, K1=2, K2=2)
    result = count(members=members, ballots=ballots(members, U="yes no abstain", K1="yes yes", K2="no no"))
    by_party = {p.party_id: (p.yes, p.no, p.abstain, p.outcome) for p in result.parties}
    assert by_party == {U: (1, 1, 1, "tie-no"), K1: (2, 0, 0, "yes"), K2: (0, 2, 0, "no")}
    assert result.outcome == REJECTED
