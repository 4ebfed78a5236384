"""`in_ids` (samverkan/lookups.py): the rows `in` finds; on PostgreSQL as one array parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from samverkan.models import Organisation

pytestmark = pytest.mark.django_db


def _organisations(n):
    return [Organisation.objects.create(name=f"Kommun {i}", kind="municipality") for i in range(n)]


def test_in_ids_matches_what_in_matches():
    made = _organisations(5)
    wanted = [made[0].pk, made[3].pk, made[4].pk]

    found = set(Organisation.objects.filter(pk__in_ids=wanted).values_list("pk", flat=True))

    plain = set(Organisation.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == plain == set(wanted)


def test_in_ids_of_nothing_matches_nothing():
    _organisations(2)

    assert list(Organisation.objects.filter(pk__in_ids=[])) == []


def test_in_ids_sends_one_parameter_on_postgresql():
    made = _organisations(3)
    with CaptureQueriesContext(connection) as queries:
        list(Organisation.objects.filter(pk__in_ids=[o.pk for o in made]))

    sql = queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql
