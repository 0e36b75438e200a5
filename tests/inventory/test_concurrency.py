"""Real concurrency on PostgreSQL (SQLite ignores row locks: DESIGN.md convention 5):
concurrent issues of one item and warehouse never draw the same layer quantity twice;
issues of different items do not wait on each other."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from cuadra.catalog import services as catalog
from cuadra.core.money import ZERO
from cuadra.inventory import selectors, services
from cuadra.inventory.models import CostLayer, LayerConsumption, StockMove
from tests.inventory.conftest import DAY
from tests.sequences.test_concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal
THREADS, PER_THREAD = 8, 5


def _receive(company, owner, item, warehouse, qty, cost, source):
    return services.stock_receive(company=company, actor=owner, item=item,
                                  warehouse=warehouse, quantity=D(qty), unit_cost=D(cost),
                                  date=DAY, source_type="T_IN", source_id=source)


def _issue(company, owner, item, warehouse, qty, source):
    return services.stock_issue(company=company, actor=owner, item=item, warehouse=warehouse,
                                quantity=D(qty), date=DAY, source_type="T_OUT",
                                source_id=source)


def test_concurrent_issues_never_draw_a_layer_twice(platform, demo):
    owner = platform.owner
    item = catalog.item_create(company=demo, actor=owner, sku="CC-1", name="x",
                               base_price="1")
    wh = selectors.warehouse_default(company=demo)
    for n in range(6):  # 6 layers of 5 units: 30 on hand
        _receive(demo, owner, item, wh, "5", f"{n + 1}.00", f"R{n}")
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def writer(i):
        start.wait()
        for k in range(PER_THREAD):  # 8 x 5 = 40 units asked of 30
            try:
                _issue(demo, owner, item, wh, "1", f"{i}-{k}")
                result = "ok"
            except services.InsufficientStock:
                result = "short"
            with lock:
                outcomes.append(result)

    assert run_threads(THREADS, writer) == []
    assert outcomes.count("ok") == 30 and outcomes.count("short") == 10
    layers = CostLayer.objects.filter(item=item)
    for layer in layers:
        drawn = sum((c.quantity for c in LayerConsumption.objects.filter(layer=layer)), ZERO)
        assert drawn == layer.quantity and layer.remaining == 0
    issued = sum((m.value for m in StockMove.objects.filter(item=item, kind="issue")), ZERO)
    assert issued == D("-105.00")  # 5 x (1+2+...+6): every unit costed exactly once
    assert selectors.stock_on_hand(company=demo, item_id=item.pk) == []


def test_issues_of_different_items_do_not_wait(platform, demo):
    owner = platform.owner
    wh = selectors.warehouse_default(company=demo)
    x = catalog.item_create(company=demo, actor=owner, sku="CC-X", name="x", base_price="1")
    y = catalog.item_create(company=demo, actor=owner, sku="CC-Y", name="y", base_price="1")
    _receive(demo, owner, x, wh, "10", "1", "RX")
    _receive(demo, owner, y, wh, "10", "1", "RY")

    def holds_while_other_issues(other):
        a_holds, b_done = threading.Event(), threading.Event()
        outcome = {}

        def a(_):
            with transaction.atomic():
                _issue(demo, owner, x, wh, "1", "A")
                a_holds.set()
                outcome["in_time"] = b_done.wait(timeout=10)

        def b(_):
            assert a_holds.wait(timeout=10)
            _issue_or_timeout(demo, owner, other, wh, outcome, b_done)

        assert run_threads(2, lambda i: (a, b)[i](i)) == []
        assert outcome["in_time"]
        return outcome["b"]

    assert holds_while_other_issues(y) == D("-1.00")
    assert holds_while_other_issues(x) == "OperationalError"  # the control: same item waits


def _issue_or_timeout(demo, owner, item, warehouse, outcome: dict, done) -> None:
    """One unit of ``item`` out, giving up after 2 s on a lock: ``outcome["b"]`` is the
    issue's value, or the error's name."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            outcome["b"] = _issue(demo, owner, item, warehouse, "1", "B").value
    except Exception as exc:
        outcome["b"] = type(exc).__name__
    finally:
        done.set()


def test_recost_chunk_holds_its_pair_only(platform, demo):
    """A re-cost chunk locks the layers of its (item, warehouse) like an issue does: an
    issue of another item goes through meanwhile, one of the same pair waits."""
    from cuadra.inventory import recost
    from cuadra.inventory.models import RecostJob

    owner = platform.owner
    wh = selectors.warehouse_default(company=demo)
    x = catalog.item_create(company=demo, actor=owner, sku="RC-X", name="x", base_price="1")
    y = catalog.item_create(company=demo, actor=owner, sku="RC-Y", name="y", base_price="1")
    _receive(demo, owner, x, wh, "10", "1", "RX")
    _receive(demo, owner, y, wh, "10", "1", "RY")
    job = RecostJob.objects.create(company=demo, item=x, warehouse=wh, from_date=DAY)

    def while_chunk_runs(other):
        holds, done = threading.Event(), threading.Event()
        outcome = {}
        real_chunk = recost._chunk

        def slow_chunk(job, size):
            step = real_chunk(job, size)
            holds.set()
            outcome["in_time"] = done.wait(timeout=10)
            return step

        def a(_):
            recost._chunk = slow_chunk
            try:
                recost.recost_job_run(job_id=job.pk)
            finally:
                recost._chunk = real_chunk

        def b(_):
            assert holds.wait(timeout=10)
            _issue_or_timeout(demo, owner, other, wh, outcome, done)

        assert run_threads(2, lambda i: (a, b)[i](i)) == []
        assert outcome["in_time"]
        RecostJob.objects.filter(pk=job.pk).update(state="pending")
        return outcome["b"]

    assert while_chunk_runs(y) == D("-1.00")
    assert while_chunk_runs(x) == "OperationalError"  # the same pair waits for the chunk
