"""What every GraphQL field shares: who is asking, in which company, with what right,
and how refusals come back (DESIGN.md convention 4, invariant 7).

Every query and mutation declares exactly one access extension:

* ``requires(path, action)``: authenticated, a role in the ``X-Company`` company, and the
  (path, action) permission there.
* ``authenticated()``: any logged-in user, not tied to a company (``me``, ``companies``).
* ``public()``: no login (``login`` only).

``tests/meta/`` walks the schema and fails if a field declares none.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import strawberry
from django.db import transaction
from graphql import GraphQLError, IntValueNode, StringValueNode
from strawberry.extensions import FieldExtension, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info
from strawberry.types.scalar import ScalarDefinition

from cuadra.access import selectors as access
from cuadra.access.permissions import Action, Path
from cuadra.core.audit import audit_refusal
from cuadra.core.errors import DomainError, PermissionDenied, Unauthenticated

# --- request state -------------------------------------------------------------------------

def request_of(info: Info):
    return info.context.request


def actor(info: Info):
    request = request_of(info)
    if getattr(request, "auth_error", None):
        raise PermissionDenied(request.auth_error, field="Authorization")
    user = request.user
    if not user.is_authenticated:
        raise Unauthenticated("Log in, or send 'Authorization: Bearer <token>'.")
    return user


def company(info: Info):
    """The active company: the one ``X-Company`` names, where the user holds a role."""
    request = request_of(info)
    cached = getattr(request, "_cuadra_company", None)
    if cached is not None:
        return cached
    user = actor(info)
    code = getattr(request, "company_code", None)
    if not code:
        raise PermissionDenied("Choose a company with the 'X-Company' header.",
                               field="X-Company")
    request._cuadra_company = access.company_for_user(user=user, code=code)
    return request._cuadra_company


def company_if_any(info: Info):
    try:
        return company(info) if getattr(request_of(info), "company_code", None) else None
    except DomainError:
        return None


# --- access extensions ---------------------------------------------------------------------

class AccessExtension(FieldExtension):
    """Base of the three access declarations; the meta-test looks for it."""

    label = "access"

    def check(self, info: Info) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def resolve(self, next_: Callable, source: Any, info: Info, **kwargs):
        if info.operation.operation.value == "mutation":
            return _run_mutation(self, next_, source, info, kwargs)
        try:
            self.check(info)
            return next_(source, info, **kwargs)
        except DomainError as error:
            # a refused read is a refused attempt too (someone probing another company)
            _audit_refusal(info, error, kwargs)
            raise


class RequirePermission(AccessExtension):
    def __init__(self, path: Path, action: Action):
        super().__init__()
        self.path = Path(path)
        self.action = Action(action)
        self.label = f"{self.path.value}:{self.action.value}"

    def check(self, info: Info) -> None:
        access.require_perm(user=actor(info), company=company(info), path=self.path,
                            action=self.action)


class RequireAuthenticated(AccessExtension):
    label = "authenticated"

    def check(self, info: Info) -> None:
        actor(info)


class Public(AccessExtension):
    label = "public"

    def check(self, info: Info) -> None:
        return None


def requires(path: Path, action: Action) -> list[FieldExtension]:
    return [RequirePermission(path, action)]


def authenticated() -> list[FieldExtension]:
    return [RequireAuthenticated()]


def public() -> list[FieldExtension]:
    return [Public()]


def _run_mutation(ext: AccessExtension, next_, source, info: Info, kwargs: dict):
    """One transaction per mutation; a refusal rolls back and leaves only its audit row."""
    try:
        with transaction.atomic():
            ext.check(info)
            return next_(source, info, **kwargs)
    except DomainError as error:
        _audit_refusal(info, error, kwargs)
        raise


def _audit_refusal(info: Info, error: DomainError, kwargs: dict) -> None:
    user = request_of(info).user
    company_obj = getattr(request_of(info), "_cuadra_company", None)
    audit_refusal(actor=user if user.is_authenticated else None,
                  company_id=company_obj.pk if company_obj else None,
                  operation=info.field_name, error_code=error.code,
                  message=error.message, attempted=_safe_args(kwargs))


_SECRET_ARGS = {"password", "token"}


def _safe_args(kwargs: dict) -> dict:
    out = {}
    for key, value in kwargs.items():
        if key in _SECRET_ARGS:
            continue
        out[key] = value if isinstance(value, str | int | bool | type(None)) else str(value)
    return out


# --- errors --------------------------------------------------------------------------------

class DomainErrorExtension(SchemaExtension):
    """Turns DomainErrors into GraphQL errors with ``extensions.code`` (and ``field``);
    anything unexpected becomes ``INTERNAL`` without leaking its message."""

    def __init__(self, *, debug: bool = False):
        self.debug = debug

    def on_operation(self):
        yield
        result = self.execution_context.result
        if result is None or not getattr(result, "errors", None):
            return
        result.errors = [self._convert(e) for e in result.errors]

    def _convert(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, DomainError):
            return GraphQLError(original.message, nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions=original.as_extensions())
        if original is None or isinstance(original, GraphQLError):
            # a GraphQL validation error (the query or its variables are wrong)
            return GraphQLError(error.message, nodes=error.nodes, source=error.source,
                                positions=error.positions, path=error.path,
                                extensions={"code": "GRAPHQL_VALIDATION"})
        message = error.message if self.debug else "Internal error."
        return GraphQLError(message, nodes=error.nodes, source=error.source,
                            positions=error.positions, path=error.path,
                            extensions={"code": "INTERNAL"})


class CuadraSchema(strawberry.Schema):
    """A schema that does not log refusals: a DomainError is an expected answer (already
    audited and returned with its code), not a server fault worth a traceback."""

    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        unexpected = [e for e in errors if not isinstance(e.original_error, DomainError)]
        super().process_errors(unexpected, execution_context)


# --- exact decimals ----------------------------------------------------------------------------

def _parse_exact_decimal(value):
    """A JSON number reaches Python as a float and has already lost digits past ~15: only
    strings (and whole numbers) become money."""
    if isinstance(value, bool | float):
        raise ValueError('Send decimals as strings, e.g. "12.34": a JSON number is a float '
                         "and loses digits.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"{value!r} is not a decimal number.") from exc
        if not parsed.is_finite():
            raise ValueError(f"{value!r} is not a finite decimal number.")
        return parsed
    raise ValueError("Send decimals as strings.")


def _parse_exact_decimal_literal(node, variables=None):
    if isinstance(node, StringValueNode | IntValueNode):
        return _parse_exact_decimal(node.value if isinstance(node, StringValueNode)
                                    else int(node.value))
    raise ValueError('Write decimals as strings, e.g. "12.34".')


EXACT_DECIMAL = ScalarDefinition(
    name="Decimal", description='An exact decimal sent and received as a string, e.g. "12.34"; '
                                "a JSON number (a float) is refused.",
    specified_by_url=None, serialize=lambda value: str(value),
    parse_value=_parse_exact_decimal, parse_literal=_parse_exact_decimal_literal)

SCHEMA_CONFIG = StrawberryConfig(scalar_map={Decimal: EXACT_DECIMAL})
