from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("arenden/<int:pk>/budget/", views.application_budget, name="application_budget"),
    path("arenden/<int:pk>/budget.xlsx", views.application_budget_xlsx, name="application_budget_xlsx"),
]
