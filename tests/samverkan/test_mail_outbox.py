"""The mail outbox (samverkan/notifications.py): notify() writes the row, a durable job sends it in the
recipient's language and records the outcome; a failing mail server never breaks the request, failed mail
is retried by the sweep and can be sent again from the admin, and no mail is sent twice."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse
from django.utils import timezone

from applications.enums import ProposalState
from samverkan.enums import Language, MailStatus, Role
from samverkan.models import Notification
from samverkan.notifications import MAIL_MAX_ATTEMPTS, notify
from samverkan.tasks import requeue_pending_jobs, send_notification_mail
from tests.factories.applications import ProposalFactory, anchored, with_sections
from tests.factories.budget import with_budget
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db

BACKEND = f"{__name__}.RefusingBackend"


class RefusingBackend(LocmemBackend):
    """The test outbox, except that the server refuses the addresses in `refused` (all when `down`)."""

    refused: set[str] = set()
    down = False

    def send_messages(self, messages):
        for message in messages:
            if self.down:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            refused = {address for address in message.to if address in self.refused}
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {address: (550, b"Mailbox unavailable") for address in refused}
                )
        return super().send_messages(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = BACKEND
    RefusingBackend.refused, RefusingBackend.down = set(), False
    yield RefusingBackend
    RefusingBackend.refused, RefusingBackend.down = set(), False


def _submittable_proposal():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    with_sections(proposal)
    with_budget(proposal)
    anchored(proposal)
    return proposal


def test_a_refused_mail_leaves_the_action_saved_and_the_other_mails_sent(
    client, smtp, django_capture_on_commit_callbacks
):
    proposal = _submittable_proposal()
    leader = person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    researcher = proposal.responsible_researcher
    smtp.refused = {leader.email}
    client.force_login(researcher)

    url = reverse("applications:proposal_transition", args=[proposal.pk, "submit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"expected_state": "application"})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    failed = Notification.objects.get(user=leader)
    assert failed.mail_status == MailStatus.FAILED
    assert failed.mail_attempts == 1
    assert "SMTPRecipientsRefused" in failed.mail_last_error
    assert "Mailbox unavailable" in failed.mail_last_error
    receipt = Notification.objects.get(user=researcher)
    assert receipt.mail_status == MailStatus.SENT
    sent_to = [address for message in mail.outbox for address in message.to]
    assert researcher.email in sent_to
    assert leader.email not in sent_to


def test_a_mail_server_that_is_down_gives_no_500(client, smtp, django_capture_on_commit_callbacks):
    proposal = _submittable_proposal()
    person_with_role(proposal.agreement, Role.PROCESS_LEADER)
    smtp.down = True
    client.force_login(proposal.responsible_researcher)

    url = reverse("applications:proposal_transition", args=[proposal.pk, "submit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"expected_state": "application"}, follow=True)

    assert response.status_code == 200
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    assert set(Notification.objects.values_list("mail_status", flat=True)) == {MailStatus.FAILED}
    assert mail.outbox == []


def test_the_sweep_sends_mail_whose_job_was_lost(time_machine):
    user = UserFactory()
    [notification] = notify("proposal_team_added", to=[user], context={"proposal": ProposalFactory()})
    # not committed: the job was never queued, as when the broker is down
    assert mail.outbox == []

    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    assert requeue_pending_jobs.apply().get()["notification_mails"] == 1

    notification.refresh_from_db()
    assert notification.mail_status == MailStatus.SENT
    assert notification.mail_sent_at is not None
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert requeue_pending_jobs.apply().get()["notification_mails"] == 0


def test_the_sweep_retries_failed_mail_with_a_growing_pause_until_the_last_attempt(smtp, time_machine):
    user = UserFactory()
    [notification] = notify("proposal_team_added", to=[user], context={"proposal": ProposalFactory()})
    smtp.down = True
    send_notification_mail.apply(args=[notification.pk])
    for attempt in range(1, MAIL_MAX_ATTEMPTS + 1):
        notification.refresh_from_db()
        assert (notification.mail_status, notification.mail_attempts) == (MailStatus.FAILED, attempt)
        # not before its pause is over …
        assert requeue_pending_jobs.apply(kwargs={"older_than_seconds": 0}).get()["notification_mails"] == 0
        time_machine.move_to(notification.mail_next_attempt_at + datetime.timedelta(seconds=1))
        swept = requeue_pending_jobs.apply(kwargs={"older_than_seconds": 0}).get()["notification_mails"]
        # … then again, until the attempts are used up
        assert swept == (1 if attempt < MAIL_MAX_ATTEMPTS else 0)
        if not swept:
            break
    notification.refresh_from_db()
    assert notification.mail_attempts == MAIL_MAX_ATTEMPTS
    assert notification.mail_next_attempt_at > notification.mail_last_attempt_at
    assert mail.outbox == []

    smtp.down = False  # the server is back; a later pause would never send it by itself
    time_machine.move_to(timezone.now() + datetime.timedelta(days=30))
    assert requeue_pending_jobs.apply().get()["notification_mails"] == 0


def test_a_mail_is_never_sent_twice_when_its_job_runs_twice(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify("proposal_team_added", to=[user], context={"proposal": ProposalFactory()})
    assert len(mail.outbox) == 1

    send_notification_mail.apply(args=[notification.pk])
    send_notification_mail.apply(args=[notification.pk])

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.mail_status, notification.mail_attempts) == (MailStatus.SENT, 1)


def test_each_recipient_gets_the_mail_in_their_language(django_capture_on_commit_callbacks):
    swedish = UserFactory(first_name="Sara", language=Language.SWEDISH)
    english = UserFactory(first_name="Emma", language=Language.ENGLISH)
    proposal = ProposalFactory(title="Cykelvägar")
    by = UserFactory(first_name="Per", last_name="Lund")

    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal_team_added", to=[swedish, english], context={"proposal": proposal, "by": by})

    sent = {m.to[0]: m for m in mail.outbox}
    assert sent[swedish.email].subject == 'Du är med i ärendet "Cykelvägar"'
    assert sent[swedish.email].body.startswith("Hej Sara!")
    assert sent[english.email].subject == 'You are on the case "Cykelvägar"'
    assert sent[english.email].body.startswith("Hello Emma!")
    assert "Per Lund has added you" in sent[english.email].body
    # the in-app notification is in the same language
    assert Notification.objects.get(user=english).subject == 'You are on the case "Cykelvägar"'


def test_choice_labels_in_an_english_mail_are_english(django_capture_on_commit_callbacks):
    english = UserFactory(language=Language.ENGLISH)
    proposal = ProposalFactory(state=ProposalState.SUBMITTED)

    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal_transition", to=[english], context={"proposal": proposal, "label": "x"})

    [message] = mail.outbox
    assert proposal.get_state_display() not in message.subject  # the Swedish label
    assert "now has the status" in message.body


def test_switching_language_keeps_it_for_the_persons_mail(client):
    user = UserFactory()
    client.force_login(user)

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == Language.ENGLISH

    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    user.refresh_from_db()
    assert user.language == Language.SWEDISH


def test_an_attachment_survives_the_outbox(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            "proposal_team_added",
            to=[user],
            context={"proposal": ProposalFactory()},
            attachments=[("kallelse.ics", "BEGIN:VCALENDAR", "text/calendar"), ("a.bin", b"\x00\xff", "x/y")],
        )
    [message] = mail.outbox
    assert message.attachments[0] == ("kallelse.ics", "BEGIN:VCALENDAR", "text/calendar")
    assert message.attachments[1][1] == b"\x00\xff"


# --- the administrator -----------------------------------------------------------------------------------


def _failed_notification(smtp, user=None):
    smtp.down = True
    [notification] = notify(
        "proposal_team_added", to=[user or UserFactory()], context={"proposal": ProposalFactory()}
    )
    send_notification_mail.apply(args=[notification.pk])
    smtp.down = False
    notification.refresh_from_db()
    assert notification.mail_status == MailStatus.FAILED
    return notification


def test_the_admin_lists_failed_mail_with_its_error(admin_client, smtp):
    failed = _failed_notification(smtp)

    html = admin_client.get(
        reverse("admin:samverkan_notification_changelist"), {"mail_status__exact": "failed"}
    ).content.decode()

    assert failed.subject.replace('"', "&quot;") in html
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in html
    assert "Misslyckades" in html


def test_the_admin_resends_failed_mail(admin_client, smtp, django_capture_on_commit_callbacks):
    failed = _failed_notification(smtp)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify("proposal_team_added", to=[UserFactory()], context={"proposal": ProposalFactory()})[0]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:samverkan_notification_changelist"),
            {"action": "resend_mail", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert "1 e-postmeddelande skickas igen." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.mail_status, failed.mail_attempts) == (MailStatus.SENT, 2)
    assert [m.to for m in mail.outbox] == [[failed.user.email]]  # the sent one is not sent again


def test_only_staff_with_change_permission_may_resend(client, smtp):
    failed = _failed_notification(smtp)
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.post(
        reverse("admin:samverkan_notification_changelist"),
        {"action": "resend_mail", "_selected_action": [failed.pk]},
    )

    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.mail_status == MailStatus.FAILED
    assert mail.outbox == []
