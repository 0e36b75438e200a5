"""Inventory fixtures: DEMO's owner, the PRINCIPAL warehouse and a second one, an item
sold by the unit with a box of 12, shortcuts to stock moves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.catalog import services as catalog
from cuadra.inventory import selectors, services

DAY = dt.date(2025, 3, 14)
D = Decimal


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def principal(demo):
    return selectors.warehouse_default(company=demo)


@pytest.fixture
def norte(demo, owner):
    return services.warehouse_create(company=demo, actor=owner, code="NORTE",
                                     name="Bodega norte")


@pytest.fixture
def jugo(demo, owner):
    return catalog.item_create(company=demo, actor=owner, sku="T-JUGO", name="Jugo",
                               base_price="1.00")


@pytest.fixture
def caja(demo, owner, jugo):
    return catalog.unit_level_create(company=demo, actor=owner, item=jugo, code="caja",
                                     factor="12")


@pytest.fixture
def arroz(demo, owner):
    return catalog.item_create(company=demo, actor=owner, sku="T-ARROZ", name="Arroz",
                               base_price="2.00")


@pytest.fixture
def receive(demo, owner, principal):
    def do(item, qty, cost, *, date=DAY, warehouse=None, unit=None, source="R1"):
        return services.stock_receive(company=demo, actor=owner, item=item,
                                      warehouse=warehouse or principal, quantity=D(qty),
                                      unit=unit, unit_cost=D(cost), date=date,
                                      source_type="TEST_RECEIPT", source_id=source)
    return do


@pytest.fixture
def issue(demo, owner, principal):
    def do(item, qty, *, date=DAY, warehouse=None, unit=None, source="I1"):
        return services.stock_issue(company=demo, actor=owner, item=item,
                                    warehouse=warehouse or principal, quantity=D(qty),
                                    unit=unit, date=date, source_type="TEST_ISSUE",
                                    source_id=source)
    return do
