"""Panels on the proposal page contributed by other apps (budget, governance, reports) from AppConfig.ready,
so applications never imports them. A provider takes (request, proposal) and returns a Panel or None.

A provider that only has something to show in some states says so with `@shown_in(*states)`: in the
other states it is not called at all. A heavy panel (one that reads many rows, e.g. the project's
economy) is *deferred* (samverkan/parts.py): the page shows the panel's heading and a plain link to the
page with that panel filled in, and htmx fetches the panel (`?panel=<key>`) right after the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from samverkan import parts
from samverkan.parts import Part
from samverkan.registry import Registry

Panel = Part

providers: Registry[Callable] = Registry("applications.panels")
register = providers.register


def shown_in(*states: str) -> Callable[[Callable], Callable]:
    """Declare the proposal states in which the provider can show anything; it is skipped in the others."""

    def mark(provider: Callable) -> Callable:
        provider.panel_states = frozenset(str(s) for s in states)
        return provider

    return mark


deferred = parts.deferred


def _providers_for(proposal) -> Iterable[Callable]:
    for provider in providers:
        states = getattr(provider, "panel_states", None)
        if states is None or proposal.state in states:
            yield provider


def panels_for(request, proposal, *, load: str | None = None, only: str | None = None) -> list[Panel]:
    """The proposal page's panels in order; deferred ones as samverkan.parts.collect says."""
    return parts.collect(
        _providers_for(proposal), lambda provider: provider(request, proposal), load=load, only=only
    )
