"""The decision-document screens (governance/views/documents.py): who may see, sign, download and register
what; refusals that change nothing; the project account and start; the public verification page; and what
governance adds to the navigation, the start page, the proposal page and the item page."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from pypdf import PdfWriter

from applications.enums import ProposalState
from applications.models import Proposal, ProposalTransition
from governance import services, signing
from governance.enums import DecisionKind, DocumentStatus, MeetingKind
from governance.models import DocumentCopy, DocumentSignature, VerificationRequest
from governance.services.documents import copy_register, document_generate, document_sign
from samverkan.enums import Role
from tests.factories.applications import ProposalFactory
from tests.factories.governance import (
    AgendaItemFactory,
    MeetingFactory,
    process_leader,
    signatory,
    started,
    steering_member,
)
from tests.factories.samverkan import (
    PASSWORD,
    AgreementFactory,
    CompanyFactory,
    MunicipalityFactory,
    UniversityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

TITLE = "Energieffektiva bostäder och minskad segregation"
AMOUNTS = {2027: 996_000, 2028: 528_000}


# --- the world ----------------------------------------------------------------------------------------------


@dataclass
class World:
    agreement: object
    university: object
    municipality: object
    company: object
    rektor: object
    kommundirektor: object
    bolagschef: object
    other_signatory: object
    uni_leader: object
    muni_leader: object
    chair: object
    unrelated: object
    outsider_researcher: object


@pytest.fixture
def world(request) -> World:
    university = UniversityFactory(name="Mälardalens universitet", short_name="MDU", diarium_prefix="MDU")
    municipality = MunicipalityFactory(
        name="Eskilstuna kommun", short_name="Eskilstuna", diarium_prefix="KSKF"
    )
    other = MunicipalityFactory(name="Västerås stad", short_name="Västerås", diarium_prefix="KS")
    company = CompanyFactory(
        name="Eskilstuna Energi och Miljö AB", short_name="EEM", diarium_prefix="EEM", parent=municipality
    )
    agreement = AgreementFactory(university=university, municipalities=[municipality, other])
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
        other_signatory=signatory(agreement, other, title="Stadsdirektör"),
        uni_leader=process_leader(agreement),
        muni_leader=process_leader(agreement, municipality),
        chair=steering_member(agreement),
        unrelated=UserFactory(),
        outsider_researcher=person_with_role(agreement, Role.RESEARCHER),
    )
    request.getfixturevalue("signing_keys")  # after the organisations exist: one key each
    return w


def decide(w: World, *, party=None, title=TITLE):
    """A proposal anchored in `party` (default: the municipality), granted "enligt förslag"."""
    proposal = ProposalFactory(
        agreement=w.agreement,
        state=ProposalState.AWAITING_DECISION,
        title=title,
        responsible_officer=person_with_role(w.agreement, Role.OFFICER, organisation=w.municipality),
    )
    proposal.anchoring_organisation = party or w.municipality
    proposal.save()
    meeting = MeetingFactory(
        agreement=w.agreement, kind=MeetingKind.STEERING, chair=w.chair, starts_at=started()
    )
    item = AgendaItemFactory(meeting=meeting, proposal=proposal)
    return services.decision_by_acclamation(
        item=item,
        by=w.chair,
        kind=DecisionKind.GRANT,
        text=f"Styrgruppen beviljar ”{title}”.",
        amounts=AMOUNTS,
    )


@pytest.fixture
def document(world):
    return document_generate(decide(world).pk)


def copies(document) -> list[DocumentCopy]:
    return list(document.copies.order_by("number"))


def pdf_bytes(copy: DocumentCopy) -> bytes:
    copy.refresh_from_db()
    with copy.pdf.open("rb") as handle:
        return handle.read()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sign(document, user):
    document_sign(document=document, by=user, password=PASSWORD, ip_address="127.0.0.1")


def signed_by_both(w: World, document):
    sign(document, w.rektor)
    sign(document, w.kommundirektor)
    document.refresh_from_db()
    return document


def register_both(w: World, document):
    first, second = copies(document)
    copy_register(copy=first, by=w.uni_leader, diarienummer="MDU-2026/123")
    copy_register(copy=second, by=w.muni_leader, diarienummer="KSKF-2026/88")


def urls(document) -> dict[str, str]:
    first, second = copies(document)
    return {
        "to_sign": reverse("governance:documents_to_sign"),
        "detail": reverse("governance:document_detail", args=[document.pk]),
        "status": reverse("governance:document_status", args=[document.pk]),
        "sign": reverse("governance:document_sign", args=[document.pk]),
        "download": reverse("governance:copy_download", args=[document.pk, first.pk]),
        "register1": reverse("governance:copy_register", args=[document.pk, first.pk]),
        "register2": reverse("governance:copy_register", args=[document.pk, second.pk]),
        "account": reverse("governance:project_account", args=[document.pk]),
    }


SIGN_DATA = {"confirm": "on", "password": PASSWORD}


# --- anonymous and unrelated people -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "view, method",
    [
        ("to_sign", "get"),
        ("detail", "get"),
        ("status", "get"),
        ("sign", "post"),
        ("download", "get"),
        ("register1", "post"),
        ("account", "post"),
    ],
)
def test_document_views_send_anonymous_to_login(document, view, method):
    url = urls(document)[view]

    response = getattr(Client(), method)(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "view, method",
    [
        ("to_sign", "get"),
        ("detail", "get"),
        ("status", "get"),
        ("sign", "post"),
        ("download", "get"),
        ("register1", "post"),
        ("register2", "post"),
        ("account", "post"),
    ],
)
@pytest.mark.parametrize("who", ["unrelated", "outsider_researcher"])
def test_document_views_refuse_people_without_a_part(world, document, view, method, who):
    url = urls(document)[view]
    data = (
        {**SIGN_DATA, "diarienummer": "MDU-2026/1", "project_account": "1234"} if method == "post" else None
    )

    response = getattr(client_for(getattr(world, who)), method)(url, data)

    assert response.status_code == 403
    assert not DocumentSignature.objects.exists()
    assert not DocumentCopy.objects.exclude(diarienummer="").exists()
    assert Proposal.objects.get().project_account == ""


def test_verify_page_is_public(document):
    response = Client().get(reverse("governance:verify"))

    assert response.status_code == 200
    assert "Verifiera beslutsdokument" in response.content.decode()


# --- who sees and downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rektor", "kommundirektor", "other_signatory", "uni_leader", "muni_leader"])
def test_document_page_is_shown_to_the_parties(world, document, who):
    response = client_for(getattr(world, who)).get(document.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert document.reference in page
    assert "Exemplar 1 av 2 – Mälardalens universitet" in page
    assert "Exemplar 2 av 2 – Eskilstuna kommun" in page


def test_document_page_for_an_applicant_has_downloads_but_no_signing(world, document):
    proposal = document.decision.proposal
    client = client_for(proposal.responsible_researcher)

    page = client.get(document.get_absolute_url()).content.decode()
    download = client.get(urls(document)["download"])

    assert "Bekräfta med ditt lösenord" not in page
    assert urls(document)["download"] in page
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf_bytes(copies(document)[0])


def test_applicant_cannot_sign(world, document):
    client = client_for(document.decision.proposal.responsible_researcher)

    response = client.post(urls(document)["sign"], SIGN_DATA)

    assert response.status_code == 403
    assert not DocumentSignature.objects.exists()


def test_download_is_an_attachment_named_after_the_document(world, document):
    response = client_for(world.rektor).get(urls(document)["download"])

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{document.reference}-exemplar-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_inline_download_may_be_framed_by_our_own_pages(world, document):
    response = client_for(world.rektor).get(urls(document)["download"] + "?inline=1")

    assert response["Content-Disposition"] == f'inline; filename="{document.reference}-exemplar-1.pdf"'
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # Browsers obey the CSP's frame-ancestors before X-Frame-Options: it must allow our own pages too.
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    page = client_for(world.rektor).get(document.get_absolute_url())
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_download_of_another_documents_copy_is_404(world, document):
    other = document_generate(decide(world, title="Ett annat ärende").pk)
    url = reverse("governance:copy_download", args=[document.pk, copies(other)[0].pk])

    assert client_for(world.rektor).get(url).status_code == 404


# --- signing -----------------------------------------------------------------------------------------------


def test_signatory_sees_the_pdf_in_the_page_and_the_signing_form(world, document):
    page = client_for(world.rektor).get(document.get_absolute_url()).content.decode()

    assert "<iframe" in page and "?inline=1" in page and 'title="Beslutsunderlaget' in page
    assert "Jag har läst beslutsunderlaget och signerar det för Mälardalens universitet" in page
    assert "Bekräfta med ditt lösenord" in page


def test_rektor_signs_both_copies(world, document):
    client = client_for(world.rektor)

    response = client.post(urls(document)["sign"], SIGN_DATA, REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302
    signatures = list(DocumentSignature.objects.order_by("copy__number"))
    assert [(s.signer, s.organisation, s.ip_address) for s in signatures] == [
        (world.rektor, world.university, "10.1.2.3"),
        (world.rektor, world.university, "10.1.2.3"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Du har signerat" in page
    assert "Bekräfta med ditt lösenord" not in page
    assert signatures[0].signed_sha256[:12] in page and signatures[0].signed_sha256 in page


def test_firmatecknare_of_another_organisation_cannot_sign(world, document):
    response = client_for(world.other_signatory).post(urls(document)["sign"], SIGN_DATA)

    assert response.status_code == 403
    assert not DocumentSignature.objects.exists()


def test_kommunbolagschef_signs_when_the_company_is_the_party(world):
    document = document_generate(decide(world, party=world.company).pk)

    refused = client_for(world.kommundirektor).post(urls(document)["sign"], SIGN_DATA)
    signed = client_for(world.bolagschef).post(urls(document)["sign"], SIGN_DATA)

    assert refused.status_code == 403
    assert signed.status_code == 302
    assert set(DocumentSignature.objects.values_list("signer", flat=True)) == {world.bolagschef.pk}


def test_wrong_password_is_refused_and_nothing_changes(world, document):
    before = [(c.current_sha256, pdf_bytes(c)) for c in copies(document)]

    response = client_for(world.rektor).post(urls(document)["sign"], {"confirm": "on", "password": "fel"})

    assert response.status_code == 400
    assert "Fel lösenord – inget har signerats." in response.content.decode()
    assert not DocumentSignature.objects.exists()
    assert [(c.current_sha256, pdf_bytes(c)) for c in copies(document)] == before
    document.refresh_from_db()
    assert document.status == DocumentStatus.TO_SIGN


def test_signing_without_the_confirmation_is_refused(world, document):
    response = client_for(world.rektor).post(urls(document)["sign"], {"password": PASSWORD})

    assert response.status_code == 400
    assert "Kryssa i att du har läst beslutsunderlaget" in response.content.decode()
    assert not DocumentSignature.objects.exists()


def test_signing_twice_shows_the_services_message(world, document):
    client = client_for(world.rektor)
    client.post(urls(document)["sign"], SIGN_DATA)

    response = client.post(urls(document)["sign"], SIGN_DATA, follow=True)

    assert "Mälardalens universitet har redan signerat dokumentet." in response.content.decode()
    assert DocumentSignature.objects.count() == 2


def test_signing_a_superseded_document_shows_the_services_message(world, document):
    type(document).objects.filter(pk=document.pk).update(status=DocumentStatus.SUPERSEDED)

    response = client_for(world.rektor).post(urls(document)["sign"], SIGN_DATA, follow=True)

    assert "Dokumentet är ersatt av ett nyare beslut och kan inte signeras." in response.content.decode()
    assert not DocumentSignature.objects.exists()


# --- the diarium -------------------------------------------------------------------------------------------


def test_register_form_is_shown_only_to_the_processledare_of_the_copys_party(world, document):
    signed_by_both(world, document)

    uni_page = client_for(world.uni_leader).get(document.get_absolute_url()).content.decode()
    muni_page = client_for(world.muni_leader).get(document.get_absolute_url()).content.decode()

    assert urls(document)["register1"] in uni_page and urls(document)["register2"] not in uni_page
    assert urls(document)["register2"] in muni_page and urls(document)["register1"] not in muni_page


def test_municipal_processledare_registers_copy_2_but_not_copy_1(world, document):
    signed_by_both(world, document)
    client = client_for(world.muni_leader)

    refused = client.post(urls(document)["register1"], {"diarienummer": "MDU-2026/5"})
    registered = client.post(urls(document)["register2"], {"diarienummer": "kskf-2026/88"})

    assert refused.status_code == 403
    assert registered.status_code == 302
    first, second = copies(document)
    assert (first.diarienummer, second.diarienummer) == ("", "KSKF-2026/88")
    assert second.registered_by == world.muni_leader


def test_register_with_a_bad_format_shows_the_format_and_saves_nothing(world, document):
    signed_by_both(world, document)

    response = client_for(world.muni_leader).post(urls(document)["register2"], {"diarienummer": "2026-88"})

    assert response.status_code == 400
    assert "Diarienumret ska ha formen KSKF-2026/123." in response.content.decode()
    assert not DocumentCopy.objects.exclude(diarienummer="").exists()


def test_register_a_duplicate_number_shows_it_is_taken_and_saves_nothing(world, document):
    earlier = document_generate(decide(world, title="Ett tidigare ärende").pk)
    DocumentCopy.objects.filter(document=earlier, number=2).update(diarienummer="KSKF-2026/88")
    signed_by_both(world, document)

    response = client_for(world.muni_leader).post(
        urls(document)["register2"], {"diarienummer": "KSKF-2026/88"}
    )

    assert response.status_code == 400
    assert "Diarienumret används redan i organisationen." in response.content.decode()
    assert copies(document)[1].diarienummer == ""
    document.refresh_from_db()
    assert document.status == DocumentStatus.SIGNED


def test_register_before_everyone_signed_shows_the_services_message(world, document):
    sign(document, world.rektor)

    response = client_for(world.uni_leader).post(
        urls(document)["register1"], {"diarienummer": "MDU-2026/1"}, follow=True
    )

    assert "Exemplaret kan diarieföras först när alla har signerat." in response.content.decode()
    assert copies(document)[0].diarienummer == ""


# --- project account and start ------------------------------------------------------------------------------


def test_project_account_is_saved_but_the_project_waits_for_the_documents(world, document):
    signed_by_both(world, document)
    copy_register(copy=copies(document)[0], by=world.uni_leader, diarienummer="MDU-2026/123")

    response = client_for(world.uni_leader).post(
        urls(document)["account"], {"project_account": "4711"}, follow=True
    )

    proposal = Proposal.objects.get()
    assert proposal.project_account == "4711"
    assert proposal.state == ProposalState.GRANTED
    assert "Alla exemplar måste vara signerade och diarieförda" in response.content.decode()
    assert not ProposalTransition.objects.filter(transition="start").exists()


def test_project_starts_when_both_copies_are_signed_and_registered(world, document):
    signed_by_both(world, document)
    register_both(world, document)
    client = client_for(world.muni_leader)
    assert "Starta projektet" in client.get(document.get_absolute_url()).content.decode()

    response = client.post(urls(document)["account"], {"project_account": "4711"}, follow=True)

    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.ACTIVE
    assert proposal.project_account == "4711"
    assert "projektet har startat" in response.content.decode()
    assert "Pågående" in client.get(proposal.get_absolute_url()).content.decode()
    assert ProposalTransition.objects.get(transition="start").by == world.muni_leader


def test_applicant_cannot_set_the_project_account(world, document):
    client = client_for(document.decision.proposal.responsible_researcher)

    response = client.post(urls(document)["account"], {"project_account": "4711"})

    assert response.status_code == 403
    assert Proposal.objects.get().project_account == ""


def test_an_empty_project_account_is_refused(world, document):
    response = client_for(world.uni_leader).post(urls(document)["account"], {"project_account": " "})

    assert response.status_code == 400
    assert "Ange projektkontot." in response.content.decode()


# --- status while generating --------------------------------------------------------------------------------


def test_status_polls_while_generating_and_reloads_when_ready(world, document):
    type(document).objects.filter(pk=document.pk).update(status=DocumentStatus.GENERATING)
    client = client_for(world.rektor)

    generating = client.get(urls(document)["status"], HTTP_HX_REQUEST="true")
    type(document).objects.filter(pk=document.pk).update(status=DocumentStatus.TO_SIGN)
    ready = client.get(urls(document)["status"], HTTP_HX_REQUEST="true")

    assert 'hx-trigger="every 2s"' in generating.content.decode()
    assert "Genereras" in generating.content.decode()
    assert "HX-Refresh" not in generating
    assert 'hx-trigger="every 2s"' not in ready.content.decode()
    assert ready["HX-Refresh"] == "true"


def test_a_failed_document_shows_the_error(world, document):
    type(document).objects.filter(pk=document.pk).update(
        status=DocumentStatus.FAILED, error="Signeringsnyckel saknas för Eskilstuna kommun."
    )

    page = client_for(world.rektor).get(document.get_absolute_url()).content.decode()

    assert "Kunde inte skapas" in page
    assert "Signeringsnyckel saknas för Eskilstuna kommun." in page
    assert "Bekräfta med ditt lösenord" not in page


# --- verification -------------------------------------------------------------------------------------------


def verify_upload(data: bytes, name="beslut.pdf", content_type="application/pdf", client=None) -> str:
    """Upload on the public page as a visitor; a file its hash cannot answer is judged by the job (run on
    commit, eagerly without a broker) and the visitor lands on its result page."""
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    client = client or Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("governance:verify"), {"file": upload})
    if response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code in (200, 400, 413)
    return response.content.decode()


def flip_one_byte(data: bytes) -> bytes:
    """Change one byte inside the first content stream: the file still parses, the signed digest breaks."""
    position = data.index(b"stream", data.index(b"/Length")) + 40
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def test_verify_a_signed_and_registered_copy_says_genuine(world, document):
    signed_by_both(world, document)
    register_both(world, document)

    page = verify_upload(pdf_bytes(copies(document)[1]))

    assert "Äkta och diariefört" in page
    assert "Exemplar 2 av 2 – Eskilstuna kommun" in page
    assert "KSKF-2026/88" in page
    assert TITLE in page
    assert "Paul Pettersson" in page and "Ingrid Falk" in page
    # Nothing else: no amounts, no e-mail addresses.
    assert "996" not in page and "528" not in page
    assert world.rektor.email not in page and world.kommundirektor.email not in page


def test_verify_a_signed_copy_not_yet_registered(world, document):
    signed_by_both(world, document)

    page = verify_upload(pdf_bytes(copies(document)[0]))

    assert "Äkta, ej diariefört" in page


def test_verify_a_copy_with_one_byte_changed_says_altered(world, document):
    signed_by_both(world, document)

    page = verify_upload(flip_one_byte(pdf_bytes(copies(document)[0])))

    assert "Ändrat – inte giltigt" in page
    assert "Äkta" not in page


def test_verify_a_random_pdf_says_unknown(world, document):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)

    page = verify_upload(buffer.getvalue())

    assert "Okänt dokument" in page


def test_verify_a_text_file_says_not_a_pdf(world, document):
    page = verify_upload("Hej, det här är ingen PDF".encode(), name="beslut.txt", content_type="text/plain")

    assert "Inte en PDF" in page


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n\x00\xff garbage", b"%PDF-", b"%PDF-1.4\n" + b"1 0 obj << /Type /Sig >> endobj\n" * 50],
    ids=["garbage", "header-only", "broken-objects"],
)
def test_verify_garbage_never_fails(world, document, data):
    page = verify_upload(data)

    assert "Äkta" not in page


def test_verify_refuses_files_over_2_mb_without_storing_them(world, document):
    page = verify_upload(b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))

    assert "Filen är för stor (högst 2,0 MB)" in page
    assert not VerificationRequest.objects.exists()


def test_verify_refuses_requests_over_the_site_limit_with_a_swedish_page(world, document):
    upload = SimpleUploadedFile(
        "stor.pdf", b"%PDF-1.7\n" + b"0" * (26 * 1024 * 1024), content_type="application/pdf"
    )

    response = Client().post(reverse("governance:verify"), {"file": upload})

    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()


def test_verify_without_a_file_asks_for_one(world, document):
    response = Client().post(reverse("governance:verify"), {})

    assert response.status_code == 400
    assert "Välj en PDF-fil att kontrollera." in response.content.decode()


def test_verify_form_is_csrf_protected(world, document):
    client = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("beslut.pdf", b"%PDF-1.7", content_type="application/pdf")

    response = client.post(reverse("governance:verify"), {"file": upload})

    assert response.status_code == 403


# --- lists, navigation, start page, proposal page, item page ------------------------------------------------


def test_to_sign_lists_what_waits_for_my_organisation_and_what_i_signed(world, document):
    other = document_generate(decide(world, title="Ett annat ärende").pk)
    sign(other, world.kommundirektor)
    client = client_for(world.kommundirektor)

    page = client.get(reverse("governance:documents_to_sign")).content.decode()

    waiting, signed = page.split("Signerade av dig")
    assert document.reference in waiting and other.reference not in waiting
    assert other.reference in signed


def test_to_sign_is_empty_for_a_firmatecknare_of_another_organisation(world, document):
    page = client_for(world.other_signatory).get(reverse("governance:documents_to_sign")).content.decode()

    assert "Inget väntar på din signatur just nu." in page
    assert document.reference not in page


def test_to_sign_query_count_does_not_grow_with_documents(world, document, django_assert_max_num_queries):
    client = client_for(world.rektor)
    client.get(reverse("governance:documents_to_sign"))  # warm up sessions and caches
    with django_assert_max_num_queries(30) as one:
        client.get(reverse("governance:documents_to_sign"))
    for n in range(2):
        sign(document_generate(decide(world, title=f"Ärende {n}").pk), world.rektor)
        document_generate(decide(world, title=f"Väntande {n}").pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("governance:documents_to_sign"))


def test_navigation_and_start_page_show_att_signera_to_firmatecknare(world, document):
    client = client_for(world.rektor)

    start = client.get(reverse("start")).content.decode()
    sign(document, world.rektor)
    after = client.get(reverse("start")).content.decode()

    assert reverse("governance:documents_to_sign") in start
    assert "Beslutsdokument som väntar på din signatur" in start and document.reference in start
    assert "Beslutsdokument som väntar på din signatur" not in after
    assert reverse("governance:documents_to_sign") in after  # the menu stays


def test_navigation_hides_att_signera_from_others(world, document):
    page = client_for(world.uni_leader).get(reverse("start")).content.decode()

    assert reverse("governance:documents_to_sign") not in page


def test_proposal_page_lists_the_documents(world, document):
    proposal = document.decision.proposal

    page = client_for(proposal.responsible_researcher).get(proposal.get_absolute_url()).content.decode()

    assert "Beslutsdokument" in page
    assert document.get_absolute_url() in page
    assert urls(document)["download"] in page
    assert "Att signera" in page


def test_item_page_links_to_the_document(world, document):
    url = document.decision.item.get_absolute_url()

    page = client_for(world.uni_leader).get(url).content.decode()

    assert document.get_absolute_url() in page


def test_footer_links_to_verification(world):
    page = Client().get(reverse("login")).content.decode()

    assert reverse("governance:verify") in page


# --- a bug found on the way (governance/signing.py) ---------------------------------------------------------


def test_signing_and_validating_work_inside_a_running_event_loop(world, document):
    """pyHanko's synchronous API calls asyncio.run(), which refuses to run in a thread whose event loop is
    running – as in the browser tests (Playwright's sync API), where load_demo signs the demo's documents."""
    data = pdf_bytes(copies(document)[0])

    async def sign_and_validate():
        signed = signing.sign(
            data,
            organisation=world.university,
            field_name="Signatur MDU",
            name="Paul",
            reason="Test",
            location="V",
        )
        return signing.validate(signed)

    checks = asyncio.run(sign_and_validate())

    assert [(c.intact, c.valid) for c in checks] == [(True, True)]
