"""The administrator finds a mail that failed, with the mail server's error, and sends it again from the
admin (samverkan/notifications.py: the outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from samverkan.demo import DEMO_PASSWORD
from samverkan.enums import MailStatus
from samverkan.models import Notification, User
from tests.factories.samverkan import UserFactory

ERROR = "SMTPRecipientsRefused: {'sara@kommun.example': (550, b'Mailbox unavailable')}"


@pytest.fixture
def failed_mail(transactional_db):
    User.objects.create_superuser("admin@samverkan.example", DEMO_PASSWORD, first_name="Systemförvaltare")
    return Notification.objects.create(
        user=UserFactory(email="sara@kommun.example"),
        event="proposal_team_added",
        subject='Du är med i ärendet "Cykelvägar i Västerås"',
        body="Hej Sara!",
        mail_status=MailStatus.FAILED,
        mail_attempts=5,
        mail_last_error=ERROR,
    )


def test_the_administrator_sees_a_failed_mail_and_sends_it_again(failed_mail, browser_as):
    browser_as.login("admin@samverkan.example")
    page = browser_as.goto("/admin/samverkan/notification/")
    page.get_by_role("link", name="Misslyckades").click()  # the status filter
    row = page.get_by_role("row").filter(has_text="Cykelvägar i Västerås")
    expect(row).to_contain_text("Misslyckades")
    expect(row).to_contain_text("SMTPRecipientsRefused")
    expect(row).to_contain_text("Mailbox unavailable")
    browser_as.shot("misslyckad-e-post")

    row.get_by_role("checkbox").check()
    page.get_by_label("Åtgärd:").select_option(label="Skicka igen")
    page.get_by_role("button", name="Utför").click()

    expect(page.get_by_text("1 e-postmeddelande skickas igen.")).to_be_visible()
    browser_as.shot("skickad-igen")
    failed_mail.refresh_from_db()
    assert failed_mail.mail_status == MailStatus.SENT
    assert [m.to for m in mail.outbox] == [["sara@kommun.example"]]
