"""What governance adds to the apps below it (samverkan/registry.py): navigation, start-page sections,
proposal-page panels and its durable jobs."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The start page shows this many meetings; "Mina möten" shows them all.
SECTION_LIMIT = 5


def meetings_section(request):
    """ "Möten": the meetings where something is expected of the person (assess, vote, approve minutes) –
    the same data as Mina möten. None when there is nothing to do."""
    from . import permissions
    from .selectors import meeting_todos_first

    if not permissions.can_see_meetings(request.user):
        return None
    # Only the meetings shown are read; the rest are counted in the same query.
    rows, total = meeting_todos_first(request.user, SECTION_LIMIT)
    if not rows:
        return None
    from samverkan.dashboard import Section

    return Section(
        _("Möten"),
        "governance/_dashboard.html",
        {"rows": rows, "more": max(0, total - len(rows))},
        order=30,
    )


def proposal_panel(request, proposal):
    """The proposal's meetings: where it was (or will be) on the agenda, the beredning's position and the
    styrgrupp's decisions."""
    from applications.panels import Panel

    from . import permissions
    from .models import AgendaItem, Meeting

    items = list(
        AgendaItem.objects.filter(proposal=proposal)
        .select_related("meeting", "meeting__body", "settled_by__meeting")
        .prefetch_related("decisions__amounts")
        .order_by("meeting__starts_at", "order")
    )
    if not items:
        return None
    # Link only to the meeting pages the person may open (one query for all of them).
    viewable = Meeting.objects.filter(pk__in={i.meeting_id for i in items})
    visible_q = permissions.viewable_meetings_q(request.user)
    if visible_q is not None:
        viewable = viewable.filter(visible_q)
    viewable_ids = set(viewable.values_list("pk", flat=True))
    for item in items:
        item.meeting_url = item.meeting.get_absolute_url() if item.meeting_id in viewable_ids else ""
    return Panel(
        title=_("Beredning och beslut"),
        template="governance/_proposal_panel.html",
        context={"items": items},
        order=40,
    )


def documents_section(request):
    """ "Att signera": the decision documents waiting for the firmatecknare's signature. None when nothing."""
    from . import permissions

    if not permissions.can_sign_documents(request.user):
        return None
    from samverkan.dashboard import Section

    from .views.documents import documents_to_sign_for

    documents = list(documents_to_sign_for(request.user)[:SECTION_LIMIT])
    if not documents:
        return None
    return Section(
        _("Att signera"),
        "governance/_documents_panel.html",
        {"documents": documents[:SECTION_LIMIT], "show_proposal": True},
        order=20,
    )


def documents_panel(request, proposal):
    """ "Beslutsdokument": the proposal's decision documents with their status and a download per copy."""
    from applications.panels import Panel
    from applications.permissions import can_view_proposal

    from .models import DecisionDocument

    if not can_view_proposal(request.user, proposal):
        return None
    documents = list(
        DecisionDocument.objects.filter(decision__proposal=proposal)
        .select_related("decision__meeting__body")
        .prefetch_related("copies__organisation")
        .order_by("created_at")
    )
    if not documents:
        return None
    return Panel(
        title=_("Beslutsdokument"),
        template="governance/_documents_panel.html",
        context={"documents": documents, "copies": True},
        order=45,
    )


def register():
    from applications import panels
    from samverkan import dashboard, jobs, navigation

    from . import permissions
    from .services.documents import pending_document_decisions
    from .services.minutes import pending_minutes_pdfs
    from .services.verification import pending_verifications
    from .tasks import generate_decision_documents, render_minutes_pdf, verify_upload

    navigation.register(
        navigation.NavItem(gettext_lazy("Möten"), "governance:meeting_list", permissions.can_see_meetings, 30)
    )
    dashboard.register(meetings_section)
    panels.register(proposal_panel)
    navigation.register(
        navigation.NavItem(
            gettext_lazy("Att signera"), "governance:documents_to_sign", permissions.can_sign_documents, 35
        )
    )
    dashboard.register(documents_section)
    panels.register(documents_panel)
    # The one sweep (samverkan.jobs) queues again the jobs that never ran.
    jobs.register_job_kind(
        "decision_documents",
        task=generate_decision_documents,
        pending=lambda older_than: pending_document_decisions(older_than=older_than).values_list(
            "pk", flat=True
        ),
    )
    jobs.register_job_kind(
        "minutes_pdfs",
        task=render_minutes_pdf,
        pending=lambda older_than: pending_minutes_pdfs(older_than=older_than).values_list("pk", flat=True),
    )
    jobs.register_job_kind(
        "verifications",
        task=verify_upload,
        pending=lambda older_than: pending_verifications(older_than=older_than).values_list("pk", flat=True),
    )
