"""Shortcuts for the contacts tests."""

from __future__ import annotations

import pytest

from cuadra.contacts import services


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def make_client(demo, owner):
    def make(code="C-100", legal_name="Ferretería El Tornillo, S.A.", company=None, **fields):
        fields.setdefault("receiver_type", "01")
        fields.setdefault("tax_id_type", "RUC")
        fields.setdefault("tax_id", "155596713-2-2015")
        fields.setdefault("tax_dv", "59")
        return services.client_create(company=company or demo, actor=owner, code=code,
                                      legal_name=legal_name, **fields)
    return make
