"""RBAC vocabulary: permission paths (seed 000 "Path permissions") times actions,
and the built-in roles copied into every organization."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    APPROVE = "approve"
    POST = "post"
    EXPORT = "export"


class Path(StrEnum):
    # platform
    COMPANIES = "COMPANIES"
    USERS = "USERS"
    ROLES = "ROLES"
    API_TOKENS = "API_TOKENS"
    AUDIT_LOG = "AUDIT_LOG"
    SETTINGS = "SETTINGS"
    # seed 002
    APPROVAL_CONFIGS = "APPROVAL_CONFIGS"
    AUTO_SEQUENCES = "AUTO_SEQUENCES"
    # documents and books
    DOCUMENTS = "DOCUMENTS"
    LEDGER = "LEDGER"
    ACCOUNTS = "ACCOUNTS"
    JOURNAL_ENTRIES = "JOURNAL_ENTRIES"
    PERIODS = "PERIODS"
    REPORTS = "REPORTS"
    # contacts and catalog
    CLIENTS = "CLIENTS"
    SUPPLIERS = "SUPPLIERS"
    ITEMS = "ITEMS"
    # sales
    SALES_QUOTES = "SALES_QUOTES"
    SALES_ORDERS = "SALES_ORDERS"
    SALES_INVOICES = "SALES_INVOICES"
    RECEIPTS = "RECEIPTS"
    PAYMENTS = "PAYMENTS"
    CREDIT_NOTES = "CREDIT_NOTES"
    # purchasing
    PURCHASE_REQUISITIONS = "PURCHASE_REQUISITIONS"
    PURCHASE_ORDERS = "PURCHASE_ORDERS"
    GOODS_RECEIPTS = "GOODS_RECEIPTS"
    SUPPLIER_INVOICES = "SUPPLIER_INVOICES"
    SUPPLIER_CREDITS = "SUPPLIER_CREDITS"
    SUPPLIER_PAYMENTS = "SUPPLIER_PAYMENTS"
    EXPENSES = "EXPENSES"
    # inventory
    WAREHOUSES = "WAREHOUSES"
    INVENTORY = "INVENTORY"
    STOCK_TRANSFERS = "STOCK_TRANSFERS"
    INVENTORY_COUNTS = "INVENTORY_COUNTS"
    STOCK_ADJUSTMENTS = "STOCK_ADJUSTMENTS"


def perm(path: Path | str, action: Action | str) -> str:
    return f"{Path(path).value}:{Action(action).value}"


ALL_PERMISSIONS = frozenset(perm(p, a) for p in Path for a in Action)

_READ = (Action.VIEW, Action.EXPORT)
_WRITE = (Action.VIEW, Action.CREATE, Action.UPDATE, Action.DELETE, Action.EXPORT)
_ISSUE = (*_WRITE, Action.POST)

_BOOKS = (Path.LEDGER, Path.ACCOUNTS, Path.JOURNAL_ENTRIES, Path.PERIODS)
_SALES = (Path.SALES_QUOTES, Path.SALES_ORDERS, Path.SALES_INVOICES, Path.RECEIPTS,
          Path.PAYMENTS, Path.CREDIT_NOTES)
_PURCHASING = (Path.PURCHASE_REQUISITIONS, Path.PURCHASE_ORDERS, Path.GOODS_RECEIPTS,
               Path.SUPPLIER_INVOICES, Path.SUPPLIER_CREDITS, Path.SUPPLIER_PAYMENTS,
               Path.EXPENSES)
_STOCK = (Path.WAREHOUSES, Path.INVENTORY, Path.STOCK_TRANSFERS, Path.INVENTORY_COUNTS,
          Path.STOCK_ADJUSTMENTS)


def _grant(paths, actions) -> set[str]:
    return {perm(p, a) for p in paths for a in actions}


def _builtin_roles() -> dict[str, dict]:
    everything_read = _grant(list(Path), _READ)
    return {
        "owner": {"name": "Owner", "permissions": set(ALL_PERMISSIONS), "hidden_fields": []},
        "accountant": {
            "name": "Accountant",
            "permissions": (_grant(_BOOKS, (*_ISSUE, Action.APPROVE))
                            | _grant((Path.REPORTS, Path.DOCUMENTS), _READ)
                            | _grant((*_SALES, *_PURCHASING), (*_READ, Action.POST))
                            | _grant(_STOCK, _READ)
                            | _grant((Path.CLIENTS, Path.SUPPLIERS, Path.ITEMS), _READ)
                            | _grant((Path.AUTO_SEQUENCES,), _READ)),
            "hidden_fields": [],
        },
        "sales": {
            "name": "Sales",
            "permissions": (_grant(_SALES, _ISSUE) | _grant((Path.CLIENTS,), _WRITE)
                            | _grant((Path.ITEMS, Path.DOCUMENTS, Path.REPORTS), _READ)),
            # a salesperson sees prices, not what the goods cost us
            "hidden_fields": ["*.cost", "*.margin"],
        },
        "purchasing": {
            "name": "Purchasing",
            "permissions": (_grant(_PURCHASING, _ISSUE) | _grant((Path.SUPPLIERS,), _WRITE)
                            | _grant((Path.ITEMS, Path.DOCUMENTS, Path.REPORTS), _READ)),
            "hidden_fields": [],
        },
        "warehouse": {
            "name": "Warehouse",
            "permissions": (_grant(_STOCK, _ISSUE) | _grant((Path.GOODS_RECEIPTS,), _ISSUE)
                            | _grant((Path.ITEMS, Path.DOCUMENTS), _READ)),
            "hidden_fields": ["*.margin"],
        },
        "auditor": {"name": "Auditor", "permissions": everything_read, "hidden_fields": []},
    }


BUILTIN_ROLES = _builtin_roles()
