"""What other apps do when a proposal moves. An app registers a function for a transition name from its
AppConfig.ready (e.g. follow-up generates the report schedule on "start"), so applications never imports
the apps that build on it (STYLE.md: dependencies point one way).

A hook is called inside the transition's transaction, after the history row is written, as
`hook(proposal=..., by=..., comment=...)`; an exception rolls the transition back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_hooks: dict[str, list[Callable]] = defaultdict(list)


def after_transition(name: str, hook: Callable) -> Callable:
    if hook not in _hooks[name]:
        _hooks[name].append(hook)
    return hook


def run(name: str, *, proposal, by, comment: str) -> None:
    for hook in _hooks.get(name, ()):
        hook(proposal=proposal, by=by, comment=comment)
