"""The front proxy (deploy/nginx.conf, docker-compose service "proxy"): its body limit is the app's, its 413
page is the app's Swedish page, and – with nginx in front of a live server – a browser-sized oversized upload
gets that page, while a body the app refuses itself also reaches the browser as the app's Swedish page.

The live tests need nginx (Debian: `apt-get install nginx-light`); without it they are skipped."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from samverkan.security import PROXY_413_PAGE, ClientAddressFromProxyMiddleware, proxy_413_page

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
COMPOSE = ROOT / "docker-compose.yml"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
SWEDISH_413 = "Filen är för stor"

UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _config() -> str:
    return NGINX_CONF.read_text()


def _nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kmg]?)", value.lower()).groups()
    return int(number) * UNITS[unit]


# --- the configuration ----------------------------------------------------------------------------------


def test_the_proxy_limit_is_the_apps_limit():
    [limit] = re.findall(r"^\s*client_max_body_size\s+(\S+);", _config(), re.MULTILINE)
    assert _nginx_size(limit) == settings.MAX_REQUEST_SIZE


def test_the_proxy_answers_413_with_the_static_swedish_page():
    config = _config()
    assert re.search(r"^\s*error_page\s+413\s+/_errors/413\.html;", config, re.MULTILINE)
    assert "alias /usr/share/nginx/samverkan/413.html;" in config
    assert "./static/errors/413.html:/usr/share/nginx/samverkan/413.html:ro" in COMPOSE.read_text()


def test_the_static_413_page_is_the_current_swedish_page():
    """Fails after a change to the 413 text, the layout or MAX_REQUEST_SIZE until
    `manage.py write_proxy_error_page` is run."""
    page = PROXY_413_PAGE.read_text(encoding="utf-8")

    assert page == proxy_413_page()
    assert '<html lang="sv">' in page
    assert SWEDISH_413 in page
    assert "har inte sparats" in page
    assert "25,0\xa0MB" in page


def test_the_proxy_overwrites_the_client_address_headers_the_app_trusts():
    config = _config()
    assert "proxy_set_header X-Real-IP $remote_addr;" in config
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert 'BEHIND_PROXY: "1"' in COMPOSE.read_text()


# --- the client address behind the proxy -------------------------------------------------------------------


def _address_seen(settings, behind_proxy: bool, **headers) -> str:
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", **headers)
    return ClientAddressFromProxyMiddleware(lambda r: r.META["REMOTE_ADDR"])(request)


def test_behind_the_proxy_the_client_address_comes_from_x_real_ip(settings):
    assert _address_seen(settings, True, HTTP_X_REAL_IP="198.51.100.7") == "198.51.100.7"


def test_without_the_proxy_x_real_ip_is_ignored(settings):
    assert _address_seen(settings, False, HTTP_X_REAL_IP="198.51.100.7") == "172.18.0.5"


def test_behind_the_proxy_a_request_without_the_header_keeps_its_address(settings):
    assert _address_seen(settings, True) == "172.18.0.5"


# --- nginx in front of a live server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rewrite(config: str, pattern: str, replacement: str) -> str:
    new, count = re.subn(pattern, replacement, config, flags=re.MULTILINE)
    assert count == 1, f"deploy/nginx.conf: expected one line matching {pattern!r}"
    return new


@pytest.fixture
def nginx(live_server, tmp_path):
    """deploy/nginx.conf as it is, with only the upstream, the port and the 413 page's path pointed here."""
    if NGINX is None:
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx-light)")
    port = _free_port()
    upstream = live_server.url.removeprefix("http://")
    server = _config()
    server = _rewrite(server, r"^(\s*)server web:8000;", rf"\1server {upstream};")
    server = _rewrite(server, r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{port};")
    server = _rewrite(
        server, r"^(\s*)alias /usr/share/nginx/samverkan/413\.html;", rf"\1alias {PROXY_413_PAGE};"
    )
    (tmp_path / "samverkan.conf").write_text(server)
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the page and write the temp files
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    {mime}
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/samverkan.conf;
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"nginx did not start: {process.stderr.read().decode()}") from None
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _post(port: int, path: str, size: int) -> tuple[int, str, str]:
    """POST a body of `size` bytes the way a browser does (all of it, without waiting for an answer)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        chunk = b"0" * (1024 * 1024)
        sent = 0
        while sent < size:
            part = chunk[: size - sent]
            connection.send(part)
            sent += len(part)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_an_upload_over_the_limit_gets_the_swedish_413_page_from_the_proxy(nginx):
    status, content_type, page = _post(nginx, "/konto/logga-in/", settings.MAX_REQUEST_SIZE + 1024 * 1024)

    assert status == 413
    assert content_type.startswith("text/html")
    assert SWEDISH_413 in page
    assert "har inte sparats" in page
    assert "nginx" not in page


@pytest.mark.django_db(transaction=True)
def test_a_body_of_exactly_the_limit_is_passed_to_the_app(nginx):
    """Equal limits: what the proxy lets through, the app accepts – the app's own early refusal (which a
    browser may never see) does not happen behind the proxy."""
    status, _content_type, page = _post(nginx, "/konto/logga-in/", settings.MAX_REQUEST_SIZE)

    assert status == 403  # the app's CSRF check answered (no cookie): the whole body got through the proxy
    assert SWEDISH_413 not in page


@pytest.mark.django_db(transaction=True)
def test_requests_within_the_limit_reach_the_app_through_the_proxy(nginx):
    connection = http.client.HTTPConnection("127.0.0.1", nginx, timeout=30)
    connection.request("GET", "/konto/logga-in/", headers={"Host": "localhost"})
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()

    assert response.status == 200
    assert "Logga in" in page
