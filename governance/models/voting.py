"""Online votes at the styrgrupp: the vote, each member's ballot and declared jäv."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.models import Organisation

from ..enums import (
    Choice,
    VoteOutcome,
    VoteStatus,
)
from .meetings import AgendaItem

User = settings.AUTH_USER_MODEL


class Vote(models.Model):
    """An online vote on one styrgrupp item. The result is computed when it closes, never typed."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="vote")
    status = models.CharField(max_length=10, choices=VoteStatus.choices, default=VoteStatus.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateTimeField(_("sista tid att rösta"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    open_ballots_after_close = models.BooleanField(
        _("visa hur var och en röstat efter stängning"), default=True
    )
    outcome = models.CharField(max_length=20, choices=VoteOutcome.choices, blank=True)
    result = models.JSONField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True)  # entitled, recused and voted members at close
    # How often a void vote (ej beslutsför) was opened again with a new deadline.
    reopened_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("votering")
        verbose_name_plural = _("voteringar")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"Votering: {self.item.title}"


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="ballots")
    party = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="one_ballot_per_member")]

    def __str__(self):
        return f"{self.member}: {self.get_choice_display()}"


class Recusal(models.Model):
    """Jäv: the member takes no part in the item – neither in the beredning's assessment and ställningstagande
    nor in the styrgrupp's vote – and it is minuted. Applicants and team members are recused automatically;
    a deputy (ersättare) of the party takes the seat (governance/seating.py)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    # The vote the recusal was declared in (none when declared at the beredning or before the vote opened).
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(User, on_delete=models.PROTECT, related_name="recusals")
    reason = models.CharField(_("skäl"), max_length=500)
    automatic = models.BooleanField(default=False)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_recusal_per_member")]

    def __str__(self):
        return f"Jäv: {self.member}"
