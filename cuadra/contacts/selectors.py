"""Reads of the contacts domain. Every lookup is scoped to one company: another company's
row is NOT_FOUND, exactly like a row that does not exist."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet

from cuadra.contacts.enums import AddressKind, ClientStatus, CreditLimitPolicy
from cuadra.contacts.models import (
    Address,
    Client,
    ContactPerson,
    ContactsSettings,
    Factory,
    Salesperson,
    Supplier,
    Tag,
)
from cuadra.core.errors import NotFound
from cuadra.core.money import to_decimal

_LABELS = {Client: "client", Supplier: "supplier", Factory: "factory",
           Salesperson: "salesperson", Tag: "tag", Address: "address",
           ContactPerson: "contact person"}


def _pk(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def row_get(model, *, company, pk, field: str = "id"):
    """The ``model`` row ``pk`` of ``company``, or NOT_FOUND."""
    number = _pk(pk)
    row = model.objects.filter(company=company, pk=number).first() if number else None
    if row is None:
        raise NotFound(f"No such {_LABELS.get(model, 'row')} in this company.", field=field)
    return row


def client_get(*, company, client_id) -> Client:
    return row_get(Client, company=company, pk=client_id)


def supplier_get(*, company, supplier_id) -> Supplier:
    return row_get(Supplier, company=company, pk=supplier_id)


def factory_get(*, company, factory_id) -> Factory:
    return row_get(Factory, company=company, pk=factory_id)


def salesperson_get(*, company, salesperson_id) -> Salesperson:
    return row_get(Salesperson, company=company, pk=salesperson_id)


def tag_get(*, company, tag_id) -> Tag:
    return row_get(Tag, company=company, pk=tag_id)


def client_by_code(*, company, code: str) -> Client:
    row = Client.objects.filter(company=company, code=code).first()
    if row is None:
        raise NotFound(f"No client {code!r} in this company.", field="client")
    return row


def _text_filter(qs: QuerySet, text: str | None) -> QuerySet:
    if not text or not text.strip():
        return qs
    t = text.strip()
    return qs.filter(Q(code__icontains=t) | Q(legal_name__icontains=t)
                     | Q(trade_name__icontains=t) | Q(tax_id__icontains=t))


def _active_filter(qs: QuerySet, active: bool | None) -> QuerySet:
    return qs if active is None else qs.filter(is_active=active)


def clients_list(*, company, text: str | None = None, status: str | None = None,
                 tag=None, salesperson=None, active: bool | None = None) -> QuerySet:
    qs = _active_filter(_text_filter(Client.objects.filter(company=company), text), active)
    if status:
        qs = qs.filter(status=status)
    if tag not in (None, ""):
        qs = qs.filter(tags__pk=_pk(tag) or 0) if _pk(tag) else qs.filter(tags__name=tag)
    if salesperson not in (None, ""):
        qs = qs.filter(salesperson_id=_pk(salesperson) or 0)
    return qs.order_by("code")


def suppliers_list(*, company, text: str | None = None, active: bool | None = None
                   ) -> QuerySet:
    return _active_filter(_text_filter(Supplier.objects.filter(company=company), text),
                          active).order_by("code")


def factories_list(*, company, text: str | None = None, active: bool | None = None
                   ) -> QuerySet:
    return _active_filter(_text_filter(Factory.objects.filter(company=company), text),
                          active).order_by("code")


def salespersons_list(*, company, text: str | None = None, active: bool | None = None
                      ) -> QuerySet:
    qs = Salesperson.objects.filter(company=company)
    if text and text.strip():
        qs = qs.filter(Q(code__icontains=text.strip()) | Q(name__icontains=text.strip()))
    return _active_filter(qs, active).order_by("code")


def tags_list(*, company) -> QuerySet:
    return Tag.objects.filter(company=company).order_by("name")


def party_default_address(*, party, kind: str = AddressKind.BILLING) -> Address | None:
    """The party's default address of ``kind`` (for invoices: BILLING; delivery: SHIPPING)."""
    return party.addresses.filter(kind=kind, is_default=True).first()


def contacts_settings_get(*, company) -> ContactsSettings:
    """The company's settings; an unsaved row with the defaults when it never set any."""
    found = ContactsSettings.objects.filter(company=company).first()
    return found or ContactsSettings(company=company)


class CreditCheck(NamedTuple):
    allowed: bool
    warning: str | None


def client_credit_check(*, company, client: Client, additional_amount, open_balance,
                        policy: str | None = None) -> CreditCheck:
    """May ``client`` take ``additional_amount`` more on credit, owing ``open_balance``?

    Pure: the caller (sales) passes the open receivable balance; nothing is read here but
    the company's policy, and not even that when ``policy`` is given. A blocked, on-hold
    or inactive client is refused whatever the amount; over the limit, the policy decides
    (WARN allows with a warning, BLOCK refuses). No limit set means no limit.
    """
    if client.company_id != company.pk:
        raise NotFound("No such client in this company.", field="client")
    if not client.is_active:
        return CreditCheck(False, f"Client {client.code} is inactive.")
    if client.status in (ClientStatus.BLOCKED, ClientStatus.ON_HOLD):
        state = "blocked" if client.status == ClientStatus.BLOCKED else "on hold"
        return CreditCheck(False, f"Client {client.code} is {state}.")
    if client.credit_limit is None:
        return CreditCheck(True, None)
    exposure = to_decimal(open_balance) + to_decimal(additional_amount)
    if exposure <= client.credit_limit:
        return CreditCheck(True, None)
    policy = policy or contacts_settings_get(company=company).credit_limit_policy
    warning = (f"Client {client.code} would owe {_plain(exposure)}, over its credit limit "
               f"of {_plain(client.credit_limit)}.")
    return CreditCheck(policy != CreditLimitPolicy.BLOCK, warning)


def _plain(value: Decimal) -> str:
    """12.50 rather than 12.5000000000000000000000000."""
    text = format(value.normalize(), "f")
    return text if "." not in text or len(text.split(".")[1]) >= 2 else \
        format(value.quantize(Decimal("0.01")), "f")
