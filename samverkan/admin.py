from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from guardian.admin import GuardedModelAdmin

from . import notifications
from .models import Agreement, Collaboration, Notification, Organisation, RoleAssignment, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "title", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "title", "language")}),
        (
            _("Behörighet"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datum"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "diarium_prefix"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]


class AgreementInline(admin.TabularInline):
    model = Agreement
    fields = ["name", "starts_on", "ends_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    """A samverkansorganisation; its agreements are attached on each agreement's page."""

    list_display = ["name", "university"]
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(GuardedModelAdmin):
    """GuardedModelAdmin adds "Objektbehörigheter": share one agreement with one person without a role."""

    list_display = ["name", "collaboration", "university", "starts_on", "ends_on", "decision_rule"]
    list_filter = ["collaboration"]
    filter_horizontal = ["municipalities"]
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "agreement", "title", "valid_from", "valid_to"]
    list_filter = ["role", "agreement", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The mail outbox: what was sent to whom, and the mail that failed (with the server's error), which the
    administrator can send again. Read-only: notifications are written by notify() only."""

    list_display = ["created_at", "user", "event", "subject", "mail_status", "mail_attempts", "last_error"]
    list_filter = ["mail_status", "event"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "subject"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    actions = ["resend_mail"]
    fields = [
        "user",
        "event",
        "subject",
        "body",
        "link",
        "created_at",
        "read_at",
        "mail_status",
        "mail_attempts",
        "mail_last_error",
        "mail_last_attempt_at",
        "mail_next_attempt_at",
        "mail_sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("senaste fel"))
    def last_error(self, obj):
        return Truncator(obj.mail_last_error).chars(80)

    @admin.action(description=_("Skicka igen"), permissions=["change"])
    def resend_mail(self, request, queryset):
        queued = notifications.notification_mail_resend(notifications=queryset)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(n)d e-postmeddelande skickas igen.", "%(n)d e-postmeddelanden skickas igen.", queued
                )
                % {"n": queued},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("Bara misslyckade e-postmeddelanden kan skickas igen."), messages.WARNING
            )

    def has_add_permission(self, request):
        return False
