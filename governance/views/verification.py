"""The public verification page (issue #5; issue 14: bounded for anonymous uploads). Anyone may check an
uploaded PDF against the registered decision documents. Only what the verdict needs is shown – the
decision, the copy, who signed and when; no amounts, no e-mail addresses.

What a request may cost is bounded before the upload is read: a per-client rate limit, a body-size limit
and a site-wide slot for handling uploads (all answered without reading the body, which is why CSRF is
checked after them), then the hash and the structural pre-check of services.verification; only what they
cannot answer becomes a job."""

from __future__ import annotations

import ipaddress
import logging
from contextlib import contextmanager

from axes.helpers import get_client_ip_address
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from ..forms_verification import VerifyForm
from ..models import VerificationRequest
from ..services import verification as service

logger = logging.getLogger(__name__)

# Uploads per client address: a person checks a handful of documents; a script is stopped after this many.
# Counted in the default cache (Redis in production, shared by every web worker).
VERIFY_RATE = "10/10m"
RATE_GROUP = "governance.verify"
# Multipart framing and the CSRF field around the file.
FORM_OVERHEAD = 64 * 1024
# How many web workers may handle an upload at the same time, site-wide (a bulkhead in the shared cache):
# 20 clients uploading at once must not occupy every sync worker while logged-in people wait behind them.
# Handling one upload takes tens of milliseconds, so a person checking a document rarely meets another.
UPLOAD_SLOTS = 1
SLOT_SECONDS = 30  # a slot held by a worker that died is free again after this

VERDICTS = {
    # verdict → (css key, headline)
    "registered": ("ok", gettext_lazy("Äkta och diariefört")),
    "signed": ("ok", gettext_lazy("Äkta, ej diariefört")),
    "unsigned": ("warn", gettext_lazy("Äkta, men inte signerat – inte giltigt")),
    "incomplete": ("warn", gettext_lazy("Äkta, men inte färdigsignerat – inte giltigt")),
    "altered": ("bad", gettext_lazy("Ändrat – inte giltigt")),
    "unknown": ("bad", gettext_lazy("Okänt dokument")),
    "not_pdf": ("bad", gettext_lazy("Inte en PDF")),
    "refused": ("bad", gettext_lazy("Kontrollerades inte")),
}


def client_key(group, request) -> str:
    """The client's address as the login lockout sees it (django-axes' settings for proxies); an IPv6
    client is counted per /64, since one host usually has a whole /64."""
    address = get_client_ip_address(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _page(request, form=None, *, result=None, status=200):
    context = {"form": form or VerifyForm(), "result": result}
    if result is not None:
        context.update(_verdict_context(result))
    return render(request, "governance/verify.html", context, status=status)


def _verdict_context(result) -> dict:
    css, headline = VERDICTS.get(result.verdict, ("bad", _("Okänt dokument")))
    context = {"result": result, "verdict_key": css, "verdict_headline": headline}
    if result.copy is not None:
        context["decision"] = result.copy.document.decision
    return context


@contextmanager
def _upload_slot():
    """Yields True when this worker may handle an upload now. Fails open when the cache is down: the
    job's hard limits still bound what the upload costs."""
    for number in range(UPLOAD_SLOTS):
        key = f"governance:verify:slot:{number}"
        try:
            taken = cache.add(key, 1, timeout=SLOT_SECONDS)
        except Exception:  # the cache (Redis) is unreachable
            logger.warning("Verification upload slots unavailable (cache down); handling the upload")
            yield True
            return
        if taken:
            try:
                yield True
            finally:
                cache.delete(key)
            return
    yield False


def _over_rate_limit(request) -> bool:
    try:
        return is_ratelimited(
            request, group=RATE_GROUP, key=client_key, rate=VERIFY_RATE, method="POST", increment=True
        )
    except Exception:  # the cache (Redis) is unreachable: the other walls still stand
        logger.warning("Verification rate limit unavailable (cache down)")
        return False


def _refusal(request, message: str, *, status: int) -> HttpResponse:
    return _page(request, result=service.Verification("refused", message), status=status)


@csrf_exempt  # checked in _upload, once the refusals that must not read the body have been made
@never_cache
def verify(request):
    """Public: the upload form, and the upload."""
    if request.method != "POST":
        return _page(request)
    if _over_rate_limit(request):
        return _refusal(
            request,
            _(
                "Du har kontrollerat många filer på kort tid. Vänta några minuter och försök igen – "
                "inget har sparats."
            ),
            status=429,
        )
    if _content_length(request) > service.VERIFY_MAX_BYTES + FORM_OVERHEAD:
        return _refusal(
            request,
            _(
                "Filen är för stor (högst %(max)s). Ett beslutsdokument från Samverkan är mycket mindre – "
                "kontrollera att du har valt rätt fil."
            )
            % {"max": filesizeformat(service.VERIFY_MAX_BYTES)},
            status=413,
        )
    with _upload_slot() as free:
        if not free:
            return _refusal(
                request,
                _("Många kontrollerar filer just nu. Försök igen om en stund – inget har sparats."),
                status=503,
            )
        return _upload(request)


@csrf_protect
def _upload(request):
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = b"".join(form.cleaned_data["file"].chunks())
    try:
        known = service.verify_by_hash(data)
        if known is not None:
            return _page(request, result=known)
        problem = service.structure_problem(data)
        if problem is not None:
            return _refusal(request, problem, status=400)
        verification = service.verification_request_create(data=data)
    except service.VerificationBusy as busy:
        return _refusal(request, str(busy), status=503)
    return redirect(verification, permanent=False)


@require_GET
@never_cache
def verify_result(request, token):
    """The verdict of a stored upload, for whoever holds its random token; while it waits, the page shows
    progress and asks again (htmx every 2 s, a meta refresh without JavaScript)."""
    verification = get_object_or_404(VerificationRequest, token=token)
    context = {"verification": verification}
    result = service.verification_result(verification)
    if result is not None:
        context.update(_verdict_context(result))
    template = "governance/_verify_progress.html" if request.htmx else "governance/verify_result.html"
    response = render(request, template, context)
    response["X-Robots-Tag"] = "noindex"
    return response
