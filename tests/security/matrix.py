"""The machinery behind the permission matrix (tests/security/test_permission_matrix.py).

Every URL pattern of the URLconf is listed, its path parameters are filled with objects of the demo world,
and each is requested as every role plus anonymous, with GET and with an empty POST. Each request runs in a
transaction that is rolled back, so one request cannot change what the next one sees; before the rollback,
a refused POST is checked to have changed nothing (row counts, states, modification times).

Statuses are written as tokens: 200, 302 (redirect elsewhere), L (redirect to the login page),
A (redirect to the admin's login page), 400, 403, 404, 405, E (the view raised an exception).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samverkan.demo import ADMIN_EMAIL

# Who asks: a key per role as the matrix calls it, and the demo person who holds it (None: anonymous).
ROLES: dict[str, str | None] = {
    "anon": None,
    "admin": ADMIN_EMAIL,  # systemförvaltare (staff, superuser)
    "forskare": "maria.nilsson@mdu.example",  # team member of the proposals used below
    "forskare2": "ahmed.hassan@mdu.example",  # a researcher outside those proposals
    "tjp": "lena.karlsson@eskilstuna.example",  # tjänsteperson, Eskilstuna
    "pl": "anna.lindqvist@mdu.example",  # processledare, universitetet
    "pl_kommun": "erik.johansson@eskilstuna.example",  # processledare, Eskilstuna
    "komm": "sara.holm@mdu.example",  # kommunikatör
    "bered": "karin.sjoberg@mdu.example",  # beredningsledamot
    "styr": "helena.wik@mdu.example",  # styrgruppsledamot (prorektor)
    "fir": "paul.pettersson@mdu.example",  # firmatecknare, rektor
    # firmatecknare, kommundirektör Eskilstuna – and its ersättare in the styrgrupp (she sees its meetings)
    "fir_kommun": "ingrid.falk@eskilstuna.example",
}
# Django's admin lets in staff and nobody else (AdminSite.has_permission: is_active and is_staff), so one
# non-staff role stands for all of them there; admin:index is still asked by every role.
ADMIN_ROLES = ("anon", "forskare", "admin")
METHODS = ("GET", "POST")
REFUSED = {"L", "A", "400", "403", "404", "405"}

# Tables that change with every request whatever the outcome, or that only record the attempt.
UNWATCHED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}


class Unfillable(AssertionError):
    """A path parameter the matrix does not know how to fill."""


@dataclass
class Endpoint:
    name: str  # "namespace:name"
    route: str  # the pattern, e.g. "arenden/<int:pk>/"
    kwargs: tuple[str, ...]


@dataclass
class Result:
    statuses: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (name, role, method) -> token
    changed: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # key -> what changed
    errors: dict[tuple[str, str, str], str] = field(default_factory=dict)
    unfillable: dict[str, str] = field(default_factory=dict)  # name -> what to add
    csp: dict[str, list[str]] = field(default_factory=dict)  # name -> inline code the CSP blocks


def endpoints() -> list[Endpoint]:
    found: list[Endpoint] = []

    def walk(patterns, prefix: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                if not p.name and prefix.startswith("admin/"):
                    continue  # the admin's own unnamed redirects (…/<id>/ → …/<id>/change/)
                if not p.name:
                    raise AssertionError(f"URL pattern {prefix}{p.pattern} has no name: name it")
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.append(Endpoint(name, prefix + str(p.pattern), tuple(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "", "")
    return found


# --- The demo world and its objects ---------------------------------------------------------------------


class World:
    """The demo world plus the few rows it lacks (an attachment), and the objects URLs are filled with."""

    def __init__(self):
        from applications.models import Attachment, Proposal, ProposalTemplate
        from applications.services.attachments import attachment_add
        from governance.models import DecisionDocument, Meeting
        from samverkan.models import Agreement, User

        self.users = {role: User.objects.get(email=email) for role, email in ROLES.items() if email}
        maria = self.users["forskare"]
        # The researcher's application being written: editable by its team, not yet seen by governance.
        self.proposal = Proposal.objects.get(state="application", title__startswith="Fysisk aktivitet")
        if not Attachment.objects.filter(proposal=self.proposal).exists():
            attachment_add(
                proposal=self.proposal,
                by=maria,
                uploaded_file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%matrix\n%%EOF\n"),
            )
        self.attachment = Attachment.objects.filter(proposal=self.proposal).first()
        self.granted_proposal = Proposal.objects.filter(state="granted").first()
        self.template = ProposalTemplate.objects.order_by("pk").first()
        self.agreement = Agreement.objects.get()
        # The coming steering-group meeting (invited) and one of its items.
        self.meeting = Meeting.objects.filter(status="invited").order_by("starts_at").first()
        self.item = self.meeting.items.order_by("pk").first()
        # A meeting with approved minutes.
        self.minutes_meeting = Meeting.objects.filter(status="approved").order_by("starts_at").first()
        self.document = DecisionDocument.objects.order_by("pk").first()
        self.copy = self.document.copies.order_by("pk").first()
        self.uid = urlsafe_base64_encode(force_bytes(maria.pk))
        self._report_attachment(maria)

    @staticmethod
    def _report_attachment(by):
        """The demo's follow-up reports carry no attachment; give the first one a PDF."""
        try:
            report = apps.get_model("followup.FollowUpReport")._default_manager.order_by("pk").first()
        except LookupError:
            return
        if report is None or report.attachments.exists():
            return
        content = b"%PDF-1.4\n%matrix\n%%EOF\n"
        report.attachments.create(
            file=SimpleUploadedFile("bilaga.pdf", content),
            original_name="bilaga.pdf",
            content_type="application/pdf",
            size=len(content),
            uploaded_by=by,
        )


def first(label: str, **filters):
    """The first row (by pk) of a model given as "app.Model", or Unfillable saying it is missing."""
    try:
        model = apps.get_model(label)
    except LookupError as exc:
        raise Unfillable(f"model {label} does not exist") from exc
    obj = model._default_manager.filter(**filters).order_by("pk").first()
    if obj is None:
        raise Unfillable(f"the demo world has no {label} {filters or ''} – add one in World or the demo")
    return obj


def running_project(w: World):
    """A granted project that is running (economy, follow-up, public catalogue)."""
    return first("applications.Proposal", state="active", title__startswith="Energieffektiva")


# The object a route's <pk> means, by the route's longest matching beginning.
PK_BY_ROUTE_PREFIX = {
    "arenden/": lambda w: w.proposal.pk,
    "mallar/": lambda w: w.template.pk,
    "moten/": lambda w: w.meeting.pk,
    "dokument/": lambda w: w.document.pk,
    "avtal/": lambda w: w.agreement.pk,
    "ekonomi/projekt/": lambda w: running_project(w).pk,
    "ekonomi/": lambda w: w.agreement.pk,
    "verksamhetsplaner/": lambda w: first("budget.ActivityPlan").pk,
    "uppfoljning/arende/": lambda w: running_project(w).pk,
    "uppfoljning/rapport/": lambda w: first("followup.FollowUpReport").pk,
    "resultatspridning/": lambda w: first("followup.DisseminationEvent").pk,
    "effektmal/avtal/": lambda w: w.agreement.pk,
    "effektmal/": lambda w: first("followup.EffectGoal").pk,
    "rapporter/publicering/": lambda w: running_project(w).pk,
    "rapporter/": lambda w: first("reports.QuarterlyReport").pk,
    "kommunikationsplaner/": lambda w: first("reports.CommunicationPlan").pk,
    "katalog/projekt/": lambda w: running_project(w).pk,
    "katalog/mallar/": lambda w: w.template.pk,
    "katalog/handelser/": lambda w: first("followup.DisseminationEvent").pk,
}


def _attachment_pk(w: World, e: Endpoint) -> int:
    if e.route.startswith("uppfoljning/"):
        return first("followup.ReportAttachment", report=PK_BY_ROUTE_PREFIX["uppfoljning/rapport/"](w)).pk
    return w.attachment.pk


def _year(w: World, e: Endpoint) -> int:
    frame = apps.get_model("budget.BudgetFrame")._default_manager.order_by("year").last()
    return frame.year if frame else 2026


# Other path parameters, by name.
KWARG_FILLERS = {
    "item_pk": lambda w, e: w.item.pk,
    "attachment_pk": _attachment_pk,
    "copy_pk": lambda w, e: w.copy.pk,
    "uidb64": lambda w, e: w.uid,
    "token": lambda w, e: "ogiltig-lank",
    "name": lambda w, e: "submit",
    "year": _year,
    "activity_pk": lambda w, e: (
        first("budget.PlanActivity", plan=PK_BY_ROUTE_PREFIX["verksamhetsplaner/"](w)).pk
    ),
    "where": lambda w, e: "styrgrupp",
    "uid": lambda w, e: first("followup.DisseminationEvent").uid,
    "agreement_pk": lambda w, e: w.agreement.pk,
    "key": lambda w, e: "projektkatalog",
    "fmt": lambda w, e: "csv",
}
# POST data for actions whose view validates the form before it asks for permission: with an empty POST
# everyone would only get "fill in the form"; with valid data the permission check answers.
POST_DATA = {
    "followup:end_date": lambda w: {"end": "2031-06-30"},
    "reports:plan_edit": lambda w: {"action": "submit"},
}
# Whole-URL overrides where the default object is not the interesting one.
KWARGS_FOR = {
    "governance:minutes_detail": lambda w: {"pk": w.minutes_meeting.pk},
    "governance:minutes_pdf": lambda w: {"pk": w.minutes_meeting.pk},
    "governance:minutes_status": lambda w: {"pk": w.minutes_meeting.pk},
    # A verification result is found only by its random token: a made-up one finds nothing.
    "governance:verify_result": lambda w: {"token": uuid.uuid4()},
}


def _admin_kwargs(world: World, endpoint: Endpoint) -> dict:
    """Admin URLs (admin/<app>/<model>/…): the first row of that model, or a pk that does not exist."""
    parts = endpoint.route.split("/")
    model = None
    if len(parts) > 3:
        try:
            model = apps.get_model(parts[1], parts[2])
        except (LookupError, ValueError):
            model = None
    obj = model._default_manager.order_by("pk").first() if model else None
    object_id = str(obj.pk) if obj else "999999"
    values = {
        "object_id": object_id,
        "object_pk": object_id,
        "id": str(world.users["forskare"].pk),  # the admin's "set password" page
        "user_id": str(world.users["forskare"].pk),
        "group_id": "999999",
        "app_label": "samverkan",
    }
    if "content_type_id" in endpoint.kwargs:
        from django.contrib.contenttypes.models import ContentType

        values["content_type_id"] = str(ContentType.objects.get_for_model(type(world.agreement)).pk)
        values["object_id"] = str(world.agreement.pk)
    return {kwarg: values[kwarg] for kwarg in endpoint.kwargs}


def url_for(world: World, endpoint: Endpoint) -> str:
    try:
        return _url_for(world, endpoint)
    except Unfillable as exc:
        raise Unfillable(f"{endpoint.name}: {exc}") from exc


def _url_for(world: World, endpoint: Endpoint) -> str:
    if endpoint.name in KWARGS_FOR:
        return reverse(endpoint.name, kwargs=KWARGS_FOR[endpoint.name](world))
    if endpoint.name.startswith("admin:"):
        return reverse(endpoint.name, kwargs=_admin_kwargs(world, endpoint))
    kwargs = {}
    for kwarg in endpoint.kwargs:
        if kwarg == "pk":
            prefixes = [p for p in PK_BY_ROUTE_PREFIX if endpoint.route.startswith(p)]
            filler = PK_BY_ROUTE_PREFIX[max(prefixes, key=len)] if prefixes else None
            if filler is None:
                raise Unfillable(
                    f"no object for <pk> in {endpoint.route!r} – add its route prefix to "
                    "PK_BY_ROUTE_PREFIX (or the URL to KWARGS_FOR) in tests/security/matrix.py"
                )
            kwargs[kwarg] = filler(world)
        elif kwarg in KWARG_FILLERS:
            kwargs[kwarg] = KWARG_FILLERS[kwarg](world, endpoint)
        else:
            raise Unfillable(
                f"no value for <{kwarg}> – add it to KWARG_FILLERS or KWARGS_FOR in tests/security/matrix.py"
            )
    return reverse(endpoint.name, kwargs=kwargs)


# --- Did anything change? ---------------------------------------------------------------------------------


def _watched_fields(model) -> list[str]:
    names = []
    for f in model._meta.concrete_fields:
        is_state = f.name in {"state", "status"} or type(f).__name__ == "FSMField"
        is_modified = isinstance(f, models.DateTimeField | models.DateField) and (
            getattr(f, "auto_now", False) or f.name in {"updated_at", "modified_at", "changed_at"}
        )
        if is_state or is_modified:
            names.append(f.attname)
    return names


def fingerprint() -> dict[str, tuple]:
    """Row count of every table, plus every row's state/status and modification time."""
    result = {}
    for model in apps.get_models():
        if model._meta.db_table in UNWATCHED_TABLES or model._meta.proxy or not model._meta.managed:
            continue
        manager = model._base_manager
        watched = _watched_fields(model)
        rows = tuple(manager.order_by("pk").values_list("pk", *watched)) if watched else manager.count()
        result[model._meta.label] = rows
    return result


def differences(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)


class WriteRecorder:
    """Notes every table a request writes to (connection.execute_wrapper)."""

    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(1) not in UNWATCHED_TABLES:
            self.tables.add(match.group(1))
        return execute(sql, params, many, context)


# --- What the Content-Security-Policy would block ----------------------------------------------------------

INLINE_CODE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)),
    ("on*= handler", re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)),
    ('style="…" attribute', re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)),
    ("<style> element", re.compile(r"<style\b", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)),
]


def inline_code(html: str) -> list[str]:
    return [f"{label}: {m.group(0)[:80]}" for label, pattern in INLINE_CODE for m in pattern.finditer(html)]


# --- Running the matrix -----------------------------------------------------------------------------------


def _token(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        if location.startswith(reverse("admin:login")):
            return "A"
        if location.startswith(reverse("login")):
            return "L"
        return "302"
    return str(status)


def load_world() -> World:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return World()


def roles_for(name: str) -> tuple[str, ...]:
    if name.startswith("admin:") and name != "admin:index":
        return ADMIN_ROLES
    return tuple(ROLES)


def run(world: World, only: set[str] | None = None) -> Result:
    result = Result()
    clients: dict[str, Client] = {}
    for number, role in enumerate(ROLES, start=1):
        # Each person from an address of their own, as at work: the public pages limit uploads per address.
        client = Client(raise_request_exception=True, REMOTE_ADDR=f"192.0.2.{number}")
        if role != "anon":
            client.force_login(world.users[role])
        clients[role] = client
    baseline = fingerprint()
    for endpoint in endpoints():
        if only is not None and endpoint.name not in only:
            continue
        try:
            url = url_for(world, endpoint)
        except Unfillable as exc:
            result.unfillable[endpoint.name] = str(exc)
            continue
        for role in roles_for(endpoint.name):
            client = clients[role]
            for method in METHODS:
                cookies = SimpleCookie()
                cookies.load(client.cookies.output(header="", sep=";"))
                key = (endpoint.name, role, method)
                writes = WriteRecorder()
                with transaction.atomic():
                    try:
                        with connection.execute_wrapper(writes):
                            data = POST_DATA[endpoint.name](world) if endpoint.name in POST_DATA else {}
                            response = client.get(url) if method == "GET" else client.post(url, data)
                        token = _token(response)
                    except Exception as exc:  # a 500: recorded and shown, never hidden
                        token = "E"
                        result.errors[key] = f"{type(exc).__name__}: {exc}"
                    result.statuses[key] = token
                    # A refused request must not write at all; if it did, say what it changed. (No write
                    # means the fingerprint is the baseline's, so it is only computed when needed.)
                    if token in REFUSED and writes.tables:
                        changed = differences(baseline, fingerprint())
                        result.changed[(endpoint.name, role, method)] = changed or [
                            f"wrote (same values) to {', '.join(sorted(writes.tables))}"
                        ]
                    elif (
                        token == "200"
                        and not endpoint.name.startswith("admin:")  # guardian: an empty <style>, harmless
                        and response.get("Content-Type", "").startswith("text/html")
                    ):
                        found = inline_code(response.content.decode())
                        if found:
                            result.csp[endpoint.name] = found
                    transaction.set_rollback(True)
                client.cookies = cookies  # a logout or language switch must not leak into the next request
    return result


def compact(result: Result, names: list[str]) -> str:
    """The observed table in the test's notation (used to write and review the expectations)."""
    lines = []
    for name in names:
        if (name, "anon", "GET") not in result.statuses:
            continue
        cells = {
            role: f"{result.statuses[(name, role, 'GET')]} {result.statuses[(name, role, 'POST')]}"
            for role in roles_for(name)
        }
        counts: dict[str, int] = {}
        for cell in cells.values():
            counts[cell] = counts.get(cell, 0) + 1
        default = max(counts, key=lambda c: (counts[c], c))
        overrides = ", ".join(f'"{role}": "{cell}"' for role, cell in cells.items() if cell != default)
        lines.append(f'    "{name}": {{"*": "{default}"' + (f", {overrides}" if overrides else "") + "},")
    return "\n".join(lines)
