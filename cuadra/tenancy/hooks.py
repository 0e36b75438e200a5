"""Registry that higher layers fill at start-up to react to a new company.

Sequences add default number series, the ledger loads a chart of accounts, access copies
the built-in roles: each registers a callable here from its AppConfig.ready().
Hooks run inside the transaction that creates the company, in registration order.
"""

from __future__ import annotations

from collections.abc import Callable

CompanyHook = Callable[..., None]
_company_created: list[tuple[str, CompanyHook]] = []


def on_company_created(name: str, hook: CompanyHook) -> None:
    if any(existing == name for existing, _ in _company_created):
        return
    _company_created.append((name, hook))


def run_company_created(*, company, actor) -> None:
    for _, hook in _company_created:
        hook(company=company, actor=actor)
