"""Who may do what with reports, exports, the catalogue and communication plans (the policy)."""

from __future__ import annotations

from samverkan import permissions as core
from samverkan.enums import Role

# Roles that read the agreement's quarterly reports (they get the portfolio and economy presented).
REPORT_VIEW_ROLES = (
    Role.PROCESS_LEADER,
    Role.COMMUNICATOR,
    Role.STEERING_MEMBER,
    Role.STEERING_DEPUTY,
    Role.SIGNATORY,
)
# Roles that run a report on demand and export data.
REPORT_RUN_ROLES = (Role.PROCESS_LEADER, Role.COMMUNICATOR)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def report_agreement_ids(user) -> set[int] | None:
    """Agreements whose reports the user sees; None = all (superuser)."""
    if core.is_superuser(user):
        return None
    return core.agreement_ids_with_role(user, *REPORT_VIEW_ROLES)


def can_see_reports(user) -> bool:
    return _active(user) and (core.is_superuser(user) or core.has_any_role(user, *REPORT_VIEW_ROLES))


def can_view_report(user, report) -> bool:
    return _active(user) and (
        core.is_superuser(user) or core.has_role(user, report.agreement_id, *REPORT_VIEW_ROLES)
    )


def can_run_report(user, agreement) -> bool:
    """Processledare and kommunikatörer order a report on demand (and retry a failed one)."""
    return _active(user) and (
        core.is_superuser(user) or core.has_role(user, getattr(agreement, "pk", agreement), *REPORT_RUN_ROLES)
    )


def can_export(user) -> bool:
    return _active(user) and (core.is_superuser(user) or core.has_any_role(user, *REPORT_RUN_ROLES))


def export_agreement_ids(user) -> set[int] | None:
    if core.is_superuser(user):
        return None
    return core.agreement_ids_with_role(user, *REPORT_RUN_ROLES)


def can_publish(user, proposal) -> bool:
    """A kommunikatör decides per project what is published (Samverkansmodellen: kommunikatörens roll)."""
    return _active(user) and (
        core.is_superuser(user) or core.has_role(user, proposal.agreement_id, Role.COMMUNICATOR)
    )


def can_manage_publications(user) -> bool:
    return _active(user) and (core.is_superuser(user) or core.has_any_role(user, Role.COMMUNICATOR))


def can_view_plans(user) -> bool:
    return _active(user) and (core.is_superuser(user) or core.has_any_role(user, *REPORT_VIEW_ROLES))


def can_view_plan(user, plan) -> bool:
    return _active(user) and (
        core.is_superuser(user) or core.has_role(user, plan.agreement_id, *REPORT_VIEW_ROLES)
    )


def can_edit_plan(user, plan) -> bool:
    """Kommunikatörerna write the plan until it is handed to the styrgrupp."""
    from .enums import PlanStatus

    return (
        plan.status == PlanStatus.DRAFT
        and _active(user)
        and (core.is_superuser(user) or core.has_role(user, plan.agreement_id, Role.COMMUNICATOR))
    )


def can_create_plan(user, agreement) -> bool:
    return _active(user) and (
        core.is_superuser(user) or core.has_role(user, getattr(agreement, "pk", agreement), Role.COMMUNICATOR)
    )


def can_create_plans(user) -> bool:
    """The new-plan form: a kommunikatör of some agreement, or an administrator when there is an agreement
    to plan for (the agreements PlanCreateForm offers)."""
    if not _active(user):
        return False
    if core.is_superuser(user):
        from samverkan.models import Agreement

        return Agreement.objects.exists()
    return core.has_any_role(user, Role.COMMUNICATOR)


def can_schedule_plan(user, plan) -> bool:
    """Processledare put a submitted plan on a styrgrupp agenda (they build the agendas)."""
    from .enums import PlanStatus

    return (
        plan.status == PlanStatus.SUBMITTED
        and plan.agenda_item_id is None
        and _active(user)
        and (core.is_superuser(user) or core.has_role(user, plan.agreement_id, Role.PROCESS_LEADER))
    )
