"""Chart of accounts to and from CSV/XLSX, and the table reading both imports share.

Format (one row per account, header first): ``code, name_es, name_en, type, role,
parent_code, is_group, currency, active``. Import creates new codes and updates the names,
role and active flag of existing ones; it never deletes, and refuses the whole file,
listing every bad row, if any row is wrong.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.db import transaction

from cuadra.core.audit import audit_record
from cuadra.core.errors import FieldError, ValidationError
from cuadra.core.models import AuditAction
from cuadra.ledger.enums import AccountRole, AccountType
from cuadra.ledger.models import Account
from cuadra.ledger.services.chart import account_create, account_update

CHART_COLUMNS = ("code", "name_es", "name_en", "type", "role", "parent_code", "is_group",
                 "currency", "active")
FORMATS = {"csv": "text/csv",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MAX_BYTES = 20 * 1024 * 1024
_TRUE = {"1", "true", "yes", "si", "sí", "x"}
_FALSE = {"0", "false", "no", ""}


# --- tables --------------------------------------------------------------------------------

class UnreadableFile(ValueError):
    pass


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # XLSX keeps numbers as text of a double (Excel writes the shortest form that
        # round-trips); repr gives those digits back, so "1234.56" stays 1234.56 exactly
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def file_format(file_name: str) -> str:
    ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if ext not in FORMATS:
        raise UnreadableFile("Send a .csv or .xlsx file.")
    return ext


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("The CSV file is not UTF-8 text.") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Spanish-locale Excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text),
                                                           delimiter=delimiter)]


def _xlsx_rows(content: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("The XLSX file cannot be read.") from exc
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def table_read(file_name: str, content: bytes) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(spreadsheet row number, {column: text})]); blank rows are skipped and the
    header is row 1. Raises UnreadableFile."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    rows = _csv_rows(content) if file_format(file_name) == "csv" else _xlsx_rows(content)
    if not rows or not any(rows[0]):
        raise UnreadableFile("The file is empty: the first row must name the columns.")
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if any(cell for cell in row):
            out.append((number, {h: (row[i] if i < len(row) else "")
                                 for i, h in enumerate(header) if h}))
    return header, out


def table_write(fmt: str, header: tuple[str, ...], rows: list[list]) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8")
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("accounts")
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- export --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportedFile:
    file_name: str
    content_type: str
    content: bytes


def chart_export(*, company, fmt: str) -> ExportedFile:
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ValidationError(f"Choose one of {', '.join(FORMATS)}.", field="format")
    accounts = Account.objects.filter(company=company).select_related("parent").order_by("code")
    rows = [[a.code, a.name_es, a.name_en, a.type, a.role, a.parent.code if a.parent else "",
             "1" if a.is_group else "0", a.currency, "1" if a.is_active else "0"]
            for a in accounts]
    return ExportedFile(file_name=f"chart-{company.code}.{fmt}", content_type=FORMATS[fmt],
                        content=table_write(fmt, CHART_COLUMNS, rows))


# --- import --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Row:
    number: int
    code: str
    name_es: str
    name_en: str
    type: str
    role: str
    parent_code: str
    is_group: bool
    currency: str
    active: bool


def _flag(errors: list, number: int, column: str, text: str, default: bool) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return default if value == "" else False
    errors.append(FieldError(f"rows[{number}].{column}", "Use 1 or 0."))
    return default


def _parse_row(errors: list, number: int, data: dict) -> _Row:
    def bad(column, message):
        errors.append(FieldError(f"rows[{number}].{column}", message))

    row = _Row(number=number, code=data.get("code", "").strip(),
               name_es=data.get("name_es", "").strip(), name_en=data.get("name_en", "").strip(),
               type=data.get("type", "").strip().upper(), role=data.get("role", "").strip().upper(),
               parent_code=data.get("parent_code", "").strip(),
               is_group=_flag(errors, number, "is_group", data.get("is_group", ""), False),
               currency=data.get("currency", "").strip().upper(),
               active=_flag(errors, number, "active", data.get("active", ""), True))
    if not row.code or len(row.code) > 32:
        bad("code", "An account needs a code of at most 32 characters.")
    if not row.name_es or len(row.name_es) > 200 or len(row.name_en) > 200:
        bad("name_es", "An account needs a Spanish name of at most 200 characters.")
    if row.type not in AccountType.values:
        bad("type", f"Choose one of {', '.join(AccountType.values)}.")
    if row.role not in AccountRole.values:
        bad("role", f"Unknown role '{row.role}'.")
    if row.currency and (len(row.currency) != 3 or not row.currency.isalpha()):
        bad("currency", "Use a three-letter ISO 4217 code, or leave it empty.")
    if row.parent_code == row.code and row.code:
        bad("parent_code", "An account cannot be its own parent.")
    return row


def _check_against(errors: list, rows: list[_Row], existing: dict[str, Account]) -> None:
    by_code: dict[str, _Row] = {}
    for row in rows:
        def bad(column, message, n=row.number):
            errors.append(FieldError(f"rows[{n}].{column}", message))

        if row.code in by_code:
            bad("code", f"Code {row.code} is also on row {by_code[row.code].number}.")
        by_code.setdefault(row.code, row)
        current = existing.get(row.code)
        if current is not None:
            kept = {"type": (current.type, row.type), "is_group": (current.is_group, row.is_group),
                    "currency": (current.currency, row.currency),
                    "parent_code": (current.parent.code if current.parent else "",
                                    row.parent_code)}
            for column, (old, new) in kept.items():
                if old != new:
                    bad(column, f"Account {row.code} has {column} '{old}'; an import changes "
                                "only names, role and active.")
    for row in rows:
        if not row.parent_code:
            continue
        parent = by_code.get(row.parent_code) or existing.get(row.parent_code)
        if parent is None:
            errors.append(FieldError(f"rows[{row.number}].parent_code",
                                     f"No account {row.parent_code} in the file or the chart."))
        elif not parent.is_group:
            errors.append(FieldError(f"rows[{row.number}].parent_code",
                                     f"Account {row.parent_code} is not a group."))


def _create_in_order(company, actor, new_rows: list[_Row], existing: dict) -> int:
    """Parents before children; a cycle among new rows leaves rows that never fit."""
    pending, created = list(new_rows), 0
    while pending:
        ready = [r for r in pending if not r.parent_code or r.parent_code in existing]
        if not ready:
            raise ValidationError(errors=[FieldError(f"rows[{r.number}].parent_code",
                                                     "The parents form a cycle.")
                                          for r in pending])
        for r in ready:
            account = account_create(company=company, actor=actor, code=r.code,
                                     name_es=r.name_es, name_en=r.name_en, type=r.type,
                                     role=r.role, parent=existing.get(r.parent_code),
                                     is_group=r.is_group, currency=r.currency)
            if not r.active:
                account = account_update(company=company, actor=actor, account=account,
                                         is_active=False)
            existing[r.code] = account
            created += 1
        pending = [r for r in pending if r.code not in existing]
    return created


def _update_existing(company, actor, rows: list[_Row], existing: dict) -> int:
    updated = 0
    for r in rows:
        account = existing[r.code]
        changes = {k: v for k, v in (("name_es", r.name_es), ("name_en", r.name_en),
                                     ("role", r.role), ("is_active", r.active))
                   if getattr(account, k) != v}
        if changes:
            account_update(company=company, actor=actor, account=account, **changes)
            updated += 1
    return updated


@transaction.atomic
def chart_import(*, company, actor, file_name: str, content: bytes) -> ChartImportResult:
    try:
        header, table = table_read(file_name, content)
    except UnreadableFile as exc:
        raise ValidationError(str(exc), field="file") from None
    errors: list[FieldError] = []
    missing = [c for c in ("code", "name_es", "type") if c not in header]
    if missing:
        raise ValidationError(f"Missing columns: {', '.join(missing)}.", field="file")
    if not table:
        raise ValidationError("The file has no accounts.", field="file")
    rows = [_parse_row(errors, number, data) for number, data in table]
    existing = {a.code: a for a in Account.objects.filter(company=company)
                .select_related("parent")}
    _check_against(errors, rows, existing)
    if errors:
        raise ValidationError(f"{len(errors)} problem(s) in {file_name}; nothing imported.",
                              errors=errors)
    old = [r for r in rows if r.code in existing]
    updated = _update_existing(company, actor, old, existing)
    created = _create_in_order(company, actor, [r for r in rows if r.code not in existing],
                               existing)
    result = ChartImportResult(created=created, updated=updated, unchanged=len(old) - updated)
    audit_record(action=AuditAction.CREATE, actor=actor, company_id=company.pk,
                 operation="chart_import", object_type="ledger.Account",
                 changes={"file": [None, file_name], "created": [None, created],
                          "updated": [None, updated]})
    return result
