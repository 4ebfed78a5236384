"""Budgets. Money is whole kronor in integer fields – never float."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.models import Proposal
from samverkan.models import Organisation

from .enums import CostCategory, FundingSource


class CellKey(NamedTuple):
    """Where a budget cell sits: year × cost category × funding source (× party for own contributions)."""

    year: int
    category: str
    source: str
    organisation_id: int | None = None

    @property
    def name(self) -> str:
        """The form field name and HTML id: "c-2026-travel-agreement", "c-2026-salaries-own-5"."""
        parts = ["c", str(self.year), self.category, self.source]
        if self.organisation_id is not None:
            parts.append(str(self.organisation_id))
        return "-".join(parts)


def cell_label(key: CellKey, organisations: Mapping[int, Organisation]) -> str:
    """The cell in words, e.g. "2026, Resor, Samverkansavtalet": the same in labels and error messages."""
    category = CostCategory(key.category).label if key.category in CostCategory.values else key.category
    source = FundingSource(key.source).label if key.source in FundingSource.values else key.source
    if key.organisation_id is not None:
        organisation = organisations.get(key.organisation_id)
        name = organisation.name if organisation else _("okänd part")
        source = f"{source} ({name})"
    return f"{key.year}, {category}, {source}"


class ApplicationBudgetRow(models.Model):
    """One cell of an application's budget: year × cost category × funding source (× party for own
    contributions). Totals are computed from rows, never stored or typed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_rows")
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("kostnadsslag"), max_length=20, choices=CostCategory.choices)
    source = models.CharField(_("finansieringskälla"), max_length=20, choices=FundingSource.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("part (egen insats)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.PositiveBigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["proposal", "year", "category", "source"]
        constraints = [
            # One cell per year × category × source (× party); two partial constraints because SQLite
            # cannot treat NULL organisations as equal.
            models.UniqueConstraint(
                fields=["proposal", "year", "category", "source"],
                condition=Q(organisation__isnull=True),
                name="one_budget_cell",
            ),
            models.UniqueConstraint(
                fields=["proposal", "year", "category", "source", "organisation"],
                condition=Q(organisation__isnull=False),
                name="one_budget_cell_per_party",
            ),
            models.CheckConstraint(
                condition=(Q(source=FundingSource.OWN_CONTRIBUTION) & Q(organisation__isnull=False))
                | (~Q(source=FundingSource.OWN_CONTRIBUTION) & Q(organisation__isnull=True)),
                name="own_contribution_names_its_party",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()} ({self.get_source_display()}): {self.amount} kr"

    @property
    def key(self) -> CellKey:
        return CellKey(self.year, self.category, self.source, self.organisation_id)
