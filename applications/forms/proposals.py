from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.enums import OrganisationKind, Role
from samverkan.models import Agreement, Organisation, RoleAssignment, User
from samverkan.selectors import people_with_role

from ..enums import WorkForm
from ..models import Proposal


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name()} ({user.email})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.email


def _people(agreement_ids, role):
    return people_with_role(agreement_ids, role).order_by("first_name", "last_name")


def _municipal_orgs(agreement_ids):
    agreements = Agreement.objects.filter(pk__in=agreement_ids)
    ids = set()
    for agreement in agreements:
        ids |= agreement.organisation_ids() - {agreement.university_id}
    return Organisation.objects.filter(pk__in=ids).exclude(kind=OrganisationKind.UNIVERSITY).order_by("name")


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProposalCreateForm(forms.Form):
    agreement = forms.ModelChoiceField(Agreement.objects.none(), label=_("Samverkansavtal"))
    title = forms.CharField(label=_("Titel"), max_length=200)
    work_form = forms.ChoiceField(label=_("Arbetsform"), choices=WorkForm.choices, initial=WorkForm.PROJECT)
    summary = forms.CharField(
        label=_("Idén i korthet"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Vad vill ni undersöka, och varför är det viktigt för kommunen?"),
    )
    responsible_researcher = PersonChoiceField(User.objects.none(), label=_("Ansvarig forskare"))
    responsible_officer = PersonChoiceField(
        User.objects.none(),
        label=_("Ansvarig tjänsteperson (medsökande i kommunen)"),
        required=False,
        help_text=_("Behövs innan idén kan gå vidare: en person från varje part."),
    )
    municipal_organisations = forms.ModelMultipleChoiceField(
        Organisation.objects.none(),
        label=_("Kommuner och bolag som deltar"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, agreement_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(pk__in=agreement_ids)
        if len(agreement_ids) == 1:
            self.fields["agreement"].initial = next(iter(agreement_ids))
            self.fields["agreement"].widget = forms.HiddenInput()
        self.fields["responsible_researcher"].queryset = _people(agreement_ids, Role.RESEARCHER)
        if self.fields["responsible_researcher"].queryset.filter(pk=user.pk).exists():
            self.fields["responsible_researcher"].initial = user.pk
        self.fields["responsible_officer"].queryset = _people(agreement_ids, Role.OFFICER)
        if self.fields["responsible_officer"].queryset.filter(pk=user.pk).exists():
            self.fields["responsible_officer"].initial = user.pk
        self.fields["municipal_organisations"].queryset = _municipal_orgs(agreement_ids)


class ProposalEditForm(forms.ModelForm):
    activity_goals = forms.CharField(
        label=_("Aktivitetsmål"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett mål per rad, t.ex. ”Minst tre skolor deltar i pilotstudien”."),
    )

    class Meta:
        model = Proposal
        fields = [
            "title",
            "work_form",
            "parent",
            "summary",
            "popular_summary",
            "research_question",
            "scientific_ambition",
            "responsible_researcher",
            "researchers",
            "responsible_officer",
            "municipal_organisations",
            "planned_start",
            "planned_end",
            "external_funder",
            "external_call",
            "external_amount",
            "external_decision_expected",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "popular_summary": forms.Textarea(attrs={"rows": 3}),
            "research_question": forms.Textarea(attrs={"rows": 3}),
            "scientific_ambition": forms.Textarea(attrs={"rows": 4}),
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "external_decision_expected": DATE_WIDGET,
            "municipal_organisations": forms.CheckboxSelectMultiple,
            "researchers": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "responsible_researcher": PersonChoiceField,
            "responsible_officer": PersonChoiceField,
            "researchers": PeopleChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [self.instance.agreement_id]
        researchers = _people(ids, Role.RESEARCHER)
        self.fields["responsible_researcher"].queryset = researchers
        self.fields["researchers"].queryset = researchers
        self.fields["responsible_officer"].queryset = _people(ids, Role.OFFICER)
        self.fields["municipal_organisations"].queryset = _municipal_orgs(ids)
        self.fields["parent"].queryset = Proposal.objects.filter(
            agreement_id=self.instance.agreement_id, work_form__in=[WorkForm.PROGRAMME, WorkForm.PROFILE_AREA]
        ).exclude(pk=self.instance.pk)
        self.fields["activity_goals"].initial = "\n".join(g.text for g in self.instance.activity_goals.all())
        self.fields["external_amount"].help_text = _("Hela kronor.")
        for name in ("external_funder", "external_call", "external_amount", "external_decision_expected"):
            self.fields[name].help_text = (
                (self.fields[name].help_text or "") + " " + _("Endast för medfinansiering.")
            )

    def clean_activity_goals(self):
        return [line.strip() for line in self.cleaned_data["activity_goals"].splitlines() if line.strip()]


class SectionsForm(forms.Form):
    """One text area per section of the proposal's template version."""

    def __init__(self, *args, template, texts: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(template.sections.all()) if template else []
        for section in self.sections:
            attrs = {"rows": 6}
            if section.max_length:
                attrs["maxlength"] = section.max_length
            label = section.title + ("" if section.required else " " + str(_("(frivilligt)")))
            help_text = section.guidance
            if section.max_length:
                help_text = f"{help_text} " + str(_("Högst %(n)s tecken.") % {"n": section.max_length})
            self.fields[f"section_{section.pk}"] = forms.CharField(
                label=label,
                required=False,
                help_text=help_text.strip(),
                widget=forms.Textarea(attrs=attrs),
                initial=texts.get(section.pk, ""),
            )

    def texts(self) -> dict[int, str]:
        return {section.pk: self.cleaned_data.get(f"section_{section.pk}", "") for section in self.sections}


class AnchoringForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Förvaltning eller bolag"))
    confirm = forms.BooleanField(
        label=_("Jag bekräftar att ansökan är förankrad i organisationen och att jag är medsökande."),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _municipal_orgs([proposal.agreement_id])
        officer_orgs = (
            RoleAssignment.objects.active()
            .filter(
                agreement_id=proposal.agreement_id, user_id=proposal.responsible_officer_id, role=Role.OFFICER
            )
            .values_list("organisation_id", flat=True)
        )
        self.fields["organisation"].initial = proposal.anchoring_organisation_id or next(
            iter(officer_orgs), None
        )


class TransitionForm(forms.Form):
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)
