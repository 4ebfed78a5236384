"""The public verification page under hostile uploads (issue 14): a copy of ours is answered by its hash in
the request; absurd files are refused cheaply and nothing is stored; everything else is judged by a job whose
validation runs in a child process with hard limits; uploads are limited per client address."""

# ruff: noqa: F811  (the fixtures world and document come from test_document_views)

from __future__ import annotations

import io
import sys
import time
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from governance import signing
from governance.enums import VerificationStatus
from governance.models import VerificationRequest
from governance.services import verification
from governance.tasks import verify_upload
from tests.factories.pdfs import signature_bomb, signature_cms
from tests.governance.test_document_views import (  # noqa: F401  (fixtures)
    copies,
    document,
    flip_one_byte,
    pdf_bytes,
    register_both,
    sign,
    signed_by_both,
    world,
)

pytestmark = pytest.mark.django_db

VISITOR = "198.51.100.7"


def upload(client: Client, data: bytes, *, execute_jobs=None, follow=True):
    """Post `data` as a visitor would; with `execute_jobs` (django_capture_on_commit_callbacks) the job
    queued on commit runs (eagerly, as without a broker) before the visitor's browser follows the
    redirect to the result page."""
    file = SimpleUploadedFile("beslut.pdf", data, content_type="application/pdf")
    url = reverse("governance:verify")
    if execute_jobs is None:
        response = client.post(url, {"file": file})
    else:
        with execute_jobs(execute=True):
            response = client.post(url, {"file": file})
    if follow and response.status_code == 302:
        return client.get(response["Location"])
    return response


@pytest.fixture
def visitor() -> Client:
    return Client(REMOTE_ADDR=VISITOR)


@pytest.fixture
def signed(world, document) -> bytes:
    signed_by_both(world, document)
    return pdf_bytes(copies(document)[0])


@pytest.fixture
def cms(signed) -> bytes:
    """A real signature's CMS: the bombs below carry it so that pyHanko goes on to validate every field."""
    return signature_cms(signed)


# --- 1. by hash, in the request -----------------------------------------------------------------------------


def test_registered_copy_is_answered_in_the_request_without_a_job(world, document, visitor):
    signed_by_both(world, document)
    register_both(world, document)
    data = pdf_bytes(copies(document)[1])

    response = upload(visitor, data, follow=False)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Äkta och diariefört" in page and "KSKF-2026/88" in page
    assert not VerificationRequest.objects.exists()


def test_an_earlier_version_signed_by_one_party_is_answered_by_hash(world, document, visitor):
    first = copies(document)[0]
    sign(document, world.rektor)
    intermediate = pdf_bytes(first)
    sign(document, world.kommundirektor)

    response = upload(visitor, intermediate, follow=False)

    assert response.status_code == 200
    assert "Äkta, men inte färdigsignerat – inte giltigt" in response.content.decode()
    assert not VerificationRequest.objects.exists()


# --- 2. the structural pre-check: refused cheaply, nothing stored -------------------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda cms: signature_bomb(contents_hex=1_900_000, cms=cms),
            "signatur eller textsträng som är orimligt stor",
        ),
        (
            lambda cms: signature_bomb(contents_hex=60_000, fields=300, cms=cms),
            "Filen har 300 signaturfält – ett beslutsdokument har högst 10",
        ),
        (
            lambda cms: signature_bomb(contents_hex=40_000, fields=8, shared=False, cms=cms),
            "signatur eller textsträng som är orimligt stor",  # each string allowed, together too many
        ),
        (
            lambda cms: b"%PDF-1.7\n" + b"".join(b"%d 0 obj null endobj\n" % i for i in range(6_000)),
            "Filen består av 6000 objekt",
        ),
    ],
    ids=["one-long-contents", "300-fields-sharing-one-signature", "many-long-strings", "many-objects"],
)
def test_absurd_structures_are_refused_in_the_request_and_nothing_is_stored(visitor, cms, make, message):
    data = make(cms)
    assert len(data) <= verification.VERIFY_MAX_BYTES

    started = time.perf_counter()
    response = upload(visitor, data, follow=False)
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    page = response.content.decode()
    assert "Kontrollerades inte" in page
    assert message in page
    assert not VerificationRequest.objects.exists()
    assert elapsed < 2  # no parsing: milliseconds of regular expressions (generous for a busy CI)


def test_the_issues_10_mb_upload_is_refused_before_it_is_read(visitor, cms):
    data = signature_bomb(contents_hex=10 * 1024 * 1024, cms=cms)

    response = upload(visitor, data, follow=False)

    assert response.status_code == 413
    assert "Filen är för stor (högst 2,0\xa0MB)" in response.content.decode()
    assert not VerificationRequest.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"0" * 2_000_000,
        b"%PDF-1.7\n" + b"1 " * 1_000_000,
        b"%PDF-1.7\n" + (b"/FT" + b" " * 100) * 19_000,
        b"%PDF-1.7\n" + b"<" * 2_000_000,
    ],
    ids=["a-run-of-digits", "digits-and-spaces", "field-keys-and-spaces", "angle-brackets"],
)
def test_the_pre_check_itself_is_cheap_on_adversarial_bytes(data):
    """Its regular expressions must not backtrack (a run of zero padding once made one quadratic)."""
    data = data[: verification.VERIFY_MAX_BYTES]

    started = time.perf_counter()
    verification.structure_problem(data)

    assert time.perf_counter() - started < 2


def test_our_own_documents_pass_the_pre_check(signed, world, document):
    assert verification.structure_problem(signed) is None
    assert verification.structure_problem(pdf_bytes(copies(document)[1])) is None


# --- 3. the job ---------------------------------------------------------------------------------------------


def test_an_altered_copy_is_judged_by_the_job_and_the_upload_is_deleted(
    signed, visitor, django_capture_on_commit_callbacks
):
    response = upload(visitor, flip_one_byte(signed), execute_jobs=django_capture_on_commit_callbacks)

    request = VerificationRequest.objects.get()
    assert response.request["PATH_INFO"] == request.get_absolute_url()
    page = response.content.decode()
    assert "Ändrat – inte giltigt" in page
    assert "Dokumentet har ändrats efter att det signerades" in page
    assert "Äkta" not in page
    request.refresh_from_db()
    assert request.status == VerificationStatus.DONE and request.verdict == "altered"
    assert bytes(request.data) == b""  # not kept once judged


def test_the_job_says_genuine_for_a_signed_copy(signed):
    request = VerificationRequest.objects.create(data=signed, sha256="-", size=len(signed))

    verify_upload(request.pk)

    request.refresh_from_db()
    assert (request.status, request.verdict) == (VerificationStatus.DONE, "signed")


def test_the_job_says_unknown_for_someone_elses_pdf(visitor, django_capture_on_commit_callbacks):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    page = upload(visitor, buffer.getvalue(), execute_jobs=django_capture_on_commit_callbacks)

    assert "Okänt dokument" in page.content.decode()


def test_the_worst_file_the_pre_check_lets_through_is_judged_within_the_limits(
    cms, visitor, django_capture_on_commit_callbacks
):
    """Ten signature fields (the most allowed), each with its own /Contents just under the limits."""
    data = signature_bomb(contents_hex=24 * 1024, fields=10, shared=False, cms=cms)
    assert verification.structure_problem(data) is None

    started = time.perf_counter()
    response = upload(visitor, data, execute_jobs=django_capture_on_commit_callbacks)
    elapsed = time.perf_counter() - started

    assert elapsed < signing.VALIDATION_SECONDS
    page = response.content.decode()
    assert "Ändrat – inte giltigt" in page or "Okänt dokument" in page
    assert VerificationRequest.objects.get().status == VerificationStatus.DONE


@pytest.mark.parametrize(
    "limits, make",
    [
        # 10 MB of hex would take ~14 s of CPU: stopped after 2.
        ({"VALIDATION_CPU_SECONDS": 2}, lambda cms: signature_bomb(contents_hex=10 * 1024 * 1024, cms=cms)),
        # ~85 MB per MB of hex: 6 MB does not fit in the child's address space, whatever time it is given.
        (
            {"VALIDATION_CPU_SECONDS": 60, "VALIDATION_SECONDS": 90},
            lambda cms: signature_bomb(contents_hex=6 * 1024 * 1024, cms=cms),
        ),
        # 300 fields sharing one signature: refused before the first is validated.
        ({}, lambda cms: signature_bomb(contents_hex=8_000, fields=300, cms=cms)),
    ],
    ids=["time", "memory", "signatures"],
)
def test_a_bomb_the_pre_check_cannot_see_costs_only_the_child(monkeypatch, cms, limits, make):
    """What hides in a compressed object stream never meets the pre-check: the child's limits stop it."""
    for name, value in limits.items():
        monkeypatch.setattr(signing, name, value)
    data = make(cms)

    started = time.perf_counter()
    result = verification.verify(data)
    elapsed = time.perf_counter() - started

    assert result.verdict == "refused"
    assert "krävde mer tid eller minne än ett beslutsdokument" in result.message
    assert elapsed < signing.VALIDATION_SECONDS


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n\x00\xff garbage", b"%PDF-", b"%PDF-1.4\n" + b"1 0 obj << /Type /Sig >> endobj\n" * 5],
    ids=["garbage", "header-only", "broken-objects"],
)
def test_garbage_gets_a_swedish_verdict_never_a_500(visitor, django_capture_on_commit_callbacks, data):
    response = upload(visitor, data, execute_jobs=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen går inte att läsa som PDF" in page or "Okänt dokument" in page
    assert "Äkta" not in page


def test_the_job_is_idempotent(signed):
    data = flip_one_byte(signed)
    request = VerificationRequest.objects.create(data=data, sha256="-", size=len(data))

    verify_upload(request.pk)
    verify_upload(request.pk)

    request.refresh_from_db()
    assert (request.verdict, request.attempts) == ("altered", 1)


def test_a_job_lost_too_often_gives_up_with_a_verdict(signed):
    request = VerificationRequest.objects.create(
        data=signed,
        sha256="-",
        size=len(signed),
        status=VerificationStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        attempts=verification.MAX_ATTEMPTS,
    )

    verify_upload(request.pk)

    request.refresh_from_db()
    assert (request.status, request.verdict) == (VerificationStatus.DONE, "refused")
    assert bytes(request.data) == b""


def test_a_child_that_cannot_even_start_gives_a_verdict_not_a_waiting_page(signed, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # a broken installation
    data = flip_one_byte(signed)
    request = VerificationRequest.objects.create(data=data, sha256="-", size=len(data))

    verify_upload(request.pk)

    request.refresh_from_db()
    assert (request.status, request.verdict) == (VerificationStatus.DONE, "refused")
    assert "Filen kunde inte kontrolleras" in request.message


def test_pending_verifications_are_the_ones_the_sweep_must_queue_again():
    now = timezone.now()
    lost, _fresh, done, expired = (
        VerificationRequest.objects.create(data=b"%PDF-", sha256="-", size=5) for _ in range(4)
    )
    VerificationRequest.objects.filter(pk__in=[lost.pk, done.pk]).update(
        created_at=now - timedelta(minutes=10)
    )
    VerificationRequest.objects.filter(pk=done.pk).update(status=VerificationStatus.DONE)
    VerificationRequest.objects.filter(pk=expired.pk).update(created_at=now - timedelta(days=2))

    pending = verification.pending_verifications(older_than=now - timedelta(minutes=5))

    assert list(pending) == [lost]


# --- the result page -------------------------------------------------------------------------------------


def test_a_waiting_upload_shows_progress_and_polls(signed, visitor):
    response = upload(visitor, flip_one_byte(signed))  # no job run: it waits in the queue

    page = response.content.decode()
    request = VerificationRequest.objects.get()
    assert "I kö för kontroll…" in page
    assert f'hx-get="{request.get_absolute_url()}"' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_made_up_token_finds_nothing(signed, visitor):
    upload(visitor, flip_one_byte(signed))

    response = Client().get(reverse("governance:verify_result", args=[uuid.uuid4()]))

    assert response.status_code == 404


def test_old_requests_are_deleted_when_a_new_one_is_stored(signed, visitor):
    old = VerificationRequest.objects.create(data=b"%PDF-", sha256="-", size=5)
    VerificationRequest.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    upload(visitor, flip_one_byte(signed))

    assert not VerificationRequest.objects.filter(pk=old.pk).exists()
    assert VerificationRequest.objects.count() == 1


def test_a_full_queue_refuses_new_uploads_without_storing_them(signed, visitor):
    VerificationRequest.objects.bulk_create(
        VerificationRequest(data=b"%PDF-", sha256="-", size=5)
        for _ in range(verification.VERIFICATION_BACKLOG)
    )

    response = upload(visitor, flip_one_byte(signed), follow=False)

    assert response.status_code == 503
    assert "Många filer kontrolleras just nu" in response.content.decode()
    assert VerificationRequest.objects.count() == verification.VERIFICATION_BACKLOG


def test_while_every_upload_slot_is_taken_an_upload_is_refused_before_it_is_read(signed, visitor):
    """The bulkhead: another worker is handling an upload right now (its slot held in the shared cache)."""
    from django.core.cache import cache

    from governance.views import verification as views

    keys = [f"governance:verify:slot:{n}" for n in range(views.UPLOAD_SLOTS)]
    for key in keys:
        cache.add(key, 1, timeout=30)
    try:
        response = upload(visitor, flip_one_byte(signed), follow=False)
    finally:
        cache.delete_many(keys)

    assert response.status_code == 503
    assert "Många kontrollerar filer just nu" in response.content.decode()
    assert not VerificationRequest.objects.exists()
    assert upload(visitor, flip_one_byte(signed), follow=False).status_code == 302  # free again


# --- rate limit per client ----------------------------------------------------------------------------------


def test_uploads_are_limited_per_client_address(signed, visitor):
    data = flip_one_byte(signed)
    for _ in range(10):
        assert upload(visitor, data, follow=False).status_code == 302
    stored = VerificationRequest.objects.count()

    refused = upload(visitor, data, follow=False)
    other = upload(Client(REMOTE_ADDR="203.0.113.9"), data, follow=False)

    assert refused.status_code == 429
    assert "Du har kontrollerat många filer på kort tid" in refused.content.decode()
    assert VerificationRequest.objects.count() == stored + 1  # only the other client's upload
    assert other.status_code == 302


def test_the_limit_counts_ipv6_clients_per_network(signed):
    data = b"Ingen PDF"
    for host in range(10):
        upload(Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1}"), data, follow=False)

    response = upload(Client(REMOTE_ADDR="2001:db8:1:2::ff"), data, follow=False)

    assert response.status_code == 429


# --- through a real worker ----------------------------------------------------------------------------------


@pytest.mark.needs_redis
def test_the_job_runs_through_a_real_celery_worker(celery_worker, signed):
    client = Client(REMOTE_ADDR=VISITOR)

    response = upload(client, flip_one_byte(signed), follow=False)
    url = response["Location"]
    for _ in range(120):
        page = client.get(url).content.decode()
        if "Ändrat – inte giltigt" in page:
            break
        time.sleep(0.5)

    assert "Ändrat – inte giltigt" in page
    assert VerificationRequest.objects.get().verdict == "altered"
