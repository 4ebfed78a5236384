"""Every notification goes through `notify`: one template per event, kept as an in-app notification and
mailed from the outbox. Services call it; nothing else sends mail.

Templates: templates/notifications/<event>.txt (Swedish) and templates/notifications/<language>/<event>.txt
(the same mail in another language) – first line is the subject, the rest the body. They are plain text
and rendered without HTML escaping ("budget & plan" stays as typed); the in-app list is HTML and escapes
the stored text when it shows it. Each person's notification is rendered in their language
(`User.language`), with dates and choice labels translated too.

The outbox: `notify` writes the `Notification` row (subject, body, attachments, mail status "pending") in
the caller's transaction and, after commit, queues one durable job per row
(`samverkan.send_notification_mail`). The job sends the mail and records the outcome on the row; an SMTP
error is recorded (attempts, last error, status "failed") and never reaches the request. The sweep
(samverkan/jobs.py) sends again what is still pending – and failed mail after a growing pause, up to
MAIL_MAX_ATTEMPTS attempts; after that the administrator sees it in the admin and can send it again
("Skicka igen").
"""

from __future__ import annotations

import base64
import datetime
import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template import Context
from django.template.loader import select_template
from django.utils import timezone, translation

from . import jobs
from .enums import Language, MailStatus
from .models import Notification, User

log = logging.getLogger(__name__)

MAIL_MAX_ATTEMPTS = 5
# After the n-th failed attempt the next one is due MAIL_RETRY_DELAY * 3**(n-1) later (5 min, 15 min,
# 45 min, 2 h 15 min), plus up to one sweep interval.
MAIL_RETRY_DELAY = datetime.timedelta(minutes=5)


def render_text(template_name: str | Sequence[str], context: dict) -> str:
    """Render a plain-text template (the first of several names that exists) with autoescaping off – the
    same engine, loaders, tags and filters as every other template, only nothing is turned into HTML
    entities."""
    names = [template_name] if isinstance(template_name, str) else list(template_name)
    template = select_template(names).template  # the engine's Template behind the backend's wrapper
    return template.render(Context(context, autoescape=False))


def notification_templates(event: str, language: str) -> list[str]:
    """The template names for `event` in `language`, best first: Swedish is the original, another
    language falls back to it (a whole Swedish mail rather than none)."""
    if language == Language.SWEDISH:
        return [f"notifications/{event}.txt"]
    return [f"notifications/{language}/{event}.txt", f"notifications/{event}.txt"]


def _stored_attachments(attachments: Iterable[tuple[str, bytes | str, str]]) -> list[dict]:
    stored = []
    for filename, content, mimetype in attachments:
        if isinstance(content, bytes):
            content, encoded = base64.b64encode(content).decode("ascii"), True
        else:
            encoded = False
        stored.append({"filename": filename, "content": content, "mimetype": mimetype, "base64": encoded})
    return stored


def notify(
    event: str,
    *,
    to: Iterable[User | None],
    context: dict,
    link: str = "",
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
) -> list[Notification]:
    """Tell each (active) person about `event`, in their language. `attachments` are (filename, content,
    mimetype), e.g. an .ics invitation. Mail leaves only when the surrounding transaction commits."""
    recipients = sorted({user for user in to if user is not None and user.is_active}, key=lambda u: u.pk)
    if not recipients:
        return []
    context = {**context, "site_url": settings.SITE_URL, "link": link}
    stored_attachments = _stored_attachments(attachments)
    created = []
    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = render_text(notification_templates(event, user.language), {**context, "recipient": user})
        subject, _, body = text.strip().partition("\n")
        notification = Notification.objects.create(
            user=user,
            event=event,
            subject=subject.strip(),
            body=body.strip(),
            link=link,
            mail_status=MailStatus.PENDING,
            mail_attachments=stored_attachments,
        )
        created.append(notification)
        jobs.enqueue_on_commit("notification_mails", notification.pk)
    return created


def _message(notification: Notification) -> EmailMessage:
    message = EmailMessage(notification.subject, notification.body, to=[notification.user.email])
    for attachment in notification.mail_attachments:
        content = attachment["content"]
        if attachment.get("base64"):
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def notification_mail_send(*, notification_id: int) -> Notification | None:
    """Send one notification's e-mail, at most once: the row is locked while it is sent and a sent mail is
    never sent again, so a job that runs twice (the sweep and a late redelivery) mails once. A failure of
    the mail server is recorded on the row – it never propagates to the caller."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.mail_status not in (MailStatus.PENDING, MailStatus.FAILED):
            return notification
        now = timezone.now()
        try:
            _message(notification).send()
        except Exception as exc:  # any failure of the mail server or its connection is a failed mail
            _record_failed_attempt(notification, f"{type(exc).__name__}: {exc}", now=now)
        else:
            notification.mail_attempts += 1
            notification.mail_last_attempt_at = now
            notification.mail_status = MailStatus.SENT
            notification.mail_sent_at = now
            notification.mail_next_attempt_at = None
            notification.save(update_fields=MAIL_FIELDS)
        return notification


MAIL_FIELDS = [
    "mail_status",
    "mail_attempts",
    "mail_last_error",
    "mail_last_attempt_at",
    "mail_next_attempt_at",
    "mail_sent_at",
]


def _record_failed_attempt(notification: Notification, error: str, *, now: datetime.datetime) -> None:
    """One more attempt failed: the outbox shows the error and the sweep tries again after a growing pause."""
    notification.mail_attempts += 1
    notification.mail_last_attempt_at = now
    log.warning(
        "Mail for notification %s not sent (attempt %s): %s",
        notification.pk,
        notification.mail_attempts,
        error,
    )
    notification.mail_status = MailStatus.FAILED
    notification.mail_last_error = error[:2000]
    notification.mail_next_attempt_at = now + MAIL_RETRY_DELAY * 3 ** (notification.mail_attempts - 1)
    notification.save(update_fields=MAIL_FIELDS)


@transaction.atomic
def notification_mail_failed(*, notification_id: int, error: str) -> None:
    """The mail job itself failed (not the mail server – that `notification_mail_send` records): count it as
    a failed attempt, so that the administrator sees it and the sweep's pauses and limit apply."""
    notification = (
        Notification.objects.select_for_update()
        .filter(pk=notification_id, mail_status__in=(MailStatus.PENDING, MailStatus.FAILED))
        .first()
    )
    if notification is not None:
        _record_failed_attempt(notification, error, now=timezone.now())


def pending_notification_mails(*, older_than: datetime.datetime) -> QuerySet[Notification]:
    """The mail the sweep sends: pending since before `older_than` (its job was lost), and failed mail whose
    next attempt fell due before `older_than` while attempts remain."""
    return (
        Notification.objects.filter(
            Q(mail_status=MailStatus.PENDING, created_at__lt=older_than)
            | Q(
                mail_status=MailStatus.FAILED,
                mail_attempts__lt=MAIL_MAX_ATTEMPTS,
                mail_next_attempt_at__lt=older_than,
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def notification_mail_resend(*, notifications: QuerySet[Notification]) -> int:
    """The administrator's "Skicka igen": failed mail is queued again (one more attempt each; the count of
    attempts is kept). Sent mail is never sent again. Returns how many were queued."""
    ids = list(
        notifications.filter(mail_status=MailStatus.FAILED)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids).update(mail_status=MailStatus.PENDING, mail_next_attempt_at=None)
    for pk in ids:
        jobs.enqueue_on_commit("notification_mails", pk)
    return len(ids)
