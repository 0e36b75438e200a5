from decimal import Decimal

from cuadra.ledger.models import Account, Journal, JournalLine
from tests.ledger.conftest import DAY


def test_books_setup_and_post(demo, otra, post):
    assert Account.objects.filter(company=demo).count() == 124
    assert Journal.objects.filter(company=demo).count() == 6
    e = post(("110101", "100.50", None), ("4101", None, "100.50"))
    assert e.number == "AS-2025-000001"
    assert e.state == "posted"
    assert [(li.debit, li.credit) for li in JournalLine.objects.filter(entry=e)] == [
        (Decimal("100.50"), Decimal(0)), (Decimal(0), Decimal("100.50"))]
    assert e.date == DAY
