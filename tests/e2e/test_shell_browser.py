"""Browser test of the web shell: Debian's Chromium driven by the playwright package.

Log in as demo, switch to the second company, and see that company's home page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cuadra.access.models import Role
from cuadra.access.services import role_assign

pytestmark = [pytest.mark.e2e]


def test_login_switch_company_and_see_its_home(live_db, platform, live_server,
                                               browser_page, tmp_path):
    # A second company for demo, granted by OTRA's owner before the browser starts.
    owner_role = Role.objects.get(organization=platform.otra.organization, key="owner")
    role_assign(company=platform.otra, user=platform.owner, role=owner_role, actor=_user("otra"))
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/login/?next=/"
    assert page.text_content("button.primary") == "Iniciar sesión"
    page.fill("#id_username", "demo")
    page.fill("#id_password", "demo")
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    assert page.text_content("[data-field=company-code]") == "DEMO"
    assert page.text_content("html").count("Empresa activa") >= 1

    page.select_option("#company-code", "OTRA")
    page.click(".switcher button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.text_content("[data-field=company-name]") == "Otra Empresa, S.A."
    assert page.text_content("[data-field=company-code]") == "OTRA"
    assert page.text_content("[data-field=company-ruc]") == "155646463-2-2017"
    assert page.text_content("[data-field=company-branch]").startswith("0000")
    assert page.text_content("[data-field=roles]") == "Propietario"
    assert page.text_content(".message") == "Empresa activa: Otra Empresa, S.A."

    page.click("nav >> text=Inventario")
    page.wait_for_url(f"{live_server.url}/inventory/")
    assert page.text_content("h1") == "Inventario"
    assert page.text_content("main h2") == "Existencias"
    _screenshot(page, live_server, tmp_path)


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _screenshot(page, live_server, tmp_path) -> None:
    """Keep a picture of the home page; CUADRA_SCREENSHOT_DIR keeps it after the run."""
    target = Path(os.environ.get("CUADRA_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/")
    page.screenshot(path=str(target / "home.png"), full_page=True)
