"""The beredning's assessments: a member's scores per question and per samverkan criterion."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samverkan.models import Organisation

from ..enums import (
    Perspective,
)
from .meetings import AgendaItem

User = settings.AUTH_USER_MODEL
SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Assessment(models.Model):
    """A beredning member's assessment of one application item."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="assessments")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assessments")
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    research_quality = models.PositiveSmallIntegerField(
        _("forskningens kvalitet"), null=True, blank=True, validators=SCORE
    )
    research_ambition = models.PositiveSmallIntegerField(
        _("forskningens ambition"), null=True, blank=True, validators=SCORE
    )
    benefit = models.PositiveSmallIntegerField(
        _("nytta för medborgare, företagare och besökare"), null=True, blank=True, validators=SCORE
    )
    effects = models.PositiveSmallIntegerField(
        _("effekter för kommunen"), null=True, blank=True, validators=SCORE
    )
    comment = models.TextField(_("sammanfattande kommentar"), blank=True)
    proposed_goals = models.TextField(_("förslag på aktivitetsmål"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_assessment_per_member")]

    def __str__(self):
        return f"{self.member} – {self.item}"


class CriterionScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(9)])
    score = models.PositiveSmallIntegerField(validators=SCORE)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["assessment", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="criterion_score_1_to_5"),
        ]

    def __str__(self):
        return f"Kriterium {self.criterion}: {self.score}"
