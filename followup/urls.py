from django.urls import path

from .views import events, goals, projects, reports

app_name = "followup"

urlpatterns = [
    path("uppfoljning/", projects.overview, name="overview"),
    path("uppfoljning/arende/<int:pk>/", projects.project, name="project"),
    path("uppfoljning/arende/<int:pk>/slutdatum/", projects.end_date, name="end_date"),
    path(
        "uppfoljning/arende/<int:pk>/presentation/",
        projects.presentation_register,
        name="presentation_register",
    ),
    path("uppfoljning/arende/<int:pk>/avslut/", projects.closure_agenda, name="closure_agenda"),
    path("uppfoljning/rapport/<int:pk>/", reports.report_detail, name="report_detail"),
    path("uppfoljning/rapport/<int:pk>/dagordning/", reports.report_agenda, name="report_agenda"),
    path("uppfoljning/rapport/<int:pk>/behandla/", reports.report_treat, name="report_treat"),
    path(
        "uppfoljning/rapport/<int:pk>/bilaga/<int:attachment_pk>/",
        reports.attachment_download,
        name="attachment_download",
    ),
    path("resultatspridning/", events.event_list, name="event_list"),
    path("resultatspridning/nytt/", events.event_form, name="event_create"),
    path("resultatspridning/<int:pk>/andra/", events.event_form, name="event_edit"),
    path("spridning/", events.events_public, name="events_public"),
    path("spridning/<uuid:uid>/", events.event_public, name="event_public"),
    path("spridning/<uuid:uid>/kalender.ics", events.event_ics, name="event_ics"),
    path("effektmal/", goals.goals_index, name="goals_index"),
    path("effektmal/avtal/<int:pk>/", goals.goals, name="goals"),
    path("effektmal/avtal/<int:agreement_pk>/nytt/", goals.goal_form, name="goal_create"),
    path("effektmal/avtal/<int:pk>/dagordning/", goals.goals_agenda, name="goals_agenda"),
    path("effektmal/<int:pk>/", goals.goal_detail, name="goal_detail"),
    path("effektmal/<int:pk>/andra/", goals.goal_form, name="goal_edit"),
]
