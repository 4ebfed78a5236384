from django.urls import path

from .views import catalogue, exports, plans, reports

app_name = "reports"

urlpatterns = [
    path("rapporter/", reports.report_list, name="report_list"),
    path("rapporter/bestall/", reports.report_order, name="report_order"),
    path("rapporter/<int:pk>/", reports.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/status/", reports.report_status, name="report_status"),
    path("rapporter/<int:pk>/forsok-igen/", reports.report_retry, name="report_retry"),
    path("rapporter/<int:pk>/rapport.pdf", reports.report_pdf, name="report_pdf"),
    path("rapporter/<int:pk>/rapport.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("rapporter/export/", exports.export_list, name="export_list"),
    path("rapporter/export/<slug:key>.<str:fmt>", exports.export_download, name="export_download"),
    path("rapporter/publicering/", catalogue.publication_list, name="publication_list"),
    path("rapporter/publicering/<int:pk>/", catalogue.publication_save, name="publication_save"),
    path("kommunikationsplaner/", plans.plan_list, name="plan_list"),
    path("kommunikationsplaner/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("kommunikationsplaner/<int:pk>/andra/", plans.plan_edit, name="plan_edit"),
    path("kommunikationsplaner/<int:pk>/plan.pdf", plans.plan_pdf, name="plan_pdf"),
    path("katalog/", catalogue.catalogue, name="catalogue"),
    path("katalog/projekt/<int:pk>/", catalogue.catalogue_detail, name="catalogue_detail"),
    path("katalog/mallar/", catalogue.template_list, name="catalogue_templates"),
    path("katalog/mallar/<int:pk>.pdf", catalogue.template_pdf, name="catalogue_template_pdf"),
]
