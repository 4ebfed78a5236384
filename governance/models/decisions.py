"""Styrgrupp decisions and their amounts per year."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal

from ..enums import (
    DecisionKind,
)
from .meetings import AgendaItem, Meeting, Minutes
from .voting import Vote

User = settings.AUTH_USER_MODEL


class Decision(models.Model):
    """A styrgrupp decision. Immutable once the minutes are approved: a correction is a new decision that
    references the one it corrects."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("typ av beslut"), max_length=30, choices=DecisionKind.choices)
    paragraph = models.PositiveIntegerField(_("paragraf"))
    text = models.TextField(_("beslutstext"))
    conditions = models.TextField(_("villkor"), blank=True)
    activity_goals = models.TextField(_("aktivitetsmål"), blank=True)
    vote = models.OneToOneField(
        Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    by_acclamation = models.BooleanField(_("enligt förslag (utan votering)"), default=False)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the decision was taken: the vote's closing, or the moment it was recorded "enligt förslag" –
    # never the meeting's planned date. The decision document carries this date.
    decided_at = models.DateTimeField(_("beslutat"), default=timezone.now)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["meeting", "paragraph"]
        constraints = [
            # The paragraph is the agenda item's § number; a correction made at the same item keeps it.
            models.UniqueConstraint(
                fields=["meeting", "paragraph"],
                condition=Q(supersedes__isnull=True),
                name="decision_paragraph_unique",
            )
        ]

    def __str__(self):
        return f"§{self.paragraph} {self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if self.pk and Minutes.objects.filter(meeting_id=self.meeting_id, approved_at__isnull=False).exists():
            raise ValidationError(
                _("Beslutet är justerat och kan inte ändras. Fatta ett nytt beslut som rättar det.")
            )
        super().save(*args, **kwargs)

    @property
    def total_amount(self) -> int:
        return sum(a.amount for a in self.amounts.all())


class DecisionAmount(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        ordering = ["decision", "year"]
        constraints = [models.UniqueConstraint(fields=["decision", "year"], name="one_amount_per_year")]

    def __str__(self):
        return f"{self.year}: {self.amount} kr"
