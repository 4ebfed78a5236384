from django.urls import path

from .views import reports as views

app_name = "followup"

urlpatterns = [
    path("uppfoljning/", views.overview, name="overview"),
    path("uppfoljning/arende/<int:pk>/", views.project, name="project"),
    path("uppfoljning/arende/<int:pk>/slutdatum/", views.end_date, name="end_date"),
    path(
        "uppfoljning/arende/<int:pk>/presentation/", views.presentation_register, name="presentation_register"
    ),
    path("uppfoljning/arende/<int:pk>/avslut/", views.closure_agenda, name="closure_agenda"),
    path("uppfoljning/rapport/<int:pk>/", views.report_detail, name="report_detail"),
    path("uppfoljning/rapport/<int:pk>/dagordning/", views.report_agenda, name="report_agenda"),
    path("uppfoljning/rapport/<int:pk>/behandla/", views.report_treat, name="report_treat"),
    path(
        "uppfoljning/rapport/<int:pk>/bilaga/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("resultatspridning/", views.event_list, name="event_list"),
    path("resultatspridning/nytt/", views.event_form, name="event_create"),
    path("resultatspridning/<int:pk>/andra/", views.event_form, name="event_edit"),
    path("spridning/", views.events_public, name="events_public"),
    path("spridning/<uuid:uid>/", views.event_public, name="event_public"),
    path("spridning/<uuid:uid>/kalender.ics", views.event_ics, name="event_ics"),
    path("effektmal/", views.goals_index, name="goals_index"),
    path("effektmal/avtal/<int:pk>/", views.goals, name="goals"),
    path("effektmal/avtal/<int:agreement_pk>/nytt/", views.goal_form, name="goal_create"),
    path("effektmal/avtal/<int:pk>/dagordning/", views.goals_agenda, name="goals_agenda"),
    path("effektmal/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("effektmal/<int:pk>/andra/", views.goal_form, name="goal_edit"),
]
