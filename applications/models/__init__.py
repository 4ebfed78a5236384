"""Proposals (ärenden) and their lifecycle (proposals.py), templates (mallar, templates.py), the lifecycle
history (history.py) and attachments (attachments.py). Every model is importable from here, as migrations
and the other apps do (`applications.models.attachment_path` is named in a migration)."""

from .attachments import Attachment, attachment_path
from .history import AppendOnlyQuerySet, ProposalTransition
from .proposals import ActivityGoal, Proposal, ProposalSection
from .templates import ProposalTemplate, TemplateSection

__all__ = [
    "ActivityGoal",
    "AppendOnlyQuerySet",
    "Attachment",
    "Proposal",
    "ProposalSection",
    "ProposalTemplate",
    "ProposalTransition",
    "TemplateSection",
    "attachment_path",
]
