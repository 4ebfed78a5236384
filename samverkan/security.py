"""Hardening that is ours rather than a library's: the request-size limit, the Swedish lockout page and the
lockout for passwords typed anywhere but the login form.

See SECURITY.md for the threat model. Settings: MAX_REQUEST_SIZE, AXES_* and CONTENT_SECURITY_POLICY.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import ngettext


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


# The front proxy's own 413 page (deploy/nginx.conf): a static copy, since the proxy refuses the request
# before the app sees it. Written by `manage.py write_proxy_error_page`.
PROXY_413_PAGE = Path(__file__).resolve().parent.parent / "static" / "errors" / "413.html"


def proxy_413_page() -> str:
    """The front proxy's 413 page as it must be: the app's message and limit in the standalone layout, in
    Swedish, with the plain static URLs (the unhashed files are served in production too)."""
    from django.template.loader import render_to_string
    from django.test import override_settings
    from django.utils import translation

    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain), translation.override("sv"):
        return render_to_string("errors/413_proxy.html", {"limit": filesizeformat(settings.MAX_REQUEST_SIZE)})


class ClientAddressFromProxyMiddleware:
    """Behind the front proxy (BEHIND_PROXY=1, docker-compose) every request comes from the proxy: take the
    client's address from the X-Real-IP header the proxy sets (deploy/nginx.conf overwrites whatever the
    client sent), so that the login lockout counts per client address and signatures record the signer's
    address. Off by default: without a proxy in front the header is the client's word and is ignored.
    Place it first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.BEHIND_PROXY:
            address = request.META.get("HTTP_X_REAL_IP", "").strip()
            if address:
                request.META["REMOTE_ADDR"] = address
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


class PasswordLockedOut(ValidationError):
    """Too many wrong passwords for this person from this client address: even the right one is refused."""

    def __init__(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        super().__init__(
            ngettext(
                "För många felaktiga lösenord. Av säkerhetsskäl är kontot spärrat i %(minutes)s minut – "
                "även för inloggning. Försök igen senare eller återställ lösenordet.",
                "För många felaktiga lösenord. Av säkerhetsskäl är kontot spärrat i %(minutes)s minuter – "
                "även för inloggning. Försök igen senare eller återställ lösenordet.",
                minutes,
            )
            % {"minutes": minutes},
            code="locked_out",
        )


def check_password_guarded(request, user, password: str) -> bool:
    """Check a password that a logged-in person types again (signing, password change) under the same
    lockout as the login form: a wrong one counts as a failed login for the person's e-mail address and
    client address (django-axes, through Django's `user_login_failed` signal that axes listens to), and
    while that pair is locked even the right password is refused – here and at login.

    True when the password is right, False when it is wrong (the form says so in its own words); raises
    PasswordLockedOut (a ValidationError with the Swedish lockout message) when locked. Every form where a
    person types their current password must check it here (tests/security/test_password_lockout.py)."""
    from axes.handlers.proxy import AxesProxyHandler

    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        raise PasswordLockedOut()
    if user.check_password(password or ""):
        return True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False):
        # This failure reached the limit. The form says so itself; without this, AxesMiddleware would
        # replace the page with the login page's lockout screen.
        request.axes_locked_out = False
        raise PasswordLockedOut()
    return False
