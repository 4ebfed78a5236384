"""The pipeline's filter form (GET). A bad value never stops the page: that one filter is left out and the
form carries a Swedish message for it, shown next to the filter; the other filters still apply.

A plain Django form is enough here: the filtering itself lives in `selectors.pipeline`, so the board and
the CSV export filter in exactly the same way.
"""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import selectors
from .enums import ProposalState, WorkForm

IGNORED = _("Filtret används inte.")


def _ignored(message):
    return format_lazy("{} {}", message, IGNORED)


YEAR_RANGE = (2000, 2100)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # A company is shown with its municipality: "Eskilstuna Energi och Miljö AB (Eskilstuna kommun)".
        return f"{obj.name} ({obj.parent.name})" if obj.parent_id else obj.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class PipelineFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=200,
        help_text=_("Titel, ärendenummer eller namn"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _ignored(_("Söktexten får vara högst %(limit_value)d tecken."))},
    )
    work_form = forms.ChoiceField(
        label=_("Arbetsform"),
        required=False,
        choices=[("", _("Alla arbetsformer")), *WorkForm.choices],
        error_messages={"invalid_choice": _ignored(_("Arbetsformen ”%(value)s” finns inte."))},
    )
    municipality = OrganisationChoiceField(
        label=_("Kommun eller bolag"),
        required=False,
        queryset=None,
        empty_label=_("Alla kommuner"),
        error_messages={"invalid_choice": _ignored(_("Kommunen finns inte bland avtalens parter."))},
    )
    year = forms.CharField(
        label=_("År"),
        required=False,
        max_length=20,
        help_text=_("Planerad start (eller registrering om start saknas)"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    person = PersonChoiceField(
        label=_("Ansvarig person"),
        required=False,
        queryset=None,
        empty_label=_("Alla"),
        error_messages={"invalid_choice": _ignored(_("Personen är inte ansvarig för något ärende här."))},
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla statusar")), *ProposalState.choices],
        error_messages={"invalid_choice": _ignored(_("Statusen ”%(value)s” finns inte."))},
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["municipality"].queryset = selectors.municipality_choices(user)
        self.fields["person"].queryset = selectors.responsible_people(user)
        for name, field in self.fields.items():
            # The message next to the filter is always in the page (empty when fine), so htmx can update it.
            field.widget.attrs["aria-describedby"] = f"filter-error-{name}" + (
                f" filter-help-{name}" if field.help_text else ""
            )

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if not value:
            return None
        if not value.isdigit() or not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
            raise forms.ValidationError(
                _ignored(_("”%(value)s” är inget år. Skriv året med fyra siffror, t.ex. 2026.")),
                params={"value": value},
            )
        return int(value)

    def filters(self) -> dict:
        """The valid filter values; a field with a bad value is left out (its message is in `errors`)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}

    def ignored_messages(self) -> list[dict]:
        """The ignored filters with their messages, for the summary above the board."""
        self.is_valid()
        return [
            {"id": self[name].id_for_label, "label": self.fields[name].label, "message": " ".join(errors)}
            for name, errors in self.errors.items()
        ]
