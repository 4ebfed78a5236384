from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import (
    ActivityGoal,
    Attachment,
    Proposal,
    ProposalSection,
    ProposalTemplate,
    ProposalTransition,
    TemplateSection,
)


class ActivityGoalInline(admin.TabularInline):
    model = ActivityGoal
    extra = 0


class TransitionInline(admin.TabularInline):
    model = ProposalTransition
    extra = 0
    can_delete = False
    readonly_fields = ["at", "transition", "source", "target", "by", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(GuardedModelAdmin):
    """The state is read-only here: lifecycle changes go through the services (and their history)."""

    list_display = [
        "title",
        "agreement",
        "work_form",
        "state",
        "responsible_researcher",
        "responsible_officer",
    ]
    list_filter = ["state", "work_form", "agreement"]
    search_fields = ["title", "responsible_researcher__last_name", "responsible_officer__last_name"]
    readonly_fields = ["state", "state_changed_at", "created_at", "updated_at", "anchoring_confirmed_at"]
    inlines = [ActivityGoalInline, TransitionInline]


class TemplateSectionInline(admin.TabularInline):
    model = TemplateSection
    extra = 0


@admin.register(ProposalTemplate)
class ProposalTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "stage", "work_form", "version", "is_current"]
    list_filter = ["stage", "work_form", "is_current"]
    inlines = [TemplateSectionInline]


@admin.register(ProposalTransition)
class ProposalTransitionAdmin(admin.ModelAdmin):
    list_display = ["proposal", "transition", "source", "target", "by", "at"]
    list_filter = ["transition", "target"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "proposal", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = ["sha256", "size", "content_type"]


admin.site.register(ProposalSection)
