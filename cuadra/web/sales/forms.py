"""The draft form of a quote, order or invoice as typed: header fields and lines. It
turns into the domain services' input, and prices itself for the live totals through the
domain's own line builder (price resolution, DGI rounding) without writing anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from cuadra.catalog.models import ItemUnit
from cuadra.catalog.selectors import items_list, taxes_list
from cuadra.contacts.models import Client
from cuadra.contacts.selectors import clients_list
from cuadra.core.errors import ErrorCollector
from cuadra.sales.lines import build_lines
from cuadra.sales.totals import ZERO, totals_by_rate
from cuadra.web.accounting.common import parse_date
from cuadra.web.sales.common import money_plain, quantity_text

LINE_FIELDS = ("item", "unit", "description", "quantity", "unit_price", "discount", "tax")
NO_TAX = "none"  # the tax select's "no tax" choice; blank means "the item's tax"


@dataclass
class FormLine:
    item: str = ""
    unit: str = ""
    description: str = ""
    quantity: str = ""
    unit_price: str = ""
    discount: str = ""
    tax: str = ""
    errors: list[str] = field(default_factory=list)
    amount: Decimal | None = None  # the line total as priced now
    price_hint: str = ""      # the resolved unit price when none is typed
    units: list = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not any(getattr(self, name).strip() for name in LINE_FIELDS)

    def service_data(self) -> dict:
        data = {"item": self.item or None, "unit": self.unit or None,
                "description": self.description.strip(),
                "quantity": _number(self.quantity), "unit_price": _number(self.unit_price),
                "discount_percent": _number(self.discount)}
        if self.tax == NO_TAX:
            data["tax"] = None
        elif self.tax:
            data["tax"] = self.tax
        return data


def _number(text: str) -> str | None:
    text = (text or "").strip().replace(",", "")
    return text or None


@dataclass
class DocForm:
    client: str = ""
    date: str = ""
    due_date: str = ""
    valid_until: str = ""
    kind: str = "INVOICE"
    notes: str = ""
    lines: list[FormLine] = field(default_factory=list)

    @classmethod
    def blank(cls, client: str = "", lines: int = 2) -> DocForm:
        return cls(client=client, date=timezone.localdate().isoformat(),
                   lines=[FormLine() for _ in range(lines)])

    @classmethod
    def from_post(cls, post) -> DocForm:
        columns = [post.getlist(f"line_{name}") for name in LINE_FIELDS]
        rows = max((len(c) for c in columns), default=0)
        lines = [FormLine(*(c[i] if i < len(c) else "" for c in columns)) for i in range(rows)]
        return cls(client=post.get("client", ""), date=post.get("date", "").strip(),
                   due_date=post.get("due_date", "").strip(),
                   valid_until=post.get("valid_until", "").strip(),
                   kind=post.get("kind", "INVOICE"), notes=post.get("notes", ""), lines=lines)

    @classmethod
    def from_document(cls, document) -> DocForm:
        lines = [FormLine(item=str(li.item_id or ""), unit=str(li.unit_id or ""),
                          description=li.description, quantity=quantity_text(li.quantity),
                          unit_price=money_plain(li.unit_price),
                          discount=quantity_text(li.discount_percent)
                          if li.discount_percent else "",
                          tax=str(li.tax_id) if li.tax_id else NO_TAX)
                 for li in document.lines.order_by("line_no")]
        return cls(client=str(document.client_id), date=document.date.isoformat(),
                   due_date=_iso(getattr(document, "due_date", None)),
                   valid_until=_iso(getattr(document, "valid_until", None)),
                   kind=getattr(document, "kind", "INVOICE"), notes=document.notes,
                   lines=lines)

    def used_lines(self) -> list[tuple[int, FormLine]]:
        return [(i, line) for i, line in enumerate(self.lines) if not line.blank]

    def header_data(self, model_name: str) -> dict:
        data = {"date": self.date or None, "notes": self.notes.strip()}
        if model_name == "SalesInvoice":
            data["kind"] = self.kind
            data["due_date"] = parse_date(self.due_date)
        if model_name == "SalesQuote":
            data["valid_until"] = parse_date(self.valid_until)
        return data

    def lines_data(self) -> list[dict]:
        return [line.service_data() for _row, line in self.used_lines()]

    def attach_errors(self, fields: dict[str, str]) -> dict[str, str]:
        """Line errors onto their rows (the services count filled rows only); the rest."""
        rows = [row for row, _line in self.used_lines()]
        rest = {}
        for name, message in fields.items():
            index = _line_index(name)
            if index is not None and index < len(rows):
                self.lines[rows[index]].errors.append(message)
            else:
                rest[name] = message
        return rest

    def price(self, company) -> dict:
        """Price every filled line as the domain would (nothing is written) and return the
        totals: subtotal, tax by rate, total, and how many lines could not be priced."""
        client = _client(company, self.client)
        date = parse_date(self.date, timezone.localdate())
        used = self.used_lines()
        errors = ErrorCollector()
        built = build_lines(company=company, client=client, date=date,
                            lines_data=[line.service_data() for _i, line in used],
                            errors=errors)
        by_no = {values["line_no"]: values for values in built}
        priced = []
        for n, (_row, line) in enumerate(used, start=1):
            values = by_no.get(n)
            if values is None:
                continue
            line.amount = values["total_amount"]
            if not line.unit_price.strip():
                line.price_hint = money_plain(values["unit_price"])
            priced.append(SimpleNamespace(tax=values["tax"], tax_id=getattr(
                values["tax"], "pk", None), base_amount=values["base_amount"],
                tax_amount=values["tax_amount"], total_amount=values["total_amount"]))
        self._hint_prices(company, client, date)
        return {"subtotal": sum((p.base_amount for p in priced), ZERO),
                "tax": sum((p.tax_amount for p in priced), ZERO),
                "total": sum((p.total_amount for p in priced), ZERO),
                "by_rate": [{"code": r.tax_code, "percent": quantity_text(r.rate * 100),
                             "base": r.base, "tax": r.tax} for r in totals_by_rate(priced)],
                "unpriced": len(used) - len(priced)}

    def _hint_prices(self, company, client, date) -> None:
        """The resolved unit price of an item chosen before its quantity is typed."""
        waiting = [line for line in self.lines if line.item and not line.quantity.strip()
                   and not line.unit_price.strip()]
        if not waiting:
            return
        built = build_lines(company=company, client=client, date=date, errors=ErrorCollector(),
                            lines_data=[{**line.service_data(), "quantity": "1"}
                                        for line in waiting])
        by_no = {values["line_no"]: values for values in built}
        for n, line in enumerate(waiting, start=1):
            if n in by_no:
                line.price_hint = money_plain(by_no[n]["unit_price"])

    def attach_units(self, company) -> None:
        """Each line's unit choices: the levels of its item."""
        ids = {int(li.item) for li in self.lines if li.item.isdigit()}
        units: dict[int, list] = {}
        for unit in ItemUnit.objects.filter(company=company, item_id__in=ids,
                                            is_active=True).order_by("depth", "code"):
            units.setdefault(unit.item_id, []).append(unit)
        for line in self.lines:
            line.units = units.get(int(line.item), []) if line.item.isdigit() else []
            if line.unit and not any(str(u.pk) == line.unit for u in line.units):
                line.unit = ""  # the item changed: its own base unit applies


def _client(company, value):
    """The chosen client, or a stand-in without client prices while none is chosen."""
    found = (Client.objects.filter(company=company, pk=int(value)).first()
             if str(value).isdigit() else None)
    return found or SimpleNamespace(pk=None, price_list_code="")


def _line_index(name: str) -> int | None:
    if name.startswith("lines[") and "]" in name:
        number = name[len("lines["):name.index("]")]
        return int(number) if number.isdigit() else None
    return None


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def choices(company) -> dict:
    return {"items": items_list(company=company, active_only=True),
            "taxes": taxes_list(company=company, active_only=True),
            "clients": clients_list(company=company, active=True)}
