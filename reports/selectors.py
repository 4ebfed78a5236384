"""Reads for reports, exports, the public catalogue and communication plans (permission-filtered)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from applications.enums import ProposalState
from applications.models import Proposal, ProposalTemplate
from governance.enums import DecisionKind
from governance.models import Decision, DecisionAmount, DocumentCopy
from samverkan import permissions as core
from samverkan.enums import Role
from samverkan.models import Agreement, Organisation

from . import permissions
from .models import CommunicationPlan, QuarterlyReport
from .periods import Quarter

S = ProposalState
# Projects the catalogue can show: granted onwards (never an application under review).
CATALOGUE_STATES = [S.GRANTED, S.ACTIVE, S.CLOSING, S.CLOSED]
MONEY_DECISIONS = [DecisionKind.GRANT, DecisionKind.COFUNDING]


def _by_ids(qs: QuerySet, ids: set[int] | None, field: str = "pk") -> QuerySet:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def report_agreements(user) -> QuerySet[Agreement]:
    return _by_ids(Agreement.objects.all(), permissions.report_agreement_ids(user)).order_by("name")


def reports_for(user) -> QuerySet[QuarterlyReport]:
    return _by_ids(
        QuarterlyReport.objects.select_related("agreement", "requested_by").defer("data"),
        permissions.report_agreement_ids(user),
        "agreement_id",
    ).order_by("agreement__name", "-year", "-quarter")


def reportable_quarters(agreement: Agreement, today) -> list[Quarter]:
    """Ended quarters within the agreement's period, newest first."""
    last = Quarter.of(today).previous()
    first = Quarter.of(agreement.starts_on)
    quarters = []
    q = last
    while q >= first and len(quarters) < 40:
        if q.start <= agreement.ends_on:
            quarters.append(q)
        q = q.previous()
    return quarters


# --- money and documents per proposal ----


def granted_amount_subquery():
    """Kronor granted to the proposal by its (uncorrected) grant and co-funding decisions."""
    return Coalesce(
        Subquery(
            DecisionAmount.objects.filter(
                decision__proposal=OuterRef("pk"),
                decision__kind__in=MONEY_DECISIONS,
            )
            .exclude(Exists(Decision.objects.filter(supersedes=OuterRef("decision"))))
            .values("decision__proposal")
            .annotate(total=Sum("amount"))
            .values("total")[:1]
        ),
        Value(0),
    )


def diarienummer_by_proposal(proposal_ids=None) -> dict[int, list[str]]:
    rows = DocumentCopy.objects.exclude(diarienummer="")
    if proposal_ids is not None:
        rows = rows.filter(document__decision__proposal_id__in=proposal_ids)
    result: dict[int, list[str]] = {}
    for proposal_id, number in rows.order_by("number").values_list(
        "document__decision__proposal_id", "diarienummer"
    ):
        result.setdefault(proposal_id, []).append(number)
    return result


# --- catalogue ----


def catalogue_projects(user_or_none=None, agreement_ids: set[int] | None = None) -> QuerySet[Proposal]:
    """Projects from granted onwards with everything the catalogue and its export show."""
    qs = Proposal.objects.filter(state__in=CATALOGUE_STATES)
    if agreement_ids is not None:
        qs = qs.filter(agreement_id__in=agreement_ids)
    return (
        qs.select_related(
            "agreement__university", "responsible_researcher", "responsible_officer", "publication"
        )
        .prefetch_related(
            Prefetch("municipal_organisations", queryset=Organisation.objects.select_related("parent")),
            "researchers",
        )
        .annotate(granted_amount=granted_amount_subquery())
    )


def public_projects(filters: dict) -> QuerySet[Proposal]:
    """Only what a kommunikatör published, and only granted, active or closed projects."""
    qs = catalogue_projects().filter(publication__published=True)
    if text := filters.get("q"):
        qs = qs.filter(Q(title__icontains=text) | Q(popular_summary__icontains=text))
    if work_form := filters.get("work_form"):
        qs = qs.filter(work_form=work_form)
    if organisation := filters.get("municipality"):
        qs = qs.filter(
            Q(municipal_organisations=organisation) | Q(municipal_organisations__parent=organisation)
        ).distinct()
    if status := filters.get("status"):
        qs = qs.filter(state__in=PUBLIC_STATUS[status][1])
    return qs.order_by("-publication__published_at", "title")


PUBLIC_STATUS = {
    "pagaende": ("Pågående", [S.GRANTED, S.ACTIVE]),
    "avslutade": ("Avslutade", [S.CLOSING, S.CLOSED]),
}


def public_municipalities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(municipal_agreements__isnull=False).distinct().order_by("name")


def public_templates() -> QuerySet[ProposalTemplate]:
    return (
        ProposalTemplate.objects.filter(is_current=True)
        .select_related("agreement")
        .order_by("agreement__name", "stage", "work_form")
    )


def publishable_projects(user) -> QuerySet[Proposal]:
    ids = None if core.is_superuser(user) else core.agreement_ids_with_role(user, Role.COMMUNICATOR)
    return catalogue_projects(agreement_ids=ids).order_by("-state_changed_at", "title")


def unpublished_news(user) -> QuerySet[Proposal]:
    """Newly granted or closed projects the kommunikatör has not published yet."""
    return publishable_projects(user).filter(
        Q(publication__isnull=True) | Q(publication__published=False),
        state__in=[S.GRANTED, S.ACTIVE, S.CLOSED],
    )


# --- communication plans ----


def plans_for(user) -> QuerySet[CommunicationPlan]:
    return _by_ids(
        CommunicationPlan.objects.select_related("agreement", "agenda_item__meeting"),
        permissions.report_agreement_ids(user),
        "agreement_id",
    ).order_by("agreement__name", "-year")


def plan_decision(plan: CommunicationPlan) -> Decision | None:
    if plan.agenda_item_id is None:
        return None
    return (
        Decision.objects.filter(item_id=plan.agenda_item_id, kind=DecisionKind.COMMUNICATION_PLAN)
        .select_related("meeting")
        .prefetch_related("amounts")
        .order_by("-created_at")
        .first()
    )


def effect_goal_names(agreement_id: int) -> list[str]:
    """The agreement's effect goals and KPIs (follow-up app), offered when linking a communication goal."""
    from followup.models import EffectGoal

    return list(
        EffectGoal.objects.filter(agreement_id=agreement_id)
        .order_by("order", "pk")
        .values_list("name", flat=True)
    )
