from django.urls import path

from .views import application, economy, plans

app_name = "budget"

urlpatterns = [
    path("arenden/<int:pk>/budget/", application.application_budget, name="application_budget"),
    path("arenden/<int:pk>/budget.xlsx", application.application_budget_xlsx, name="application_budget_xlsx"),
    # The agreement's economy
    path("ekonomi/", economy.economy_index, name="economy"),
    path("ekonomi/<int:pk>/<int:year>/", economy.overview, name="overview"),
    path("ekonomi/<int:pk>/<int:year>/ekonomi.xlsx", economy.overview_xlsx, name="overview_xlsx"),
    path("ekonomi/<int:pk>/ram/", economy.frame_new, name="frame_new"),
    path("ekonomi/<int:pk>/ram/<int:year>/", economy.frame_detail, name="frame_detail"),
    path("ekonomi/<int:pk>/import/", economy.spending_import, name="spending_import"),
    path("ekonomi/projekt/<int:pk>/", economy.project_economy, name="project_economy"),
    path("ekonomi/projekt/<int:pk>/utbetalning/", economy.disbursement_create, name="disbursement_create"),
    # Verksamhetsplaner
    path("ekonomi/<int:pk>/verksamhetsplaner/", plans.plan_list, name="plan_list"),
    path("verksamhetsplaner/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("verksamhetsplaner/<int:pk>/andra/", plans.plan_edit, name="plan_edit"),
    path("verksamhetsplaner/<int:pk>/aktiviteter/", plans.activity_add, name="activity_add"),
    path(
        "verksamhetsplaner/<int:pk>/aktiviteter/<int:activity_pk>/",
        plans.activity_edit,
        name="activity_edit",
    ),
    path("verksamhetsplaner/<int:pk>/kopiera/", plans.plan_copy, name="plan_copy"),
    path("verksamhetsplaner/<int:pk>/dagordning/<str:where>/", plans.plan_schedule, name="plan_schedule"),
    path("verksamhetsplaner/<int:pk>/verksamhetsplan.pdf", plans.plan_pdf, name="plan_pdf"),
]
