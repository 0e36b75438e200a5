"""Registry rows written directly (the bench does the same), for query and export tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cuadra.documents.models import DocumentRecord

_seq = iter(range(10_000, 10_000_000))


def make_record(company, **fields) -> DocumentRecord:
    values = {"document_type": "SALES_INVOICE", "path": "SALES_INVOICES", "kind": "INVOICE",
              "status": "issued", "number": "", "document_date": dt.date(2025, 3, 1),
              "currency": "USD", "amount": Decimal("10.00"), "tax": Decimal("0.70"),
              "party_type": "CLIENT", "party_name": "Cliente", "party_code": "C1",
              "payment_state": "UNPAID"}
    values.update(fields)
    values.setdefault("object_id", next(_seq))
    return DocumentRecord.objects.create(company=company, **values)
