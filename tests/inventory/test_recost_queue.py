"""The re-cost queue: a failed job is run again once its cause is fixed, a stalled one is
picked up by beat, a finished one is refused; over GraphQL and in Configuración →
Inventario."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from cuadra.core.errors import Conflict, NotFound, ValidationError
from cuadra.core.models import AuditLog
from cuadra.inventory import recost, selectors, services
from cuadra.inventory.enums import MoveKind, RecostState
from cuadra.inventory.models import RecostJob, StockMove
from tests.conftest import error_codes, row_counts

D = Decimal
JAN = dt.date(2025, 1, 1)


def _day(n):
    return JAN + dt.timedelta(days=n - 1)


@pytest.fixture
def failed_job(demo, jugo, receive, issue, django_capture_on_commit_callbacks, monkeypatch):
    """A backdated receipt whose re-cost failed on a closed period: stale, nothing posted."""
    receive(jugo, "5", "2.00", date=_day(10), source="R1")
    issue(jugo, "5", date=_day(20), source="I1")

    def refuse(*args, **kwargs):
        raise ValidationError("The period is closed.", field="date")

    with monkeypatch.context() as patch:
        patch.setattr(recost, "_post_differences", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            receive(jugo, "5", "1.00", date=_day(5), source="R3")
    job = RecostJob.objects.get()
    assert (job.state, job.error) == (RecostState.FAILED, "VALIDATION: The period is closed.")
    return job


def test_a_failed_job_runs_again_and_the_valuation_is_no_longer_stale(
        demo, owner, jugo, failed_job, django_capture_on_commit_callbacks):
    assert selectors.stock_on_hand(company=demo, item_id=jugo.pk)[0].stale
    with django_capture_on_commit_callbacks(execute=True):
        services.recost_job_retry(company=demo, actor=owner, job_id=failed_job.pk)
    failed_job.refresh_from_db()
    assert (failed_job.state, failed_job.error, failed_job.moves_recosted,
            failed_job.difference) == (RecostState.DONE, "", 1, D("-5.00"))
    assert StockMove.objects.get(kind=MoveKind.RECOST).value == D("5.00")
    assert not selectors.stock_on_hand(company=demo, item_id=jugo.pk)[0].stale
    assert AuditLog.objects.filter(operation="recost_job_retry",
                                   object_id=str(failed_job.pk)).count() == 1


def test_a_done_job_an_unknown_id_and_another_company_are_refused(
        demo, otra, owner, failed_job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.recost_job_retry(company=demo, actor=owner, job_id=failed_job.pk)
    before = row_counts()
    with pytest.raises(Conflict):
        services.recost_job_retry(company=demo, actor=owner, job_id=failed_job.pk)
    for company, job_id in ((demo, "abc"), (demo, 999_999), (otra, failed_job.pk)):
        with pytest.raises(NotFound):
            services.recost_job_retry(company=company, actor=owner, job_id=job_id)
    assert row_counts() == before


def test_beat_requeues_stalled_jobs_but_leaves_failed_ones_to_a_person(
        demo, jugo, principal, failed_job, django_capture_on_commit_callbacks):
    stalled = RecostJob.objects.create(company=demo, item=jugo, warehouse=principal,
                                       from_date=_day(5), state=RecostState.RUNNING)
    fresh = RecostJob.objects.create(company=demo, item=jugo, warehouse=principal,
                                     from_date=_day(5))
    old = timezone.now() - dt.timedelta(hours=1)
    RecostJob.objects.filter(pk__in=[stalled.pk, failed_job.pk]).update(updated_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recost_jobs_resume_stalled() == 1
    states = dict(RecostJob.objects.values_list("pk", "state"))
    assert states == {failed_job.pk: RecostState.FAILED, stalled.pk: RecostState.DONE,
                      fresh.pk: RecostState.PENDING}


def test_queue_lists_newest_first_and_filters_by_state(demo, principal, jugo, arroz,
                                                       failed_job):
    other = RecostJob.objects.create(company=demo, item=arroz, warehouse=principal,
                                     from_date=_day(3))
    assert list(selectors.recost_jobs_list(company=demo)) == [other, failed_job]
    assert list(selectors.recost_jobs_list(company=demo, states=["failed"])) == [failed_job]


# --- GraphQL -------------------------------------------------------------------------------

QUEUE = """query($states: [String!]) { recostJobs(states: $states) { totalCount
  results { id itemSku warehouseCode fromDate state movesRecosted difference error } } }"""
RETRY = "mutation($id: ID!) { retryRecostJob(id: $id) { id state error } }"


def test_queue_and_retry_over_graphql(as_demo, as_otra, failed_job, jugo,
                                      django_capture_on_commit_callbacks):
    listed = as_demo.execute(QUEUE, {"states": ["failed"]})["data"]["recostJobs"]
    assert listed == {"totalCount": 1, "results": [{
        "id": str(failed_job.pk), "itemSku": jugo.sku, "warehouseCode": "PRINCIPAL",
        "fromDate": "2025-01-05", "state": "failed", "movesRecosted": 0,
        "difference": "0", "error": "VALIDATION: The period is closed."}]}
    assert as_otra.execute(QUEUE)["data"]["recostJobs"]["totalCount"] == 0
    assert error_codes(as_otra.execute(RETRY, {"id": failed_job.pk})) == ["NOT_FOUND"]
    with django_capture_on_commit_callbacks(execute=True):
        done = as_demo.execute(RETRY, {"id": failed_job.pk})
    assert done["data"]["retryRecostJob"] == {"id": str(failed_job.pk), "state": "pending",
                                              "error": ""}
    failed_job.refresh_from_db()
    assert failed_job.state == RecostState.DONE
    assert error_codes(as_demo.execute(RETRY, {"id": failed_job.pk})) == ["CONFLICT"]


# --- web: Configuración → Inventario -------------------------------------------------------

URL = "/settings/inventory/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=username)
    return client


def test_page_shows_the_queue_and_runs_a_failed_job_again(
        platform, demo, failed_job, django_capture_on_commit_callbacks):
    owner = _client("demo")
    html = owner.get(URL).content.decode()
    assert "Configuración → Inventario" in html
    assert f'data-job="{failed_job.pk}"' in html and "The period is closed." in html
    assert f'data-retry="{failed_job.pk}"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(f"{URL}recost/{failed_job.pk}/retry/")
    assert response.status_code == 302
    failed_job.refresh_from_db()
    assert failed_job.state == RecostState.DONE
    html = owner.get(URL + "?state=done").content.decode()
    assert f'data-job="{failed_job.pk}"' in html and "data-retry" not in html


def test_owner_allows_negative_stock_and_a_sales_user_may_not(platform, demo):
    owner = _client("demo")
    assert owner.post(URL + "save/", {"allow_negative_stock": "on"}).status_code == 302
    assert services.inventory_settings_get(company=demo).allow_negative_stock is True
    assert 'id="allow-negative" checked' in owner.get(URL).content.decode()
    sales = _client("ventas")
    assert sales.get(URL).status_code == 403
    before = row_counts()
    sales.post(URL + "save/", {})
    assert services.inventory_settings_get(company=demo).allow_negative_stock is True
    assert row_counts() == before
    assert AuditLog.objects.filter(operation="web_inventory_settings_update",
                                   error_code="PERMISSION_DENIED").count() == 1
