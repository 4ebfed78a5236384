"""The English catalogue (locale/en): used after the language switcher, complete, and compiled."""

import ast
import gettext
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories.samverkan import UserFactory

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def switch_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_login_page_is_english_after_switching(client):
    switch_to_english(client)
    html = client.get(reverse("login")).content.decode()
    assert "Log in" in html
    assert "E-mail address" in html
    assert "Logga in" not in html
    assert "E-postadress" not in html


def test_start_page_headings_are_english_after_switching(client):
    user = UserFactory(first_name="Anna")
    client.force_login(user)
    switch_to_english(client)
    html = client.get(reverse("start")).content.decode()
    for english in ("Hello Anna!", "To do", "Your assignments", "Log out"):
        assert english in html
    for swedish in ("Hej Anna!", "Att göra", "Dina uppdrag", "Logga ut"):
        assert swedish not in html


def test_english_browser_without_switching_still_gets_swedish(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Logga in" in html
    assert "E-postadress" in html
    assert "E-mail address" not in html


@pytest.fixture(scope="module")
def catalogue():
    with open(LOCALE_DIR / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)


@pytest.mark.parametrize(
    ("swedish", "english"),
    [
        ("Ärende", "Case"),  # applications
        ("Ansökan under arbete", "Application in progress"),
        ("Styrgrupp", "Steering group"),  # governance
        ("Justera protokollet", "Approve the minutes"),
        ("Jäv", "Conflict of interest"),
        ("Kallelse", "Meeting invitation"),
        ("Indirekta kostnader", "Indirect costs"),  # budget
        ("Processledare", "Process leader"),  # samverkan
        ("Firmatecknare", "Authorised signatory"),
        ("Logga in", "Log in"),  # templates/registration
    ],
)
def test_catalogue_translates_msgids_from_every_app(catalogue, swedish, english):
    assert catalogue.gettext(swedish) == english


def test_catalogue_keeps_placeholders_and_plurals(catalogue):
    assert catalogue.gettext("Hej %(name)s!") == "Hello %(name)s!"
    assert catalogue.ngettext("%(n)d ärende", "%(n)d ärenden", 1) == "%(n)d case"
    assert catalogue.ngettext("%(n)d ärende", "%(n)d ärenden", 3) == "%(n)d cases"


def po_entries(path):
    """(msgctxt, msgid, msgid_plural, msgstrs, flags) for each entry in a .po file, header excluded."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and entry["msgid"]:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": [], "flags": ""}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _, literal = line.partition(" ")
            field = "msgstr" if keyword.startswith("msgstr") else keyword
            if field == "msgstr":
                entry["msgstr"].append(ast.literal_eval(literal))
            else:
                entry[field] = ast.literal_eval(literal)
    finish()
    return entries


def test_catalogue_is_complete_and_compiled(catalogue):
    entries = po_entries(LOCALE_DIR / "django.po")
    assert len(entries) > 500
    for entry in entries:
        assert "fuzzy" not in entry["flags"], entry["msgid"]
        assert all(entry["msgstr"]), f"untranslated: {entry['msgid']!r}"
        # The compiled .mo must hold the same translation (i.e. compilemessages was run after editing).
        key = entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if entry["msgid_plural"] is None:
            assert catalogue._catalog.get(key) == entry["msgstr"][0], f"not compiled: {entry['msgid']!r}"
        else:
            assert catalogue._catalog.get((key, 1)) == entry["msgstr"][1], f"not compiled: {entry['msgid']!r}"


def test_vote_words_depend_on_context_in_english():
    # Swedish uses "Bifall"/"Avslag" both for a ballot choice and for the result of a vote; English does not.
    from django.utils import translation

    from governance.enums import Choice, VoteOutcome

    with translation.override("en"):
        assert (str(Choice.YES.label), str(Choice.NO.label)) == ("Yes", "No")
        assert (str(VoteOutcome.ADOPTED.label), str(VoteOutcome.REJECTED.label)) == ("Adopted", "Rejected")
    with translation.override("sv"):
        assert str(Choice.NO.label) == str(VoteOutcome.REJECTED.label) == "Avslag"
