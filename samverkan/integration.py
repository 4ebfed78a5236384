"""What the core adds to its own registries (samverkan/registry.py), as every app does from its
integration.py: the notification mails' durable job, the Start, Avtal and Administration entries and the
start page's unread notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def unread_notifications(request):
    """Start-page section: the person's unread notifications (at most five)."""
    from .dashboard import Section

    unread = list(request.user.notifications.filter(read_at__isnull=True)[:5])
    if not unread:
        return None
    return Section(
        _("Nya notiser"), "samverkan/_dashboard_notifications.html", {"notifications": unread}, order=1
    )


def register():
    from . import dashboard, jobs, navigation, notifications, permissions
    from .tasks import send_notification_mail

    jobs.register_job_kind(
        "notification_mails",
        task=send_notification_mail,
        pending=lambda older_than: notifications.pending_notification_mails(older_than=older_than),
    )
    navigation.register(navigation.NavItem(_("Start"), "start", lambda user: True, order=0))
    navigation.register(
        navigation.NavItem(_("Avtal"), "agreement_list", permissions.can_list_agreements, order=80)
    )
    navigation.register(navigation.NavItem(_("Administration"), "admin:index", permissions.can_use_admin, 90))
    dashboard.register(unread_notifications)
