"""Pages without a full count: limit+1 for "next", a capped count, exact only when cheap
or asked for, and keyset cursors that continue exactly where OFFSET would."""

from __future__ import annotations

import datetime as dt

import pytest

from cuadra.core.errors import ValidationError
from cuadra.documents import registry_selectors
from cuadra.documents.filters import DocumentFilters
from cuadra.documents.registry_selectors import documents_page, documents_summary
from tests.documents.registry_helpers import make_record
from tests.sales.conftest import D

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def seven(demo):
    """Seven records, two of them on the same day and one undated."""
    dates = [dt.date(2025, 1, d) for d in (1, 2, 3, 3, 4, 5)] + [None]
    return [make_record(demo, number=f"F-{i}", document_date=day, amount=D(f"{i}.50"))
            for i, day in enumerate(dates, start=1)]


def page(demo, owner, **kwargs):
    return documents_page(company=demo, user=owner, view="everything",
                          filters=DocumentFilters(), column_keys=["number"], **kwargs)


def numbers(p) -> list[str]:
    return [r.cells[0] for r in p.rows]


def test_last_page_knows_the_exact_count_without_a_count(seven, demo, owner):
    p = page(demo, owner, offset=5, limit=5)
    assert (len(p.rows), p.total_count, p.count_capped, p.has_next) == (2, 7, False, False)


def test_count_is_capped(seven, demo, owner, monkeypatch):
    monkeypatch.setattr(registry_selectors, "COUNT_CAP", 5)
    p = page(demo, owner, limit=2)
    assert (p.total_count, p.count_capped, p.has_next) == (None, True, True)
    monkeypatch.setattr(registry_selectors, "COUNT_CAP", 7)
    p = page(demo, owner, limit=2)
    assert (p.total_count, p.count_capped, p.has_next) == (7, False, True)


def test_exact_count_and_totals_when_asked(seven, demo, owner, monkeypatch):
    monkeypatch.setattr(registry_selectors, "COUNT_CAP", 3)
    assert page(demo, owner, limit=2, exact_count=True).total_count == 7
    with_totals = page(demo, owner, limit=2, with_totals=True)
    assert (with_totals.total_count, with_totals.count_capped) == (7, False)
    assert [(t.currency, t.amount, t.count) for t in with_totals.totals] == [
        ("USD", D("31.50"), 7)]
    summary = documents_summary(user=owner, view="everything", filters=DocumentFilters())
    assert (summary.total_count, [(t.amount, t.count) for t in summary.totals]) == (
        7, [(D("31.50"), 7)])


def test_keyset_pages_match_offset_pages(seven, demo, owner):
    by_offset = [numbers(page(demo, owner, offset=o, limit=2)) for o in (0, 2, 4, 6)]
    by_cursor, after = [], ""
    while True:
        p = page(demo, owner, limit=2, after=after)
        by_cursor.append(numbers(p))
        if not p.has_next:
            break
        after = p.next_cursor
    assert by_cursor == by_offset
    assert sorted(n for chunk in by_cursor for n in chunk) == sorted(r.number for r in seven)


def test_bad_cursor_is_refused(seven, demo, owner):
    for bad in ("x", "2025-13-01~5", "2025-01-01~", "~abc"):
        with pytest.raises(ValidationError) as caught:
            page(demo, owner, after=bad)
        assert caught.value.field == "after"


def test_graphql_page_info(seven, as_demo):
    first = as_demo.execute("""{ documents(columns: ["number"], page: {limit: 3}) {
        totalCount countCapped countCap
        pageInfo { hasNextPage hasPreviousPage endCursor } results { cells } } }""")
    data = first["data"]["documents"]
    assert (data["totalCount"], data["countCapped"], data["countCap"]) == (7, False, 10000)
    assert data["pageInfo"]["hasNextPage"] is True
    assert data["pageInfo"]["hasPreviousPage"] is False
    cursor = data["pageInfo"]["endCursor"]
    second = as_demo.execute("""query($after: String) { documents(columns: ["number"],
        page: {limit: 3, after: $after}) { pageInfo { hasPreviousPage } results { cells } } }""",
                             {"after": cursor})
    assert second["data"]["documents"]["pageInfo"]["hasPreviousPage"] is True
    offset = as_demo.execute("""{ documents(columns: ["number"], page: {offset: 3, limit: 3})
        { results { cells } } }""")
    assert (second["data"]["documents"]["results"]
            == offset["data"]["documents"]["results"])


def test_a_page_without_its_count_and_the_count_apart(seven, demo, owner, monkeypatch,
                                                      django_assert_num_queries):
    p = page(demo, owner, limit=2, with_count=False)
    counted = page(demo, owner, limit=2)  # the same rows (where undated ones sort is the
    assert (numbers(p), p.total_count, p.count_deferred, p.has_next) == (  # database's)
        numbers(counted), None, True, True)
    assert (counted.total_count, counted.count_deferred) == (7, False)
    last = page(demo, owner, offset=5, limit=5, with_count=False)  # known without a count
    assert (last.total_count, last.count_deferred) == (7, False)
    found = registry_selectors.documents_count(user=owner, view="everything",
                                               filters=DocumentFilters())
    assert (found.total_count, found.count_capped) == (7, False)
    monkeypatch.setattr(registry_selectors, "COUNT_CAP", 5)
    found = registry_selectors.documents_count(
        user=owner, view="everything", filters=DocumentFilters.parse({"q": "F-"}))
    assert (found.total_count, found.count_capped) == (None, True)
