"""Registry through which the contacts layer tells the catalog whether a client id exists.

Catalog and contacts sit side by side in the layers, so the catalog never imports
``cuadra.contacts``. Client prices store the ``contacts.Client`` id as a plain column; when
a checker is registered here (from contacts' or sales' AppConfig.ready()), client price
services refuse an id that is not a client of the company."""

from __future__ import annotations

from collections.abc import Callable

ClientChecker = Callable[..., bool]  # fn(company=, client_id=) -> bool
_checker: list[ClientChecker] = []


def register_client_checker(fn: ClientChecker) -> None:
    _checker[:] = [fn]


def client_exists(*, company, client_id: int) -> bool | None:
    """True/False when a checker is registered; None when nobody can tell."""
    return _checker[0](company=company, client_id=client_id) if _checker else None
