"""Panels on the proposal page contributed by other apps (budget, governance, reports) from AppConfig.ready,
so applications never imports them. A provider takes (request, proposal) and returns a Panel or None.

A provider that only has something to show in some states says so with `@shown_in(*states)`: in the
other states it is not called at all. A heavy panel (one that reads many rows, e.g. the project's
economy) is *deferred*: the provider returns `Panel(key=…, load=…)` instead of a context, the page shows
the panel's heading and a plain link to the page with that panel filled in, and htmx fetches the panel
(`?panel=<key>`) right after the page – so the page is complete without JavaScript and fast with it. Such a
provider is marked `@deferred(key)`, so that fetching one panel calls only its own provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from samverkan.registry import Registry


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    # A deferred panel: its key (in ?panel=<key> and the section's id) and what computes its context
    # (None: nothing to show after all).
    key: str = ""
    load: Callable[[], dict | None] | None = None

    @property
    def deferred(self) -> bool:
        return self.load is not None


providers: Registry[Callable] = Registry("applications.panels")
register = providers.register


def shown_in(*states: str) -> Callable[[Callable], Callable]:
    """Declare the proposal states in which the provider can show anything; it is skipped in the others."""

    def mark(provider: Callable) -> Callable:
        provider.panel_states = frozenset(str(s) for s in states)
        return provider

    return mark


def deferred(key: str) -> Callable[[Callable], Callable]:
    """Declare that the provider returns the deferred panel `key` (see the module docstring)."""

    def mark(provider: Callable) -> Callable:
        provider.panel_key = key
        return provider

    return mark


def _providers_for(proposal, only: str | None) -> Iterable[Callable]:
    for provider in providers:
        states = getattr(provider, "panel_states", None)
        if states is not None and proposal.state not in states:
            continue
        if only is not None and getattr(provider, "panel_key", None) != only:
            continue
        yield provider


def panels_for(request, proposal, *, load: str | None = None, only: str | None = None) -> list[Panel]:
    """The proposal page's panels in order. Deferred panels come without their context, except the one
    named `load` (the page asked for it: ?panel=<key> without JavaScript), which is computed now – and left
    out when it has nothing to show. `only` computes that one deferred panel alone (the htmx request)."""
    panels = []
    for provider in _providers_for(proposal, only):
        panel = provider(request, proposal)
        if panel is None:
            continue
        if panel.deferred and panel.key in (load, only):
            context = panel.load()
            if context is None:
                continue
            panel.context, panel.load = context, None
        panels.append(panel)
    return sorted(panels, key=lambda p: p.order)
