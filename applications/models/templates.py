"""Templates (mallar): a versioned template per stage and work form, and its sections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.models import Agreement

from ..enums import TemplateStage, WorkForm


class ProposalTemplate(models.Model):
    """A versioned template for a stage (and work form). Edits create a new version; old versions stay,
    so a proposal keeps the form it was created with."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="proposal_templates")
    stage = models.CharField(_("skede"), max_length=20, choices=TemplateStage.choices)
    work_form = models.CharField(
        _("arbetsform"),
        max_length=20,
        choices=WorkForm.choices,
        blank=True,
        help_text=_("Tom = alla arbetsformer"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    introduction = models.TextField(_("inledning"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("gällande"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("mall")
        verbose_name_plural = _("mallar")
        ordering = ["agreement", "stage", "work_form", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "stage", "work_form"],
                condition=Q(is_current=True),
                name="one_current_template_per_stage_and_work_form",
            ),
            models.UniqueConstraint(
                fields=["agreement", "stage", "work_form", "version"], name="template_version"
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class TemplateSection(models.Model):
    template = models.ForeignKey(ProposalTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=200)
    guidance = models.TextField(_("vägledning"), blank=True)
    required = models.BooleanField(_("obligatorisk"), default=True)
    max_length = models.PositiveIntegerField(_("max antal tecken"), null=True, blank=True)

    class Meta:
        verbose_name = _("mallavsnitt")
        verbose_name_plural = _("mallavsnitt")
        ordering = ["template", "order", "pk"]

    def __str__(self):
        return self.title
