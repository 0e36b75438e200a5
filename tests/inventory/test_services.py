"""Stock services: receipts and FIFO issues with exact values, units converted exactly,
refusals that write nothing, reversals, revaluation, negative stock, snapshots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cuadra.core.errors import ValidationError
from cuadra.inventory import selectors, services
from cuadra.inventory.enums import INSUFFICIENT_STOCK, MoveKind
from cuadra.inventory.models import CostLayer, LayerConsumption, StockMove, Warehouse
from tests.inventory.conftest import DAY

D = Decimal


def _layers(item):
    return [(la.quantity, la.remaining, la.remaining_value)
            for la in CostLayer.objects.filter(item=item).order_by("date", "id")]


def test_company_gets_principal_warehouse_and_settings(demo, otra):
    assert Warehouse.objects.filter(company=demo, code="PRINCIPAL").count() == 1
    assert Warehouse.objects.filter(company=otra, code="PRINCIPAL").count() == 1
    assert services.inventory_settings_get(company=demo).allow_negative_stock is False


def test_fifo_issue_draws_oldest_layers_first(demo, jugo, principal, receive, issue):
    receive(jugo, "10", "2.00", source="R1")
    receive(jugo, "10", "3.00", source="R2", date=DAY + dt.timedelta(days=1))
    move = issue(jugo, "15", date=DAY + dt.timedelta(days=2))
    assert (move.kind, move.quantity, move.value) == (MoveKind.ISSUE, D(-15), D("-35.00"))
    assert [(c.quantity, c.value) for c in move.consumptions.order_by("id")] == [
        (D(10), D("20.00")), (D(5), D("15.00"))]
    assert _layers(jugo) == [(D(10), D(0), D(0)), (D(10), D(5), D("15.00"))]
    [row] = selectors.stock_on_hand(company=demo, item_id=jugo.pk)
    assert (row.quantity, row.value, row.stale) == (D(5), D("15.00"), False)


def test_units_convert_exactly_to_the_base_unit(demo, jugo, caja, receive, issue):
    move = receive(jugo, "10", "10.00", unit=caja)  # 10 boxes of 12 at 10.00 a box
    assert (move.quantity, move.value) == (D(120), D("100.00"))
    out = issue(jugo, "30")  # 30 units
    assert out.value == D("-25.00")
    rest = issue(jugo, "2", unit=caja)  # 24 units
    assert (rest.quantity, rest.value) == (D(-24), D("-20.00"))
    assert selectors.stock_quantity(company=demo, item=jugo,
                                    warehouse=move.warehouse) == D(66)
    assert selectors.valuation_total(company=demo) == D("55.00")


def test_issue_beyond_stock_is_refused_and_writes_nothing(demo, jugo, receive, issue, counts):
    receive(jugo, "5", "1.00")
    before = counts()
    with pytest.raises(services.InsufficientStock) as exc:
        issue(jugo, "6")
    assert exc.value.code == INSUFFICIENT_STOCK == "INSUFFICIENT_STOCK"
    assert exc.value.field == "quantity"
    assert counts() == before


def test_issue_does_not_draw_from_a_layer_dated_later(demo, jugo, receive, issue):
    receive(jugo, "5", "1.00", date=DAY)
    with pytest.raises(services.InsufficientStock):
        issue(jugo, "1", date=DAY - dt.timedelta(days=1))


@pytest.mark.parametrize("bad, field", [
    ({"quantity": 1.5}, "quantity"), ({"quantity": D(0)}, "quantity"),
    ({"quantity": D(-1)}, "quantity"), ({"unit_cost": 2.0}, "unitCost"),
    ({"unit_cost": D(-1)}, "unitCost"),
])
def test_receive_refuses_bad_input(demo, owner, jugo, principal, counts, bad, field):
    args = dict(company=demo, actor=owner, item=jugo, warehouse=principal, quantity=D(1),
                unit_cost=D(1), date=DAY, source_type="T", source_id="1")
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.stock_receive(**{**args, **bad})
    assert exc.value.field == field
    assert counts() == before


def test_foreign_item_warehouse_and_unit_are_refused(demo, otra, owner, jugo, caja,
                                                     principal, arroz):
    foreign_wh = selectors.warehouse_default(company=otra)
    with pytest.raises(ValidationError) as exc:
        services.stock_receive(company=demo, actor=owner, item=jugo, warehouse=foreign_wh,
                               quantity=D(1), unit_cost=D(1), date=DAY, source_type="T",
                               source_id="1")
    assert exc.value.field == "warehouseId"
    with pytest.raises(ValidationError) as exc:
        services.stock_receive(company=demo, actor=owner, item=arroz, unit=caja,
                               warehouse=principal, quantity=D(1), unit_cost=D(1), date=DAY,
                               source_type="T", source_id="1")
    assert exc.value.field == "unitId"


def test_reverse_issue_puts_quantities_back_into_their_layers(demo, owner, jugo, receive,
                                                              issue):
    receive(jugo, "10", "2.00", source="R1")
    receive(jugo, "10", "3.00", source="R2")
    issue(jugo, "15", source="I1")
    total = services.stock_reverse(company=demo, actor=owner, source_type="TEST_ISSUE",
                                   source_id="I1")
    assert total == D("35.00")
    assert _layers(jugo) == [(D(10), D(10), D("20.00")), (D(10), D(10), D("30.00"))]
    # reversing twice does nothing more
    assert services.stock_reverse(company=demo, actor=owner, source_type="TEST_ISSUE",
                                  source_id="I1") == 0
    assert selectors.valuation_total(company=demo) == D("50.00")


def test_reverse_receipt_refused_once_issued_from(demo, owner, jugo, receive, issue, counts):
    receive(jugo, "10", "2.00", source="R1")
    issue(jugo, "1")
    before = counts()
    with pytest.raises(services.InsufficientStock):
        services.stock_reverse(company=demo, actor=owner, source_type="TEST_RECEIPT",
                               source_id="R1")
    assert counts() == before


def test_revalue_splits_stock_and_consumed_parts(demo, owner, jugo, receive, issue):
    receive(jugo, "10", "2.00", source="R1")
    issue(jugo, "4")
    result = services.layers_revalue(company=demo, actor=owner, source_type="TEST_RECEIPT",
                                     source_id="R1", unit_cost=D("2.50"))
    assert (result.inventory_delta, result.consumed_delta, result.total) == (
        D("3.00"), D("2.00"), D("5.00"))
    assert _layers(jugo) == [(D(10), D(6), D("15.00"))]
    assert selectors.valuation_total(company=demo) == D("15.00")
    assert issue(jugo, "6", source="I2").value == D("-15.00")


def test_negative_stock_when_allowed_is_settled_by_next_receipt(demo, owner, jugo, receive,
                                                                issue):
    services.inventory_settings_update(company=demo, actor=owner, allow_negative_stock=True)
    receive(jugo, "2", "4.00", source="R1")
    out = issue(jugo, "5")
    assert out.value == D("-20.00")
    assert selectors.stock_quantity(company=demo, item=jugo,
                                    warehouse=out.warehouse) == D(-3)
    receive(jugo, "10", "5.00", source="R2")
    adjust = StockMove.objects.get(kind=MoveKind.RECOST)
    assert adjust.value == D("-3.00")  # the 3 short units cost 5, not 4
    [row] = selectors.stock_on_hand(company=demo, item_id=jugo.pk)
    assert (row.quantity, row.value) == (D(7), D("35.00"))
    assert selectors.inventory_verify(company=demo).problems == [
        "stock value 35.00 != inventory accounts -3.00"]  # only the settlement posted


def test_moves_and_consumptions_are_append_only(demo, jugo, receive, issue):
    from cuadra.core.errors import ImmutableRecord

    move = receive(jugo, "1", "1.00")
    issue(jugo, "1")
    with pytest.raises(ImmutableRecord):
        move.save()
    with pytest.raises(ImmutableRecord):
        StockMove.objects.filter(pk=move.pk).update(value=D(0))
    with pytest.raises(ImmutableRecord):
        LayerConsumption.objects.all().delete()


def test_snapshots_give_the_same_balances_and_drop_on_a_backdated_move(
        demo, owner, jugo, principal, receive, issue):
    receive(jugo, "10", "2.00", date=dt.date(2025, 1, 10))
    issue(jugo, "3", date=dt.date(2025, 1, 20))
    receive(jugo, "5", "3.00", date=dt.date(2025, 2, 5), source="R2")
    services.stock_snapshots_close(company=demo, period_end=dt.date(2025, 1, 31))
    from cuadra.inventory.models import StockSnapshot

    snap = StockSnapshot.objects.get(item=jugo)
    assert (snap.quantity, snap.value) == (D(7), D("14.00"))
    [row] = selectors.stock_on_hand(company=demo, item_id=jugo.pk)
    assert (row.quantity, row.value) == (D(12), D("29.00"))
    [jan] = selectors.stock_on_hand(company=demo, item_id=jugo.pk,
                                    as_of=dt.date(2025, 1, 31))
    assert (jan.quantity, jan.value) == (D(7), D("14.00"))
    receive(jugo, "1", "1.00", date=dt.date(2025, 1, 15), source="R3")
    assert not StockSnapshot.objects.filter(item=jugo).exists()


def test_inventory_ledger_running_totals(demo, jugo, principal, receive, issue):
    receive(jugo, "10", "2.00", date=dt.date(2025, 1, 10))
    issue(jugo, "4", date=dt.date(2025, 1, 12))
    receive(jugo, "2", "3.00", date=dt.date(2025, 1, 13), source="R2")
    rows = selectors.inventory_ledger(company=demo, item_id=jugo.pk,
                                      warehouse_id=principal.pk)
    assert [(r.move.quantity, r.running_quantity, r.running_value) for r in rows] == [
        (D(10), D(10), D("20.00")), (D(-4), D(6), D("12.00")), (D(2), D(8), D("18.00"))]
    later = selectors.inventory_ledger(company=demo, item_id=jugo.pk,
                                       warehouse_id=principal.pk,
                                       date_from=dt.date(2025, 1, 12))
    assert [(r.running_quantity, r.running_value) for r in later] == [
        (D(6), D("12.00")), (D(8), D("18.00"))]


def test_verify_command_names_what_differs(demo, jugo, receive, capsys):
    from django.core.management import call_command

    call_command("inventory", "verify", "--company", "DEMO")
    assert capsys.readouterr().out == "DEMO: OK stock value 0\n"
    receive(jugo, "2", "1.50")  # a bare move, posted by nobody
    with pytest.raises(SystemExit) as exc:
        call_command("inventory", "verify", "--company", "DEMO")
    assert exc.value.code == 1
    assert capsys.readouterr().out == "DEMO: stock value 3.00 != inventory accounts 0.00\n"


def test_return_comes_back_at_the_issue_cost(demo, owner, jugo, principal, receive, issue):
    receive(jugo, "10", "2.00", source="R1")
    receive(jugo, "10", "3.00", source="R2")
    issue(jugo, "15", source="INV-1")  # 35.00
    ret = services.stock_return(company=demo, actor=owner, item=jugo, warehouse=principal,
                                quantity=D(3), date=DAY, source_type="CREDIT",
                                source_id="CN-1", of_source_type="TEST_ISSUE",
                                of_source_id="INV-1")
    assert (ret.quantity, ret.value) == (D(3), D("7.00"))  # 35 x 3 / 15
    with pytest.raises(ValidationError) as exc:
        services.stock_return(company=demo, actor=owner, item=jugo, warehouse=principal,
                              quantity=D(13), date=DAY, source_type="CREDIT",
                              source_id="CN-1", of_source_type="TEST_ISSUE",
                              of_source_id="INV-1")
    assert exc.value.field == "quantity"
    rest = services.stock_return(company=demo, actor=owner, item=jugo, warehouse=principal,
                                 quantity=D(12), date=DAY, source_type="CREDIT",
                                 source_id="CN-2", of_source_type="TEST_ISSUE",
                                 of_source_id="INV-1")
    assert rest.value == D("28.00")


def test_movement_summary_and_slow_movers(demo, jugo, arroz, principal, receive, issue):
    receive(jugo, "10", "2.00", date=dt.date(2025, 1, 5), source="R1")
    receive(arroz, "4", "1.00", date=dt.date(2025, 1, 5), source="R2")
    issue(jugo, "3", date=dt.date(2025, 3, 1))
    rows = selectors.movement_summary(company=demo, date_from=dt.date(2025, 1, 1),
                                      date_to=dt.date(2025, 3, 31))
    assert [(r.item_id, r.quantity_in, r.quantity_out, r.value_in, r.value_out)
            for r in rows] == [(jugo.pk, D(10), D(3), D("20.00"), D("6.00")),
                               (arroz.pk, D(4), D(0), D("4.00"), D(0))]
    slow = selectors.slow_movers(company=demo, as_of=dt.date(2025, 3, 31), days=60)
    assert [(r.item_id, r.quantity, r.value) for r in slow] == [(arroz.pk, D(4), D("4.00"))]
