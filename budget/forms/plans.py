"""Forms for the verksamhetsplan: the plan, an activity and the meeting it is put before. They parse input;
the services check the rules and word the refusals in Swedish."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import WorkForm
from applications.models import Proposal

from ..models import BudgetLine


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Inget – avtalets egen plan"),
    )
    area = forms.CharField(
        label=_("Samverkansområde"),
        max_length=120,
        required=False,
        help_text=_("Budgetposterna i detta område i årets ram bildar planens budgettabell."),
    )
    introduction = forms.CharField(
        label=_("Inledning"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    overall_goals = forms.CharField(
        label=_("Övergripande mål"),
        required=False,
        help_text=_("Ett mål per rad; de numreras 1, 2, 3 … och aktiviteterna hänvisar till numren."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, agreement, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Proposal.objects.filter(
            agreement=agreement, work_form=WorkForm.PROGRAMME
        ).order_by("title")
        areas = sorted(set(BudgetLine.objects.filter(agreement=agreement).values_list("area", flat=True)))
        self.areas = areas
        if editing:
            del self.fields["year"]
            del self.fields["programme"]


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    goal_numbers = forms.CharField(
        label=_("Övergripande mål (nummer)"), max_length=60, required=False, help_text=_("T.ex. 1, 2, 3, 4.")
    )
    area_goal = forms.CharField(
        label=_("Verksamhetsområdets mål"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_activities = forms.CharField(
        label=_("Aktiviteter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    budget_amount = forms.CharField(
        label=_("Budget (kr)"),
        required=False,
        help_text=_("Tomt med vald budgetpost = ”Ingår i budgetpost …”; tomt utan post = ”–”."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    budget_line = forms.ModelChoiceField(
        label=_("Budgetpost"), queryset=BudgetLine.objects.none(), required=False, empty_label=_("Ingen")
    )
    communication = forms.CharField(
        label=_("Kommunikation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.CharField(
        label=_("Uppföljning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(
            agreement_id=plan.agreement_id
        ).order_by("order", "pk")
        self.fields["budget_line"].label_from_instance = lambda line: line.label


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Möte"), queryset=None, empty_label=None, error_messages={"required": _("Välj ett möte.")}
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.title} – {m.starts_at:%Y-%m-%d}"
