"""Sales fixtures: DEMO's owner, a client, two items (ITBMS 7% and 10%), shortcuts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.ledger.models import Account

DAY = dt.date(2025, 3, 14)
D = Decimal


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def itbms7(demo):
    return Tax.objects.get(company=demo, code="01")


@pytest.fixture
def itbms10(demo):
    return Tax.objects.get(company=demo, code="02")


@pytest.fixture
def client(demo, owner):
    return contacts.client_create(company=demo, actor=owner, code="C-T1",
                                  legal_name="Cliente Prueba", payment_terms_days=30)


@pytest.fixture
def galletas(demo, owner, itbms7):
    return catalog.item_create(company=demo, actor=owner, sku="T-GAL", name="Galletas",
                               default_tax=itbms7, base_price="1.25")


@pytest.fixture
def ron(demo, owner, itbms10):
    return catalog.item_create(company=demo, actor=owner, sku="T-RON", name="Ron",
                               default_tax=itbms10, base_price="12.99")


@pytest.fixture
def acct(demo):
    def get(code: str) -> Account:
        return Account.objects.get(company=demo, code=code)
    return get


def entry_lines(entry):
    """[(account code, debit, credit)] of a posted entry, in line order."""
    return [(li.account.code, li.debit, li.credit)
            for li in entry.lines.select_related("account").order_by("line_no")]
