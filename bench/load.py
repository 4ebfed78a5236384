"""Throughput and p50/p95 latency of the main pages under concurrent load, each as a ratio to a bare Django
view doing one query, measured in the same run (target: every page p95 ≤ 3 × the bare view's p95).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10000 .venv/bin/python bench/load.py

Starts gunicorn (production settings: DEBUG off, manifest static files, 2 sync workers – one per core of the
reference machine) on 127.0.0.1:$BENCH_PORT (default 8106) with the bench-only URL of the bare view
(DJANGO_SETTINGS_MODULE=bench.settings), logs in as the demo processledare (session and CSRF cookies, as a
browser), and runs `wrk` (Debian package "wrk") against every page: $BENCH_CONNECTIONS connections (default
4) for $BENCH_SECONDS seconds (default 10) each. Every request renders its page from the database. The bare
view is measured first and last; the ratio uses the mean of the two. Total run time is about 2 minutes.
Writes the "load" section of bench/results.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from _common import BENCH_DIR, ROOT, load_averages, table, write_section

PORT = int(os.environ.get("BENCH_PORT", "8106"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
TARGET_RATIO = 3.0
SECRET = "bench-only-secret-key-" + "x" * 40


def server_env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        SIGNING_KEY_PASSPHRASE="samverkan-demo-signering",  # the demo keys were made with DEBUG on
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="bench.settings",  # adds the bare reference view (bench/urls.py)
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        # Celery is not needed for reads; never let a page reach for a broker during the benchmark.
        REDIS_URL="",
    )
    return env


def prepare(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """collectstatic, a session for the bench user, and the pages – in a child process with the server's
    settings (the session is signed with the server's SECRET_KEY)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    code = (
        "import json,sys; sys.path.insert(0, 'bench');"
        "import django; django.setup();"
        "from django.test import Client; from pages import pages, bench_user;"
        "c = Client(); c.force_login(bench_user());"
        "c.get('/');"  # the CSRF cookie a browser has after its first page
        "cookie = '; '.join(f'{k}={c.cookies[k].value}' for k in ('sessionid', 'csrftoken'));"
        "print(json.dumps({'cookie': cookie, 'pages': pages()}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "samverkan.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return data["pages"], data["cookie"]


def wait_for_server(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url}")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = WORKERS, options: tuple[str, ...] = ()):
    """gunicorn serving the project on PORT with `env` (server_env), in its own session; yields once /healthz
    answers and stops it – every worker – on leaving."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "samverkan.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            *options,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_server(f"http://127.0.0.1:{PORT}/healthz")
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def get(url: str, cookie: str) -> tuple[int, bytes, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read(), response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, error.read(), url


def wrk(url: str, cookie: str) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(2, CONNECTIONS)}",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            str(BENCH_DIR / "wrk_report.lua"),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(next(line for line in out.splitlines() if line.startswith("{")))


def measure(env: dict[str, str], pages: dict[str, str], cookie: str) -> dict[str, dict]:
    """Start gunicorn with `env`, check every page, run wrk on each (the bare view first and last)."""
    base = f"http://127.0.0.1:{PORT}"
    with gunicorn(env):
        targets = {"bare view (1 query)": "/_bench/bare/", **pages}
        for name, path in targets.items():
            for _ in range(3):  # warm every worker's caches and check it is the real page
                status, body, _url = get(base + path, cookie)
            if status != 200:
                raise SystemExit(f"{name} {path}: HTTP {status} – not measured\n{body[:500]!r}")
        results: dict[str, dict] = {}
        for name in ["bare view (1 query)", *pages, "bare view (again)"]:
            results[name] = r = wrk(base + targets.get(name, "/_bench/bare/"), cookie)
            print(
                f"{name:24} {r['rps']:8.1f} req/s  p50 {r['p50']:8.1f} ms  p95 {r['p95']:8.1f} ms"
                f"  errors {r['errors']}",
                flush=True,
            )
        return results


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the generated PostgreSQL database (bench/generate.py).")
    static_root = tempfile.mkdtemp(prefix="samverkan-bench-static-")
    env = server_env(static_root)
    pages, cookie = prepare(env)
    try:
        results = measure(env, pages, cookie)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    def mean(key):
        return (results["bare view (1 query)"][key] + results["bare view (again)"][key]) / 2

    bare_p95 = mean("p95")
    bare_rps = mean("rps")
    rows, missed = [], []
    for name, r in results.items():
        is_bare = name.startswith("bare view")
        ratio = r["p95"] / bare_p95
        if not is_bare and ratio > TARGET_RATIO:
            missed.append(name)
        rows.append(
            [
                name,
                pages.get(name, "/_bench/bare/"),
                f"{r['rps']:.1f}",
                f"{r['p50']:.1f}",
                f"{r['p95']:.1f}",
                "–" if is_bare else f"{ratio:.1f}×",
                "–" if is_bare else f"{bare_rps / r['rps']:.1f}×",
                "–" if is_bare else ("met" if ratio <= TARGET_RATIO else "**missed**"),
                r["errors"],
            ]
        )
    load = load_averages()
    text = table(
        [
            "page",
            "path",
            "req/s",
            "p50 ms",
            "p95 ms",
            "p95 ÷ bare p95",
            "bare req/s ÷ page req/s",
            f"target ≤ {TARGET_RATIO:g}×",
            "errors",
        ],
        rows,
    )
    from_db = _database_size()
    print(text)
    summary = "All pages met the target." if not missed else "Target missed on: " + ", ".join(missed) + "."
    print(summary)
    write_section(
        "load",
        "Page latency under load (target: p95 ≤ 3 × a bare one-query view)",
        f"{summary}\n\n{text}\n\nEvery request renders its page from the database. "
        f"Setup: gunicorn, {WORKERS} sync workers, DEBUG off, PostgreSQL "
        f"({from_db}; CONN_MAX_AGE = {os.environ.get('CONN_MAX_AGE') or '60 (default)'}); "
        f"`wrk` with {CONNECTIONS} connections for {SECONDS} s per page, logged in as the demo "
        "processledare (sees every proposal) with the session and CSRF cookies a browser has. The bare view "
        "(`/_bench/bare/`, bench-only URL) runs one query through the same middleware; it was measured first "
        "and last; the ratios use the mean of its two p95 values. Load average (1/5/15 min) when the "
        f"measurement ended: {load}; other work on the machine adds noise.",
    )


def _database_size() -> str:
    code = (
        "import django; django.setup();"
        "from applications.models import Proposal; from governance.models import Meeting, AgendaItem;"
        "print(f'{Proposal.objects.count()} proposals, {Meeting.objects.count()} meetings, "
        "{AgendaItem.objects.count()} agenda items')"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "samverkan.settings", "DEBUG": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()


if __name__ == "__main__":
    main()
