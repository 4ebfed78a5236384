"""How apps extend one another without importing upwards (docs/architecture.md, "Apps import one way").

The apps form layers – samverkan < applications < governance < budget < followup < reports – and an app may
import only the apps below it (import-linter checks this in `make lint`). When a lower app needs something
from a higher one, it does not import it; it offers one of two things in the module where it announces
what it accepts, and the higher app contributes from its `integration.register()` (called from its
AppConfig.ready – the one place an app wires itself to the others):

- a `Registry` for *contributions*: things the lower app asks for and uses, in order (start-page sections,
  proposal-page panels, completeness checks, navigation entries, decision-form parts, minutes lines, job
  kinds…);
- a Django `Signal` for *events*: things that happened and that others react to inside the same
  transaction (a proposal transition, a decision recorded). A receiver that raises rolls the event back.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered set of contributions. Registering the same thing twice (same key) keeps the first, so
    AppConfig.ready may run more than once (tests, autoreload) without doubling a section."""

    def __init__(
        self,
        name: str,
        *,
        key: Callable[[T], Hashable] | None = None,
        order: Callable[[T], Any] | None = None,
    ):
        self.name = name
        self._key = key or (lambda item: item)
        self._order = order
        self._items: dict[Hashable, T] = {}

    def register(self, item: T) -> T:
        """Add `item` (usable as a decorator); returns it unchanged."""
        self._items.setdefault(self._key(item), item)
        return item

    def unregister(self, key: Hashable) -> None:
        """Remove the contribution with `key` (tests that register a contribution for one test)."""
        self._items.pop(key, None)

    def get(self, key: Hashable) -> T | None:
        return self._items.get(key)

    def __iter__(self) -> Iterator[T]:
        items = list(self._items.values())
        if self._order is not None:
            items.sort(key=self._order)
        return iter(items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)}>"
