"""Panels on the proposal page contributed by other apps (budget, governance, reports) from AppConfig.ready,
so applications never imports them. A provider takes (request, proposal) and returns a Panel or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from samverkan.registry import Registry


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


providers: Registry[Callable] = Registry("applications.panels")
register = providers.register


def panels_for(request, proposal) -> list[Panel]:
    panels = [p for p in (provider(request, proposal) for provider in providers) if p is not None]
    return sorted(panels, key=lambda p: p.order)
