"""The public catalogue: a kommunikatör decides per project what is published and which names are shown
(Samverkansmodellen: kommunikatörerna sprider resultat och marknadsför samverkan). Nothing is public by
default."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Proposal

from .. import permissions
from ..models import Publication
from ..selectors import CATALOGUE_STATES


@transaction.atomic
def publication_publish(
    *,
    proposal: Proposal,
    by,
    show_researcher: bool = True,
    show_co_researchers: bool = False,
    show_officer: bool = False,
    results: str = "",
) -> Publication:
    if not permissions.can_publish(by, proposal):
        raise PermissionDenied
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state not in CATALOGUE_STATES:
        raise ValidationError(
            _(
                "Bara beviljade, pågående och avslutade projekt kan publiceras "
                "(”%(title)s” har status ”%(state)s”)."
            )
            % {"title": proposal.title, "state": proposal.get_state_display()}
        )
    if not proposal.popular_summary.strip():
        raise ValidationError(
            _("”%(title)s” saknar populärvetenskaplig sammanfattning – den behövs i katalogen.")
            % {"title": proposal.title}
        )
    if len(results) > 5000:
        raise ValidationError(_("Resultattexten får vara högst 5 000 tecken."))
    publication, _created = Publication.objects.get_or_create(proposal=proposal)
    publication.published = True
    publication.show_researcher = show_researcher
    publication.show_co_researchers = show_co_researchers
    publication.show_officer = show_officer
    publication.results = results.strip()
    if publication.published_at is None or not publication.published_by_id:
        publication.published_at = timezone.now()
    publication.published_by = by
    publication.save()
    return publication


@transaction.atomic
def publication_withdraw(*, proposal: Proposal, by) -> Publication | None:
    if not permissions.can_publish(by, proposal):
        raise PermissionDenied
    publication = Publication.objects.select_for_update().filter(proposal=proposal).first()
    if publication is not None and publication.published:
        publication.published = False
        publication.published_at = None
        publication.save()
    return publication
