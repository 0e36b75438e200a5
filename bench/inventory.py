"""Inventory at scale: FIFO issues, a backdated receipt's bounded re-cost, and a full
recomputation, against a raw-SQL baseline.

    cuadra bench inventory [--moves N] [--items I] [--warehouses W] [--hot H]
                           [--sample S] [--chunk C] [--seed K]

Runs against DATABASE_URL (migrated; ``cuadra init``), in a new company BINV<time> each
run. Figures (issue 7, "Performance"):

* generate: ``--moves`` stock moves (default 1,000,000) over ``--items`` items (1,000) in
  ``--warehouses`` warehouses (5) through a year, day by day: receipts at varying costs
  and FIFO issues that never go below zero, with their cost layers and consumption rows,
  computed by a plain integer FIFO here and loaded set-based (``COPY`` on PostgreSQL,
  ``bulk_create`` elsewhere), plus the monthly entries (inventory against GRNI and cost
  of sales) posted through ``journal_entries_post`` so that ``inventory_verify`` holds;
  the hot pair (item 1, the first warehouse) gets about ``--hot`` moves (1,000) after the
  middle of January, the others share the rest;
* issues: ``--sample`` issues (1,000) of one unit on random pairs through
  ``stock_issue`` (validation, the layer lock in FIFO order, the queue, write-back,
  consumption rows, audit), one transaction each, next to the same work in raw SQL on
  plain copies of the live layers (``SELECT ... FOR UPDATE``, ``UPDATE``, two
  ``INSERT``), one transaction each;
* backdated: one receipt into the hot pair dated in January: the ``stock_receive`` call
  (which schedules the job), then the job through ``recost_job_run`` (what the recost
  worker runs): its time, the moves replayed and re-costed, the rows written, that no
  other pair was touched;
* recompute: ``inventory_recompute_all`` over every move (streamed, each pair replayed
  FIFO from its first move and compared with the stored costs and layers), and
  ``inventory_verify``.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import time
from collections import deque
from decimal import Decimal

from django.db import connection, transaction

YEAR = 2025
DAYS = 365
START = dt.date(YEAR, 1, 1)
BACKDATE = dt.date(YEAR, 1, 15)
PLACES = Decimal(1).scaleb(-25)
RAW_LAYER, RAW_MOVE, RAW_USE = "bench_inv_layer", "bench_inv_move", "bench_inv_use"


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


# --- setup ---------------------------------------------------------------------------------

def _company(args):
    from cuadra.catalog import services as catalog
    from cuadra.inventory import services as inventory
    from cuadra.inventory.models import Warehouse
    from cuadra.tenancy import services as tenancy
    from cuadra.tenancy.models import Organization

    org = (Organization.objects.filter(name="Bench").first()
           or tenancy.organization_create(name="Bench"))
    code = f"BINV{int(time.time()) % 100_000_000}"
    company = tenancy.company_create(organization=org, code=code, name=f"{code}, S.A.")
    warehouses = list(Warehouse.objects.filter(company=company))
    for n in range(len(warehouses), args.warehouses):
        warehouses.append(inventory.warehouse_create(company=company, actor=None,
                                                     code=f"B{n}", name=f"Bodega {n}"))
    items = [catalog.item_create(company=company, actor=None, sku=f"INV-{n:05d}",
                                 name=f"Artículo {n}", base_price="10.00")
             for n in range(args.items)]
    return company, items, warehouses[:args.warehouses]


# --- generation ----------------------------------------------------------------------------

class _Ids:
    def __init__(self, model):
        from django.db.models import Max

        self.next = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


class _Pair:
    __slots__ = ("count", "done", "item", "layers", "rng", "warehouse")

    def __init__(self, item, warehouse, count, seed):
        self.item, self.warehouse, self.count, self.done = item, warehouse, count, 0
        self.layers: deque = deque()  # [layer id, move id, day, qty, cost cents, remaining]
        self.rng = random.Random(seed)

    def on_hand(self) -> int:
        return sum(la[5] for la in self.layers)


class _Generator:
    """A day-by-day FIFO over every pair in integer units and cents; rows go to a sink."""

    def __init__(self, company, items, warehouses, args, sink):
        from cuadra.inventory.models import CostLayer, LayerConsumption, StockMove

        self.company, self.sink = company, sink
        self.move_ids, self.layer_ids = _Ids(StockMove), _Ids(CostLayer)
        self.use_ids = _Ids(LayerConsumption)
        pairs = [(i, w) for i in items for w in warehouses]
        hot = args.hot * DAYS // (DAYS - (BACKDATE - START).days) if args.hot else 0
        rest = max(args.moves - hot, 0)
        base, extra = divmod(rest, max(len(pairs) - (1 if hot else 0), 1))
        self.pairs = []
        for n, (item, warehouse) in enumerate(pairs):
            count = hot if (hot and n == 0) else base + (1 if n - (1 if hot else 0) < extra
                                                         else 0)
            self.pairs.append(_Pair(item.pk, warehouse.pk, count, args.seed * 7919 + n))
        self.monthly: dict[int, list[int]] = {m: [0, 0] for m in range(1, 13)}

    def run(self) -> int:
        moves = 0
        for day in range(DAYS):
            date = START + dt.timedelta(days=day)
            for pair in self.pairs:
                upto = -(-(day + 1) * pair.count // DAYS)  # ceil: the pair's moves so far
                while pair.done < upto:
                    self._move(pair, date)
                    pair.done += 1
                    moves += 1
            self.sink.day_done()
        for pair in self.pairs:
            for layer in pair.layers:
                self._layer_row(pair, layer)
        return moves

    def _move(self, pair: _Pair, date: dt.date) -> None:
        rng = pair.rng
        stock = pair.on_hand()
        if stock < 5 or rng.random() < 0.5:
            self._receipt(pair, date, rng.randint(10, 40), rng.randint(100, 999))
        else:
            self._issue(pair, date, rng.randint(1, min(stock, 45)))

    def _receipt(self, pair, date, qty, cost) -> None:
        move = self.move_ids.take()
        value = qty * cost
        self.sink.move((move, pair.item, pair.warehouse, date, "receipt", str(qty),
                        _money(cost), _money(value), "BENCH_IN", str(move)))
        pair.layers.append([self.layer_ids.take(), move, date, qty, cost, qty])
        self.monthly[date.month][0] += value

    def _issue(self, pair, date, qty) -> None:
        move = self.move_ids.take()
        left, value, uses = qty, 0, []
        while left:
            layer = pair.layers[0]
            take = min(left, layer[5])
            layer[5] -= take
            left -= take
            value += take * layer[4]
            uses.append((self.use_ids.take(), move, layer[0], str(take),
                         _money(take * layer[4])))
            if layer[5] == 0:
                self._layer_row(pair, pair.layers.popleft())
        unit_cost = (Decimal(value) / 100 / qty).quantize(PLACES)
        self.sink.move((move, pair.item, pair.warehouse, date, "issue", str(-qty),
                        f"{unit_cost:f}", _money(-value), "BENCH_OUT", str(move)))
        for use in uses:
            self.sink.use(use)
        self.monthly[date.month][1] += value

    def _layer_row(self, pair, layer) -> None:
        lid, move, date, qty, cost, remaining = layer
        self.sink.layer((lid, move, pair.item, pair.warehouse, date, str(qty), _money(cost),
                         _money(qty * cost), str(remaining), _money(remaining * cost)))


class _CopySink:
    """PostgreSQL: the moves by ``COPY`` as they come (committed every ~100k rows), the
    layers and consumption rows spooled and copied after them (foreign keys hold at
    every commit)."""

    def __init__(self, company):
        from cuadra.inventory.models import CostLayer, LayerConsumption, StockMove

        self.company = company.pk
        self.now = dt.datetime.now(dt.UTC).isoformat()
        self.tables = {"move": StockMove._meta.db_table, "layer": CostLayer._meta.db_table,
                       "use": LayerConsumption._meta.db_table}
        self.buffers = {"move": io.StringIO(), "layer": io.StringIO(), "use": io.StringIO()}
        self.pending = {"move": 0, "layer": 0, "use": 0}
        self.spool = {"layer": [], "use": []}

    _COLUMNS = {
        "move": "(id, created_at, updated_at, company_id, item_id, warehouse_id, date, kind, "
                "quantity, unit_cost, value, source_type, source_id)",
        "layer": "(id, created_at, updated_at, company_id, move_id, item_id, warehouse_id, "
                 "date, quantity, unit_cost, value, remaining, remaining_value)",
        "use": "(id, created_at, updated_at, company_id, move_id, layer_id, quantity, value)",
    }

    def _row(self, kind, values) -> None:
        head = f"{values[0]}\t{self.now}\t{self.now}\t{self.company}\t"
        self.buffers[kind].write(head + "\t".join(str(v) for v in values[1:]) + "\n")
        self.pending[kind] += 1

    def move(self, values) -> None:
        self._row("move", values)

    def layer(self, values) -> None:
        self._row("layer", values)

    def use(self, values) -> None:
        self._row("use", values)

    def day_done(self) -> None:
        if self.pending["move"] >= 100_000:
            self._copy("move")
        for kind in ("layer", "use"):
            if self.pending[kind] >= 100_000:  # spooled: copied once the moves are in
                self.spool[kind].append(self.buffers[kind].getvalue())
                self.buffers[kind], self.pending[kind] = io.StringIO(), 0

    def _copy(self, kind, text=None) -> None:
        data = self.buffers[kind].getvalue() if text is None else text
        if text is None:
            self.buffers[kind], self.pending[kind] = io.StringIO(), 0
        if not data:
            return
        sql = f"COPY {self.tables[kind]} {self._COLUMNS[kind]} FROM STDIN"
        with transaction.atomic(), connection.cursor() as cur, cur.cursor.copy(sql) as copy:
            copy.write(data)

    def start(self) -> None:
        """The usual bulk load: secondary indexes dropped (rebuilt in ``finish``) and the
        foreign-key triggers off for this session (the generator only names rows that
        exist); the primary keys stay."""
        with connection.cursor() as cur:
            cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                        "AND indexdef NOT LIKE '%%UNIQUE%%'", [list(self.tables.values())])
            self.indexes = cur.fetchall()
            for name, _ in self.indexes:
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute("SET session_replication_role = replica")

    def finish(self) -> None:
        try:
            self._copy("move")
            for kind in ("layer", "use"):
                for text in self.spool[kind]:
                    self._copy(kind, text)
                self.spool[kind] = []
                self._copy(kind)
        finally:
            with connection.cursor() as cur:
                cur.execute("SET session_replication_role = DEFAULT")
                for _, definition in self.indexes:
                    cur.execute(definition)
        with connection.cursor() as cur:
            for table in self.tables.values():
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT MAX(id) FROM {table}))")
                cur.execute(f"ANALYZE {table}")


class _OrmSink:
    """Any backend (SQLite): ``bulk_create`` in batches, the same order."""

    def __init__(self, company):
        self.company = company
        self.rows = {"move": [], "layer": [], "use": []}

    def start(self) -> None:
        pass

    def move(self, v) -> None:
        self.rows["move"].append(v)

    def layer(self, v) -> None:
        self.rows["layer"].append(v)

    def use(self, v) -> None:
        self.rows["use"].append(v)

    def day_done(self) -> None:
        if len(self.rows["move"]) >= 20_000:
            self._flush_moves()

    def _flush_moves(self) -> None:
        from cuadra.inventory.models import StockMove

        StockMove.objects.bulk_create([StockMove(
            pk=m, company=self.company, item_id=i, warehouse_id=w, date=d, kind=k,
            quantity=Decimal(q), unit_cost=Decimal(c), value=Decimal(v), source_type=st,
            source_id=sid) for m, i, w, d, k, q, c, v, st, sid in self.rows["move"]],
            batch_size=2_000)
        self.rows["move"] = []

    def finish(self) -> None:
        from cuadra.inventory.models import CostLayer, LayerConsumption

        self._flush_moves()
        CostLayer.objects.bulk_create([CostLayer(
            pk=lid, company=self.company, move_id=m, item_id=i, warehouse_id=w, date=d,
            quantity=Decimal(q), unit_cost=Decimal(c), value=Decimal(v),
            remaining=Decimal(r), remaining_value=Decimal(rv))
            for lid, m, i, w, d, q, c, v, r, rv in self.rows["layer"]], batch_size=2_000)
        LayerConsumption.objects.bulk_create([LayerConsumption(
            pk=u, company=self.company, move_id=m, layer_id=la, quantity=Decimal(q),
            value=Decimal(v)) for u, m, la, q, v in self.rows["use"]], batch_size=2_000)


def _post_months(company, monthly) -> int:
    """Inventory against GRNI for the month's receipts, cost of sales against inventory
    for its issues, dated at the month's end."""
    from cuadra.inventory import posting
    from cuadra.ledger.enums import AccountRole
    from cuadra.ledger.services import journal_entries_post

    inv = posting.role_account(company, AccountRole.INVENTORY).pk
    grni = posting.role_account(company, AccountRole.GRNI).pk
    cogs = posting.role_account(company, AccountRole.COGS).pk
    journal = posting.general_journal(company).pk
    entries = []
    for month, (received, issued) in monthly.items():
        end = (dt.date(YEAR, month % 12 + 1, 1) if month < 12 else dt.date(YEAR + 1, 1, 1)) \
            - dt.timedelta(days=1)
        for ref, dr, cr, cents in (("receipts", inv, grni, received),
                                   ("issues", cogs, inv, issued)):
            if cents:
                amount = Decimal(cents) / 100
                entries.append({"journal": journal, "date": end, "reference": f"BENCH {ref}",
                                "currency": company.base_currency,
                                "lines": [{"account": dr, "debit": amount},
                                          {"account": cr, "credit": amount}]})
    journal_entries_post(company=company, actor=None, entries=entries)
    return len(entries)


def generate(company, items, warehouses, args) -> tuple[int, float]:
    began = time.perf_counter()
    sink = _CopySink(company) if connection.vendor == "postgresql" else _OrmSink(company)
    gen = _Generator(company, items, warehouses, args, sink)
    sink.start()
    try:
        moves = gen.run()
    finally:
        sink.finish()
    _post_months(company, gen.monthly)
    return moves, time.perf_counter() - began


# --- issues: services vs raw ---------------------------------------------------------------

def _sample(company, items, warehouses, n, seed):
    from cuadra.core.money import DecimalSum
    from cuadra.inventory.models import CostLayer

    stocked = {(r["item_id"], r["warehouse_id"]): r["q"] for r in (
        CostLayer.objects.filter(company=company).values("item_id", "warehouse_id")
        .annotate(q=DecimalSum("remaining")).order_by())}
    rng = random.Random(seed)
    by_pk = {i.pk: i for i in items}
    wh = {w.pk: w for w in warehouses}
    keys = sorted(k for k, q in stocked.items() if q and q >= 1)
    picks, taken = [], {}
    while len(picks) < n and keys:
        key = rng.choice(keys)
        if taken.get(key, 0) + 1 > stocked[key]:
            continue
        taken[key] = taken.get(key, 0) + 1
        picks.append((by_pk[key[0]], wh[key[1]]))
    return picks


def issues_through_services(company, picks) -> tuple[float, Decimal]:
    from cuadra.inventory.services import stock_issue

    date = dt.date(YEAR, 12, 31)
    total = Decimal(0)
    began = time.perf_counter()
    for n, (item, warehouse) in enumerate(picks):
        move = stock_issue(company=company, actor=None, item=item, warehouse=warehouse,
                           quantity=Decimal(1), date=date, source_type="BENCH_SAMPLE",
                           source_id=n)
        total -= move.value
    return time.perf_counter() - began, total


def _raw_tables(company) -> None:
    """Plain copies of the live layers (one FIFO index), and plain move and consumption
    tables without checks."""
    from cuadra.inventory.models import CostLayer

    money = "TEXT" if connection.vendor == "sqlite" else "NUMERIC(50,25)"
    live = (CostLayer.objects.filter(company=company).exclude(remaining=0)
            .values_list("id", "item_id", "warehouse_id", "date", "unit_cost", "remaining",
                         "remaining_value"))
    with connection.cursor() as cur:
        _drop_raw()
        cur.execute(f"CREATE TABLE {RAW_LAYER} (id BIGINT PRIMARY KEY, item_id BIGINT, "
                    f"warehouse_id BIGINT, date DATE, unit_cost {money}, "
                    f"remaining {money}, remaining_value {money})")
        cur.executemany(f"INSERT INTO {RAW_LAYER} VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        [(i, it, w, d, _plain(c), _plain(r), _plain(v))
                         for i, it, w, d, c, r, v in live])
        cur.execute(f"CREATE INDEX {RAW_LAYER}_fifo ON {RAW_LAYER} "
                    "(item_id, warehouse_id, date, id)")
        cur.execute(f"CREATE TABLE {RAW_MOVE} (id BIGINT PRIMARY KEY, item_id BIGINT, "
                    f"warehouse_id BIGINT, date DATE, quantity {money}, value {money})")
        cur.execute(f"CREATE TABLE {RAW_USE} (id BIGINT PRIMARY KEY, move_id BIGINT, "
                    f"layer_id BIGINT, quantity {money}, value {money})")


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def issues_raw(picks) -> float:
    """The same issues in raw SQL: lock the pair's live layers in FIFO order, draw one
    unit from the first, update it, insert the move and its consumption row."""
    date = dt.date(YEAR, 12, 31)
    use_id = 0
    began = time.perf_counter()
    with connection.cursor() as cur:
        for n, (item, warehouse) in enumerate(picks):
            with transaction.atomic():
                cur.execute(f"SELECT id, unit_cost, remaining, remaining_value FROM {RAW_LAYER} "
                            "WHERE item_id = %s AND warehouse_id = %s AND date <= %s "
                            "AND remaining <> 0 ORDER BY date, id"
                            + (" FOR UPDATE" if connection.vendor == "postgresql" else ""),
                            [item.pk, warehouse.pk, date])
                lid, cost, remaining, rvalue = cur.fetchone()
                cost, remaining, rvalue = (Decimal(str(cost)), Decimal(str(remaining)),
                                           Decimal(str(rvalue)))
                after = remaining - 1
                value_after = (after * cost).quantize(Decimal("0.01")) if after else Decimal(0)
                value = rvalue - value_after
                cur.execute(f"UPDATE {RAW_LAYER} SET remaining = %s, remaining_value = %s "
                            "WHERE id = %s", [_plain(after), _plain(value_after), lid])
                cur.execute(f"INSERT INTO {RAW_MOVE} VALUES (%s, %s, %s, %s, %s, %s)",
                            [n + 1, item.pk, warehouse.pk, date, "-1", _plain(-value)])
                use_id += 1
                cur.execute(f"INSERT INTO {RAW_USE} VALUES (%s, %s, %s, %s, %s)",
                            [use_id, n + 1, lid, "1", _plain(value)])
    return time.perf_counter() - began


def _drop_raw() -> None:
    with connection.cursor() as cur:
        for table in (RAW_USE, RAW_MOVE, RAW_LAYER):
            cur.execute(f"DROP TABLE IF EXISTS {table}")


def _post_sample(company, total: Decimal) -> None:
    from cuadra.inventory import posting
    from cuadra.ledger.enums import AccountRole

    posting.post(company=company, actor=None, date=dt.date(YEAR, 12, 31),
                 reference="BENCH sample issues", memo="Sample issues of the bench",
                 source_type="bench", source_id=company.pk, key=f"bench.sample:{company.pk}",
                 amounts={posting.role_account(company, AccountRole.COGS).pk: total,
                          posting.role_account(company, AccountRole.INVENTORY).pk: -total})


# --- backdated receipt ---------------------------------------------------------------------

def backdated(company, item, warehouse, chunk: int) -> dict:
    from cuadra.inventory import posting, tasks
    from cuadra.inventory.enums import MoveKind
    from cuadra.inventory.models import LayerConsumption, RecostJob, StockMove
    from cuadra.inventory.recost import recost_job_run
    from cuadra.inventory.services import stock_receive
    from cuadra.ledger.enums import AccountRole
    from cuadra.ledger.models import JournalEntry

    later = StockMove.objects.filter(company=company, item=item, warehouse=warehouse,
                                     date__gte=BACKDATE).count()
    moves_before = StockMove.objects.filter(company=company).count()
    queued = []
    delay, tasks.recost_run.delay = tasks.recost_run.delay, queued.append
    try:
        began = time.perf_counter()
        with transaction.atomic():
            receipt = stock_receive(company=company, actor=None, item=item,
                                    warehouse=warehouse, quantity=Decimal(7),
                                    unit_cost=Decimal("0.50"), date=BACKDATE,
                                    source_type="BENCH_BACKDATED", source_id=1)
            posting.post(company=company, actor=None, date=BACKDATE,
                         reference="BENCH backdated", memo="Backdated receipt",
                         source_type="bench", source_id=receipt.pk,
                         key=f"bench.backdated:{receipt.pk}",
                         amounts={posting.role_account(company, AccountRole.INVENTORY).pk:
                                  receipt.value,
                                  posting.role_account(company, AccountRole.GRNI).pk:
                                  -receipt.value})
        t_receive = time.perf_counter() - began
    finally:
        tasks.recost_run.delay = delay
    [job_id] = queued
    began = time.perf_counter()
    job = recost_job_run(job_id=job_id, chunk_size=chunk)
    t_job = time.perf_counter() - began
    fixes = StockMove.objects.filter(company=company, kind=MoveKind.RECOST)
    return {
        "later": later, "t_receive": t_receive, "t_job": t_job, "job": job,
        "recost_moves": fixes.count(),
        "other_pairs": fixes.exclude(item=item, warehouse=warehouse).count(),
        "consumptions": LayerConsumption.objects.filter(move__in=fixes).count(),
        "entries": JournalEntry.objects.filter(company=company,
                                               source_type="inventory.RecostJob").count(),
        "jobs": RecostJob.objects.filter(company=company).count(),
        "moves_added": StockMove.objects.filter(company=company).count() - moves_before,
    }


# --- report --------------------------------------------------------------------------------

def _row(label: str, count: float, seconds: float, unit: str, extra: str = "") -> None:
    rate = count / seconds if seconds else float("inf")
    print(f"  {label:<52} {count:>10,.0f} {unit:<7} {seconds:>9.3f} s "
          f"{rate:>10,.0f} {unit}/s  {extra}", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cuadra bench inventory")
    parser.add_argument("--moves", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--warehouses", type=int, default=5)
    parser.add_argument("--hot", type=int, default=1_000,
                        help="moves of the hot pair after the backdated date (default 1,000)")
    parser.add_argument("--sample", type=int, default=1_000,
                        help="issues timed through the services and in raw SQL")
    parser.add_argument("--chunk", type=int, default=500, help="re-cost job chunk size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from django.conf import settings

    from cuadra.inventory.recost import inventory_recompute_all
    from cuadra.inventory.selectors import inventory_verify

    if settings.DEBUG:  # DEBUG logs every query: time what production runs
        settings.DEBUG = False
        print("(DEBUG query logging switched off for the run, as in production)")
    print(f"cuadra bench inventory on {connection.vendor} "
          f"({connection.settings_dict.get('NAME')})", flush=True)
    began = time.perf_counter()
    company, items, warehouses = _company(args)
    print(f"company {company.code}: {len(items):,} items, {len(warehouses)} warehouses "
          f"({time.perf_counter() - began:.1f} s)", flush=True)

    moves, t_gen = generate(company, items, warehouses, args)
    from cuadra.inventory.models import CostLayer, LayerConsumption

    layers = CostLayer.objects.filter(company=company).count()
    uses = LayerConsumption.objects.filter(company=company).count()
    _row(f"generate ({'COPY' if connection.vendor == 'postgresql' else 'bulk_create'}; "
         f"+{layers:,} layers, {uses:,} uses)", moves, t_gen, "moves")

    picks = _sample(company, items, warehouses, args.sample, args.seed)
    _raw_tables(company)  # copied before our issues draw: both paths start from one stock
    t_ours, total = issues_through_services(company, picks)
    _post_sample(company, total)
    try:
        t_raw = issues_raw(picks)
    finally:
        _drop_raw()
    _row("stock_issue, one transaction each", len(picks), t_ours, "issues")
    _row("raw SQL, one transaction each", len(picks), t_raw, "issues",
         f"(ours {t_raw / t_ours:.1%} of raw)" if t_ours else "")

    hot_item, hot_wh = items[0], warehouses[0]
    b = backdated(company, hot_item, hot_wh, args.chunk)
    job = b["job"]
    print(f"  backdated receipt into {hot_item.sku}/{hot_wh.code} on {BACKDATE}: "
          f"{b['later']:,} later moves of that pair", flush=True)
    _row("  stock_receive (schedules the job)", 1, b["t_receive"], "moves")
    _row(f"  recost_job_run ({job.state}, chunks of {args.chunk})", b["later"], b["t_job"],
         "moves", "(target < 1 s for 1,000 later moves)")
    print(f"    issues re-costed {job.moves_recosted:,}; RECOST moves {b['recost_moves']:,} "
          f"(other pairs: {b['other_pairs']}), consumption rows {b['consumptions']:,}, "
          f"entries {b['entries']:,}; difference {job.difference:.2f}; jobs {b['jobs']}",
          flush=True)

    began = time.perf_counter()
    result = inventory_recompute_all(company=company)
    t_all = time.perf_counter() - began
    _row(f"inventory_recompute_all (ok={result.ok}, {result.pairs:,} pairs)", result.moves,
         t_all, "moves", "(target < 60 s for 1,000,000)")
    if result.differing or result.skipped_negative:
        print(f"    differing {result.differing[:5]}, negative {result.skipped_negative[:5]}")
    began = time.perf_counter()
    verified = inventory_verify(company=company)
    _row(f"inventory_verify (ok={verified.ok})", moves, time.perf_counter() - began, "moves",
         "; ".join(verified.problems[:3]))
    return 0
