"""Dissemination events (resultatspridning): the processledare's list and form, the public pages and .ics."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.http import require
from samverkan.models import Agreement

from .. import ics, permissions, selectors, services
from ..forms import (
    EventForm,
)
from ..models import DisseminationEvent
from .common import apply_errors

# --- dissemination events ----------------------------------------------------------------------------


def _manageable_agreements(user):
    agreement_ids = [
        a for a in Agreement.objects.values_list("pk", flat=True) if permissions.can_manage_events(user, a)
    ]
    return Agreement.objects.filter(pk__in=agreement_ids).order_by("name")


@login_required
def event_list(request):
    require(request.user, permissions.can_list_events)
    agreements = _manageable_agreements(request.user)
    events = (
        DisseminationEvent.objects.filter(agreement__in=agreements)
        .prefetch_related("presentations__proposal", "presentations__presenter")
        .order_by("-starts_at")
    )
    return render(request, "followup/event_list.html", {"events": events, "now": timezone.now()})


@login_required
def event_form(request, pk=None):
    event = get_object_or_404(DisseminationEvent, pk=pk) if pk else None
    agreements = list(_manageable_agreements(request.user))
    if event:
        require(request.user, permissions.can_manage_events, event.agreement_id)
        agreement = event.agreement
    else:
        agreement = agreements[0] if agreements else None
        if request.POST.get("agreement"):
            agreement = next((a for a in agreements if str(a.pk) == request.POST["agreement"]), None)
        require(request.user, permissions.can_add_event, agreement)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if event:
                services.event_update(event=event, by=request.user, **fields)
            else:
                event = services.event_create(agreement=agreement, by=request.user, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Resultatspridningstillfället är sparat."))
            return redirect("followup:event_list")
    return render(
        request,
        "followup/event_form.html",
        {"form": form, "event": event, "agreements": agreements, "agreement": agreement},
    )


def events_public(request):
    """The open listing of upcoming dissemination events (no login)."""
    return render(request, "followup/events_public.html", {"events": selectors.public_events()})


def event_public(request, uid):
    event = get_object_or_404(
        DisseminationEvent.objects.prefetch_related("presentations__proposal", "presentations__presenter"),
        uid=uid,
    )
    if not event.is_public and not permissions.can_manage_events(request.user, event.agreement_id):
        raise Http404
    return render(request, "followup/event_public.html", {"event": event})


def event_ics(request, uid):
    event = get_object_or_404(DisseminationEvent.objects.prefetch_related("presentations__proposal"), uid=uid)
    if not event.is_public and not permissions.can_manage_events(request.user, event.agreement_id):
        raise Http404
    response = HttpResponse(ics.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="resultatspridning.ics"'
    return response
