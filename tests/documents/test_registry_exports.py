"""Exports: the view, filters, visible columns in order, renamed labels and custom
fields; exact CSV and XLSX content; no cap; large exports as a background job."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from cuadra.documents import columns as cols
from cuadra.documents import custom_fields as cf
from cuadra.documents.exports import (
    CHUNK,
    csv_lines,
    export_file,
    export_job_create,
    export_plan,
    write_xlsx,
)
from cuadra.documents.filters import DocumentFilters
from cuadra.documents.models import DocumentRecord, ExportJob
from tests.documents.registry_helpers import make_record

pytestmark = pytest.mark.usefixtures("english")
User = get_user_model()
D = Decimal


@pytest.fixture
def configured(demo, owner):
    cf.custom_field_definition_create(company=demo, actor=owner, key="cost",
                                      label="Costo", field_type="money")
    cols.column_config_save(company=demo, actor=owner, view="everything", columns=[
        {"key": "amount", "label": "Monto"}, {"key": "cf:cost"},
        {"key": "number", "pinned": True}, {"key": "date"}, {"key": "tags"}])
    a = make_record(demo, number="F-1", amount=D("1234.56"), payment_state="PAID",
                    document_date=dt.date(2025, 1, 2), tags=",vip,",
                    custom={"cost": "1000.1234"})
    make_record(demo, number="F-2", amount=D("10.00"), payment_state="UNPAID",
                document_date=dt.date(2025, 1, 3))
    make_record(demo, number="F-3", amount=D("7.00"), payment_state="PAID",
                document_date=dt.date(2025, 1, 4))
    return a


def test_csv_follows_filters_columns_order_labels(configured, demo, owner):
    plan = export_plan(company=demo, user=owner, view="everything",
                       filters=DocumentFilters.parse({"payment_state": "PAID"}))
    assert "".join(csv_lines(plan)) == (
        "\ufeffNumber,Monto,Costo,Date,Tags\r\n"
        "F-3,7.00,,2025-01-04,\r\n"
        "F-1,1234.56,1000.1234,2025-01-02,vip\r\n")


def test_xlsx_has_numeric_money_and_the_same_rows(configured, demo, owner):
    plan = export_plan(company=demo, user=owner, view="everything",
                       filters=DocumentFilters.parse({"payment_state": "PAID"}))
    out = BytesIO()
    assert write_xlsx(plan, out) == 2
    sheet = load_workbook(BytesIO(out.getvalue())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values == [["Number", "Monto", "Costo", "Date", "Tags"],
                      ["F-3", 7, None, dt.datetime(2025, 1, 4), None],
                      ["F-1", 1234.56, 1000.1234, dt.datetime(2025, 1, 2), "vip"]]
    money = sheet.cell(row=3, column=2)
    assert (money.data_type, money.number_format) == ("n", "#,##0.00")


def test_sales_role_never_exports_a_hidden_column(configured, demo, owner):
    ventas = User.objects.get(username="ventas")
    cols.column_config_publish(company=demo, actor=owner, view="everything",
                               columns=[{"key": "number"}, {"key": "cf:cost"}])
    plan = export_plan(company=demo, user=ventas, view="everything",
                       filters=DocumentFilters())
    assert plan.header == ["Number"]
    with pytest.raises(Exception) as err:
        export_plan(company=demo, user=ventas, view="everything", filters=DocumentFilters(),
                    column_keys=["number", "cf:cost"])
    assert getattr(err.value, "code", "") == "VALIDATION"


def test_no_cap_past_many_chunks(demo, owner):
    n = CHUNK * 2 + 7
    DocumentRecord.objects.bulk_create([
        DocumentRecord(company=demo, document_type="SALES_INVOICE", object_id=i,
                       path="SALES_INVOICES", kind="INVOICE", status="issued",
                       number=f"N-{i:05d}", document_date=dt.date(2025, 1, 1),
                       amount=D(i) / 100, currency="USD") for i in range(1, n + 1)])
    plan = export_plan(company=demo, user=owner, view="everything",
                       filters=DocumentFilters(), column_keys=["number", "amount"])
    lines = list(csv_lines(plan))
    assert len(lines) == n + 1
    assert lines[1] == f"N-{n:05d},{D(n) / 100:f}\r\n" and lines[-1] == "N-00001,0.01\r\n"


def test_large_export_runs_as_a_job(configured, demo, owner, settings, tmp_path,
                                    django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_create(company=demo, actor=owner, view="everything",
                                file_format="csv",
                                filters=DocumentFilters.parse({"q": "F-"}))
    job.refresh_from_db()
    assert (job.state, job.total_rows, job.rows_done) == ("DONE", 3, 3)
    assert export_file(job).read_bytes().decode("utf-8") == (
        "\ufeffNumber,Monto,Costo,Date,Tags\r\n"
        "F-3,7.00,,2025-01-04,\r\n"
        "F-2,10.00,,2025-01-03,\r\n"
        "F-1,1234.56,1000.1234,2025-01-02,vip\r\n")
    assert ExportJob.objects.count() == 1
