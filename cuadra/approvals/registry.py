"""Which document types can be approved, and how their lifecycle is wired.

A domain that wants approvals calls :func:`register_approvable` once at start-up (from its
AppConfig.ready()). Registration plugs two guards into the documents lifecycle: the submit
action opens an approval request for the matching configs, and the guarded action is
refused with ``APPROVAL_REQUIRED`` until the request is approved.
"""

from __future__ import annotations

from dataclasses import dataclass

from cuadra.access.permissions import Path
from cuadra.core.errors import NotFound, ValidationError

# Types a company may configure before their domain has registered (the seed's first one).
CONFIGURABLE_TYPES: dict[str, Path] = {"PURCHASE_REQUISITION": Path.PURCHASE_REQUISITIONS}


@dataclass(frozen=True)
class Approvable:
    document_type: str
    model: type
    submit_action: str
    guarded_action: str
    reject_action: str
    path: Path


_registry: dict[str, Approvable] = {}


def register_approvable(document_type: str, *, model, submit_action: str,
                        guarded_action: str, reject_action: str,
                        path: Path | str | None = None) -> Approvable:
    """Make a document type approvable. Idempotent for the same wiring."""
    from cuadra.approvals import guards  # guards import services, which import this module

    resolved = Path(path) if path else CONFIGURABLE_TYPES.get(document_type, Path.DOCUMENTS)
    entry = Approvable(document_type=document_type, model=model, submit_action=submit_action,
                       guarded_action=guarded_action, reject_action=reject_action,
                       path=resolved)
    existing = _registry.get(document_type)
    if existing is not None and existing != entry:
        raise ValueError(f"{document_type} is already registered as approvable differently")
    _registry[document_type] = entry
    guards.install(entry)
    return entry


def unregister_approvable(document_type: str) -> None:
    """Undo :func:`register_approvable` (tests that register a type for a while)."""
    from cuadra.approvals import guards

    entry = _registry.pop(document_type, None)
    if entry is not None:
        guards.uninstall(entry)


def approvable_get(document_type: str) -> Approvable:
    entry = _registry.get(document_type)
    if entry is None:
        raise NotFound(f"Documents of type {document_type} cannot be approved yet.",
                       field="documentType")
    return entry


def approvable_for_document(document) -> Approvable:
    return approvable_get(type(document).document_type)


def configurable_types() -> list[str]:
    return sorted(set(CONFIGURABLE_TYPES) | set(_registry))


def validate_configurable(document_type: str) -> str:
    if document_type not in configurable_types():
        raise ValidationError(f"Approvals cannot be configured for '{document_type}'. "
                              f"Known types: {', '.join(configurable_types())}.",
                              field="documentType")
    return document_type


def path_for(document_type: str) -> Path:
    entry = _registry.get(document_type)
    if entry is not None:
        return entry.path
    if document_type in CONFIGURABLE_TYPES:
        return CONFIGURABLE_TYPES[document_type]
    raise NotFound(f"Documents of type {document_type} cannot be approved yet.",
                   field="documentType")
