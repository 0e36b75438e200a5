"""GraphQL for the Documents registry (seed 004): the same page the web renders, as JSON.

``documents(view, filters, columns, page)`` answers ``{results totalCount pageInfo{offset
limit} columns totals query}``: each result carries its cells as strings in column order
(money exact, dates ISO) and its payment state and colour. Rows span every company where
the user may see documents (the ``company`` filter narrows them); the column configuration
is the active company's. Exports return a download URL, or a background job above the
synchronous limit."""

from __future__ import annotations

from urllib.parse import urlencode

import strawberry
from strawberry.scalars import JSON

from cuadra.access.permissions import Action, Path
from cuadra.api.base import actor, company, requires
from cuadra.core.errors import NotFound, ValidationError
from cuadra.documents import columns as cols
from cuadra.documents import custom_fields as cf
from cuadra.documents import exports
from cuadra.documents.filters import DocumentFilters, records_visible
from cuadra.documents.models import CustomFieldDefinition, ExportJob
from cuadra.documents.registry_selectors import (
    Page,
    document_timeline,
    documents_page,
    documents_summary,
)


@strawberry.input
class CustomFieldFilterInput:
    """A custom field's filter: ``value`` (equality) and/or ``min``/``max`` (range, for
    number, money and date fields), all as text: ``{field: "budget", min: "100.00"}``
    is the URL's ``cf.budget.min=100.00``."""

    field: str
    value: str | None = None
    min: str | None = None
    max: str | None = None

    def params(self) -> dict[str, str]:
        base = f"cf.{self.field}"
        pairs = ((base, self.value), (f"{base}.min", self.min), (f"{base}.max", self.max))
        return {k: v for k, v in pairs if v not in (None, "")}


@strawberry.input
class DocumentFiltersInput:
    date_from: str | None = None
    date_to: str | None = None
    amount_min: str | None = None
    amount_max: str | None = None
    company: list[str] | None = None
    team_member: strawberry.ID | None = None
    customer_status: list[str] | None = None
    manager: strawberry.ID | None = None
    tags: list[str] | None = None
    shared_with: strawberry.ID | None = None
    kind: list[str] | None = None
    payment_state: list[str] | None = None
    status: list[str] | None = None
    q: str | None = None
    custom: list[CustomFieldFilterInput] | None = None

    def parse(self) -> DocumentFilters:
        data = {k: v for k, v in vars(self).items() if v is not None and k != "custom"}
        for c in self.custom or []:
            data.update(c.params())
        return DocumentFilters.parse(data)


def _filters(f: DocumentFiltersInput | None) -> DocumentFilters:
    return f.parse() if f is not None else DocumentFilters()


@strawberry.input
class PageInput:
    """``offset``/``limit``, or ``after`` (a page's ``pageInfo.endCursor``): the next
    rows by keyset, as fast on page 10,000 as on page 1."""

    offset: int = 0
    limit: int = 50
    after: str | None = None


@strawberry.input
class ColumnInput:
    key: str
    label: str = ""
    pinned: bool = False


@strawberry.type
class ColumnType:
    key: str
    label: str
    default_label: str
    kind: str
    pinned: bool
    is_custom: bool

    @classmethod
    def of(cls, c: cols.Column) -> ColumnType:
        return cls(key=c.key, label=c.label, default_label=c.default_label, kind=c.kind,
                   pinned=c.pinned, is_custom=c.is_custom)


@strawberry.type
class DocumentRowType:
    id: strawberry.ID
    document_type: str
    object_id: strawberry.ID
    payment_state: str
    colour: str
    cells: list[str]


@strawberry.type
class PageInfoType:
    offset: int
    limit: int
    has_next_page: bool
    has_previous_page: bool
    end_cursor: str | None


@strawberry.type
class CurrencyTotalType:
    currency: str
    amount: str
    paid: str
    count: int

    @classmethod
    def of(cls, t) -> CurrencyTotalType:
        text = exports.csv_text
        return cls(currency=t.currency, amount=text(t.amount), paid=text(t.paid),
                   count=t.count)


@strawberry.type
class DocumentSummaryType:
    total_count: int
    totals: list[CurrencyTotalType]


@strawberry.type
class DocumentPageType:
    view: str
    columns: list[ColumnType]
    results: list[DocumentRowType]
    total_count: int | None = strawberry.field(description=(
        "Exact when cheap (at most countCap matches, the last page, or totals or "
        "exactCount asked for); null when countCapped."))
    count_capped: bool = strawberry.field(description="More than countCap matches.")
    count_cap: int
    page_info: PageInfoType
    totals: list[CurrencyTotalType]
    query: str

    @classmethod
    def of(cls, page: Page) -> DocumentPageType:
        text = exports.csv_text
        return cls(
            view=page.view, columns=[ColumnType.of(c) for c in page.columns],
            results=[DocumentRowType(id=strawberry.ID(str(r.id)), document_type=r.document_type,
                                     object_id=strawberry.ID(str(r.object_id)),
                                     payment_state=r.payment_state, colour=r.colour,
                                     cells=[text(v) for v in r.cells]) for r in page.rows],
            total_count=page.total_count, count_capped=page.count_capped,
            count_cap=page.count_cap,
            page_info=PageInfoType(offset=page.offset, limit=page.limit,
                                   has_next_page=page.has_next,
                                   has_previous_page=page.has_previous,
                                   end_cursor=page.next_cursor or None),
            totals=[CurrencyTotalType.of(t) for t in page.totals],
            query=urlencode({"view": page.view, **page.filters.as_query()}, doseq=True))


@strawberry.type
class CustomFieldDefinitionType:
    id: strawberry.ID
    key: str
    label: str
    field_type: str
    choices: list[str]

    @classmethod
    def of(cls, d: CustomFieldDefinition) -> CustomFieldDefinitionType:
        return cls(id=strawberry.ID(str(d.pk)), key=d.key, label=d.label,
                   field_type=d.field_type, choices=list(d.choices))


@strawberry.type
class DocumentRecordType:
    id: strawberry.ID
    number: str
    tags: list[str]
    folder: str
    shared_with: list[strawberry.ID]
    custom: JSON

    @classmethod
    def of(cls, r) -> DocumentRecordType:
        return cls(id=strawberry.ID(str(r.pk)), number=r.number, tags=r.tag_list,
                   folder=r.folder, shared_with=[strawberry.ID(str(u))
                                                 for u in r.shared_with_ids],
                   custom=r.custom)


@strawberry.type
class ExportJobType:
    id: strawberry.ID
    state: str
    file_format: str
    total_rows: int
    rows_done: int
    download_url: str | None

    @classmethod
    def of(cls, job: ExportJob) -> ExportJobType:
        url = f"/documents/exports/{job.pk}/download" if job.state == "DONE" else None
        return cls(id=strawberry.ID(str(job.pk)), state=job.state, file_format=job.file_format,
                   total_rows=job.total_rows, rows_done=job.rows_done, download_url=url)


@strawberry.type
class ExportResultType:
    url: str | None
    job: ExportJobType | None


def _visible_record(info, record_id):
    record = cf.record_get(company=company(info), record_id=record_id)
    if not records_visible(user=actor(info)).filter(pk=record.pk).exists():
        raise NotFound("No such document.", field="documentId")
    return record


def _selected_names(selections) -> set[str]:
    """Field names asked for at this level, fragments included."""
    from strawberry.types.nodes import SelectedField

    names: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            names.add(selection.name)
        else:  # a fragment spread or an inline fragment
            names |= _selected_names(selection.selections)
    return names


def _columns(columns: list[ColumnInput]) -> list[dict]:
    return [{"key": c.key, "label": c.label, "pinned": c.pinned} for c in columns]


@strawberry.type
class TimelineEntryType:
    at: str
    actor: str
    action: str
    detail: str


@strawberry.type
class RegistryQuery:
    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def document_timeline(self, info: strawberry.Info,
                          document_id: strawberry.ID) -> list[TimelineEntryType]:
        """The lifecycle history and audit trail of one registry document."""
        return [TimelineEntryType(at=e.at.isoformat(), actor=e.actor, action=e.action,
                                  detail=e.detail)
                for e in document_timeline(company=company(info), user=actor(info),
                                           record_id=document_id)]

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def documents(self, info: strawberry.Info, view: str = "everything",
                  filters: DocumentFiltersInput | None = None,
                  columns: list[str] | None = None,
                  page: PageInput | None = None,
                  exact_count: bool = False) -> DocumentPageType:
        page = page or PageInput()
        wanted = _selected_names(info.selected_fields[0].selections)
        return DocumentPageType.of(documents_page(
            company=company(info), user=actor(info), view=view, filters=_filters(filters),
            column_keys=columns, offset=page.offset, limit=page.limit,
            after=page.after or "", with_totals="totals" in wanted,
            exact_count=exact_count,
            # a client that shows no total does not pay for counting the matches
            with_count=bool({"totalCount", "countCapped"} & wanted)))

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def documents_summary(self, info: strawberry.Info, view: str = "everything",
                          filters: DocumentFiltersInput | None = None
                          ) -> DocumentSummaryType:
        """The exact count and per-currency totals of every match, asked for apart
        from the page (it reads every match; the page reads one page)."""
        summary = documents_summary(user=actor(info), view=view, filters=_filters(filters))
        return DocumentSummaryType(total_count=summary.total_count,
                                   totals=[CurrencyTotalType.of(t) for t in summary.totals])

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def document_column_config(self, info: strawberry.Info,
                               view: str = "everything") -> list[ColumnType]:
        return [ColumnType.of(c) for c in cols.column_config_get(
            company=company(info), user=actor(info), view=view)]

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def document_available_columns(self, info: strawberry.Info) -> list[ColumnType]:
        specs = cols.available_columns(company=company(info), user=actor(info))
        return [ColumnType(key=s.key, label=s.label, default_label=s.label, kind=s.kind,
                           pinned=False, is_custom=s.key.startswith(cols.CUSTOM_PREFIX))
                for s in specs.values()]

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def custom_field_definitions(self, info: strawberry.Info
                                 ) -> list[CustomFieldDefinitionType]:
        return [CustomFieldDefinitionType.of(d)
                for d in cf.custom_field_definitions_list(company=company(info))]

    @strawberry.field(extensions=requires(Path.DOCUMENTS, Action.EXPORT))
    def document_export_job(self, info: strawberry.Info,
                            job_id: strawberry.ID) -> ExportJobType:
        return ExportJobType.of(exports.export_job_get(company=company(info),
                                                       user=actor(info), job_id=job_id))


@strawberry.type
class RegistryMutation:
    @strawberry.mutation(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def save_document_column_config(self, info: strawberry.Info, view: str,
                                    columns: list[ColumnInput]) -> list[ColumnType]:
        return [ColumnType.of(c) for c in cols.column_config_save(
            company=company(info), actor=actor(info), view=view, columns=_columns(columns))]

    @strawberry.mutation(extensions=requires(Path.DOCUMENTS, Action.VIEW))
    def reset_document_column_config(self, info: strawberry.Info,
                                     view: str) -> list[ColumnType]:
        return [ColumnType.of(c) for c in cols.column_config_reset(
            company=company(info), actor=actor(info), view=view)]

    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def publish_document_column_config(self, info: strawberry.Info, view: str,
                                       columns: list[ColumnInput]) -> list[ColumnType]:
        return [ColumnType.of(c) for c in cols.column_config_publish(
            company=company(info), actor=actor(info), view=view, columns=_columns(columns))]

    @strawberry.mutation(extensions=requires(Path.SETTINGS, Action.UPDATE))
    def create_custom_field_definition(self, info: strawberry.Info, key: str, label: str,
                                       field_type: str, choices: list[str] | None = None
                                       ) -> CustomFieldDefinitionType:
        return CustomFieldDefinitionType.of(cf.custom_field_definition_create(
            company=company(info), actor=actor(info), key=key, label=label,
            field_type=field_type, choices=choices))

    @strawberry.mutation(extensions=requires(Path.DOCUMENTS, Action.UPDATE))
    def set_document_custom_fields(self, info: strawberry.Info, document_id: strawberry.ID,
                                   values: JSON) -> DocumentRecordType:
        record = _visible_record(info, document_id)
        return DocumentRecordType.of(cf.document_custom_fields_set(
            company=company(info), actor=actor(info), record_id=record.pk,
            values=values if isinstance(values, dict) else {}))

    @strawberry.mutation(extensions=requires(Path.DOCUMENTS, Action.UPDATE))
    def annotate_document(self, info: strawberry.Info, document_id: strawberry.ID,
                          tags: list[str] | None = None, folder: str | None = None,
                          shared_with: list[strawberry.ID] | None = None
                          ) -> DocumentRecordType:
        record = _visible_record(info, document_id)
        return DocumentRecordType.of(cf.document_record_annotate(
            company=company(info), actor=actor(info), record_id=record.pk, tags=tags,
            folder=folder, shared_with=shared_with))

    @strawberry.mutation(extensions=requires(Path.DOCUMENTS, Action.EXPORT))
    def export_documents(self, info: strawberry.Info, file_format: str = "csv",
                         view: str = "everything",
                         filters: DocumentFiltersInput | None = None,
                         columns: list[str] | None = None) -> ExportResultType:
        """Up to the synchronous limit: a URL that streams the file now. Above it: a
        background job (poll ``documentExportJob``; its ``downloadUrl`` when DONE)."""
        parsed = _filters(filters)
        plan = exports.export_plan(company=company(info), user=actor(info), view=view,
                                   filters=parsed, column_keys=columns)
        if file_format not in exports.FORMATS:
            raise ValidationError("Choose csv or xlsx.", field="fileFormat")
        if exports.export_count(plan) <= exports.sync_limit():
            query = {"view": plan.view, **parsed.as_query()}
            if columns:
                query["columns"] = [",".join(columns)]
            return ExportResultType(
                url=f"/documents/export.{file_format}?{urlencode(query, doseq=True)}",
                job=None)
        job = exports.export_job_create(company=company(info), actor=actor(info), view=view,
                                        file_format=file_format, filters=parsed,
                                        column_keys=columns)
        return ExportResultType(url=None, job=ExportJobType.of(job))


__all__ = ["RegistryMutation", "RegistryQuery"]
