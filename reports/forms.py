from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.enums import WorkForm
from governance.enums import MeetingKind, MeetingStatus
from governance.models import Meeting
from samverkan.models import Agreement

from . import permissions, selectors
from .models import CommunicationActivity, CommunicationGoal, CommunicationPlan, Publication
from .periods import Quarter


class ReportOrderForm(forms.Form):
    agreement = forms.ModelChoiceField(
        label=_("Avtal"),
        queryset=Agreement.objects.none(),
        error_messages={"invalid_choice": _("Välj ett avtal du kan ta fram rapporter för.")},
    )
    quarter = forms.CharField(label=_("Kvartal"), max_length=10)
    rerun = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agreements = [a for a in selectors.report_agreements(user) if permissions.can_run_report(user, a)]
        self.fields["agreement"].queryset = Agreement.objects.filter(pk__in=[a.pk for a in agreements])
        self.agreements = agreements
        today = timezone.localdate()
        choices = []
        for agreement in agreements:
            for q in selectors.reportable_quarters(agreement, today):
                if (q.key, q.label) not in choices:
                    choices.append((q.key, q.label))
        self.fields["quarter"].widget = forms.Select(choices=sorted(choices, reverse=True))
        if len(agreements) == 1:
            self.fields["agreement"].initial = agreements[0].pk
            self.fields["agreement"].widget = forms.HiddenInput()

    def clean_quarter(self):
        value = self.cleaned_data["quarter"]
        try:
            return Quarter.parse(value)
        except ValueError:
            raise forms.ValidationError(
                _("”%(value)s” är inget kvartal. Välj ett kvartal i listan."), params={"value": value}
            ) from None


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = ["show_researcher", "show_co_researchers", "show_officer", "results"]
        widgets = {"results": forms.Textarea(attrs={"rows": 3})}


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={"max_length": _("Söktexten får vara högst %(limit_value)d tecken.")},
    )
    work_form = forms.ChoiceField(
        label=_("Arbetsform"),
        required=False,
        choices=[("", _("Alla arbetsformer")), *WorkForm.choices],
        error_messages={"invalid_choice": _("Arbetsformen finns inte – filtret används inte.")},
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommun"),
        required=False,
        queryset=None,
        empty_label=_("Alla kommuner"),
        error_messages={"invalid_choice": _("Kommunen finns inte – filtret används inte.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), ("pagaende", _("Pågående")), ("avslutade", _("Avslutade"))],
        error_messages={"invalid_choice": _("Statusen finns inte – filtret används inte.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = selectors.public_municipalities()

    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class PlanCreateForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Avtal"), queryset=Agreement.objects.none())
    year = forms.IntegerField(
        label=_("År"),
        error_messages={"invalid": _("Ange ett år med fyra siffror, t.ex. 2027."), "required": _("Ange år.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in selectors.report_agreements(user) if permissions.can_create_plan(user, a)]
        self.fields["agreement"].queryset = Agreement.objects.filter(pk__in=ids)
        if len(ids) == 1:
            self.fields["agreement"].initial = ids[0]
            self.fields["agreement"].widget = forms.HiddenInput()


class PlanForm(forms.ModelForm):
    class Meta:
        model = CommunicationPlan
        fields = ["purpose", "target_groups", "channels"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "target_groups": forms.Textarea(attrs={"rows": 4}),
            "channels": forms.Textarea(attrs={"rows": 4}),
        }


class GoalForm(forms.ModelForm):
    class Meta:
        model = CommunicationGoal
        fields = ["text", "effect_goal"]
        # Suggests the agreement's effect goals and KPIs (the <datalist> on the plan page).
        widgets = {"effect_goal": forms.TextInput(attrs={"list": "avtalets-effektmal"})}


class ActivityForm(forms.ModelForm):
    cost = forms.IntegerField(
        label=_("Kostnad (kr)"),
        min_value=0,
        initial=0,
        error_messages={
            "invalid": _("Kostnaden ska vara ett helt antal kronor, t.ex. 25000."),
            "min_value": _("Kostnaden kan inte vara negativ."),
        },
    )

    class Meta:
        model = CommunicationActivity
        fields = ["title", "target_group", "channel", "timing", "responsible", "cost"]


class ScheduleForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Styrgruppsmöte"),
        queryset=Meeting.objects.none(),
        error_messages={"invalid_choice": _("Välj ett kommande styrgruppsmöte.")},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            agreement_id=plan.agreement_id,
            kind=MeetingKind.STEERING,
            status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED],
        ).order_by("starts_at")
