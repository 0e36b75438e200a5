"""CSV and XLSX exports of the financial reports, streamed and without a row cap (pain
point 14).

A report becomes a :class:`ReportTable`: its columns (the same labels the report shows)
and a lazy iterator of rows, so the general ledger and general journal stream from the
database however many lines they hold. CSV is produced line by line for Django's
``StreamingHttpResponse``; XLSX is written in openpyxl's write-only mode to a temporary
file, then streamed in chunks and the file removed. Money cells are numbers with a number
format, never text.

``report_export(company=, report=, params=, fmt=)`` is the one entry point; the web layer
serves its iterator.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from cuadra.core.errors import ValidationError
from cuadra.ledger import reports
from cuadra.ledger.chain import dec

MONEY_FORMAT = "#,##0.00;-#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # a lazy translation; str() at export time
    kind: str = "text"  # text | money | date | int


@dataclass
class ReportTable:
    title: str
    stem: str  # file name without extension
    columns: list[Column]
    rows: Iterable[list]


# --- parameters ----------------------------------------------------------------------------

def _date(params: dict, key: str, required: bool = True) -> dt.date | None:
    value = params.get(key)
    if value in (None, ""):
        if required:
            raise ValidationError("Choose a date.", field=key)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError("Not a date (YYYY-MM-DD).", field=key) from exc


def _flag(params: dict, key: str) -> bool:
    value = params.get(key)
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def _dims(params: dict) -> dict:
    return {"branch": params.get("branch") or None,
            "cost_center": params.get("cost_center") or "",
            "project": params.get("project") or ""}


def _suffix(params: dict) -> str:
    parts = [params.get(k) for k in ("branch", "cost_center", "project")]
    return "".join(f"_{getattr(p, 'code', p)}" for p in parts if p)


# --- the tables ----------------------------------------------------------------------------

_ACCOUNT = Column("account", _("Account"))
_NAME = Column("name", _("Name"))
_LEVEL = Column("level", _("Level"), "int")


def _tb_table(company, params: dict) -> ReportTable:
    compare = _flag(params, "compare")
    tb = reports.trial_balance_report(company=company, date_from=_date(params, "date_from"),
                                      date_to=_date(params, "date_to"), compare=compare,
                                      **_dims(params))
    columns = [_ACCOUNT, _NAME, _LEVEL, Column("opening", _("Opening"), "money"),
               Column("debit", _("Debit"), "money"), Column("credit", _("Credit"), "money"),
               Column("closing", _("Closing"), "money")]
    if compare:
        columns += [Column("previous_debit", _("Previous debit"), "money"),
                    Column("previous_credit", _("Previous credit"), "money"),
                    Column("difference", _("Difference (net movement)"), "money")]

    def rows():
        for li in tb.lines:
            row = [li.account.code, reports.account_label(li.account), li.level, li.opening,
                   li.debit, li.credit, li.closing]
            yield row + ([li.previous_debit, li.previous_credit, li.difference]
                         if compare else [])
        total = ["", str(_("Total")), None, tb.total_opening, tb.total_debit,
                 tb.total_credit, tb.total_closing]
        if compare:
            total += [tb.previous_total_debit, tb.previous_total_credit,
                      (tb.total_debit - tb.total_credit)
                      - (tb.previous_total_debit - tb.previous_total_credit)]
        yield total

    return ReportTable(str(_("Trial balance")),
                       f"trial_balance_{company.code}_{tb.date_from}_{tb.date_to}"
                       f"{_suffix(params)}", columns, rows())


def _statement_columns(compare: bool) -> list[Column]:
    columns = [Column("section", _("Section")), _ACCOUNT, _NAME, _LEVEL,
               Column("amount", _("Amount"), "money")]
    if compare:
        columns += [Column("previous", _("Previous"), "money"),
                    Column("difference", _("Difference"), "money")]
    return columns


def _statement_rows(sections, compare: bool, totals: list[tuple]) -> Iterator[list]:
    def tail(amount, previous, difference):
        return [amount, previous, difference] if compare else [amount]

    for section in sections:
        for li in section.lines:
            yield [section.label, li.code, li.label, li.level,
                   *tail(li.amount, li.previous, li.difference)]
        total_label = str(_("Total %(section)s") % {"section": section.label})
        yield [section.label, "", total_label, None,
               *tail(section.total, section.previous_total, section.difference)]
    for label, amount, previous in totals:
        yield ["", "", str(label), None,
               *tail(amount, previous, None if previous is None else amount - previous)]


def _is_table(company, params: dict) -> ReportTable:
    compare = _flag(params, "compare")
    st = reports.income_statement_get(company=company, date_from=_date(params, "date_from"),
                                      date_to=_date(params, "date_to"), compare=compare,
                                      **_dims(params))
    rows = _statement_rows(st.sections, compare,
                           [(_("Net result"), st.net_result, st.previous_net_result)])
    return ReportTable(str(_("Income statement")),
                       f"income_statement_{company.code}_{st.date_from}_{st.date_to}"
                       f"{_suffix(params)}", _statement_columns(compare), rows)


def _bs_table(company, params: dict) -> ReportTable:
    compare = _flag(params, "compare")
    bs = reports.balance_sheet_get(company=company, as_of=_date(params, "as_of"),
                                   compare=compare,
                                   compare_as_of=_date(params, "compare_as_of", False),
                                   **_dims(params))
    rows = _statement_rows(bs.sections, compare, [
        (_("Total liabilities and equity"), bs.total_liabilities_and_equity,
         bs.previous_total_liabilities_and_equity)])
    return ReportTable(str(_("Balance sheet")),
                       f"balance_sheet_{company.code}_{bs.as_of}{_suffix(params)}",
                       _statement_columns(compare), rows)


_GL_COLUMNS = [Column("date", _("Date"), "date"), Column("entry", _("Entry")),
               Column("journal", _("Journal")), Column("reference", _("Reference")),
               _ACCOUNT, Column("label", _("Label")), Column("branch", _("Branch")),
               Column("cost_center", _("Cost centre")), Column("project", _("Project")),
               Column("debit", _("Debit"), "money"), Column("credit", _("Credit"), "money"),
               Column("balance", _("Balance"), "money")]


def _gl_table(company, params: dict) -> ReportTable:
    account = params.get("account")
    if account in (None, ""):
        raise ValidationError("Choose an account.", field="account")
    gl = reports.general_ledger_get(company=company, account=account,
                                    date_from=_date(params, "date_from"),
                                    date_to=_date(params, "date_to"), **_dims(params))

    def rows():
        yield [gl.date_from, "", "", "", gl.account.code, str(_("Opening balance")), "", "",
               "", None, None, gl.opening]
        for row in gl.iter_lines():
            li = row.line
            yield [row.date, row.entry_number, li.entry.journal.code, li.entry.reference,
                   li.account.code, li.label or li.entry.memo,
                   li.branch.code if li.branch_id else "", li.cost_center, li.project,
                   li.debit, li.credit, row.balance]
        yield [gl.date_to, "", "", "", gl.account.code, str(_("Closing balance")), "", "",
               "", gl.total_debit, gl.total_credit, gl.closing]

    return ReportTable(str(_("General ledger")),
                       f"general_ledger_{company.code}_{gl.account.code}_{gl.date_from}_"
                       f"{gl.date_to}{_suffix(params)}", _GL_COLUMNS, rows())


_GJ_COLUMNS = [Column("entry", _("Entry")), Column("date", _("Date"), "date"),
               Column("journal", _("Journal")), Column("reference", _("Reference")),
               Column("memo", _("Memo")), Column("line", _("Line"), "int"), _ACCOUNT, _NAME,
               Column("label", _("Label")), Column("branch", _("Branch")),
               Column("cost_center", _("Cost centre")), Column("project", _("Project")),
               Column("debit", _("Debit"), "money"), Column("credit", _("Credit"), "money")]


def _gj_table(company, params: dict) -> ReportTable:
    gj = reports.general_journal_get(company=company, date_from=_date(params, "date_from"),
                                     date_to=_date(params, "date_to"), **_dims(params))

    def rows():
        for entry in gj.iter_entries():
            for li in entry.lines.all():
                yield [entry.number, entry.date, entry.journal.code, entry.reference,
                       entry.memo, li.line_no, li.account.code,
                       reports.account_label(li.account), li.label,
                       li.branch.code if li.branch_id else "", li.cost_center, li.project,
                       li.debit, li.credit]
        yield ["", None, "", "", str(_("Total")), None, "", "", "", "", "", "",
               gj.total_debit, gj.total_credit]

    return ReportTable(str(_("General journal")),
                       f"general_journal_{company.code}_{gj.date_from}_{gj.date_to}"
                       f"{_suffix(params)}", _GJ_COLUMNS, rows())


REPORTS: dict[str, Callable[..., ReportTable]] = {
    "trial_balance": _tb_table,
    "general_ledger": _gl_table,
    "general_journal": _gj_table,
    "income_statement": _is_table,
    "balance_sheet": _bs_table,
}


def report_table(*, company, report: str, params: dict) -> ReportTable:
    """The report's columns and lazy rows. Bad parameters raise here, before any byte
    is streamed."""
    build = REPORTS.get(report)
    if build is None:
        raise ValidationError(f"Unknown report {report!r}.", field="report")
    return build(company, dict(params or {}))


# --- writers -------------------------------------------------------------------------------

class _Echo:
    """csv.writer target that hands each formatted line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value, column: Column):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def csv_stream(table: ReportTable) -> Iterator[bytes]:
    writer = csv.writer(_Echo())
    # the BOM tells spreadsheet programs the file is UTF-8 (accents in names)
    yield ("\ufeff" + writer.writerow([str(c.label) for c in table.columns])).encode()
    for row in table.rows:
        yield writer.writerow([_csv_cell(v, c) for v, c in
                               zip(row, table.columns, strict=True)]).encode()


def _xlsx_cell(ws, value, column: Column):
    from openpyxl.cell import WriteOnlyCell

    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(ws, value=value)  # a number cell, never text
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def xlsx_stream(table: ReportTable) -> Iterator[bytes]:
    """Write-only workbook into a temporary file, then stream it; the file is removed
    when the iterator finishes or is closed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="cuadra-report-")
    os.close(handle)
    try:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(title=table.title[:31])
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=str(column.label))
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append([_xlsx_cell(ws, v, c) for v, c in zip(row, table.columns,
                                                              strict=True)])
        wb.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


_FORMATS = {"csv": (csv_stream, CSV_TYPE), "xlsx": (xlsx_stream, XLSX_TYPE)}


def report_export(*, company, report: str, params: dict,
                  fmt: str) -> tuple[str, str, Iterator[bytes]]:
    """(filename, content type, byte iterator) for ``StreamingHttpResponse``. The report
    is resolved (and bad parameters refused) now; rows are read as the iterator runs."""
    if fmt not in _FORMATS:
        raise ValidationError("Export as csv or xlsx.", field="format")
    table = report_table(company=company, report=report, params=params)
    writer, content_type = _FORMATS[fmt]
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", table.stem)  # a safe Content-Disposition name
    return f"{stem}.{fmt}", content_type, writer(table)


__all__ = ["Column", "ReportTable", "csv_stream", "report_export", "report_table",
           "xlsx_stream"]
