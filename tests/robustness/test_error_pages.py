"""The error pages when the database is gone (restart, failover, a killed connection): Swedish, 503 with
Retry-After, rendered without touching the database. The end-to-end version – a transition whose
PostgreSQL backend is terminated mid-way, through gunicorn – is bench/robustness.py ("database")."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError

from samverkan.errors import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("terminating connection due to administrator command"),
        InterfaceError("connection already closed"),
    ],
    ids=["connection-terminated", "connection-closed"],
)
def test_database_gone_gives_swedish_503_page_without_queries(rf, django_assert_num_queries, error):
    request = rf.get("/arenden/1/")
    with django_assert_num_queries(0):
        try:
            raise error
        except type(error):
            response = server_error(request)

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Tjänsten är tillfälligt otillgänglig" in page
    assert "ingenting har sparats till hälften" in page


def test_other_errors_give_swedish_500_page(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()


def test_handler500_is_the_swedish_one():
    from samverkan import urls

    assert urls.handler500 == "samverkan.errors.server_error"
