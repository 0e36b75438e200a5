"""Ventas → Clientes: list (search, status), the client form (tax identity with the DGI
check digit, receiver type, terms, credit limit, price list, salesperson, status, tags)
and the detail page (addresses, open balance). Writes go through contacts.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cuadra.access.permissions import Action, Path
from cuadra.catalog.selectors import price_lists_list
from cuadra.contacts import selectors, services
from cuadra.contacts.enums import AddressKind, ClientStatus, ReceiverType, TaxIdType
from cuadra.core.errors import NotFound
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.sales.selectors import client_open_balance, sales_invoices_list
from cuadra.web.accounting.common import can
from cuadra.web.actions import perform, require
from cuadra.web.sales.common import forbidden, money_plain, page, refusal

PAGE_SIZE = 25
TEXT_FIELDS = ("code", "legal_name", "trade_name", "tax_id_type", "tax_id", "tax_dv",
               "receiver_type", "email", "phone", "price_list_code", "status", "notes")


def _client(request, client_id):
    try:
        return selectors.client_get(company=request.active_company, client_id=client_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _choices(company) -> dict:
    return {"tax_id_types": TaxIdType.choices, "receiver_types": ReceiverType.choices,
            "statuses": ClientStatus.choices,
            "price_lists": price_lists_list(company=company, active_only=True),
            "salespersons": selectors.salespersons_list(company=company, active=True),
            "tags": selectors.tags_list(company=company)}


@login_required
@require_GET
def client_list(request):
    require(request, Path.CLIENTS, Action.VIEW)
    company = request.active_company
    status = request.GET.get("status", "")
    qs = selectors.clients_list(company=company, text=request.GET.get("q", ""),
                                status=status if status in ClientStatus.values else None)
    current = Paginator(qs.select_related("salesperson"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "web/contacts/clients.html", "clients", {
        "page_obj": current, "clients": current.object_list, "query": query.urlencode(),
        "filters": request.GET, "statuses": ClientStatus.choices,
        "can_create": can(request, Path.CLIENTS, Action.CREATE)})


class ClientForm:
    """What the client form holds, as typed (so a refusal shows it back unchanged)."""

    def __init__(self, values: dict, tags: list[str], salesperson: str = "",
                 payment_terms_days: str = "0", credit_limit: str = ""):
        self.values = values
        self.tags = tags
        self.salesperson = salesperson
        self.payment_terms_days = payment_terms_days
        self.credit_limit = credit_limit

    @classmethod
    def from_post(cls, post) -> ClientForm:
        return cls({name: post.get(name, "").strip() for name in TEXT_FIELDS},
                   [t for t in post.getlist("tags") if t.isdigit()],
                   post.get("salesperson", ""), post.get("payment_terms_days", "").strip(),
                   post.get("credit_limit", "").strip().replace(",", ""))

    @classmethod
    def from_client(cls, client) -> ClientForm:
        return cls({name: getattr(client, name) or "" for name in TEXT_FIELDS},
                   [str(pk) for pk in client.tags.values_list("pk", flat=True)],
                   str(client.salesperson_id or ""), str(client.payment_terms_days),
                   money_plain(client.credit_limit))

    @classmethod
    def blank(cls) -> ClientForm:
        values = dict.fromkeys(TEXT_FIELDS, "")
        values.update(receiver_type=ReceiverType.CONSUMIDOR_FINAL, status=ClientStatus.ACTIVE)
        return cls(values, [])

    def service_data(self) -> dict:
        days = self.payment_terms_days
        return {**self.values, "salesperson": self.salesperson or None,
                "tags": [int(t) for t in self.tags],
                "payment_terms_days": int(days) if days.isdigit() else days,
                "credit_limit": self.credit_limit or None}


def _form(request, form: ClientForm, *, client=None, error=None, status=200):
    return page(request, "web/contacts/client_form.html", "clients", {
        "form": form, "client": client, "refusal": refusal(error),
        "errors": refusal(error)["fields"] if error else {},
        **_choices(request.active_company)}, status=status)


@login_required
def client_new(request):
    require(request, Path.CLIENTS, Action.CREATE)
    if request.method != "POST":
        return _form(request, ClientForm.blank())
    form = ClientForm.from_post(request.POST)
    data = form.service_data()
    client, error = perform(
        request, operation="web_client_create", path=Path.CLIENTS, action=Action.CREATE,
        write=lambda: services.client_create(company=request.active_company,
                                             actor=request.user, **data))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _form(request, form, error=error, status=400)
    messages.success(request, _("Client %(code)s saved.") % {"code": client.code})
    return redirect("web:contacts_client", client_id=client.pk)


@login_required
def client_edit(request, client_id: int):
    require(request, Path.CLIENTS, Action.UPDATE)
    client = _client(request, client_id)
    if request.method != "POST":
        return _form(request, ClientForm.from_client(client), client=client)
    form = ClientForm.from_post(request.POST)
    data = form.service_data()
    _result, error = perform(
        request, operation="web_client_update", path=Path.CLIENTS, action=Action.UPDATE,
        write=lambda: services.client_update(company=request.active_company,
                                             actor=request.user, client=client, **data))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _form(request, form, client=_client(request, client_id), error=error,
                     status=400)
    messages.success(request, _("Client %(code)s saved.") % {"code": data["code"]})
    return redirect("web:contacts_client", client_id=client.pk)


def _detail(request, client, *, error=None, address=None, status=200):
    company = request.active_company
    invoices = []
    if can(request, Path.SALES_INVOICES, Action.VIEW):
        invoices = list(sales_invoices_list(company=company, client_id=client.pk)[:10])
    return page(request, "web/contacts/client_detail.html", "clients", {
        "client": client, "addresses": client.addresses.order_by("kind", "-is_default", "pk"),
        "tags": client.tags.order_by("name"), "invoices": invoices,
        "open_balance": client_open_balance(company=company, client=client),
        "address_kinds": AddressKind.choices, "address": address or {},
        "refusal": refusal(error), "errors": refusal(error)["fields"] if error else {},
        "can_update": can(request, Path.CLIENTS, Action.UPDATE),
        "can_invoice": can(request, Path.SALES_INVOICES, Action.CREATE)}, status=status)


@login_required
@require_GET
def client_detail(request, client_id: int):
    require(request, Path.CLIENTS, Action.VIEW)
    return _detail(request, _client(request, client_id))


ADDRESS_FIELDS = ("kind", "line1", "line2", "city", "location_code", "district",
                  "corregimiento", "postal_code")


@login_required
@require_POST
def address_add(request, client_id: int):
    require(request, Path.CLIENTS, Action.VIEW)
    client = _client(request, client_id)
    values = {name: request.POST.get(name, "").strip() for name in ADDRESS_FIELDS}
    _result, error = perform(
        request, operation="web_address_add", path=Path.CLIENTS, action=Action.UPDATE,
        write=lambda: services.address_add(company=request.active_company,
                                           actor=request.user, owner=client, **values))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _detail(request, client, error=error, address=values, status=400)
    messages.success(request, _("Address added."))
    return redirect("web:contacts_client", client_id=client.pk)
