"""Reads of proposals for lists, boards, exports and the start page, filtered by the permission policy.

Every list here loads its related rows up front (select_related/prefetch_related), so that a page's query
count does not grow with the number of proposals. `next_steps.step` relies on what `my_proposals` and
`with_completeness_data` load.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber

from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.models import Organisation, RoleAssignment, User

from . import next_steps, permissions
from .enums import END_STATES, ProposalState
from .models import Proposal

S = ProposalState
# The lifecycle in order: the board's columns and the order of counts.
LIFECYCLE_STATES = [state for state in ProposalState if state not in END_STATES]


def with_related(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What a list row, a board card and a CSV line show, in a fixed number of queries."""
    return qs.select_related("agreement", "responsible_researcher", "responsible_officer").prefetch_related(
        Prefetch("municipal_organisations", queryset=Organisation.objects.order_by("name"))
    )


# What the completeness check reads (`Proposal.is_complete`: texts, template sections, budget rows).
COMPLETENESS_DATA = ("sections", "application_template__sections", "budget_rows")


def my_proposals(user) -> QuerySet[Proposal]:
    """Proposals where the user is on the team (`permissions.team_q`: responsible researcher, co-researcher
    or responsible tjänsteperson – the fields are the one source), with what every row's next step reads
    (`next_steps.step`: the proposal's own fields and the co-researchers). One indexed query, no joins that
    would duplicate rows. The completeness data is loaded afterwards, for the rows shown that need it
    (`with_completeness_data`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Proposal.objects.none()
    team = Proposal.objects.filter(permissions.team_q(user)).prefetch_related(
        Prefetch("researchers", queryset=User.objects.only("pk"))
    )
    return team.order_by("-updated_at", "-pk")


def with_completeness_data(proposals: Iterable[Proposal]) -> list[Proposal]:
    """The rows, with the completeness data prefetched (in one query per relation) for those whose next step
    depends on it (`next_steps.needs_completeness`) – a handful of a researcher's proposals, not all."""
    proposals = list(proposals)
    prefetch_related_objects([p for p in proposals if next_steps.needs_completeness(p)], *COMPLETENESS_DATA)
    return proposals


def pipeline_base(user) -> QuerySet[Proposal]:
    """All proposals of the agreements whose pipeline the user sees (processledare, kommunikatör)."""
    if not permissions.can_view_pipeline(user):
        return Proposal.objects.none()
    qs = Proposal.objects.all()
    agreement_ids = permissions.pipeline_agreement_ids(user)
    if agreement_ids is not None:
        qs = qs.filter(agreement_id__in=agreement_ids)
    return qs


def pipeline(user, filters: dict | None = None) -> QuerySet[Proposal]:
    """The user's pipeline, narrowed by `filters` (already validated values, see filters.PipelineFilterForm;
    keys: work_form, municipality, year, person, q, state – a missing or empty key is no filter)."""
    qs = pipeline_base(user)
    filters = filters or {}
    if filters.get("work_form"):
        qs = qs.filter(work_form=filters["work_form"])
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("municipality"):
        qs = filter_municipality(qs, filters["municipality"])
    if filters.get("year"):
        qs = filter_year(qs, filters["year"])
    if filters.get("person"):
        qs = filter_person(qs, filters["person"])
    if filters.get("q"):
        qs = filter_search(qs, filters["q"])
    return with_related(qs).order_by("-updated_at", "-pk")


# --- filters ------------------------------------------------------------------------------------------------


def _in_organisation(prefix: str, organisation: Organisation | int) -> Q:
    """The organisation itself or, for a municipality, one of its companies."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return Q(**{f"{prefix}organisation_id": pk}) | Q(**{f"{prefix}organisation__parent_id": pk})


def filter_municipality(qs: QuerySet[Proposal], organisation: Organisation | int) -> QuerySet[Proposal]:
    """Proposals that name the municipality (or one of its companies) among their municipal organisations,
    or whose responsible tjänsteperson works for it in the proposal's agreement."""
    named = Proposal.municipal_organisations.through.objects.filter(proposal_id=OuterRef("pk")).filter(
        _in_organisation("", organisation)
    )
    officer_works_there = RoleAssignment.objects.filter(
        user_id=OuterRef("responsible_officer_id"), agreement_id=OuterRef("agreement_id"), role=Role.OFFICER
    ).filter(_in_organisation("", organisation))
    return qs.filter(Exists(named) | Exists(officer_works_there))


def filter_year(qs: QuerySet[Proposal], year: int) -> QuerySet[Proposal]:
    """The year a proposal belongs to is the year of its planned start; a proposal without a planned start
    (an early idea) belongs to the year it was registered."""
    return qs.filter(Q(planned_start__year=year) | Q(planned_start__isnull=True, created_at__year=year))


def filter_person(qs: QuerySet[Proposal], person: User | int) -> QuerySet[Proposal]:
    """Proposals where the person is the responsible researcher or the responsible tjänsteperson."""
    pk = person if isinstance(person, int) else person.pk
    return qs.filter(Q(responsible_researcher_id=pk) | Q(responsible_officer_id=pk))


def _name_matches(prefix: str, term: str) -> Q:
    return (
        Q(**{f"{prefix}first_name__icontains": term})
        | Q(**{f"{prefix}last_name__icontains": term})
        | Q(**{f"{prefix}email__icontains": term})
    )


def filter_search(qs: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Every word must occur in the title, the reference or a team member's name (or e-mail)."""
    for term in text.split()[:10]:
        co_researcher = Proposal.researchers.through.objects.filter(proposal_id=OuterRef("pk")).filter(
            _name_matches("user__", term)
        )
        reference_pk = _reference_pk(term)
        qs = qs.filter(
            Q(title__icontains=term)
            | _name_matches("responsible_researcher__", term)
            | _name_matches("responsible_officer__", term)
            | Exists(co_researcher)
            | (Q(pk=reference_pk) if reference_pk else Q(pk__in=[]))
        )
    return qs


def _reference_pk(term: str) -> int | None:
    """ "SAM-2026-0042" (the reference shown everywhere) finds proposal 42."""
    parts = term.upper().split("-")
    if len(parts) == 3 and parts[0] == "SAM" and parts[2].isdigit():
        return int(parts[2])
    return None


# --- counts and choices -------------------------------------------------------------------------------------


def state_counts(qs: QuerySet[Proposal]) -> dict[str, int]:
    """Number of proposals per state (every state present, zero when none), in one query."""
    rows = (
        qs.prefetch_related(None).order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    counts = {state.value: 0 for state in ProposalState}
    counts.update(dict(rows))
    return counts


def municipality_choices(user) -> QuerySet[Organisation]:
    """Municipalities of the user's pipeline agreements and their companies, by name."""
    agreement_ids = permissions.pipeline_agreement_ids(user)
    parties = Organisation.objects.filter(municipal_agreements__isnull=False)
    if agreement_ids is not None:
        parties = parties.filter(municipal_agreements__in=agreement_ids)
    party_ids = parties.values("pk")
    return (
        Organisation.objects.filter(Q(pk__in=party_ids) | Q(parent_id__in=party_ids))
        .select_related("parent")
        .order_by("name")
    )


def responsible_people(user) -> QuerySet[User]:
    """People who are responsible researcher or tjänsteperson on a proposal in the user's pipeline."""
    proposals = pipeline_base(user)
    return User.objects.filter(
        Q(pk__in=proposals.values("responsible_researcher_id"))
        | Q(pk__in=proposals.filter(responsible_officer__isnull=False).values("responsible_officer_id"))
    ).order_by("last_name", "first_name", "email")


def pipeline_state_counts_and_version(user) -> tuple[dict[str, int], str]:
    """The unfiltered pipeline's count per state and, from the same query, its version: the number of
    proposals and the newest `updated_at` among them. Every service that changes a proposal (its team
    included) saves `updated_at`, and a new or deleted proposal changes the count, so the version moves
    whenever what the filter choices are built from moves."""
    rows = (
        pipeline_base(user)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"), last=Max("updated_at"))
        .values_list("state", "n", "last")
    )
    counts = {state.value: 0 for state in ProposalState}
    newest = None
    for state, n, last in rows:
        counts[state] = n
        newest = last if newest is None or (last and last > newest) else newest
    total = sum(counts.values())
    version = f"{total}-{newest.timestamp() if newest else 0}"
    return counts, version


# The person filter's choices for a pipeline version; a new version makes a new key (the old one expires).
PEOPLE_CHOICES_SECONDS = 3600


def responsible_people_cached(user, version: str) -> QuerySet[User]:
    """`responsible_people`, with the (costly: a scan of every proposal) list of who they are cached per
    set of agreements and pipeline version (see pipeline_state_counts_and_version) – never a global
    counter. The people themselves are read fresh by primary key, so a changed name shows at once. A
    cache that is down costs the scan, never the page."""
    agreement_ids = permissions.pipeline_agreement_ids(user)
    scope = "all" if agreement_ids is None else ",".join(str(pk) for pk in sorted(agreement_ids))
    key = f"applications:pipeline-people:{scope}:{version}"
    ids = None
    # The cache is an optimisation: Redis down must not stop the page.
    with contextlib.suppress(Exception):
        ids = cache.get(key)
    if ids is None:
        ids = list(responsible_people(user).values_list("pk", flat=True))
        with contextlib.suppress(Exception):
            cache.set(key, ids, PEOPLE_CHOICES_SECONDS)
    return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "email")


# --- start page ---------------------------------------------------------------------------------------------


def submitted_for_check(user) -> QuerySet[Proposal]:
    """Submitted proposals in the agreements where the user is processledare, oldest submission first."""
    agreement_ids = core.agreement_ids_with_role(user, Role.PROCESS_LEADER)
    return (
        Proposal.objects.filter(agreement_id__in=agreement_ids, state=S.SUBMITTED)
        .select_related("agreement", "responsible_researcher", "responsible_officer")
        .order_by("state_changed_at", "pk")
    )


# What a board card shows (templates/applications/_pipeline_cards.html) and nothing more: at 10 000 proposals
# the wide rows (summaries, research questions) and a model instance per card cost more to read and build
# than the cards show, so the cards are read as plain rows.
CARD_VALUES = (
    "pk",
    "title",
    "state",
    "work_form",
    "created_at",
    "responsible_researcher__first_name",
    "responsible_researcher__last_name",
    "responsible_researcher__email",
    "responsible_officer__first_name",
    "responsible_officer__last_name",
    "responsible_officer__email",
)


def card_rows(qs: QuerySet[Proposal]) -> QuerySet:
    """The proposals as board card rows (dicts of CARD_VALUES), in the queryset's order; slice or page it,
    then add the municipalities with `with_municipalities`."""
    return qs.select_related(None).prefetch_related(None).values(*CARD_VALUES)


def with_municipalities(rows: Iterable[dict]) -> list[dict]:
    """Each row gets "municipalities": the names of its municipal organisations, by name – one query for
    all rows."""
    rows = list(rows)
    names: dict[int, list[str]] = {row["pk"]: [] for row in rows}
    if names:
        through = Proposal.municipal_organisations.through.objects
        for proposal_id, name in (
            through.filter(proposal_id__in=list(names))
            .order_by("organisation__name")
            .values_list("proposal_id", "organisation__name")
        ):
            names[proposal_id].append(name)
    for row in rows:
        row["municipalities"] = names[row["pk"]]
    return rows


def _ordering(qs: QuerySet[Proposal]) -> list[str]:
    return list(qs.query.order_by or ("-updated_at", "-pk"))


# Stands in for the column's state while the per-column query is compiled; replaced by the LATERAL
# join's column in the SQL (never sent to the database).
_STATE_MARK = "\x00board-column-state\x00"


def _lateral_sql(qs: QuerySet[Proposal], limit: int, states: list[str]) -> tuple[str, list] | None:
    """PostgreSQL: the ids of the first `limit` proposals of each state, one index scan per state –
    `SELECT … FROM (VALUES …) s(state) CROSS JOIN LATERAL (… WHERE state = s.state ORDER BY … LIMIT n)`.
    The per-column query is the filtered queryset itself, compiled by Django. None when the compiled SQL
    cannot be taken apart safely (the caller then ranks with a window function)."""
    column = (
        qs.select_related(None)
        .prefetch_related(None)
        .filter(state=_STATE_MARK)
        .order_by(*_ordering(qs))
        .values("pk")[:limit]
    )
    sql, params = column.query.get_compiler(using=qs.db).as_sql()
    pieces = sql.split("%s")
    if len(pieces) != len(params) + 1 or list(params).count(_STATE_MARK) != 1:
        return None
    out, out_params = [pieces[0]], []
    for param, piece in zip(params, pieces[1:], strict=True):
        if param == _STATE_MARK:
            out.append("board_states.state")
        else:
            out.append("%s")
            out_params.append(param)
        out.append(piece)
    values = ", ".join("(%s)" for _ in states)
    return (
        f"SELECT board_column.* FROM (VALUES {values}) AS board_states(state) "
        f"CROSS JOIN LATERAL ({''.join(out)}) AS board_column",
        [*states, *out_params],
    )


def first_per_state(
    qs: QuerySet[Proposal], limit: int, states: Iterable[str] | None = None
) -> QuerySet[Proposal]:
    """The first `limit` proposals of each state in the queryset's order – what the board shows – in one
    query, so a pipeline of 10 000 proposals loads at most limit × states rows. On PostgreSQL a LATERAL
    join reads each column's first rows from the index `proposal_board_column` and stops; elsewhere
    (SQLite for `make run`) the database ranks narrow rows with ROW_NUMBER()."""
    states = [str(s) for s in (states if states is not None else ProposalState.values)]
    if connection.vendor == "postgresql" and states:
        lateral = _lateral_sql(qs, limit, states)
        if lateral is not None:
            return qs.filter(pk__in=RawSQL(*lateral))
    ordering = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in _ordering(qs)]
    rank = Window(RowNumber(), partition_by=[F("state")], order_by=ordering)
    # Rank narrow rows (the key, state and ordering fields), then load the whole card for the winners
    # only: ranking the wide rows of a 10 000-proposal pipeline sorted them all and spilled to disk.
    winners = (
        qs.select_related(None)
        .prefetch_related(None)
        .order_by()
        .filter(state__in=states)
        .annotate(board_rank=rank)
        .filter(board_rank__lte=limit)
        .values("pk")
    )
    return qs.filter(pk__in=winners)


def group_by_state(proposals: Iterable[Proposal]) -> dict[str, list[Proposal]]:
    groups: dict[str, list[Proposal]] = {state.value: [] for state in ProposalState}
    for proposal in proposals:
        groups.setdefault(proposal.state, []).append(proposal)
    return groups
