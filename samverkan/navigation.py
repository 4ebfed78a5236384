"""The main navigation. Each app registers its entries (from AppConfig.ready); visibility asks the policy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from .registry import Registry


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    visible: Callable[[object], bool]
    order: int = 100


items: Registry[NavItem] = Registry("samverkan.navigation", key=lambda i: i.url_name, order=lambda i: i.order)
register = items.register


def items_for(user, current_path: str = "") -> list[dict]:
    result = []
    for item in items:
        if item.visible(user):
            url = reverse(item.url_name)
            current = current_path == url or (url != "/" and current_path.startswith(url))
            result.append({"label": item.label, "url": url, "current": current})
    return result
