"""The agreement's economy: overview (charts, XLSX), frames, a project's drill-down with disbursements, and
the import of actual costs. Thin views: permission → service → redirect with a Swedish message."""

from __future__ import annotations

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Proposal
from samverkan.http import require
from samverkan.models import Agreement
from samverkan.templatetags.money import format_kr

from .. import charts, permissions, selectors, services
from ..enums import LineKind
from ..exports import economy as exports_economy
from ..forms import apply_errors
from ..forms.economy import NEW_LINE_ROWS, DisbursementForm, SpendingImportForm, new_lines_from_post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _agreement(request, pk, *, manage: bool = False) -> Agreement:
    agreement = get_object_or_404(Agreement, pk=pk)
    check = permissions.can_manage_economy if manage else permissions.can_view_economy
    require(request.user, check, agreement)
    return agreement


@login_required
@require_GET
def economy_index(request):
    require(request.user, permissions.can_see_economy_anywhere)
    ids = permissions.economy_agreement_ids(request.user)
    agreements = Agreement.objects.order_by("name")
    if ids is not None:
        agreements = agreements.filter(pk__in=ids)
    agreements = list(agreements)
    if len(agreements) == 1:
        agreement = agreements[0]
        return redirect("budget:overview", pk=agreement.pk, year=selectors.default_year(agreement))
    return render(
        request,
        "budget/economy_index.html",
        {"agreements": [(a, selectors.default_year(a)) for a in agreements]},
    )


def _as_of(request) -> datetime.date | None:
    text = request.GET.get("per", "")
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        messages.error(request, _("Datumet ”%(d)s” kunde inte läsas – visar läget i dag.") % {"d": text})
        return None


def _charts(overview) -> list:
    year_rows = [
        (str(y.year), [y.figures.frame, y.figures.committed, y.figures.disbursed]) for y in overview.years
    ]
    municipality_rows = [
        (
            row.label if row.label != "—" else _("Ingen kommun"),
            [row.figures.committed, row.figures.disbursed, row.figures.spent],
        )
        for row in overview.municipalities
    ]
    return [
        charts.bar_chart(
            "chart-years",
            _("Ram, beslutat och utbetalt per år"),
            _(
                "Stapeldiagram med avtalets ram, beslutade medel och utbetalda medel för varje år. "
                "Samma siffror finns i tabellen under diagrammet."
            ),
            [_("Ram"), _("Beslutat"), _("Utbetalt")],
            year_rows,
        ),
        charts.bar_chart(
            "chart-municipalities",
            _("Beslutat, utbetalt och förbrukat per kommun %(year)s") % {"year": overview.year},
            _(
                "Stapeldiagram per kommun. Projekt med flera kommuner delas lika mellan dem. "
                "Samma siffror finns i tabellen under diagrammet."
            ),
            [_("Beslutat"), _("Utbetalt"), _("Förbrukat")],
            municipality_rows,
            colours=charts.COLOURS[1:],
        ),
    ]


@login_required
@require_GET
def overview(request, pk, year):
    agreement = _agreement(request, pk)
    as_of = _as_of(request)
    data = selectors.economy_overview(agreement, year, as_of=as_of)
    years = sorted(set(selectors.frame_years(agreement)) | {y.year for y in data.years} | {year})
    return render(
        request,
        "budget/economy_overview.html",
        {
            "agreement": agreement,
            "overview": data,
            "charts": _charts(data),
            "years": years,
            "as_of_param": request.GET.get("per", "") if as_of else "",
            "can_manage": permissions.can_manage_economy(request.user, agreement),
            "next_year": max(years) + 1,
        },
    )


@login_required
@require_GET
def overview_xlsx(request, pk, year):
    agreement = _agreement(request, pk)
    data = selectors.economy_overview(agreement, year, as_of=_as_of(request))
    response = HttpResponse(exports_economy.overview_workbook(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ekonomi-{agreement.pk}-{year}.xlsx"'
    return response


@login_required
@require_GET
def frame_new(request, pk):
    agreement = _agreement(request, pk, manage=True)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        messages.error(request, _("Ange året med fyra siffror, t.ex. 2027."))
        return redirect("budget:economy")
    if not 2000 <= year <= 2100:
        messages.error(request, _("Ange ett år mellan 2000 och 2100."))
        return redirect("budget:overview", pk=agreement.pk, year=selectors.default_year(agreement))
    return redirect("budget:frame_detail", pk=agreement.pk, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def frame_detail(request, pk, year):
    agreement = _agreement(request, pk, manage=True)
    frame, rows = selectors.frame_inputs(agreement, year)
    errors: list[str] = []
    new_rows = new_lines_from_post(request.POST) if request.method == "POST" else new_lines_from_post({})
    if request.method == "POST":
        amounts = {row.line.pk: request.POST.get(row.name, "") for row in rows}
        try:
            services.frame_save(
                agreement=agreement,
                year=year,
                by=request.user,
                amounts=amounts,
                new_lines=new_rows,
                note=request.POST.get("note", ""),
            )
        except ValidationError as error:
            by_name = error.message_dict
            for row in rows:
                row.value = amounts[row.line.pk]
                row.errors = by_name.get(row.name, [])
            for index, new in enumerate(new_rows):
                new["errors"] = [
                    m
                    for key in ("name", "area", "kind", "amount")
                    for m in by_name.get(f"new-{index}-{key}", [])
                ]
            errors = [m for messages_ in by_name.values() for m in messages_]
        else:
            messages.success(request, _("Budgetramen för %(year)s är sparad.") % {"year": year})
            return redirect("budget:overview", pk=agreement.pk, year=year)
    return render(
        request,
        "budget/frame_form.html",
        {
            "agreement": agreement,
            "year": year,
            "frame": frame,
            "rows": rows,
            "new_rows": [(index, row) for index, row in enumerate(new_rows[:NEW_LINE_ROWS])],
            "kinds": LineKind.choices,
            "areas": sorted({row.line.area for row in rows}),
            "errors": errors,
            "note": request.POST.get("note", frame.note if frame else ""),
        },
    )


def _project(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("agreement"), pk=pk)
    require(request.user, permissions.can_view_project_economy, proposal)
    return proposal


@login_required
@require_GET
def project_economy(request, pk):
    proposal = _project(request, pk)
    return _render_project(request, proposal, DisbursementForm(initial={"paid_on": timezone.localdate()}))


def _render_project(request, proposal, form, status=200):
    data = selectors.project_economy(proposal)
    can_manage = permissions.can_manage_economy(request.user, proposal.agreement_id)
    if not form.is_bound and data.years:
        form.initial.setdefault(
            "year", next((y.year for y in data.years if y.left_to_disburse > 0), data.years[0].year)
        )
    return render(
        request,
        "budget/project_economy.html",
        {
            "proposal": proposal,
            "economy": data,
            "form": form,
            "can_manage": can_manage,
            "can_view_overview": permissions.can_view_economy(request.user, proposal.agreement_id),
        },
        status=status,
    )


@login_required
@require_POST
def disbursement_create(request, pk):
    proposal = _project(request, pk)
    require(request.user, permissions.can_manage_economy, proposal.agreement_id)
    form = DisbursementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            disbursement = services.disbursement_create(
                proposal=proposal,
                year=data["year"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                reference=data["reference"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Utbetalningen på %(amount)s är registrerad.") % {"amount": format_kr(disbursement.amount)},
            )
            return redirect("budget:project_economy", pk=proposal.pk)
    return _render_project(request, proposal, form, status=400)


def _staged_key(agreement) -> str:
    return f"budget:spending-import:{agreement.pk}"


def _import_done(request, agreement, result):
    messages.success(
        request,
        _("Importen är klar: %(rows)s rader för %(projects)s projekt, totalt %(total)s.")
        % {"rows": result.rows, "projects": result.projects, "total": format_kr(result.total)},
    )
    return redirect("budget:overview", pk=agreement.pk, year=selectors.default_year(agreement))


@login_required
@require_http_methods(["GET", "POST"])
def spending_import(request, pk):
    """Upload → check → (if imported costs would be replaced) preview → confirm. The preview is kept in the
    session under a token; confirming carries it out only if nothing changed in between."""
    agreement = _agreement(request, pk, manage=True)
    if request.method == "POST" and "token" in request.POST:
        return _spending_import_confirm(request, agreement)
    form = SpendingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = services.spending_import_preview(
                agreement=agreement, filename=upload.name, content=upload.read(), by=request.user
            )
            if not plan.replaces_anything:
                result = services.spending_import_apply(agreement=agreement, plan=plan, by=request.user)
                return _import_done(request, agreement, result)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            token = secrets.token_urlsafe(16)
            request.session[_staged_key(agreement)] = {"token": token, "plan": plan.as_data()}
            return render(
                request,
                "budget/spending_import_preview.html",
                {"agreement": agreement, "plan": plan, "token": token},
            )
    return render(
        request,
        "budget/spending_import.html",
        {"agreement": agreement, "form": form, "columns": services.IMPORT_COLUMNS},
        status=400 if form.errors else 200,
    )


def _spending_import_confirm(request, agreement):
    staged = request.session.pop(_staged_key(agreement), None)
    if request.POST.get("action") == "cancel":
        messages.info(request, _("Importen avbröts. Inget har ändrats."))
        return redirect("budget:spending_import", pk=agreement.pk)
    if not staged or not secrets.compare_digest(str(staged.get("token")), request.POST.get("token", "")):
        messages.error(
            request,
            _("Förhandsgranskningen finns inte längre. Inget har ändrats – ladda upp filen igen."),
        )
        return redirect("budget:spending_import", pk=agreement.pk)
    plan = services.SpendingImportPlan.from_data(staged["plan"])
    try:
        result = services.spending_import_apply(agreement=agreement, plan=plan, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("budget:spending_import", pk=agreement.pk)
    return _import_done(request, agreement, result)


def project_panel(request, proposal):
    """ "Ekonomi" on the proposal page: granted, paid and spent, and base funding for programmes. Deferred
    (applications.panels): its five queries run when htmx asks for the panel, after the page. Only where
    money can be: after a grant or co-funding decision (a lapsed co-funding keeps its released
    commitment), and for programmes and profile areas (base funding)."""
    from applications.panels import Panel

    if not (
        proposal.state in PROJECT_ECONOMY_STATES or proposal.work_form in ("program", "profilomrade")
    ) or not permissions.can_view_project_economy(request.user, proposal):
        return None

    def load():
        data = selectors.project_economy(proposal)
        if data.is_empty:
            return None
        return {"economy": data, "url": reverse("budget:project_economy", args=[proposal.pk])}

    return Panel(
        title=_("Ekonomi"), template="budget/_project_panel.html", key="ekonomi", load=load, order=55
    )


project_panel.part_key = "ekonomi"  # samverkan.parts.deferred
PROJECT_ECONOMY_STATES = {"cofunding_approved", "granted", "active", "closing", "closed", "lapsed"}


def economy_section(request):
    """Start page: warnings from the economy overview for processledare (over-committed lines, spending).
    It sums every commitment, disbursement and spending of the year, so it comes after the page."""
    if not permissions.can_see_economy_anywhere(request.user):
        return None
    ids = permissions.economy_agreement_ids(request.user)
    if not ids:
        return None
    from samverkan.dashboard import Section

    def load():
        rows = []
        for agreement in Agreement.objects.filter(pk__in=ids).order_by("name")[:3]:
            year = selectors.default_year(agreement)
            # The totals and the first warnings of the overview, without reading every project.
            data = selectors.economy_summary(agreement, year)
            if data.has_frame or data.warnings:
                rows.append((agreement, year, data))
        return {"rows": rows} if rows else None

    return Section(_("Ekonomi"), "budget/_dashboard.html", order=60, key="ekonomi", load=load)


economy_section.part_key = "ekonomi"  # samverkan.parts.deferred
