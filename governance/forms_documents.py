"""Forms for the decision documents: signing (re-authentication), the diarium and the
project account. The services decide; these forms word the input errors in Swedish."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.security import check_password_guarded


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="",  # set per organisation in __init__
        error_messages={"required": _("Kryssa i att du har läst beslutsunderlaget innan du signerar.")},
    )
    password = forms.CharField(
        label=_("Bekräfta med ditt lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Skriv ditt lösenord för att signera.")},
    )

    def __init__(self, *args, organisation=None, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        name = organisation.name if organisation is not None else ""
        self.fields["confirm"].label = _("Jag har läst beslutsunderlaget och signerar det för %(org)s") % {
            "org": name
        }

    def clean_password(self):
        """The password counts towards the login lockout (samverkan.security): a form that signs with a
        password must not be a way round it."""
        password = self.cleaned_data["password"]
        if self.request is None:
            raise TypeError("SignForm needs the request to check the password under the login lockout.")
        if not check_password_guarded(self.request, self.request.user, password):
            raise forms.ValidationError(_("Fel lösenord – inget har signerats."), code="wrong_password")
        return password


class RegisterForm(forms.Form):
    diarienummer = forms.CharField(
        label=_("Diarienummer"),
        max_length=60,
        error_messages={"required": _("Ange diarienumret.")},
    )

    def __init__(self, *args, copy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if copy is not None:
            # Distinct ids: the page has one form per copy.
            self.auto_id = f"id_copy{copy.pk}_%s"
            prefix = copy.organisation.diarium_prefix or copy.organisation.short_name
            self.fields["diarienummer"].help_text = _("Formen är %(ex)s.") % {"ex": f"{prefix}-2026/123"}


class ProjectAccountForm(forms.Form):
    project_account = forms.CharField(
        label=_("Projektkonto"),
        max_length=40,
        help_text=_("Kontot som de beviljade medlen betalas ut till."),
        error_messages={
            "required": _("Ange projektkontot."),
            "max_length": _("Ange projektkontot (högst 40 tecken)."),
        },
    )
