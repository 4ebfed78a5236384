"""The permission matrix: every URL pattern × every role (and anonymous) × GET and POST.

How to read and extend EXPECTED: one line per URL name, `{"*": default, role: override, …}`; each cell is
"<GET> <POST>" with the tokens of tests/security/matrix.py: 200, 302 (redirect elsewhere), L (redirect to
login), A (redirect to the admin login), 400, 403, 404, 405, E (exception – never expected).
A new URL without a line fails `test_every_url_pattern_has_an_expectation`; a URL whose path parameters
the matrix cannot fill fails with a message saying what to add in matrix.py.

The objects behind the URLs (matrix.World): the demo application Maria Nilsson (forskare) is writing, with
an attachment; the coming styrgrupp meeting and its first item; the meeting with approved minutes; the first
decision document and its first copy; the agreement; the first template; for the economy, follow-up and
catalogue the running project "Energieffektiva bostäder…". Roles: matrix.ROLES.
POSTs are empty (or matrix.POST_DATA where a view validates before it checks permission): an allowed POST
answers with the form again (200), a redirect after a done action (302) or a refusal of the empty input
(400); every request is rolled back afterwards.
"""

# ruff: noqa: E501  (the table keeps one line per URL)

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.security import matrix

LOGIN = "L L"  # anonymous: both methods send you to the login page
ADMIN_LOGIN = "A A"

# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    # --- Konto, start, avtal, notiser (samverkan/urls.py)
    "start": {"*": "200 200", "anon": LOGIN},
    "login": {"*": "302 302", "anon": "200 200"},
    "logout": {"*": "405 L"},
    "password_change": {"*": "200 200", "anon": LOGIN},
    "password_change_done": {"*": "200 405", "anon": LOGIN},
    "password_reset": {"*": "200 200"},
    "password_reset_done": {"*": "200 405"},
    "password_reset_confirm": {"*": "200 200"},
    "password_reset_complete": {"*": "200 405"},
    "notification_list": {"*": "200 200", "anon": LOGIN},
    "agreement_list": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403"},
    "agreement_detail": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403"},
    "healthz": {"*": "200 405"},
    "set_language": {"*": "302 302"},
    # --- Ärenden, pipeline, mallar (applications)
    "applications:my_proposals": {"*": "403 405", "anon": "L 405", "admin": "200 405", "forskare": "200 405", "forskare2": "200 405", "tjp": "200 405"},
    "applications:proposal_create": {"*": "403 403", "anon": LOGIN, "forskare": "200 200", "forskare2": "200 200", "tjp": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "applications:proposal_detail": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403", "bered": "403 403", "styr": "403 403", "fir": "403 403", "fir_kommun": "403 403"},
    "applications:proposal_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "forskare": "200 200", "tjp": "200 200"},
    "applications:proposal_sections": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "forskare": "200 200", "tjp": "200 200"},
    "applications:proposal_anchoring": {"*": "405 403", "anon": LOGIN, "tjp": "405 302"},
    "applications:proposal_transition": {"*": "405 403", "anon": LOGIN, "forskare": "405 302", "tjp": "405 302"},
    "applications:attachment_upload": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "forskare": "405 302", "tjp": "405 302"},
    "applications:attachment_download": {"*": "200 405", "anon": LOGIN, "forskare2": "403 405", "bered": "403 405", "styr": "403 405", "fir": "403 405", "fir_kommun": "403 405"},
    "applications:pipeline": {"*": "403 405", "anon": "L 405", "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "komm": "200 405"},
    "applications:pipeline_csv": {"*": "403 405", "anon": "L 405", "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "komm": "200 405"},
    "applications:template_list": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 200"},
    "applications:template_create": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "applications:template_detail": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 200"},
    "applications:template_new_version": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    # --- Budget och ekonomi (budget)
    "budget:application_budget": {"*": "403 403", "anon": LOGIN, "admin": "200 302", "forskare": "200 302", "tjp": "200 302", "pl": "200 403", "pl_kommun": "200 403", "komm": "200 403"},
    "budget:application_budget_xlsx": {"*": "200 405", "anon": LOGIN, "forskare2": "403 405", "bered": "403 405", "styr": "403 405", "fir": "403 405", "fir_kommun": "403 405"},
    "budget:economy": {"*": "403 405", "anon": LOGIN, "admin": "302 405", "pl": "302 405", "pl_kommun": "302 405", "styr": "302 405"},
    "budget:overview": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    "budget:overview_xlsx": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    "budget:frame_new": {"*": "403 405", "anon": LOGIN, "admin": "302 405", "pl": "302 405", "pl_kommun": "302 405"},
    "budget:frame_detail": {"*": "403 403", "anon": LOGIN, "admin": "200 302", "pl": "200 302", "pl_kommun": "200 302"},
    "budget:spending_import": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "budget:project_economy": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "forskare": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    "budget:disbursement_create": {"*": "405 403", "anon": LOGIN, "admin": "405 400", "pl": "405 400", "pl_kommun": "405 400"},
    "budget:plan_list": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "styr": "200 403"},
    "budget:plan_detail": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    "budget:plan_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "budget:activity_add": {"*": "405 403", "anon": LOGIN, "admin": "405 400", "pl": "405 400", "pl_kommun": "405 400"},
    "budget:activity_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "budget:plan_copy": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302"},
    "budget:plan_schedule": {"*": "405 403", "anon": LOGIN, "admin": "405 400", "pl": "405 400", "pl_kommun": "405 400"},
    "budget:plan_pdf": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    # --- Möten, bedömning, votering, protokoll, beslutsdokument (governance)
    "governance:meeting_list": {"*": "200 200", "anon": LOGIN, "fir": "403 403"},
    "governance:my_meetings": {"*": "200 200", "anon": LOGIN, "fir": "403 403"},
    "governance:meeting_create": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "governance:meeting_detail": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:meeting_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "styr": "200 200"},
    "governance:item_add": {"*": "403 403", "anon": LOGIN, "admin": "200 302", "pl": "200 302", "pl_kommun": "200 302", "styr": "200 302"},
    "governance:item_remove": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302", "styr": "405 302"},
    "governance:invitation_send": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302", "styr": "405 302"},
    "governance:meeting_ics": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:attendance": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 403", "styr": "200 200", "fir_kommun": "200 403"},
    "governance:meeting_held": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302", "styr": "405 302"},
    "governance:item_detail": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:assessment_form": {"*": "403 403", "anon": LOGIN},
    "governance:outcome_record": {"*": "405 403", "anon": LOGIN},
    "governance:vote_open": {"*": "405 403", "anon": LOGIN, "pl": "405 302", "styr": "405 302"},
    "governance:ballot_cast": {"*": "405 403", "anon": LOGIN, "styr": "405 302", "fir_kommun": "405 302"},
    "governance:recusal_declare": {"*": "405 403", "anon": LOGIN, "styr": "405 200", "fir_kommun": "405 200"},
    # 409: closing now would make the vote void – the chair is asked to confirm (issue 16).
    "governance:vote_close": {"*": "405 403", "anon": LOGIN, "pl": "405 409", "styr": "405 409"},
    "governance:vote_reopen": {"*": "405 403", "anon": LOGIN, "pl": "405 400", "styr": "405 400"},
    "governance:item_carry_forward": {"*": "405 403", "anon": LOGIN, "pl": "405 302", "styr": "405 302"},
    "governance:vote_status": {"*": "200 405", "anon": LOGIN, "forskare": "403 405", "tjp": "403 405", "bered": "403 405", "fir": "403 405"},
    "governance:decision_create": {"*": "405 403", "anon": LOGIN, "pl": "405 200", "styr": "405 200"},
    "governance:chair_view": {"*": "403 405", "anon": LOGIN, "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "styr": "200 405"},
    "governance:minutes_detail": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:minutes_edit": {"*": "403 403", "anon": LOGIN, "pl": "200 200"},
    "governance:minutes_approve": {"*": "405 403", "anon": LOGIN},
    "governance:minutes_pdf": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:minutes_status": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403", "fir": "403 403"},
    "governance:minutes_retry": {"*": "405 404", "anon": LOGIN, "forskare": "405 403", "forskare2": "405 403", "tjp": "405 403", "bered": "405 403", "fir": "405 403"},
    "governance:documents_to_sign": {"*": "403 403", "anon": LOGIN, "fir": "200 200", "fir_kommun": "200 200"},
    "governance:document_detail": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403", "tjp": "403 403"},
    "governance:document_status": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403", "tjp": "403 403"},
    "governance:document_sign": {"*": "405 403", "anon": LOGIN, "fir": "405 400"},
    "governance:copy_download": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403", "tjp": "403 403"},
    "governance:copy_register": {"*": "405 403", "anon": LOGIN, "admin": "405 400", "pl": "405 400"},
    "governance:project_account": {"*": "405 403", "anon": LOGIN, "admin": "405 400", "pl": "405 400", "pl_kommun": "405 400"},
    "governance:verify": {"*": "200 400"},
    "governance:verify_result": {"*": "404 405"},
    # --- Uppföljning, resultatspridning, effektmål (followup)
    "followup:overview": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "followup:event_list": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 200"},
    "followup:event_create": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 200"},
    "followup:events_public": {"*": "200 200"},
    "followup:goals_index": {"*": "302 302", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403"},
    "followup:project": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403", "tjp": "403 403"},
    "followup:end_date": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302"},
    "followup:presentation_register": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "forskare": "405 302", "pl": "405 302", "pl_kommun": "405 302", "komm": "405 302"},
    "followup:closure_agenda": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302"},
    "followup:report_detail": {"*": "200 403", "anon": LOGIN, "forskare2": "403 403"},
    "followup:report_agenda": {"*": "405 403", "anon": LOGIN},
    "followup:report_treat": {"*": "405 403", "anon": LOGIN},
    "followup:attachment_download": {"*": "200 200", "anon": LOGIN, "forskare2": "403 403"},
    "followup:event_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 200"},
    "followup:event_public": {"*": "200 200"},
    "followup:event_ics": {"*": "200 200"},
    "followup:goals": {"*": "200 200", "anon": LOGIN, "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "bered": "403 403"},
    "followup:goal_create": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    "followup:goals_agenda": {"*": "405 403", "anon": LOGIN, "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302"},
    "followup:goal_detail": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200", "komm": "200 403", "styr": "200 403", "fir": "200 403", "fir_kommun": "200 403"},
    "followup:goal_edit": {"*": "403 403", "anon": LOGIN, "admin": "200 200", "pl": "200 200", "pl_kommun": "200 200"},
    # --- Kvartalsrapporter, export, publicering, katalog (reports)
    "reports:report_list": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:report_order": {"*": "405 400", "anon": "405 L", "forskare": "405 403", "forskare2": "405 403", "tjp": "405 403", "bered": "405 403"},
    "reports:export_list": {"*": "403 405", "anon": "L 405", "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "komm": "200 405"},
    "reports:publication_list": {"*": "403 405", "anon": "L 405", "admin": "200 405", "komm": "200 405"},
    "reports:plan_list": {"*": "200 403", "anon": LOGIN, "admin": "200 400", "forskare": "403 403", "forskare2": "403 403", "tjp": "403 403", "komm": "200 400", "bered": "403 403"},
    "reports:catalogue": {"*": "200 405"},
    "reports:catalogue_templates": {"*": "200 405"},
    "reports:report_detail": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:report_status": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:report_retry": {"*": "405 403", "anon": "405 L", "admin": "405 302", "pl": "405 302", "pl_kommun": "405 302", "komm": "405 302"},
    "reports:report_pdf": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:report_xlsx": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:export_download": {"*": "403 405", "anon": "L 405", "admin": "200 405", "pl": "200 405", "pl_kommun": "200 405", "komm": "200 405"},
    "reports:publication_save": {"*": "405 403", "anon": "405 L", "admin": "405 302", "komm": "405 302"},
    "reports:plan_detail": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:plan_edit": {"*": "405 403", "anon": "405 L"},
    "reports:plan_pdf": {"*": "200 405", "anon": "L 405", "forskare": "403 405", "forskare2": "403 405", "tjp": "403 405", "bered": "403 405"},
    "reports:catalogue_detail": {"*": "200 405"},
    "reports:catalogue_template_pdf": {"*": "200 405"},
}
# fmt: on

# Django's admin: staff only (everyone else is sent to the admin's login); for the administrator every
# model page answers by its `*_<view>` suffix unless ADMIN_EXPECTED says otherwise (read-only models,
# objects the demo lacks).
ADMIN_BY_SUFFIX: dict[str, str] = {
    "_changelist": "200 200",
    "_add": "200 200",
    "_change": "200 200",
    "_delete": "200 200",
    "_history": "200 200",
    "_permissions": "200 200",
    "_permissions_manage_user": "200 200",
}
ADMIN_EXPECTED: dict[str, dict[str, str]] = {
    "admin:index": {"admin": "200 200"},
    "admin:login": {"*": "200 200", "admin": "302 200"},
    "admin:logout": {"*": "302 302", "admin": "405 L"},
    "admin:password_change_done": {"admin": "200 405"},
    "admin:autocomplete": {"admin": "403 405"},
    "admin:jsi18n": {"admin": "200 405"},
    "admin:view_on_site": {"admin": "302 302"},
    "admin:auth_group_history": {"admin": "302 302"},
    "admin:auth_group_delete": {"admin": "302 302"},
    "admin:auth_group_change": {"admin": "302 302"},
    "admin:axes_accessattempt_add": {"admin": "403 403"},
    "admin:axes_accessattempt_history": {"admin": "302 302"},
    "admin:axes_accessattempt_delete": {"admin": "302 302"},
    "admin:axes_accessattempt_change": {"admin": "302 302"},
    "admin:axes_accesslog_add": {"admin": "403 403"},
    "admin:axes_accesslog_change": {"admin": "200 302"},
    "admin:samverkan_notification_add": {"admin": "403 403"},  # the outbox is written by notify() only
    "admin:samverkan_notification_change": {"admin": "200 302"},  # read-only; "Skicka igen" is an action
    "admin:axes_accessfailurelog_add": {"admin": "403 403"},
    "admin:axes_accessfailurelog_history": {"admin": "302 302"},
    "admin:axes_accessfailurelog_delete": {"admin": "302 302"},
    "admin:axes_accessfailurelog_change": {"admin": "302 302"},
    "admin:samverkan_agreement_permissions_manage_group": {"admin": "404 404"},
    "admin:applications_proposal_permissions_manage_group": {"admin": "404 404"},
    "admin:applications_proposaltransition_delete": {"admin": "403 403"},
    "admin:applications_proposaltransition_change": {"admin": "200 403"},
    "admin:app_list": {"admin": "200 200"},
    "admin:budget_commitment_add": {"admin": "403 403"},  # commitments come from grants, not the admin
    "admin:budget_commitment_change": {"admin": "200 302"},
    "admin:reports_quarterlyreport_add": {"admin": "403 403"},  # reports are ordered in the app
    "admin:reports_quarterlyreport_change": {"admin": "200 302"},  # every field read-only
}

AREAS = ["core", "applications", "budget", "governance", "followup", "reports", "admin"]


def area_of(name: str) -> str:
    return name.split(":", 1)[0] if ":" in name else "core"


def expected(name: str, role: str, method: str) -> str | None:
    if name.startswith("admin:"):
        entry = ADMIN_EXPECTED.get(name)
        if entry is None:
            suffix = next((s for s in ADMIN_BY_SUFFIX if name.endswith(s)), None)
            if suffix is None:
                return None
            entry = {"admin": ADMIN_BY_SUFFIX[suffix]}
        entry = {"*": ADMIN_LOGIN, **entry}
    else:
        entry = EXPECTED.get(name)
        if entry is None:
            return None
    cell = entry.get(role, entry.get("*"))
    if cell is None:
        return None
    get, post = cell.split()
    return get if method == "GET" else post


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One demo world for the whole module (loading it takes a while); emptied again afterwards."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        try:
            loaded = matrix.load_world()
            loaded.media_root = media
            yield loaded
        finally:
            call_command("flush", interactive=False, verbosity=0)


def test_every_url_pattern_has_an_expectation():
    missing = [
        e.name
        for e in matrix.endpoints()
        if any(expected(e.name, role, "GET") is None for role in matrix.roles_for(e.name))
    ]
    assert not missing, (
        "Add a line to EXPECTED (tests/security/test_permission_matrix.py) for:\n" + "\n".join(missing)
    )


def test_expectations_name_only_existing_urls_and_roles():
    names = {e.name for e in matrix.endpoints()}
    assert sorted(set(EXPECTED) - names) == []
    assert sorted(set(ADMIN_EXPECTED) - names) == []
    unknown_roles = {role for entry in EXPECTED.values() for role in entry} - set(matrix.ROLES) - {"*"}
    assert unknown_roles == set()
    cells = [cell for entry in EXPECTED.values() for cell in entry.values()]
    assert all(len(cell.split()) == 2 for cell in cells)


def test_every_url_belongs_to_an_area():
    assert {area_of(e.name) for e in matrix.endpoints()} <= set(AREAS)


# The marker makes pytest-django set up the test database (the world fixture fills it once per module);
# each test runs inside a transaction that is rolled back, and matrix.run rolls back every request too.
@pytest.mark.django_db
@pytest.mark.parametrize("area", AREAS)
def test_permission_matrix(world, area, django_db_blocker, settings):
    names = {e.name for e in matrix.endpoints() if area_of(e.name) == area}
    assert names, f"no URLs in {area}: remove it from AREAS"
    settings.MEDIA_ROOT = world.media_root  # the demo's PDFs and attachments (tests/conftest.py resets it)
    settings.HEALTHZ_REQUIRE_WORKERS = False  # /healthz asks for a Celery worker when Redis is set; none here
    with django_db_blocker.unblock():
        result = matrix.run(world, names)

    problems = [message for _, message in sorted(result.unfillable.items())]
    without_entry = sorted(
        {name for (name, role, _) in result.statuses if expected(name, role, "GET") is None}
    )
    for name in without_entry:
        problems.append(
            f"{name}: no line in EXPECTED; what it answered now (check every cell before copying it):\n"
            + matrix.compact(result, [name])
        )
    for (name, role, method), got in sorted(result.statuses.items()):
        if name in without_entry:
            continue
        want = expected(name, role, method)
        if got != want:
            detail = f" ({result.errors[(name, role, method)]})" if got == "E" else ""
            problems.append(f"{name:48} {role:10} {method:4} expected {want}, got {got}{detail}")
    for (name, role, method), changed in sorted(result.changed.items()):
        problems.append(f"{name:48} {role:10} {method:4} was refused but changed {', '.join(changed)}")
    for name, found in sorted(result.csp.items()):
        problems.append(f"{name:48} renders what the CSP blocks: {'; '.join(found)}")
    assert not problems, "\n" + "\n".join(problems)
