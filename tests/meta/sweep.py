"""Machinery of the tenancy sweep: build every GraphQL operation of the schema from
introspection, fill its arguments with ids of company DEMO, and find DEMO in answers.

Nothing here names an operation: a new query or mutation is swept as soon as it is in the
schema. What the sweep cannot fill (a new scalar, a nested field with required arguments)
fails loudly with a message saying what to teach it, in ``SCALARS`` or ``id_candidates``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from cuadra.access.models import RoleAssignment
from cuadra.core.models import AuditLog
from cuadra.tenancy.models import Company, Organization

SELECTION_DEPTH = 4  # levels of objects below the operation field
FALLBACK_IDS_PER_MODEL = 1
_SKIPPED_APPS = {"admin", "contenttypes", "sessions", "messages", "staticfiles"}


class SweepCannotFill(AssertionError):
    """An argument or field the sweep does not know how to fill: teach it here."""


def _documents_registry() -> dict:
    from cuadra.documents.lifecycle import registered_document_types

    return registered_document_types()


# Scalars the sweep can fill, with the values it tries (the first is the default).
SCALARS: dict[str, Any] = {
    "String": lambda: ["SWEEP"],
    "Int": lambda: [1],
    "Float": lambda: [1.0],
    "Boolean": lambda: [True],
    "Decimal": lambda: ["1"],
    "Date": lambda: [dt.date.today().isoformat()],
    "DateTime": lambda: [dt.datetime.now(dt.UTC).isoformat()],
    "JSON": lambda: [{}],
    "DocumentTypeCode": lambda: sorted(_documents_registry()) or ["SWEEP"],
}


# --- the two companies ---------------------------------------------------------------------

@dataclass
class Tenants:
    demo: Company
    otra: Company
    demo_ids: dict[type, list[str]] = field(default_factory=dict)  # model -> DEMO pks

    @classmethod
    def load(cls, demo: Company, otra: Company) -> Tenants:
        tenants = cls(demo=demo, otra=otra)
        for model in business_models():
            qs = demo_rows(model, demo, otra)
            if qs is not None:
                tenants.demo_ids[model] = [str(pk) for pk in
                                           qs.order_by("pk").values_list("pk", flat=True)]
        return tenants

    def fallback_ids(self) -> list[str]:
        """One id of every DEMO-related model: for an ID argument the sweep cannot place."""
        seen: list[str] = []
        for ids in self.demo_ids.values():
            for pk in ids[:FALLBACK_IDS_PER_MODEL]:
                if pk not in seen:
                    seen.append(pk)
        return seen


def business_models() -> list[type]:
    return [m for m in apps.get_models()
            if m._meta.app_label not in _SKIPPED_APPS
            and m._meta.label not in {"auth.Group", "auth.Permission"}]


def demo_rows(model, demo: Company, otra: Company):
    """The rows of ``model`` that belong to DEMO (and not to OTRA), or None if the model
    has no tie to a company."""
    User = get_user_model()
    if model is User:
        return (User.objects.filter(role_assignments__company=demo)
                .exclude(role_assignments__company=otra).distinct())
    if model is Company:
        return Company.objects.filter(pk=demo.pk)
    if model is Organization:
        return Organization.objects.filter(pk=demo.organization_id)
    if model is AuditLog:
        return AuditLog.objects.filter(company_id=demo.pk)
    names = {f.name: f for f in model._meta.get_fields() if f.concrete}
    if "company" in names and names["company"].is_relation:
        return model._base_manager.filter(company=demo)
    if "company_id" in names and not names["company_id"].is_relation:
        return model._base_manager.filter(company_id=demo.pk)
    if "organization" in names and names["organization"].is_relation:
        return model._base_manager.filter(organization_id=demo.organization_id)
    if "user" in names and names["user"].is_relation:
        demo_users = demo_rows(User, demo, otra)
        return model._base_manager.filter(user__in=demo_users)
    return None


def demo_snapshot(tenants: Tenants) -> dict[str, list[dict]]:
    """Every DEMO row of every model but the audit log, to prove nothing of DEMO changed."""
    snap = {}
    for model in business_models():
        if model is AuditLog:
            continue
        qs = demo_rows(model, tenants.demo, tenants.otra)
        if qs is not None:
            snap[model._meta.label] = list(qs.order_by("pk").values())
    snap["access.RoleAssignment(of DEMO users)"] = list(
        RoleAssignment.objects.filter(user__role_assignments__company=tenants.demo)
        .order_by("pk").values())
    return snap


# --- types of the schema -------------------------------------------------------------------

def model_of(gtype) -> type | None:
    """The Django model a GraphQL object type stands for (through paginated wrappers)."""
    named = get_named_type(gtype)
    if not isinstance(named, GraphQLObjectType):
        return None
    definition = (named.extensions or {}).get("strawberry-definition")
    origin = getattr(definition, "origin", None)
    django_def = getattr(origin, "__strawberry_django_definition__", None)
    if django_def is not None:
        return django_def.model
    if set(named.fields) >= {"results", "totalCount"}:
        return model_of(named.fields["results"].type)
    return None


def typename_models(schema: GraphQLSchema) -> dict[str, type]:
    found = {}
    for name, gtype in schema.type_map.items():
        if isinstance(gtype, GraphQLObjectType) and not name.startswith("__"):
            definition = (gtype.extensions or {}).get("strawberry-definition")
            django_def = getattr(getattr(definition, "origin", None),
                                 "__strawberry_django_definition__", None)
            if django_def is not None:
                found[name] = django_def.model
    return found


def _required(arg) -> bool:
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


def selection(gtype, depth: int = SELECTION_DEPTH, path: str = "") -> str | None:
    """A selection set of every leaf field down to ``depth`` object levels."""
    named = get_named_type(gtype)
    if is_leaf_type(named):
        return ""
    if depth <= 0:
        return None
    parts = ["__typename"]
    if isinstance(named, GraphQLUnionType):
        for member in named.types:
            sub = selection(member, depth, f"{path}<{member.name}>")
            parts.append(f"... on {member.name} {sub}")
        return "{ " + " ".join(parts) + " }"
    assert isinstance(named, GraphQLObjectType | GraphQLInterfaceType), named
    for name, fld in named.fields.items():
        if any(_required(a) for a in fld.args.values()):
            raise SweepCannotFill(f"{path}.{name} has required arguments; teach "
                                  "tests/meta/sweep.py:selection to fill them")
        if is_leaf_type(get_named_type(fld.type)):
            parts.append(name)
        else:
            sub = selection(fld.type, depth - 1, f"{path}.{name}")
            if sub:
                parts.append(f"{name} {sub}")
    return "{ " + " ".join(parts) + " }"


# --- arguments -----------------------------------------------------------------------------

def _camel_words(name: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[a-z]+|[A-Z][a-z]*", name)]


def id_candidates(arg_name: str, op: GraphQLField, tenants: Tenants) -> list[str]:
    """DEMO ids for an ID argument, chosen by its name (``roleId`` -> DEMO roles,
    ``approverUserIds`` -> DEMO users, ``tokenId`` -> DEMO API tokens), or for ``id`` by the
    operation's return type; every DEMO-related id when neither tells."""
    stem = re.sub(r"Ids?$", "", arg_name) if arg_name not in {"id", "ids"} else ""
    models: list[type] = []
    if stem:
        words = _camel_words(stem)
        for i in range(len(words)):
            suffix = "".join(words[i:])
            models = [m for m in tenants.demo_ids
                      if m.__name__.lower() == suffix or m.__name__.lower().endswith(suffix)]
            if models:
                break
    else:
        model = model_of(op.type)
        models = [model] if model is not None else []
    ids = [pk for m in models for pk in tenants.demo_ids.get(m, [])[:3]]
    return ids or tenants.fallback_ids()


def values_for(arg_name: str, gtype, op: GraphQLField, tenants: Tenants,
               where: str) -> list[Any]:
    """Candidate values of one argument; the first is the default."""
    if isinstance(gtype, GraphQLNonNull):
        return values_for(arg_name, gtype.of_type, op, tenants, where)
    if isinstance(gtype, GraphQLList):
        return [[v] for v in values_for(arg_name, gtype.of_type, op, tenants, where)]
    if isinstance(gtype, GraphQLEnumType):
        return list(gtype.values)
    if isinstance(gtype, GraphQLScalarType):
        if gtype.name == "ID":
            return id_candidates(arg_name, op, tenants)
        if gtype.name not in SCALARS:
            raise SweepCannotFill(f"{where}: scalar {gtype.name} is unknown; add it to "
                                  "SCALARS in tests/meta/sweep.py")
        return SCALARS[gtype.name]()
    if isinstance(gtype, GraphQLInputObjectType):
        value = {}
        for name, fld in gtype.fields.items():
            required = isinstance(fld.type, GraphQLNonNull) and fld.default_value is Undefined
            if required:
                value[name] = values_for(name, fld.type, op, tenants, f"{where}.{name}")[0]
        return [value]
    raise SweepCannotFill(f"{where}: cannot fill {gtype}")


def variations(op_name: str, op: GraphQLField, tenants: Tenants) -> list[dict[str, Any]]:
    """Argument sets to try: the defaults, then each argument varied alone over its
    candidates (optional ID arguments included), then documentType/documentId pairs."""
    candidates = {name: values_for(name, arg.type, op, tenants, f"{op_name}({name})")
                  for name, arg in op.args.items()}
    base = {name: candidates[name][0] for name, arg in op.args.items() if _required(arg)}
    out = [base]
    for name, arg in op.args.items():
        is_id = get_named_type(arg.type).name == "ID"
        if _required(arg):
            out += [{**base, name: v} for v in candidates[name][1:]]
        elif is_id:
            out += [{**base, name: v} for v in candidates[name]]
    out += _document_pairs(op, base, tenants)
    return out


def _document_pairs(op: GraphQLField, base: dict, tenants: Tenants) -> list[dict]:
    """``documentType`` + ``documentId``: a DEMO document of each registered type."""
    if not {"documentType", "documentId"} <= set(op.args):
        return []
    pairs = []
    for code, spec in _documents_registry().items():
        for pk in tenants.demo_ids.get(spec.model, [])[:2]:
            pairs.append({**base, "documentType": code, "documentId": pk})
    return pairs


def has_demo_id(args: dict, op: GraphQLField) -> bool:
    """Whether the arguments carry an id (ID-typed arguments always carry DEMO ids)."""
    return any(get_named_type(op.args[name].type).name == "ID" for name in args)


def operation_text(kind: str, op_name: str, op: GraphQLField, args: dict) -> str:
    decls = ", ".join(f"${n}: {op.args[n].type}" for n in args)
    call = ", ".join(f"{n}: ${n}" for n in args)
    sel = selection(op.type, path=op_name) or ""
    head = f"{kind} Sweep({decls})" if decls else f"{kind} Sweep"
    return f"{head} {{ {op_name}{f'({call})' if call else ''} {sel} }}"


# --- what must never come back to OTRA -----------------------------------------------------

def text_markers(tenants: Tenants) -> list[str]:
    demo = tenants.demo
    return sorted(m for m in {demo.code, demo.name, demo.legal_id} if m)


def find_leaks(payload: Any, tenants: Tenants, models: dict[str, type],
               path: str = "$") -> list[str]:
    """Every place in a JSON answer that shows something of DEMO."""
    leaks: list[str] = []
    demo_users = set(demo_rows(get_user_model(), tenants.demo, tenants.otra)
                     .values_list("username", flat=True))
    _walk(payload, path, leaks, tenants, models, demo_users)
    return leaks


def _walk(node, path, leaks, tenants, models, demo_users) -> None:
    if isinstance(node, dict):
        model = models.get(node.get("__typename", ""))
        if model is not None and str(node.get("id")) in tenants.demo_ids.get(model, []):
            leaks.append(f"{path}: {node['__typename']} id {node['id']} is a DEMO row")
        for key, value in node.items():
            if key == "username" and value in demo_users:
                leaks.append(f"{path}.{key}: DEMO user {value}")
            if key == "name" and value == tenants.demo.organization.name:
                leaks.append(f"{path}.{key}: DEMO organization")
            _walk(value, f"{path}.{key}", leaks, tenants, models, demo_users)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{path}[{i}]", leaks, tenants, models, demo_users)
    elif isinstance(node, str):
        for marker in text_markers(tenants):
            if marker in node:
                leaks.append(f"{path}: {node!r} contains {marker!r}")
        if any(f"{u}@" in node for u in demo_users):
            leaks.append(f"{path}: {node!r} names a DEMO user's e-mail")
