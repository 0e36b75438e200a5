"""A small known set of books for the report tests (selectors, exports, GraphQL).

DEMO, branches 0000 (head office) and 0001; all amounts in USD:

  2024-12-10  E0  110103 D 5000 / 3101 C 5000                       branch 0000
  2024-12-10  E1  110101 D 200 / 4101 C 200                         branch 0000
  2025-01-15  E2  110201 D 1070 / 4101 C 1000 / 210201 C 70         0000, VEN, P1
  2025-02-05  E3  6201 D 300 / 110103 C 300                         0001, ADM
  2025-02-20  E4  110103 D 1070 / 110201 C 1070                     0000
  2025-03-10  E5  110101 D 500 / 4101 C 500                         0001, VEN, P2
  2025-03-25  E6  6101 D 400 (ADM, P1) / 110103 C 400               0000
"""

from __future__ import annotations

import datetime as dt

from cuadra.ledger.services import journal_entry_post
from cuadra.tenancy.services import branch_create

D = dt.date


def _line(account, debit=None, credit=None, branch="0000", cc="", project=""):
    return {"account": account, "debit": debit, "credit": credit, "branch": branch,
            "cost_center": cc, "project": project}


def post_books(company, actor) -> dict:
    """Posts the entries above; returns them by name (E0..E6)."""
    branch_create(company=company, code="0001", name="Sucursal Colón", actor=actor)
    spec = {
        "E0": (D(2024, 12, 10), [_line("110103", "5000"), _line("3101", credit="5000")]),
        "E1": (D(2024, 12, 10), [_line("110101", "200"), _line("4101", credit="200")]),
        "E2": (D(2025, 1, 15), [_line("110201", "1070", cc="VEN", project="P1"),
                                _line("4101", credit="1000", cc="VEN", project="P1"),
                                _line("210201", credit="70", cc="VEN", project="P1")]),
        "E3": (D(2025, 2, 5), [_line("6201", "300", branch="0001", cc="ADM"),
                               _line("110103", credit="300", branch="0001", cc="ADM")]),
        "E4": (D(2025, 2, 20), [_line("110103", "1070"), _line("110201", credit="1070")]),
        "E5": (D(2025, 3, 10), [_line("110101", "500", branch="0001", cc="VEN", project="P2"),
                                _line("4101", credit="500", branch="0001", cc="VEN",
                                      project="P2")]),
        "E6": (D(2025, 3, 25), [_line("6101", "400", cc="ADM", project="P1"),
                                _line("110103", credit="400")]),
    }
    return {name: journal_entry_post(company=company, actor=actor, journal="GEN", date=date,
                                     lines=lines, memo=name)
            for name, (date, lines) in spec.items()}
