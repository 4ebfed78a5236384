"""Signed decision documents: the document, a copy per party, its signatures, and uploads checked on
the public verification page."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.models import Organisation

from ..enums import (
    DocumentKind,
    DocumentStatus,
    VerificationStatus,
)
from .decisions import Decision

User = settings.AUTH_USER_MODEL


def document_path(instance, filename):
    return f"documents/{instance.document_id}/{uuid.uuid4().hex}.pdf"


class DecisionDocument(models.Model):
    """A formal decision document (beslutsunderlag, or medfinansieringsintyg) in two copies, one per party.
    Generated once per decision (idempotent); signed documents are never regenerated; a correction is a new
    decision with a new document, and the old one is marked superseded."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("typ"), max_length=30, choices=DocumentKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.GENERATING
    )
    reference = models.CharField(_("dokument-id"), max_length=40, unique=True)
    content_sha256 = models.CharField(_("SHA-256 av innehållet"), max_length=64, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("beslutsdokument")
        verbose_name_plural = _("beslutsdokument")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "kind"], name="one_document_per_decision_and_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"

    def get_absolute_url(self):
        return reverse("governance:document_detail", args=[self.pk])


class DocumentCopy(models.Model):
    """One of the two copies ("Exemplar 1 av 2 – <university>", "Exemplar 2 av 2 – <municipality or
    company>"): its PDF grows by incremental PAdES signatures and is registered in that party's diarium."""

    document = models.ForeignKey(DecisionDocument, on_delete=models.PROTECT, related_name="copies")
    number = models.PositiveSmallIntegerField(_("exemplar"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="document_copies"
    )
    pdf = models.FileField(upload_to=document_path, max_length=300)
    unsigned_sha256 = models.CharField(max_length=64)
    current_sha256 = models.CharField(max_length=64, db_index=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=60, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplar")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_copy_number_per_document"),
            models.UniqueConstraint(
                fields=["organisation", "diarienummer"],
                condition=~Q(diarienummer=""),
                name="diarienummer_unique_within_organisation",
                violation_error_message=_("Diarienumret används redan i organisationen."),
            ),
        ]

    def __str__(self):
        return f"Exemplar {self.number} av 2 – {self.organisation}"


class DocumentSignature(models.Model):
    """A signatory's signature on one copy: who, when, from where, and the SHA-256 of the signed bytes.
    Append-only; the PDF itself carries the PAdES signature."""

    copy = models.ForeignKey(DocumentCopy, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="document_signatures")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("titel"), max_length=120)
    field_name = models.CharField(max_length=80)
    signed_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    signed_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("signatur")
        verbose_name_plural = _("signaturer")
        ordering = ["copy", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["copy", "organisation"], name="one_signature_per_party_and_copy"),
        ]

    def __str__(self):
        return f"{self.signer} ({self.title}) {self.signed_at:%Y-%m-%d %H:%M}"


class VerificationRequest(models.Model):
    """A PDF uploaded on the public verification page that its hash alone could not answer: its signatures
    are validated by a job (governance.tasks.verify_upload) in a child process with hard limits, never in
    the request. Only the holder of the random token sees the verdict. The upload is kept only until it is
    judged; the row itself is deleted after a day (services.verification)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.QUEUED
    )
    data = models.BinaryField(blank=True)  # the uploaded PDF; emptied once judged
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    verdict = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verifiering")
        verbose_name_plural = _("verifieringar")
        indexes = [models.Index(fields=["status", "created_at"], name="verification_status_created")]

    def __str__(self):
        return f"{self.token} ({self.status})"

    def get_absolute_url(self):
        return reverse("governance:verify_result", args=[self.token])

    @property
    def pending(self) -> bool:
        return self.status != VerificationStatus.DONE
