"""Writes of the core domain that belong to no bigger module (notify() and the outbox live in
samverkan/notifications.py)."""

from __future__ import annotations

from .enums import Language
from .models import User


def user_set_language(*, user: User, language: str) -> User:
    """The person's language, kept so that their e-mail is written in it (the language switcher sets it)."""
    if language not in Language.values:
        raise ValueError(f"Unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
