"""Who may see and change an application budget. The budget is part of the application, so it follows the
proposal's own policy: whoever may view the proposal sees its budget; the team edits it while they write."""

from __future__ import annotations

from applications import permissions as proposals


def can_view_budget(user, proposal) -> bool:
    return proposals.can_view_proposal(user, proposal)


def can_edit_budget(user, proposal) -> bool:
    return proposals.can_edit_proposal(user, proposal)
