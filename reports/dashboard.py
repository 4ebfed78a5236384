"""Start-page sections with charts per role: processledare (pipeline, money, latest report), styrgrupp members
(what is waiting for a decision, money per year) and kommunikatörer (what is newly granted or closed and not
yet
published, upcoming events). Query counts do not grow with rows (aggregates and sliced lists)."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import END_STATES, ProposalState
from applications.models import Proposal
from governance.enums import DecisionKind
from governance.models import DecisionAmount
from samverkan import dashboard
from samverkan import permissions as core
from samverkan.enums import Role

from . import events, selectors
from .models import QuarterlyReport
from .sections import chart

LIMIT = 5


def _pipeline_chart(agreement_ids) -> dict | None:
    counts = dict(
        Proposal.objects.filter(agreement_id__in=agreement_ids)
        .exclude(state__in=END_STATES)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    labels = [(str(label), counts[value]) for value, label in ProposalState.choices if counts.get(value)]
    if not labels:
        return None
    return chart(
        "bar",
        _("Pågående ärenden per status"),
        [label for label, _n in labels],
        [(_("Antal"), [n for _l, n in labels])],
    )


def _money_chart(agreement_ids) -> dict | None:
    rows = (
        DecisionAmount.objects.filter(
            decision__meeting__agreement_id__in=agreement_ids,
            decision__kind__in=[DecisionKind.GRANT, DecisionKind.COFUNDING],
            decision__corrections__isnull=True,
        )
        .values("year")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    rows = list(rows)
    if not rows:
        return None
    return chart(
        "bar",
        _("Beviljat per budgetår"),
        [str(r["year"]) for r in rows],
        [(_("Beviljat"), [r["total"] for r in rows])],
        unit="kr",
    )


def _latest_report(agreement_ids):
    return (
        QuarterlyReport.objects.filter(agreement_id__in=agreement_ids, status="done")
        .defer("data")
        .order_by("-year", "-quarter")
        .first()
    )


@dashboard.deferred("portfolj")
def process_leader_section(request):
    """The portfolio's charts: they count every proposal and sum every decision, so they come after the
    page."""
    ids = core.agreement_ids_with_role(request.user, Role.PROCESS_LEADER)
    if not ids:
        return None

    def load():
        charts = [c for c in (_pipeline_chart(ids), _money_chart(ids)) if c]
        return {"charts": charts, "report": _latest_report(ids)}

    return dashboard.Section(
        _("Portfölj och ekonomi"), "reports/_dashboard_portfolio.html", order=60, key="portfolj", load=load
    )


def steering_section(request):
    ids = core.agreement_ids_with_role(request.user, Role.STEERING_MEMBER)
    if not ids:
        return None
    waiting = list(
        Proposal.objects.filter(agreement_id__in=ids, state=ProposalState.AWAITING_DECISION).order_by(
            "title"
        )[:LIMIT]
    )
    money = _money_chart(ids)
    return dashboard.Section(
        _("Att besluta och ekonomin"),
        "reports/_dashboard_steering.html",
        {"waiting": waiting, "charts": [money] if money else [], "report": _latest_report(ids)},
        order=61,
    )


def communicator_section(request):
    ids = core.agreement_ids_with_role(request.user, Role.COMMUNICATOR)
    if not ids:
        return None
    news = list(selectors.unpublished_news(request.user)[:LIMIT])
    upcoming = events.upcoming_public_events(agreement_ids=ids)[:LIMIT]
    return dashboard.Section(
        _("Att publicera och sprida"),
        "reports/_dashboard_communicator.html",
        {"news": news, "events": upcoming, "report": _latest_report(ids), "today": timezone.localdate()},
        order=62,
    )


def register_sections():
    dashboard.register(process_leader_section)
    dashboard.register(steering_section)
    dashboard.register(communicator_section)
