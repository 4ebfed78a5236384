from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .security import check_password_guarded


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with e-mail; the error message does not reveal whether the address exists."""

    username = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Fel e-postadress eller lösenord. Försök igen."),
        "inactive": _("Kontot är inaktiverat. Kontakta din processledare."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].lower()


class GuardedPasswordChangeForm(PasswordChangeForm):
    """Change the password; the old password counts towards the login lockout (samverkan.security), so
    that this form is no way round it for someone who finds a session left open."""

    def __init__(self, user, *args, request, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not check_password_guarded(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password
