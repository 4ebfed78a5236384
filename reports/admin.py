from django.contrib import admin

from .models import CommunicationActivity, CommunicationGoal, CommunicationPlan, Publication, QuarterlyReport


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):
    list_display = ["agreement", "year", "quarter", "status", "progress", "finished_at"]
    list_filter = ["status", "agreement"]
    # Figures and files come from the job; a re-run is ordered in the app ("Ta fram rapporten på nytt").
    readonly_fields = [f.name for f in QuarterlyReport._meta.fields]

    def has_add_permission(self, request):
        # Every field is read-only, so an added row would have no year or quarter: reports are ordered in
        # the app (services.report_request), never created here.
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["proposal", "published", "published_by", "published_at"]
    list_filter = ["published"]
    raw_id_fields = ["proposal"]


class GoalInline(admin.TabularInline):
    model = CommunicationGoal
    extra = 0


class ActivityInline(admin.TabularInline):
    model = CommunicationActivity
    extra = 0


@admin.register(CommunicationPlan)
class CommunicationPlanAdmin(admin.ModelAdmin):
    list_display = ["agreement", "year", "status"]
    readonly_fields = ["status", "agenda_item"]
    inlines = [GoalInline, ActivityInline]
