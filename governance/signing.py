"""PAdES signatures with pyHanko: each organisation signs with its own key (PKCS#12 in SIGNING_DIR, made for
the demo by `manage.py create_signing_certificates`, in production issued by the organisation's CA).

Signatures are incremental updates, one signature field per signatory, so earlier signatures stay valid and
any PDF reader can verify them. The person, their role and organisation are in the signature's name,
reason and location; the organisation's certificate is the signing identity.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.text import slugify
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


class SigningKeyMissing(Exception):
    """The organisation has no signing key configured."""


def signing_dir() -> Path:
    return Path(settings.SIGNING_DIR)


def key_path(organisation) -> Path:
    return signing_dir() / f"{slugify(organisation.short_name) or organisation.pk}.p12"


def ca_path() -> Path:
    return signing_dir() / "ca.pem"


def _signer(organisation) -> signers.SimpleSigner:
    path = key_path(organisation)
    if not path.exists():
        raise SigningKeyMissing(f"Signeringsnyckel saknas för {organisation}: {path}")
    stat = path.stat()
    signer = _load_pkcs12(str(path), stat.st_mtime_ns, stat.st_size, settings.SIGNING_KEY_PASSPHRASE)
    if signer is None:
        raise SigningKeyMissing(f"Signeringsnyckeln för {organisation} kunde inte läsas")
    return signer


@functools.lru_cache(maxsize=32)
def _load_pkcs12(path: str, mtime_ns: int, size: int, passphrase: str) -> signers.SimpleSigner | None:
    """Reading a PKCS#12 file costs ~0.2 s of CPU and a signature signs two copies (bench/pdf.py): keep the
    loaded key per process. Keyed by the file's mtime and size, so a replaced key is read again."""
    return signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode())


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to run in a thread whose event loop is
    running (Playwright's sync API in the browser tests, async callers): then run it in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign(pdf: bytes, *, organisation, field_name: str, name: str, reason: str, location: str) -> bytes:
    """Add one PAdES signature (a new signature field) as an incremental update."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name=field_name))
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=_signer(organisation))
    return out.getvalue()


def trust_roots() -> list:
    paths = [Path(p) for p in settings.SIGNING_TRUST_ROOTS] or [ca_path()]
    roots = []
    for path in paths:
        if path.exists():
            data = path.read_bytes()
            if b"-----BEGIN" in data:
                from asn1crypto import pem

                _, _, data = pem.unarmor(data)
            roots.append(asn1_x509.Certificate.load(data))
    return roots


@dataclass
class SignatureCheck:
    field_name: str
    signer_name: str
    reason: str
    signing_time: object
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool

    def to_json(self) -> dict:
        return {**self.__dict__, "signing_time": self.signing_time.isoformat() if self.signing_time else None}

    @classmethod
    def from_json(cls, data: dict) -> SignatureCheck:
        when = data.get("signing_time")
        return cls(**{**data, "signing_time": datetime.fromisoformat(when) if when else None})


class ValidationLimitExceeded(Exception):
    """Validating the file needed more time, memory or signatures than a decision document ever does."""


# Hard limits for validating an untrusted PDF (issue 14). A signed decision document of ours is ~40 KB with
# two signatures and validates in ~0.1 s in ~60 MB; these leave a wide margin and still keep a crafted file
# from holding a worker or its memory. The child runs at a lower CPU priority than the web workers.
VALIDATION_SECONDS = 20  # wall clock, the child is killed after it
VALIDATION_CPU_SECONDS = 10  # RLIMIT_CPU
VALIDATION_MEMORY_BYTES = 384 * 1024 * 1024  # RLIMIT_AS: address space (a normal check needs < 256 MB)
VALIDATION_MAX_SIGNATURES = 10  # the document has one per signing party
VALIDATION_NICE = 10


def validate(pdf: bytes) -> list[SignatureCheck]:
    """Validate every embedded signature – in a child process with hard time and memory limits, so that a
    crafted PDF (a huge /Contents string, hundreds of fields sharing one signature, a compression bomb)
    costs at most one short-lived child, never the calling web or Celery worker.

    Raises ValueError for something that is not a readable PDF and ValidationLimitExceeded when the child
    ran out of time or memory or the file has more signatures than VALIDATION_MAX_SIGNATURES."""
    import base64
    import json
    import subprocess
    import sys

    header = {
        "roots": [base64.b64encode(root.dump()).decode() for root in trust_roots()],
        "cpu_seconds": VALIDATION_CPU_SECONDS,
        "memory_bytes": VALIDATION_MEMORY_BYTES,
        "max_signatures": VALIDATION_MAX_SIGNATURES,
        "nice": VALIDATION_NICE,
    }
    try:
        child = subprocess.run(
            [sys.executable, "-m", "governance.verify_child"],
            input=json.dumps(header).encode() + b"\n" + pdf,
            capture_output=True,
            timeout=VALIDATION_SECONDS,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ValidationLimitExceeded("time") from exc
    try:
        answer = json.loads(child.stdout.decode() or "{}")
    except ValueError:
        answer = {}
    if child.returncode != 0 or "checks" not in answer:
        error = answer.get("error", "")
        if error == "unreadable":
            raise ValueError("Filen kunde inte läsas som PDF")
        # "memory", "signatures", or killed by RLIMIT_CPU (SIGXCPU) / the kernel (SIGKILL)
        raise ValidationLimitExceeded(error or f"exit {child.returncode}")
    return [SignatureCheck.from_json(check) for check in answer["checks"]]


def validate_in_process(pdf: bytes, *, roots: list, max_signatures: int) -> list[SignatureCheck]:
    """The validation itself, run by governance/verify_child.py inside the limits. Never call it on an
    untrusted file from a web or Celery worker: use validate()."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except MemoryError:
        raise  # the child's limit: not a broken file but a refused one
    except Exception as exc:  # pyHanko raises several kinds for broken input
        raise ValueError("Filen kunde inte läsas som PDF") from exc
    if len(embedded) > max_signatures:
        raise ValidationLimitExceeded("signatures")
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    checks = []
    for sig in embedded:
        try:
            status = _outside_event_loop(validate_pdf_signature, sig, context)
            intact, valid, trusted = status.intact, status.valid, status.trusted
            covers = status.coverage.name == "ENTIRE_FILE"
            signing_time = status.signer_reported_dt
        except MemoryError:
            raise
        except Exception:  # a signature we cannot even evaluate counts as broken
            intact = valid = trusted = covers = False
            signing_time = None
        sig_object = sig.sig_object
        checks.append(
            SignatureCheck(
                field_name=sig.field_name,
                signer_name=str(sig_object.get("/Name", "")),
                reason=str(sig_object.get("/Reason", "")),
                signing_time=signing_time,
                intact=intact,
                valid=valid,
                trusted=trusted,
                covers_whole_file=covers,
            )
        )
    return checks
