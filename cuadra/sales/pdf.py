"""The printed invoice and credit note (DGI "CAFE": the representation handed to the
client), rendered from an HTML template by WeasyPrint.

``sales_invoice_pdf(company=, invoice=)`` takes a :class:`SalesInvoice` of any kind or a
:class:`SalesCreditNote` and returns the PDF bytes. What it shows
(../shared/research/panama-fe.md): the issuer (legal name, RUC and DV, address of the head
office branch), the receiver (name, tax id and DV, billing address), number, date, due
date, the document's kind, the lines (description, quantity, unit, unit price, discount,
ITBMS rate, amount), the subtotal, ITBMS by rate, the total, the total in Spanish words,
the payment terms and notes. A draft carries a ``BORRADOR`` watermark (it has no legal
number yet), a voided or cancelled document ``ANULADA``.

The header carries the company's logo (kept in ``tenancy.Company``, embedded as a data
URI) and its trade name, address and contact; the head office's address stands in when
the company has none of its own.

Labels are translated in the company's language (default Spanish), under the message
context ``sales pdf``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext

from cuadra.contacts.enums import AddressKind
from cuadra.contacts.models import Address
from cuadra.core.errors import NotFound
from cuadra.core.money import round_money
from cuadra.sales.enums import InvoiceKind
from cuadra.sales.models import SalesCreditNote, SalesInvoice
from cuadra.sales.selectors import DEAD_STATES, POSTED_STATES
from cuadra.sales.totals import totals_by_rate
from cuadra.sales.words import CURRENCIES, amount_in_words_es
from cuadra.tenancy.models import Branch
from cuadra.tenancy.selectors import company_logo_data_uri

HEAD_OFFICE = "0000"


def money(value: Decimal | None) -> str:
    """1234.5 → '1,234.50' (Panama groups thousands with a comma)."""
    if value is None:
        return ""
    return format(round_money(value), ",.2f")


def plain(value: Decimal | None, places: int = 0) -> str:
    """A quantity or price without trailing zeros, at least ``places`` decimals."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    frac = frac.ljust(places, "0")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


def percent(rate: Decimal) -> str:
    """A rate fraction as a percentage: 0.07 → '7', 0.125 → '12.5'."""
    return plain(rate * 100)


@dataclass(frozen=True)
class Party:
    name: str
    tax_id: str
    address_lines: list[str]
    email: str = ""
    phone: str = ""
    trade_name: str = ""
    website: str = ""
    logo_url: str = ""


def _issuer_address(company) -> str:
    if company.address:
        return company.address
    branch = (Branch.objects.filter(company=company, code=HEAD_OFFICE).first()
              or Branch.objects.filter(company=company).exclude(address="")
              .order_by("code").first())
    return branch.address if branch else ""


def issuer_block(company) -> Party:
    tax_id = company.legal_id
    if tax_id and company.legal_id_dv:
        tax_id = f"{tax_id} DV {company.legal_id_dv}"
    address = _issuer_address(company)
    return Party(name=company.name, tax_id=tax_id, address_lines=[address] if address else [],
                 email=company.email, phone=company.phone, website=company.website,
                 trade_name=company.trade_name if company.trade_name != company.name else "",
                 logo_url=company_logo_data_uri(company=company))


def _address_lines(address: Address | None) -> list[str]:
    if address is None:
        return []
    place = ", ".join(p for p in (address.corregimiento, address.district, address.province)
                      if p) or address.city
    return [line for line in (address.line1, address.line2, place) if line]


def receiver_block(company, client) -> Party:
    address = (Address.objects.filter(company=company, client=client,
                                      kind=AddressKind.BILLING)
               .order_by("-is_default", "id").first()
               or Address.objects.filter(company=company, client=client)
               .order_by("-is_default", "id").first())
    tax_id = client.tax_id
    if tax_id and client.tax_dv:
        tax_id = f"{tax_id} DV {client.tax_dv}"
    return Party(name=client.legal_name, tax_id=tax_id, address_lines=_address_lines(address),
                 email=client.email, phone=client.phone)


def document_title(document) -> str:
    if isinstance(document, SalesCreditNote):
        return pgettext("sales pdf", "Credit note")
    if document.kind == InvoiceKind.RECEIPT_TAX_INVOICE:
        return pgettext("sales pdf", "Cash invoice")
    return pgettext("sales pdf", "Invoice")


def watermark(document) -> str:
    if document.status in DEAD_STATES:
        return pgettext("sales pdf", "VOID")
    if document.status not in POSTED_STATES:
        return pgettext("sales pdf", "DRAFT")
    return ""


def _terms(document, client) -> str:
    if isinstance(document, SalesCreditNote):
        return ""
    if document.kind == InvoiceKind.RECEIPT_TAX_INVOICE or not client.payment_terms_days:
        return pgettext("sales pdf", "Cash")
    return pgettext("sales pdf", "Credit, %(days)s days") % {"days": client.payment_terms_days}


def _lines(document) -> list[dict]:
    rows = []
    for line in document.lines.select_related("unit", "tax").order_by("line_no"):
        rows.append({
            "no": line.line_no, "description": line.description,
            "quantity": plain(line.quantity), "unit": line.unit.code if line.unit_id else "",
            "unit_price": plain(line.unit_price, 2),
            "discount": (percent(line.discount_percent / 100) + " %"
                         if line.discount_percent else ""),
            "rate": percent(line.tax_rate) + " %", "amount": money(line.base_amount),
            "line": line})
    return rows


def _rates(lines) -> list[dict]:
    out = []
    for row in totals_by_rate(lines):
        label = (pgettext("sales pdf", "ITBMS %(rate)s %%") % {"rate": percent(row.rate)}
                 if row.rate else pgettext("sales pdf", "Exempt"))
        out.append({"label": label, "rated": bool(row.rate), "base": money(row.base),
                    "tax": money(row.tax)})
    return out


def invoice_pdf_context(*, company, invoice) -> dict:
    document = invoice
    client = document.client
    lines = _lines(document)
    currency = document.currency.upper()
    return {
        "company": company, "issuer": issuer_block(company),
        "receiver": receiver_block(company, client),
        "client": client, "document": document, "title": document_title(document),
        "number": document.number or pgettext("sales pdf", "(no number: draft)"),
        "is_credit": isinstance(document, SalesCreditNote),
        "source_invoice": (document.invoice if isinstance(document, SalesCreditNote)
                           else None),
        "due_date": getattr(document, "due_date", None), "lines": lines,
        "rates": _rates([row["line"] for row in lines]),
        "subtotal": money(document.subtotal), "tax_total": money(document.tax_total),
        "total": money(document.total), "currency": currency,
        "total_in_words": (amount_in_words_es(document.total, currency)
                           if currency in CURRENCIES else ""),
        "terms": _terms(document, client), "notes": document.notes,
        "watermark": watermark(document),
    }


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()


def sales_invoice_pdf(*, company, invoice) -> bytes:
    """The PDF of an invoice (any kind) or a credit note of ``company``."""
    if not isinstance(invoice, SalesInvoice | SalesCreditNote) or \
            invoice.company_id != company.pk:
        raise NotFound("No such invoice.", field="id")
    with translation.override(company.language or "es"):
        html = render_to_string("sales/pdf/invoice.html",
                                invoice_pdf_context(company=company, invoice=invoice))
    return render_pdf(html)


def pdf_filename(document) -> str:
    """``FAC-2025-000001.pdf``; a draft ``draft-<id>.pdf``."""
    stem = document.number or f"draft-{document.pk}"
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in stem) + ".pdf"
