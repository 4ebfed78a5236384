"""Beredning: assessments per member and item, and the meeting's outcome that drives the proposal."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.enums import ProposalState
from applications.services import proposal_transition

from .. import permissions
from ..enums import CRITERIA, ItemKind, MeetingKind, MeetingStatus, Perspective, ReviewOutcome
from ..extensions import outcome_recorded
from ..models import AgendaItem, Assessment, CriterionScore, Meeting
from ..selectors import seat_of
from .meetings import next_item_number, open_item_elsewhere

OUTCOME_TRANSITIONS = {
    ReviewOutcome.FORWARD: "forward_to_decision",
    ReviewOutcome.RETURN: "return_for_revision",
    ReviewOutcome.DECLINE: "decline",
}


def _score(value, label: str, errors: dict, required: bool):
    if value in (None, ""):
        if required:
            errors[label] = _("%(label)s: välj ett betyg 1–5.") % {"label": label}
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= 5:
        errors[label] = _("%(label)s: betyget ska vara 1–5.") % {"label": label}
        return None
    return number


@transaction.atomic
def assessment_save(
    *,
    item: AgendaItem,
    by,
    scores: dict,
    criteria: dict[int, tuple],
    comment: str = "",
    proposed_goals: str = "",
    submit: bool = False,
) -> Assessment:
    """University members score research quality and ambition, municipal members benefit and effects;
    everyone scores the nine collaboration criteria (seed 003). A draft can be saved; submitting requires
    every score."""
    if not permissions.can_assess(by, item):
        raise PermissionDenied
    seat = seat_of(item.meeting, by)
    perspective = Perspective.RESEARCH if seat.is_university else Perspective.BENEFIT
    existing = Assessment.objects.filter(item=item, member=by).first()
    if existing and existing.submitted_at:
        raise ValidationError(_("Bedömningen är redan inskickad."))
    errors: dict[str, str] = {}
    if perspective == Perspective.RESEARCH:
        fields = {
            "research_quality": _score(
                scores.get("research_quality"), _("Forskningens kvalitet"), errors, submit
            ),
            "research_ambition": _score(
                scores.get("research_ambition"), _("Forskningens ambition"), errors, submit
            ),
        }
    else:
        fields = {
            "benefit": _score(
                scores.get("benefit"), _("Nytta för medborgare, företagare och besökare"), errors, submit
            ),
            "effects": _score(scores.get("effects"), _("Effekter för kommunen"), errors, submit),
        }
    criterion_scores = {}
    for number, label in CRITERIA:
        value, note = criteria.get(number, (None, ""))
        criterion_scores[number] = (_score(value, f"{number}. {label}", errors, submit), (note or "")[:500])
    if errors:
        raise ValidationError(errors)
    assessment, _created = Assessment.objects.update_or_create(
        item=item,
        member=by,
        defaults={
            **fields,
            "party_id": seat.party_id,
            "perspective": perspective,
            "comment": comment.strip(),
            "proposed_goals": proposed_goals.strip(),
            "submitted_at": timezone.now() if submit else None,
        },
    )
    assessment.criteria.all().delete()
    CriterionScore.objects.bulk_create(
        CriterionScore(assessment=assessment, criterion=n, score=s, comment=c)
        for n, (s, c) in criterion_scores.items()
        if s is not None
    )
    return assessment


@transaction.atomic
def outcome_record(
    *,
    item: AgendaItem,
    by,
    outcome: str,
    motivation: str,
    goals: str = "",
    conditions: str = "",
    extra: Mapping | None = None,
) -> AgendaItem:
    """The beredning decides whether an application goes on to the styrgrupp (Samverkansmodellen:
    "Beredningen avgör om en ansökan kan gå vidare"). Forward → Till styrgrupp, and onto the next planned
    styrgrupp agenda; return → back to the applicants; decline → Ej tillstyrkt. With a forward it proposes
    the conditions (and, through `outcome_recorded`, budget stores the proposed amounts per year in `extra`)
    that the styrgrupp's decision form starts from (issue 16)."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "proposal")
        .get(pk=item.pk)
    )
    if not permissions.can_record_outcome(by, item):
        raise PermissionDenied
    if item.kind not in (ItemKind.APPLICATION, ItemKind.PITCH):
        raise ValidationError(_("Punkten är inte en ansökan."))
    if item.outcome:
        raise ValidationError(_("Beredningens ställningstagande är redan registrerat."))
    if outcome not in OUTCOME_TRANSITIONS:
        raise ValidationError({"outcome": _("Välj tillstyrk, återför eller tillstyrk inte.")})
    if not motivation.strip():
        raise ValidationError({"motivation": _("Skriv en motivering.")})
    proposal = item.proposal
    grant = outcome == ReviewOutcome.FORWARD and proposal.state != ProposalState.PITCH
    if proposal.state == ProposalState.PITCH:
        # A pitch gets feedback, never money (för-beredning): it goes on to a full application.
        proposal_transition(
            proposal=proposal, name="record_pitch_feedback", by=by, comment=motivation, authorised=True
        )
    else:
        proposal_transition(
            proposal=proposal, name=OUTCOME_TRANSITIONS[outcome], by=by, comment=motivation, authorised=True
        )
    item.outcome = outcome
    item.outcome_motivation = motivation.strip()
    item.outcome_goals = goals.strip()
    item.outcome_conditions = conditions.strip() if grant else ""  # conditions are for a grant only
    item.outcome_by = by
    item.outcome_at = timezone.now()
    item.save()
    # Inside the transaction: a receiver that refuses (ValidationError) leaves nothing recorded. What other
    # apps added (budget: proposed amounts) concerns a grant only.
    outcome_recorded.send(sender=AgendaItem, item=item, by=by, extra=dict(extra or {}) if grant else {})
    if outcome == ReviewOutcome.FORWARD and proposal.state != ProposalState.PITCH:
        _put_on_next_steering_agenda(item, by)
    return item


def _put_on_next_steering_agenda(item: AgendaItem, by) -> None:
    """Forward onto the next styrgrupp meeting whose kallelse is not yet sent: a called meeting's agenda is
    changed only by the processledare (item_add, which sends an updated kallelse). Nothing happens when the
    proposal already has an open decision item elsewhere."""
    proposal = item.proposal
    proposal.refresh_from_db()
    if proposal.state != ProposalState.AWAITING_DECISION:
        return
    meeting = (
        Meeting.objects.filter(
            agreement_id=proposal.agreement_id,  # its own agreement's styrgrupp decides
            kind=MeetingKind.STEERING,
            starts_at__gt=timezone.now(),
            status=MeetingStatus.PLANNED,
            invitation_sent_at__isnull=True,
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None or meeting.items.filter(proposal=proposal).exists():
        return
    if open_item_elsewhere(proposal=proposal, kind=ItemKind.DECISION, meeting=meeting) is not None:
        return
    forwarded = AgendaItem.objects.create(
        meeting=meeting,
        order=next_item_number(meeting),
        kind=ItemKind.DECISION,
        title=proposal.title,
        proposal=proposal,
        description=item.outcome_goals,
    )
    # As item_add does: the applicants present their application, so the kallelse reaches them too.
    forwarded.presenters.set(
        [u for u in (proposal.responsible_researcher, proposal.responsible_officer) if u is not None]
    )
