from django import forms
from django.utils.translation import gettext_lazy as _

# A hint for the browser's file picker only: the server decides by the file's content.
ACCEPT = ",".join(
    [
        ".pdf",
        ".docx",
        ".xlsx",
        ".odt",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
    ]
)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX) eller OpenDocument-text (ODT), högst 20 MB."),
        error_messages={"required": _("Välj en fil att ladda upp."), "empty": _("Filen är tom.")},
        allow_empty_file=True,  # the service says "Filen är tom." itself, also for direct calls
        widget=forms.FileInput(attrs={"accept": ACCEPT, "aria-describedby": "id_file-help"}),
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        max_length=200,
        required=False,
        help_text=_("Valfritt, t.ex. ”Budgetbilaga” eller ”Intyg från förvaltningen”."),
        widget=forms.TextInput(attrs={"aria-describedby": "id_description-help"}),
    )
