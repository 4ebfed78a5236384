"""Proposal services: create, edit, förankring, sections, and the lifecycle transitions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from samverkan.enums import Role
from samverkan.errors import ApplicationError
from samverkan.models import Agreement, Organisation, RoleAssignment, User
from samverkan.notifications import notify
from samverkan.selectors import people_with_role

from .. import permissions
from ..enums import ProposalState, TemplateStage, WorkForm
from ..models import ActivityGoal, Proposal, ProposalSection, ProposalTemplate, ProposalTransition
from ..signals import proposal_transitioned

STALE_MESSAGE = "Ärendet har ändrats av någon annan – ladda om sidan."


class TransitionRefused(ApplicationError):
    """A transition (or edit) that may not happen now; the message is Swedish and shown to the user."""


class StaleProposal(TransitionRefused):
    def __init__(self, message: str = STALE_MESSAGE):
        super().__init__(message)


# --- team ---------------------------------------------------------------------------------------------------


def team_of(proposal: Proposal) -> set[User]:
    members = {proposal.responsible_researcher, *proposal.researchers.all()}
    if proposal.responsible_officer_id:
        members.add(proposal.responsible_officer)
    return members


def current_template(agreement: Agreement, stage: str, work_form: str) -> ProposalTemplate | None:
    """The current template for the stage: the work form's own if there is one, else the general one."""
    candidates = ProposalTemplate.objects.filter(agreement=agreement, stage=stage, is_current=True)
    by_form = {t.work_form: t for t in candidates.filter(work_form__in=[work_form, ""])}
    return by_form.get(work_form) or by_form.get("")


def _validate_team(
    agreement: Agreement, researcher: User, officer: User | None, organisations, researchers=()
) -> None:
    active = RoleAssignment.objects.active().filter(agreement=agreement)
    if not active.filter(user=researcher, role=Role.RESEARCHER).exists():
        raise ValidationError(
            {"responsible_researcher": _("Ansvarig forskare måste ha rollen forskare i avtalet.")}
        )
    if officer is not None:
        officer_orgs = active.filter(user=officer, role=Role.OFFICER).exclude(organisation__kind="university")
        if not officer_orgs.exists():
            raise ValidationError(
                {
                    "responsible_officer": _(
                        "Ansvarig tjänsteperson måste ha rollen tjänsteperson i en kommun i avtalet."
                    )
                }
            )
    co_researchers = {user.pk for user in researchers}
    if co_researchers:
        holding = set(
            active.filter(user_id__in=co_researchers, role=Role.RESEARCHER).values_list("user_id", flat=True)
        )
        if co_researchers - holding:
            raise ValidationError({"researchers": _("Övriga forskare måste ha rollen forskare i avtalet.")})
    allowed = agreement.organisation_ids() - {agreement.university_id}
    if any(org.pk not in allowed for org in organisations):
        raise ValidationError(
            {"municipal_organisations": _("Välj kommuner eller bolag som är parter i avtalet.")}
        )


@transaction.atomic
def proposal_create(
    *,
    agreement: Agreement,
    by: User,
    title: str,
    work_form: str = WorkForm.PROJECT,
    responsible_researcher: User | None = None,
    responsible_officer: User | None = None,
    municipal_organisations=(),
    researchers=(),
    **fields,
) -> Proposal:
    """Register an idea (dialog). Ideas can come from either party; a researcher and a municipal
    tjänsteperson must both be engaged before it moves on (Samverkansmodellen, "Dialog")."""
    if not permissions.can_create_proposal(by, agreement):
        raise PermissionDenied
    researcher = responsible_researcher or by
    _validate_team(agreement, researcher, responsible_officer, municipal_organisations, researchers)
    proposal = Proposal(
        agreement=agreement,
        title=title,
        work_form=work_form,
        responsible_researcher=researcher,
        responsible_officer=responsible_officer,
        created_by=by,
        pitch_template=current_template(agreement, TemplateStage.PITCH, work_form),
        application_template=current_template(agreement, TemplateStage.APPLICATION, work_form),
        state_changed_at=timezone.now(),
        **fields,
    )
    proposal.full_clean(exclude=["state"])
    proposal.save()
    proposal.municipal_organisations.set(municipal_organisations)
    proposal.researchers.set(researchers)
    ProposalTransition.objects.create(
        proposal=proposal,
        transition="create",
        source=ProposalState.DIALOG,
        target=ProposalState.DIALOG,
        by=by,
        comment=_("Idé registrerad"),
    )
    others = team_of(proposal) - {by}
    notify(
        "proposal_team_added",
        to=others,
        context={"proposal": proposal, "by": by},
        link=proposal.get_absolute_url(),
    )
    return proposal


def _locked(proposal: Proposal, expected_state: str | None = None) -> Proposal:
    fresh = Proposal.objects.select_for_update().select_related("agreement").get(pk=proposal.pk)
    if expected_state is not None and fresh.state != expected_state:
        raise StaleProposal
    return fresh


@transaction.atomic
def proposal_update(
    *,
    proposal: Proposal,
    by: User,
    expected_state: str | None = None,
    researchers=None,
    municipal_organisations=None,
    **fields,
) -> Proposal:
    """Edit the proposal's content and team while applicants still write it."""
    fresh = _locked(proposal, expected_state)
    if not permissions.can_edit_proposal(by, fresh):
        raise PermissionDenied
    before = team_of(fresh)
    officer_changed = (
        "responsible_officer" in fields and fields["responsible_officer"] != fresh.responsible_officer
    )
    for name, value in fields.items():
        setattr(fresh, name, value)
    orgs = (
        municipal_organisations
        if municipal_organisations is not None
        else fresh.municipal_organisations.all()
    )
    _validate_team(
        fresh.agreement, fresh.responsible_researcher, fresh.responsible_officer, orgs, researchers or ()
    )
    if officer_changed:
        # Förankring is the tjänsteperson's confirmation: a new tjänsteperson must confirm again.
        fresh.anchoring_confirmed_at = None
        fresh.anchoring_confirmed_by = None
    fresh.full_clean(exclude=["state"])
    fresh.save()
    if municipal_organisations is not None:
        fresh.municipal_organisations.set(municipal_organisations)
    if researchers is not None:
        fresh.researchers.set(researchers)
    permissions.forget_team(fresh)  # the team is read from the fields, which just changed
    new_members = team_of(fresh) - before
    notify(
        "proposal_team_added",
        to=new_members,
        context={"proposal": fresh, "by": by},
        link=fresh.get_absolute_url(),
    )
    return fresh


@transaction.atomic
def proposal_confirm_anchoring(*, proposal: Proposal, by: User, organisation: Organisation) -> Proposal:
    """The responsible tjänsteperson confirms that the application is anchored in their förvaltning or
    bolag (Samverkansmodellen, "Förankring"). Submission is refused until this is done."""
    fresh = _locked(proposal)
    if not permissions.can_confirm_anchoring(by, fresh):
        raise PermissionDenied
    allowed = fresh.agreement.organisation_ids() - {fresh.agreement.university_id}
    if organisation.pk not in allowed:
        raise ValidationError({"organisation": _("Välj en kommun eller ett bolag som är part i avtalet.")})
    fresh.anchoring_organisation = organisation
    fresh.anchoring_confirmed_by = by
    fresh.anchoring_confirmed_at = timezone.now()
    fresh.save()
    notify(
        "proposal_anchored",
        to=team_of(fresh) - {by},
        context={"proposal": fresh, "by": by},
        link=fresh.get_absolute_url(),
    )
    return fresh


def template_for_editing(proposal: Proposal) -> ProposalTemplate | None:
    """The form the applicants fill now: the pitch template in pitch, otherwise the application template."""
    if proposal.state == ProposalState.PITCH and proposal.pitch_template_id:
        return proposal.pitch_template
    return proposal.application_template


@transaction.atomic
def proposal_save_sections(*, proposal: Proposal, by: User, texts: dict[int, str]) -> Proposal:
    """Save the applicants' texts per template section. Length limits are enforced; required sections are
    checked at submission (so that a half-written application can be saved)."""
    fresh = _locked(proposal)
    if not permissions.can_edit_proposal(by, fresh):
        raise PermissionDenied
    template = template_for_editing(fresh)
    sections = {s.pk: s for s in template.sections.all()} if template else {}
    errors = {}
    texts = {section_id: text.strip() for section_id, text in texts.items()}
    for section_id, text in texts.items():
        section = sections.get(section_id)
        if section is None:
            raise ValidationError(_("Avsnittet hör inte till ärendets mall."))
        if section.max_length and len(text) > section.max_length:
            errors[f"section_{section_id}"] = _("%(title)s: högst %(max)s tecken (nu %(len)s).") % {
                "title": section.title,
                "max": section.max_length,
                "len": len(text),
            }
    if errors:
        raise ValidationError(errors)
    for section_id, text in texts.items():
        ProposalSection.objects.update_or_create(
            proposal=fresh, section_id=section_id, defaults={"text": text, "updated_by": by}
        )
    fresh.save(update_fields=["updated_at"])
    return fresh


@transaction.atomic
def proposal_set_activity_goals(*, proposal: Proposal, by: User, goals: list[str]) -> Proposal:
    fresh = _locked(proposal)
    if not permissions.can_edit_proposal(by, fresh):
        raise PermissionDenied
    fresh.activity_goals.all().delete()
    ActivityGoal.objects.bulk_create(
        ActivityGoal(proposal=fresh, order=index, text=text.strip())
        for index, text in enumerate(goals)
        if text.strip()
    )
    return fresh


# --- lifecycle ---------------------------------------------------------------------------------------------


def available_transitions(proposal: Proposal, user: User):
    """The transitions this user may run now from the proposal page (conditions met, permission held).
    Transitions caused by meetings, documents or reports are never offered here (permissions.can_transition
    refuses them); those screens record what causes them."""
    return list(proposal.get_available_user_state_transitions(user))


def refusal_reason_list(proposal: Proposal) -> list[str]:
    """Everything that stops submission, in Swedish: the completeness check plus förankring."""
    reasons = proposal.missing_for_submission()
    if not proposal.anchoring_confirmed():
        reasons.append(_("Ansvarig tjänsteperson har inte bekräftat förankringen."))
    return reasons


def refusal_reason(proposal: Proposal, name: str) -> str:
    if name == "submit":
        return " ".join(refusal_reason_list(proposal))
    if name in ("to_pitch", "to_application") and not proposal.has_both_parties():
        return _("Ärendet behöver både en ansvarig forskare och en ansvarig tjänsteperson från kommunen.")
    if name == "start" and not proposal.ready_to_start():
        return _("Alla exemplar måste vara signerade och diarieförda och projektkontot angivet.")
    if name == "submit_final_report" and not proposal.ready_to_close():
        return _("Slutrapport och populärvetenskaplig presentation krävs före avslut.")
    return _("Det går inte att göra så med ärendet i dess nuvarande status.")


NOTIFY_APPLICANTS = {
    "record_pitch_feedback",
    "return_incomplete",
    "schedule_review",
    "forward_to_decision",
    "return_for_revision",
    "decline",
    "grant",
    "reject",
    "approve_cofunding",
    "main_funder_granted",
    "main_funder_declined",
    "start",
    "close",
    "reopen",
    "withdraw",
}


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    name: str,
    by: User,
    comment: str = "",
    expected_state: str | None = None,
    authorised: bool = False,
) -> Proposal:
    """Run a lifecycle transition: permission, conditions, atomic state change with optimistic locking,
    append-only history and notifications. A stale click raises StaleProposal; nothing changes on refusal.

    `authorised=True` is for services of later stages (beredning outcome, styrgrupp decision, signed
    documents) that have already decided, with their own policy, that `by` may do this – e.g. the chair of
    a styrgrupp meeting recording its decision. Conditions are still checked."""
    fresh = _locked(proposal, expected_state)
    method = getattr(fresh, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise TransitionRefused(_("Okänd åtgärd."))
    meta = method._django_fsm
    if not meta.has_transition(fresh.state):
        raise TransitionRefused(_("Det går inte att göra så med ärendet i dess nuvarande status."))
    # Permission first, then conditions, so the right person learns what is missing. (django-fsm-2's
    # has_transition_perm() also checks conditions and would turn a missing budget into a bare 403.)
    if not authorised and not meta.has_transition_perm(fresh, fresh.state, by):
        raise PermissionDenied
    if not can_proceed(method):
        raise TransitionRefused(refusal_reason(fresh, name))
    transition = next(t for t in fresh.get_all_state_transitions() if t.name == name)
    if transition.custom.get("comment") and not comment.strip():
        raise TransitionRefused(_("Skriv en kommentar som förklarar beslutet för de sökande."))
    source = fresh.state
    method()
    fresh.state_changed_at = timezone.now()
    try:
        fresh.save()
    except ConcurrentTransition as exc:
        raise StaleProposal from exc
    ProposalTransition.objects.create(
        proposal=fresh, transition=name, source=source, target=fresh.state, by=by, comment=comment.strip()
    )
    proposal_transitioned.send(Proposal, name=name, proposal=fresh, by=by, comment=comment.strip())
    context = {
        "proposal": fresh,
        "by": by,
        "comment": comment.strip(),
        "source": source,
        "label": transition.custom.get("label"),
    }
    if name == "submit":
        leaders = people_with_role(fresh.agreement, Role.PROCESS_LEADER)
        notify("proposal_submitted", to=leaders, context=context, link=fresh.get_absolute_url())
        notify(
            "proposal_submitted_receipt", to=team_of(fresh), context=context, link=fresh.get_absolute_url()
        )
    elif name in NOTIFY_APPLICANTS:
        notify(
            "proposal_transition", to=team_of(fresh) - {by}, context=context, link=fresh.get_absolute_url()
        )
    return fresh


# --- what later stages record on the proposal ------------------------------------------------------------


@transaction.atomic
def proposal_record_documents_complete(*, proposal: Proposal, completed: bool = True) -> Proposal:
    """Called by the decision-document service when both copies are signed and registered in each party's
    diarium (or with completed=False if a document is superseded): one of the start guard's conditions."""
    fresh = _locked(proposal)
    fresh.documents_completed_at = timezone.now() if completed else None
    fresh.save(update_fields=["documents_completed_at", "updated_at"])
    return fresh


@transaction.atomic
def proposal_set_project_account(*, proposal: Proposal, by: User, account: str) -> Proposal:
    """The processledare records the project account (projektkonto) the granted money is paid to."""
    fresh = _locked(proposal)
    if not permissions.is_process_leader(by, fresh):
        raise PermissionDenied
    account = account.strip()
    if not account or len(account) > 40:
        raise ValidationError({"project_account": _("Ange projektkontot (högst 40 tecken).")})
    if fresh.state not in (ProposalState.GRANTED, ProposalState.COFUNDING_APPROVED):
        raise ValidationError(_("Projektkontot anges när ärendet är beviljat och innan det startar."))
    fresh.project_account = account
    fresh.save(update_fields=["project_account", "updated_at"])
    return fresh


@transaction.atomic
def proposal_start(*, proposal: Proposal, by: User, comment: str = "", expected_state: str | None = None):
    """Start the project (granted → active) once both copies of the beslutsunderlag are signed and
    registered in each party's diarium and the project account is entered (Samverkansmodellen, "Beslut":
    only then can the money be transferred). Done on the decision document's page by a processledare of a
    party the proposal concerns; the transition URL cannot start a project."""
    if not permissions.is_process_leader(by, proposal):
        raise PermissionDenied
    return proposal_transition(
        proposal=proposal,
        name="start",
        by=by,
        comment=comment,
        expected_state=expected_state,
        authorised=True,
    )


@transaction.atomic
def proposal_record_closure_material(
    *, proposal: Proposal, final_report: bool | None = None, presentation: bool | None = None
) -> Proposal:
    """Called by the follow-up services: the scientific final report was submitted (or sent back), the
    popular-science presentation was booked or recorded (or cancelled). Both are the closing guard's
    conditions (Samverkansmodellen, "Avslut"); None leaves a mark as it is."""
    fresh = _locked(proposal)
    now = timezone.now()
    if final_report is not None:
        fresh.final_report_submitted_at = now if final_report else None
    if presentation is not None:
        fresh.presentation_registered_at = now if presentation else None
    fresh.save(update_fields=["final_report_submitted_at", "presentation_registered_at", "updated_at"])
    return fresh


@transaction.atomic
def proposal_set_planned_end(*, proposal: Proposal, end) -> Proposal:
    """Called by the follow-up service when styrgrupp has decided a new end date for a running project
    (that service checks the permission and regenerates the follow-up schedule)."""
    fresh = _locked(proposal)
    fresh.planned_end = end
    fresh.full_clean(exclude=["state"])
    fresh.save(update_fields=["planned_end", "updated_at"])
    return fresh
