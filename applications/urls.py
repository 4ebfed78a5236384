from django.urls import path

from .views import attachments, lists, proposals, templates

app_name = "applications"

urlpatterns = [
    path("arenden/", lists.my_proposals, name="my_proposals"),
    path("arenden/ny/", proposals.proposal_create, name="proposal_create"),
    path("arenden/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("arenden/<int:pk>/redigera/", proposals.proposal_edit, name="proposal_edit"),
    path("arenden/<int:pk>/avsnitt/", proposals.proposal_sections, name="proposal_sections"),
    path("arenden/<int:pk>/forankring/", proposals.proposal_anchoring, name="proposal_anchoring"),
    path("arenden/<int:pk>/atgard/<str:name>/", proposals.proposal_transition, name="proposal_transition"),
    path("arenden/<int:pk>/bilagor/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "arenden/<int:pk>/bilagor/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path("pipeline/", lists.pipeline, name="pipeline"),
    path("pipeline/export.csv", lists.pipeline_csv, name="pipeline_csv"),
    path("mallar/", templates.template_list, name="template_list"),
    path("mallar/ny/", templates.template_create, name="template_create"),
    path("mallar/<int:pk>/", templates.template_detail, name="template_detail"),
    path("mallar/<int:pk>/ny-version/", templates.template_new_version, name="template_new_version"),
]
