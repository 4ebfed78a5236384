"""Follow-up reports: the team writes and submits, the processledare puts the report on a beredning or
styrgrupp agenda and records the feedback; the final report leads to closure."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.attachments import validate_upload
from applications.enums import ProposalState
from applications.models import Proposal
from applications.services import (
    proposal_record_closure_material,
    proposal_transition,
)
from applications.services.proposals import team_of
from budget.enums import CostCategory
from governance.enums import ItemKind, MeetingStatus
from governance.models import Meeting
from samverkan.enums import Role
from samverkan.models import User
from samverkan.notifications import notify
from samverkan.selectors import people_with_role

from .. import permissions
from ..enums import OPEN_STATES, GoalStatus, ReportKind, ReportState
from ..models import FollowUpReport, GoalAssessment, ReportAttachment, ReportSpending


def _locked(report: FollowUpReport) -> FollowUpReport:
    return (
        FollowUpReport.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__agreement")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_save(
    *,
    report: FollowUpReport,
    by: User,
    deliveries: str = "",
    evaluation: str = "",
    lessons: str = "",
    scientific_report: str = "",
    goals: Mapping[int, tuple[str, str]] | None = None,
    spending_year: int | None = None,
    spending: Mapping[str, int] | None = None,
) -> FollowUpReport:
    """Save the team's report as a draft: texts, each activity goal's status (met / partly / not, with a
    comment) and the money spent per cost category. Nothing is checked for completeness until submission."""
    fresh = _locked(report)
    if not permissions.can_edit_report(by, fresh):
        raise PermissionDenied
    goal_ids = set(fresh.proposal.activity_goals.values_list("pk", flat=True))
    errors = {}
    for goal_id, (status, _comment) in (goals or {}).items():
        if goal_id not in goal_ids:
            raise ValidationError(_("Målet hör inte till projektet."))
        if status and status not in GoalStatus.values:
            errors[f"goal_{goal_id}"] = _("Välj uppnått, delvis uppnått eller inte uppnått.")
    for category, amount in (spending or {}).items():
        if category not in CostCategory.values:
            raise ValidationError(_("Okänt kostnadsslag."))
        if not isinstance(amount, int) or amount < 0:
            errors[f"spent_{category}"] = _("Ange ett helt antal kronor (0 eller mer).")
    if spending_year is not None and not (2000 <= spending_year <= 2100):
        errors["spending_year"] = _("Ange ett giltigt år.")
    if errors:
        raise ValidationError(errors)
    fresh.deliveries = deliveries.strip()
    fresh.evaluation = evaluation.strip()
    fresh.lessons = lessons.strip()
    fresh.scientific_report = scientific_report.strip()
    fresh.spending_year = spending_year
    fresh.save()
    for goal_id, (status, comment) in (goals or {}).items():
        if status:
            GoalAssessment.objects.update_or_create(
                report=fresh, goal_id=goal_id, defaults={"status": status, "comment": comment.strip()}
            )
        else:
            GoalAssessment.objects.filter(report=fresh, goal_id=goal_id).delete()
    if spending is not None:
        fresh.spending.all().delete()
        ReportSpending.objects.bulk_create(
            ReportSpending(report=fresh, category=category, amount=amount)
            for category, amount in spending.items()
            if amount
        )
    return fresh


def missing_for_submission(report: FollowUpReport) -> list[str]:
    """What stops submission, in Swedish (empty list = complete)."""
    missing = []
    if not report.deliveries:
        missing.append(_("Beskriv leveranserna jämfört med det som beslutades."))
    if not report.evaluation:
        missing.append(_("Skriv en utvärdering av arbetet."))
    if not report.lessons:
        missing.append(_("Beskriv vunna erfarenheter."))
    assessed = set(report.goal_assessments.values_list("goal_id", flat=True))
    for goal in report.proposal.activity_goals.all():
        if goal.pk not in assessed:
            missing.append(_("Ange måluppfyllelse för aktivitetsmålet ”%(goal)s”.") % {"goal": goal.text})
    if report.spending.exists() and not report.spending_year:
        missing.append(_("Ange vilket år kostnaderna avser."))
    if report.is_final and not report.scientific_report and not report.attachments.exists():
        missing.append(_("Slutredovisningen behöver den vetenskapliga slutrapporten (text eller bilaga)."))
    return missing


@transaction.atomic
def report_submit(*, report: FollowUpReport, by: User) -> FollowUpReport:
    """Submit the report (inlämnad). The money spent is handed to the budget (spent vs granted); a final
    report is one of the two things closure needs (Samverkansmodellen, "Avslut"). Processledare are told."""
    fresh = _locked(report)
    if not permissions.can_edit_report(by, fresh):
        raise PermissionDenied
    missing = missing_for_submission(fresh)
    if missing:
        raise ValidationError(missing)
    fresh.state = ReportState.SUBMITTED
    fresh.submitted_at = timezone.now()
    fresh.submitted_by = by
    fresh.save()
    if fresh.spending_year:
        from budget import services as budget_services

        budget_services.spending_replace_for_report(
            proposal=fresh.proposal,
            year=fresh.spending_year,
            amounts={row.category: row.amount for row in fresh.spending.all()},
            reference=f"uppföljning-{fresh.pk}",
            by=by,
        )
    context = {"report": fresh, "proposal": fresh.proposal, "by": by}
    notify(
        "followup_report_submitted",
        to=people_with_role(fresh.proposal.agreement_id, Role.PROCESS_LEADER),
        context=context,
        link=fresh.get_absolute_url(),
    )
    if fresh.is_final:
        proposal = proposal_record_closure_material(proposal=fresh.proposal, final_report=True)
        closing_try(proposal=proposal, by=by)
    return fresh


def closing_try(*, proposal: Proposal, by: User) -> Proposal:
    """When both the final report and the presentation are in, the project goes to "Slutredovisad" and
    waits for styrgrupp. The caller has checked that `by` may hand in closure material."""
    proposal.refresh_from_db()
    if proposal.state == ProposalState.ACTIVE and proposal.ready_to_close():
        return proposal_transition(
            proposal=proposal,
            name="submit_final_report",
            by=by,
            authorised=True,
            comment=_("Slutredovisning inlämnad och populärvetenskaplig presentation registrerad."),
        )
    return proposal


@transaction.atomic
def attachment_add(*, report: FollowUpReport, by: User, upload) -> ReportAttachment:
    fresh = _locked(report)
    if not permissions.can_edit_report(by, fresh):
        raise PermissionDenied
    # The same rule as the application's attachments: the type is read from the content, never trusted
    # from the browser, and at most 20 MB.
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    return ReportAttachment.objects.create(
        report=fresh,
        file=upload,
        original_name=upload.name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=by,
    )


@transaction.atomic
def report_put_on_agenda(*, report: FollowUpReport, by: User, meeting: Meeting) -> FollowUpReport:
    """The processledare puts a submitted report on a beredning or styrgrupp agenda, where the responsible
    researcher and tjänsteperson present it."""
    from governance.services import item_add

    fresh = _locked(report)
    if not permissions.can_treat_report(by, fresh):
        raise PermissionDenied
    if fresh.proposal.agreement_id not in meeting.agreement_ids():
        raise ValidationError({"meeting": _("Mötet hör till ett annat avtal.")})
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise ValidationError({"meeting": _("Mötets protokoll är justerat – välj ett kommande möte.")})
    item = item_add(
        meeting=meeting,
        by=by,
        kind=ItemKind.FOLLOW_UP,
        proposal=fresh.proposal,
        title=_("Uppföljning: %(kind)s – %(title)s") % {"kind": fresh.title, "title": fresh.proposal.title},
        description=_("Rapporten lämnades in %(date)s.")
        % {"date": timezone.localdate(fresh.submitted_at).isoformat()},
    )
    fresh.agenda_item = item
    fresh.save(update_fields=["agenda_item", "updated_at"])
    return fresh


@transaction.atomic
def report_treat(*, report: FollowUpReport, by: User, feedback: str) -> FollowUpReport:
    """Record that the report was treated at its agenda item, with the meeting's feedback (behandlad) – not
    before the meeting has started. The team is told."""
    fresh = _locked(report)
    if not permissions.can_treat_report(by, fresh):
        raise PermissionDenied
    if fresh.agenda_item_id is None:
        raise ValidationError(_("Sätt rapporten på ett mötes dagordning innan den behandlas."))
    if not feedback.strip():
        raise ValidationError({"feedback": _("Skriv mötets återkoppling till projektet.")})
    meeting = fresh.agenda_item.meeting
    if timezone.now() < meeting.starts_at:
        raise ValidationError(
            _("Rapporten behandlas vid %(meeting)s – den kan inte markeras som behandlad före mötet.")
            % {"meeting": f"{meeting.title} {timezone.localdate(meeting.starts_at).isoformat()}"}
        )
    fresh.state = ReportState.TREATED
    fresh.feedback = feedback.strip()
    fresh.treated_at = timezone.now()
    fresh.treated_by = by
    fresh.save()
    notify(
        "followup_report_treated",
        to=team_of(fresh.proposal) - {by},
        context={"report": fresh, "proposal": fresh.proposal, "by": by, "meeting": fresh.agenda_item.meeting},
        link=fresh.get_absolute_url(),
    )
    return fresh


@transaction.atomic
def closure_reopened(*, proposal: Proposal, comment: str) -> None:
    """Styrgrupp sent the project back to active ("mer arbete krävs"): the final report is returned to the
    team with the comment, and a new one is needed before the project can close."""
    report = (
        FollowUpReport.objects.select_for_update()
        .filter(proposal=proposal, kind=ReportKind.FINAL)
        .order_by("-due_date")
        .first()
    )
    proposal_record_closure_material(proposal=proposal, final_report=False)
    if report is None:
        return
    report.state = ReportState.DUE
    report.feedback = comment.strip()
    report.submitted_at = None
    report.submitted_by = None
    report.save()


def open_reports_of(proposal: Proposal):
    return FollowUpReport.objects.filter(proposal=proposal, state__in=OPEN_STATES)


@transaction.atomic
def closure_put_on_agenda(*, proposal: Proposal, by: User, meeting: Meeting):
    """The processledare puts a project in "Slutredovisad" on a styrgrupp agenda, where "godkänna resultat
    och avsluta" closes it or sends it back to active (the decision is governance's)."""
    from governance.services import item_add

    if not permissions.is_process_leader(by, proposal.agreement_id):
        raise PermissionDenied
    if proposal.state != ProposalState.CLOSING:
        raise ValidationError(_("Projektet är inte slutredovisat och kan inte tas upp för avslut."))
    if not meeting.is_steering or meeting.agreement_id != proposal.agreement_id:
        raise ValidationError({"meeting": _("Välj ett styrgruppsmöte i avtalet.")})
    return item_add(
        meeting=meeting,
        by=by,
        kind=ItemKind.CLOSURE,
        proposal=proposal,
        title=_("Godkänna resultat och avsluta: %(title)s") % {"title": proposal.title},
        description=_(
            "Slutredovisning och populärvetenskaplig presentation finns. "
            "Förslag: godkänna resultaten och avsluta projektet."
        ),
    )
