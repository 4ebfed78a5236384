"""Test session rules.

- DATABASE_URL set → tests run on that (PostgreSQL) database; REDIS_URL set → Redis is used and must answer.
- In CI (CI=true) both must be set and reachable: the run fails instead of falling back.
- Celery tasks run eagerly in tests, except in tests that use the `celery_worker` fixture, which starts a
  real worker thread consuming from Redis.
"""

from __future__ import annotations

import os

import pytest
import redis

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    if IN_CI:
        missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
        if missing:
            pytest.exit(f"CI needs {', '.join(missing)}: no fallback to SQLite or eager jobs", returncode=3)
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            pytest.exit(f"REDIS_URL is set but Redis is unreachable: {exc}", returncode=3)


def pytest_collection_modifyitems(config, items):
    if os.environ.get("REDIS_URL"):
        return
    skip = pytest.mark.skip(
        reason="needs REDIS_URL (set in CI; run `REDIS_URL=redis://127.0.0.1:6379/15 make test`)"
    )
    for item in items:
        if "needs_redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Rate-limit counters (django-ratelimit, in the shared cache) start at zero in every test."""
    import uuid

    settings.RATELIMIT_CACHE_PREFIX = f"rl-test-{uuid.uuid4().hex}:"


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (thread, solo pool) consuming from the Redis broker of REDIS_URL."""
    from celery.contrib.testing.worker import start_worker

    from samverkan.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def signing_keys(settings, tmp_path_factory, db):
    """Demo signing keys (a CA and one PKCS#12 per organisation that exists now) in a directory shared by
    the test session; call it after creating the organisations a test signs for."""
    from django.core.management import call_command

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    directory = tmp_path_factory.getbasetemp() / f"signing-{worker}"
    settings.SIGNING_DIR = directory
    settings.SIGNING_TRUST_ROOTS = []
    call_command("create_signing_certificates", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return directory
