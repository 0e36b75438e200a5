"""client_credit_check under the company's policy: WARN allows with a warning, BLOCK
refuses; blocked, on-hold and inactive clients are refused whatever the amount."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.contacts import selectors, services
from cuadra.contacts.selectors import CreditCheck
from cuadra.core.errors import NotFound, ValidationError
from tests.conftest import row_counts


@pytest.fixture
def client(make_client):
    return make_client(credit_limit="1000.00")


def check(demo, client, amount, balance, **kw):
    return selectors.client_credit_check(company=demo, client=client,
                                         additional_amount=amount, open_balance=balance, **kw)


def test_within_the_limit_is_allowed_silently(demo, client):
    assert check(demo, client, "400", Decimal("600.00")) == CreditCheck(True, None)


def test_over_the_limit_warns_by_default(demo, client):
    allowed, warning = check(demo, client, "400.01", "600")
    assert allowed is True
    assert warning == "Client C-100 would owe 1000.01, over its credit limit of 1000."


def test_over_the_limit_is_refused_under_block(demo, owner, client):
    services.contacts_settings_update(company=demo, actor=owner, credit_limit_policy="BLOCK")
    assert check(demo, client, "400.01", "600") == CreditCheck(
        False, "Client C-100 would owe 1000.01, over its credit limit of 1000.")
    assert check(demo, client, "400", "600") == CreditCheck(True, None)
    # the policy can be passed in, saving the read
    assert check(demo, client, "5000", "0", policy="WARN").allowed is True


def test_no_limit_means_no_limit(demo, make_client):
    client = make_client(code="C-2")
    assert check(demo, client, "1000000", "1000000") == CreditCheck(True, None)


@pytest.mark.parametrize("status,message", [("BLOCKED", "Client C-100 is blocked."),
                                            ("ON_HOLD", "Client C-100 is on hold.")])
def test_blocked_and_on_hold_are_refused(demo, owner, client, status, message):
    services.client_update(company=demo, actor=owner, client=client, status=status)
    assert check(demo, client, "1", "0") == CreditCheck(False, message)


def test_another_companys_client_is_not_found(otra, client):
    with pytest.raises(NotFound):
        check(otra, client, "1", "0")


def test_floats_never_reach_the_check(demo, client):
    with pytest.raises(TypeError):
        check(demo, client, 1.5, "0")


def test_bad_policy_writes_nothing(demo, owner):
    before = row_counts()
    with pytest.raises(ValidationError) as err:
        services.contacts_settings_update(company=demo, actor=owner, credit_limit_policy="NO")
    assert err.value.field == "credit_limit_policy"
    assert row_counts() == before
    assert selectors.contacts_settings_get(company=demo).credit_limit_policy == "WARN"
