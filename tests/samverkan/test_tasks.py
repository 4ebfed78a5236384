import uuid

import pytest
from django.db import connection

from samverkan.tasks import ping


@pytest.mark.needs_redis
def test_task_runs_through_a_real_worker_against_redis(celery_worker):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    assert result.get(timeout=30) == {"token": token, "database": connection.vendor}
    assert result.successful()


@pytest.mark.django_db
def test_task_runs_eagerly_in_tests_without_a_worker():
    assert ping.delay("eager").get(timeout=1)["token"] == "eager"
