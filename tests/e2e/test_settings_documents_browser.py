"""Seed 002's promise: a PYME owner configures "anything over $500 → me" in one short
form under Configuración → Documentos, and sees it listed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.approvals.models import ApprovalConfig
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e]


def test_owner_configures_anything_over_500_to_me(live_db, platform, live_server,
                                                  browser_page):
    page = browser_page
    login(page, live_server, "demo")
    page.click("text=Configuración")
    page.wait_for_url(f"{live_server.url}/settings/documents/")
    assert page.text_content("#approval-configs tbody").strip().startswith(
        "Aún no hay políticas")

    page.fill("#threshold", "500")
    page.click("#approval-save")
    page.wait_for_url(f"{live_server.url}/settings/documents/")

    row = page.locator("#approval-configs tbody tr").first
    cells = [c.strip() for c in row.locator("td").all_text_contents()]
    assert cells[:5] == ["PURCHASE_REQUISITION", "≥ 500.00", "Dueña Demo", "ANY_ONE", "—"]
    assert page.text_content(".message") == "Política de aprobación guardada."
    config = ApprovalConfig.objects.get(company=platform.demo)
    assert (config.threshold, config.approver_user_ids) == (Decimal("500"),
                                                            [platform.owner.pk])
