"""Dissemination events (resultatspridningstillfällen, twice a year in quarters 2 and 4) and the
popular-science presentations on their programme."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Proposal
from applications.services import proposal_record_closure_material
from applications.services.proposals import team_of
from samverkan.models import Agreement, User

from .. import permissions
from ..models import DisseminationEvent, Presentation
from .reports import closing_try

EVENT_QUARTERS = (2, 4)


def _validate_event(starts_at, ends_at) -> None:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("Tillfället måste sluta efter att det börjar.")
    quarter = (timezone.localtime(starts_at).month - 1) // 3 + 1
    if quarter not in EVENT_QUARTERS:
        errors["starts_at"] = _(
            "Resultatspridningstillfällen hålls under kvartal 2 (april–juni) "
            "och kvartal 4 (oktober–december)."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    agreement: Agreement,
    by: User,
    title: str,
    starts_at,
    ends_at,
    location: str,
    description: str = "",
    is_public: bool = True,
) -> DisseminationEvent:
    """Processledare and kommunikatörer arrange the agreement's dissemination events (Samverkansmodellen,
    "Avslut": popular-science presentations twice a year, in quarters 2 and 4)."""
    if not permissions.can_manage_events(by, agreement.pk):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Ange en rubrik.")})
    if not location.strip():
        raise ValidationError({"location": _("Ange en plats.")})
    _validate_event(starts_at, ends_at)
    return DisseminationEvent.objects.create(
        agreement=agreement,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        description=description.strip(),
        is_public=is_public,
        created_by=by,
    )


@transaction.atomic
def event_update(*, event: DisseminationEvent, by: User, **fields) -> DisseminationEvent:
    event = DisseminationEvent.objects.select_for_update().get(pk=event.pk)
    if not permissions.can_manage_events(by, event.agreement_id):
        raise PermissionDenied
    for name, value in fields.items():
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    if not event.title or not event.location:
        raise ValidationError(_("Ange rubrik och plats."))
    _validate_event(event.starts_at, event.ends_at)
    event.save()
    return event


@transaction.atomic
def presentation_register(
    *, event: DisseminationEvent, proposal: Proposal, by: User, title: str, presenter: User
) -> Presentation:
    """Book (or, for a past event, record) the project's popular-science presentation: one of the two
    things closure needs. When the final report is in as well, the project goes to closing."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not permissions.can_register_presentation(by, proposal):
        raise PermissionDenied
    if event.agreement_id != proposal.agreement_id:
        raise ValidationError({"event": _("Tillfället hör till ett annat avtal.")})
    if not title.strip():
        raise ValidationError({"title": _("Ange presentationens titel.")})
    if presenter not in team_of(proposal):
        raise ValidationError(
            {"presenter": _("Presentatören ska vara forskare eller tjänsteperson i projektet.")}
        )
    if event.is_past and not permissions.can_manage_events(by, event.agreement_id):
        raise ValidationError({"event": _("Tillfället har redan ägt rum – välj ett kommande tillfälle.")})
    if Presentation.objects.filter(event=event, proposal=proposal).exists():
        raise ValidationError({"event": _("Projektet har redan en presentation på det tillfället.")})
    order = (event.presentations.aggregate(n=Max("order"))["n"] or 0) + 1
    presentation = Presentation.objects.create(
        event=event,
        proposal=proposal,
        title=title.strip(),
        presenter=presenter,
        order=order,
        registered_by=by,
    )
    proposal = proposal_record_closure_material(proposal=proposal, presentation=True)
    closing_try(proposal=proposal, by=by)
    return presentation


@transaction.atomic
def presentation_remove(*, presentation: Presentation, by: User) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=presentation.proposal_id)
    if not permissions.can_register_presentation(by, proposal) or proposal.state != "active":
        raise PermissionDenied
    if presentation.event.is_past:
        raise ValidationError(_("Presentationen har redan hållits."))
    presentation.delete()
    if not Presentation.objects.filter(proposal=proposal).exists():
        proposal_record_closure_material(proposal=proposal, presentation=False)
