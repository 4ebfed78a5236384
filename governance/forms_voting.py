"""Forms for the styrgrupp: opening a vote, a ballot, jäv and the decision.

The services decide what may happen; these forms turn typed text into the values they take and word the
input errors in Swedish.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import Choice, DecisionKind
from .extensions import decision_form_parts


def choice_label(choice: str, *, cofunding: bool = False) -> str:
    """A ballot option as the member reads it: for a medfinansiering item, bifall means granting it."""
    if choice == Choice.YES and cofunding:
        return str(_("Bevilja medfinansiering"))
    return str(Choice(choice).label)


class VoteOpenForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Sista tid att rösta (frivillig)"),
        help_text=_(
            "Lämna tomt för att stänga voteringen vid mötet. Voteringen stängs i förtid när alla har röstat."
        ),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Ange datum och tid, t.ex. 2026-12-10 17:00.")},
    )
    open_ballots_after_close = forms.BooleanField(
        label=_("Visa hur var och en röstat efter stängning"), required=False, initial=True
    )

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.per_capsulam:
            # Per capsulam the members answer online by a deadline: the meeting's end, unless changed here.
            deadline = self.fields["deadline"]
            deadline.label = _("Sista tid att rösta (svar senast)")
            deadline.help_text = _(
                "Per capsulam: ledamöterna röstar digitalt fram till denna tid. Voteringen stängs i förtid "
                "när alla har röstat."
            )
            deadline.widget.attrs["required"] = True
            self.initial.setdefault("deadline", meeting.ends_at)


class VoteReopenForm(forms.Form):
    """A void vote opened again: a new deadline is required (the members vote online until then)."""

    deadline = forms.DateTimeField(
        label=_("Ny sista tid att rösta"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("Ange en ny sista tid att rösta."),
            "invalid": _("Ange datum och tid, t.ex. 2026-12-10 17:00."),
        },
    )


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Din röst"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj bifall, avslag eller avstår."),
            "invalid_choice": _("Välj bifall, avslag eller avstår."),
        },
    )

    def __init__(self, *args, cofunding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [(c, choice_label(c, cofunding=cofunding)) for c in Choice.values]


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till jäv"),
        max_length=500,
        help_text=_("T.ex. ”Närstående till den sökande” eller ”Styrelseledamot i medfinansierande bolag”."),
        error_messages={"required": _("Ange skälet till jävet.")},
    )
    confirm = forms.BooleanField(
        label=_("Jag är jävig och deltar inte i ärendet. Min eventuella röst tas bort."),
        error_messages={"required": _("Bekräfta att du anmäler jäv.")},
    )


AMOUNT = re.compile(r"^\d+$")


def parse_kronor(text: str) -> int:
    """Whole kronor as typed in Swedish ("250 000", "250000", "250 000 kr"); raises ValidationError."""
    cleaned = text.replace("\xa0", "").replace(" ", "").replace("\u202f", "")
    cleaned = cleaned.removesuffix("kr").removesuffix(":-")
    if cleaned == "":
        return 0
    if cleaned.startswith(("-", "−")):
        raise forms.ValidationError(_("Beloppet kan inte vara negativt."))
    if "," in cleaned or "." in cleaned:
        raise forms.ValidationError(_("Ange ett helt antal kronor utan decimaler, t.ex. 250 000."))
    if not AMOUNT.match(cleaned):
        raise forms.ValidationError(_("Ange beloppet i hela kronor med siffror, t.ex. 250 000."))
    return int(cleaned)


class DecisionForm(forms.Form):
    """The decision on a styrgrupp item: kind, text, amount per year of the proposal's planned period,
    conditions and activity goals."""

    kind = forms.ChoiceField(label=_("Typ av beslut"), choices=DecisionKind.choices)
    text = forms.CharField(
        label=_("Beslutstext"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv beslutstexten.")},
    )
    conditions = forms.CharField(label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    activity_goals = forms.CharField(
        label=_("Aktivitetsmål"),
        help_text=_("Ett mål per rad; förifyllt med beredningens mål."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Only after a void vote: the members' assent to deciding enligt förslag (decision_by_acclamation).
    assent = forms.BooleanField(
        label=_("Ledamöterna samtycker till beslut enligt förslag – ingen motsätter sig."), required=False
    )

    def __init__(self, *args, years=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        # Fields other apps add for the item (budget: the line the grant is committed against).
        parts = (contribute(self, item) for contribute in decision_form_parts) if item is not None else ()
        self.parts = [part for part in parts if part is not None]
        for year in self.years:
            self.fields[f"amount_{year}"] = forms.CharField(
                label=_("Belopp %(year)s (kr)") % {"year": year},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def amount_fields(self):
        return [self[f"amount_{year}"] for year in self.years]

    def clean(self):
        data = super().clean()
        amounts = {}
        for year in self.years:
            name = f"amount_{year}"
            try:
                amounts[year] = parse_kronor(self.data.get(name, "") or "")
            except forms.ValidationError as error:
                self.add_error(name, error)
        data["amounts"] = amounts
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": data["text"],
            "amounts": data["amounts"],
            "conditions": data.get("conditions", ""),
            "activity_goals": data.get("activity_goals", ""),
            "extra": {name: data.get(name) for part in self.parts for name in part.fields},
        }
