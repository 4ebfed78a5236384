"""Fixtures of the robustness tests."""

from __future__ import annotations

import pytest

# Nothing listens on port 1: connecting is refused at once, exactly as when Redis is down.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def unreachable_broker():
    """Jobs are really sent to a Redis broker that is down (connection refused) instead of running eagerly;
    afterwards the broker is "back" (eager, as in every other test)."""
    from samverkan.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def use(url: str, eager: bool) -> None:
        app.conf.broker_url = url
        app.conf.task_always_eager = eager
        app.amqp._producer_pool = None  # the producers were bound to the previous broker connection
        app._pool = None

    use(UNREACHABLE_BROKER, False)
    try:
        yield UNREACHABLE_BROKER
    finally:
        use(*saved)
