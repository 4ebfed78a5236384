from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samverkan.http import require

from .. import exports, permissions


@require_GET
@login_required
def export_list(request):
    require(request.user, permissions.can_export)
    from applications.filters import PipelineFilterForm

    return render(
        request,
        "reports/export_list.html",
        {
            "datasets": [d for d in exports.DATASETS.values() if d.key != "pipeline"],
            "pipeline_form": PipelineFilterForm(user=request.user),
        },
    )


@require_GET
@login_required
def export_download(request, key: str, fmt: str):
    """One dataset as CSV or XLSX; the pipeline takes the pipeline board's filters (query string)."""
    require(request.user, permissions.can_export)
    dataset = exports.DATASETS.get(key)
    if dataset is None or fmt not in ("csv", "xlsx"):
        raise Http404
    params = request.GET.copy()
    if fmt == "csv":
        return exports.csv_response(dataset, request.user, params)
    return exports.xlsx_response(dataset, request.user, params)
