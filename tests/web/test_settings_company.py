"""Configuración → Empresa: what the company prints on its documents, and its logo."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cuadra.core.models import AuditLog
from tests.tenancy.test_services import PNG

URL = "/settings/company/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


@pytest.fixture
def owner(platform) -> Client:
    return _client("demo")


def test_page_shows_the_legal_identity_and_the_profile_form(owner, demo):
    html = owner.get(URL).content.decode()
    assert "Configuración → Empresa" in html
    assert demo.name in html and f"DV {demo.legal_id_dv}" in html
    assert 'id="company-form"' in html and 'id="no-logo"' in html


def test_owner_saves_the_profile(owner, demo):
    response = owner.post(URL, {"trade_name": "Demo Store", "address": "Vía España 120",
                                "phone": "+507 223-0000", "email": "hola@demo.pa",
                                "website": "demo.pa"})
    assert response.status_code == 302
    demo.refresh_from_db()
    assert (demo.trade_name, demo.address, demo.phone, demo.email, demo.website) == (
        "Demo Store", "Vía España 120", "+507 223-0000", "hola@demo.pa", "demo.pa")
    assert AuditLog.objects.filter(operation="company_update", company_id=demo.pk).count() == 1


def test_a_bad_email_is_shown_next_to_the_form_and_nothing_is_saved(owner, demo):
    response = owner.post(URL, {"trade_name": "X", "email": "nope"})
    assert response.status_code == 400
    assert 'data-error="email"' in response.content.decode()
    demo.refresh_from_db()
    assert (demo.trade_name, demo.email) == ("", "")
    assert AuditLog.objects.filter(operation="web_company_update",
                                   error_code="VALIDATION").count() == 1


def test_owner_uploads_then_removes_the_logo(owner, demo):
    upload = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    assert owner.post(URL + "logo/", {"logo": upload}).status_code == 302
    demo.refresh_from_db()
    assert bytes(demo.logo) == PNG
    assert 'id="company-logo"' in owner.get(URL).content.decode()
    assert owner.post(URL + "logo/", {"remove": "1"}).status_code == 302
    demo.refresh_from_db()
    assert bytes(demo.logo) == b""


def test_a_gif_logo_is_refused(owner, demo):
    upload = SimpleUploadedFile("logo.gif", b"GIF89a", content_type="image/gif")
    owner.post(URL + "logo/", {"logo": upload})
    demo.refresh_from_db()
    assert bytes(demo.logo) == b""
    assert "PNG" in owner.get(URL).content.decode()  # the refusal message


def test_an_auditor_reads_but_cannot_change_the_company(platform, demo):
    auditor = _client("auditor")
    html = auditor.get(URL).content.decode()
    assert demo.name in html and 'id="company-form"' not in html
    response = auditor.post(URL, {"trade_name": "Hijack"})
    assert response.status_code == 400
    demo.refresh_from_db()
    assert demo.trade_name == ""
    assert AuditLog.objects.filter(operation="web_company_update",
                                   error_code="PERMISSION_DENIED").count() == 1


def test_a_sales_user_cannot_see_or_change_the_company(platform, demo):
    sales = _client("ventas")
    assert sales.get(URL).status_code == 403
    response = sales.post(URL, {"trade_name": "Hijack"})
    assert response.status_code == 403
    demo.refresh_from_db()
    assert demo.trade_name == ""
    assert AuditLog.objects.filter(operation="web_company_update",
                                   error_code="PERMISSION_DENIED").count() == 1
