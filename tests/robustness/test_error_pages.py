"""The error pages when the database is gone (restart, failover, a killed connection): Swedish, 503 with
Retry-After, rendered without touching the database. The end-to-end version – a transition whose
PostgreSQL backend is terminated mid-way, through gunicorn – is bench/robustness.py ("database")."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError

from samverkan.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
    ids=["connection-terminated", "connection-closed"],
)
def test_database_gone_gives_swedish_503_page_without_queries(rf, django_assert_num_queries, error):
    request = rf.get("/arenden/1/")
    with django_assert_num_queries(0):
        try:
            raise error
        except type(error):
            response = server_error(request)

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Tjänsten är tillfälligt otillgänglig" in page
    assert "ingenting har sparats till hälften" in page


def test_other_errors_give_swedish_500_page(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_handler500_is_the_swedish_one():
    from samverkan import urls

    assert urls.handler500 == "samverkan.errors.server_error"


# --- 400: a request that cannot be read -------------------------------------------------------------------

BOUNDARY = "samverkan-test-boundary"


def _multipart_with_file_name(name: str) -> bytes:
    """The body a browser sends for a file input; the test client's own encoder cannot send such a name."""
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + b"%PDF-1.4\n"
        + b"x" * 5000
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_a_file_name_of_1000_characters_gives_the_swedish_400_page():
    from django.test import Client
    from django.urls import reverse

    from applications.enums import ProposalState
    from applications.models import Attachment
    from tests.factories.applications import ProposalFactory

    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    client = Client(raise_request_exception=False)
    client.force_login(proposal.responsible_researcher)

    response = client.post(
        reverse("applications:attachment_upload", args=[proposal.pk]),
        _multipart_with_file_name("a" * 996 + ".pdf"),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Det du skickade kunde inte tas emot" in page
    assert "Ge filen ett kortare namn" in page
    assert "Bad Request" not in page
    assert not Attachment.objects.exists()


def test_the_swedish_400_page_needs_no_database(rf, django_assert_num_queries):
    from django.core.exceptions import SuspiciousOperation

    from samverkan.errors import bad_request

    with django_assert_num_queries(0):
        response = bad_request(rf.post("/arenden/1/bilagor/"), SuspiciousOperation("broken"))

    assert response.status_code == 400
    assert "Det du skickade kunde inte tas emot" in response.content.decode()


def test_handler400_is_the_swedish_one():
    from samverkan import urls

    assert urls.handler400 == "samverkan.errors.bad_request"


# --- 4xx in the log: one line, no traceback -----------------------------------------------------------------


def _records_for(caplog, path: str) -> list:
    return [r for r in caplog.records if path in r.getMessage()]


def test_a_403_is_logged_as_one_line_without_traceback(client, caplog):
    from django.urls import reverse

    from tests.factories.samverkan import UserFactory

    user = UserFactory()
    client.force_login(user)
    url = reverse("applications:pipeline")

    with caplog.at_level("INFO"):
        response = client.get(url)

    assert response.status_code == 403
    [record] = _records_for(caplog, url)
    assert record.levelname == "WARNING"
    assert record.exc_info is None and not record.exc_text
    # The predicate that refused is named (samverkan.http.require).
    expected = f"Forbidden (Permission denied): {url} (user {user.pk}) refused by can_view_pipeline"
    assert record.getMessage() == expected
    assert "Traceback" not in caplog.text


def test_a_400_is_logged_as_one_line_without_traceback(caplog):
    from django.test import Client
    from django.urls import reverse

    from tests.factories.applications import ProposalFactory

    proposal = ProposalFactory()
    client = Client(raise_request_exception=False)
    client.force_login(proposal.responsible_researcher)
    url = reverse("applications:attachment_upload", args=[proposal.pk])

    with caplog.at_level("INFO"):
        response = client.post(
            url,
            _multipart_with_file_name("a" * 1000),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )

    assert response.status_code == 400
    [record] = _records_for(caplog, url)
    assert record.exc_info is None and not record.exc_text
    assert "\n" not in record.getMessage()
    assert "Traceback" not in caplog.text


def test_a_path_with_a_newline_cannot_forge_a_second_log_line(rf, caplog):
    from django.contrib.auth.models import AnonymousUser

    from samverkan.errors import permission_denied

    request = rf.get("/")
    request.path = "/arenden/1/\nFAKE entry"
    request.user = AnonymousUser()
    with caplog.at_level("INFO"):
        response = permission_denied(request)

    assert response.status_code == 403
    [record] = caplog.records
    assert "\n" not in record.getMessage()
    assert record.getMessage() == "Forbidden (Permission denied): /arenden/1/\\nFAKE entry (anonymous)"
