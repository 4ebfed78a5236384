from playwright.sync_api import expect

from tests.e2e.steps import nav


def test_processledare_logs_in_and_sees_agreements_in_navigation(demo, browser_as):
    page = browser_as.login("anna.lindqvist@mdu.example")
    expect(page.get_by_role("heading", name="Hej Anna!")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Avtal")).to_be_visible()
    browser_as.shot("start-processledare")
    nav(page).get_by_role("link", name="Avtal").click()
    page.get_by_role("link", name="Samverkansavtal Mälardalens universitet").click()
    expect(page.get_by_role("heading", name="Parter")).to_be_visible()
    expect(page.get_by_text("Eskilstuna Energi och Miljö AB (kommunalt bolag)", exact=True)).to_be_visible()
    # Ingrid Falk holds two roles (kommundirektör and Eskilstuna's ersättare in the styrgrupp): one row each.
    deputies = page.get_by_role("table", name="Ersättare i styrgruppen")
    expect(deputies.get_by_role("cell", name="Ingrid Falk")).to_be_visible()
    browser_as.shot("agreement-detail")


def test_researcher_logs_in_and_sees_no_agreement_navigation(demo, browser_as):
    page = browser_as.login("maria.nilsson@mdu.example")
    expect(page.get_by_role("heading", name="Hej Maria!")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Start")).to_be_visible()
    expect(nav(page).get_by_role("link", name="Avtal")).to_have_count(0)
    expect(page.get_by_role("cell", name="Forskare")).to_be_visible()
    browser_as.shot("start-forskare")
    browser_as.goto("/avtal/")
    expect(page.get_by_role("heading", name="Du har inte behörighet till den här sidan")).to_be_visible()


def test_wrong_password_shows_a_swedish_error(demo, browser_as):
    page = browser_as.login("anna.lindqvist@mdu.example", password="fel-losenord")
    expect(page.get_by_role("alert")).to_contain_text("Fel e-postadress eller lösenord")
    browser_as.shot("wrong-password")
    assert "/konto/logga-in/" in page.url


def test_anonymous_visit_to_protected_page_redirects_to_login(demo, browser_as):
    page = browser_as.goto("/avtal/")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert "/konto/logga-in/?next=/avtal/" in page.url
    page.get_by_label("E-postadress").fill("anna.lindqvist@mdu.example")
    page.get_by_label("Lösenord").fill("samverkan-demo")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Samverkansavtal")).to_be_visible()


def test_user_logs_out(demo, browser_as):
    page = browser_as.login("anna.lindqvist@mdu.example")
    browser_as.logout()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
