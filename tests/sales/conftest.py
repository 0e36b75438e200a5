"""Sales fixtures: DEMO's owner, a client, two items (ITBMS 7% and 10%), shortcuts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.catalog import services as catalog
from cuadra.catalog.models import Tax
from cuadra.contacts import services as contacts
from cuadra.inventory import documents as stock_documents
from cuadra.inventory import selectors as stock_selectors
from cuadra.inventory.enums import AdjustmentKind
from cuadra.ledger.models import Account

DAY = dt.date(2025, 3, 14)
D = Decimal
OPENING_DAY = dt.date(2025, 1, 2)


def opening_stock(company, actor, lines: list[tuple], date=OPENING_DAY):
    """Stock in through a storage-in document (Dr inventory / Cr the first EQUITY
    account): ``lines`` = [(item, quantity, unit cost)] in base units."""
    equity = Account.objects.filter(company=company, type="EQUITY", is_group=False,
                                    is_active=True).order_by("code").first()
    doc = stock_documents.stock_adjustment_create(
        company=company, actor=actor, kind=AdjustmentKind.STORAGE_IN,
        warehouse=stock_selectors.warehouse_default(company=company), date=date,
        counter_account=equity, employee="Inventario inicial",
        lines=[{"item": item, "quantity": str(qty), "unit_cost": str(cost)}
               for item, qty, cost in lines])
    return stock_documents.document_move(company=company, actor=actor, document=doc,
                                         action="issue")


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
    item = catalog.item_create(company=demo, actor=owner, sku="T-GAL", name="Galletas",
                               default_tax=itbms7, base_price="1.25")
    opening_stock(demo, owner, [(item, 1000, "0.80")])  # sales tests are not about stock
    return item


@pytest.fixture
def ron(demo, owner, itbms10):
    item = catalog.item_create(company=demo, actor=owner, sku="T-RON", name="Ron",
                               default_tax=itbms10, base_price="12.99")
    opening_stock(demo, owner, [(item, 1000, "7.50")])
    return item


@pytest.fixture
def acct(demo):
    def get(code: str) -> Account:
        return Account.objects.get(company=demo, code=code)
    return get


def entry_lines(entry):
    """[(account code, debit, credit)] of a posted entry, in line order."""
    return [(li.account.code, li.debit, li.credit)
            for li in entry.lines.select_related("account").order_by("line_no")]
