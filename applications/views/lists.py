"""Lists of proposals: "Mina ärenden" for the team, the pipeline board and its CSV export for staff."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from samverkan.spreadsheets import csv_cell

from .. import next_steps, permissions, selectors
from ..enums import END_STATES
from ..filters import PipelineFilterForm

# "Mina ärenden" shows this many proposals per page; a researcher on many proposals pages through them.
MY_PROPOSALS_PER_PAGE = 25
# A column shows this many cards; the rest are one click away (the column's state as a filter).
BOARD_COLUMN_LIMIT = 25


@require_GET
@login_required
def my_proposals(request):
    """ "Mina ärenden": the proposals where the user is on the team, with what is expected of them next."""
    user = request.user
    if not permissions.can_view_my_proposals(user):
        raise PermissionDenied
    # The paginator slices the queryset, so the prefetches and the next step run for this page's rows only.
    page = Paginator(selectors.my_proposals(user), MY_PROPOSALS_PER_PAGE).get_page(request.GET.get("sida"))
    rows = [
        {
            "proposal": proposal,
            "role": next_steps.team_role(proposal, user),
            "step": next_steps.step(proposal, user),
        }
        for proposal in page
    ]
    return render(request, "applications/my_proposals.html", {"rows": rows, "page": page})


def _count_label(count: int) -> str:
    return ngettext("%(n)d ärende", "%(n)d ärenden", count) % {"n": count}


def _board(proposals, counts: dict[str, int], *, show_all: bool) -> dict:
    """A column per state: the lifecycle in order, then the end states (shown collapsed)."""
    limit = None if show_all else BOARD_COLUMN_LIMIT
    # Load only the cards shown (the counts come from state_counts): 10 000 proposals must not be fetched
    # to show 25 per column.
    groups = selectors.group_by_state(
        proposals if limit is None else selectors.first_per_state(proposals, limit)
    )
    columns = []
    for state in [*selectors.LIFECYCLE_STATES, *END_STATES]:
        cards = groups[state.value]
        ended = state in END_STATES
        columns.append(
            {
                "state": state.value,
                "label": state.label,
                "count": counts[state.value],
                "count_label": _count_label(counts[state.value]),
                "cards": cards[:limit],
                "hidden": max(0, counts[state.value] - limit) if limit else 0,
                "ended": ended,
                "first_ended": state == END_STATES[0],
            }
        )
    ended_count = sum(counts[state.value] for state in END_STATES)
    return {
        "columns": columns,
        "ended_count": ended_count,
        "ended_count_label": _count_label(ended_count),
        "total": sum(counts.values()),
    }


@require_GET
@login_required
def pipeline(request):
    """The pipeline board: every proposal of the user's agreements in a column per state, filterable.
    An htmx request from the filter form gets the board only (its URL is pushed, so it can be shared)."""
    user = request.user
    if not permissions.can_view_pipeline(user):
        raise PermissionDenied
    form = PipelineFilterForm(request.GET, user=user)
    filters = form.filters()
    proposals = selectors.pipeline(user, filters)
    counts = selectors.state_counts(proposals)
    context = {
        "form": form,
        "ignored": form.ignored_messages(),
        "filtered": bool(filters),
        **_board(proposals, counts, show_all="state" in filters),
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request
    template = "applications/_pipeline_board.html" if partial else "applications/pipeline.html"
    response = render(request, template, {**context, "partial": partial})
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- CSV export ---------------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "Ärende",
    "Titel",
    "Arbetsform",
    "Status",
    "Avtal",
    "Kommunala organisationer",
    "Ansvarig forskare",
    "Ansvarig tjänsteperson",
    "Planerad start",
    "Planerat slut",
    "Senast ändrad",
]


class _Echo:
    """csv.writer writes into this and gets the line back, so that rows can be streamed one by one."""

    def write(self, value: str) -> str:
        return value


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _csv_lines(proposals) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for p in proposals.iterator(chunk_size=500):
        yield writer.writerow(
            [
                csv_cell(v)
                for v in (
                    p.reference,
                    p.title,
                    p.get_work_form_display(),
                    p.get_state_display(),
                    p.agreement.name,
                    ", ".join(org.name for org in p.municipal_organisations.all()),
                    _person(p.responsible_researcher),
                    _person(p.responsible_officer),
                    p.planned_start.isoformat() if p.planned_start else "",
                    p.planned_end.isoformat() if p.planned_end else "",
                    timezone.localtime(p.updated_at).strftime("%Y-%m-%d %H:%M"),
                )
            ]
        )


@require_GET
@login_required
def pipeline_csv(request):
    """The filtered pipeline as CSV for Swedish Excel: UTF-8 with BOM, semicolons, Swedish headings."""
    user = request.user
    if not permissions.can_view_pipeline(user):
        raise PermissionDenied
    form = PipelineFilterForm(request.GET, user=user)
    proposals = selectors.pipeline(user, form.filters()).order_by("agreement__name", "created_at", "pk")
    response = StreamingHttpResponse(_csv_lines(proposals), content_type="text/csv; charset=utf-8")
    filename = f"pipeline-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
