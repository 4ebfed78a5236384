"""Parts of a page that other apps contribute – start-page sections (samverkan.dashboard), proposal-page
panels (applications.panels) – and how a heavy one is computed after the page.

A provider returns a `Part` or None (nothing to show). A heavy part (one that reads many rows: the economy,
the portfolio's charts) is *deferred*: the provider does only its cheap checks and returns
`Part(title, template, key=…, load=…)`; the page shows the part's heading and a plain link to the page with
that part filled in (`?<param>=<key>`, works without JavaScript), and htmx fetches the part alone right after
the page. Such a provider is marked `@deferred(key)`, so that fetching one part calls only its own provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class Part:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    # A deferred part: its key (in ?<param>=<key> and the element's id) and what computes its context
    # (None: nothing to show after all).
    key: str = ""
    load: Callable[[], dict | None] | None = None

    @property
    def deferred(self) -> bool:
        return self.load is not None


def deferred(key: str) -> Callable[[Callable], Callable]:
    """Declare that the provider returns the deferred part `key`."""

    def mark(provider: Callable) -> Callable:
        provider.part_key = key
        return provider

    return mark


def collect(
    providers: Iterable[Callable], call: Callable[[Callable], Part | None], *, load=None, only=None
) -> list[Part]:
    """The parts in order. Deferred parts come without their context, except the one named `load` (the page
    asked for it without JavaScript), which is computed now – and left out when it has nothing to show.
    `only` computes that one deferred part alone (the htmx request)."""
    parts = []
    for provider in providers:
        if only is not None and getattr(provider, "part_key", None) != only:
            continue
        part = call(provider)
        if part is None:
            continue
        if part.deferred and part.key in (load, only):
            context = part.load()
            if context is None:
                continue
            part.context, part.load = context, None
        parts.append(part)
    return sorted(parts, key=lambda p: p.order)
