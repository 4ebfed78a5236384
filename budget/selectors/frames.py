"""The frame form: every line of the agreement with this year's amount, or last year's as a start."""

from __future__ import annotations

from dataclasses import dataclass, field

from samverkan.models import Agreement
from samverkan.templatetags.money import format_kr

from ..models import BudgetFrame, BudgetLine, FrameAmount

# --- the frame form --------------------------------------------------------------------------------------


@dataclass
class FrameLineInput:
    line: BudgetLine
    amount: int | None  # this year's amount, None when the line is not in the frame
    suggestion: int | None  # last year's amount, prefilled for a new frame
    value: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"line-{self.line.pk}"


def frame_inputs(agreement: Agreement, year: int) -> tuple[BudgetFrame | None, list[FrameLineInput]]:
    frame = BudgetFrame.objects.filter(agreement=agreement, year=year).first()
    lines = list(BudgetLine.objects.filter(agreement=agreement).order_by("order", "pk"))
    current = dict(
        FrameAmount.objects.filter(frame__agreement=agreement, frame__year=year).values_list(
            "line_id", "amount"
        )
    )
    previous_year = (
        BudgetFrame.objects.filter(agreement=agreement, year__lt=year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    previous = (
        dict(
            FrameAmount.objects.filter(frame__agreement=agreement, frame__year=previous_year).values_list(
                "line_id", "amount"
            )
        )
        if previous_year
        else {}
    )
    rows = []
    for line in lines:
        amount = current.get(line.pk)
        suggestion = previous.get(line.pk)
        shown = amount if frame is not None else suggestion
        rows.append(
            FrameLineInput(
                line, amount, suggestion, format_kr(shown, unit=False) if shown is not None else ""
            )
        )
    return frame, rows
