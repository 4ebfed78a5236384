"""Lists of proposals: "Mina ärenden" for the team, the pipeline board and its CSV export for staff."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from samverkan.http import require
from samverkan.spreadsheets import csv_cell

from .. import next_steps, permissions, selectors
from ..enums import END_STATES, ProposalState, WorkForm
from ..filters import PipelineFilterForm
from ..models import Proposal

# "Mina ärenden" shows this many proposals per page; a researcher on many proposals pages through them.
MY_PROPOSALS_PER_PAGE = 25
# A column shows this many cards; "Visa fler" loads as many again, and "Visa alla" opens the state's pages.
BOARD_COLUMN_LIMIT = 12
# The pipeline filtered to one state ("Visa alla") shows this many cards per page.
STATE_PAGE_SIZE = 25


@require_GET
@login_required
def my_proposals(request):
    """ "Mina ärenden": the proposals where the user is on the team, with what is expected of them next."""
    user = request.user
    require(user, permissions.can_view_my_proposals)
    # The paginator slices the queryset, so the prefetches and the next step run for this page's rows only.
    page = Paginator(selectors.my_proposals(user), MY_PROPOSALS_PER_PAGE).get_page(request.GET.get("sida"))
    page.object_list = selectors.with_completeness_data(page.object_list)
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


class _CountedPaginator(Paginator):
    """A paginator told the count the board already has (state_counts), instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _card_labels() -> dict:
    return {
        "work_form": _("Arbetsform"),
        "municipality": _("Kommun"),
        "researcher": _("Forskare"),
        "officer": _("Tjänsteperson"),
        "missing": _("Saknas"),
    }


def _person_name(row: dict, prefix: str) -> str:
    # As User.get_full_name, falling back to the e-mail address.
    full = f"{row[prefix + 'first_name'] or ''} {row[prefix + 'last_name'] or ''}".strip()
    return full or row[prefix + "email"] or ""


def _cards(rows) -> list[dict]:
    """What the cards show, computed here once from plain rows (selectors.card_rows): a template's
    lookups, filters and gettext per card, and a model instance per card, cost more than the card's own
    data when a board shows a hundred of them."""
    rows = selectors.with_municipalities(rows)
    # One reverse() for the board; each card's address differs only in its number.
    marker = 999999999
    url = reverse("applications:proposal_detail", args=[marker])
    head, tail = url.split(str(marker))
    return [
        {
            "title": row["title"],
            "url": f"{head}{row['pk']}{tail}",
            "reference": Proposal.reference.fget(SimpleNamespace(pk=row["pk"], created_at=row["created_at"])),
            "work_form": WorkForm(row["work_form"]).label if row["work_form"] else "",
            "municipalities": ", ".join(row["municipalities"]),
            "researcher": _person_name(row, "responsible_researcher__"),
            "officer": _person_name(row, "responsible_officer__"),
        }
        for row in rows
    ]


def _column(state, counts: dict[str, int], cards, *, next_from: int | None = None) -> dict:
    count = counts[state.value]
    return {
        "state": state.value,
        "label": state.label,
        "count": count,
        "count_label": _count_label(count),
        "cards": cards,
        # "Visa fler" loads the next cards from here (htmx); without JavaScript it opens the state's pages.
        "next_from": next_from if next_from is not None and next_from < count else None,
        "ended": state in END_STATES,
        "first_ended": state == END_STATES[0],
    }


def _board(proposals, counts: dict[str, int], *, state: str | None, page_number) -> dict:
    """A column per state: the lifecycle in order, then the end states (shown collapsed).

    Without a state filter each column shows its first BOARD_COLUMN_LIMIT cards, read in one query (a
    LATERAL … LIMIT per column on PostgreSQL); with one ("Visa alla") that state's column is paged,
    STATE_PAGE_SIZE cards a page, and the other columns are empty."""
    page = None
    if state:
        paginator = _CountedPaginator(
            selectors.card_rows(proposals), STATE_PAGE_SIZE, count=counts.get(state, 0)
        )
        page = paginator.get_page(page_number)
        groups = {state: _cards(page.object_list)}
    else:
        nonempty = [s for s, n in counts.items() if n]
        rows = (
            list(selectors.card_rows(selectors.first_per_state(proposals, BOARD_COLUMN_LIMIT, nonempty)))
            if nonempty
            else []
        )
        groups = {s: [] for s in counts}
        for card, row in zip(_cards(rows), rows, strict=True):
            groups[row["state"]].append(card)
    columns = [
        _column(
            s,
            counts,
            groups.get(s.value, []),
            next_from=None if state else BOARD_COLUMN_LIMIT,
        )
        for s in [*selectors.LIFECYCLE_STATES, *END_STATES]
    ]
    ended_count = sum(counts[s.value] for s in END_STATES)
    return {
        "columns": columns,
        "ended_count": ended_count,
        "ended_count_label": _count_label(ended_count),
        "total": sum(counts.values()),
        "page": page,
        "labels": _card_labels(),
    }


def _more_cards(request, proposals, state: str):
    """htmx "Visa fler": the next BOARD_COLUMN_LIMIT cards of one column, appended to it, and the column's
    "Visa fler" link replaced (out of band) by one for the cards after those, or removed."""
    try:
        start = max(0, int(request.GET.get("fran", "")))
    except ValueError:
        start = BOARD_COLUMN_LIMIT
    column = selectors.card_rows(proposals.filter(state=state))
    # One row past the batch says whether there are more, without counting the column again.
    cards = list(column[start : start + BOARD_COLUMN_LIMIT + 1])
    more = len(cards) > BOARD_COLUMN_LIMIT
    context = {
        "labels": _card_labels(),
        "column": {
            "state": state,
            "label": ProposalState(state).label,
            "next_from": start + BOARD_COLUMN_LIMIT if more else None,
            "cards": _cards(cards[:BOARD_COLUMN_LIMIT]),
        },
    }
    response = render(request, "applications/_pipeline_more.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def pipeline(request):
    """The pipeline board: every proposal of the user's agreements in a column per state, filterable.
    An htmx request from the filter form gets the board only (its URL is pushed, so it can be shared);
    one from a column's "Visa fler" gets that column's next cards."""
    user = request.user
    require(user, permissions.can_view_pipeline)
    form = PipelineFilterForm(request.GET, user=user)
    htmx = getattr(request, "htmx", None)
    more_state = request.GET.get("kolumn", "")
    if htmx and more_state in ProposalState.values and not request.GET.get("state"):
        return _more_cards(request, selectors.pipeline(user, form.filters()), more_state)
    # The unfiltered counts carry the pipeline's version, which keys the cached person choices.
    counts, version = selectors.pipeline_state_counts_and_version(user)
    form.fields["person"].queryset = selectors.responsible_people_cached(user, version)
    filters = form.filters()
    proposals = selectors.pipeline(user, filters)
    if filters:
        counts = selectors.state_counts(proposals)
    context = {
        "form": form,
        "ignored": form.ignored_messages(),
        "filtered": bool(filters),
        **_board(proposals, counts, state=filters.get("state"), page_number=request.GET.get("sida")),
    }
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
    require(user, permissions.can_view_pipeline)
    form = PipelineFilterForm(request.GET, user=user)
    proposals = selectors.pipeline(user, form.filters()).order_by("agreement__name", "created_at", "pk")
    response = StreamingHttpResponse(_csv_lines(proposals), content_type="text/csv; charset=utf-8")
    filename = f"pipeline-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
