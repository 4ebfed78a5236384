"""Reads of proposals for lists, boards, exports and the start page, filtered by the permission policy.

Every list here loads its related rows up front (select_related/prefetch_related), so that a page's query
count does not grow with the number of proposals. `next_steps.next_step` relies on what is prefetched here.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.models import Organisation, RoleAssignment, User

from . import permissions
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


def with_next_step_data(qs: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Also what `next_steps.next_step` reads: the co-researchers (the user's role in the team) and what the
    completeness check reads (`Proposal.is_complete`: texts, template sections, budget rows)."""
    return (
        with_related(qs)
        .select_related("application_template")
        .prefetch_related("researchers", "sections", "application_template__sections", "budget_rows")
    )


def _co_researcher_of(user) -> Q:
    through = Proposal.researchers.through
    return Q(pk__in=through.objects.filter(user_id=user.pk).values("proposal_id"))


def my_proposals(user) -> QuerySet[Proposal]:
    """Proposals where the user is on the team: responsible researcher, co-researcher or responsible
    tjänsteperson (the people who hold `applications.change_proposal` on it; the services keep the
    object permissions in step with these fields). Read from the fields: one indexed query, no joins that
    would duplicate rows."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Proposal.objects.none()
    team = Q(responsible_researcher_id=user.pk) | Q(responsible_officer_id=user.pk) | _co_researcher_of(user)
    return with_next_step_data(Proposal.objects.filter(team)).order_by("-updated_at", "-pk")


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


# --- start page ---------------------------------------------------------------------------------------------


def submitted_for_check(user) -> QuerySet[Proposal]:
    """Submitted proposals in the agreements where the user is processledare, oldest submission first."""
    agreement_ids = core.agreement_ids_with_role(user, Role.PROCESS_LEADER)
    return (
        Proposal.objects.filter(agreement_id__in=agreement_ids, state=S.SUBMITTED)
        .select_related("agreement", "responsible_researcher", "responsible_officer")
        .order_by("state_changed_at", "pk")
    )


def first_per_state(qs: QuerySet[Proposal], limit: int) -> QuerySet[Proposal]:
    """The first `limit` proposals of each state in the queryset's order – what the board shows – in one
    query: the database ranks the rows, so a pipeline of 10 000 proposals loads at most limit × states."""
    order = qs.query.order_by or ("-updated_at", "-pk")
    ordering = [F(o[1:]).desc() if o.startswith("-") else F(o).asc() for o in order]
    rank = Window(RowNumber(), partition_by=[F("state")], order_by=ordering)
    # Rank narrow rows (the key, state and ordering fields), then load the whole card for the winners
    # only: ranking the wide rows of a 10 000-proposal pipeline sorted them all and spilled to disk.
    winners = (
        qs.select_related(None)
        .prefetch_related(None)
        .order_by()
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
