"""Celery tasks of the core domain."""

from celery import shared_task
from django.db import connection


@shared_task(name="samverkan.ping")
def ping(token: str) -> dict:
    """A round-trip through broker, worker and database: echoes the token and the database vendor.

    Used by operators (and tests) to see that a worker really processes jobs against the real database.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"token": token, "database": connection.vendor}
