"""The public catalogue (no login): published projects, the current templates (mallar) and upcoming
dissemination events. Only what a kommunikatör published is shown, and only the names they chose."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.models import Proposal, ProposalTemplate
from governance.pdf import render_pdf
from samverkan.http import require

from .. import events, permissions, selectors, services
from ..forms import CatalogueFilterForm, PublicationForm

PAGE_SIZE = 20


def public_names(proposal) -> list[str]:
    """The names the kommunikatör agreed to show – nothing else about people leaves the system."""
    publication = proposal.publication
    names = []
    if publication.show_researcher and proposal.responsible_researcher:
        names.append(proposal.responsible_researcher.get_full_name())
    if publication.show_co_researchers:
        names += [u.get_full_name() for u in proposal.researchers.all()]
    if publication.show_officer and proposal.responsible_officer:
        names.append(proposal.responsible_officer.get_full_name())
    return [n for n in names if n]


def _card(proposal) -> dict:
    return {
        "proposal": proposal,
        "names": public_names(proposal),
        "parties": [proposal.agreement.university.name]
        + [o.name for o in proposal.municipal_organisations.all()],
        "finished": proposal.state in ("closing", "closed"),
    }


@require_GET
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    projects = selectors.public_projects(form.filters() if request.GET else {})
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "reports/catalogue.html",
        {
            "form": form,
            "page": page,
            "cards": [_card(p) for p in page.object_list],
            "events": events.upcoming_public_events()[:5],
            "templates": selectors.public_templates()[:20],
        },
    )


@require_GET
def catalogue_detail(request, pk):
    proposal = get_object_or_404(selectors.public_projects({}), pk=pk)
    return render(request, "reports/catalogue_detail.html", {"card": _card(proposal)})


@require_GET
def template_list(request):
    return render(request, "reports/catalogue_templates.html", {"templates": selectors.public_templates()})


@require_GET
def template_pdf(request, pk):
    template = get_object_or_404(
        ProposalTemplate.objects.filter(is_current=True)
        .select_related("agreement")
        .prefetch_related("sections"),
        pk=pk,
    )
    pdf = render_pdf("pdf/template.html", {"template": template, "sections": list(template.sections.all())})
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"mall-{template.get_stage_display()}-v{template.version}".lower().replace(" ", "-")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# --- publication (kommunikatör) ----


@require_GET
@login_required
def publication_list(request):
    require(request.user, permissions.can_manage_publications)
    projects = list(selectors.publishable_projects(request.user))
    rows = []
    for p in projects:
        publication = getattr(p, "publication", None)
        rows.append(
            {
                "proposal": p,
                "publication": publication,
                "form": PublicationForm(instance=publication, prefix=f"p{p.pk}"),
            }
        )
    return render(request, "reports/publication_list.html", {"rows": rows})


@require_POST
@login_required
def publication_save(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    require(request.user, permissions.can_publish, proposal)
    if request.POST.get("action") == "withdraw":
        services.publication_withdraw(proposal=proposal, by=request.user)
        messages.success(request, _("”%(title)s” är inte längre publicerat.") % {"title": proposal.title})
        return redirect("reports:publication_list")
    form = PublicationForm(request.POST, prefix=f"p{pk}")
    if not form.is_valid():
        messages.error(request, _("Publiceringen kunde inte sparas: %(e)s") % {"e": form.errors.as_text()})
        return redirect("reports:publication_list")
    try:
        services.publication_publish(proposal=proposal, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("”%(title)s” är publicerat i den öppna katalogen.") % {"title": proposal.title}
        )
    return redirect(reverse("reports:publication_list") + f"#projekt-{pk}")
