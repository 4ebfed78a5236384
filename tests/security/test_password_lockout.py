"""Every form where a person types their password counts towards the one login lockout (django-axes): the
signing form and the password change are no way round it. A wrong password on any of them is a failed
login; once locked, every one of them – and the login – refuses even the right password, in Swedish.

The class test at the end finds every form with a password field in our apps and every password check in
the source, so that a new one cannot be added without being covered here."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.urls import reverse

from applications.enums import ProposalState
from governance import services
from governance.enums import DecisionKind, MeetingKind
from governance.models import DocumentSignature
from governance.services.documents import document_generate
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, signatory, started, steering_member
from tests.factories.samverkan import PASSWORD, AgreementFactory, UniversityFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ["samverkan", "applications", "governance", "budget", "followup", "reports"]
WRONG = "fel-losenord"
LOCKED_LOGIN = "Inloggningen är tillfälligt spärrad"
LOCKED_FORM = "För många felaktiga lösenord. Av säkerhetsskäl är kontot spärrat i 30 minuter"
NEW_PASSWORD = "ett-helt-nytt-langt-losenord-2026"


@dataclass
class Place:
    """A form where a password is typed: how to send it, and whether the right one got through."""

    name: str
    send: object  # (client, password) -> response
    succeeded: object  # (response) -> bool
    wrong_message: str


@pytest.fixture
def rektor(signing_keys_for_university):
    return signing_keys_for_university["rektor"]


@pytest.fixture
def signing_keys_for_university(request):
    university = UniversityFactory(name="Mälardalens universitet", short_name="MDU", diarium_prefix="MDU")
    agreement = AgreementFactory(university=university)
    rektor = signatory(agreement, title="Rektor")
    chair = steering_member(agreement)
    request.getfixturevalue("signing_keys")  # after the organisations exist: one key each
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    proposal.anchoring_organisation = agreement.municipalities.get()
    proposal.save()
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, chair=chair, starts_at=started())
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    decision = services.decision_by_acclamation(
        item=item, by=chair, kind=DecisionKind.GRANT, text="Styrgruppen beviljar.", amounts={2027: 100_000}
    )
    return {"rektor": rektor, "document": document_generate(decision.pk)}


def _places(world) -> dict[str, Place]:
    rektor, document = world["rektor"], world["document"]
    return {
        "login": Place(
            "login",
            lambda client, password: client.post(
                reverse("login"), {"username": rektor.email, "password": password}
            ),
            lambda response: response.status_code == 302,
            "Fel e-postadress eller lösenord",
        ),
        "sign": Place(
            "sign",
            lambda client, password: client.post(
                reverse("governance:document_sign", args=[document.pk]),
                {"confirm": "on", "password": password},
            ),
            lambda response: DocumentSignature.objects.filter(copy__document=document).exists(),
            "Fel lösenord – inget har signerats.",
        ),
        "password_change": Place(
            "password_change",
            lambda client, password: client.post(
                reverse("password_change"),
                {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            ),
            lambda response: response.status_code == 302,
            "Ditt gamla lösenord var felaktigt ifyllt",
        ),
    }


PLACES = ["login", "sign", "password_change"]


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _login_refused_with_the_right_password(user) -> bool:
    response = Client().post(reverse("login"), {"username": user.email, "password": PASSWORD})
    return response.status_code == 429 and LOCKED_LOGIN in response.content.decode()


@pytest.mark.parametrize("name", PLACES)
def test_wrong_passwords_lock_the_form_and_the_login_even_with_the_right_password(
    name, signing_keys_for_university
):
    world = signing_keys_for_university
    rektor = world["rektor"]
    place = _places(world)[name]
    client = Client() if name == "login" else _client_for(rektor)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = place.send(client, WRONG).content.decode()
        assert place.wrong_message in page
    last = place.send(client, WRONG)
    assert last.status_code in (200, 400, 429)
    right = place.send(client, PASSWORD)

    page = right.content.decode()
    assert LOCKED_LOGIN in page if name == "login" else LOCKED_FORM in page
    assert not place.succeeded(right)
    assert _login_refused_with_the_right_password(rektor)
    rektor.refresh_from_db()
    assert rektor.check_password(PASSWORD)  # nothing changed
    assert not DocumentSignature.objects.exists()


@pytest.mark.parametrize("name", PLACES)
def test_below_the_limit_the_right_password_goes_through(name, signing_keys_for_university):
    world = signing_keys_for_university
    place = _places(world)[name]
    client = Client() if name == "login" else _client_for(world["rektor"])
    for _ in range(settings.AXES_FAILURE_LIMIT - 2):
        place.send(client, WRONG)

    assert place.succeeded(place.send(client, PASSWORD))


def test_failures_on_different_forms_add_up(signing_keys_for_university):
    world = signing_keys_for_university
    places = _places(world)
    rektor = world["rektor"]
    browser = _client_for(rektor)
    sequence = ["sign", "password_change", "login", "sign", "password_change"][: settings.AXES_FAILURE_LIMIT]
    for name in sequence:
        places[name].send(Client() if name == "login" else browser, WRONG)

    response = places["sign"].send(browser, PASSWORD)
    assert LOCKED_FORM in response.content.decode()
    assert not DocumentSignature.objects.exists()
    assert _login_refused_with_the_right_password(rektor)


def test_a_lockout_from_the_login_form_also_refuses_signing(signing_keys_for_university):
    world = signing_keys_for_university
    browser = _client_for(world["rektor"])  # an open session, e.g. on a shared computer
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _places(world)["login"].send(Client(), WRONG)

    response = _places(world)["sign"].send(browser, PASSWORD)

    assert response.status_code == 400
    assert LOCKED_FORM in response.content.decode()
    assert not DocumentSignature.objects.exists()


# --- the class: every password field and every password check is covered ------------------------------------


def _our_form_classes() -> set[type]:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "forms" in module.name.rpartition(".")[2] or module.name.endswith(".views"):
                importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.partition(".")[0] in APPS:
            found.add(cls)
    return found


def test_every_form_with_a_password_field_is_covered_by_the_lockout_tests():
    from governance.forms_documents import SignForm
    from samverkan.forms import EmailAuthenticationForm, GuardedPasswordChangeForm

    with_password = {
        cls
        for cls in _our_form_classes()
        if any(isinstance(field.widget, forms.PasswordInput) for field in cls.base_fields.values())
    }
    covered = {EmailAuthenticationForm, SignForm, GuardedPasswordChangeForm}  # PLACES, in that order

    assert with_password == covered


def test_the_password_change_url_uses_the_guarded_form():
    from django.urls import resolve

    from samverkan.forms import GuardedPasswordChangeForm

    view = resolve(reverse("password_change")).func.view_class
    assert view.form_class is GuardedPasswordChangeForm


def test_the_admins_password_change_uses_the_guarded_form():
    """Django's admin has its own "change my password" page; our site replaces it (samverkan.admin_site)."""
    from django.urls import resolve

    view = resolve(reverse("admin:password_change")).func
    assert view.__qualname__ == "SamverkanAdminSite.password_change"


def test_wrong_passwords_on_the_admins_password_change_lock_the_login():
    from tests.factories.samverkan import UserFactory

    staff = UserFactory(email="admin@example.se", is_staff=True, is_superuser=True)
    client = _client_for(staff)
    url = reverse("admin:password_change")
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"old_password": WRONG, **data})

    response = client.post(url, {"old_password": PASSWORD, **data})

    assert response.status_code == 200
    assert LOCKED_FORM in response.content.decode()
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    assert _login_refused_with_the_right_password(staff)


def test_passwords_are_checked_only_under_the_lockout():
    """A `check_password` call outside samverkan.security would be a password guesser. The signing service
    checks again, but only after SignForm checked under the lockout (and its other callers are tests)."""
    allowed = {"samverkan/security.py", "governance/services/documents.py"}
    calls = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "check_password":
                    calls.append(str(path.relative_to(ROOT)))
    assert set(calls) == allowed
