from django.contrib import admin

from .models import ApplicationBudgetRow


@admin.register(ApplicationBudgetRow)
class ApplicationBudgetRowAdmin(admin.ModelAdmin):
    list_display = ["proposal", "year", "category", "source", "organisation", "amount"]
    list_filter = ["source", "category", "year", "proposal__agreement"]
    list_select_related = ["proposal", "organisation"]
    search_fields = ["proposal__title"]
    raw_id_fields = ["proposal"]
