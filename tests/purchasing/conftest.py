"""Purchasing fixtures: DEMO's owner and ``compras``, a supplier with a price list, a
stock item (ITBMS 7%), a service item, an issued order and shortcuts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from cuadra.catalog import services as catalog
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.ledger.models import Account
from cuadra.purchasing import services

DAY = dt.date(2025, 3, 14)
D = Decimal
PAYABLE, GRNI, ITBMS_IN, BANK, CASH, EXPENSE = (
    "210101", "210104", "110401", "110103", "110101", "6216")


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def compras(platform):
    return get_user_model().objects.get(username="compras")


@pytest.fixture
def itbms7(demo):
    return Tax.objects.get(company=demo, code="01")


@pytest.fixture
def supplier(demo, owner):
    return contacts.supplier_create(company=demo, actor=owner, code="PRV-1",
                                    legal_name="Proveedor Uno", payment_terms_days=30)


@pytest.fixture
def other_supplier(demo, owner):
    return contacts.supplier_create(company=demo, actor=owner, code="PRV-2",
                                    legal_name="Proveedor Dos")


@pytest.fixture
def papel(demo, owner, itbms7, supplier):
    item = catalog.item_create(company=demo, actor=owner, sku="T-PAP", name="Papel",
                               default_tax=itbms7)
    services.supplier_price_create(company=demo, actor=owner, supplier=supplier, item=item,
                                   price="8.00")
    services.supplier_price_create(company=demo, actor=owner, supplier=supplier, item=item,
                                   price="7.50", min_quantity="50")
    return item


@pytest.fixture
def limpieza(demo, owner, itbms7):
    return catalog.item_create(company=demo, actor=owner, sku="T-LIM", name="Limpieza",
                               kind=ItemKind.SERVICE, default_tax=itbms7)


@pytest.fixture
def acct(demo):
    def get(code: str) -> Account:
        return Account.objects.get(company=demo, code=code)
    return get


@pytest.fixture
def issued_order(demo, owner, supplier, papel):
    """10 reams of paper at the list's 8.00 (85.60 with ITBMS), issued."""
    order = services.purchase_order_create(company=demo, actor=owner, supplier=supplier,
                                           date=DAY, lines=[{"item": papel,
                                                             "quantity": "10"}])
    services.purchase_order_issue(company=demo, actor=owner, order=order)
    order.refresh_from_db()
    return order


def entry_lines(entry):
    """[(account code, debit, credit)] of a posted entry, in line order."""
    return [(li.account.code, li.debit, li.credit)
            for li in entry.lines.select_related("account").order_by("line_no")]
