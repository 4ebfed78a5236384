"""Durable jobs (samverkan/jobs.py): every task sent through `enqueue` is a registered job kind, and the one
sweep does the lost work of every registered kind – so a new kind is covered as soon as it registers, and
cannot be forgotten: `enqueue` refuses an unregistered task, the source scan below finds every call, and
the sweep test needs pending work for every registered kind."""

from __future__ import annotations

import ast
import datetime
import importlib
import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from applications.enums import ProposalState
from governance import services as governance_services
from governance.enums import DecisionKind, MeetingKind
from governance.models import DecisionDocument, Minutes, VerificationRequest
from reports.models import QuarterlyReport
from reports.periods import Quarter
from reports.services import report_request
from samverkan import jobs
from samverkan.models import Notification
from samverkan.notifications import notify
from samverkan.tasks import ping, requeue_pending_jobs
from tests.factories.applications import ProposalFactory
from tests.factories.governance import AgendaItemFactory, MeetingFactory, started, steering_member
from tests.factories.samverkan import AgreementFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
APPS = ["samverkan", "applications", "governance", "budget", "followup", "reports"]
ENQUEUERS = {"enqueue", "enqueue_on_commit"}


# --- every task given to enqueue is a registered job kind --------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve_name(path: Path, tree: ast.Module, name: str):
    """The object a name stands for in the module: imported anywhere in it (also inside a function, as
    tasks are to avoid import cycles), or defined at its top level."""
    module_name = _module_name(path)
    package = module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) == name:
                    source = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
                    module = importlib.import_module(source)
                    if hasattr(module, alias.name):
                        return getattr(module, alias.name)
                    return importlib.import_module(f"{source}.{alias.name}")
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (alias.asname or alias.name.partition(".")[0]) == name:
                    return importlib.import_module(alias.name if alias.asname else name)
    return getattr(importlib.import_module(module_name), name)


def _resolve(path: Path, tree: ast.Module, node: ast.expr):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return jobs.task_of(node.value)  # a job kind by name (ImproperlyConfigured if none is registered)
    if isinstance(node, ast.Name):
        return _resolve_name(path, tree, node.id)
    if isinstance(node, ast.Attribute):
        return getattr(_resolve(path, tree, node.value), node.attr)
    raise AssertionError(f"{path.relative_to(ROOT)}:{node.lineno}: pass the task by name to enqueue")


def _enqueued_tasks() -> list[tuple[str, object]]:
    """(where, task) for every call of enqueue/enqueue_on_commit in the apps' source."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "samverkan" / "jobs.py":
                continue  # jobs.py passes on the task it was given
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called in ENQUEUERS:
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.append((where, _resolve(path, tree, node.args[0])))
    return found


def test_every_task_passed_to_enqueue_is_a_registered_job_kind():
    enqueued = _enqueued_tasks()

    assert len(enqueued) >= 4, "the scan no longer finds the enqueue calls"
    unregistered = [f"{where} {task.name}" for where, task in enqueued if not jobs.is_job_kind(task)]
    assert unregistered == []


def test_every_durable_task_of_the_apps_is_found_by_the_scan():
    """The scan above is what keeps the registry complete: it must see the known kinds' call sites."""
    scanned = {task.name for _where, task in _enqueued_tasks()}
    assert {kind.task.name for kind in jobs.job_kinds()} <= scanned


def test_enqueue_refuses_a_task_that_is_not_a_job_kind(db):
    with pytest.raises(ImproperlyConfigured, match=r"samverkan\.ping is not a registered job kind"):
        jobs.enqueue(ping, "x")


def test_enqueue_on_commit_refuses_at_once_not_after_commit(db):
    with transaction.atomic(), pytest.raises(ImproperlyConfigured, match="register_job_kind"):
        jobs.enqueue_on_commit(ping, "x")


def test_every_registered_job_kind_is_made_by_the_one_durable_job_decorator():
    not_durable = [kind.name for kind in jobs.job_kinds() if not isinstance(kind.task, jobs.DurableTask)]
    assert not_durable == []


def test_a_task_not_made_by_durable_job_cannot_be_a_job_kind():
    with pytest.raises(ImproperlyConfigured, match="durable_job"):
        jobs.register_job_kind("pings", task=ping, pending=lambda older_than: [])


def test_a_task_cannot_be_two_job_kinds():
    kind = jobs.job_kinds()[0]
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        jobs.register_job_kind("another_name", task=kind.task, pending=kind.pending)


# --- the sweep does the lost work of every registered kind -------------------------------------------------
# Each maker records work the way its service does; the job is queued on commit, which a non-transactional
# test never reaches – exactly a job lost while the broker was down. Returns the id the kind's job takes.


def _decision_document() -> int:
    agreement = AgreementFactory()
    chair = steering_member(agreement)
    meeting = MeetingFactory(agreement=agreement, kind=MeetingKind.STEERING, chair=chair, starts_at=started())
    proposal = ProposalFactory(agreement=agreement, state=ProposalState.AWAITING_DECISION)
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    decision = governance_services.decision_by_acclamation(
        item=item, by=chair, kind=DecisionKind.GRANT, text="Styrgruppen beviljar.", amounts={2026: 250_000}
    )
    return decision.pk


def _minutes_pdf() -> int:
    meeting = MeetingFactory(agreement=AgreementFactory())
    minutes = Minutes.objects.create(
        meeting=meeting, text="Protokoll", approved_at=timezone.now(), pdf_status="queued"
    )
    return minutes.pk


def _verification() -> int:
    import io

    from pypdf import PdfWriter

    from governance.services.verification import verification_request_create

    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(pdf)
    return verification_request_create(data=pdf.getvalue()).pk


def _quarterly_report() -> int:
    report, started = report_request(agreement=AgreementFactory(), quarter=Quarter(2026, 2), by=None)
    assert started
    return report.pk


def _notification_mail() -> int:
    proposal = ProposalFactory()
    [notification] = notify("proposal_team_added", to=[UserFactory()], context={"proposal": proposal})
    return notification.pk


PENDING_WORK = {
    "decision_documents": _decision_document,
    "minutes_pdfs": _minutes_pdf,
    "notification_mails": _notification_mail,
    "quarterly_reports": _quarterly_report,
    "verifications": _verification,
}


def test_every_registered_job_kind_has_pending_work_for_the_sweep_test():
    """A new job kind (registered with samverkan.jobs.register_job_kind) adds its maker to PENDING_WORK."""
    assert {kind.name for kind in jobs.job_kinds()} == set(PENDING_WORK)


def _kind(name: str) -> jobs.JobKind:
    return next(kind for kind in jobs.job_kinds() if kind.name == name)


def _still_pending(kind: jobs.JobKind) -> list[int]:
    return list(kind.pending(timezone.now() + datetime.timedelta(days=1)))


@pytest.mark.parametrize("name", sorted(PENDING_WORK))
@pytest.mark.django_db
def test_the_sweep_does_the_lost_work_of_each_job_kind(name, time_machine):
    kind = _kind(name)
    pk = PENDING_WORK[name]()
    assert _still_pending(kind) == [pk]
    nothing = {k.name: 0 for k in jobs.job_kinds()}
    # The maker's service may also have told people (decision → mails): those mails were lost the same way.
    mails = len(_still_pending(_kind("notification_mails")))
    expected = {**nothing, "notification_mails": mails, name: 1}

    # Fresh work is left to its own job for five minutes …
    assert requeue_pending_jobs.apply().get() == nothing
    assert _still_pending(kind) == [pk]

    # … then the sweep queues it once (the job runs, eagerly here), and a second sweep finds nothing.
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))
    assert requeue_pending_jobs.apply().get() == expected
    assert _still_pending(kind) == []
    assert requeue_pending_jobs.apply().get() == nothing


@pytest.mark.django_db
def test_the_sweep_under_its_old_name_still_sweeps(time_machine):
    pk = _minutes_pdf()
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=6))

    from samverkan.celery import app

    queued = app.tasks["governance.requeue_pending_jobs"].apply().get()

    assert queued["minutes_pdfs"] == 1
    assert pk not in _still_pending(_kind("minutes_pdfs"))


def test_beat_runs_the_one_sweep(settings):
    from samverkan.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["requeue-pending-jobs"]
    assert entry["task"] == requeue_pending_jobs.name == "samverkan.requeue_pending_jobs"
    assert entry["task"] in app.tasks


# --- a job that keeps failing ends in its object's recorded failed state ----------------------------------
# Per kind: what its job calls that can fail, and the (status, message) its object shows afterwards.


def _fields(model, key: str, status: str, message: str):
    """(status, message) of the object the job of id pk works on."""
    return lambda pk: model.objects.filter(**{key: pk}).values_list(status, message).get()


FAILURES = {
    "decision_documents": (
        "governance.services.documents.render_pdf",
        _fields(DecisionDocument, "decision_id", "status", "error"),
        ("failed", "Dokumentet kunde inte skapas: [Errno 28] No space left on device"),
    ),
    "minutes_pdfs": (
        "governance.pdf.render_pdf",
        _fields(Minutes, "pk", "pdf_status", "pdf_error"),
        ("failed", "PDF:en kunde inte skapas ([Errno 28] No space left on device)"),
    ),
    "notification_mails": (
        "samverkan.notifications.notification_mail_send",
        _fields(Notification, "pk", "mail_status", "mail_last_error"),
        ("failed", "No space left on device"),
    ),
    "quarterly_reports": (
        "governance.pdf.render_pdf",
        _fields(QuarterlyReport, "pk", "status", "error"),
        ("failed", "Rapporten kunde inte skapas: [Errno 28] No space left on device"),
    ),
    "verifications": (
        "governance.services.verification.verify",
        _fields(VerificationRequest, "pk", "verdict", "message"),
        ("refused", "Filen kunde inte kontrolleras"),
    ),
}


def test_every_registered_job_kind_has_a_failure_for_the_give_up_test():
    """A new job kind adds to FAILURES what its job calls and the failed state its object records."""
    assert {kind.name for kind in jobs.job_kinds()} == set(FAILURES)


@pytest.mark.parametrize("name", sorted(FAILURES))
@pytest.mark.django_db
def test_a_job_that_keeps_failing_records_the_failure_on_its_object_after_its_retries(name, monkeypatch):
    from samverkan.celery import app

    kind = _kind(name)
    pk = PENDING_WORK[name]()
    target, state, (failed_status, message) = FAILURES[name]
    calls = {"n": 0}

    def broken(*args, **kwargs):
        calls["n"] += 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(target, broken)
    # Let the eagerly applied job retry in-process as a worker would (the test settings propagate errors).
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)

    result = kind.task.apply(args=[pk])

    assert result.get() == jobs.GAVE_UP  # recorded on the object, not raised
    assert calls["n"] == 1 + kind.task.max_retries
    status, error = state(pk)
    assert status == failed_status
    assert message in error
