"""The counting rules of a styrgrupp vote (pure: no database)."""

import pytest

from governance.voting import ADOPTED, NO_QUORUM, REJECTED, Member, count, explain, rule_text

EACH, SIMPLE = "majority_each_party", "simple_majority"
CH, REJ = "chair", "rejected"

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
    assert by_party == {U: (1, 1, 1, "tie"), K1: (2, 0, 0, "yes"), K2: (0, 2, 0, "no")}
    assert result.outcome == REJECTED


# --- The table a kommunjurist reads: every situation, the position per party, the result, and its words ----

A, B, C = 1, 2, 3  # A the university (the chair's party), B and C two municipalities
NAMES = {A: "Mälardalens universitet", B: "Eskilstuna kommun", C: "Västerås stad"}


def table_seats(spec: str) -> list[Member]:
    """'A3 B2' -> three seats of A (the first is the chair, user 100), two of B."""
    members, uid = [], 100
    for part in spec.split():
        party = {"A": A, "B": B, "C": C}[part[0]]
        for _ in range(int(part[1:])):
            members.append(Member(uid, party))
            uid += 1
    return members


def table_ballots(members, spec: str) -> dict[int, str]:
    """'A:y,n B:a,-' – per party, in seat order: y bifall, n avslag, a avstår, - did not vote."""
    codes = {"y": "yes", "n": "no", "a": "abstain"}
    ballots = {}
    for part in spec.split():
        party = {"A": A, "B": B, "C": C}[part[0]]
        seats = [m.user_id for m in members if m.party_id == party]
        for uid, code in zip(seats, part[2:].split(","), strict=False):
            if code != "-":
                ballots[uid] = codes[code]
    return ballots


TABLE = [
    # id, seats, ballots, rule, tie_break, {party: position}, outcome, a phrase of the minutes' result line
    ("all-for", "A2 B2", "A:y,y B:y,y", EACH, CH, {A: "yes", B: "yes"}, ADOPTED, "ingen part motsatte sig"),
    (
        "one-party-against",
        "A2 B2",
        "A:y,y B:n,n",
        EACH,
        CH,
        {A: "yes", B: "no"},
        REJECTED,
        "Eskilstuna kommun biföll inte",
    ),
    (
        "small-party-not-outvoted",
        "A5 B2",
        "A:y,y,y,y,y B:n,n",
        EACH,
        CH,
        {A: "yes", B: "no"},
        REJECTED,
        "biföll inte",
    ),
    (
        "simple-majority-outvotes",
        "A5 B2",
        "A:y,y,y,y,y B:n,n",
        SIMPLE,
        CH,
        {A: "yes", B: "no"},
        ADOPTED,
        "enkel majoritet (5 bifall, 2 avslag",
    ),
    (
        "abstention-is-not-no",
        "A3 B3",
        "A:y,a,a B:y,a,a",
        EACH,
        CH,
        {A: "yes", B: "yes"},
        ADOPTED,
        "ingen part motsatte sig",
    ),
    (
        "all-abstain-party-does-not-block",
        "A2 B2",
        "A:y,y B:a,a",
        EACH,
        CH,
        {A: "yes", B: "no_position"},
        ADOPTED,
        "Mälardalens universitet biföll",
    ),
    (
        "every-party-abstains",
        "A2 B2",
        "A:a,a B:a,a",
        EACH,
        CH,
        {A: "no_position", B: "no_position"},
        REJECTED,
        "ingen part biföll",
    ),
    (
        "every-party-abstains-simple",
        "A2 B2",
        "A:a,a B:a,a",
        SIMPLE,
        CH,
        {A: "no_position", B: "no_position"},
        REJECTED,
        "bifall överstiger inte avslag",
    ),
    (
        "tie-in-chairs-party-casting-yes",
        "A2 B2",
        "A:y,n B:y,y",
        EACH,
        CH,
        {A: "tie-yes", B: "yes"},
        ADOPTED,
        "ingen part motsatte sig",
    ),
    (
        "tie-in-chairs-party-casting-no",
        "A2 B2",
        "A:n,y B:y,y",
        EACH,
        CH,
        {A: "tie-no", B: "yes"},
        REJECTED,
        "Mälardalens universitet biföll inte",
    ),
    (
        "tie-in-other-party-not-settled-by-chair",
        "A2 B2",
        "A:y,y B:y,n",
        EACH,
        CH,
        {A: "yes", B: "tie"},
        REJECTED,
        "Eskilstuna kommun biföll inte",
    ),
    (
        "tie-other-party-chair-voted-no",
        "A2 B2",
        "A:n,n B:y,n",
        EACH,
        CH,
        {A: "no", B: "tie"},
        REJECTED,
        "Mälardalens universitet och Eskilstuna kommun biföll inte",
    ),
    (
        "tie-with-abstention-other-party",
        "A2 B3",
        "A:y,y B:y,n,a",
        EACH,
        CH,
        {A: "yes", B: "tie"},
        REJECTED,
        "biföll inte",
    ),
    (
        "tie-chair-abstained",
        "A3 B2",
        "A:a,y,n B:y,y",
        EACH,
        CH,
        {A: "tie", B: "yes"},
        REJECTED,
        "Mälardalens universitet biföll inte",
    ),
    (
        "tie-agreement-without-casting-vote",
        "A2 B2",
        "A:y,n B:y,y",
        EACH,
        REJ,
        {A: "tie", B: "yes"},
        REJECTED,
        "Mälardalens universitet biföll inte",
    ),
    (
        "simple-tie-chair-casts-yes",
        "A2 B2",
        "A:y,a B:n,a",
        SIMPLE,
        CH,
        {A: "yes", B: "no"},
        ADOPTED,
        "genom ordförandens utslagsröst",
    ),
    (
        "simple-tie-chair-casts-no",
        "A2 B2",
        "A:n,a B:y,a",
        SIMPLE,
        CH,
        {A: "no", B: "yes"},
        REJECTED,
        "genom ordförandens utslagsröst",
    ),
    (
        "simple-tie-no-casting-vote",
        "A2 B2",
        "A:y,a B:n,a",
        SIMPLE,
        REJ,
        {A: "yes", B: "no"},
        REJECTED,
        "bifall överstiger inte avslag",
    ),
    (
        "simple-tie-chair-abstained",
        "A2 B2",
        "A:a,y B:n,a",
        SIMPLE,
        CH,
        {A: "yes", B: "no"},
        REJECTED,
        "bifall överstiger inte avslag",
    ),
    (
        "void-too-few-voted",
        "A4 B2",
        "A:y,y B:y,y",
        EACH,
        CH,
        {A: "no_quorum", B: "yes"},
        NO_QUORUM,
        "Mälardalens universitet är inte beslutsför",
    ),
    (
        "void-half-is-not-more-than-half",
        "A2 B2",
        "A:y,y B:y,-",
        EACH,
        CH,
        {A: "yes", B: "no_quorum"},
        NO_QUORUM,
        "Eskilstuna kommun är inte beslutsför",
    ),
    (
        "void-two-parties",
        "A2 B2 C2",
        "A:y,y B:y,- C:-,-",
        EACH,
        CH,
        {A: "yes", B: "no_quorum", C: "no_quorum"},
        NO_QUORUM,
        "Eskilstuna kommun och Västerås stad är inte beslutsföra",
    ),
    (
        "three-parties-one-abstains",
        "A2 B2 C2",
        "A:y,y B:y,y C:a,a",
        EACH,
        CH,
        {A: "yes", B: "yes", C: "no_position"},
        ADOPTED,
        "Mälardalens universitet och Eskilstuna kommun biföll",
    ),
    (
        "three-parties-one-against",
        "A2 B2 C2",
        "A:y,y B:y,y C:n,a",
        EACH,
        CH,
        {A: "yes", B: "yes", C: "no"},
        REJECTED,
        "Västerås stad biföll inte",
    ),
]


@pytest.mark.parametrize(
    ("seat_spec", "ballot_spec", "rule", "tie_break", "positions", "outcome", "phrase"),
    [case[1:] for case in TABLE],
    ids=[case[0] for case in TABLE],
)
def test_the_table_of_vote_situations(seat_spec, ballot_spec, rule, tie_break, positions, outcome, phrase):
    members = table_seats(seat_spec)
    result = count(
        members=members,
        ballots=table_ballots(members, ballot_spec),
        rule=rule,
        tie_break=tie_break,
        chair_id=members[0].user_id,
    )

    assert {p.party_id: p.outcome for p in result.parties} == positions
    assert result.outcome == outcome
    lines = explain(result.as_dict(), NAMES)
    # One sentence per party, naming it, then the result – which names what it turned on.
    assert len(lines) == len(positions) + 1
    assert all(NAMES[p] in line for p, line in zip(sorted(positions), lines, strict=False))
    assert phrase in lines[-1]


def test_a_casting_vote_is_only_ever_used_in_the_chairs_own_party():
    members = table_seats("A2 B2 C2")
    for spec in ("A:y,n B:y,n C:y,n", "A:y,y B:y,n C:n,y", "A:n,y B:n,y C:y,y"):
        result = count(members=members, ballots=table_ballots(members, spec), chair_id=members[0].user_id)
        for party in result.parties:
            if party.party_id != A:
                assert party.outcome not in ("tie-yes", "tie-no")


def test_a_deputy_in_a_recused_members_seat_makes_the_party_beslutsfor():
    # Eskilstuna's only member is recused; the deputy holds the seat for the item (seating.py) and votes.
    members = [Member(100, A), Member(101, A), Member(300, B, serves_for=200)]
    result = count(members=members, ballots={100: "yes", 101: "yes", 300: "yes"}, chair_id=100)
    by_party = {p.party_id: p for p in result.parties}
    assert by_party[B].quorum and by_party[B].deputies == 1
    assert result.outcome == ADOPTED


def test_a_party_whose_only_seat_is_empty_by_jav_is_void_in_words():
    members = [Member(100, A), Member(200, B)]
    result = count(members=members, ballots={100: "yes"}, recused=[200], chair_id=100)
    lines = explain(result.as_dict(), NAMES)
    assert result.outcome == NO_QUORUM
    assert "ingen plats kvar att rösta på" in lines[1]


@pytest.mark.parametrize(("rule", "tie_break"), [(EACH, CH), (EACH, REJ), (SIMPLE, CH), (SIMPLE, REJ)])
def test_the_rule_is_stated_in_words(rule, tie_break):
    text = rule_text(rule, tie_break)
    assert "beslutsför" in text and "avstår" in text
    if rule == EACH and tie_break == CH:
        assert "ordförandens egen part" in text and "inom en annan part" in text
    if tie_break == REJ:
        assert "utslagsröst" not in text
