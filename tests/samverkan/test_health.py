import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_on_embedded_default(client, settings):
    settings.REDIS_URL = ""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["workers"]["required"] is False


def test_healthz_reports_503_when_redis_is_configured_but_unreachable(client, settings):
    unreachable = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = unreachable
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": unreachable}
    }
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fel"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["cache"]["ok"] is False


@pytest.mark.needs_redis
def test_healthz_needs_a_worker_when_redis_is_configured(client, settings):
    settings.HEALTHZ_REQUIRE_WORKERS = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is True
    assert response.json()["checks"]["workers"]["ok"] is False


@pytest.mark.needs_redis
def test_healthz_is_ok_with_redis_and_a_running_worker(client, settings, celery_worker):
    settings.HEALTHZ_REQUIRE_WORKERS = True
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["workers"]["count"] >= 1
