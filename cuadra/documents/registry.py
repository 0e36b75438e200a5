"""The Documents registry's hook: higher layers describe their documents, the lifecycle
machinery writes what they describe.

A domain registers one describer per document type::

    register_record_describer(INVOICE_TYPE, describe_invoice, path=Path.SALES_INVOICES,
                              kinds={"INVOICE": "Invoice", ...})

``describe_invoice(document) -> RecordValues`` reads the document and returns what the
registry row must say. :func:`document_record_sync` upserts the row (and rewrites the
links the document declares) inside the caller's transaction; the lifecycle calls it at
every transition and at every save of a lifecycle document, and a domain calls it after a
change made with a queryset ``update()`` (an allocation changing an invoice's payment
state). Documents a change also affects (the invoice a payment pays) are named in
``RecordValues.related`` and synced with it, so the registry never drifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from cuadra.access.permissions import Path
from cuadra.documents.models import DocumentLink, DocumentRecord

__all__ = [
    "Link",
    "RecordType",
    "RecordValues",
    "describe",
    "describer_for",
    "document_record_sync",
    "kind_label",
    "kind_labels",
    "record_matches",
    "record_sync_deferred",
    "record_type_for_path",
    "register_record_describer",
    "registered_record_types",
]

ZERO = Decimal(0)


@dataclass(frozen=True)
class Link:
    """``from_doc`` → ``to_doc`` in ``role``; one end is the described document. Ends are
    documents, or ``(document_type, object_id)`` pairs."""

    from_doc: object
    to_doc: object
    role: str


@dataclass
class RecordValues:
    number: str
    kind: str
    status: str
    document_date: dt.date | None = None
    due_date: dt.date | None = None
    document_created_at: dt.datetime | None = None
    branch_id: int | None = None
    party_type: str = ""
    party_id: int | None = None
    party_code: str = ""
    party_name: str = ""
    creator_id: int | None = None
    owner_id: int | None = None
    customer_status: str = ""
    manager_id: int | None = None
    manager_name: str = ""
    currency: str = ""
    amount: Decimal = ZERO
    tax: Decimal = ZERO
    paid_amount: Decimal = ZERO
    payment_state: str = ""
    payment_result: str = ""
    notes: str = ""
    links: list[Link] = field(default_factory=list)
    related: list = field(default_factory=list)

    def row_values(self) -> dict:
        values = {k: getattr(self, k) for k in RECORD_FIELDS}
        return values


RECORD_FIELDS = (
    "number", "kind", "status", "document_date", "due_date", "document_created_at",
    "branch_id", "party_type", "party_id", "party_code", "party_name", "creator_id",
    "owner_id", "customer_status", "manager_id", "manager_name", "currency", "amount", "tax",
    "paid_amount", "payment_state", "payment_result", "notes",
)

Describer = Callable[[object], RecordValues]


@dataclass(frozen=True)
class RecordType:
    document_type: str
    describe: Describer
    path: Path
    kinds: dict[str, str]


_describers: dict[str, RecordType] = {}


def register_record_describer(document_type: str, fn: Describer, *, path: Path,
                              kinds: dict[str, str]) -> None:
    """``kinds`` maps each kind the describer may return to its label (seed 004's
    document types). Registering a type again replaces it."""
    _describers[document_type] = RecordType(document_type, fn, Path(path), dict(kinds))


def registered_record_types() -> dict[str, RecordType]:
    return dict(_describers)


def describer_for(document_type: str) -> RecordType | None:
    return _describers.get(document_type)


def kind_labels() -> dict[str, str]:
    out: dict[str, str] = {}
    for spec in _describers.values():
        out.update(spec.kinds)
    return out


def kind_label(kind: str) -> str:
    return kind_labels().get(kind, kind)


def record_type_for_path(path: str) -> list[str]:
    return [t for t, spec in _describers.items() if spec.path.value == path]


def describe(document) -> RecordValues:
    spec = _describers[type(document).document_type]
    values = spec.describe(document)
    if values.kind not in spec.kinds:
        raise ValueError(f"{spec.document_type} described kind {values.kind!r}, which it "
                         f"did not register ({sorted(spec.kinds)})")
    return values


def _end(doc) -> tuple[str, int]:
    if isinstance(doc, tuple):
        return doc[0], int(doc[1])
    return type(doc).document_type, int(doc.pk)


# Documents whose sync waits for the end of a ``record_sync_deferred`` block, by
# (type, id): the last instance named is the one described, once.
_deferred: ContextVar[dict | None] = ContextVar("document_record_deferred", default=None)


@contextmanager
def record_sync_deferred() -> Iterator[None]:
    """Inside the block, ``document_record_sync`` only notes the document; when the block
    ends without an error each noted document is synced once, still inside the caller's
    transaction (a transition saves its document several times: number, entry, payment
    state, status, and the row is written once, describing the final state). An error
    skips the syncs: the transaction rolls back anyway. Re-entrant."""
    if _deferred.get() is not None:
        yield
        return
    pending: dict = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for document in pending.values():
        document_record_sync(document)


def document_record_sync(document, *, _seen: set | None = None) -> None:
    """Upsert the registry row of ``document`` (and of the documents it names as related)
    in the current transaction. A type without a describer has no row."""
    spec = _describers.get(getattr(type(document), "document_type", ""))
    if spec is None or document.pk is None:
        return
    pending = _deferred.get()
    if pending is not None:
        pending.pop(_end(document), None)  # re-insert: synced after what it may relate to
        pending[_end(document)] = document
        return
    seen = _seen if _seen is not None else set()
    key = _end(document)
    if key in seen:
        return
    seen.add(key)
    values = describe(document)
    with transaction.atomic():
        created = _upsert(document, spec, values)
        _write_links(document, spec, created, values.links)
        for other in values.related:
            document_record_sync(other, _seen=seen)


def _upsert(document, spec: RecordType, values: RecordValues) -> DocumentRecord | None:
    """The row written: updated in place (returns None) or created (returns it)."""
    row = values.row_values()
    row["path"] = spec.path.value
    updated = DocumentRecord.objects.filter(document_type=spec.document_type,
                                            object_id=document.pk).update(**row)
    if updated:
        return None
    return DocumentRecord.objects.create(company_id=document.company_id,
                                         document_type=spec.document_type,
                                         object_id=document.pk, **row)


def _write_links(document, spec: RecordType, created: DocumentRecord | None,
                 links: Iterable[Link]) -> None:
    wanted = []
    for link in links:
        (ft, fid), (tt, tid) = _end(link.from_doc), _end(link.to_doc)
        wanted.append((ft, fid, tt, tid, link.role))
    if created is not None:
        existing, owner_id = {}, created.pk
    else:  # the row's links, read through it (no read of the row itself)
        rows = list(DocumentLink.objects.filter(
            owner__document_type=spec.document_type, owner__object_id=document.pk)
            .values_list("pk", "owner_id", "from_type", "from_id", "to_type", "to_id",
                         "role"))
        existing = {tuple(r[2:]): r[0] for r in rows}
        owner_id = rows[0][1] if rows else None
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        DocumentLink.objects.filter(pk__in=stale).delete()
    new = [key for key in dict.fromkeys(wanted) if key not in existing]
    if not new:
        return
    if owner_id is None:
        owner_id = DocumentRecord.objects.filter(
            document_type=spec.document_type, object_id=document.pk).values_list(
            "pk", flat=True).get()
    DocumentLink.objects.bulk_create([
        DocumentLink(company_id=document.company_id, owner_id=owner_id, from_type=ft,
                     from_id=fid, to_type=tt, to_id=tid, role=role)
        for ft, fid, tt, tid, role in new])


def record_matches(document) -> list[str]:
    """The fields where the stored row differs from a fresh describe (empty: in sync).
    The meta-test's check; also handy in a shell."""
    spec = _describers[type(document).document_type]
    values = describe(document)
    record = DocumentRecord.objects.filter(document_type=spec.document_type,
                                           object_id=document.pk).first()
    if record is None:
        return ["(no record)"]
    diffs = [name for name, value in values.row_values().items()
             if getattr(record, name) != value]
    links = sorted((*_end(k.from_doc), *_end(k.to_doc), k.role) for k in values.links)
    stored = sorted((k.from_type, k.from_id, k.to_type, k.to_id, k.role)
                    for k in record.links.all())
    if sorted(set(links)) != stored:
        diffs.append("links")
    return diffs
