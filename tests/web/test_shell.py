"""The web shell: sign-in, company switcher, home page, section placeholders, language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cuadra.access.middleware import SESSION_COMPANY_KEY
from cuadra.access.models import Role
from cuadra.access.services import role_assign, role_unassign
from cuadra.core.models import AuditLog
from cuadra.tenancy.models import Company
from cuadra.web.sections import SECTIONS, SECTIONS_BY_KEY

SECTION_LABELS_ES = {"documents": "Documentos", "sales": "Ventas", "purchasing": "Compras",
                     "inventory": "Inventario", "accounting": "Contabilidad",
                     "reports": "Reportes", "settings": "Configuración"}


@pytest.fixture
def client_demo(platform) -> Client:
    client = Client()
    assert client.login(username="demo", password="demo")
    return client


@pytest.fixture
def demo_in_otra(platform):
    """User demo also holds the Owner role in OTRA (granted by OTRA's owner)."""
    role = Role.objects.get(organization=platform.otra.organization, key="owner")
    role_assign(company=platform.otra, user=platform.owner, role=role, actor=otra_owner())
    return role


def otra_owner():
    return get_user_model().objects.get(username="otra")


def text(response) -> str:
    return response.content.decode()


# --- login required ------------------------------------------------------------------------

@pytest.mark.parametrize("section", ["home", *(s.key for s in SECTIONS)])
def test_every_page_needs_login(platform, section):
    path = "/" if section == "home" else reverse(SECTIONS_BY_KEY[section].url)
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={path}"


def test_switch_needs_login(platform):
    response = Client().post("/company/", {"code": "DEMO"})
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_login_page_is_spanish_even_if_browser_asks_english(platform):
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    body = text(response)
    assert '<html lang="es">' in body
    assert "Iniciar sesión" in body
    assert 'name="username"' in body
    assert '<select id="language" name="language"' in body


def test_login_page_follows_a_picked_language(platform):
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert '<button type="submit" class="button primary">Sign in</button>' in text(
        client.get("/login/"))


def test_login_with_good_password_lands_on_home(platform):
    client = Client()
    response = client.post("/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Demo PYME, S.A." in text(client.get("/"))


def test_login_with_bad_password_stays_out(platform):
    client = Client()
    response = client.post("/login/", {"username": "demo", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


@pytest.fixture
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_web_login_is_rate_limited_like_the_api(platform, fresh_throttle):
    client = Client()
    for _ in range(settings.LOGIN_RATE_LIMIT):
        response = client.post("/login/", {"username": "demo", "password": "nope"})
        assert response.status_code == 200
    response = client.post("/login/", {"username": "demo", "password": "demo"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Demasiados intentos fallidos" in text(response)
    assert AuditLog.objects.filter(error_code="RATE_LIMITED", object_id="demo").count() == 1
    assert AuditLog.objects.filter(error_code="PERMISSION_DENIED", object_id="demo",
                                   company_id=None).count() == settings.LOGIN_RATE_LIMIT
    # another user from the same address still signs in
    other = Client()
    assert other.post("/login/", {"username": "contador",
                                  "password": "contador"}).status_code == 302


def test_web_login_success_resets_the_failure_count(platform, fresh_throttle):
    client = Client()
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        client.post("/login/", {"username": "demo", "password": "nope"})
    assert client.post("/login/", {"username": "demo", "password": "demo"}).status_code == 302
    client.post("/logout/")
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        client.post("/login/", {"username": "demo", "password": "nope"})
    assert client.post("/login/", {"username": "demo", "password": "demo"}).status_code == 302


def test_logout_is_a_post_and_ends_the_session(client_demo):
    response = client_demo.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client_demo.get("/").status_code == 302


# --- home --------------------------------------------------------------------------------

def test_home_shows_active_company_user_and_roles(client_demo):
    response = client_demo.get("/")
    assert response.status_code == 200
    body = text(response)
    assert '<dd data-field="company-name">Demo PYME, S.A.</dd>' in body
    assert '<dd data-field="company-code">DEMO</dd>' in body
    assert '<dd data-field="company-ruc">155596713-2-2015</dd>' in body
    assert '<dd data-field="company-dv">59</dd>' in body
    assert '<dd data-field="company-branch">0000 · Casa matriz</dd>' in body
    assert '<dd data-field="user">demo</dd>' in body
    assert '<span class="tag">Propietario</span>' in body


def test_home_of_a_role_user_lists_that_role(platform):
    client = Client()
    client.login(username="contador", password="contador")
    body = text(client.get("/"))
    assert '<dd data-field="user">contador</dd>' in body
    assert '<dd data-field="roles"><span class="tag">Contador</span></dd>' in body


def test_navigation_frame_lists_every_section(client_demo):
    body = text(client_demo.get("/"))
    for section in SECTIONS:
        href = reverse(section.url)
        assert f'<a href="{href}">{SECTION_LABELS_ES[section.key]}</a>' in body


def test_user_without_company_sees_an_honest_home(platform):
    get_user_model().objects.create_user(username="nadie", password="nadie")
    client = Client()
    client.login(username="nadie", password="nadie")
    response = client.get("/")
    assert response.status_code == 200
    assert "Sin empresa" in text(response)
    assert 'id="company-code"' not in text(response)


# --- placeholders ------------------------------------------------------------------------

def test_every_section_now_ships_its_own_pages():
    assert [s.key for s in SECTIONS if not s.url_name] == []


def test_the_placeholder_page_stays_honest(client_demo, monkeypatch):
    """No section uses it today; a new section starts on it until its pages ship."""
    from django.test import RequestFactory

    from cuadra.web import views
    from cuadra.web.sections import Section

    later = Section("inventory", SECTIONS_BY_KEY["inventory"].label)
    monkeypatch.setitem(views.SECTIONS_BY_KEY, "inventory", later)
    request = RequestFactory().get("/inventory/")
    request.user = get_user_model().objects.get(username="demo")
    request.active_company = Company.objects.get(code="DEMO")
    request.session = client_demo.session
    request._messages = []
    response = views.unavailable(request, section="inventory")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Todavía no disponible" in body
    assert f"<h1>{SECTION_LABELS_ES['inventory']}</h1>" in body


# --- company switcher --------------------------------------------------------------------

def test_switch_to_foreign_company_is_refused_and_audited(client_demo):
    before = AuditLog.objects.count()
    response = client_demo.post("/company/", {"code": "OTRA"})
    assert response.status_code == 403
    assert "No tiene ningún rol en esa empresa." in text(response)
    assert SESSION_COMPANY_KEY not in client_demo.session
    assert AuditLog.objects.count() == before + 1
    row = AuditLog.objects.order_by("-pk").first()
    assert (row.operation, row.error_code, row.actor.username) == (
        "web_company_switch", "PERMISSION_DENIED", "demo")
    assert '<dd data-field="company-code">DEMO</dd>' in text(client_demo.get("/"))


def test_switch_to_unknown_company_is_refused_alike(client_demo):
    response = client_demo.post("/company/", {"code": "NOPE"})
    assert response.status_code == 403
    assert SESSION_COMPANY_KEY not in client_demo.session


def test_switch_is_post_only(client_demo):
    assert client_demo.get("/company/?code=DEMO").status_code == 405


def test_switch_to_own_company_changes_home(client_demo, demo_in_otra):
    body = text(client_demo.get("/"))
    assert '<option value="OTRA">OTRA · Otra Empresa, S.A.</option>' in body
    response = client_demo.post("/company/", {"code": "otra", "next": "/sales/"})
    assert response.status_code == 302
    assert response["Location"] == "/sales/"
    assert client_demo.session[SESSION_COMPANY_KEY] == "OTRA"
    body = text(client_demo.get("/"))
    assert '<dd data-field="company-name">Otra Empresa, S.A.</dd>' in body
    assert '<dd data-field="company-ruc">155646463-2-2017</dd>' in body
    assert '<option value="OTRA" selected>' in body


def test_switch_ignores_an_offsite_next(client_demo, demo_in_otra):
    response = client_demo.post("/company/", {"code": "OTRA", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_session_company_without_a_role_anymore_falls_back(client_demo, demo_in_otra, platform):
    client_demo.post("/company/", {"code": "OTRA"})
    role_unassign(company=platform.otra, user=platform.owner, role=demo_in_otra,
                  actor=otra_owner())
    body = text(client_demo.get("/"))
    assert '<dd data-field="company-code">DEMO</dd>' in body
    assert 'value="OTRA"' not in body


# --- language ----------------------------------------------------------------------------

def test_spanish_by_default_for_demo_even_if_browser_asks_english(client_demo):
    response = client_demo.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = text(response)
    assert '<html lang="es">' in body
    assert "Empresa activa" in body
    assert "Cerrar sesión" in body


def test_company_language_drives_the_pages(client_demo):
    Company.objects.filter(code="DEMO").update(language="en")
    body = text(client_demo.get("/inventory/"))
    assert '<html lang="en">' in body
    assert "Stock on hand" in body


def test_users_language_choice_wins_over_the_company(client_demo):
    response = client_demo.post("/i18n/setlang/", {"language": "en", "next": "/inventory/"})
    assert response.status_code == 302
    assert client_demo.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = text(client_demo.get("/inventory/"))
    assert '<html lang="en">' in body
    assert "<h1>Inventory</h1>" in body
    assert "Stock on hand" in body
    assert "Sign out" in body


def test_vendored_assets_are_served(client_demo):
    for path in ("/static/web/cuadra.css", "/static/web/htmx.min.js"):
        response = client_demo.get(path)
        assert response.status_code == 200, path
