from django.urls import path

from .views import documents, meetings, minutes, review, verification, voting

app_name = "governance"

urlpatterns = [
    path("moten/", meetings.meeting_list, name="meeting_list"),
    path("moten/mina/", meetings.my_meetings, name="my_meetings"),
    path("moten/nytt/", meetings.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/redigera/", meetings.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/punkter/ny/", meetings.item_add, name="item_add"),
    path("moten/<int:pk>/punkter/<int:item_pk>/ta-bort/", meetings.item_remove, name="item_remove"),
    path("moten/<int:pk>/kallelse/", meetings.invitation_send, name="invitation_send"),
    path("moten/<int:pk>/kallelse.ics", meetings.meeting_ics, name="meeting_ics"),
    path("moten/<int:pk>/narvaro/", meetings.attendance, name="attendance"),
    path("moten/<int:pk>/genomfort/", meetings.meeting_held, name="meeting_held"),
    path("moten/<int:pk>/punkter/<int:item_pk>/", review.item_detail, name="item_detail"),
    path("moten/<int:pk>/punkter/<int:item_pk>/bedomning/", review.assessment_form, name="assessment_form"),
    path(
        "moten/<int:pk>/punkter/<int:item_pk>/stallningstagande/",
        review.outcome_record,
        name="outcome_record",
    ),
    path("moten/<int:pk>/punkter/<int:item_pk>/votering/oppna/", voting.vote_open, name="vote_open"),
    path("moten/<int:pk>/punkter/<int:item_pk>/votering/rosta/", voting.ballot_cast, name="ballot_cast"),
    # Jäv at the beredning and at the styrgrupp (before or during the vote).
    path("moten/<int:pk>/punkter/<int:item_pk>/jav/", voting.recusal_declare, name="recusal_declare"),
    path("moten/<int:pk>/punkter/<int:item_pk>/votering/stang/", voting.vote_close, name="vote_close"),
    path("moten/<int:pk>/punkter/<int:item_pk>/votering/oppna-igen/", voting.vote_reopen, name="vote_reopen"),
    path(
        "moten/<int:pk>/punkter/<int:item_pk>/flytta/", voting.item_carry_forward, name="item_carry_forward"
    ),
    path("moten/<int:pk>/punkter/<int:item_pk>/votering/status/", voting.vote_status, name="vote_status"),
    path("moten/<int:pk>/punkter/<int:item_pk>/beslut/", voting.decision_create, name="decision_create"),
    path("moten/<int:pk>/ordforande/", voting.chair_view, name="chair_view"),
    path("moten/<int:pk>/protokoll/", minutes.minutes_detail, name="minutes_detail"),
    path("moten/<int:pk>/protokoll/redigera/", minutes.minutes_edit, name="minutes_edit"),
    path("moten/<int:pk>/protokoll/justera/", minutes.minutes_approve, name="minutes_approve"),
    path("moten/<int:pk>/protokoll.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("moten/<int:pk>/protokoll/status/", minutes.minutes_status, name="minutes_status"),
    path("moten/<int:pk>/protokoll/skapa-pdf-igen/", minutes.minutes_retry, name="minutes_retry"),
    path("dokument/att-signera/", documents.documents_to_sign, name="documents_to_sign"),
    path("dokument/<int:pk>/", documents.document_detail, name="document_detail"),
    path("dokument/<int:pk>/status/", documents.document_status, name="document_status"),
    path("dokument/<int:pk>/signera/", documents.document_sign, name="document_sign"),
    path("dokument/<int:pk>/exemplar/<int:copy_pk>.pdf", documents.copy_download, name="copy_download"),
    path("dokument/<int:pk>/exemplar/<int:copy_pk>/diarium/", documents.copy_register, name="copy_register"),
    path("dokument/<int:pk>/projektkonto/", documents.project_account, name="project_account"),
    path("verifiera/", verification.verify, name="verify"),
    path("verifiera/<uuid:token>/", verification.verify_result, name="verify_result"),
]
