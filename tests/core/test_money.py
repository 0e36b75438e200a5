"""Exact money: the SQLite text encoding, MoneyField through the database, DecimalSum."""

from decimal import Decimal, localcontext

import pytest
from django.db import connection, transaction
from django.db.models import Max, Min
from hypothesis import given, settings
from hypothesis import strategies as st

from cuadra.core.money import (
    MONEY_DIGITS,
    MONEY_PLACES,
    DecimalSum,
    decode_sortable,
    encode_sortable,
    round_money,
    to_decimal,
)
from tests.testapp.models import Sample

INT_DIGITS = MONEY_DIGITS - MONEY_PLACES

money = st.decimals(min_value=Decimal("-1e24"), max_value=Decimal("1e24"), places=25,
                    allow_nan=False, allow_infinity=False)


def _enc(value: Decimal) -> str:
    return encode_sortable(value, INT_DIGITS, MONEY_PLACES)


@given(money)
def test_decode_inverts_encode(value):
    assert decode_sortable(_enc(value)) == value


@given(money, money)
def test_text_order_is_numeric_order(a, b):
    assert (_enc(a) < _enc(b)) == (a < b)
    assert (_enc(a) == _enc(b)) == (a == b)


@given(st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False))
def test_quantity_scale_round_trips(value):
    assert decode_sortable(encode_sortable(value, 26, 12)) == value


def test_encoding_examples():
    assert encode_sortable(Decimal("1.5"), 3, 2) == "P001.50"
    assert encode_sortable(Decimal("-1.5"), 3, 2) == "N998.49"
    assert encode_sortable(Decimal(0), 3, 2) == "P000.00"
    assert encode_sortable(Decimal("-0"), 3, 2) == "P000.00"
    assert decode_sortable("12.30") == Decimal("12.30")


def test_a_value_too_large_is_refused():
    with pytest.raises(ValueError):
        encode_sortable(Decimal("1000"), 3, 2)


@pytest.mark.parametrize("value", [0.1, 1.0, float("nan")])
def test_floats_are_refused(value):
    with pytest.raises(TypeError):
        to_decimal(value)
    with pytest.raises(TypeError):
        _enc(value)


def test_to_decimal_accepts_exact_inputs():
    assert to_decimal(" 0.1 ") == Decimal("0.1")
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(Decimal("2.50")) == Decimal("2.50")
    with pytest.raises(TypeError):
        to_decimal(True)
    with pytest.raises(ValueError):
        to_decimal("abc")


def test_round_money_rounds_half_up():
    assert round_money(Decimal("2.345")) == Decimal("2.35")
    assert round_money(Decimal("-2.345")) == Decimal("-2.35")


# --- through the database (runs on SQLite and on PostgreSQL) ----------------------------------

TINY = Decimal("0.0000000000000000000000001")  # 1e-25
BIG = Decimal("1234567890123456789012345.1234567890123456789012345")


def _exact_sum(values) -> Decimal:
    # Python's default context keeps 28 digits; money has up to 50
    with localcontext(prec=80):
        return sum(values, Decimal(0))


@pytest.mark.django_db
def test_money_field_round_trips_25_places(demo):
    Sample.objects.create(company=demo, label="big", amount=BIG)
    Sample.objects.create(company=demo, label="tiny", amount=TINY)
    Sample.objects.create(company=demo, label="neg", amount=-BIG)
    got = dict(Sample.objects.values_list("label", "amount"))
    assert got == {"big": BIG, "tiny": TINY, "neg": -BIG}
    assert all(isinstance(v, Decimal) for v in got.values())
    assert Sample.objects.get(amount=TINY).label == "tiny"


@pytest.mark.django_db
def test_money_field_refuses_a_float(demo):
    with pytest.raises(TypeError), transaction.atomic():
        Sample.objects.create(company=demo, amount=0.1)
    assert Sample.objects.count() == 0


@pytest.mark.django_db
def test_decimal_sum_is_exact(demo):
    Sample.objects.bulk_create(
        [Sample(company=demo, amount=Decimal("0.1")), Sample(company=demo, amount=Decimal("0.2"))]
        + [Sample(company=demo, amount=TINY) for _ in range(3)]
        + [Sample(company=demo, amount=None)])
    total = Sample.objects.aggregate(t=DecimalSum("amount"))["t"]
    assert total == Decimal("0.3000000000000000000000003")
    assert isinstance(total, Decimal)


@pytest.mark.django_db
def test_decimal_sum_of_large_and_tiny_and_negative(demo):
    for value in (BIG, TINY, -Decimal("0.5"), Decimal("0.5")):
        Sample.objects.create(company=demo, amount=value)
    assert Sample.objects.aggregate(t=DecimalSum("amount"))["t"] == _exact_sum([BIG, TINY])


@pytest.mark.django_db
def test_decimal_sum_of_nothing_is_none(demo):
    assert Sample.objects.aggregate(t=DecimalSum("amount"))["t"] is None


@pytest.mark.django_db
def test_decimal_sum_per_group(demo, otra):
    Sample.objects.create(company=demo, amount=Decimal("1.25"))
    Sample.objects.create(company=demo, amount=Decimal("2.5"))
    Sample.objects.create(company=otra, amount=Decimal("-0.0000000000000000000000001"))
    rows = dict(Sample.objects.values("company__code").annotate(t=DecimalSum("amount"))
                .values_list("company__code", "t"))
    assert rows == {"DEMO": Decimal("3.75"), "OTRA": -TINY}


VALUES = [Decimal("-10"), Decimal("-2.5"), -TINY, Decimal(0), TINY, Decimal("2"),
          Decimal("10"), Decimal("100.0000000000000000000000001")]


@pytest.fixture
def samples(demo):
    # inserted in a shuffled order so ordering is the database's work
    for value in (VALUES[3], VALUES[6], VALUES[0], VALUES[7], VALUES[2], VALUES[5],
                  VALUES[1], VALUES[4]):
        Sample.objects.create(company=demo, amount=value)


@pytest.mark.django_db
def test_order_by_is_numeric(samples):
    assert list(Sample.objects.order_by("amount").values_list("amount", flat=True)) == VALUES
    assert list(Sample.objects.order_by("-amount").values_list("amount", flat=True)) == (
        VALUES[::-1])


@pytest.mark.django_db
def test_range_filters_are_numeric(samples):
    def amounts(**lookup):
        return sorted(Sample.objects.filter(**lookup).values_list("amount", flat=True))

    assert amounts(amount__gte=Decimal("2")) == [Decimal("2"), Decimal("10"), VALUES[7]]
    assert amounts(amount__gt=0) == [TINY, Decimal("2"), Decimal("10"), VALUES[7]]
    assert amounts(amount__lt=Decimal("-2.5")) == [Decimal("-10")]
    assert amounts(amount__lte="-2.5") == [Decimal("-10"), Decimal("-2.5")]
    assert amounts(amount__range=(-TINY, TINY)) == [-TINY, Decimal(0), TINY]
    assert amounts(amount=Decimal("2.000")) == [Decimal("2")]
    assert amounts(amount__in=[Decimal("10"), Decimal("-10")]) == [Decimal("-10"),
                                                                   Decimal("10")]


@pytest.mark.django_db
def test_min_and_max_are_numeric(samples):
    agg = Sample.objects.aggregate(lo=Min("amount"), hi=Max("amount"))
    assert (agg["lo"], agg["hi"]) == (Decimal("-10"), VALUES[7])


@pytest.mark.django_db
def test_sqlite_stores_text_never_a_float(samples):
    with connection.cursor() as cursor:
        cursor.execute("SELECT amount FROM testapp_sample WHERE amount IS NOT NULL")
        raw = [row[0] for row in cursor.fetchall()]
    if connection.vendor == "sqlite":
        assert all(isinstance(v, str) for v in raw)
    else:
        assert all(isinstance(v, Decimal) for v in raw)


@settings(max_examples=25, deadline=None)
@given(values=st.lists(money, min_size=1, max_size=6))
def test_database_sum_equals_python_sum(values, django_db_blocker):
    # hypothesis and function-scoped db fixtures do not mix; run each example in its own
    # rolled-back transaction instead.
    from cuadra.tenancy.models import Company, Organization

    with django_db_blocker.unblock(), transaction.atomic():
        org = Organization.objects.create(name="hypo")
        company = Company.objects.create(organization=org, code="HYPO", name="Hypo")
        Sample.objects.bulk_create([Sample(company=company, amount=v) for v in values])
        total = Sample.objects.filter(company=company).aggregate(t=DecimalSum("amount"))["t"]
        stored = sorted(Sample.objects.filter(company=company)
                        .order_by("amount").values_list("amount", flat=True))
        transaction.set_rollback(True)
    assert total == _exact_sum(values)
    assert stored == sorted(values)


def test_plain_addition_is_exact_in_any_thread():
    import threading

    a = Decimal("9999999999999999999999999.9999999999999999999999998")
    b = Decimal("0.0000000000000000000000003")
    expected = Decimal("10000000000000000000000000.0000000000000000000000001")
    results = []
    thread = threading.Thread(target=lambda: results.append(a + b))
    thread.start()
    thread.join()
    assert a + b == expected
    assert results == [expected]
