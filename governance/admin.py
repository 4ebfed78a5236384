"""Admin for governance. Results, snapshots and timestamps that the services compute are read-only here;
transitions and votes go through the services."""

from django.contrib import admin
from django.db import models

from .models import (
    AgendaItem,
    Assessment,
    Attendance,
    Ballot,
    Body,
    CriterionScore,
    Decision,
    DecisionAmount,
    Meeting,
    Minutes,
    Recusal,
    Vote,
)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "agreement"]
    list_filter = ["kind", "agreement"]
    search_fields = ["name"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "kind", "title", "proposal", "starts_at", "duration_minutes", "outcome"]
    readonly_fields = ["outcome"]
    raw_id_fields = ["proposal"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "body", "starts_at", "status"]
    list_filter = ["kind", "status", "agreement"]
    search_fields = ["title", "location"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "ics_sequence", "invitation_sent_at", "created_at", "status"]
    raw_id_fields = ["chair", "secretary"]
    inlines = [AgendaItemInline]
    # As the meeting form: a link typed without scheme is https (Django 6's default; no deprecation warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CriterionScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["item", "member", "perspective", "submitted_at"]
    list_filter = ["perspective"]
    search_fields = ["item__title", "member__email", "member__last_name"]
    readonly_fields = ["submitted_at", "updated_at"]
    raw_id_fields = ["item", "member"]
    inlines = [CriterionScoreInline]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["item", "status", "deadline", "outcome", "closed_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["item__title"]
    readonly_fields = [
        "status",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "outcome",
        "result",
        "snapshot",
    ]
    raw_id_fields = ["item"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    list_display = ["vote", "member", "party", "choice", "changed_at"]
    list_filter = ["choice"]
    readonly_fields = ["cast_at", "changed_at"]
    raw_id_fields = ["vote", "member"]


@admin.register(Recusal)
class RecusalAdmin(admin.ModelAdmin):
    list_display = ["vote", "member", "automatic", "declared_at"]
    list_filter = ["automatic"]
    readonly_fields = ["declared_at"]
    raw_id_fields = ["vote", "member"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "member", "party", "status"]
    list_filter = ["status"]
    raw_id_fields = ["meeting", "member"]


class DecisionAmountInline(admin.TabularInline):
    model = DecisionAmount
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "kind", "by_acclamation", "created_at"]
    list_filter = ["kind", "by_acclamation"]
    search_fields = ["text"]
    readonly_fields = ["vote", "created_by", "created_at", "supersedes"]
    raw_id_fields = ["meeting", "item", "proposal"]
    inlines = [DecisionAmountInline]


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "adjuster", "approved_at", "pdf_status"]
    readonly_fields = ["chair_approved_at", "adjuster_approved_at", "approved_at", "pdf_status", "pdf_error"]
    raw_id_fields = ["meeting", "adjuster"]
