import hashlib
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from applications import services
from applications.attachments import DOCX, MAX_SIZE, ODT, PDF, XLSX, validate_upload
from applications.enums import ProposalState
from applications.forms.attachments import AttachmentForm
from applications.models import Attachment
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.samverkan import UserFactory, person_with_role

pytestmark = pytest.mark.django_db

WRONG_TYPE = (
    "Endast PDF, Word (DOCX), Excel (XLSX) och OpenDocument-text (ODT) är tillåtna – "
    "filens innehåll är av en annan typ."
)


# --- files --------------------------------------------------------------------------------------------------


def pdf_bytes(padding: int = 0) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return body + b"%" + b"0" * padding if padding else body


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED
            )
        for name, content in entries.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(*, macros: bool = False) -> bytes:
    main = "application/vnd.ms-word.document.macroEnabled.main+xml" if macros else DOCX + ".main+xml"
    entries = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
        ).encode(),
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document><w:body>Ans\xc3\xb6kan</w:body></w:document>',
    }
    if macros:
        entries["word/vbaProject.bin"] = b"\x00" * 16
    return zip_bytes(entries)


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Budget 2026"
    workbook.active["B1"] = 400_000
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odt_bytes(mimetype: bytes = ODT.encode()) -> bytes:
    return zip_bytes(
        {
            "mimetype": mimetype,
            "content.xml": b'<?xml version="1.0"?><office:document-content/>',
            "META-INF/manifest.xml": b'<?xml version="1.0"?><manifest:manifest/>',
        },
        stored_first="mimetype",
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload_url(proposal):
    return reverse("applications:attachment_upload", args=[proposal.pk])


def download_url(attachment):
    return reverse("applications:attachment_download", args=[attachment.proposal_id, attachment.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def proposal():
    return ProposalFactory(state=ProposalState.APPLICATION)


@pytest.fixture
def member(proposal):
    return proposal.responsible_researcher


# --- validate_upload ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("rapport.pdf", pdf_bytes(), PDF),
        ("ansokan.docx", docx_bytes(), DOCX),
        ("budget.xlsx", xlsx_bytes(), XLSX),
        ("text.odt", odt_bytes(), ODT),
        ("utan-filandelse", pdf_bytes(), PDF),
        ("fel-namn.docx", pdf_bytes(), PDF),
    ],
    ids=["pdf", "docx", "xlsx", "odt", "pdf-without-extension", "pdf-named-docx"],
)
def test_validate_upload_detects_type_from_content(name, content, expected):
    assert validate_upload(upload(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, WRONG_TYPE),
        ("tom.pdf", b"", "Filen är tom."),
        ("text.docx", "Hej, det här är bara text.\n".encode(), WRONG_TYPE),
        ("arkiv.docx", zip_bytes({"readme.txt": b"inget dokument"}), WRONG_TYPE),
        ("kalkyl.ods", odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet"), WRONG_TYPE),
        ("makro.docx", docx_bytes(macros=True), "Dokument med makron är inte tillåtna"),
        ("trasig.docx", b"PK\x03\x04" + b"\x00" * 300, "Filen kunde inte läsas – den verkar vara skadad."),
        ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, WRONG_TYPE),
    ],
    ids=[
        "exe-named-pdf",
        "empty",
        "text-named-docx",
        "zip-without-document",
        "ods",
        "macros",
        "corrupt-zip",
        "png",
    ],
)
def test_validate_upload_refuses_with_swedish_message(name, content, message):
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(name, content))
    assert message in " ".join(refused.value.messages)


def test_validate_upload_accepts_exactly_20_mb_and_refuses_one_byte_more():
    exactly = pdf_bytes()
    exactly += b"0" * (MAX_SIZE - len(exactly))
    assert validate_upload(upload("stor.pdf", exactly)) == PDF
    with pytest.raises(ValidationError, match=r"Filen är större än 20 MB\."):
        validate_upload(upload("for-stor.pdf", exactly + b"0"))


# --- upload view --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected_type"),
    [
        ("rapport.pdf", pdf_bytes(), PDF),
        ("ansokan.docx", docx_bytes(), DOCX),
        ("budget.xlsx", xlsx_bytes(), XLSX),
        ("beskrivning.odt", odt_bytes(), ODT),
    ],
    ids=["pdf", "docx", "xlsx", "odt"],
)
def test_team_member_uploads_valid_file(client, proposal, member, name, content, expected_type):
    client.force_login(member)
    response = client.post(upload_url(proposal), {"file": upload(name, content), "description": "Underlag"})
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert messages_of(response) == ["Bilagan är uppladdad."]
    attachment = Attachment.objects.get(proposal=proposal)
    assert attachment.original_name == name
    assert attachment.content_type == expected_type
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.description == "Underlag"
    assert attachment.uploaded_by == member
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, WRONG_TYPE),
        ("tom.pdf", b"", "Filen är tom."),
        ("stor.pdf", pdf_bytes(padding=21 * 1024 * 1024), "Filen är större än 20 MB."),
        ("text.docx", "Mötesanteckningar i vanlig text.\n".encode(), WRONG_TYPE),
        ("arkiv.docx", zip_bytes({"word/styles.xml": b"<styles/>", "readme.txt": b"x"}), WRONG_TYPE),
    ],
    ids=["exe-named-pdf", "empty", "21-mb", "text-named-docx", "zip-without-document-xml"],
)
def test_upload_of_refused_file_saves_nothing_and_says_why(client, proposal, member, name, content, message):
    client.force_login(member)
    response = client.post(upload_url(proposal), {"file": upload(name, content)})
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert messages_of(response) == [f"Bilagan laddades inte upp: {message}"]
    assert Attachment.objects.count() == 0
    assert media_files() == []


def test_upload_without_file_says_choose_a_file(client, proposal, member):
    client.force_login(member)
    response = client.post(upload_url(proposal), {"description": "Ingen fil"})
    assert messages_of(response) == ["Bilagan laddades inte upp: Välj en fil att ladda upp."]
    assert Attachment.objects.count() == 0


def test_stored_path_is_random_and_does_not_contain_the_name(client, proposal, member):
    client.force_login(member)
    for _ in range(2):
        client.post(upload_url(proposal), {"file": upload("Hemlig budget Eskilstuna.pdf", pdf_bytes())})
    first, second = Attachment.objects.order_by("pk")
    for attachment in (first, second):
        assert re.fullmatch(rf"attachments/{proposal.pk}/[0-9a-f]{{32}}", attachment.file.name)
        assert "Hemlig" not in attachment.file.name and ".pdf" not in attachment.file.name
    assert first.file.name != second.file.name


@pytest.mark.parametrize(
    "state", [ProposalState.SUBMITTED, ProposalState.IN_REVIEW, ProposalState.GRANTED], ids=str
)
def test_upload_after_submission_is_forbidden(client, state):
    proposal = ProposalFactory(state=state)
    client.force_login(proposal.responsible_researcher)
    response = client.post(upload_url(proposal), {"file": upload("sen.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0
    assert media_files() == []


@pytest.mark.parametrize(
    "who", ["unrelated", "researcher-not-in-team", "processledare", "kommunikator"], ids=str
)
def test_only_the_team_may_upload(client, proposal, who):
    user = {
        "unrelated": lambda: UserFactory(),
        "researcher-not-in-team": lambda: person_with_role(proposal.agreement, Role.RESEARCHER),
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "kommunikator": lambda: person_with_role(proposal.agreement, Role.COMMUNICATOR),
    }[who]()
    client.force_login(user)
    response = client.post(upload_url(proposal), {"file": upload("x.pdf", pdf_bytes())})
    assert response.status_code == 403
    assert Attachment.objects.count() == 0


def test_anonymous_upload_redirects_to_login(client, proposal):
    response = client.post(upload_url(proposal), {"file": upload("x.pdf", pdf_bytes())})
    assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert Attachment.objects.count() == 0


def test_upload_is_post_only(client, proposal, member):
    client.force_login(member)
    assert client.get(upload_url(proposal)).status_code == 405


def test_officer_in_the_team_may_upload(client, proposal):
    client.force_login(proposal.responsible_officer)
    client.post(upload_url(proposal), {"file": upload("intyg.odt", odt_bytes())})
    assert Attachment.objects.get().uploaded_by == proposal.responsible_officer


# --- services -----------------------------------------------------------------------------------------------


def test_attachment_add_refuses_non_member_before_reading_the_file(proposal):
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.attachment_add(proposal=proposal, by=outsider, uploaded_file=upload("x.pdf", pdf_bytes()))
    assert Attachment.objects.count() == 0


def test_attachment_remove_deletes_row_and_file_on_commit(
    proposal, member, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        proposal=proposal, by=member, uploaded_file=upload("x.pdf", pdf_bytes())
    )
    assert len(media_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, by=member)
    assert Attachment.objects.count() == 0
    assert media_files() == []


def test_attachment_remove_refused_after_submission(member, proposal):
    attachment = services.attachment_add(
        proposal=proposal, by=member, uploaded_file=upload("x.pdf", pdf_bytes())
    )
    type(proposal).objects.filter(pk=proposal.pk).update(state=ProposalState.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.attachment_remove(attachment=attachment, by=member)
    assert Attachment.objects.count() == 1 and len(media_files()) == 1


# --- download view ------------------------------------------------------------------------------------------


@pytest.fixture
def stored(proposal, member):
    content = pdf_bytes(padding=5000)
    attachment = services.attachment_add(
        proposal=proposal, by=member, uploaded_file=upload("Slutrapport å ä ö.pdf", content)
    )
    return attachment, content


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["researcher", "officer", "processledare", "kommunikator"], ids=str)
def test_team_and_staff_download_the_exact_bytes(client, proposal, stored, who):
    attachment, content = stored
    user = {
        "researcher": lambda: proposal.responsible_researcher,
        "officer": lambda: proposal.responsible_officer,
        "processledare": lambda: person_with_role(proposal.agreement, Role.PROCESS_LEADER),
        "kommunikator": lambda: person_with_role(proposal.agreement, Role.COMMUNICATOR),
    }[who]()
    client.force_login(user)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert _body(response) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Slutrapport" in response["Content-Disposition"]
    assert "filename*=utf-8''Slutrapport%20%C3%A5%20%C3%A4%20%C3%B6.pdf" in response["Content-Disposition"]


def test_download_name_gets_the_real_extension_when_the_name_lies(client, proposal, member):
    attachment = services.attachment_add(
        proposal=proposal, by=member, uploaded_file=upload("x.exe", pdf_bytes())
    )
    client.force_login(member)
    response = client.get(download_url(attachment))
    assert 'filename="x.exe.pdf"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    "who", ["unrelated", "researcher-not-in-team", "processledare-other-agreement"], ids=str
)
def test_others_cannot_download(client, proposal, stored, who):
    attachment, _ = stored
    user = {
        "unrelated": lambda: UserFactory(),
        "researcher-not-in-team": lambda: person_with_role(proposal.agreement, Role.RESEARCHER),
        "processledare-other-agreement": lambda: person_with_role(
            ProposalFactory().agreement, Role.PROCESS_LEADER
        ),
    }[who]()
    client.force_login(user)
    response = client.get(download_url(attachment))
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_anonymous_download_redirects_to_login(client, stored):
    attachment, _ = stored
    response = client.get(download_url(attachment))
    assert response.status_code == 302 and response.url.startswith(resolve_url(settings.LOGIN_URL))


def test_attachment_of_another_proposal_is_not_found(client, proposal, member, stored):
    attachment, _ = stored
    other = ProposalFactory(
        agreement=proposal.agreement, responsible_researcher=member, state=ProposalState.DIALOG
    )
    client.force_login(member)
    url = reverse("applications:attachment_download", args=[other.pk, attachment.pk])
    assert client.get(url).status_code == 404


# --- partial ------------------------------------------------------------------------------------------------


def test_partial_lists_attachments_and_shows_an_accessible_upload_form(proposal, stored):
    attachment, _content = stored
    request = RequestFactory().get("/")
    request.user = proposal.responsible_researcher
    html = render_to_string(
        "applications/_attachments.html",
        {
            "proposal": proposal,
            "attachments": proposal.attachments.select_related("uploaded_by"),
            "can_upload": True,
            "upload_form": AttachmentForm(),
        },
        request=request,
    )
    assert "Slutrapport å ä ö.pdf" in html
    assert download_url(attachment) in html
    assert proposal.responsible_researcher.get_full_name() in html
    assert 'enctype="multipart/form-data"' in html
    assert f'action="{upload_url(proposal)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<label for="id_file">' in html
    assert '<th scope="col">' in html


def test_partial_without_upload_right_has_no_form(proposal):
    html = render_to_string(
        "applications/_attachments.html",
        {"proposal": proposal, "attachments": [], "can_upload": False, "upload_form": AttachmentForm()},
    )
    assert "Inga bilagor." in html
    assert "<form" not in html
