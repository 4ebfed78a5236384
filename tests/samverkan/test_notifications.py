"""Notifications (samverkan/notifications.py): the e-mail is plain text and shows what people typed as they
typed it ("budget & plan", not "budget &amp; plan"); the in-app list is HTML and escapes it.

The class test takes every notification template there is and puts hostile text into every value it
reads, so a new event is covered the day its template is added."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samverkan.models import Notification
from samverkan.notifications import notify
from tests.factories.samverkan import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "notifications"
EVENTS = sorted(path.stem for path in TEMPLATES.glob("*.txt"))

# Lower case: some templates lower-case a value (|lower), which must not change the text.
HOSTILE = "budget & plan <script>alert(\"x\")</script> 'citat'"
HOSTILE_IN_HTML = "budget &amp; plan &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#x27;citat&#x27;"
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;"]
TEMPLATE_WORDS = {
    "if", "elif", "else", "endif", "for", "in", "endfor", "not", "and", "or", "load", "i18n", "with",
    "endwith", "translate", "blocktranslate", "endblocktranslate", "trimmed", "count", "plural", "as",
}  # fmt: skip


# What the date and time filters read: a hostile value is no date, so those filters give "" (as for text).
DATE_PARTS = {"year", "month", "day", "hour", "minute", "second", "microsecond", "tzinfo", "weekday"}


class Hostile:
    """Any value a template may read: every attribute, item and element is hostile text again."""

    def __str__(self):
        return HOSTILE

    def __getattr__(self, name):
        if name.startswith("__") or name in DATE_PARTS:
            raise AttributeError(name)
        return Hostile()

    def __iter__(self):
        return iter([Hostile()])

    def __len__(self):
        return 1


def _names_read(event: str, language: str = "sv") -> set[str]:
    """The top-level names the template reads ({{ x.y }}, {% if x %}, {% for a in x %}, filter arguments)."""
    folder = TEMPLATES if language == "sv" else TEMPLATES / language
    source = (folder / f"{event}.txt").read_text()
    names = set()
    for tag in re.findall(r"{{(.*?)}}|{%(.*?)%}", source):
        code = re.sub(r'"[^"]*"', "", "".join(tag))
        names.update(re.findall(r"(?<![\w.])([a-z_]\w*)", code))
    return names - TEMPLATE_WORDS - {"site_url", "link", "recipient"}


def test_every_notification_template_is_tested():
    assert len(EVENTS) >= 18
    assert all(_names_read(event) for event in EVENTS)


@pytest.mark.parametrize("event", EVENTS)
def test_every_notification_has_an_english_template_reading_the_same_values(event):
    assert _names_read(event, "en") == _names_read(event)


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("event", EVENTS)
def test_hostile_text_is_verbatim_in_the_mail_and_escaped_in_the_app(
    event, language, django_capture_on_commit_callbacks
):
    user = UserFactory(first_name=HOSTILE, last_name=HOSTILE, language=language)
    context = {name: Hostile() for name in _names_read(event)}

    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify(event, to=[user], context=context, link="/notiser/")

    [message] = mail.outbox
    text = f"{message.subject}\n{message.body}"
    assert HOSTILE in text
    assert not [entity for entity in ENTITIES if entity in text]
    stored = Notification.objects.get(pk=notification.pk)
    assert f"{stored.subject}\n{stored.body}" == text

    client = Client()
    client.force_login(user)
    page = client.get(reverse("notification_list")).content.decode()
    assert HOSTILE_IN_HTML in page
    assert "<script>alert" not in page


def test_the_start_page_escapes_notification_subjects(django_capture_on_commit_callbacks):
    user = UserFactory()
    notify(
        "proposal_transition",
        to=[user],
        context={name: Hostile() for name in _names_read("proposal_transition")},
    )

    client = Client()
    client.force_login(user)
    page = client.get(reverse("start")).content.decode()

    assert HOSTILE_IN_HTML in page
    assert "<script>alert" not in page
