"""An invoice dated in a shut period: refused (and nothing written) unless the period is
only closed and the user may post into closed periods (the owner), never when locked."""

from __future__ import annotations

import pytest

from cuadra.core.errors import DomainError
from cuadra.ledger.services.periods import period_close, period_for_date, period_lock
from cuadra.sales import services
from tests.conftest import row_counts
from tests.sales.conftest import DAY


@pytest.fixture
def draft(demo, owner, client, galletas):
    return services.sales_invoice_create(company=demo, actor=owner, client=client, date=DAY,
                                         lines=[{"item": galletas, "quantity": "2"}])


def _lock(*, company, actor, period):
    period_lock(company=company, actor=actor,
                period=period_close(company=company, actor=actor, period=period))


@pytest.mark.parametrize(("shut", "username"), [(period_close, "ventas"), (_lock, "demo")])
def test_issue_in_a_shut_period_is_refused_and_takes_no_number(demo, owner, draft, shut,
                                                               username, django_user_model):
    shut(company=demo, actor=owner, period=period_for_date(company=demo, date=DAY))
    before = row_counts()
    with pytest.raises(DomainError) as refused:
        services.sales_invoice_issue(company=demo, invoice=draft,
                                     actor=django_user_model.objects.get(username=username))
    assert refused.value.code == "PERIOD_CLOSED"
    assert row_counts() == before
    draft.refresh_from_db()
    assert (draft.status, draft.number, draft.journal_entry_id) == ("draft", "", None)


def test_the_owner_may_still_issue_into_a_closed_period(demo, owner, draft):
    period_close(company=demo, actor=owner, period=period_for_date(company=demo, date=DAY))
    services.sales_invoice_issue(company=demo, actor=owner, invoice=draft)
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.journal_entry.date == DAY
