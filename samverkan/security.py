"""Hardening that is ours rather than a library's: the request-size limit and the Swedish lockout page.

See SECURITY.md for the threat model. Settings: MAX_REQUEST_SIZE, AXES_* and CONTENT_SECURITY_POLICY.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_SIZE before Django reads (and spools) any of it.

    Django limits non-file fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk without
    a total limit; without this, one request could fill the disk. The per-file limit with its form message
    lives in applications.attachments; this is the outer wall, with a page a person can act on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_SIZE
        if length > limit:
            return render(
                request,
                "errors/413.html",
                {"limit": filesizeformat(limit), "back": request.META.get("HTTP_REFERER", "")},
                status=413,
            )
        return self.get_response(request)


def normalised_username(request, credentials) -> str | None:
    """Axes counts failures per e-mail address; `Anna@X` and `anna@x` are the same person."""
    field = settings.AXES_USERNAME_FORM_FIELD
    value = (credentials or {}).get(field) or request.POST.get(field)
    return value.strip().lower() if value else value


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with a clear Swedish explanation instead of the form (HTTP 429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=429,
    )
