"""The audit log: rows for creates, updates and refusals; nothing can change them."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from cuadra.core import audit, context
from cuadra.core.errors import ImmutableRecord
from cuadra.core.models import AuditAction, AuditLog
from tests.conftest import error_codes, row_counts
from tests.testapp.models import Sample


@pytest.fixture
def sample(demo):
    return Sample.objects.create(company=demo, label="a", amount=Decimal("1.50"))


def test_create_update_delete_rows_carry_actor_company_request_and_diff(demo, sample):
    user = _user("auditee")
    with context.request_context(request_id="req-1", ip="10.0.0.7", source="api"):
        audit.audit_create(actor=user, company_id=demo.pk, obj=sample, operation="op_create")
        before = audit.snapshot(sample)
        sample.amount = Decimal("2.25")
        sample.label = "b"
        sample.save()
        audit.audit_update(actor=user, company_id=demo.pk, obj=sample, before=before,
                           operation="op_update")
        audit.audit_delete(actor=user, company_id=demo.pk, obj=sample, operation="op_delete")
    rows = list(AuditLog.objects.filter(object_type="testapp.Sample").order_by("id"))
    assert [(r.action, r.operation) for r in rows] == [
        ("create", "op_create"), ("update", "op_update"), ("delete", "op_delete")]
    for row in rows:
        assert (row.actor_id, row.company_id, row.request_id, row.ip, row.source,
                row.object_id) == (user.pk, demo.pk, "req-1", "10.0.0.7", "api", str(sample.pk))
    assert rows[0].changes["amount"] == [None, "1.50"]
    assert rows[0].changes["company_id"] == [None, demo.pk]
    assert "created_at" not in rows[0].changes
    assert rows[1].changes == {"amount": ["1.50", "2.25"],
                               "label": ["a", "b"]}
    assert rows[2].changes["label"] == ["b", None]


def test_without_a_request_the_row_says_system(demo, sample):
    row = audit.audit_create(actor=None, company_id=demo.pk, obj=sample)
    assert row.source == "system"
    assert row.request_id.startswith("sys-")
    assert row.actor_id is None


def test_refusal_row(demo):
    user = _user("refused")
    row = audit.audit_refusal(actor=user, company_id=demo.pk, operation="thing_post",
                              error_code="PERIOD_CLOSED", message="closed",
                              attempted={"id": 3})
    row.refresh_from_db()
    assert (row.action, row.operation, row.error_code, row.message, row.changes) == (
        "refused", "thing_post", "PERIOD_CLOSED", "closed", {"attempted": {"id": 3}})


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password="x")


# --- immutability --------------------------------------------------------------------------

@pytest.fixture
def row(db):
    return audit.audit_record(action=AuditAction.CREATE, object_type="x.Y", object_id=1,
                              message="original")


def test_model_save_of_an_existing_row_is_refused(row):
    row.message = "changed"
    with pytest.raises(ImmutableRecord):
        row.save()
    assert AuditLog.objects.get(pk=row.pk).message == "original"


def test_model_delete_is_refused(row):
    with pytest.raises(ImmutableRecord):
        row.delete()
    assert AuditLog.objects.filter(pk=row.pk).exists()


def test_queryset_update_and_delete_are_refused(row):
    with pytest.raises(ImmutableRecord):
        AuditLog.objects.filter(pk=row.pk).update(message="changed")
    with pytest.raises(ImmutableRecord):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(ImmutableRecord):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=row.pk).message == "original"


def test_immutable_record_has_a_stable_code():
    assert ImmutableRecord("x").code == "IMMUTABLE"


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditlog SET message = 'changed' WHERE id = %s",
    "DELETE FROM core_auditlog WHERE id = %s",
])
def test_raw_sql_is_refused_by_the_database_trigger(row, sql):
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [row.pk])
    assert "IMMUTABLE" in str(exc.value)
    assert AuditLog.objects.get(pk=row.pk).message == "original"


def test_the_trigger_exists_on_this_database(db):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                        "AND tbl_name = 'core_auditlog' ORDER BY name")
            assert [r[0] for r in cur.fetchall()] == ["core_auditlog_no_delete",
                                                      "core_auditlog_no_update"]
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = "
                        "'core_auditlog'::regclass AND NOT tgisinternal")
            assert [r[0] for r in cur.fetchall()] == ["core_auditlog_append_only_trg"]


# --- through the API -----------------------------------------------------------------------

CREATE_USER = """mutation($u: String!, $r: [ID!]!) {
  createUser(username: $u, password: "secret1", roleIds: $r) { id username } }"""


def test_an_api_write_is_audited_with_the_request_id(as_demo, demo):
    role_id = str(demo.organization.roles.get(key="sales").pk)
    result = as_demo.execute(CREATE_USER, {"u": "nueva", "r": [role_id]},
                             headers={"X-Request-ID": "req-api-1"})
    assert "errors" not in result, result
    rows = AuditLog.objects.filter(request_id="req-api-1").order_by("id")
    assert [(r.action, r.operation, r.object_type, r.company_id, r.source) for r in rows] == [
        ("create", "user_create", "auth.User", demo.pk, "api"),
        ("create", "role_assign", "access.RoleAssignment", demo.pk, "api"),
    ]
    assert rows[0].actor.username == "demo"
    assert rows[0].ip == "127.0.0.1"
    assert "password" not in rows[0].changes


def test_an_api_refusal_writes_only_its_audit_row(as_demo, demo):
    before = row_counts()
    audit_before = AuditLog.objects.count()
    result = as_demo.execute(CREATE_USER, {"u": "demo", "r": []},
                             headers={"X-Request-ID": "req-api-2"})
    assert error_codes(result) == ["VALIDATION"]
    assert result["errors"][0]["extensions"]["field"] == "username"
    assert row_counts() == before
    assert AuditLog.objects.count() == audit_before + 1
    refusal = AuditLog.objects.get(request_id="req-api-2")
    assert (refusal.action, refusal.operation, refusal.error_code, refusal.company_id,
            refusal.actor.username) == ("refused", "createUser", "VALIDATION", demo.pk, "demo")
    assert refusal.changes == {"attempted": {"username": "demo", "role_ids": "[]",
                                             "email": "", "first_name": "",
                                             "last_name": ""}}
