"""The public verification page (issue #5, hardened in issue 14): is an uploaded PDF an unaltered decision
document of ours?

Anyone may upload, without logging in, so the upload is untrusted and the work it may cause is bounded:

1. by hash, in the request: the SHA-256 of the upload against every registered copy (its current bytes and
   its unsigned original) – the common case, answered at once with no PDF parsing at all;
2. a structural pre-check on the raw bytes, in the request (`structure_problem`, regular expressions and
   counts, no parsing): a file larger than VERIFY_MAX_BYTES, a hex string longer than any signature of
   ours, more signature fields or objects than a decision document has – refused with a Swedish message,
   nothing stored;
3. everything else is stored as a VerificationRequest and judged by a job (governance.tasks.verify_upload)
   whose signature validation runs in a child process with hard time and memory limits
   (signing.validate). The upload is deleted as soon as it is judged, the row after VERIFICATION_KEPT.

How many uploads one client may make is limited in the view (per IP address, django-ratelimit); how many
may wait for a job at once, here (VERIFICATION_BACKLOG), so that many clients together cannot bury the
queue that also carries the decision documents and minutes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.jobs import enqueue_on_commit

from .. import signing
from ..enums import DocumentStatus, VerificationStatus
from ..models import DocumentCopy, DocumentSignature, VerificationRequest
from .documents import sha256

# A signed decision document is ~40 KB (two copies of one or two pages, two signatures); 2 MB leaves room
# for long decisions and attachments of images and still keeps a crafted file small.
VERIFY_MAX_BYTES = 2 * 1024 * 1024
# Our signatures' /Contents hold ~7 200 hex digits (a CMS blob with one certificate chain, zero-padded);
# 64 Ki digits (32 KB of DER) is room for longer chains and time stamps. pyHanko's tokenizer spends
# ~1.4 s and ~85 MB per MB of hex string, so this also bounds the cost of each string to ~0.1 s.
MAX_HEX_STRING = 64 * 1024
MAX_HEX_TOTAL = 256 * 1024  # all long hex strings together
MAX_SIGNATURE_FIELDS = signing.VALIDATION_MAX_SIGNATURES  # one per signing party; ours have two
MAX_OBJECTS = 5_000  # ours have ~30 ("n 0 obj" outside object streams)

VERIFICATION_KEPT = timedelta(days=1)  # a verdict can be looked at again for a day, then the row goes
VERIFICATION_BACKLOG = 50  # uploads waiting for a job, over all clients; above it: "try again later"
MAX_ATTEMPTS = 3  # a job that died this often (worker killed) gives the verdict "could not be checked"
STALE_RUN = timedelta(seconds=120)  # a run older than this (> the task's hard time limit) was lost

_HEX_STRING = re.compile(rb"<[0-9A-Fa-f\s]{%d,}>?" % 1024)
_SIGNATURE_FIELD = re.compile(rb"/FT\s{0,8}/Sig\b")
_SIGNATURE_DICT = re.compile(rb"/Type\s{0,8}/Sig\b")
# Bounded repeats and no start inside a run of digits: a long run of digits (zero padding) must not make the
# engine backtrack at every position (quadratic). Every pattern here is linear in the size of the file.
_OBJECT = re.compile(rb"(?<![0-9])[0-9]{1,10}[ \t\r\n\f\x00]{1,8}[0-9]{1,5}[ \t\r\n\f\x00]{1,8}obj\b")


class VerificationBusy(Exception):
    """Too many uploads wait for their verdict right now; the Swedish message says to try again later."""


@dataclass
class Verification:
    verdict: str  # registered, signed, unsigned, incomplete, altered, unknown, not_pdf, refused
    message: str
    copy: DocumentCopy | None = None
    signatures: list = field(default_factory=list)


# --- in the request: cheap answers -----------------------------------------------------------------------


def is_pdf(data: bytes) -> bool:
    return data.lstrip()[:5] == b"%PDF-"


def verify_by_hash(data: bytes) -> Verification | None:
    """The answer when the upload is byte for byte a copy we made (signed or not), or not a PDF at all;
    None when only its signatures can tell. No PDF parsing."""
    if not is_pdf(data):
        return Verification("not_pdf", _("Filen är inte en PDF. Ladda upp beslutsdokumentet som PDF."))
    digest = sha256(data)
    copy = (
        DocumentCopy.objects.filter(current_sha256=digest)
        .select_related(
            "document__decision__meeting__body",
            "document__decision__proposal",
            "document__decision__item",
            "organisation",
        )
        .first()
    )
    if copy is not None:
        signatures = list(copy.signatures.select_related("signer", "organisation"))
        if copy.document.status == DocumentStatus.REGISTERED and copy.diarienummer:
            message = _("Dokumentet är oförändrat, signerat och diariefört som %(nr)s.") % {
                "nr": copy.diarienummer
            }
            return Verification("registered", message, copy, signatures)
        if signatures:
            return Verification(
                "signed",
                _("Dokumentet är oförändrat och signerat, men ännu inte diariefört."),
                copy,
                signatures,
            )
        return Verification("unsigned", _("Dokumentet är oförändrat men ännu inte signerat."), copy, [])
    if DocumentCopy.objects.filter(unsigned_sha256=digest).exists():
        return Verification("unsigned", _("Det här är en osignerad version av ett beslutsdokument."))
    if DocumentSignature.objects.filter(signed_sha256=digest).exists():
        return Verification(
            "incomplete",
            _(
                "Det här är en tidigare version av ett beslutsdokument, från innan alla hade signerat. "
                "Den är inte giltig – använd den slutliga versionen."
            ),
        )
    return None


def structure_problem(data: bytes) -> str | None:
    """Why this file is refused without being parsed (a Swedish message), or None. Works on the raw
    bytes with a few linear scans: milliseconds for the largest file accepted. What hides in compressed
    object streams is not seen here; the job's hard limits bound that."""
    if len(data) > VERIFY_MAX_BYTES:
        return _(
            "Filen är för stor (högst %(max)s). Ett beslutsdokument från Samverkan är mycket mindre – "
            "kontrollera att du har valt rätt fil."
        ) % {"max": filesizeformat(VERIFY_MAX_BYTES)}
    longest = total = 0
    for match in _HEX_STRING.finditer(data):
        length = match.end() - match.start()
        longest = max(longest, length)
        total += length
    if longest > MAX_HEX_STRING or total > MAX_HEX_TOTAL:
        return _(
            "Filen innehåller en signatur eller textsträng som är orimligt stor för ett beslutsdokument. "
            "Den kontrolleras inte."
        )
    fields = max(len(_SIGNATURE_FIELD.findall(data)), len(_SIGNATURE_DICT.findall(data)))
    if fields > MAX_SIGNATURE_FIELDS:
        return _(
            "Filen har %(n)d signaturfält – ett beslutsdokument har högst %(max)d. Den kontrolleras inte."
        ) % {"n": fields, "max": MAX_SIGNATURE_FIELDS}
    objects = len(_OBJECT.findall(data))
    if objects > MAX_OBJECTS:
        return _(
            "Filen består av %(n)d objekt – betydligt fler än ett beslutsdokument. Den kontrolleras inte."
        ) % {"n": objects}
    return None


# --- the job ------------------------------------------------------------------------------------------------


@transaction.atomic
def verification_request_create(*, data: bytes) -> VerificationRequest:
    """Store an upload that neither its hash nor the pre-check could answer and queue its job. Also
    deletes the requests older than VERIFICATION_KEPT (cheap: an index on created_at)."""
    VerificationRequest.objects.filter(created_at__lt=timezone.now() - VERIFICATION_KEPT).delete()
    waiting = VerificationRequest.objects.exclude(status=VerificationStatus.DONE).count()
    if waiting >= VERIFICATION_BACKLOG:
        raise VerificationBusy(
            _("Många filer kontrolleras just nu. Försök igen om en stund – inget har sparats.")
        )
    request = VerificationRequest.objects.create(data=data, sha256=sha256(data), size=len(data))
    enqueue_on_commit("verifications", request.pk)
    return request


def verify(data: bytes) -> Verification:
    """Is this an unaltered document of ours? By hash first, then by validating its signatures (in a
    limited child process, see signing.validate)."""
    known = verify_by_hash(data)
    if known is not None:
        return known
    try:
        checks = signing.validate(data)
    except ValueError:
        return Verification("altered", _("Filen går inte att läsa som PDF – den är skadad eller ändrad."))
    except signing.ValidationLimitExceeded:
        return Verification(
            "refused",
            _(
                "Filen kunde inte kontrolleras: den krävde mer tid eller minne än ett beslutsdokument "
                "någonsin gör. Kontrollera att du har laddat upp rätt fil."
            ),
        )
    if checks and not all(c.intact for c in checks):
        return Verification(
            "altered",
            _("Dokumentet har ändrats efter att det signerades. Det är inte giltigt."),
            None,
            checks,
        )
    return Verification(
        "unknown", _("Dokumentet finns inte bland de beslutsdokument som registrerats här."), None, checks
    )


def verification_run(*, request_id: int) -> str:
    """The job: judge the stored upload and keep only the verdict. Idempotent – a request already judged,
    or being judged by another worker right now, is left alone; a run lost with its worker is taken over.
    Returns the status."""
    now = timezone.now()
    with transaction.atomic():
        request = VerificationRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.status == VerificationStatus.DONE:
            return "gone" if request is None else request.status
        if request.status == VerificationStatus.RUNNING and request.started_at > now - STALE_RUN:
            return request.status
        if request.attempts >= MAX_ATTEMPTS:
            _finish(request, Verification("refused", _("Filen kunde inte kontrolleras. Försök igen senare.")))
            return request.status
        request.status = VerificationStatus.RUNNING
        request.started_at = now
        request.attempts += 1
        request.save(update_fields=["status", "started_at", "attempts"])
        data = bytes(request.data)
    # Outside any transaction: the validation may take seconds and holds no lock.
    result = verify(data)
    with transaction.atomic():
        request = VerificationRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.status == VerificationStatus.DONE:
            return "gone" if request is None else request.status
        _finish(request, result)
    return request.status


def verification_failed(*, request_id: int) -> None:
    """The job itself failed for good (its time limit, a bug): the page shows that instead of waiting."""
    request = VerificationRequest.objects.filter(pk=request_id).exclude(status=VerificationStatus.DONE)
    for item in request:
        _finish(item, Verification("refused", _("Filen kunde inte kontrolleras. Försök igen senare.")))


def _finish(request: VerificationRequest, result: Verification) -> None:
    request.status = VerificationStatus.DONE
    request.verdict = result.verdict
    request.message = result.message
    request.data = b""  # the upload is not kept once judged
    request.finished_at = timezone.now()
    request.save(update_fields=["status", "verdict", "message", "data", "finished_at"])


def verification_result(request: VerificationRequest) -> Verification | None:
    """The verdict to show for a judged request (None while it waits)."""
    if request.status != VerificationStatus.DONE:
        return None
    return Verification(request.verdict, request.message)


def pending_verifications(*, older_than):
    """Uploads stored before `older_than` still waiting for a verdict (their job was never queued because
    the broker was down, or its worker died) – for the one sweep. Expired ones are left to be deleted."""
    return VerificationRequest.objects.filter(
        status__in=[VerificationStatus.QUEUED, VerificationStatus.RUNNING],
        created_at__lt=older_than,
        created_at__gte=timezone.now() - VERIFICATION_KEPT,
    ).order_by("created_at")
