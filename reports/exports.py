"""Exports for kommunikatörer and processledare: CSV (UTF-8 with BOM, semicolons – Swedish Excel opens å/ä/ö
right) and XLSX, with Swedish column names. Rows are produced lazily and streamed, so a large export never
sits
in memory as a whole (XLSX is written in openpyxl's write-only mode to a temporary file)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from applications.models import Proposal
from governance.models import Decision
from samverkan.spreadsheets import XLSX_CONTENT_TYPE, csv_cell, new_workbook, text_cell

from . import selectors


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | int | kr | date


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    columns: list[Column]
    rows: Callable[[object, dict], Iterable[list]]


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _date(value) -> str:
    return value.isoformat() if value else ""


def _period(p: Proposal) -> str:
    if p.planned_start and p.planned_end:
        return f"{p.planned_start.isoformat()} – {p.planned_end.isoformat()}"
    return _date(p.planned_start)


def catalogue_rows(user, params: dict) -> Iterator[list]:
    from . import permissions

    projects = selectors.catalogue_projects(agreement_ids=permissions.export_agreement_ids(user)).order_by(
        "agreement__name", "title", "pk"
    )
    if params.get("published") == "1":
        projects = projects.filter(publication__published=True)
    numbers = selectors.diarienummer_by_proposal()
    for p in projects.iterator(chunk_size=500):
        parties = [p.agreement.university.name] + [o.name for o in p.municipal_organisations.all()]
        yield [
            p.reference,
            p.title,
            p.popular_summary,
            p.get_work_form_display(),
            ", ".join(parties),
            ", ".join([_person(p.responsible_researcher)] + [_person(u) for u in p.researchers.all()]),
            _person(p.responsible_officer),
            _period(p),
            int(p.granted_amount or 0),
            p.get_state_display(),
            ", ".join(numbers.get(p.pk, [])),
        ]


def decision_rows(user, params: dict) -> Iterator[list]:
    from . import permissions

    decisions = Decision.objects.select_related("meeting", "proposal", "item").prefetch_related("amounts")
    ids = permissions.export_agreement_ids(user)
    if ids is not None:
        decisions = decisions.filter(meeting__agreement_id__in=ids)
    for d in decisions.order_by("meeting__starts_at", "paragraph").iterator(chunk_size=500):
        amounts = list(d.amounts.all())
        yield [
            timezone.localtime(d.meeting.starts_at).date().isoformat(),
            d.meeting.title,
            d.paragraph,
            d.get_kind_display(),
            d.proposal.reference if d.proposal else "",
            d.proposal.title if d.proposal else d.item.title,
            d.text,
            sum(a.amount for a in amounts),
            ", ".join(f"{a.year}: {a.amount}" for a in amounts),
            str(_("Enligt förslag")) if d.by_acclamation else str(_("Votering")),
        ]


def pipeline_rows(user, params: dict) -> Iterator[list]:
    from applications import selectors as application_selectors
    from applications.filters import PipelineFilterForm

    form = PipelineFilterForm(params, user=user)
    proposals = application_selectors.pipeline(user, form.filters()).order_by(
        "agreement__name", "created_at", "pk"
    )
    for p in proposals.iterator(chunk_size=500):
        yield [
            p.reference,
            p.title,
            p.get_work_form_display(),
            p.get_state_display(),
            p.agreement.name,
            ", ".join(o.name for o in p.municipal_organisations.all()),
            _person(p.responsible_researcher),
            _person(p.responsible_officer),
            _date(p.planned_start),
            _date(p.planned_end),
        ]


DATASETS: dict[str, Dataset] = {
    "projektkatalog": Dataset(
        "projektkatalog",
        _("Projektkatalog"),
        [
            Column(_("Ärende")),
            Column(_("Titel")),
            Column(_("Populärvetenskaplig sammanfattning")),
            Column(_("Arbetsform")),
            Column(_("Parter")),
            Column(_("Forskare")),
            Column(_("Tjänsteperson")),
            Column(_("Period")),
            Column(_("Beviljat belopp (kr)"), "kr"),
            Column(_("Status")),
            Column(_("Diarienummer")),
        ],
        catalogue_rows,
    ),
    "beslut": Dataset(
        "beslut",
        _("Beslut"),
        [
            Column(_("Mötesdatum"), "date"),
            Column(_("Möte")),
            Column(_("Paragraf"), "int"),
            Column(_("Typ av beslut")),
            Column(_("Ärende")),
            Column(_("Rubrik")),
            Column(_("Beslutstext")),
            Column(_("Belopp (kr)"), "kr"),
            Column(_("Belopp per år")),
            Column(_("Beslutsform")),
        ],
        decision_rows,
    ),
    "pipeline": Dataset(
        "pipeline",
        _("Pipeline (filtrerad)"),
        [
            Column(_("Ärende")),
            Column(_("Titel")),
            Column(_("Arbetsform")),
            Column(_("Status")),
            Column(_("Avtal")),
            Column(_("Kommunala organisationer")),
            Column(_("Ansvarig forskare")),
            Column(_("Ansvarig tjänsteperson")),
            Column(_("Planerad start"), "date"),
            Column(_("Planerat slut"), "date"),
        ],
        pipeline_rows,
    ),
}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(dataset: Dataset, user, params: dict) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([str(c.label) for c in dataset.columns])
    for row in dataset.rows(user, params):
        yield writer.writerow([csv_cell(v) for v in row])


def filename(dataset: Dataset, extension: str) -> str:
    return f"{dataset.key}-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_response(dataset: Dataset, user, params: dict) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(dataset, user, params), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(dataset, "csv")}"'
    return response


def xlsx_response(dataset: Dataset, user, params: dict) -> FileResponse:
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(str(dataset.title)[:31])
    bold = Font(bold=True)
    sheet.append([text_cell(sheet, str(column.label), font=bold) for column in dataset.columns])
    for row in dataset.rows(user, params):
        sheet.append(
            [
                text_cell(sheet, value, number_format='#,##0 "kr"') if column.kind == "kr" else value
                for value, column in zip(row, dataset.columns, strict=True)
            ]
        )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 – FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename(dataset, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


def event_rows(user, params: dict) -> Iterator[list]:
    from followup.models import DisseminationEvent

    from . import permissions

    events = DisseminationEvent.objects.select_related("agreement").prefetch_related(
        "presentations__proposal"
    )
    ids = permissions.export_agreement_ids(user)
    if ids is not None:
        events = events.filter(agreement_id__in=ids)
    for event in events.order_by("starts_at").iterator(chunk_size=200):
        start = timezone.localtime(event.starts_at)
        presentations = list(event.presentations.all())
        yield [
            start.date().isoformat(),
            f"{start:%H.%M}–{timezone.localtime(event.ends_at):%H.%M}",
            event.title,
            event.location,
            event.agreement.name,
            len(presentations),
            "; ".join(f"{p.title} ({p.proposal.title})" for p in presentations),
            str(_("Ja")) if event.is_public else str(_("Nej")),
        ]


DATASETS["handelser"] = Dataset(
    "handelser",
    _("Resultatspridningstillfällen"),
    [
        Column(_("Datum"), "date"),
        Column(_("Tid")),
        Column(_("Rubrik")),
        Column(_("Plats")),
        Column(_("Avtal")),
        Column(_("Antal presentationer"), "int"),
        Column(_("Presentationer")),
        Column(_("Öppet för allmänheten")),
    ],
    event_rows,
)
