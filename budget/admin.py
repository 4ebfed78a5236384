from django.contrib import admin

from .models import (
    ActivityPlan,
    ApplicationBudgetRow,
    BudgetFrame,
    BudgetLine,
    Commitment,
    Disbursement,
    FrameAmount,
    PlanActivity,
    Spending,
)


@admin.register(ApplicationBudgetRow)
class ApplicationBudgetRowAdmin(admin.ModelAdmin):
    list_display = ["proposal", "year", "category", "source", "organisation", "amount"]
    list_filter = ["source", "category", "year", "proposal__agreement"]
    list_select_related = ["proposal", "organisation"]
    search_fields = ["proposal__title"]
    raw_id_fields = ["proposal"]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "kind", "agreement", "order"]
    list_filter = ["agreement", "kind"]
    raw_id_fields = ["proposal"]


class FrameAmountInline(admin.TabularInline):
    model = FrameAmount
    extra = 0


@admin.register(BudgetFrame)
class BudgetFrameAdmin(admin.ModelAdmin):
    list_display = ["agreement", "year", "updated_at"]
    inlines = [FrameAmountInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    """Written by the decision service; read-only here (decisions are corrected by new decisions)."""

    list_display = ["proposal", "line", "year", "amount", "conditional", "over_frame", "released_at"]
    list_filter = ["year", "conditional", "over_frame"]
    readonly_fields = [f.name for f in Commitment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = ["proposal", "year", "amount", "paid_on", "reference"]
    raw_id_fields = ["proposal"]


@admin.register(Spending)
class SpendingAdmin(admin.ModelAdmin):
    list_display = ["proposal", "year", "category", "amount", "source", "reference"]
    list_filter = ["source", "year", "category"]
    raw_id_fields = ["proposal"]


class PlanActivityInline(admin.StackedInline):
    model = PlanActivity
    extra = 0


@admin.register(ActivityPlan)
class ActivityPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "year", "status"]
    list_filter = ["agreement", "status"]
    raw_id_fields = ["programme", "review_item", "steering_item", "decision", "copied_from"]
    inlines = [PlanActivityInline]
