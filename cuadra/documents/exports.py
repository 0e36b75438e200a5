"""Exports of the registry (pain point 14): the active view and filters, the visible
columns in their order with their labels, custom fields included, no row cap, constant
memory.

Rows are read with ``values(...).iterator(chunk_size=...)`` (a server-side cursor on
PostgreSQL) and written as they come: CSV as a generator a ``StreamingHttpResponse``
consumes, XLSX through openpyxl's ``write_only`` workbook (rows go to a temporary file,
never held). Money cells are numbers in XLSX with a number format. Above
``CUADRA_EXPORT_SYNC_MAX_ROWS`` an export runs as a Celery job with an
:class:`ExportJob` row (progress, state, file)."""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path as FsPath

from django.conf import settings
from django.db import transaction
from django.utils import translation

from cuadra.access.permissions import Action
from cuadra.core.audit import audit_create
from cuadra.core.errors import NotFound, ValidationError
from cuadra.core.events import publish_on_commit
from cuadra.documents.columns import Column, view_of
from cuadra.documents.display import display_value
from cuadra.documents.filters import (
    CellContext,
    DocumentFilters,
    cell,
    documents_query,
    values_fields,
    visible_scope,
)
from cuadra.documents.models import ExportJob, ExportState
from cuadra.documents.registry_selectors import resolve_columns

FORMATS = ("csv", "xlsx")
CHUNK = 2000
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"


def sync_limit() -> int:
    return int(getattr(settings, "CUADRA_EXPORT_SYNC_MAX_ROWS", 20000))


@dataclass
class ExportPlan:
    columns: list[Column]
    queryset: object
    ctx: CellContext
    view: str
    filters: DocumentFilters

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]

    def rows(self) -> Iterator[list]:
        for row in (self.queryset.values(*values_fields(self.columns))
                    .iterator(chunk_size=CHUNK)):
            yield [display_value(c, cell(row, c, self.ctx)) for c in self.columns]


def export_plan(*, company, user, view: str, filters: DocumentFilters,
                column_keys: list[str] | None = None) -> ExportPlan:
    """What an export of ``view`` writes for ``user``: the columns of their
    configuration (or the given keys, each one they may see), the rows they may EXPORT."""
    view = view_of(view)
    columns = resolve_columns(company, user, view, column_keys)
    qs = documents_query(user=user, view=view, filters=filters, action=Action.EXPORT)
    scope = visible_scope(user=user, action=Action.EXPORT)
    return ExportPlan(columns, qs, CellContext.build(columns, scope), view, filters)


# --- CSV -------------------------------------------------------------------------------------

class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_lines(plan: ExportPlan) -> Iterator[str]:
    """The CSV, one line at a time (UTF-8 BOM first so spreadsheets read accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(plan.header)
    for values in plan.rows():
        yield writer.writerow([csv_text(v) for v in values])


# --- XLSX ------------------------------------------------------------------------------------

def write_xlsx(plan: ExportPlan, target, *, progress=None) -> int:
    """Write the workbook to ``target`` (a path or binary file); returns the row count.
    ``progress(rows_done)`` is called after every chunk."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Documentos")
    sheet.append(plan.header)
    styled = {i: (MONEY_FORMAT if c.kind in ("money", "number") else DATE_FORMAT)
              for i, c in enumerate(plan.columns)
              if c.kind in ("money", "number", "date", "datetime")}
    count = 0
    for values in plan.rows():
        row = []
        for i, value in enumerate(values):
            if i in styled and value != "":
                out = WriteOnlyCell(sheet, value=value)
                out.number_format = styled[i]
                row.append(out)
            else:
                row.append(value)
        sheet.append(row)
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(count)
    workbook.save(target)
    return count


def write_csv(plan: ExportPlan, target: FsPath, *, progress=None) -> int:
    count = -1
    with open(target, "w", encoding="utf-8", newline="") as out:
        for count, line in enumerate(csv_lines(plan)):
            out.write(line)
            if progress is not None and count and count % CHUNK == 0:
                progress(count)
    return max(count, 0)


# --- background jobs ------------------------------------------------------------------------

def export_count(plan: ExportPlan) -> int:
    return plan.queryset.count()


def export_job_create(*, company, actor, view: str, file_format: str,
                      filters: DocumentFilters, column_keys: list[str] | None = None
                      ) -> ExportJob:
    """Queue a background export; the job re-reads scope and rows when it runs."""
    if file_format not in FORMATS:
        raise ValidationError(f"Choose one of {', '.join(FORMATS)}.", field="format")
    plan = export_plan(company=company, user=actor, view=view, filters=filters,
                       column_keys=column_keys)
    job = ExportJob.objects.create(
        company=company, user=actor, view=plan.view, file_format=file_format,
        total_rows=export_count(plan),
        params={"filters": plan.filters.as_query(), "columns": [c.key for c in plan.columns],
                "language": translation.get_language() or settings.LANGUAGE_CODE})
    audit_create(actor=actor, company_id=company.pk, obj=job, operation="documents_export")
    from cuadra.documents.tasks import documents_export_run

    publish_on_commit(documents_export_run.delay, job.pk)
    return job


def export_dir() -> FsPath:
    return FsPath(settings.MEDIA_ROOT) / "exports"


def export_job_run(*, job_id: int) -> ExportJob:
    """Run a queued job once (a repeat finds it DONE and does nothing)."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        if job.state != ExportState.QUEUED:
            return job
        ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING)
    target = export_dir() / str(job.company_id) / f"documents-{job.pk}.{job.file_format}"
    target.parent.mkdir(parents=True, exist_ok=True)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            done = _run(job, target, progress)
    except Exception as exc:  # the job records why; the worker goes on
        ExportJob.objects.filter(pk=job.pk).update(state=ExportState.FAILED, error=str(exc))
        raise
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.DONE, rows_done=done,
                                               total_rows=done, file_path=str(target))
    job.refresh_from_db()
    return job


def _run(job: ExportJob, target: FsPath, progress) -> int:
    plan = export_plan(company=job.company, user=job.user, view=job.view,
                       filters=DocumentFilters.parse(job.params.get("filters")),
                       column_keys=job.params.get("columns"))
    writer = write_xlsx if job.file_format == "xlsx" else write_csv
    return writer(plan, target, progress=progress)


def export_job_get(*, company, user, job_id) -> ExportJob:
    text = str(job_id)
    job = (ExportJob.objects.filter(company=company, user=user, pk=int(text)).first()
           if text.isdigit() else None)
    if job is None:
        raise NotFound("No such export.", field="jobId")
    return job


def export_file(job: ExportJob) -> FsPath:
    if job.state != ExportState.DONE or not job.file_path or not os.path.exists(job.file_path):
        raise NotFound("The export is not ready.", field="jobId")
    return FsPath(job.file_path)
