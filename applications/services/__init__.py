"""Every write to proposals. Views call these; they check permission again and run in one transaction."""

from .attachments import attachment_add, attachment_remove  # noqa: F401
from .proposals import (  # noqa: F401
    StaleProposal,
    TransitionRefused,
    available_transitions,
    proposal_confirm_anchoring,
    proposal_create,
    proposal_record_closure_material,
    proposal_record_documents_complete,
    proposal_save_sections,
    proposal_set_activity_goals,
    proposal_set_planned_end,
    proposal_set_project_account,
    proposal_start,
    proposal_transition,
    proposal_update,
    refusal_reason_list,
)
from .templates import template_create, template_new_version  # noqa: F401
