"""Forms for beredning: a member's assessment of an application and the meeting's outcome.

The forms only carry what was typed; the services decide what is valid (scores 1–5, every score when
submitting, a motivation for the outcome) and their Swedish messages are placed next to the fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import CRITERIA, Perspective, ReviewOutcome
from .extensions import outcome_form_parts

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]

# The perspective questions: (field, label as the service names it in its messages, help text).
PERSPECTIVE_QUESTIONS = {
    Perspective.RESEARCH: [
        ("research_quality", _("Forskningens kvalitet"), _("1 = svag, 5 = framstående")),
        (
            "research_ambition",
            _("Forskningens ambition"),
            _("Forskningshöjd och nyhetsvärde: 1 = låg, 5 = hög"),
        ),
    ],
    Perspective.BENEFIT: [
        (
            "benefit",
            _("Nytta för medborgare, företagare och besökare"),
            _("1 = liten nytta, 5 = stor nytta"),
        ),
        (
            "effects",
            _("Effekter för kommunen"),
            _("Varaktiga effekter i kommunens verksamhet: 1 = små, 5 = stora"),
        ),
    ],
}


def _score_field(label, help_text="") -> forms.CharField:
    # A CharField with radio buttons: the service validates the value and words the message.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.RadioSelect(choices=SCORE_CHOICES),
    )


class AssessmentForm(forms.Form):
    """The member's assessment: the questions of their perspective, the nine criteria (seed 003) with an
    optional comment each, a summary comment and proposed activity goals."""

    comment = forms.CharField(
        label=_("Sammanfattande kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    proposed_goals = forms.CharField(
        label=_("Förslag på aktivitetsmål"),
        help_text=_("Ett mål per rad, t.ex. ”Minst tre skolor deltar i pilotstudien”."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, perspective: str, assessment=None, **kwargs):
        if assessment is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = initial_from(assessment)
        super().__init__(*args, **kwargs)
        self.perspective = perspective
        self.question_names = []
        self.label_to_field = {}
        for name, label, help_text in PERSPECTIVE_QUESTIONS[perspective]:
            self.fields[name] = _score_field(label, help_text)
            self.question_names.append(name)
            self.label_to_field[str(label)] = name
        for number, label in CRITERIA:
            self.fields[f"criterion_{number}"] = _score_field(f"{number}. {label}")
            self.fields[f"criterion_{number}_comment"] = forms.CharField(
                label=_("Kommentar till kriterium %(n)s (frivillig)") % {"n": number},
                required=False,
                max_length=500,
            )
            self.label_to_field[f"{number}. {label}"] = f"criterion_{number}"

    # --- for the template ---------------------------------------------------------------------------------

    def questions(self):
        return [self[name] for name in self.question_names]

    def criteria(self):
        return [
            (number, self[f"criterion_{number}"], self[f"criterion_{number}_comment"])
            for number, _l in CRITERIA
        ]

    # --- for the service ----------------------------------------------------------------------------------

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "scores": {name: data.get(name) or None for name in self.question_names},
            "criteria": {
                number: (data.get(f"criterion_{number}") or None, data.get(f"criterion_{number}_comment", ""))
                for number, _l in CRITERIA
            },
            "comment": data.get("comment", ""),
            "proposed_goals": data.get("proposed_goals", ""),
        }

    def apply_service_errors(self, error: ValidationError) -> None:
        """Put the service's messages (keyed by the question's label) next to the fields they concern."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            field = self.label_to_field.get(key)
            self.add_error(field, messages)


def initial_from(assessment) -> dict:
    initial = {
        "comment": assessment.comment,
        "proposed_goals": assessment.proposed_goals,
    }
    for name in ("research_quality", "research_ambition", "benefit", "effects"):
        value = getattr(assessment, name)
        if value is not None:
            initial[name] = str(value)
    for score in assessment.criteria.all():
        initial[f"criterion_{score.criterion}"] = str(score.score)
        initial[f"criterion_{score.criterion}_comment"] = score.comment
    return initial


class OutcomeForm(forms.Form):
    """The beredning's position on an application: forward, return for revision or decline – with, for a
    grant, the conditions it proposes and what other apps add for the item (budget: the proposed amount per
    year)."""

    outcome = forms.ChoiceField(
        label=_("Beredningens ställningstagande"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj tillstyrk, återför eller tillstyrk inte.")},
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service words the message
    )
    goals = forms.CharField(
        label=_("Aktivitetsmål att föra vidare till styrgruppen"),
        help_text=_("Ett mål per rad."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(
        label=_("Föreslagna villkor"),
        help_text=_("Villkor för ett beviljande, t.ex. ”Halvtidsredovisning senast 2027-09-30”."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields other apps add for the item (budget: the proposed amount per year).
        parts = (contribute(self, item) for contribute in outcome_form_parts) if item is not None else ()
        self.parts = [part for part in parts if part is not None]

    def parts_with_fields(self):
        """For the template: each contributed part with its bound fields (included as `fields`)."""
        return [(part, [self[name] for name in part.fields]) for part in self.parts]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "outcome": data["outcome"],
            "motivation": data["motivation"],
            "goals": data["goals"],
            "conditions": data["conditions"],
            "extra": {name: data.get(name) for part in self.parts for name in part.fields},
        }

    def apply_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
