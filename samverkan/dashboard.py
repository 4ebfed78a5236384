"""The start page is built from sections that each app registers: "what is theirs to do".

A section provider takes the request and returns a `Section` or None (nothing to show). Providers must
keep their query count independent of the number of rows (select/prefetch); one that reads many rows is
deferred (`@deferred(key)`, samverkan/parts.py) and computed after the page with htmx.
"""

from __future__ import annotations

from collections.abc import Callable

from . import parts
from .parts import Part
from .registry import Registry

Section = Part
deferred = parts.deferred

providers: Registry[Callable] = Registry("samverkan.dashboard")
register = providers.register


def sections_for(request, *, load: str | None = None, only: str | None = None) -> list[Section]:
    """The start page's sections in order; a heavy one is deferred (samverkan/parts.py, ?avsnitt=<key>)."""
    return parts.collect(providers, lambda provider: provider(request), load=load, only=only)
