"""What governance announces and accepts from the apps above it (samverkan/registry.py).

- `decision_recorded` (signal): a styrgrupp decision was created, sent inside its transaction with
  `decision`, `by` and `extra` – the cleaned values of the decision-form parts other apps contributed (e.g.
  budget: the line the grant is committed against). A receiver that raises ValidationError refuses the
  decision: nothing is saved.
- `decision_form_parts` (registry): `contribute(form, item) -> FormPart | None` adds fields to the decision
  form for the item and names the template that renders them inside the form.
- `minutes_decision_lines` (registry): `lines(decision) -> list[str]`, lines the minutes print under a
  decision (e.g. budget: which budget line it was committed against).
- `minutes_outcome_lines` (registry): `lines(item) -> list[str]`, lines the beredning's minutes print under
  its ställningstagande on the item (e.g. budget: the proposed amount per year).
- `item_facts` (registry): `facts(item) -> ItemFacts | None`, a block of facts the styrgrupp item page shows
  right after the ballot (e.g. budget: the amount per year applied for and proposed by the beredning); the
  beredning's item page shows the same block under its recorded ställningstagande.
- `outcome_form_parts` (registry): `contribute(form, item) -> FormPart | None` adds fields to the beredning's
  ställningstagande form for the item (e.g. budget: the proposed amount per year, prefilled with the amount
  applied for) and names the template that renders them inside the form.
- `outcome_recorded` (signal): the beredning's ställningstagande was recorded, sent inside its transaction
  with `item`, `by` and `extra` – the cleaned values of the outcome-form parts (e.g. budget stores the
  proposed amounts). A receiver that raises ValidationError (keyed by field name) refuses the
  ställningstagande: nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.dispatch import Signal

from samverkan.registry import Registry

decision_recorded = Signal()
outcome_recorded = Signal()


@dataclass(frozen=True)
class FormPart:
    template: str  # included inside the decision (or ställningstagande) form with `form`
    fields: tuple[str, ...]  # the fields it added; their cleaned values reach decision_recorded (or
    # outcome_recorded) as `extra`


@dataclass(frozen=True)
class ItemFacts:
    template: str  # included in the item page's facts panel with `facts` (the context below)
    context: dict


decision_form_parts: Registry[Callable] = Registry("governance.decision_form_parts")
minutes_decision_lines: Registry[Callable] = Registry("governance.minutes_decision_lines")
minutes_outcome_lines: Registry[Callable] = Registry("governance.minutes_outcome_lines")
item_facts: Registry[Callable] = Registry("governance.item_facts")
outcome_form_parts: Registry[Callable] = Registry("governance.outcome_form_parts")
