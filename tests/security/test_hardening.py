"""Security hardening: login lockout, Content-Security-Policy, upload limits, CSRF, escaping, deploy settings.

See SECURITY.md for what these protect and why.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from applications.enums import ProposalState
from applications.models import Attachment
from tests.factories.applications import ProposalFactory
from tests.factories.samverkan import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
LOCKED = "Inloggningen är tillfälligt spärrad"


def login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Lockout after repeated failed logins (django-axes) -----------------------------------------------------


@pytest.mark.django_db
def test_login_locked_after_repeated_failures_even_with_right_password():
    user = UserFactory(email="anna@example.se")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, user.email, "fel-losenord")
        assert response.status_code == 200
        assert "Fel e-postadress eller lösenord" in response.content.decode()

    response = login(client, user.email, "fel-losenord")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "försöka igen om 30 minuter" in page

    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not logged_in(client)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_lockout_counts_the_address_however_it_is_written():
    user = UserFactory(email="anna@example.se")
    client = Client()
    spellings = ["Anna@Example.se", "ANNA@EXAMPLE.SE", " anna@example.se", "anna@EXAMPLE.se", user.email]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        login(client, spelling, "fel-losenord")

    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_lockout_of_one_address_does_not_lock_a_colleague():
    victim = UserFactory(email="anna@example.se")
    colleague = UserFactory(email="erik@example.se")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, victim.email, "fel-losenord")

    response = login(Client(), colleague.email, PASSWORD)
    assert response.status_code == 302
    # From another address the victim can still log in: the lock is per e-mail address and client address.
    other_place = Client(REMOTE_ADDR="10.1.2.3")
    assert login(other_place, victim.email, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off_time():
    user = UserFactory(email="anna@example.se")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "fel-losenord")
    assert login(client, user.email, PASSWORD).status_code == 429

    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=31)):
        response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_failed_logins_below_the_limit_are_forgotten_after_a_success():
    user = UserFactory(email="anna@example.se")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.email, "fel-losenord")
    assert login(client, user.email, PASSWORD).status_code == 302
    client.post(reverse("logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.email, "fel-losenord")
    assert login(client, user.email, PASSWORD).status_code == 302


# --- Content-Security-Policy --------------------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "password_reset", "governance:verify"])
def test_csp_header_is_strict_on_public_pages(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.django_db
def test_csp_header_is_sent_to_logged_in_users(client):
    client.force_login(UserFactory())
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert directives(response.headers["Content-Security-Policy"])["script-src"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
# Templates rendered to PDF by WeasyPrint or sent as mail never reach a browser.
NOT_FOR_BROWSERS = ("templates/pdf/", "templates/governance/documents/", "templates/notifications/")


def browser_templates() -> list[Path]:
    templates = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(NOT_FOR_BROWSERS) or relative.endswith("_pdf.html"):
            continue
        templates.append(path)
    return templates


def csp_violations(html: str) -> list[str]:
    found = []
    for label, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("on*= handler", EVENT_HANDLER),
        ('style="…" attribute', STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
    ]:
        found += [f"{label}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return found


def test_templates_have_nothing_the_csp_would_block():
    problems = {
        path.relative_to(ROOT).as_posix(): csp_violations(path.read_text()) for path in browser_templates()
    }
    problems = {path: found for path, found in problems.items() if found}
    assert not problems, "Move these to static/js/ or static/css/ (the CSP blocks them):\n" + json.dumps(
        problems, indent=2, ensure_ascii=False
    )


def test_templates_post_forms_carry_a_csrf_token():
    missing = []
    for path in browser_templates():
        text = path.read_text()
        for form in re.finditer(r"<form\b[^>]*>.*?</form>", text, re.IGNORECASE | re.DOTALL):
            is_post = re.search(r"method=[\"']?post", form.group(0), re.IGNORECASE)
            if is_post and "csrf_token" not in form.group(0):
                missing.append(f"{path.relative_to(ROOT)}: {form.group(0)[:100]}")
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


# --- CSRF -------------------------------------------------------------------------------------------------


# Views that must refuse some requests before Django reads the body (CsrfViewMiddleware would read it to
# find the token) and check CSRF themselves right after, with csrf_protect on an inner function. Each is
# shown to refuse a POST without the token below.
CHECKS_CSRF_ITSELF = {
    # the public upload: rate limit and size limit first (governance.views.verification, issue 14)
    "verifiera/": "governance:verify",
}


def test_no_view_is_exempt_from_csrf():
    exempt = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if str(p.pattern).startswith("admin/"):
                    continue  # Django's admin protects itself
                walk(p.url_patterns, prefix + str(p.pattern))
            elif getattr(p.callback, "csrf_exempt", False):
                exempt.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert [path for path in exempt if path not in CHECKS_CSRF_ITSELF] == []


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(CHECKS_CSRF_ITSELF.values()))
def test_views_that_check_csrf_themselves_refuse_a_post_without_the_token(url_name):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse(url_name))  # the CSRF cookie, as a browser has it
    assert "csrftoken" in client.cookies

    response = client.post(reverse(url_name), {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7")})

    assert response.status_code == 403


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused_and_changes_nothing():
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    client = Client(enforce_csrf_checks=True)
    client.force_login(proposal.responsible_researcher)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%test\n%%EOF\n", content_type="application/pdf")

    response = client.post(reverse("applications:attachment_upload", args=[proposal.pk]), {"file": upload})

    assert response.status_code == 403
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 403
    assert not logged_in(client)


# --- Upload size ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_request_larger_than_the_limit_gets_a_swedish_page_and_saves_nothing(settings):
    settings.MAX_REQUEST_SIZE = 64 * 1024
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    client = Client()
    client.force_login(proposal.responsible_researcher)
    big = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * (100 * 1024), content_type="application/pdf")

    response = client.post(
        reverse("applications:attachment_upload", args=[proposal.pk]),
        {"file": big},
        HTTP_REFERER="http://testserver" + proposal.get_absolute_url(),
    )

    assert response.status_code == 413
    page = response.content.decode()
    assert "Filen är för stor" in page
    assert "högst 20 MB" in page
    assert re.search(r"större än 64[,.]0\s*kB", page, re.IGNORECASE)
    assert proposal.get_absolute_url() in page  # a way back
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_request_within_the_limit_is_accepted(settings):
    settings.MAX_REQUEST_SIZE = 64 * 1024
    proposal = ProposalFactory(state=ProposalState.APPLICATION)
    client = Client()
    client.force_login(proposal.responsible_researcher)
    small = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%small\n%%EOF\n", content_type="application/pdf")

    response = client.post(reverse("applications:attachment_upload", args=[proposal.pk]), {"file": small})

    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_production_request_limit_fits_one_attachment():
    from applications.attachments import MAX_SIZE

    assert MAX_SIZE < settings.MAX_REQUEST_SIZE <= MAX_SIZE + 10 * 1024 * 1024


# --- Escaping of what users write ---------------------------------------------------------------------------

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_user_written_text_is_escaped_on_the_proposal_page(client):
    proposal = ProposalFactory(
        state=ProposalState.APPLICATION,
        title="Studie " + PAYLOAD,
        summary="Rad ett\n" + PAYLOAD,
        research_question=PAYLOAD,
    )
    client.force_login(proposal.responsible_researcher)

    page = client.get(proposal.get_absolute_url()).content.decode()

    assert "<script>alert" not in page
    assert "<img src=x onerror" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


# --- Production settings ----------------------------------------------------------------------------------


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="samverkan.settings",
        SECRET_KEY="a-long-random-production-key-" + "k7Qx2mP9vL4nR8sT1wZ6" * 2,
        DEBUG="0",
        ALLOWED_HOSTS="example.org",
        **extra,
    )
    return env


def test_check_deploy_is_clean_in_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_hsts_is_on():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
        "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'samesite': s.SESSION_COOKIE_SAMESITE, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'hsts_sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "session_secure": True,
        "csrf_secure": True,
        "session_httponly": True,
        "samesite": "Lax",
        "hsts": 365 * 24 * 3600,
        "hsts_sub": True,
        "ssl_redirect": True,
        "debug": False,
    }


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    env.pop("SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


UNSAFE_MARKUP = re.compile(r"\|\s*safe\b|{%\s*autoescape\s+off|mark_safe\(|SafeString\(|\|\s*safeseq\b")
# Files allowed to mark text safe, and why (keep this empty unless the text is built by us and escaped).
ALLOWED_UNSAFE: dict[str, str] = {
    "reports/charts.py": "SVG charts drawn by our code; every text put into them goes through html.escape",
}


def test_nothing_user_written_is_marked_safe():
    sources = [*ROOT.glob("templates/**/*.html")]
    for app in ("samverkan", "applications", "governance", "budget", "followup", "reports"):
        sources += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sources
        if path.relative_to(ROOT).as_posix() not in ALLOWED_UNSAFE
        for match in UNSAFE_MARKUP.finditer(path.read_text())
    ]
    assert not found, "Text marked safe (escape it, or use format_html):\n" + "\n".join(found)
