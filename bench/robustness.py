"""Robustness checks that need process control: a Celery worker killed while it renders a decision document,
and the database connection killed in the middle of a proposal transition. Real processes, real Redis and
PostgreSQL, nothing mocked.

    .venv/bin/python bench/robustness.py [--database robust_db] [--redis redis://127.0.0.1:6379/9]
        [--port 8105] [--only worker-child|worker-restart|database]

It (re)creates the PostgreSQL database given (default h5_db – it is DROPPED first), loads the demo plus one
generated copy (bench/generate.py: grant decisions that have no document yet), FLUSHES the Redis database
given, and runs:

1. worker-child: a worker renders a beslutsunderlag; once the first copy's PDF is on disk the pool process
   doing it gets SIGKILL. acks_late + reject_on_worker_lost put the job back; the worker's new pool
   process runs it again. Exactly one document with two copies must exist.
2. worker-restart: the whole worker (main process and pool) gets SIGKILL mid-render; nothing is committed.
   A new worker is started: the un-acked message comes back after the visibility timeout (shortened here to
   5 s) and the beat sweep (samverkan.requeue_pending_jobs) queues the job once more. Exactly one document.
3. database: a processledare's transition (pitch → application) is sent to gunicorn while the history
   table is locked, so the request stops between "proposal updated" and "history written"; its PostgreSQL
   backend is then terminated (pg_terminate_backend – what a database restart does to every connection).
   The user must get the Swedish 503 page; the proposal keeps its state and history; the same click a
   moment later succeeds.

Writes the "robustness" section of bench/results.md. Takes about 1–2 minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from _common import BENCH_DIR, ROOT, write_section

CELERY = ROOT / ".venv" / "bin" / "celery"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


class CheckFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- set-up ---------------------------------------------------------------------------------------------


def prepare(database: str, redis_url: str, workdir: Path, *, flush: bool = True) -> dict[str, str]:
    # The server and user of DATABASE_URL when it is PostgreSQL, else the local default; our own database.
    base = os.environ.get("DATABASE_URL", "")
    base = base if base.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urllib.parse.urlsplit(base)
    db_url = urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))
    server = [
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    pg_env = {**os.environ, "PGPASSWORD": parts.password or ""}
    subprocess.run(["dropdb", *server, "--if-exists", database], check=True, env=pg_env)
    subprocess.run(["createdb", *server, database], check=True, env=pg_env)
    import redis

    if flush:
        redis.Redis.from_url(redis_url).flushdb()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url,
        REDIS_URL=redis_url,
        VAR_DIR=str(workdir / "var"),
        MEDIA_ROOT=str(workdir / "media"),
        DEBUG="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
        LOG_LEVEL="INFO",
    )
    env.pop("CELERY_VISIBILITY_TIMEOUT", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    # The demo's jobs run eagerly while it loads (no worker yet): REDIS_URL unset for this step.
    subprocess.run(
        [sys.executable, str(BENCH_DIR / "generate.py"), "--copies", "2"],
        env={**env, "REDIS_URL": ""},
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(env)
    return env


def children(pid: int) -> list[int]:
    result = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            result.append(int(stat.parent.name))
    return result


class Worker:
    """A real `celery worker` (prefork, one pool process) in its own process group."""

    queue = "celery"

    def __init__(self, env: dict[str, str], log: Path, **extra_env: str):
        self.log = log
        self.handle = log.open("ab")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "samverkan",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                f"--queues={self.queue}",
                f"--hostname=robustness-{secrets.token_hex(3)}@%h",
            ],
            env={**env, **extra_env},
            cwd=ROOT,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        start = self.log.stat().st_size if self.log.exists() else 0
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes()[start:]:
                return
            if self.process.poll() is not None:
                raise CheckFailed(f"worker exited at start, see {log}")
            time.sleep(0.2)
        raise CheckFailed(f"worker not ready after 90 s, see {log}")

    def pool_pids(self) -> list[int]:
        return children(self.process.pid)

    def kill_all(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.handle.close()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.005):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what}")


def pending_decision():
    from django.utils import timezone

    from governance.services.documents import pending_document_decisions

    decision = pending_document_decisions(older_than=timezone.now()).first()
    check(decision is not None, "no grant decision without a document in the generated data")
    return decision


def document_files(media: Path, before: set[Path]) -> set[Path]:
    return (
        {p for p in (media / "documents").glob("*/*.pdf")} - before
        if (media / "documents").exists()
        else set()
    )


def documents_of(decision) -> list:
    from django.db import close_old_connections

    from governance.models import DecisionDocument

    close_old_connections()
    return list(DecisionDocument.objects.filter(decision=decision).prefetch_related("copies"))


# --- 1 and 2: the worker dies mid-render ---------------------------------------------------------------


def worker_child_killed(env: dict[str, str], workdir: Path) -> list[str]:
    from governance.tasks import generate_decision_documents
    from samverkan.jobs import enqueue

    media = Path(env["MEDIA_ROOT"])
    log = workdir / "worker-child.log"
    worker = Worker(env, log)
    try:
        decision = pending_decision()
        before = document_files(media, set())
        check(enqueue(generate_decision_documents, decision.pk), "the job could not be queued")
        first_copy = wait_for(lambda: document_files(media, before), 120, "the first copy's PDF on disk")
        pool = worker.pool_pids()
        check(len(pool) == 1, f"expected one pool process, found {pool}")
        os.kill(pool[0], signal.SIGKILL)
        killed_at = time.monotonic()
        check(not documents_of(decision), "a document was committed although the render was killed mid-way")
        docs = wait_for(
            lambda: [d for d in documents_of(decision) if d.status == "to_sign"], 180, "the re-run document"
        )
        recovered = time.monotonic() - killed_at
        time.sleep(2)  # a late duplicate would show up now
        docs = documents_of(decision)
        check(len(docs) == 1, f"expected exactly one document, found {len(docs)}")
        copies = list(docs[0].copies.all())
        check(len(copies) == 2, f"expected two copies, found {len(copies)}")
        check(all(Path(c.pdf.path).exists() for c in copies), "a copy's PDF is missing on disk")
        orphans = document_files(media, before) - {Path(c.pdf.path) for c in copies}
        text = log.read_text(errors="replace")
        lost = "WorkerLostError" in text or "Process 'ForkPoolWorker" in text
        return [
            f"Pool process {pool[0]} killed (SIGKILL) after the first copy was written "
            f"({len(first_copy)} file); nothing was committed.",
            f"The worker reported the lost process ({'yes' if lost else 'not seen in the log'}) and the job "
            f"ran again in a new pool process: document {docs[0].reference} with 2 copies, status "
            f"“{docs[0].get_status_display()}”, {recovered:.1f} s after the kill.",
            f"Exactly one document for the decision. Orphaned PDF files left by the killed attempt: "
            f"{len(orphans)} (never referenced; harmless, see README).",
        ]
    finally:
        worker.stop()


def worker_restarted(env: dict[str, str], workdir: Path) -> list[str]:
    from governance.tasks import generate_decision_documents
    from samverkan.jobs import enqueue
    from samverkan.tasks import requeue_pending_jobs

    media = Path(env["MEDIA_ROOT"])
    log = workdir / "worker-restart.log"
    worker = Worker(env, log)
    decision = pending_decision()
    before = document_files(media, set())
    check(enqueue(generate_decision_documents, decision.pk), "the job could not be queued")
    wait_for(lambda: document_files(media, before), 120, "the first copy's PDF on disk")
    worker.kill_all()
    worker.handle.close()
    killed_at = time.monotonic()
    check(not documents_of(decision), "a document was committed although the worker was killed mid-way")
    import redis

    unacked = redis.Redis.from_url(env["REDIS_URL"]).hlen("unacked")
    time.sleep(6)  # past the shortened visibility timeout
    worker = Worker(env, log, CELERY_VISIBILITY_TIMEOUT="5")
    try:
        docs = wait_for(
            lambda: [d for d in documents_of(decision) if d.status == "to_sign"],
            150,
            "the document after the restart",
            interval=0.2,
        )
        recovered = time.monotonic() - killed_at
        # The beat sweep finds nothing left to do for this decision – and a duplicate would do nothing.
        swept = requeue_pending_jobs.apply(kwargs={"older_than_seconds": 0}).get()
        check(enqueue(generate_decision_documents, decision.pk), "the duplicate could not be queued")
        time.sleep(8)
        docs = documents_of(decision)
        check(len(docs) == 1, f"expected exactly one document, found {len(docs)}")
        check(docs[0].copies.count() == 2, "expected two copies")
        return [
            f"Worker killed as a whole (SIGKILL to main and pool process) mid-render; nothing was committed; "
            f"{unacked} un-acked message(s) left in Redis.",
            f"New worker started: the message came back after the visibility timeout and the job ran: "
            f"document {docs[0].reference}, 2 copies, {recovered:.1f} s after the kill.",
            f"Then the beat sweep ran (queued {swept}) and one more duplicate job was sent on purpose: still "
            "exactly one document.",
        ]
    finally:
        worker.stop()


# --- 3: the database connection dies mid-transition -----------------------------------------------------


def database_killed(env: dict[str, str], workdir: Path, port: int) -> list[str]:
    import psycopg
    from django.contrib.auth import get_user_model
    from django.db import close_old_connections

    from applications.models import Proposal, ProposalTransition

    close_old_connections()
    proposal = Proposal.objects.filter(state="pitch").order_by("pk").first()
    check(proposal is not None, "no proposal in state pitch")
    leader = get_user_model().objects.get(email="anna.lindqvist@mdu.example")
    static_root = workdir / "static"
    server_env = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": "robustness-only-" + "x" * 40,
        "SIGNING_KEY_PASSPHRASE": "samverkan-demo-signering",  # the demo keys were made with DEBUG on
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
        "REDIS_URL": "",  # no jobs in this check; pages must not need Redis anyway
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=server_env,
        cwd=ROOT,
        check=True,
    )
    code = (
        "import django; django.setup(); from django.test import Client;"
        "from samverkan.models import User; c = Client();"
        f"c.force_login(User.objects.get(pk={leader.pk})); print(c.cookies['sessionid'].value)"
    )
    session = subprocess.run(
        [sys.executable, "-c", code], env=server_env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    log = (workdir / "gunicorn.log").open("ab")
    server = subprocess.Popen(
        [str(GUNICORN), "samverkan.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=server_env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    db = psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=False)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _status(base + "/healthz", session) in (200, 503), 60, "gunicorn", interval=0.3)
        csrf = secrets.token_hex(16)  # a 32-character secret: Django accepts it unmasked in cookie and form
        path = f"/arenden/{proposal.pk}/atgard/record_pitch_feedback/"
        form = {
            "csrfmiddlewaretoken": csrf,
            "comment": "Återkoppling från för-beredningen.",
            "expected_state": "pitch",
        }
        history_before = ProposalTransition.objects.filter(proposal=proposal).count()
        with db.cursor() as cur:
            cur.execute("LOCK TABLE applications_proposaltransition IN SHARE ROW EXCLUSIVE MODE")
        result: dict = {}

        import threading

        def click():
            result["status"], result["body"], result["headers"] = _post(base + path, session, csrf, form)

        thread = threading.Thread(target=click)
        thread.start()
        with psycopg.connect(
            env["DATABASE_URL"].replace("postgres://", "postgresql://"), autocommit=True
        ) as admin:
            database = env["DATABASE_URL"].rsplit("/", 1)[1]

            def blocked_backend():
                row = admin.execute(
                    "SELECT pid, query FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"
                    " AND query ILIKE 'INSERT INTO \"applications_proposaltransition\"%%'",
                    [database],
                ).fetchone()
                return row

            pid, _query = wait_for(blocked_backend, 60, "the transition to wait on the history table", 0.05)
            state_in_flight = admin.execute(
                "SELECT state FROM applications_proposal WHERE id = %s", [proposal.pk]
            ).fetchone()[0]
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        thread.join(60)
        db.rollback()
        check(not thread.is_alive(), "the request did not return after its connection was terminated")
        close_old_connections()
        proposal.refresh_from_db()
        history_after = ProposalTransition.objects.filter(proposal=proposal).count()
        body = result["body"].decode("utf-8", "replace")
        check(result["status"] == 503, f"expected HTTP 503, got {result['status']}")
        check("Tjänsten är tillfälligt otillgänglig" in body, "the 503 page is not the Swedish one")
        check(result["headers"].get("Retry-After") == "30", "the 503 response has no Retry-After: 30")
        check(proposal.state == "pitch", f"half-written transition: state is {proposal.state}")
        check(history_after == history_before, "half-written transition: a history row was written")
        status_again, _body, _headers = _post(base + path, session, csrf, form)
        proposal.refresh_from_db()
        history_again = ProposalTransition.objects.filter(proposal=proposal).count()
        check(status_again == 302, f"the retry should redirect, got {status_again}")
        check(proposal.state == "application", f"the retry should move the proposal, state {proposal.state}")
        check(history_again == history_before + 1, "the retry should write exactly one history row")
        title = re.search(r"<h1>(.*?)</h1>", body, re.S)
        return [
            f"Request held after `UPDATE applications_proposal` (state inside the open transaction: "
            f"“{state_in_flight}” as seen from outside) while waiting to insert the history row; backend "
            f"{pid} terminated.",
            f"The user got HTTP 503 with the Swedish page “{title.group(1).strip() if title else '?'}” "
            "(Retry-After: 30).",
            f"Nothing half-written: the proposal is still “pitch” with {history_after} history rows "
            "(as before).",
            "The same click again succeeded (302): state “application”, exactly one new history row – the "
            "next request got a fresh connection.",
        ]
    finally:
        db.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def _status(url: str, session: str) -> int:
    try:
        request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, session: str, csrf: str, form: dict) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(form).encode(),
        headers={
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=120) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


# --- main -----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="h5_db")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--only", choices=["worker-child", "worker-restart", "database"])
    parser.add_argument(
        "--queue", default="celery", help="a queue of its own (tests run beside other workers)"
    )
    parser.add_argument("--keep-redis", action="store_true", help="do not flush the Redis database")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="samverkan-robustness-"))
    started = time.monotonic()
    env = prepare(args.database, args.redis, workdir, flush=not args.keep_redis)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from samverkan.celery import app

    app.conf.task_default_queue = Worker.queue = args.queue
    checks = {
        "worker-child": (
            "Worker's pool process killed mid-render",
            lambda: worker_child_killed(env, workdir),
        ),
        "worker-restart": (
            "Whole worker killed mid-render and restarted",
            lambda: worker_restarted(env, workdir),
        ),
        "database": (
            "Database connection killed mid-transition",
            lambda: database_killed(env, workdir, args.port),
        ),
    }
    outcomes = []
    for name, (title, run) in checks.items():
        if args.only and name != args.only:
            continue
        t = time.monotonic()
        try:
            lines = run()
            ok = True
        except CheckFailed as failure:
            lines, ok = [f"FAILED: {failure}"], False
        outcomes.append((title, ok, lines, time.monotonic() - t))
        print(f"{'PASS' if ok else 'FAIL'}  {title} ({time.monotonic() - t:.0f} s)")
        for line in lines:
            print(f"      {line}")
    body = []
    for title, ok, lines, seconds in outcomes:
        body.append(f"**{title}: {'passed' if ok else 'FAILED'}** ({seconds:.0f} s)\n")
        body += [f"- {line}" for line in lines]
        body.append("")
    body.append(
        f"Total {time.monotonic() - started:.0f} s including set-up (fresh database, demo + one generated "
        "copy). "
        f"Logs: {workdir}. Redis being down is covered by `tests/robustness/test_broker_down.py`."
    )
    if not args.only:
        write_section("robustness", "Robustness checks (bench/robustness.py)", "\n".join(body))
    if all(ok for _t, ok, _l, _s in outcomes):
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        sys.exit(1)


if __name__ == "__main__":
    main()
