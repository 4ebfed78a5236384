"""The one way a view requires a permission: samverkan.http.require asks a predicate of a permission module
and refuses with a Swedish 403 page whose one log line names the predicate. No view module raises
PermissionDenied itself: every condition is a named predicate of the app's permission module."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from governance import permissions as governance_permissions
from samverkan.http import require
from tests.factories.governance import MeetingFactory
from tests.factories.samverkan import UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ("samverkan", "applications", "governance", "budget", "followup", "reports")


def test_require_passes_when_the_predicate_allows():
    assert require("anna", lambda user, thing: user == "anna" and thing == 1, 1) is None


def test_require_refuses_naming_the_predicate():
    def can_open_the_door(user):
        return False

    with pytest.raises(PermissionDenied, match="can_open_the_door"):
        require("anna", can_open_the_door)


@pytest.mark.django_db
def test_a_refused_view_answers_403_in_swedish_and_logs_the_predicate(client, caplog):
    meeting = MeetingFactory()
    outsider = UserFactory()
    client.force_login(outsider)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(meeting.get_absolute_url())

    assert response.status_code == 403
    assert "behörighet" in response.content.decode().lower()
    lines = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert lines == [
        f"Forbidden (Permission denied): {meeting.get_absolute_url()} (user {outsider.pk}) refused by "
        f"{governance_permissions.can_view_meeting.__qualname__}"
    ]


def _hand_written_refusals(path: Path, root: Path = ROOT) -> list[str]:
    """Every `raise PermissionDenied` in a view module: a refusal written by hand instead of `require` with a
    predicate of the app's permission module (a refused POST: `if request.method == "POST": require(…)`)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Raise)
            and node.exc is not None
            and "PermissionDenied" in ast.unparse(node.exc)
        ):
            found.append(f"{path.relative_to(root)}:{node.lineno} {ast.unparse(node)}")
    return found


def test_views_require_predicates_one_way():
    views = [
        p for app in APPS for p in (ROOT / app).rglob("*.py") if "views" in p.parts or p.name == "views.py"
    ]
    assert len(views) > 20, "the scan no longer finds the views"
    assert [hit for path in views for hit in _hand_written_refusals(path)] == []


def test_the_scan_finds_a_hand_written_refusal(tmp_path):
    view = tmp_path / "views.py"
    view.write_text(
        "def v(request):\n    if request.method == 'POST':\n        raise PermissionDenied('no')\n"
    )
    assert _hand_written_refusals(view, tmp_path) == ["views.py:3 raise PermissionDenied('no')"]
