"""The upload form of the public verification page. The size limit is the service's; the view has already
refused a request whose body is larger, before reading it."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .services.verification import VERIFY_MAX_BYTES


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Beslutsdokument (PDF)"),
        help_text=_("Högst %(max)s.") % {"max": filesizeformat(VERIFY_MAX_BYTES)},
        error_messages={
            "required": _("Välj en PDF-fil att kontrollera."),
            "empty": _("Filen är tom."),
            "invalid": _("Välj en PDF-fil att kontrollera."),
            "missing": _("Välj en PDF-fil att kontrollera."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor (högst %(max)s). Ett beslutsdokument från Samverkan är mycket mindre.")
                % {"max": filesizeformat(VERIFY_MAX_BYTES)}
            )
        return upload
