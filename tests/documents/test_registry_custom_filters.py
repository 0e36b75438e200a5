"""Custom-field filters (``cf.<code>=``, ``cf.<code>.min=``, ``cf.<code>.max=``): typed,
per company, carried in the URL, refused with the filter named when they do not fit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import QueryDict

from cuadra.access import services as access
from cuadra.access.models import Role
from cuadra.core.errors import ValidationError
from cuadra.documents.custom_fields import (
    custom_field_definition_create,
    document_custom_fields_set,
)
from cuadra.documents.exports import csv_lines, export_plan
from cuadra.documents.filters import DocumentFilters, documents_query
from tests.documents.registry_helpers import make_record
from tests.sales.conftest import D

pytestmark = pytest.mark.usefixtures("english")
User = get_user_model()


def squash(sql: str) -> str:
    return re.sub(r"[\s()]", "", sql)


def numbers(user, query: str) -> list[str]:
    filters = DocumentFilters.parse(QueryDict(query))
    qs = documents_query(user=user, view="everything", filters=filters)
    return list(qs.values_list("number", flat=True))


@pytest.fixture
def fields(demo, owner):
    for key, kind, choices in (("project", "choice", ["alfa", "beta"]), ("note", "text", []),
                               ("budget", "money", []), ("weight", "number", []),
                               ("deadline", "date", []), ("reviewer", "user", [])):
        custom_field_definition_create(company=demo, actor=owner, key=key, label=key.title(),
                                       field_type=kind, choices=choices)


@pytest.fixture
def records(demo, owner, fields):
    ventas = User.objects.get(username="ventas")
    values = {
        "F-1": {"project": "alfa", "note": "urgente", "budget": "100.00", "weight": "2.5",
                "deadline": "2025-01-31", "reviewer": str(ventas.pk)},
        "F-2": {"project": "beta", "note": "Urgente", "budget": "100.01", "weight": "10",
                "deadline": "2025-02-01", "reviewer": str(owner.pk)},
        "F-3": {"project": "beta", "budget": "99.999", "deadline": "2025-12-31"},
        "F-4": {},
    }
    out = {}
    for i, (number, custom) in enumerate(values.items()):
        record = make_record(demo, number=number, document_date=dt.date(2025, 1, 1 + i))
        document_custom_fields_set(company=demo, actor=owner, record_id=record.pk,
                                   values=custom)
        out[number] = record
    return out


def test_choice_text_and_user_equality(records, owner):
    ventas = User.objects.get(username="ventas")
    assert numbers(owner, "cf.project=beta") == ["F-3", "F-2"]
    assert numbers(owner, "cf.note=urgente") == ["F-1"]  # exact, case included
    assert numbers(owner, f"cf.reviewer={ventas.pk}") == ["F-1"]


def test_money_number_and_date_ranges_are_exact(records, owner):
    assert numbers(owner, "cf.budget.min=100.00") == ["F-2", "F-1"]
    assert numbers(owner, "cf.budget.min=100.001") == ["F-2"]
    assert numbers(owner, "cf.budget.max=99.999") == ["F-3"]
    assert numbers(owner, "cf.budget=100") == ["F-1"]
    # numbers compare as numbers, not as text ("10" > "2.5")
    assert numbers(owner, "cf.weight.min=3") == ["F-2"]
    assert numbers(owner, "cf.deadline.min=2025-02-01&cf.deadline.max=2025-12-31") == [
        "F-3", "F-2"]


def test_combined_with_static_filters(records, owner):
    assert numbers(owner, "cf.project=beta&date_to=2025-01-02") == ["F-2"]


def test_bad_values_are_refused_with_the_filter_named(records, owner):
    cases = {"cf.budget.min=abc": "cf.budget.min", "cf.deadline.max=31/12/2025":
             "cf.deadline.max", "cf.project=gamma": "cf.project",
             "cf.note.min=a": "cf.note.min", "cf.nothing=1": "cf.nothing",
             "cf.reviewer=ana": "cf.reviewer", "cf.budget.sum=1": "cf.budget.sum",
             "cf.Budget=1": "cf.Budget"}
    for query, field in cases.items():
        with pytest.raises(ValidationError) as caught:
            numbers(owner, query)
        assert [e.field for e in caught.value.errors] == [field], query
        assert caught.value.code == "VALIDATION"


def test_url_round_trip(records, owner):
    filters = DocumentFilters.parse(QueryDict("cf.budget.min=100&cf.project=beta&q=F"))
    assert filters.urlencode() == "q=F&cf.budget.min=100&cf.project=beta"
    assert DocumentFilters.parse(QueryDict(filters.urlencode())) == filters


def test_each_company_reads_its_own_field(records, demo, otra, owner):
    """The same code in another company is that company's field, with its own type."""
    otra_user = User.objects.get(username="otra")
    custom_field_definition_create(company=otra, actor=otra_user, key="budget",
                                   label="Budget", field_type="text")
    x = make_record(otra, number="X-1")
    document_custom_fields_set(company=otra, actor=otra_user, record_id=x.pk,
                               values={"budget": "100.00"})
    contador = User.objects.get(username="contador")
    access.role_assign(company=otra, user=contador,
                       role=Role.objects.get(organization=otra.organization, key="accountant"),
                       actor=otra_user)
    assert numbers(contador, "cf.budget=100.00") == ["X-1", "F-1"]
    assert numbers(contador, "cf.budget.min=100.01") == ["F-2"]  # no range on OTRA's text


def test_export_applies_the_custom_filter(records, demo, owner):
    plan = export_plan(company=demo, user=owner, view="everything",
                       filters=DocumentFilters.parse(QueryDict("cf.project=beta")),
                       column_keys=["number", "cf:project", "cf:budget"])
    assert list(csv_lines(plan)) == ["\ufeffNumber,Project,Budget\r\n",
                                     "F-3,beta,99.999\r\n", "F-2,beta,100.01\r\n"]


def test_graphql_custom_filter(records, as_demo):
    data = as_demo.execute("""{ documents(filters: {custom: [{field: "budget", min: "100"}]},
        columns: ["number"]) { totalCount results { cells } } }""")
    assert data["data"]["documents"] == {"totalCount": 2,
                                         "results": [{"cells": ["F-2"]}, {"cells": ["F-1"]}]}
    bad = as_demo.execute("""{ documents(filters: {custom: [{field: "budget", max: "x"}]})
        { totalCount } }""")
    assert bad["errors"][0]["extensions"]["code"] == "VALIDATION"


def test_money_filter_values_are_decimal(records):
    assert DocumentFilters.parse({"cf.budget.min": "100.10"}).custom[0].value == "100.10"
    assert D("100.10") == D(DocumentFilters.parse({"cf.budget.min": "100.10"}).custom[0].value)


def test_a_field_hidden_from_the_role_cannot_be_filtered(demo, owner):
    """Sales hides cost: a range on it would reveal the costs row by row."""
    custom_field_definition_create(company=demo, actor=owner, key="cost", label="Costo",
                                   field_type="money")
    record = make_record(demo, number="F-9")
    document_custom_fields_set(company=demo, actor=owner, record_id=record.pk,
                               values={"cost": "40.00"})
    assert numbers(owner, "cf.cost.min=40") == ["F-9"]
    ventas = User.objects.get(username="ventas")
    with pytest.raises(ValidationError) as caught:
        numbers(ventas, "cf.cost.min=40")
    assert caught.value.errors[0].field == "cf.cost.min"


def test_a_range_never_casts_another_companys_text(records, demo, otra, owner):
    """OTRA keeps words under the same code in a text field: a range over both companies
    neither fails on them nor matches them (no cast of a non-decimal, on any row)."""
    otra_user = User.objects.get(username="otra")
    custom_field_definition_create(company=otra, actor=otra_user, key="budget",
                                   label="Budget", field_type="text")
    for number, text in (("X-1", "mucho"), ("X-2", "1e999999"), ("X-3", "150")):
        record = make_record(otra, number=number)
        document_custom_fields_set(company=otra, actor=otra_user, record_id=record.pk,
                                   values={"budget": text})
    contador = User.objects.get(username="contador")
    access.role_assign(company=otra, user=contador,
                       role=Role.objects.get(organization=otra.organization, key="accountant"),
                       actor=otra_user)
    assert numbers(contador, "cf.budget.min=100&cf.budget.max=200") == ["F-2", "F-1"]
    assert numbers(contador, "cf.budget=mucho") == ["X-1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="expression indexes: PostgreSQL")
def test_each_custom_field_gets_the_index_its_filters_use(records, owner):
    """The filter compares the very expression the index holds (else the index is dead
    weight and a range reads every row's JSON). Compared as PostgreSQL prints both (less
    layout): an index built in this test's transaction over updated rows is not usable
    in it, so the plan cannot show it."""
    from cuadra.documents.custom_fields import custom_field_index_ensure

    with connection.cursor() as cursor:  # the test's rows are not committed: fire the
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks first
    for key, kind in (("budget", "money"), ("deadline", "date"), ("project", "choice")):
        assert custom_field_index_ensure(key=key, field_type=kind) is True
        assert custom_field_index_ensure(key=key, field_type=kind) is False  # idempotent
    for query, index in (("cf.budget.min=100", "docrecord_cfn_budget"),
                         ("cf.deadline.max=2025-02-01", "docrecord_cfd_deadline"),
                         ("cf.project=beta", "docrecord_cfe_project")):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_indexdef(%s::regclass, 1, true), "
                           "pg_get_indexdef(%s::regclass, 2, true)", [index, index])
            first, expression = cursor.fetchone()
        plan = documents_query(user=owner, view="everything",
                               filters=DocumentFilters.parse(QueryDict(query))).explain()
        assert first == "company_id"
        assert squash(expression) in squash(plan), (expression, plan)
    assert numbers(owner, "cf.budget.min=100") == ["F-2", "F-1"]


def test_defining_a_field_queues_its_index_after_commit(demo, owner,
                                                        django_capture_on_commit_callbacks):
    from cuadra.documents import tasks

    with django_capture_on_commit_callbacks() as callbacks:
        custom_field_definition_create(company=demo, actor=owner, key="margin",
                                       label="Margin", field_type="money")
    queued = [c.args[1:] for c in callbacks
              if c.args and c.args[0] == tasks.documents_custom_field_index.delay]
    assert queued == [("margin", "money")]
