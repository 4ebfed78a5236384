"""Templates (mallar): processledare and kommunikatörer see them; processledare create them and save new
versions. Old versions are read-only – proposals created under them keep using them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from samverkan.http import require
from samverkan.models import Agreement

from .. import permissions, services
from ..enums import TemplateStage
from ..forms.templates import TemplateCreateForm, TemplateForm, section_formset
from ..models import Proposal, ProposalTemplate

STAGE_ORDER = {stage: index for index, stage in enumerate(TemplateStage.values)}


def _visible_agreement_ids(user) -> set[int] | None:
    """Agreements whose templates the user sees (None = all); PermissionDenied if none."""
    require(user, permissions.can_view_pipeline)
    return permissions.pipeline_agreement_ids(user)


def _family_key(template: ProposalTemplate):
    return (STAGE_ORDER.get(template.stage, 99), template.work_form != "", template.get_work_form_display())


@login_required
def template_list(request):
    ids = _visible_agreement_ids(request.user)
    agreements = Agreement.objects.order_by("name")
    if ids is not None:
        agreements = agreements.filter(pk__in=ids)
    agreements = list(agreements)
    templates = (
        ProposalTemplate.objects.filter(agreement__in=agreements)
        .annotate(section_count=Count("sections"))
        .order_by("-version")
    )
    families: dict[tuple, dict] = {}
    for template in templates:
        family = families.setdefault(
            (template.agreement_id, template.stage, template.work_form), {"current": None, "older": []}
        )
        if template.is_current and family["current"] is None:
            family["current"] = template
        else:
            family["older"].append(template)
    for family in families.values():
        if family["current"] is None:  # not expected; show the latest version in its place
            family["current"] = family["older"].pop(0)
    rows = []
    for agreement in agreements:
        agreement_families = [f for (a, _s, _w), f in families.items() if a == agreement.pk]
        agreement_families.sort(key=lambda f: _family_key(f["current"]))
        rows.append(
            {
                "agreement": agreement,
                "families": agreement_families,
                "can_manage": permissions.can_manage_templates(request.user, agreement),
            }
        )
    return render(
        request,
        "applications/template_list.html",
        {"rows": rows, "can_create": any(row["can_manage"] for row in rows)},
    )


def _manageable_agreements(user):
    ids = _visible_agreement_ids(user)
    candidates = Agreement.objects.order_by("name")
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    return [agreement for agreement in candidates if permissions.can_manage_templates(user, agreement)]


def _apply_errors(form, error: ValidationError) -> None:
    """Service errors go to the field they concern, or to the form's summary."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, field_errors)
    else:
        form.add_error(None, error.messages)


def _summarise_section_errors(form, formset) -> None:
    """Section errors are shown at each section and also listed in the form's error summary."""
    for number, section_form in enumerate(formset.forms, start=1):
        for name, field_errors in section_form.errors.items():
            label = section_form.fields[name].label if name in section_form.fields else ""
            for message in field_errors:
                summary = _("Avsnitt %(n)s – %(label)s: %(message)s")
                form.add_error(None, summary % {"n": number, "label": label, "message": message})
    for message in formset.non_form_errors():
        form.add_error(None, message)


def _render_form(request, *, form, formset, template=None, heading):
    return render(
        request,
        "applications/template_form.html",
        {"form": form, "formset": formset, "template": template, "heading": heading},
    )


@login_required
def template_create(request):
    require(request.user, permissions.can_create_template)
    agreements = _manageable_agreements(request.user)
    queryset = Agreement.objects.filter(pk__in=[a.pk for a in agreements]).order_by("name")
    form = TemplateCreateForm(request.POST or None, agreements=queryset)
    formset = section_formset(request.POST or None, extra=3)
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if not formset_ok:
            _summarise_section_errors(form, formset)
        elif form_ok:
            data = form.cleaned_data
            try:
                template = services.template_create(
                    agreement=data["agreement"],
                    by=request.user,
                    stage=data["stage"],
                    work_form=data["work_form"],
                    title=data["title"],
                    introduction=data["introduction"],
                    sections=formset.sections(),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if template.version > 1:
                    messages.success(
                        request,
                        _(
                            "Det fanns redan en mall för skedet och arbetsformen – den nya är sparad "
                            "som version %(version)s."
                        )
                        % {"version": template.version},
                    )
                else:
                    messages.success(request, _("Mallen är sparad."))
                return redirect("applications:template_detail", pk=template.pk)
    return _render_form(request, form=form, formset=formset, heading=_("Ny mall"))


def _family(template: ProposalTemplate):
    return ProposalTemplate.objects.filter(
        agreement_id=template.agreement_id, stage=template.stage, work_form=template.work_form
    )


@login_required
def template_detail(request, pk):
    template = get_object_or_404(ProposalTemplate.objects.select_related("agreement", "created_by"), pk=pk)
    require(request.user, permissions.can_view_template, template)
    versions = _family(template).select_related("created_by").order_by("-version")
    in_use = Proposal.objects.filter(Q(pitch_template=template) | Q(application_template=template)).count()
    return render(
        request,
        "applications/template_detail.html",
        {
            "template": template,
            "sections": template.sections.all(),
            "versions": versions,
            "in_use": in_use,
            "can_manage": permissions.can_manage_templates(request.user, template.agreement),
        },
    )


@login_required
def template_new_version(request, pk):
    template = get_object_or_404(ProposalTemplate.objects.select_related("agreement"), pk=pk)
    require(request.user, permissions.can_view_template, template)
    require(request.user, permissions.can_manage_templates, template.agreement)
    sections = list(template.sections.all())
    latest = _family(template).order_by("-version").values_list("version", flat=True).first()
    form = TemplateForm(
        request.POST or None,
        initial={"title": template.title, "introduction": template.introduction, "expected_version": latest},
    )
    formset = section_formset(
        request.POST or None, sections=sections, delete_label=_("Ta bort avsnittet i den nya versionen")
    )
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if not formset_ok:
            _summarise_section_errors(form, formset)
        elif form_ok:
            data = form.cleaned_data
            try:
                new = services.template_new_version(
                    template=template,
                    by=request.user,
                    title=data["title"],
                    introduction=data["introduction"],
                    sections=formset.sections(),
                    expected_version=data.get("expected_version"),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("Version %(version)s av mallen är sparad.") % {"version": new.version}
                )
                return redirect("applications:template_detail", pk=new.pk)
    return _render_form(
        request,
        form=form,
        formset=formset,
        template=template,
        heading=_("Ny version av ”%(title)s”") % {"title": template.title},
    )
