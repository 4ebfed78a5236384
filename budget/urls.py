from django.urls import path

from . import views, views_economy, views_plans

app_name = "budget"

urlpatterns = [
    path("arenden/<int:pk>/budget/", views.application_budget, name="application_budget"),
    path("arenden/<int:pk>/budget.xlsx", views.application_budget_xlsx, name="application_budget_xlsx"),
    # The agreement's economy
    path("ekonomi/", views_economy.economy_index, name="economy"),
    path("ekonomi/<int:pk>/<int:year>/", views_economy.overview, name="overview"),
    path("ekonomi/<int:pk>/<int:year>/ekonomi.xlsx", views_economy.overview_xlsx, name="overview_xlsx"),
    path("ekonomi/<int:pk>/ram/", views_economy.frame_new, name="frame_new"),
    path("ekonomi/<int:pk>/ram/<int:year>/", views_economy.frame_detail, name="frame_detail"),
    path("ekonomi/<int:pk>/import/", views_economy.spending_import, name="spending_import"),
    path("ekonomi/projekt/<int:pk>/", views_economy.project_economy, name="project_economy"),
    path(
        "ekonomi/projekt/<int:pk>/utbetalning/", views_economy.disbursement_create, name="disbursement_create"
    ),
    # Verksamhetsplaner
    path("ekonomi/<int:pk>/verksamhetsplaner/", views_plans.plan_list, name="plan_list"),
    path("verksamhetsplaner/<int:pk>/", views_plans.plan_detail, name="plan_detail"),
    path("verksamhetsplaner/<int:pk>/andra/", views_plans.plan_edit, name="plan_edit"),
    path("verksamhetsplaner/<int:pk>/aktiviteter/", views_plans.activity_add, name="activity_add"),
    path(
        "verksamhetsplaner/<int:pk>/aktiviteter/<int:activity_pk>/",
        views_plans.activity_edit,
        name="activity_edit",
    ),
    path("verksamhetsplaner/<int:pk>/kopiera/", views_plans.plan_copy, name="plan_copy"),
    path(
        "verksamhetsplaner/<int:pk>/dagordning/<str:where>/", views_plans.plan_schedule, name="plan_schedule"
    ),
    path("verksamhetsplaner/<int:pk>/verksamhetsplan.pdf", views_plans.plan_pdf, name="plan_pdf"),
]
