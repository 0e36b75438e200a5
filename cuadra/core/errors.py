"""Domain errors with stable codes (DESIGN.md invariant 7).

A service raises one of these; the API turns it into a GraphQL error whose
``extensions.code`` is the code below and whose ``extensions.field`` names the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ErrorCode:
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    RATE_LIMITED = "RATE_LIMITED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    CONFLICT = "CONFLICT"
    PERIOD_CLOSED = "PERIOD_CLOSED"
    UNBALANCED_ENTRY = "UNBALANCED_ENTRY"
    APPROVAL_REQUIRED = "APPROVAL_REQUIRED"
    IMMUTABLE = "IMMUTABLE"
    INTERNAL = "INTERNAL"


@dataclass
class FieldError:
    field: str
    message: str
    code: str = ErrorCode.VALIDATION


class DomainError(Exception):
    """Base of every refusal a user can cause. Subclasses fix the code."""

    code: str = ErrorCode.VALIDATION

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_extensions(self) -> dict:
        ext: dict = {"code": self.code}
        if self.field:
            ext["field"] = self.field
        return ext


class ValidationError(DomainError):
    """Bad input. Carries every bad field at once, not just the first."""

    code = ErrorCode.VALIDATION

    def __init__(self, message: str = "", *, field: str | None = None,
                 errors: list[FieldError] | None = None):
        self.errors: list[FieldError] = list(errors or [])
        if field and not self.errors:
            self.errors.append(FieldError(field=field, message=message))
        if not message:
            message = "; ".join(f"{e.field}: {e.message}" for e in self.errors) or "Invalid input"
        super().__init__(message, field=field or (self.errors[0].field if self.errors else None))

    def as_extensions(self) -> dict:
        ext = super().as_extensions()
        ext["errors"] = [{"field": e.field, "message": e.message, "code": e.code}
                         for e in self.errors]
        return ext


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED


class Unauthenticated(PermissionDenied):
    """Not logged in. Reported as PERMISSION_DENIED to avoid telling what exists."""


class RateLimited(PermissionDenied):
    code = ErrorCode.RATE_LIMITED


class InvalidTransition(DomainError):
    code = ErrorCode.INVALID_TRANSITION


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class ImmutableRecord(DomainError):
    code = ErrorCode.IMMUTABLE


@dataclass
class ErrorCollector:
    """Collects field errors so validation reports every bad field in one go."""

    errors: list[FieldError] = field(default_factory=list)

    def add(self, field_name: str, message: str, code: str = ErrorCode.VALIDATION) -> None:
        self.errors.append(FieldError(field=field_name, message=message, code=code))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(errors=self.errors)
