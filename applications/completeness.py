"""The completeness check before submission. Other apps add their checks (e.g. budget: "a budget is
required") from AppConfig.ready, so applications does not import them.

A check takes a proposal and returns a list of Swedish messages, one per missing thing.
"""

from __future__ import annotations

from collections.abc import Callable

from samverkan.registry import Registry

checks: Registry[Callable] = Registry("applications.completeness")
register = checks.register


def missing(proposal) -> list[str]:
    messages: list[str] = []
    for check in checks:
        messages.extend(check(proposal))
    return messages
