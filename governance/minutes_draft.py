"""The protocol drafted from the meeting. This module gathers the facts; the wording is the template
`templates/governance/minutes/draft.txt`.

The text is plain, in a small convention that the PDF turns into headings and tables: "§n" starts a
paragraph, "a | b | c" lines are table rows, "Etikett: värde" lines are facts, a blank line separates
blocks.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from samverkan.enums import OrganisationKind
from samverkan.models import Organisation

from . import voting
from .enums import Choice, Perspective, VoteOutcome
from .extensions import minutes_decision_lines, minutes_outcome_lines
from .models import AgendaItem, Assessment, Attendance, Ballot, Decision, Meeting, Minutes, Recusal, Vote
from .selectors import members_of

TEMPLATE = "governance/minutes/draft.txt"

# What a party's position in a vote is called in the minutes (governance.voting's party outcomes).
PARTY_OUTCOME = {
    voting.YES: "bifall",
    voting.NO: "avslag",
    voting.NO_POSITION: "tar inte ställning",
    voting.TIE: "lika röstetal – bifaller inte",
    voting.TIE_YES: "lika röstetal – bifall genom ordförandens utslagsröst inom parten",
    voting.TIE_NO: "lika röstetal – avslag genom ordförandens utslagsröst inom parten",
    voting.NO_QUORUM: "ej beslutsför",
}


def _local(dt, fmt: str) -> str:
    return dateformat.format(timezone.localtime(dt), fmt)


def _name(user) -> str:
    return user.get_full_name() or user.email if user else "–"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _parties(party_ids) -> list[Organisation]:
    """The parties in protocol order: the university first, then the municipalities by name."""
    orgs = Organisation.objects.in_bulk(set(party_ids))
    return sorted(orgs.values(), key=lambda o: (o.kind != OrganisationKind.UNIVERSITY, o.name))


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.select_related(
            "proposal",
            "proposal__responsible_researcher",
            "proposal__responsible_officer",
            "vote",
            "settled_by__meeting",
            "carried_to__meeting",
        )
        .prefetch_related(
            "presenters",
            "proposal__researchers",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(submitted_at__isnull=False).prefetch_related("criteria"),
                to_attr="submitted_assessments",
            ),
            Prefetch("recusals", queryset=Recusal.objects.select_related("member").order_by("pk")),
            Prefetch("vote__ballots", queryset=Ballot.objects.select_related("member")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("supersedes__meeting").prefetch_related("amounts"),
            ),
        )
        .order_by("order", "pk")
    )


def paragraphs(meeting: Meeting) -> list[tuple[int, AgendaItem]]:
    """The agenda items with their paragraph number in the minutes: the item's own § number, the one the
    agenda and the decision carry."""
    return [(item.order, item) for item in _items(meeting)]


def _attendance(meeting: Meeting, seats) -> dict:
    registered = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    online_only = bool(meeting.video_link) and not meeting.location
    by_party = defaultdict(list)
    for seat in seats:
        by_party[seat.party_id].append(seat)
    rows = []
    for party in _parties(by_party):
        for seat in by_party[party.pk]:
            row = registered.get(seat.user_id)
            if row is None:
                status = "Röstberättigad" if online_only and not registered else "Ej registrerad"
            else:
                status = row.get_status_display() + (f" ({row.note})" if row.note else "")
            rows.append(
                {
                    "party": party.name,
                    "name": _name(seat.user),
                    "chair": seat.user_id == meeting.chair_id,
                    "status": status,
                }
            )
    member_ids = {s.user_id for s in seats}
    others = []
    if meeting.secretary_id and meeting.secretary_id not in member_ids:
        others.append(f"{_name(meeting.secretary)} (sekreterare)")
    if meeting.chair_id and meeting.chair_id not in member_ids:
        others.append(f"{_name(meeting.chair)} (ordförande)")
    return {"registered": bool(registered), "online_only": online_only, "rows": rows, "others": others}


def _spread(values: list[int]) -> dict:
    if not values:
        return {"mean": "–", "spread": "–"}
    low, high = min(values), max(values)
    mean = f"{statistics.fmean(values):.1f}".replace(".", ",")
    return {"mean": mean, "spread": f"{low}–{high}" if low != high else str(low)}


def _assessments(item: AgendaItem) -> dict:
    assessments: list[Assessment] = item.submitted_assessments
    rows = []
    for perspective, fields in (
        (Perspective.RESEARCH, ("research_quality", "research_ambition")),
        (Perspective.BENEFIT, ("benefit", "effects")),
    ):
        group = [a for a in assessments if a.perspective == perspective]
        values = [getattr(a, f) for a in group for f in fields if getattr(a, f) is not None]
        rows.append({"label": perspective.label, "count": len(group), **_spread(values)})
    criteria = [c.score for a in assessments for c in a.criteria.all()]
    return {"count": len(assessments), "rows": rows, "criteria": _spread(criteria)}


def _recusals(item: AgendaItem, seat_party: dict[int, str]) -> list[dict]:
    """Who took no part in the item: declared jäv, and the team members who sit in the body (automatic)."""

    def who(user):
        return _name(user) + (f" ({seat_party[user.pk]})" if user.pk in seat_party else "")

    rows = [
        {"who": who(r.member), "automatic": r.automatic, "reason": r.reason.strip().rstrip(".")}
        for r in item.recusals.all()
    ]
    if item.proposal_id:
        declared = {r.member_id for r in item.recusals.all()}
        proposal = item.proposal
        team = [proposal.responsible_researcher, proposal.responsible_officer, *proposal.researchers.all()]
        for user in team:
            if user is not None and user.pk in seat_party and user.pk not in declared:
                declared.add(user.pk)
                rows.append({"who": who(user), "automatic": True, "reason": "Sökande i ärendet"})
    return rows


def _vote(vote: Vote, parties_in_order: list[Organisation], seat_party: dict[int, str], agreement) -> dict:
    context = {"vote": vote, "closed": vote.status == "closed"}
    if not context["closed"]:
        return context
    result = vote.result or {}
    position = {org.pk: index for index, org in enumerate(parties_in_order)}
    names = {org.pk: org.name for org in parties_in_order}
    parties = sorted(result.get("parties", []), key=lambda p: position.get(p["party_id"], len(position)))
    ballots = []
    if vote.open_ballots_after_close:
        labels = dict(Choice.choices)
        ballots = [
            f"{_name(b.member)} – {str(labels[b.choice]).lower()}"
            for b in sorted(vote.ballots.all(), key=lambda b: (b.member.last_name, b.member.first_name))
        ]
    context.update(
        {
            "closed_at": _local(vote.closed_at, "j F Y H.i") if vote.closed_at else "",
            "parties": [
                {
                    **p,
                    "name": names.get(p["party_id"], str(p["party_id"])),
                    "position": PARTY_OUTCOME.get(p["outcome"], p["outcome"] or "–"),
                }
                for p in parties
            ],
            "result": result,
            "recused": sum(p["recused"] for p in parties),
            "rule": voting.rule_text(
                result.get("rule", agreement.decision_rule), result.get("tie_break", agreement.tie_break)
            ),
            "explanation": voting.explain(result, names) if parties else [],
            "void": vote.outcome == VoteOutcome.NO_QUORUM,
            "deputies": [
                f"{e['name']} (ersättare) tjänstgjorde för {e['serves_for_name']}"
                for e in (vote.snapshot or {}).get("entitled", [])
                if e.get("serves_for")
            ],
            "ballots": "; ".join(ballots),
        }
    )
    return context


def _decision(decision: Decision) -> dict:
    amounts = list(decision.amounts.all())
    return {
        "decision": decision,
        "text": _one_line(decision.text),
        "amounts": amounts,
        "total": sum(a.amount for a in amounts) if len(amounts) > 1 else None,
        # Lines other apps add (budget: the line the grant is committed against).
        "extra": [line for contributed in minutes_decision_lines for line in contributed(decision)],
        "conditions": _one_line(decision.conditions),
        "activity_goals": _one_line(decision.activity_goals),
    }


def _paragraph(meeting: Meeting, number: int, item: AgendaItem, ordered, seat_party) -> dict:
    vote = getattr(item, "vote", None)
    if vote is not None and vote.status == "draft":
        vote = None
    decisions = [_decision(d) for d in item.decisions.all()]
    review = meeting.is_review and bool(item.proposal_id)
    return {
        "number": number,
        "item": item,
        "presenters": ", ".join(_name(u) for u in item.presenters.all()) if item.proposal_id else "",
        "description": item.description.strip(),
        "assessments": _assessments(item) if review else None,
        "review": review,
        "outcome_motivation": _one_line(item.outcome_motivation),
        "outcome_goals": _one_line(item.outcome_goals),
        "outcome_conditions": _one_line(item.outcome_conditions),
        # Lines other apps add under the ställningstagande (budget: the proposed amount per year).
        "outcome_extra": (
            [line for contributed in minutes_outcome_lines for line in contributed(item)]
            if review and item.outcome
            else []
        ),
        "vote": _vote(vote, ordered, seat_party, meeting.agreement) if vote is not None else None,
        "recusals": _recusals(item, seat_party) if (review or vote is not None) else [],
        "decisions": decisions,
        "noted": (
            not review
            and vote is None
            and not decisions
            and not item.description
            and meeting.is_steering
            and not item.proposal_id
        ),
    }


def minutes_draft_text(meeting: Meeting) -> str:
    """The protocol generated from the meeting: header, attendance per party, then one paragraph (§) per
    agenda item with the beredning's assessment summary and outcome, or the styrgrupp's vote (result per
    party), jäv and decisions."""
    meeting = Meeting.objects.select_related("body", "agreement", "chair", "secretary").get(pk=meeting.pk)
    minutes = Minutes.objects.select_related("adjuster").filter(meeting=meeting).first()
    with translation.override("sv"):
        seats = members_of(meeting)
        orgs = {o.pk: o for o in _parties({s.party_id for s in seats})}
        seat_party = {s.user_id: orgs[s.party_id].name for s in seats}
        items = paragraphs(meeting)
        party_ids = set(orgs)
        for _n, item in items:
            if hasattr(item, "vote") and item.vote.result:
                party_ids |= {p["party_id"] for p in item.vote.result.get("parties", [])}
        ordered = _parties(party_ids)
        start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        text = render_to_string(
            TEMPLATE,
            {
                "meeting": meeting,
                "date": _local(start, "l j F Y"),
                "time": f"{_local(start, 'H.i')}–{_local(end, 'H.i')}",
                "chair": _name(meeting.chair),
                "secretary": _name(meeting.secretary),
                "adjuster": _name(minutes.adjuster) if minutes and minutes.adjuster else "",
                "attendance": _attendance(meeting, seats),
                "paragraphs": [_paragraph(meeting, n, item, ordered, seat_party) for n, item in items],
            },
        )
    return _tidy(text)


def _tidy(text: str) -> str:
    """The template's layout, not its whitespace: no trailing spaces, one blank line between blocks."""
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
