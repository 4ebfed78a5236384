"""Forms for templates (mallar): the template's own fields and a formset of its sections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.models import Agreement

from ..enums import TemplateStage, WorkForm

POSITIVE = _("Max antal tecken måste vara ett positivt heltal (eller lämnas tomt).")


class TemplateForm(forms.Form):
    title = forms.CharField(
        label=_("Mallens rubrik"),
        max_length=200,
        error_messages={"required": _("Mallen måste ha en rubrik.")},
        help_text=_("Visas för de sökande, t.ex. ”Ansökan – förstudie och projekt”."),
    )
    introduction = forms.CharField(
        label=_("Inledning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad mallen är till för och vad de sökande ska tänka på innan de börjar skriva."),
    )
    # The current version the editor started from: saving is refused if someone saved a newer one meanwhile.
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TemplateCreateForm(TemplateForm):
    agreement = forms.ModelChoiceField(Agreement.objects.none(), label=_("Samverkansavtal"))
    stage = forms.ChoiceField(label=_("Skede"), choices=TemplateStage.choices)
    work_form = forms.ChoiceField(
        label=_("Arbetsform"),
        required=False,
        choices=[("", _("Alla arbetsformer (allmän mall)")), *WorkForm.choices],
        help_text=_("En mall för en viss arbetsform gäller före den allmänna mallen för samma skede."),
    )
    field_order = ["agreement", "stage", "work_form", "title", "introduction"]

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        if len(agreements) == 1:
            self.fields["agreement"].initial = agreements[0].pk
            self.fields["agreement"].widget = forms.HiddenInput()


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200, required=False)
    guidance = forms.CharField(
        label=_("Vägledning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad de sökande ska skriva om i avsnittet."),
    )
    required = forms.BooleanField(label=_("Obligatoriskt avsnitt"), required=False, initial=True)
    max_length = forms.IntegerField(
        label=_("Max antal tecken"),
        required=False,
        min_value=1,
        error_messages={"min_value": POSITIVE, "invalid": POSITIVE},
        help_text=_("Lämna tomt för obegränsat."),
    )
    order = forms.IntegerField(
        label=_("Ordning"),
        required=False,
        min_value=0,
        error_messages={"min_value": _("Ordningen är ett heltal, 0 eller större.")},
        help_text=_("Avsnitten visas i stigande ordning; tomt = sist."),
    )


class BaseSectionFormSet(forms.BaseFormSet):
    def sections(self) -> list[dict]:
        """The sections to save: existing ones not marked for removal, and new ones that were filled in."""
        result = []
        for index, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            result.append(
                {name: data.get(name) for name in ("title", "guidance", "required", "max_length", "order")}
            )
        return result


def section_formset(data=None, *, sections=(), extra: int = 2, delete_label=None) -> BaseSectionFormSet:
    """The section formset: prefilled from a version's sections (new version) or empty (new template)."""
    initial = [
        {
            "title": s.title,
            "guidance": s.guidance,
            "required": s.required,
            "max_length": s.max_length,
            "order": number,
        }
        for number, s in enumerate(sections, start=1)
    ]
    formset_class = forms.formset_factory(
        SectionForm, formset=BaseSectionFormSet, extra=extra, can_delete=True
    )
    formset = formset_class(data, initial=initial, prefix="sections")
    for form in formset.forms:
        form.fields["DELETE"].label = delete_label or _("Ta bort avsnittet")
    return formset
