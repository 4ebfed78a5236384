"""The secretary's minutes form: the protocol text and the adjuster (justerare). The rules – who may write,
who may adjust – are the service's (governance.services.minutes); the form only offers sensible choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.models import User

from .selectors import members_of


class AdjusterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class MinutesForm(forms.Form):
    text = forms.CharField(
        label=_("Protokollstext"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "true", "class": "minutes-text"}),
        help_text=_(
            "Genererad från mötet. ”§1 …” inleder en paragraf, rader med ” | ” blir tabeller och "
            "”Etikett: värde” blir uppgifter i PDF:en."
        ),
    )
    adjuster = AdjusterChoiceField(
        label=_("Justerare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Inte utsedd än"),
        help_text=_(
            "En ledamot i organet, inte ordföranden. Justerar protokollet tillsammans med ordföranden."
        ),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [seat.user_id for seat in members_of(meeting) if seat.user_id != meeting.chair_id]
        self.fields["adjuster"].queryset = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")
