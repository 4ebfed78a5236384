"""The public verification page under attack (issue 14, item 2): does a logged-in person's page stay fast
while anonymous clients upload the worst PDFs we can construct? Target: p95 ≤ 2 × its idle p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/verify_bench .venv/bin/python bench/verify_load.py

Needs a migrated database with the demo (`manage.py load_demo`; its verification requests are deleted)
and Redis (default redis://127.0.0.1:6379/11, $BENCH_REDIS_URL; its rate-limit counters are deleted).
Starts, as in production, gunicorn (production settings, $BENCH_WORKERS sync workers, default 2) on
127.0.0.1:$BENCH_PORT (default 8107) and a Celery worker (concurrency 2, as docker-compose.yml), both
against that Redis. Then:

1. *idle*: the demo processledare loads a proposal page (rendered every time) in a loop
   for $BENCH_SECONDS (default 30) – p50/p95;
2. for each attack: 20 anonymous clients, each from its own address (127.0.0.2–127.0.0.21, all on the
   loopback – traffic only to 127.0.0.1), upload at the same instant, and again every
   $BENCH_UPLOAD_INTERVAL s (default 5) until the time is up, while the person loads the same page –
   p50/p95 and the ratio to idle, and what the uploads were answered;
3. the attacks: *issue-bomb* – the probe's file (one 10 MB /Contents hex string, refused before it is
   read); *fields-bomb* – 300 signature fields sharing one signature (refused by the pre-check);
   *worst-accepted* – the most the pre-check lets through (10 signature fields, each with its own 24 Ki
   hex digits, a real CMS): stored and judged by the job in the limited child process.

Writes the "verify-load" section of bench/results.md.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from _common import ROOT, table, write_section

PORT = int(os.environ.get("BENCH_PORT", "8107"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
INTERVAL = float(os.environ.get("BENCH_UPLOAD_INTERVAL", "5"))  # seconds between a client's uploads
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
FORGET_RATE_LIMITS = "for _,k in ipairs(redis.call('keys','*rl:*')) do redis.call('del',k) end"
TARGET_RATIO = 2.0
SECRET = "bench-only-secret-key-" + "x" * 40
PERSON = "anna.lindqvist@mdu.example"


def server_env(static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,
        SIGNING_KEY_PASSPHRASE="samverkan-demo-signering",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        REDIS_URL=REDIS,
        HEALTHZ_REQUIRE_WORKERS="0",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
    )
    return env


def prepare(env: dict[str, str]) -> dict:
    """migrate, collectstatic; the person's session and page; a real signature's CMS for the bombs."""
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], env=env, cwd=ROOT, check=True)
    code = """
import io, json, sys
import django; django.setup()
from django.core.management import call_command
from django.test import Client
from pypdf import PdfWriter
from applications.models import Proposal
from governance import signing
from samverkan.models import Organisation, User
if not any(signing.signing_dir().glob("*.p12")):
    call_command("create_signing_certificates", stdout=io.StringIO())
writer = PdfWriter(); writer.add_blank_page(width=595, height=842)
buffer = io.BytesIO(); writer.write(buffer)
org = next(o for o in Organisation.objects.order_by("pk") if signing.key_path(o).exists())
signed = signing.sign(
    buffer.getvalue(), organisation=org, field_name="Signatur", name="Bench", reason="Bench", location="Bench"
)
c = Client(); c.force_login(User.objects.get(email=sys.argv[1])); c.get("/")
proposal = Proposal.objects.filter(state="active").order_by("pk").first()
print(json.dumps({"cookie": "; ".join(f"{k}={c.cookies[k].value}" for k in ("sessionid", "csrftoken")),
    "page": proposal.get_absolute_url(), "signed": signed.hex()}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, PERSON], env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def wait_for(url_path: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", url_path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer on {url_path}")


def person_loop(path: str, cookie: str, stop: threading.Event, out: list[float]) -> None:
    """A person at a browser: the page, again and again (a new connection each time, as sync workers)."""
    while not stop.is_set():
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        conn.close()
        if response.status != 200:
            print(f"the person's page {path}: HTTP {response.status} {response.getheader('Location')}")
            os._exit(1)
        out.append((time.perf_counter() - started) * 1000)
        time.sleep(0.05)  # reading the page


def _multipart(fields: dict[str, str], file: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="beslut.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + file
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def attacker(
    number: int, data: bytes, start: threading.Barrier, stop: threading.Event, answers: list
) -> None:
    """An anonymous client from its own address: the form (CSRF cookie and token), then uploads."""
    source = (f"127.0.0.{number + 2}", 0)
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120, source_address=source)
    conn.request("GET", "/verifiera/")
    response = conn.getresponse()
    page = response.read().decode()
    conn.close()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body, content_type = _multipart({"csrfmiddlewaretoken": token}, data)
    start.wait()
    began = time.monotonic()
    sent = 0
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120, source_address=source)
        try:
            conn.request(
                "POST",
                "/verifiera/",
                body=body,
                headers={
                    "Content-Type": content_type,
                    "Cookie": f"csrftoken={cookie}",
                    "Referer": "http://127.0.0.1/",
                },
            )
            response = conn.getresponse()
            response.read()
            answers.append(response.status)
        except OSError:
            answers.append("reset")  # refused before the body was read: the server closed the connection
        finally:
            conn.close()
        sent += 1
        stop.wait(max(0.0, began + sent * INTERVAL - time.monotonic()))  # all clients again at once


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_phase(name: str, page: str, cookie: str, data: bytes | None) -> dict:
    stop = threading.Event()
    times: list[float] = []
    answers: list = []
    threads = []
    if data is not None:
        start = threading.Barrier(CLIENTS)
        threads = [
            threading.Thread(target=attacker, args=(n, data, start, stop, answers), daemon=True)
            for n in range(CLIENTS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(1.0)  # every attacker has its form and waits at the barrier
    person = threading.Thread(target=person_loop, args=(page, cookie, stop, times), daemon=True)
    person.start()
    time.sleep(SECONDS)
    stop.set()
    person.join(timeout=120)
    for thread in threads:
        thread.join(timeout=120)
    counts: dict = {}
    for answer in answers:
        counts[answer] = counts.get(answer, 0) + 1
    result = {
        "name": name,
        "n": len(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "answers": counts,
    }
    print(
        f"{name:16} person: {result['n']:4} pages  p50 {result['p50']:7.1f} ms  "
        f"p95 {result['p95']:7.1f} ms  uploads {counts}",
        flush=True,
    )
    return result


def queue_state(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup();"
        "from django.db.models import Count; from governance.models import VerificationRequest as V;"
        "print(dict(V.objects.values_list('status').annotate(n=Count('pk'))), "
        "dict(V.objects.values_list('verdict').annotate(n=Count('pk'))))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()


def main() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a migrated PostgreSQL database with the demo (load_demo).")
    sys.path.insert(0, str(ROOT))
    from tests.factories.pdfs import signature_bomb, signature_cms

    static_root = tempfile.mkdtemp(prefix="verify-bench-static-")
    env = server_env(static_root)
    subprocess.run(
        ["redis-cli", "-u", REDIS, "eval", FORGET_RATE_LIMITS, "0"], check=True, capture_output=True
    )
    info = prepare(env)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from governance.models import VerificationRequest as V;"
            "V.objects.all().delete()",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    cms = signature_cms(bytes.fromhex(info["signed"]))
    attacks = {
        "issue-bomb": signature_bomb(contents_hex=10 * 1024 * 1024, cms=cms),
        "fields-bomb": signature_bomb(contents_hex=60_000, fields=300, cms=cms),
        "worst-accepted": signature_bomb(contents_hex=24 * 1024, fields=10, shared=False, cms=cms),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "samverkan.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "120",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"),
            "-A",
            "samverkan",
            "worker",
            "--concurrency=2",
            "--loglevel=WARNING",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = []
    try:
        wait_for("/healthz")
        for _ in range(5):
            wait_for(info["page"])
        results.append(run_phase("idle", info["page"], info["cookie"], None))
        for name, data in attacks.items():
            results.append(run_phase(name, info["page"], info["cookie"], data))
            # Each attack from fresh addresses' point of view: the rate limit would otherwise carry over.
            subprocess.run(["redis-cli", "-u", REDIS, "eval", FORGET_RATE_LIMITS, "0"], capture_output=True)
        time.sleep(5)
        jobs = queue_state(env)
        print("verification requests after the run:", jobs)
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
    idle = results[0]["p95"]
    rows = []
    for r in results:
        ratio = r["p95"] / idle
        ok = "" if r["name"] == "idle" else ("✓" if ratio <= TARGET_RATIO else "✗")
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(r["answers"].items(), key=lambda kv: str(kv[0])))
        rows.append(
            [r["name"], r["n"], f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{ratio:.2f} {ok}", answers or "–"]
        )
    sizes = ", ".join(f"{k} {len(v) / 1024:.0f} KB" for k, v in attacks.items())
    body = (
        f"A logged-in person (the demo processledare) loads a proposal page, rendered every time (page cache "
        f"off), for {SECONDS} s, while {CLIENTS} anonymous clients – each from its own loopback address – "
        f"upload at the same instant, every {INTERVAL:.0f} s. Target: the person's p95 ≤ "
        f"{TARGET_RATIO:.0f} × idle. gunicorn {WORKERS} sync workers + a Celery worker (concurrency 2), "
        "Redis, PostgreSQL; "
        f"production settings. Files: {sizes}.\n\n"
        + table(["phase", "pages", "p50 ms", "p95 ms", "p95 / idle", "uploads answered (HTTP status)"], rows)
        + f"\n\nAfter the run: {jobs} (verification requests by status and by verdict). 302 = stored and "
        "queued for the job; 400 = refused by the pre-check; 413 = refused before the body was read "
        '("reset": the client saw the connection closed while still sending); 429 = the client\'s rate '
        "limit; 503 = the one upload slot was busy (another client's upload was being handled) or the queue "
        "of waiting checks was full. Before issue 14 the probe's 10 MB file was parsed in the request: four "
        "at once held four web workers 23–31 s at ~1 GB each and /healthz waited 24 s."
    )
    write_section("verify-load", "Verification page under attack (bench/verify_load.py)", body)


if __name__ == "__main__":
    main()
