"""The proposal's own pages: register an idea, the proposal page, editing, förankring and transitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.http import require

from .. import panels, permissions, services
from ..forms.attachments import AttachmentForm
from ..forms.proposals import (
    AnchoringForm,
    ProposalCreateForm,
    ProposalEditForm,
    SectionsForm,
    TransitionForm,
)
from ..models import Proposal, ProposalTransition
from ..services.proposals import template_for_editing


def _proposal(pk) -> Proposal:
    return get_object_or_404(
        # Only the relations every page shows. Joined with the optional ones (parent, förankring, templates)
        # the query had ten tables and PostgreSQL spent ~5 ms planning it on every request; those are read
        # by primary key when the page needs them.
        Proposal.objects.select_related(
            "agreement",
            "agreement__university",
            "responsible_researcher",
            "responsible_officer",
        ),
        pk=pk,
    )


def _viewable(request, pk) -> Proposal:
    proposal = _proposal(pk)
    require(request.user, permissions.can_view_proposal, proposal)
    return proposal


def _editable(request, pk) -> Proposal:
    proposal = _viewable(request, pk)
    require(request.user, permissions.can_edit_proposal, proposal)
    return proposal


def _apply_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def proposal_create(request):
    require(request.user, permissions.can_create_any_proposal)
    agreement_ids = permissions.agreements_for_new_proposals(request.user)
    form = ProposalCreateForm(request.POST or None, user=request.user, agreement_ids=agreement_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                agreement=data["agreement"],
                by=request.user,
                title=data["title"],
                work_form=data["work_form"],
                summary=data["summary"],
                responsible_researcher=data["responsible_researcher"],
                responsible_officer=data["responsible_officer"],
                municipal_organisations=data["municipal_organisations"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Idén är registrerad. Fyll på med mer när ni har pratat ihop er."))
            return redirect(proposal)
    return render(request, "applications/proposal_create.html", {"form": form})


SECONDARY_ACTIONS = {"withdraw", "main_funder_declined"}


def _action(transition) -> dict:
    return {
        "name": transition.name,
        "label": transition.custom.get("label"),
        "comment": transition.custom.get("comment", False),
    }


def _panel_fragment(request, proposal, key: str):
    """htmx: one deferred panel of the proposal page (its section), or nothing when it has nothing to show
    (the placeholder section is then removed)."""
    panel = next(iter(panels.panels_for(request, proposal, only=key)), None)
    response = render(request, "applications/_proposal_panel.html", {"panel": panel, "proposal": proposal})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def proposal_detail(request, pk):
    proposal = _viewable(request, pk)
    user = request.user
    panel_key = request.GET.get("panel") or None
    htmx = getattr(request, "htmx", None)
    if panel_key and htmx and not htmx.history_restore_request:
        return _panel_fragment(request, proposal, panel_key)
    proposal_sections = {s.section_id: s.text for s in proposal.sections.all()}
    template = template_for_editing(proposal)
    sections = [
        {"section": section, "text": proposal_sections.get(section.pk, "")}
        for section in (template.sections.all() if template else [])
    ]
    actions = services.available_transitions(proposal, user)
    can_edit = permissions.can_edit_proposal(user, proposal)
    missing = []
    if proposal.state == "application" and (can_edit or permissions.is_process_leader(user, proposal)):
        missing = services.refusal_reason_list(proposal)
    can_confirm_anchoring = not proposal.anchoring_confirmed_at and permissions.can_confirm_anchoring(
        user, proposal
    )
    timeline = ProposalTransition.objects.filter(proposal=proposal).select_related("by")
    attachments = proposal.attachments.select_related("uploaded_by")
    response = render(
        request,
        "applications/proposal_detail.html",
        {
            "proposal": proposal,
            "researchers": proposal.researchers.all(),
            "organisations": proposal.municipal_organisations.all(),
            "goals": proposal.activity_goals.all(),
            "sections": sections,
            "template": template,
            "actions": [_action(t) for t in actions if t.name not in SECONDARY_ACTIONS],
            "secondary_actions": [_action(t) for t in actions if t.name in SECONDARY_ACTIONS],
            "missing": missing,
            "can_edit": can_edit,
            "can_confirm_anchoring": can_confirm_anchoring,
            # Its choices cost three queries; built only when the form is shown.
            "anchoring_form": AnchoringForm(proposal=proposal) if can_confirm_anchoring else None,
            "timeline": timeline,
            "panels": panels.panels_for(request, proposal, load=panel_key),
            "attachments": attachments,
            "can_upload": can_edit,
            "upload_form": AttachmentForm(),
            "children": proposal.children.all() if proposal.work_form in ("program", "profilomrade") else [],
        },
    )
    patch_vary_headers(response, ["HX-Request"])  # ?panel= answers htmx with the panel alone
    return response


@login_required
def proposal_edit(request, pk):
    proposal = _editable(request, pk)
    form = ProposalEditForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goals = data.pop("activity_goals")
        researchers = data.pop("researchers")
        organisations = data.pop("municipal_organisations")
        try:
            proposal = services.proposal_update(
                proposal=proposal,
                by=request.user,
                researchers=researchers,
                municipal_organisations=organisations,
                **data,
            )
            services.proposal_set_activity_goals(proposal=proposal, by=request.user, goals=goals)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Uppgifterna är sparade."))
            return redirect(proposal)
    return render(request, "applications/proposal_edit.html", {"proposal": proposal, "form": form})


@login_required
def proposal_sections(request, pk):
    proposal = _editable(request, pk)
    template = template_for_editing(proposal)
    texts = {s.section_id: s.text for s in proposal.sections.all()}
    form = SectionsForm(request.POST or None, template=template, texts=texts)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_save_sections(proposal=proposal, by=request.user, texts=form.texts())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Texten är sparad."))
            if "continue" in request.POST:
                return redirect("applications:proposal_sections", pk=proposal.pk)
            return redirect(proposal)
    return render(
        request,
        "applications/proposal_sections.html",
        {"proposal": proposal, "form": form, "template": template},
    )


@login_required
@require_POST
def proposal_anchoring(request, pk):
    proposal = _viewable(request, pk)
    require(request.user, permissions.can_confirm_anchoring, proposal)
    form = AnchoringForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            services.proposal_confirm_anchoring(
                proposal=proposal, by=request.user, organisation=form.cleaned_data["organisation"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Förankringen är bekräftad."))
    else:
        messages.error(request, _("Kryssa i bekräftelsen och välj förvaltning eller bolag."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_transition(request, pk, name):
    proposal = _viewable(request, pk)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        proposal = services.proposal_transition(
            proposal=proposal,
            name=name,
            by=request.user,
            comment=form.cleaned_data.get("comment", ""),
            expected_state=form.cleaned_data.get("expected_state") or None,
        )
    except services.StaleProposal as stale:
        messages.warning(request, str(stale))
    except services.TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("Klart: ärendet har status ”%(state)s”.") % {"state": proposal.get_state_display()}
        )
    return redirect(proposal)
