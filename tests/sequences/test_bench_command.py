"""`cuadra bench NAME` finds bench/NAME.py by path; timings are never asserted."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("name", ["nope", "../cuadra/cli"])
def test_unknown_benchmark_lists_the_available_ones(name):
    with pytest.raises(CommandError, match=r"available: .*sequences"):
        call_command("bench", name)
