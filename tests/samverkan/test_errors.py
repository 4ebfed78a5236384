"""One error family and one view helper: every refusal class in the project derives from
samverkan.errors.ApplicationError and is shown by samverkan.http with its Swedish message; a refused action
changes nothing."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import time_machine
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from reports.models import QuarterlyReport
from samverkan.enums import Role
from samverkan.errors import ApplicationError
from samverkan.http import refused, show_refusal
from samverkan.models import Notification
from tests.factories.reports import at
from tests.factories.samverkan import AgreementFactory, person_with_role

OUR_APPS = ("samverkan", "applications", "governance", "budget", "followup", "reports")
# Not imported: migrations (no error classes) and the server entry points (they build an application).
SKIPPED = (".migrations", "samverkan.wsgi", "samverkan.asgi")

MESSAGE = "Det går inte just nu – försök igen senare."

# The refusal classes there were before the family; they must stay in it under their names.
KNOWN = {
    "applications.services.proposals.TransitionRefused",
    "applications.services.proposals.StaleProposal",
    "governance.services.voting.VotingError",
    "governance.services.decisions.DecisionError",
    "governance.services.documents.DocumentError",
    "budget.services.application.AmountError",
    "reports.services.reports.ReportError",
}


def _import_every_module() -> None:
    for name in OUR_APPS:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if module.name.endswith("__main__") or any(part in module.name for part in SKIPPED):
                continue
            importlib.import_module(module.name)


def _family(cls=ApplicationError) -> list[type[ApplicationError]]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_family(sub))
    return found


_import_every_module()
FAMILY = sorted(set(_family()), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _shown(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


class _Form(forms.Form):
    quarter = forms.CharField()


def test_every_known_refusal_class_belongs_to_the_family():
    assert {_name(cls) for cls in FAMILY} >= KNOWN


@pytest.mark.parametrize("cls", FAMILY, ids=_name)
def test_every_refusal_is_shown_by_the_one_helper(cls):
    request = _request()

    with refused(request) as outcome:
        raise cls(MESSAGE)

    assert isinstance(outcome.error, cls)
    assert _shown(request) == [("error", MESSAGE)]


@pytest.mark.parametrize("cls", FAMILY, ids=_name)
def test_every_refusal_goes_above_a_form_when_there_is_one(cls):
    form = _Form(data={"quarter": "2026-3"})
    form.full_clean()
    request = _request()

    with refused(request, form=form):
        raise cls(MESSAGE)

    assert form.non_field_errors() == [MESSAGE]
    assert _shown(request) == []


def test_field_errors_go_next_to_their_field_and_unknown_fields_above_the_form():
    form = _Form(data={"quarter": "2026-3"})
    form.full_clean()
    error = ApplicationError(field_errors={"quarter": "Kvartalet är inte slut.", "year": ["Fel år."]})

    show_refusal(_request(), error, form=form)

    assert form.errors["quarter"] == ["Kvartalet är inte slut."]
    assert form.non_field_errors() == ["Fel år."]
    assert str(error) == "Kvartalet är inte slut. Fel år."


def test_the_helper_lets_other_errors_through():
    request = _request()
    with pytest.raises(KeyError), refused(request):
        raise KeyError("a bug is not a refusal")
    assert _shown(request) == []


def test_a_stale_click_keeps_its_swedish_message():
    from applications.services import StaleProposal

    request = _request()
    with refused(request):
        raise StaleProposal
    assert _shown(request) == [("error", "Ärendet har ändrats av någon annan – ladda om sidan.")]


def test_a_refused_report_order_shows_the_swedish_message_and_changes_nothing(client, db):
    agreement = AgreementFactory()
    leader = person_with_role(agreement, Role.PROCESS_LEADER)
    client.force_login(leader)

    with time_machine.travel(at(2026, 8, 10), tick=False):
        response = client.post(
            reverse("reports:report_order"), {"agreement": agreement.pk, "quarter": "2026-3"}
        )

    assert response.status_code == 400
    assert "Kvartal 3 2026 är inte slut ännu – rapporten kan tas fram från och med 2026-10-01." in (
        response.content.decode()
    )
    assert not QuarterlyReport.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []
