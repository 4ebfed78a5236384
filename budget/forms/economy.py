"""Forms for the agreement's economy: a disbursement, the cost import and the new rows of a frame. They parse
input; the services check the rules and word the refusals in Swedish (one rule for every way in)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import LineKind


class DisbursementForm(forms.Form):
    year = forms.IntegerField(
        label=_("Avser år"), error_messages={"required": _("Ange vilket år utbetalningen avser.")}
    )
    amount = forms.CharField(
        label=_("Belopp (kr)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Ange beloppet.")},
    )
    paid_on = forms.DateField(
        label=_("Utbetalningsdag"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Ange utbetalningsdag."), "invalid": _("Ange datum som ÅÅÅÅ-MM-DD.")},
    )
    reference = forms.CharField(
        label=_("Referens"),
        max_length=80,
        help_text=_("T.ex. verifikationsnummer i ekonomisystemet."),
        error_messages={"required": _("Ange en referens, t.ex. verifikationsnumret.")},
    )


class SpendingImportForm(forms.Form):
    # A cost file of the row limit's 20 000 rows is well under 2 MB as CSV or XLSX; anything much larger is
    # refused before it is read into memory.
    MAX_SIZE = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("Fil från ekonomisystemet (CSV eller XLSX)"),
        error_messages={"required": _("Välj en fil."), "empty": _("Filen är tom.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(
                _("Filen är för stor (%(size)s MB). En kostnadsfil får vara högst %(max)s MB.")
                % {"size": round(upload.size / 1024 / 1024, 1), "max": self.MAX_SIZE // (1024 * 1024)}
            )
        return upload


NEW_LINE_ROWS = 3


def new_lines_from_post(data) -> list[dict]:
    """The empty rows under the frame table: new-<n>-area/name/kind/amount."""
    rows = []
    for index in range(NEW_LINE_ROWS):
        rows.append(
            {
                "area": data.get(f"new-{index}-area", ""),
                "name": data.get(f"new-{index}-name", ""),
                "kind": data.get(f"new-{index}-kind", LineKind.OPERATIONS),
                "amount": data.get(f"new-{index}-amount", ""),
            }
        )
    return rows
