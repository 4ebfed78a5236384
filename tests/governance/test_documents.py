"""Signed decision documents (governance/services/documents.py): the beslutsunderlag and the
medfinansieringsintyg rendered in two copies, real PAdES signatures by the firmatecknare of each party,
refusals that change nothing, the generation task (idempotent, retried, through a real worker), the
diarium, the proposal's start guard and verification."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from applications.cadence import cadence_description
from applications.enums import ProposalState, WorkForm
from applications.models import Proposal, ProposalTransition
from applications.services import TransitionRefused, proposal_set_project_account, proposal_start
from governance import services, signing
from governance.enums import DecisionKind, DocumentKind, DocumentStatus, MeetingKind
from governance.models import DecisionDocument, DocumentCopy, DocumentSignature
from governance.services import documents
from governance.services.documents import (
    DocumentError,
    copy_register,
    document_generate,
    document_sign,
)
from governance.services.verification import verify
from governance.tasks import generate_decision_documents
from samverkan import jobs
from samverkan.models import Notification
from tests.factories.applications import ProposalFactory, with_goals
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    in_days,
    process_leader,
    signatory,
    steering_member,
)
from tests.factories.samverkan import (
    PASSWORD,
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    UniversityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Energieffektiva bostäder och minskad segregation"
AMOUNTS = {2027: 996_000, 2028: 528_000}
CONDITIONS = "Medlen betalas ut när beslutsunderlaget är undertecknat av båda parter."
GOALS = ["Två renoveringsprojekt följs", "Boendedialoger genomförs i båda områdena"]


# --- the world: a university, a municipality with a municipal company, their firmatecknare -----------------


@dataclass
class World:
    agreement: object
    university: object
    municipality: object
    company: object
    rektor: object
    kommundirektor: object
    bolagschef: object
    uni_leader: object
    muni_leader: object
    chair: object


@pytest.fixture
def world(request) -> World:
    university = UniversityFactory(name="Mälardalens universitet", short_name="MDU", diarium_prefix="MDU")
    municipality = MunicipalityFactory(
        name="Eskilstuna kommun", short_name="Eskilstuna", diarium_prefix="KSKF"
    )
    company = CompanyFactory(
        name="Eskilstuna Energi och Miljö AB", short_name="EEM", diarium_prefix="EEM", parent=municipality
    )
    agreement = AgreementFactory(university=university, municipalities=[municipality])
    w = World(
        agreement=agreement,
        university=university,
        municipality=municipality,
        company=company,
        rektor=signatory(agreement, title="Rektor", user__first_name="Paul", user__last_name="Pettersson"),
        kommundirektor=signatory(
            agreement, municipality, title="Kommundirektör", user__first_name="Ingrid", user__last_name="Falk"
        ),
        bolagschef=signatory(
            agreement, company, title="Kommunbolagschef", user__first_name="Stefan", user__last_name="Lund"
        ),
        uni_leader=process_leader(agreement),
        muni_leader=process_leader(agreement, municipality),
        chair=steering_member(agreement),
    )
    request.getfixturevalue("signing_keys")  # after the organisations exist: one key each
    return w


def decide(w: World, *, party=None, kind=DecisionKind.GRANT, title=TITLE, **proposal_fields):
    """A proposal anchored in `party` (default: the municipality) granted "enligt förslag" at a held
    styrgrupp. Generation is queued after commit, which a non-transactional test never reaches: the tests
    call document_generate themselves."""
    proposal = ProposalFactory(
        agreement=w.agreement, state=ProposalState.AWAITING_DECISION, title=title, **proposal_fields
    )
    proposal.anchoring_organisation = party or w.municipality
    proposal.save()
    with_goals(proposal, "Ett mål ur ansökan")
    # The meeting started yesterday: a decision enligt förslag is taken once it has started, and this one is
    # recorded – so dated – today.
    meeting = MeetingFactory(
        agreement=w.agreement, kind=MeetingKind.STEERING, chair=w.chair, starts_at=in_days(-1, 9)
    )
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    return services.decision_by_acclamation(
        item=item,
        by=w.chair,
        kind=kind,
        text=f"Styrgruppen beviljar ansökan ”{title}”.",
        amounts=AMOUNTS,
        conditions=CONDITIONS,
        activity_goals="\n".join(GOALS),
    )


@pytest.fixture
def decision(world):
    return decide(world)


@pytest.fixture
def document(decision):
    return document_generate(decision.pk)


def pdf_bytes(copy: DocumentCopy) -> bytes:
    copy.refresh_from_db()
    with copy.pdf.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    """The PDF's text on one line: hyphenation at line ends undone, NBSP and runs of spaces normalised."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = text.replace("\u2010\n", "").replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(text.split())


def sign(document, user, password=PASSWORD):
    return document_sign(document=document, by=user, password=password, ip_address="192.0.2.7")


def signed_by_both(w: World, document) -> DecisionDocument:
    sign(document, w.rektor)
    sign(document, w.kommundirektor)
    document.refresh_from_db()
    return document


def copies(document) -> list[DocumentCopy]:
    return list(document.copies.order_by("number"))


def snapshot(document) -> tuple:
    """Everything a refused signing or registration must leave alone."""
    document.refresh_from_db()
    return (
        document.status,
        sorted(DocumentSignature.objects.values_list("pk", "copy_id", "organisation_id")),
        [
            (c.pk, c.pdf.name, c.current_sha256, hashlib.sha256(pdf_bytes(c)).hexdigest(), c.diarienummer)
            for c in copies(document)
        ],
        Notification.objects.count(),
        len(mail.outbox),
    )


# --- the rendered document ----------------------------------------------------------------------------------


@pytest.mark.parametrize("party", ["municipality", "company"])
def test_generated_document_has_two_copies_with_the_decisions_data(world, party):
    municipal = getattr(world, party)
    decision = decide(world, party=municipal)
    proposal = decision.proposal

    document = document_generate(decision.pk)

    assert document.kind == DocumentKind.DECISION_BASIS
    assert document.status == DocumentStatus.TO_SIGN
    assert [(c.number, c.organisation) for c in copies(document)] == [(1, world.university), (2, municipal)]
    signer = world.kommundirektor if party == "municipality" else world.bolagschef
    other = world.bolagschef if party == "municipality" else world.kommundirektor
    for copy in copies(document):
        data = pdf_bytes(copy)
        assert copy.unsigned_sha256 == copy.current_sha256 == hashlib.sha256(data).hexdigest()
        text = pdf_text(data)
        assert TITLE in text
        assert f"Parter Mälardalens universitet och {municipal.name}" in text
        assert "2027 Samverkansavtalet 996 000 kr" in text
        assert "2028 Samverkansavtalet 528 000 kr" in text
        assert "Totalt 1 524 000 kr" in text
        assert CONDITIONS in text
        assert all(goal in text for goal in GOALS)
        assert cadence_description(proposal) in text
        # The day the decision was taken and its item's § – not the meeting's planned date (issue 16).
        assert f"Styrgrupp {timezone.localdate(decision.decided_at):%Y-%m-%d} § {decision.item.order}" in text
        assert f"Exemplar {copy.number} av 2 – {copy.organisation.name}" in text
        assert document.reference in text
        assert f"SHA-256 {document.content_sha256}" in text
        assert world.rektor.get_full_name() in text and signer.get_full_name() in text
        assert other.get_full_name() not in text
    assert "Exemplar 1 av 2 – Mälardalens universitet" in pdf_text(pdf_bytes(copies(document)[0]))
    assert f"Exemplar 2 av 2 – {municipal.name}" in pdf_text(pdf_bytes(copies(document)[1]))


def test_cofunding_decision_gives_a_medfinansieringsintyg_with_the_main_funder(world):
    decision = decide(
        world,
        kind=DecisionKind.COFUNDING,
        title="Digitala tvillingar för fjärrvärmenätet",
        work_form=WorkForm.CO_FUNDING,
        external_funder="Energimyndigheten",
        external_call="Samverkan för energieffektivisering 2026",
        external_amount=3_200_000,
    )

    document = document_generate(decision.pk)

    assert Proposal.objects.get(pk=decision.proposal_id).state == ProposalState.COFUNDING_APPROVED
    assert document.kind == DocumentKind.COFUNDING_CERTIFICATE
    assert len(copies(document)) == 2
    text = pdf_text(pdf_bytes(copies(document)[1]))
    assert "Intyg om medfinansiering: Digitala tvillingar för fjärrvärmenätet" in text
    assert "Huvudfinansiär Energimyndigheten" in text
    assert "Samverkan för energieffektivisering 2026" in text
    assert "3 200 000 kr" in text and "1 524 000 kr" in text
    assert "Exemplar 2 av 2 – Eskilstuna kommun" in text


def test_grant_decision_queues_the_generation_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(world)

    document = DecisionDocument.objects.get(decision=decision)
    assert document.status == DocumentStatus.TO_SIGN and document.copies.count() == 2


def test_decision_without_a_document_queues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(world, kind=DecisionKind.REJECT)

    assert not DecisionDocument.objects.exists()


# --- signatures ---------------------------------------------------------------------------------------------


def pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout + result.stderr


def test_after_both_signatures_each_copy_carries_two_valid_signatures(world, document, tmp_path):
    assert shutil.which("pdfsig"), "poppler-utils (pdfsig) must be installed"

    document = signed_by_both(world, document)

    assert document.status == DocumentStatus.SIGNED
    for copy in copies(document):
        data = pdf_bytes(copy)
        assert hashlib.sha256(data).hexdigest() == copy.current_sha256
        rows = list(copy.signatures.order_by("signed_at", "pk"))
        assert [(r.signer, r.organisation, r.title) for r in rows] == [
            (world.rektor, world.university, "Rektor"),
            (world.kommundirektor, world.municipality, "Kommundirektör"),
        ]
        assert rows[-1].signed_sha256 == copy.current_sha256
        assert {r.ip_address for r in rows} == {"192.0.2.7"}

        checks = signing.validate(data)
        assert [c.field_name for c in checks] == ["Signatur MDU", "Signatur Eskilstuna"]
        assert all(c.intact and c.valid and c.trusted for c in checks)
        assert [c.covers_whole_file for c in checks] == [False, True]
        assert checks[0].signer_name == "Paul Pettersson" and "Rektor" in checks[0].reason

        report = pdfsig(data, tmp_path)
        signatures = report.split("Signature #")[1:]
        assert len(signatures) == 2, report
        assert all("Signature Validation: Signature is Valid." in s for s in signatures), report
        assert "Total document signed" in signatures[-1], report
        assert "Total document signed" not in signatures[0], report


def test_company_party_is_signed_by_its_kommunbolagschef(world):
    document = document_generate(decide(world, party=world.company).pk)

    sign(document, world.rektor)
    sign(document, world.bolagschef)

    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED
    assert set(DocumentSignature.objects.values_list("signer__email", flat=True)) == {
        world.rektor.email,
        world.bolagschef.email,
    }
    assert all(c.valid for copy in copies(document) for c in signing.validate(pdf_bytes(copy)))


def test_first_signature_leaves_the_document_to_sign_and_tells_the_processledare(world, document):
    sign(document, world.rektor)

    document.refresh_from_db()
    assert document.status == DocumentStatus.TO_SIGN
    assert documents.missing_signatures(document) == [world.municipality]
    assert Notification.objects.filter(user=world.uni_leader, event="document_signed").exists()


def _other_agreements_signatory(world):
    return signatory(AgreementFactory(), title="Rektor")


REFUSALS = {
    # who signs, with which password, the document's state before → the error
    "wrong password": ("rektor", "fel-losenord", DocumentError, "Fel lösenord"),
    "processledare": ("uni_leader", PASSWORD, PermissionDenied, None),
    "unrelated": ("unrelated", PASSWORD, PermissionDenied, None),
    "firmatecknare of another agreement": ("other_agreement", PASSWORD, PermissionDenied, None),
    "kommundirektör when the company signs": ("kommundirektor", PASSWORD, PermissionDenied, None),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_signing_refused_changes_nothing(world, case):
    who, password, error, message = REFUSALS[case]
    document = document_generate(decide(world, party=world.company).pk)
    users = {
        "rektor": world.rektor,
        "uni_leader": world.uni_leader,
        "unrelated": UserFactory(),
        "other_agreement": _other_agreements_signatory(world),
        "kommundirektor": world.kommundirektor,
    }
    before = snapshot(document)

    with pytest.raises(error, match=message):
        sign(document, users[who], password)

    assert snapshot(document) == before


def test_signing_twice_is_refused_and_changes_nothing(world, document):
    sign(document, world.rektor)
    before = snapshot(document)

    with pytest.raises(DocumentError, match="har redan signerat"):
        sign(document, world.rektor)

    assert snapshot(document) == before


def test_signing_a_superseded_document_is_refused_and_changes_nothing(world, document):
    DecisionDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.SUPERSEDED)
    before = snapshot(document)

    with pytest.raises(DocumentError, match="ersatt"):
        sign(document, world.rektor)

    assert snapshot(document) == before


def test_signing_a_fully_signed_document_again_is_refused(world, document):
    signed_by_both(world, document)
    before = snapshot(document)

    with pytest.raises(DocumentError):
        sign(document, world.kommundirektor)

    assert snapshot(document) == before


# --- the generation task ------------------------------------------------------------------------------------


def _files(document):
    return [(c.pk, c.pdf.name, pdf_bytes(c)) for c in copies(document)]


def test_generation_is_idempotent(world, decision):
    first = document_generate(decision.pk)
    files = _files(first)

    second = document_generate(decision.pk)
    via_task = generate_decision_documents.apply(args=[decision.pk]).get()

    assert second.pk == first.pk == via_task
    assert DecisionDocument.objects.count() == 1
    assert DocumentCopy.objects.count() == 2
    assert _files(second) == files


def test_generation_never_regenerates_a_signed_document(world, document):
    signed_by_both(world, document)
    files = _files(document)

    generate_decision_documents.apply(args=[document.decision_id]).get()

    assert _files(document) == files
    assert DocumentSignature.objects.count() == 4


@pytest.mark.needs_redis
def test_generation_runs_through_a_real_celery_worker(celery_worker, world):
    # In a transactional test the decision's on-commit callback already sends the task to the worker;
    # sending it again must give the same document (redelivery, a double click).
    decision = decide(world)

    document_id = generate_decision_documents.delay(decision.pk).get(timeout=60)
    again = generate_decision_documents.delay(decision.pk).get(timeout=60)

    assert again == document_id
    document = DecisionDocument.objects.get(decision=decision)
    assert document.pk == document_id and document.status == DocumentStatus.TO_SIGN
    assert document.copies.count() == 2
    assert TITLE in pdf_text(pdf_bytes(copies(document)[0]))


@pytest.fixture
def eager_retries():
    """Let an eagerly applied task retry in-process as a worker would (the test settings propagate task
    errors, which would stop apply() at the first Retry); its result then tells how it ended."""
    from samverkan.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


def _failing_render(monkeypatch, error, times):
    """governance.pdf.render_pdf raises `error` on the first `times` calls (a full disk, a missing font)."""
    real = documents.render_pdf
    calls = {"n": 0}

    def render(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= times:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "render_pdf", render)
    return calls


def test_transient_failure_is_retried_and_gives_one_document(world, decision, monkeypatch, eager_retries):
    calls = _failing_render(monkeypatch, OSError(28, "No space left on device"), times=1)

    result = generate_decision_documents.apply(args=[decision.pk])

    assert result.successful(), result.traceback
    document = DecisionDocument.objects.get()
    assert result.get() == document.pk
    assert document.status == DocumentStatus.TO_SIGN and document.copies.count() == 2
    assert calls["n"] == 1 + 2  # the failed attempt, then both copies


def test_failure_that_is_not_transient_marks_the_document_failed(world, decision, monkeypatch, eager_retries):
    _failing_render(monkeypatch, ValueError("Mallen saknar ett fält"), times=99)

    result = generate_decision_documents.apply(args=[decision.pk])

    assert result.get() == jobs.GAVE_UP  # recorded on the document, not raised
    document = DecisionDocument.objects.get(decision=decision)
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Dokumentet kunde inte skapas")
    assert "Mallen saknar ett fält" in document.error
    assert not document.copies.exists()


def test_transient_failure_that_persists_marks_the_document_failed(
    world, decision, monkeypatch, eager_retries
):
    calls = _failing_render(monkeypatch, OSError(28, "No space left on device"), times=99)

    result = generate_decision_documents.apply(args=[decision.pk])

    assert result.get() == jobs.GAVE_UP
    assert calls["n"] == 1 + generate_decision_documents.max_retries
    document = DecisionDocument.objects.get(decision=decision)
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Dokumentet kunde inte skapas")


def test_failed_document_is_generated_on_the_next_run(world, decision, monkeypatch, eager_retries):
    _failing_render(monkeypatch, ValueError("Mallen saknar ett fält"), times=1)
    generate_decision_documents.apply(args=[decision.pk])

    document = document_generate(decision.pk)

    assert DecisionDocument.objects.get().pk == document.pk
    assert document.status == DocumentStatus.TO_SIGN and document.error == ""
    assert document.copies.count() == 2


# --- diarium ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "stored"),
    [("MDU-2026/123", "MDU-2026/123"), ("  mdu-2027/4 ", "MDU-2027/4")],
    ids=["as written", "lower case with spaces"],
)
def test_register_stores_the_diarienummer(world, document, number, stored):
    signed_by_both(world, document)
    copy = copies(document)[0]

    copy_register(copy=copy, by=world.uni_leader, diarienummer=number)

    copy.refresh_from_db()
    assert copy.diarienummer == stored and copy.registered_by == world.uni_leader and copy.registered_at
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED  # the other copy is not registered yet


@pytest.mark.parametrize(
    "number",
    ["MDU2026-123", "KSKF-2026/123", "", "MDU-26/123", "MDU-2026/", "MDU-2026/123 extra"],
    ids=[
        "dash and slash swapped",
        "another organisations prefix",
        "empty",
        "two-digit year",
        "no number",
        "trailing",
    ],
)
def test_register_refuses_a_diarienummer_in_the_wrong_format(world, document, number):
    signed_by_both(world, document)
    before = snapshot(document)

    with pytest.raises(ValidationError) as refused:
        copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer=number)

    assert refused.value.message_dict["diarienummer"] == ["Diarienumret ska ha formen MDU-2026/123."]
    assert snapshot(document) == before


def test_diarienummer_is_unique_within_the_organisation(world):
    first = document_generate(decide(world, title="Första ansökan").pk)
    second = document_generate(decide(world, title="Andra ansökan").pk)
    signed_by_both(world, first)
    signed_by_both(world, second)
    copy_register(copy=copies(first)[0], by=world.uni_leader, diarienummer="MDU-2026/123")
    before = snapshot(second)

    with pytest.raises(ValidationError) as refused:
        copy_register(copy=copies(second)[0], by=world.uni_leader, diarienummer="MDU-2026/123")

    assert refused.value.message_dict["diarienummer"] == ["Diarienumret används redan i organisationen."]
    assert snapshot(second) == before


def test_same_diarienummer_in_another_organisation_is_fine(world):
    # Two municipalities that happen to use the same diarium format ("KS-…", as many kommunstyrelser do).
    solna = MunicipalityFactory(name="Solna stad", diarium_prefix="KS")
    world.municipality.diarium_prefix = "KS"
    world.municipality.save()
    world.agreement.municipalities.add(solna)
    signatory(world.agreement, solna, title="Stadsdirektör")
    solna_leader = process_leader(world.agreement, solna)
    from django.core.management import call_command

    call_command("create_signing_certificates", stdout=io.StringIO())  # a key for Solna too
    eskilstuna = document_generate(decide(world, title="Eskilstunas ärende").pk)
    in_solna = document_generate(decide(world, party=solna, title="Solnas ärende").pk)
    signed_by_both(world, eskilstuna)
    sign(in_solna, world.rektor)
    sign(in_solna, solna.role_assignments.get(role="firmatecknare").user)

    copy_register(copy=copies(eskilstuna)[1], by=world.muni_leader, diarienummer="KS-2026/7")
    copy_register(copy=copies(in_solna)[1], by=solna_leader, diarienummer="KS-2026/7")

    assert sorted(
        DocumentCopy.objects.filter(diarienummer="KS-2026/7").values_list("organisation__name")
    ) == [
        ("Eskilstuna kommun",),
        ("Solna stad",),
    ]


def test_register_before_everyone_has_signed_is_refused(world, document):
    sign(document, world.rektor)
    before = snapshot(document)

    with pytest.raises(DocumentError, match="först när alla har signerat"):
        copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer="MDU-2026/123")

    assert snapshot(document) == before


def test_register_twice_is_refused(world, document):
    signed_by_both(world, document)
    copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer="MDU-2026/123")
    before = snapshot(document)

    with pytest.raises(DocumentError, match="redan diariefört"):
        copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer="MDU-2026/124")

    assert snapshot(document) == before


@pytest.mark.parametrize(
    ("copy_number", "who"),
    [
        (1, "muni_leader"),
        (2, "uni_leader"),
        (1, "rektor"),
        (2, "kommundirektor"),
        (1, "unrelated"),
        (2, "other_municipality_leader"),
    ],
)
def test_only_the_processledare_of_the_copys_party_may_register(world, document, copy_number, who):
    signed_by_both(world, document)
    other = MunicipalityFactory(name="Strängnäs kommun")
    world.agreement.municipalities.add(other)
    users = {
        "muni_leader": world.muni_leader,
        "uni_leader": world.uni_leader,
        "rektor": world.rektor,
        "kommundirektor": world.kommundirektor,
        "unrelated": UserFactory(),
        "other_municipality_leader": process_leader(world.agreement, other),
    }
    copy = copies(document)[copy_number - 1]
    prefix = copy.organisation.diarium_prefix
    before = snapshot(document)

    with pytest.raises(PermissionDenied):
        copy_register(copy=copy, by=users[who], diarienummer=f"{prefix}-2026/123")

    assert snapshot(document) == before


def test_company_copy_is_registered_by_the_municipalitys_processledare(world):
    document = document_generate(decide(world, party=world.company).pk)
    sign(document, world.rektor)
    sign(document, world.bolagschef)

    copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer="MDU-2026/1187")
    copy_register(copy=copies(document)[1], by=world.muni_leader, diarienummer="EEM-2026/412")

    document.refresh_from_db()
    assert document.status == DocumentStatus.REGISTERED
    assert [c.diarienummer for c in copies(document)] == ["MDU-2026/1187", "EEM-2026/412"]
    assert Proposal.objects.get().documents_completed_at is not None


# --- the proposal's start guard -----------------------------------------------------------------------------

START_REFUSED = "Alla exemplar måste vara signerade och diarieförda och projektkontot angivet."


def _start_is_refused(world, proposal):
    with pytest.raises(TransitionRefused, match=START_REFUSED):
        proposal_start(proposal=proposal, by=world.uni_leader)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.GRANTED
    assert not ProposalTransition.objects.filter(proposal=proposal, transition="start").exists()


def test_proposal_starts_only_when_both_copies_are_signed_and_registered_and_the_account_is_set(
    world, document
):
    proposal = document.decision.proposal
    first, second = copies(document)
    assert proposal.state == ProposalState.GRANTED

    _start_is_refused(world, proposal)  # nothing signed
    sign(document, world.rektor)
    _start_is_refused(world, proposal)  # one signature
    sign(document, world.kommundirektor)
    _start_is_refused(world, proposal)  # signed, not registered
    copy_register(copy=first, by=world.uni_leader, diarienummer="MDU-2026/123")
    _start_is_refused(world, proposal)  # one copy registered
    copy_register(copy=second, by=world.muni_leader, diarienummer="KSKF-2026/88")
    proposal.refresh_from_db()
    assert proposal.documents_completed_at is not None
    _start_is_refused(world, proposal)  # no project account
    proposal_set_project_account(proposal=proposal, by=world.uni_leader, account="MDU 71304")

    proposal = proposal_start(proposal=proposal, by=world.uni_leader)

    assert proposal.state == ProposalState.ACTIVE
    assert proposal.transitions.filter(transition="start", by=world.uni_leader).exists()


def test_project_account_alone_does_not_start_the_proposal(world, document):
    proposal = proposal_set_project_account(
        proposal=document.decision.proposal, by=world.uni_leader, account="MDU 71304"
    )

    _start_is_refused(world, proposal)


# --- verification -------------------------------------------------------------------------------------------


@pytest.fixture
def registered(world, document):
    """The document signed by both and registered in both diaria; also its intermediate and unsigned bytes."""
    first = copies(document)[0]
    unsigned = pdf_bytes(first)
    sign(document, world.rektor)
    intermediate = pdf_bytes(first)
    sign(document, world.kommundirektor)
    copy_register(copy=first, by=world.uni_leader, diarienummer="MDU-2026/123")
    copy_register(copy=copies(document)[1], by=world.muni_leader, diarienummer="KSKF-2026/88")
    return {"copy": first, "unsigned": unsigned, "intermediate": intermediate, "final": pdf_bytes(first)}


def test_verify_an_unaltered_registered_copy(registered, world):
    result = verify(registered["final"])

    assert result.verdict == "registered"
    assert result.copy == registered["copy"]
    assert "MDU-2026/123" in result.message
    assert [s.signer for s in result.signatures] == [world.rektor, world.kommundirektor]


def _flip_one_byte(data: bytes) -> bytes:
    """Change one byte inside the first content stream: the file still parses, the signed digest breaks."""
    position = data.index(b"stream", data.index(b"/Length")) + 40
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_verify_a_copy_with_one_byte_changed_says_altered(registered):
    altered = _flip_one_byte(registered["final"])
    assert len(altered) == len(registered["final"]) and altered != registered["final"]

    result = verify(altered)

    assert result.verdict == "altered"
    assert result.copy is None


def test_verify_an_unknown_pdf(registered):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    result = verify(buffer.getvalue())

    assert result.verdict == "unknown"
    assert result.copy is None


@pytest.mark.parametrize(
    "data",
    [b"", b"Hej, det h\xc3\xa4r \xc3\xa4r ingen PDF", b"\x89PNG\r\n\x1a\n"],
    ids=["empty", "text", "png"],
)
def test_verify_a_file_that_is_not_a_pdf(registered, data):
    result = verify(data)

    assert result.verdict == "not_pdf"
    assert result.copy is None


def test_verify_the_intermediate_copy_is_not_registered(registered):
    result = verify(registered["intermediate"])

    assert result.verdict not in ("registered", "signed")
    assert result.copy is None


def test_verify_the_unsigned_copy_says_unsigned(registered):
    result = verify(registered["unsigned"])

    assert result.verdict == "unsigned"
    assert result.copy is None


def test_verify_a_signed_copy_not_yet_registered(world, document):
    signed_by_both(world, document)

    result = verify(pdf_bytes(copies(document)[0]))

    assert result.verdict == "signed"
    assert len(result.signatures) == 2


def test_verify_changes_nothing(registered):
    document = registered["copy"].document
    before = snapshot(document)
    with transaction.atomic():
        verify(registered["final"])
        verify(_flip_one_byte(registered["final"]))
    assert snapshot(document) == before
