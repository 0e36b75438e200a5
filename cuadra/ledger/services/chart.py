"""Chart of accounts and journals: templates loaded at company creation, account edits."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from cuadra.core.audit import audit_create, audit_delete, audit_record, audit_update, snapshot
from cuadra.core.errors import Conflict, ErrorCollector, NotFound
from cuadra.core.models import AuditAction
from cuadra.ledger.enums import DEFAULT_JOURNALS, GENESIS_HASH, AccountRole, AccountType
from cuadra.ledger.models import Account, Journal, JournalLine, LedgerChainHead

CHARTS_DIR = Path(__file__).resolve().parent.parent / "charts"
CHART_FOR_COUNTRY = {"PA": "pa_niif_pymes"}
DEFAULT_CHART = "ifrs_smes"


def chart_rows(name: str) -> list[dict]:
    with open(CHARTS_DIR / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def chart_load(*, company, actor, name: str) -> int:
    """Create the template's accounts, parents before children: one insert per tree level."""
    rows = chart_rows(name)
    by_code: dict[str, Account] = {}
    pending = rows
    while pending:
        level = [r for r in pending if not r["parent"] or r["parent"] in by_code]
        if not level:
            raise ValueError(f"chart {name}: unknown parents {[r['parent'] for r in pending]}")
        created = Account.objects.bulk_create([
            Account(company=company, code=r["code"], name_es=r["name_es"],
                    name_en=r["name_en"], type=AccountType(r["type"]),
                    role=AccountRole(r["role"]), is_group=r["is_group"] == "1",
                    parent=by_code.get(r["parent"]))
            for r in level])
        by_code.update({a.code: a for a in created})
        pending = [r for r in pending if r["code"] not in by_code]
    audit_record(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                 operation="chart_load", object_type="ledger.Account",
                 changes={"chart": [None, name], "accounts": [None, len(by_code)]})
    return len(by_code)


def journals_setup(*, company, actor) -> None:
    Journal.objects.bulk_create([Journal(company=company, code=code, kind=kind, name=name)
                                 for code, (kind, name) in DEFAULT_JOURNALS.items()])
    audit_record(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                 operation="journals_setup", object_type="ledger.Journal",
                 changes={"journals": [None, sorted(DEFAULT_JOURNALS)]})


def company_books_setup(*, company, actor) -> None:
    """Company-created hook: chart (PA or IFRS for SMEs), default journals, chain head."""
    chart_load(company=company, actor=actor,
               name=CHART_FOR_COUNTRY.get(company.country, DEFAULT_CHART))
    journals_setup(company=company, actor=actor)
    LedgerChainHead.objects.get_or_create(company=company, defaults={"hash": GENESIS_HASH})


def account_get(*, company, account_id) -> Account:
    account = Account.objects.filter(company=company, pk=account_id).first() \
        if str(account_id).isdigit() else None
    if account is None:
        raise NotFound("No such account.", field="accountId")
    return account


def _validate_account(errors: ErrorCollector, *, company, code, name_es, type, role, parent,
                      exclude_pk=None) -> None:
    if not code or not code.strip():
        errors.add("code", "An account needs a code.")
    elif Account.objects.filter(company=company, code=code).exclude(pk=exclude_pk).exists():
        errors.add("code", "This account code exists in the company.")
    if not name_es.strip():
        errors.add("nameEs", "An account needs a Spanish name.")
    if type not in AccountType.values:
        errors.add("type", f"Choose one of {', '.join(AccountType.values)}.")
    if role not in AccountRole.values:
        errors.add("role", "Unknown account role.")
    if parent is not None and (parent.company_id != company.pk or not parent.is_group):
        errors.add("parentId", "The parent must be a group account of this company.")


@transaction.atomic
def account_create(*, company, actor, code: str, name_es: str, type: str, name_en: str = "",
                   role: str = "", parent: Account | None = None, is_group: bool = False,
                   currency: str = "") -> Account:
    errors = ErrorCollector()
    _validate_account(errors, company=company, code=code, name_es=name_es, type=type,
                      role=role, parent=parent)
    errors.raise_if_any()
    account = Account.objects.create(company=company, code=code.strip(), name_es=name_es,
                                     name_en=name_en, type=type, role=role, parent=parent,
                                     is_group=is_group, currency=currency.upper())
    audit_create(actor=actor, company_id=company.pk, obj=account, operation="account_create")
    return account


@transaction.atomic
def account_update(*, company, actor, account: Account, **changes) -> Account:
    locked = Account.objects.select_for_update().get(pk=account.pk, company=company)
    before = snapshot(locked)
    values = {f: changes.get(f, getattr(locked, f))
              for f in ("code", "name_es", "type", "role", "parent")}
    errors = ErrorCollector()
    _validate_account(errors, company=company, exclude_pk=locked.pk, **values)
    has_lines = JournalLine.objects.filter(account=locked).exists()
    if has_lines and "is_group" in changes and changes["is_group"]:
        errors.add("isGroup", "An account with lines cannot become a group.")
    if has_lines and values["type"] != locked.type:
        errors.add("type", "An account with lines keeps its type.")
    errors.raise_if_any()
    for key, value in changes.items():
        setattr(locked, key, value)
    locked.save()
    audit_update(actor=actor, company_id=company.pk, obj=locked, before=before,
                 operation="account_update")
    return locked


def account_deactivate(*, company, actor, account: Account) -> Account:
    return account_update(company=company, actor=actor, account=account, is_active=False)


@transaction.atomic
def account_delete(*, company, actor, account: Account) -> None:
    locked = Account.objects.select_for_update().get(pk=account.pk, company=company)
    if JournalLine.objects.filter(account=locked).exists():
        raise Conflict(f"Account {locked.code} has journal lines: deactivate it instead.",
                       field="accountId")
    if locked.children.exists():
        raise Conflict(f"Account {locked.code} has sub-accounts.", field="accountId")
    audit_delete(actor=actor, company_id=company.pk, obj=locked, operation="account_delete")
    locked.delete()
