"""The admin site (the default site through SamverkanAdminConfig, listed in INSTALLED_APPS): Django's, except
that "change my password" checks the old password under the login lockout, as the site's own form does
(samverkan.security.check_password_guarded) – otherwise it would be a password guesser for staff."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse


class SamverkanAdminConfig(AdminConfig):
    """django.contrib.admin with our site: its own password change counts towards the login lockout."""

    default_site = "samverkan.admin_site.SamverkanAdminSite"


class SamverkanAdminSite(admin.AdminSite):
    def password_change(self, request, extra_context=None):
        """Django's AdminSite.password_change with the guarded form (samverkan.views.PasswordChangeView)."""
        from .views import PasswordChangeView

        defaults = {
            "success_url": reverse("admin:password_change_done", current_app=self.name),
            "extra_context": {**self.each_context(request), **(extra_context or {})},
        }
        if self.password_change_template is not None:
            defaults["template_name"] = self.password_change_template
        request.current_app = self.name
        return PasswordChangeView.as_view(**defaults)(request)
