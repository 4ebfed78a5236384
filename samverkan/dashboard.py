"""The start page is built from sections that each app registers: "what is theirs to do".

A section provider takes the request and returns a `Section` or None (nothing to show). Providers must
keep their query count independent of the number of rows (select/prefetch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .registry import Registry


@dataclass
class Section:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


providers: Registry[Callable] = Registry("samverkan.dashboard")
register = providers.register


def sections_for(request) -> list[Section]:
    sections = [s for s in (provider(request) for provider in providers) if s is not None]
    return sorted(sections, key=lambda s: s.order)
