"""Health of the parts the app depends on, for /healthz (load balancers, docker-compose, operators)."""

from __future__ import annotations

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .celery import app as celery_app


def _check(fn) -> dict:
    try:
        detail = fn()
    except Exception as exc:  # any failure of a dependency is a "down", reported, never raised
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, **(detail or {})}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache():
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cachen svarar inte med det som skrevs")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _broker():
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"url": settings.REDIS_URL.split("@")[-1]}


def _workers():
    replies = celery_app.control.ping(timeout=1.0) or []
    if not replies:
        raise RuntimeError("ingen Celery-worker svarar")
    return {"count": len(replies)}


def report() -> tuple[bool, dict]:
    """(healthy, details). Without REDIS_URL jobs run eagerly: broker and workers are not required."""
    checks: dict[str, dict] = {"database": _check(_database), "cache": _check(_cache)}
    required = ["database", "cache"]
    if settings.REDIS_URL:
        checks["broker"] = _check(_broker)
        required.append("broker")
        if checks["broker"]["ok"]:
            checks["workers"] = _check(_workers)
        else:
            checks["workers"] = {"ok": False, "error": "mäklaren (Redis) nås inte"}
        if settings.HEALTHZ_REQUIRE_WORKERS:
            required.append("workers")
    else:
        checks["broker"] = {"ok": True, "mode": "eager (REDIS_URL saknas)"}
        checks["workers"] = {"ok": True, "mode": "eager (jobb körs direkt i webbprocessen)"}
    for name, check in checks.items():
        check["required"] = name in required
    healthy = all(checks[name]["ok"] for name in required)
    return healthy, checks
