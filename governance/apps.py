from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Beredning och beslut")

    def ready(self):
        from . import integration

        integration.register()
        register_job_kinds()


def register_job_kinds():
    """The durable jobs of governance: the one sweep (samverkan.jobs) queues again those that never ran."""
    from samverkan import jobs

    from .services.documents import pending_document_decisions
    from .services.minutes import pending_minutes_pdfs
    from .services.verification import pending_verifications
    from .tasks import generate_decision_documents, render_minutes_pdf, verify_upload

    jobs.register_job_kind(
        "decision_documents",
        task=generate_decision_documents,
        pending=lambda older_than: pending_document_decisions(older_than=older_than).values_list(
            "pk", flat=True
        ),
    )
    jobs.register_job_kind(
        "minutes_pdfs",
        task=render_minutes_pdf,
        pending=lambda older_than: pending_minutes_pdfs(older_than=older_than).values_list("pk", flat=True),
    )
    jobs.register_job_kind(
        "verifications",
        task=verify_upload,
        pending=lambda older_than: pending_verifications(older_than=older_than).values_list("pk", flat=True),
    )
