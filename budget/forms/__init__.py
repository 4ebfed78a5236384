"""Budget forms: the application budget grid (application.py), the agreement's economy (economy.py) and the
verksamhetsplan (plans.py). They parse input; the services check the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the fields it names; the rest above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
