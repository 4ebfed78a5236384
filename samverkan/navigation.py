"""The main navigation. Each app registers its entries (from AppConfig.ready); visibility asks the policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100


_items: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _items):
        _items.append(item)
        _items.sort(key=lambda i: i.order)


def items_for(user, current_path: str = "") -> list[dict]:
    result = []
    for item in _items:
        if item.visible(user):
            url = reverse(item.url_name)
            current = current_path == url or (url != "/" and current_path.startswith(url))
            result.append({"label": item.label, "url": url, "current": current})
    return result
