from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budget.enums import CostCategory
from governance.enums import MeetingStatus
from governance.models import Meeting

from .enums import GoalKind, GoalStatus, Unit
from .models import DisseminationEvent

STOCKHOLM = ZoneInfo("Europe/Stockholm")
AMOUNT = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


def parse_kronor(value: str) -> int | None:
    """'12 500', '12500 kr' → 12500; '' → None; anything else raises ValueError."""
    cleaned = (value or "").replace("kr", "").replace("\xa0", "").replace(" ", "").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValueError(value)
    return int(cleaned)


class ReportForm(forms.Form):
    """The team's report: texts, a status and comment per activity goal, money spent per cost category."""

    deliveries = forms.CharField(
        label=_("Leveranser: uppnått jämfört med beslutat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    evaluation = forms.CharField(
        label=_("Utvärdering av arbetet"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    lessons = forms.CharField(
        label=_("Vunna erfarenheter"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    spending_year = forms.IntegerField(
        label=_("Kostnaderna avser år"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Ange ett giltigt år."),
            "min_value": _("Ange ett giltigt år."),
            "max_value": _("Ange ett giltigt år."),
        },
    )
    attachment = forms.FileField(
        label=_("Bilaga"),
        required=False,
        help_text=_("PDF, Word (DOCX), Excel (XLSX) eller OpenDocument-text (ODT), högst 20 MB."),
    )

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.goals = list(report.proposal.activity_goals.all())
        if report.is_final:
            self.fields["scientific_report"] = forms.CharField(
                label=_("Vetenskaplig slutrapport"),
                required=False,
                help_text=_(
                    "Enligt den publicerade mallen för slutrapport – eller bifoga rapporten som fil."
                ),
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=goal.text,
                required=False,
                choices=[("", _("Välj…")), *GoalStatus.choices],
            )
            self.fields[f"goal_{goal.pk}_comment"] = forms.CharField(
                label=_("Kommentar"), required=False, max_length=1000
            )
        for value, label in CostCategory.choices:
            self.fields[f"spent_{value}"] = forms.CharField(label=label, required=False, widget=AMOUNT)

    def goal_rows(self):
        return [(goal, self[f"goal_{goal.pk}"], self[f"goal_{goal.pk}_comment"]) for goal in self.goals]

    def spending_fields(self):
        return [self[f"spent_{value}"] for value in CostCategory.values]

    def clean(self):
        data = super().clean()
        spending = {}
        for value in CostCategory.values:
            try:
                amount = parse_kronor(data.get(f"spent_{value}", ""))
            except ValueError:
                self.add_error(f"spent_{value}", _("Ange ett helt antal kronor, t.ex. 12 500."))
                continue
            if amount is not None:
                spending[value] = amount
        data["spending"] = spending
        data["goals"] = {
            goal.pk: (data.get(f"goal_{goal.pk}", ""), data.get(f"goal_{goal.pk}_comment", ""))
            for goal in self.goals
        }
        return data


def upcoming_meetings(agreement_id: int):
    return (
        Meeting.objects.filter(
            agreement_id=agreement_id, starts_at__gte=timezone.now() - datetime.timedelta(days=1)
        )
        .exclude(status=MeetingStatus.MINUTES_APPROVED)
        .select_related("body")
        .order_by("starts_at")
    )


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Möte"), queryset=Meeting.objects.none(), error_messages={"required": _("Välj ett möte.")}
    )

    def __init__(self, *args, agreement_id: int, steering_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = upcoming_meetings(agreement_id)
        if steering_only:
            meetings = meetings.filter(kind="styrgrupp")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.title} – {timezone.localtime(m.starts_at):%Y-%m-%d}"
        )


class TreatForm(forms.Form):
    feedback = forms.CharField(
        label=_("Mötets återkoppling"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv mötets återkoppling till projektet.")},
    )


class EndDateForm(forms.Form):
    end = forms.DateField(
        label=_("Nytt slutdatum (enligt styrgruppens beslut)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Ange det nya slutdatumet."), "invalid": _("Ange ett giltigt datum.")},
    )


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Börjar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Ange när tillfället börjar."), "invalid": _("Ange datum och tid.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Slutar"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("Ange när tillfället slutar."), "invalid": _("Ange datum och tid.")},
    )

    class Meta:
        model = DisseminationEvent
        fields = ["title", "starts_at", "ends_at", "location", "description", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {"required": _("Ange en rubrik.")},
            "location": {"required": _("Ange en plats.")},
        }


class PresentationForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Resultatspridningstillfälle"),
        queryset=DisseminationEvent.objects.none(),
        error_messages={"required": _("Välj ett tillfälle.")},
    )
    title = forms.CharField(
        label=_("Presentationens titel"),
        max_length=200,
        error_messages={"required": _("Ange presentationens titel.")},
    )
    presenter = forms.TypedChoiceField(label=_("Presentatör"), coerce=int)

    def __init__(self, *args, proposal, team, include_past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        events = DisseminationEvent.objects.filter(agreement_id=proposal.agreement_id).order_by("starts_at")
        if not include_past:
            events = events.filter(ends_at__gte=timezone.now())
        self.fields["event"].queryset = events
        self.fields["event"].label_from_instance = lambda e: (
            f"{e.title} – {timezone.localtime(e.starts_at):%Y-%m-%d}, {e.location}"
        )
        self.team = {user.pk: user for user in team}
        self.fields["presenter"].choices = [(u.pk, u.get_full_name() or u.email) for u in team]
        self.fields["title"].initial = proposal.title


class GoalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=GoalKind.choices)
    name = forms.CharField(
        label=_("Namn"), max_length=200, error_messages={"required": _("Ange effektmålets namn.")}
    )
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ChoiceField(label=_("Enhet"), choices=Unit.choices)
    unit_label = forms.CharField(label=_("Enhetens namn (vid annan enhet)"), required=False, max_length=40)
    baseline = forms.DecimalField(label=_("Utgångsvärde"), required=False, max_digits=14, decimal_places=2)
    baseline_year = forms.IntegerField(label=_("Utgångsår"), required=False, min_value=2000, max_value=2100)
    higher_is_better = forms.BooleanField(label=_("Högre värde är bättre"), required=False, initial=True)
    contributing_activities = forms.CharField(
        label=_("Aktiviteter som bidrar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Projekt som bidrar"), required=False, queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        from applications.models import Proposal

        self.fields["proposals"].queryset = Proposal.objects.filter(
            agreement=agreement, state__in=["granted", "active", "closing", "closed"]
        ).order_by("title")


class GoalYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("Ange år."),
            "min_value": _("Ange ett giltigt år."),
            "max_value": _("Ange ett giltigt år."),
        },
    )
    target = forms.DecimalField(
        label=_("Målvärde"),
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": _("Ange ett tal.")},
    )
    value = forms.DecimalField(
        label=_("Utfall"),
        required=False,
        max_digits=14,
        decimal_places=2,
        error_messages={"invalid": _("Ange ett tal.")},
    )
    source = forms.CharField(
        label=_("Källa"), required=False, max_length=300, help_text=_("T.ex. enkät till konferensdeltagarna.")
    )
    respondents = forms.IntegerField(label=_("Antal svarande"), required=False, min_value=0)
    agreeing = forms.IntegerField(label=_("Antal som instämmer"), required=False, min_value=0)
