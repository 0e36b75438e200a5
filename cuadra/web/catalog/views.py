"""Ventas → Artículos: list (search, category), the item form (SKU, barcode, category,
tax, base price, tax-inclusive) and the detail page with the unit levels and their prices
(own or derived) and price-list rows. Writes go through catalog.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cuadra.access.permissions import Action, Path
from cuadra.access.selectors import field_visible
from cuadra.catalog import selectors, services
from cuadra.catalog.enums import ItemKind
from cuadra.catalog.models import ItemUnit
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.errors import PermissionDenied as DomainPermissionDenied
from cuadra.web.accounting.common import can, parse_amount
from cuadra.web.actions import perform, require
from cuadra.web.sales.common import forbidden, money_plain, page, quantity_text, refusal

PAGE_SIZE = 25
# service field names (camelCase where the catalog reports them so) -> form input names
FIELD_NAMES = {"categoryId": "category", "defaultTaxId": "default_tax",
               "basePrice": "base_price", "baseUnitCode": "base_unit_code"}


def _item(request, item_id):
    try:
        return selectors.item_get(company=request.active_company, item_id=item_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _base(item) -> ItemUnit:
    return item.units.get(lower=None)


@login_required
@require_GET
def item_list(request):
    require(request, Path.ITEMS, Action.VIEW)
    company = request.active_company
    category = request.GET.get("category", "")
    qs = selectors.items_list(company=company, search=request.GET.get("q", "").strip(),
                              category_id=int(category) if category.isdigit() else None)
    current = Paginator(qs.select_related("category", "default_tax"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    bases = {u.item_id: u for u in ItemUnit.objects.filter(
        company=company, item__in=list(current.object_list), lower=None)}
    query = request.GET.copy()
    query.pop("page", None)
    return page(request, "web/catalog/items.html", "items", {
        "page_obj": current, "query": query.urlencode(), "filters": request.GET,
        "rows": [{"item": i, "base": bases.get(i.pk)} for i in current.object_list],
        "categories": selectors.categories_list(company=company),
        "can_create": can(request, Path.ITEMS, Action.CREATE)})


FORM_FIELDS = ("sku", "name", "kind", "barcode", "description", "category", "default_tax",
               "base_price", "base_unit_code", "base_unit_name")


def _values_from_item(item) -> dict:
    base = _base(item)
    return {"sku": item.sku, "name": item.name, "kind": item.kind, "barcode": item.barcode,
            "description": item.description, "category": str(item.category_id or ""),
            "default_tax": str(item.default_tax_id or ""), "base_price": money_plain(base.price),
            "base_unit_code": base.code, "base_unit_name": base.name,
            "price_includes_tax": item.price_includes_tax}


def _values_from_post(post) -> dict:
    values = {name: post.get(name, "").strip() for name in FORM_FIELDS}
    values["base_price"] = values["base_price"].replace(",", "")
    values["price_includes_tax"] = post.get("price_includes_tax") == "on"
    return values


def _form(request, values: dict, *, item=None, error=None, status=200):
    company = request.active_company
    fields = refusal(error)["fields"] if error else {}
    return page(request, "web/catalog/item_form.html", "items", {
        "values": values, "item": item, "refusal": refusal(error),
        "errors": {FIELD_NAMES.get(k, k): v for k, v in fields.items()},
        "kinds": ItemKind.choices, "categories": selectors.categories_list(company=company),
        "taxes": selectors.taxes_list(company=company, active_only=True)}, status=status)


def _create(request, values: dict):
    return services.item_create(
        company=request.active_company, actor=request.user, sku=values["sku"],
        name=values["name"], kind=values["kind"] or ItemKind.GOODS, barcode=values["barcode"],
        description=values["description"], category=values["category"] or None,
        default_tax=values["default_tax"] or None,
        price_includes_tax=values["price_includes_tax"],
        base_price=values["base_price"] or None,
        base_unit_code=values["base_unit_code"] or "und",
        base_unit_name=values["base_unit_name"] or values["base_unit_code"] or "Unidad")


def _update(request, item, values: dict):
    """The item's fields and its base unit's price, in one use case."""
    company, actor = request.active_company, request.user
    services.item_update(company=company, actor=actor, item=item, sku=values["sku"],
                         name=values["name"], kind=values["kind"], barcode=values["barcode"],
                         description=values["description"],
                         category=values["category"] or None,
                         default_tax=values["default_tax"] or None,
                         price_includes_tax=values["price_includes_tax"])
    base = _base(item)
    typed = parse_amount(values["base_price"])
    if typed != base.price or (values["base_price"] and typed is None):
        services.item_price_set(company=company, actor=actor, unit=base,
                                price=values["base_price"] or None)
    return item


@login_required
def item_new(request):
    require(request, Path.ITEMS, Action.CREATE)
    if request.method != "POST":
        return _form(request, {"kind": ItemKind.GOODS, "base_unit_code": "und",
                               "base_unit_name": "Unidad"})
    values = _values_from_post(request.POST)
    item, error = perform(request, operation="web_item_create", path=Path.ITEMS,
                          action=Action.CREATE, write=lambda: _create(request, values))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _form(request, values, error=error, status=400)
    messages.success(request, _("Item %(sku)s saved.") % {"sku": item.sku})
    return redirect("web:catalog_item", item_id=item.pk)


@login_required
def item_edit(request, item_id: int):
    require(request, Path.ITEMS, Action.UPDATE)
    item = _item(request, item_id)
    if request.method != "POST":
        return _form(request, _values_from_item(item), item=item)
    values = _values_from_post(request.POST)
    _result, error = perform(request, operation="web_item_update", path=Path.ITEMS,
                             action=Action.UPDATE, write=lambda: _update(request, item, values))
    if isinstance(error, DomainPermissionDenied):
        return forbidden(request, error)
    if error:
        return _form(request, values, item=_item(request, item_id), error=error, status=400)
    messages.success(request, _("Item %(sku)s saved.") % {"sku": values["sku"]})
    return redirect("web:catalog_item", item_id=item.pk)


def _unit_rows(item) -> list[dict]:
    units = {u.pk: u for u in item.units.all()}
    rows = []
    for unit in sorted(units.values(), key=lambda u: (u.depth, u.code)):
        try:
            price, source = selectors.unit_price_derived(unit, units)
        except ValidationError:  # no level at or below it has a price
            price, source = None, None
        rows.append({"unit": unit, "price": price, "factor": quantity_text(unit.factor),
                     "to_base": quantity_text(unit.factor_to_base),
                     "own": source is not None and source.pk == unit.pk})
    return rows


@login_required
@require_GET
def item_detail(request, item_id: int):
    require(request, Path.ITEMS, Action.VIEW)
    item = _item(request, item_id)
    company = request.active_company
    return page(request, "web/catalog/item_detail.html", "items", {
        "item": item, "units": _unit_rows(item),
        "price_rows": [{"row": r, "min": quantity_text(r.min_quantity)}
                       for r in item.price_rows.select_related("price_list", "unit").order_by(
                           "price_list__code", "unit__depth", "min_quantity")],
        "show_cost": field_visible(user=request.user, company=company, path=Path.ITEMS,
                                   field="cost"),
        "can_update": can(request, Path.ITEMS, Action.UPDATE)})
