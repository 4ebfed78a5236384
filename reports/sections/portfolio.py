"""Sections read from the proposals' history and from governance: pipeline, new proposals, meetings and
decisions, closures. Proposal states as of an instant come from ProposalTransition (append-only): a proposal
created before the instant is in its last transition's target state, or in Dialog if it has none yet."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ProposalState, WorkForm
from applications.models import Proposal, ProposalTransition
from governance.enums import DecisionKind, MeetingKind, MeetingStatus
from governance.models import Decision, DecisionAmount, Meeting

from ..periods import Quarter
from . import chart, register, section, table

S = ProposalState
# The states shown in the pipeline, in lifecycle order (end states after the living ones).
PIPELINE_ORDER = [s.value for s in ProposalState]
MONEY_DECISIONS = (DecisionKind.GRANT, DecisionKind.COFUNDING)


def states_as_of(agreement, at: datetime.datetime) -> dict[int, str]:
    """{proposal id: state} for the agreement's proposals that existed at `at` (two queries, any size)."""
    states = {
        pk: S.DIALOG.value
        for pk in Proposal.objects.filter(agreement=agreement, created_at__lt=at).values_list("pk", flat=True)
    }
    rows = (
        ProposalTransition.objects.filter(proposal__agreement=agreement, at__lt=at)
        .order_by("at", "pk")
        .values_list("proposal_id", "target")
    )
    for proposal_id, target in rows.iterator(chunk_size=2000):
        if proposal_id in states:
            states[proposal_id] = target
    return states


def _local_date(value: datetime.datetime) -> str:
    return timezone.localtime(value).date().isoformat()


@register("pipeline")
def pipeline(agreement, quarter: Quarter) -> dict:
    now = Counter(states_as_of(agreement, quarter.ends_at()).values())
    before = Counter(states_as_of(agreement, quarter.starts_at()).values())
    labels = dict(ProposalState.choices)
    rows = [
        [str(labels[state]), now.get(state, 0), now.get(state, 0) - before.get(state, 0)]
        for state in PIPELINE_ORDER
        if now.get(state, 0) or before.get(state, 0)
    ]
    total_now, total_before = sum(now.values()), sum(before.values())
    shown = [row for row in rows if row[1]]
    return section(
        "pipeline",
        _("Pipeline per status"),
        intro=_(
            "Antal ärenden i varje status vid kvartalets slut (%(end)s), och förändringen sedan förra "
            "kvartalets slut."
        )
        % {"end": quarter.end.isoformat()},
        facts=[
            (_("Ärenden totalt"), total_now, "int"),
            (_("Förändring under kvartalet"), total_now - total_before, "int"),
        ],
        tables=[
            table(
                _("Ärenden per status"),
                [(_("Status"), "text"), (_("Antal"), "int"), (_("Förändring"), "int")],
                rows,
                total=[_("Totalt"), total_now, total_now - total_before],
            )
        ],
        charts=[
            chart(
                "bar",
                _("Ärenden per status vid kvartalets slut"),
                [row[0] for row in shown],
                [(_("Antal"), [row[1] for row in shown])],
            )
        ]
        if shown
        else [],
    )


def _entries(agreement, quarters: list[Quarter]) -> dict[Quarter, dict[str, int]]:
    """Per quarter: new ideas (created), pitches and submitted applications (distinct proposals entering)."""
    first, last = quarters[0].starts_at(), quarters[-1].ends_at()
    result = {q: {"ideas": 0, "pitches": 0, "applications": 0} for q in quarters}

    def quarter_of(moment):
        found = Quarter.of(timezone.localtime(moment).date())
        return found if found in result else None

    for created in Proposal.objects.filter(
        agreement=agreement, created_at__gte=first, created_at__lt=last
    ).values_list("created_at", flat=True):
        if q := quarter_of(created):
            result[q]["ideas"] += 1
    seen: set[tuple] = set()
    for proposal_id, target, at in (
        ProposalTransition.objects.filter(
            proposal__agreement=agreement, at__gte=first, at__lt=last, target__in=[S.PITCH, S.SUBMITTED]
        )
        .order_by("at", "pk")
        .values_list("proposal_id", "target", "at")
    ):
        q = quarter_of(at)
        if q is None or (q, proposal_id, target) in seen:
            continue
        seen.add((q, proposal_id, target))
        result[q]["pitches" if target == S.PITCH else "applications"] += 1
    return result


@register("new")
def new_proposals(agreement, quarter: Quarter) -> dict:
    quarters = quarter.last(4)
    entries = _entries(agreement, quarters)
    this = entries[quarter]
    ideas = (
        Proposal.objects.filter(
            agreement=agreement, created_at__gte=quarter.starts_at(), created_at__lt=quarter.ends_at()
        )
        .select_related("responsible_researcher")
        .order_by("created_at", "pk")
    )
    work_forms = dict(WorkForm.choices)
    return section(
        "new",
        _("Nya idéer, pitchar och ansökningar"),
        intro=_(
            "Nya idéer är ärenden registrerade under kvartalet; pitchar och ansökningar räknas när ärendet "
            "gick till pitch respektive skickades in."
        ),
        facts=[
            (_("Nya idéer"), this["ideas"], "int"),
            (_("Nya pitchar"), this["pitches"], "int"),
            (_("Inskickade ansökningar"), this["applications"], "int"),
        ],
        tables=[
            table(
                _("De fyra senaste kvartalen"),
                [
                    (_("Kvartal"), "text"),
                    (_("Nya idéer"), "int"),
                    (_("Nya pitchar"), "int"),
                    (_("Inskickade ansökningar"), "int"),
                ],
                [
                    [q.short_label, entries[q]["ideas"], entries[q]["pitches"], entries[q]["applications"]]
                    for q in quarters
                ],
            ),
            table(
                _("Nya idéer under kvartalet"),
                [
                    (_("Ärende"), "text"),
                    (_("Titel"), "text"),
                    (_("Arbetsform"), "text"),
                    (_("Registrerad"), "date"),
                ],
                [
                    [
                        p.reference,
                        p.title,
                        str(work_forms.get(p.work_form, p.work_form)),
                        _local_date(p.created_at),
                    ]
                    for p in ideas
                ],
            ),
        ],
        charts=[
            chart(
                "line",
                _("Inflöde per kvartal"),
                [q.short_label for q in quarters],
                [
                    (_("Nya idéer"), [entries[q]["ideas"] for q in quarters]),
                    (_("Nya pitchar"), [entries[q]["pitches"] for q in quarters]),
                    (_("Inskickade ansökningar"), [entries[q]["applications"] for q in quarters]),
                ],
            )
        ],
    )


@register("meetings")
def meetings_and_decisions(agreement, quarter: Quarter) -> dict:
    start, end = quarter.starts_at(), quarter.ends_at()
    meetings = list(
        Meeting.objects.filter(
            agreement=agreement,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED],
        )
        .select_related("body")
        .order_by("starts_at", "pk")
    )
    decisions = list(
        Decision.objects.filter(
            meeting__agreement=agreement,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
            created_at__lt=end,
        )
        .select_related("meeting", "proposal", "item")
        .order_by("meeting__starts_at", "paragraph")
    )
    amounts: dict[int, int] = defaultdict(int)
    per_year: dict[int, int] = defaultdict(int)
    for decision_id, kind, year, amount in DecisionAmount.objects.filter(
        decision__in=[d.pk for d in decisions]
    ).values_list("decision_id", "decision__kind", "year", "amount"):
        amounts[decision_id] += amount
        if kind in MONEY_DECISIONS:
            per_year[year] += amount
    kinds = dict(DecisionKind.choices)
    meeting_kinds = dict(MeetingKind.choices)
    granted = sum(amounts[d.pk] for d in decisions if d.kind in MONEY_DECISIONS)
    years = sorted(per_year)
    return section(
        "meetings",
        _("Möten och beslut"),
        intro=_("Genomförda möten under kvartalet och de beslut styrgruppen fattade, med belopp."),
        facts=[
            (_("Genomförda möten"), len(meetings), "int"),
            (_("Beslut"), len(decisions), "int"),
            (_("Beviljade projekt"), sum(1 for d in decisions if d.kind == DecisionKind.GRANT), "int"),
            (_("Beviljat belopp"), granted, "kr"),
        ],
        tables=[
            table(
                _("Genomförda möten"),
                [(_("Datum"), "date"), (_("Möte"), "text"), (_("Typ"), "text")],
                [
                    [_local_date(m.starts_at), m.title, str(meeting_kinds.get(m.kind, m.kind))]
                    for m in meetings
                ],
            ),
            table(
                _("Beslut"),
                [
                    (_("Datum"), "date"),
                    (_("Möte"), "text"),
                    (_("§"), "int"),
                    (_("Beslut"), "text"),
                    (_("Ärende"), "text"),
                    (_("Belopp"), "kr"),
                ],
                [
                    [
                        _local_date(d.meeting.starts_at),
                        d.meeting.title,
                        d.paragraph,
                        str(kinds.get(d.kind, d.kind)),
                        d.proposal.title if d.proposal else d.item.title,
                        amounts.get(d.pk, 0),
                    ]
                    for d in decisions
                ],
                total=[_("Summa"), "", None, "", "", sum(amounts.values())],
            ),
        ],
        charts=[
            chart(
                "bar",
                _("Beviljat belopp per budgetår"),
                [str(y) for y in years],
                [(_("Beviljat"), [per_year[y] for y in years])],
                unit="kr",
            )
        ]
        if years
        else [],
    )


@register("closures")
def closures(agreement, quarter: Quarter) -> dict:
    start, end = quarter.starts_at(), quarter.ends_at()
    rows = list(
        ProposalTransition.objects.filter(
            proposal__agreement=agreement,
            at__gte=start,
            at__lt=end,
            target__in=[S.CLOSING, S.CLOSED, S.ACTIVE],
        )
        .exclude(source=S.CLOSING, target=S.ACTIVE)
        .select_related("proposal")
        .order_by("at", "pk")
    )
    labels = {
        S.ACTIVE: _("Startat"),
        S.CLOSING: _("Slutredovisat"),
        S.CLOSED: _("Avslutat"),
    }
    started = sum(1 for r in rows if r.target == S.ACTIVE)
    final = sum(1 for r in rows if r.target == S.CLOSING)
    closed = sum(1 for r in rows if r.target == S.CLOSED)
    return section(
        "closures",
        _("Starter, slutredovisningar och avslut"),
        intro=_(
            "Projekt som startade, lämnade slutredovisning eller avslutades av styrgruppen under kvartalet."
        ),
        facts=[
            (_("Startade projekt"), started, "int"),
            (_("Slutredovisade projekt"), final, "int"),
            (_("Avslutade projekt"), closed, "int"),
        ],
        tables=[
            table(
                _("Händelser"),
                [(_("Datum"), "date"), (_("Ärende"), "text"), (_("Titel"), "text"), (_("Händelse"), "text")],
                [
                    [_local_date(r.at), r.proposal.reference, r.proposal.title, str(labels[r.target])]
                    for r in rows
                ],
            )
        ],
    )
