"""A Celery worker's pool process killed (SIGKILL) while it renders a decision document: the job is put
back (acks_late + reject_on_worker_lost), runs again, and exactly one document with two copies exists.

Runs the real check, bench/robustness.py ("worker-child"): a real `celery worker` process against Redis
and a PostgreSQL database of its own (created and dropped by the check), on a queue of its own so that no
other test's worker is involved. About a minute."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.needs_redis,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL): the worker is a separate process",
    ),
]


def test_worker_killed_mid_render_leaves_exactly_one_document():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    database = f"robustness_{worker}_{secrets.token_hex(3)}"
    queue = f"robustness-{worker}-{secrets.token_hex(3)}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    try:
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "robustness.py"),
                "--only=worker-child",
                f"--database={database}",
                f"--redis={os.environ['REDIS_URL']}",
                f"--queue={queue}",
                "--keep-redis",
            ],
            cwd=ROOT / "bench",
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        subprocess.run(
            [
                "dropdb",
                *("-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)),
                *("-U", parts.username or "postgres", "--if-exists", database),
            ],
            env={**env, "PGPASSWORD": parts.password or ""},
            check=False,
        )
    report = result.stdout + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert "PASS  Worker's pool process killed mid-render" in result.stdout, report
    assert "Exactly one document for the decision." in result.stdout, report
