"""Test overrides: same settings, a fixed key, fast hashing, mails in the outbox, no manifest storage."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789-abcdefghijklmnop")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SIGNING_KEY_PASSPHRASE", "samverkan-demo-signering")

from . import settings as base
from .settings import *  # noqa: F403

ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Jobs run eagerly in tests; tests that need the real broker start a worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
# Keep xdist workers from reading each other's cache entries on a shared Redis.
CACHES = {
    name: {**cache, "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", "")}
    for name, cache in base.CACHES.items()
}
# Each xdist worker has its own test database, so it needs its own queue: a real Celery worker started by
# one pytest worker must never pick up a task that belongs to another's database.
CELERY_TASK_DEFAULT_QUEUE = f"celery-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
