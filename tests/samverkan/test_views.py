import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from samverkan.enums import Role
from tests.factories.samverkan import PASSWORD, AgreementFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    return AgreementFactory(name="Avtal Mälardalen")


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("url_name", ["start", "agreement_list", "password_change"])
def test_anonymous_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_with_wrong_password_shows_swedish_error(client):
    user = UserFactory(email="anna@example.se")
    response = client.post(reverse("login"), {"username": user.email, "password": "fel-losen"})
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_email_in_other_case_works(client):
    UserFactory(email="anna@example.se")
    response = client.post(reverse("login"), {"username": "ANNA@example.se", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("start")


def test_processledare_sees_agreement_in_navigation_and_list(client, agreement):
    user = person_with_role(agreement, Role.PROCESS_LEADER)
    html = login(client, user).get(reverse("start")).content.decode()
    assert 'href="/avtal/"' in html
    listing = client.get(reverse("agreement_list")).content.decode()
    assert "Avtal Mälardalen" in listing


def test_researcher_has_no_agreement_navigation_and_is_refused(client, agreement):
    user = person_with_role(agreement, Role.RESEARCHER)
    html = login(client, user).get(reverse("start")).content.decode()
    assert 'href="/avtal/"' not in html
    assert client.get(reverse("agreement_list")).status_code == 403
    assert client.get(agreement.get_absolute_url()).status_code == 403


def test_agreement_page_lists_parties_and_people_per_role(client, agreement):
    leader = person_with_role(agreement, Role.PROCESS_LEADER)
    municipality = agreement.municipalities.get()
    person_with_role(
        agreement,
        Role.SIGNATORY,
        organisation=municipality,
        title="Kommundirektör",
        user__first_name="Ingrid",
        user__last_name="Falk",
    )
    html = login(client, leader).get(agreement.get_absolute_url()).content.decode()
    assert municipality.name in html
    assert agreement.university.name in html
    assert "Firmatecknare" in html and "Ingrid Falk" in html and "Kommundirektör" in html


def test_processledare_of_another_agreement_is_refused(client, agreement):
    other = AgreementFactory()
    user = person_with_role(other, Role.PROCESS_LEADER)
    assert login(client, user).get(agreement.get_absolute_url()).status_code == 403
    assert "Avtal Mälardalen" not in client.get(reverse("agreement_list")).content.decode()


def test_unknown_agreement_is_404_in_swedish(client, agreement):
    user = person_with_role(agreement, Role.PROCESS_LEADER)
    response = login(client, user).get("/avtal/999999/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_start_page_shows_roles_and_empty_state(client, agreement):
    user = person_with_role(agreement, Role.RESEARCHER)
    html = login(client, user).get(reverse("start")).content.decode()
    assert "Forskare" in html
    assert "Du har inget att göra just nu" in html


def test_password_reset_sends_swedish_mail(client, mailoutbox):
    UserFactory(email="anna@example.se")
    response = client.post(reverse("password_reset"), {"email": "anna@example.se"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Nytt lösenord till Samverkan"
    assert "/konto/aterstall/" in mailoutbox[0].body


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    login(client, user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "fel",
            "new_password1": "ett-nytt-langt-losen",
            "new_password2": "ett-nytt-langt-losen",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_logout_is_post_only(client):
    login(client, UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_lists_every_model_of_ours(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for model in ("agreement", "organisation", "roleassignment", "user"):
        assert f"/admin/samverkan/{model}/" in html


def test_english_browser_still_gets_swedish_until_the_user_switches(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "Lösenord" in response.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Password" in client.get(reverse("login")).content.decode()


def test_notifications_show_on_start_page_and_are_marked_read_when_listed(client):
    from samverkan.models import Notification

    user = UserFactory()
    Notification.objects.create(user=user, event="x", subject="Ny ansökan inskickad: Barns hälsa", body="Hej")
    client.force_login(user)
    assert "Ny ansökan inskickad: Barns hälsa" in client.get(reverse("start")).content.decode()
    html = client.get(reverse("notification_list")).content.decode()
    assert "Ny ansökan inskickad: Barns hälsa" in html
    assert Notification.objects.get().read_at is not None
    assert "Nya notiser" not in client.get(reverse("start")).content.decode()


def test_notifications_of_others_are_not_shown(client):
    from samverkan.models import Notification

    Notification.objects.create(user=UserFactory(), event="x", subject="Hemligt ärende", body="...")
    client.force_login(UserFactory())
    assert "Hemligt ärende" not in client.get(reverse("notification_list")).content.decode()


def test_pages_name_their_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    page = client.get(reverse("login")).content.decode()

    assert 'rel="icon" href="/static/img/favicon.svg"' in page
    assert finders.find("img/favicon.svg")
