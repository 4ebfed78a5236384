"""Every notification goes through `notify`: one template per event, sent as e-mail after commit and kept
as an in-app notification. Services call it; nothing else sends mail.

Templates: templates/notifications/<event>.txt – first line is the subject, the rest the body. They are
plain text and rendered without HTML escaping ("budget & plan" stays as typed); the in-app list is HTML and
escapes the stored text when it shows it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template

from .models import Notification, User


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template with autoescaping off – the same engine, loaders, tags and filters as
    every other template, only nothing is turned into HTML entities."""
    template = get_template(template_name).template  # the engine's Template behind the backend's wrapper
    return template.render(Context(context, autoescape=False))


def notify(
    event: str,
    *,
    to: Iterable[User | None],
    context: dict,
    link: str = "",
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> list[Notification]:
    """Tell each (active) person about `event`. `attachments` are (filename, content, mimetype), e.g. an
    .ics invitation. Mail leaves only when the surrounding transaction commits."""
    recipients = sorted({user for user in to if user is not None and user.is_active}, key=lambda u: u.pk)
    if not recipients:
        return []
    context = {**context, "site_url": settings.SITE_URL, "link": link}
    attachments = list(attachments)
    created = []
    for user in recipients:
        text = render_text(f"notifications/{event}.txt", {**context, "recipient": user}).strip()
        subject, _, body = text.partition("\n")
        subject, body = subject.strip(), body.strip()
        created.append(
            Notification.objects.create(user=user, event=event, subject=subject, body=body, link=link)
        )
        message = EmailMessage(subject, body, to=[user.email], attachments=attachments)
        transaction.on_commit(message.send)
    return created
