"""The proposal's lifecycle history: append-only, written by the services in the transition's transaction."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import ProposalState
from .proposals import Proposal


class AppendOnlyQuerySet(models.QuerySet):
    """History rows are written once: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise ValidationError("Historiken kan inte ändras i efterhand.")

    def delete(self):
        raise ValidationError("Historiken kan inte tas bort.")


class ProposalTransition(models.Model):
    """Append-only history of the lifecycle: who moved the proposal, when, from where to where, and why.
    A proposal with history cannot be deleted (PROTECT): its timeline is part of the record."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(max_length=40)
    source = models.CharField(max_length=30, choices=ProposalState.choices)
    target = models.CharField(max_length=30, choices=ProposalState.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_source_display()} → {self.get_target_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Historiken kan inte ändras i efterhand.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Historiken kan inte tas bort.")
