"""The application budget: the grid (view and edit) and its XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.models import Proposal
from samverkan.http import require

from .. import permissions, selectors, services
from ..exports import application as exports
from ..forms.application import cells_from_post

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewable(request, pk) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related("agreement", "agreement__university"), pk=pk)
    require(request.user, permissions.can_view_budget, proposal)
    return proposal


def _error_list(table, error: ValidationError) -> list[dict]:
    """The error summary in the order of the grid; general errors first."""
    by_name = error.message_dict
    items = [{"message": message} for message in by_name.get(NON_FIELD_ERRORS, [])]
    shown = set()
    for cell in table.cells():
        for message in by_name.get(cell.name, []):
            items.append({"message": message, "id": cell.error_id, "href": f"#{cell.name}"})
            shown.add(cell.name)
    for name, errors in by_name.items():
        if name not in shown and name != NON_FIELD_ERRORS:
            items.extend({"message": message} for message in errors)
    return items


@login_required
@require_http_methods(["GET", "POST"])
def application_budget(request, pk):
    proposal = _viewable(request, pk)
    can_edit = permissions.can_edit_budget(request.user, proposal)
    errors: list[dict] = []
    if request.method == "POST":
        require(request.user, permissions.can_edit_budget, proposal)
        try:
            services.budget_save(proposal=proposal, by=request.user, cells=cells_from_post(request.POST))
        except ValidationError as error:
            table = selectors.budget_table(proposal)
            typed = {key.name: value for key, value in cells_from_post(request.POST).items()}
            table.show_input(typed, error.message_dict)
            errors = _error_list(table, error)
        else:
            messages.success(request, _("Budgeten är sparad."))
            return redirect("budget:application_budget", pk=proposal.pk)
    else:
        table = selectors.budget_table(proposal)
    return render(
        request,
        "budget/application_budget.html",
        {"proposal": proposal, "table": table, "can_edit": can_edit, "errors": errors},
    )


@login_required
@require_GET
def application_budget_xlsx(request, pk):
    proposal = _viewable(request, pk)
    content = exports.budget_workbook(selectors.budget_table(proposal))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="budget-{proposal.reference}.xlsx"'
    return response
