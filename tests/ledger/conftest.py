"""Helpers for the books' tests: accounts by code, a posting shortcut."""

from __future__ import annotations

import datetime as dt

import pytest

from cuadra.ledger.models import Account

DAY = dt.date(2025, 3, 14)


@pytest.fixture
def owner(platform):
    return platform.owner


@pytest.fixture
def acct(demo):
    def get(code: str, company=None) -> Account:
        return Account.objects.get(company=company or demo, code=code)
    return get


def lines(*pairs):
    """lines(("110101", "10", None), ("4101", None, "10")) -> line dicts by account code."""
    return [{"account": code, "debit": d, "credit": c} for code, d, c in pairs]


@pytest.fixture
def post(demo, owner):
    from cuadra.ledger.services import journal_entry_post

    def do(*pairs, date=DAY, company=None, actor=None, journal="GEN", **extra):
        return journal_entry_post(company=company or demo, actor=actor or owner,
                                  journal=journal, date=date, lines=lines(*pairs), **extra)
    return do
