"""Panama RUC check digits against the pairs in ../shared/research/panama-fe.md §3."""

import pytest

from cuadra.tenancy import ruc

LEGAL_PERSONS = [
    ("155596713-2-2015", "59"),
    ("155646463-2-2017", "86"),
    ("521-136-113133", "02"),  # old style
    ("155587169-2-2014", "09"),
    ("253-92-57027", "76"),
    ("25046169-3-2021", "40"),
    ("45400-2-299934", "09"),
    ("138-289-35920", "04"),
    ("2679372-1-844914", "73"),
    ("637793-1-457490", "00"),
]
NATURAL_PERSONS = [
    ("8-769-1080", "56"),
    ("5-257-218", "09"),
    ("6-108-289", "79"),
    ("8-28-1284", "33"),
    ("2-7-89", "20"),
]


@pytest.mark.parametrize(("number", "dv"), LEGAL_PERSONS + NATURAL_PERSONS)
def test_compute_dv_reproduces_real_pairs(number, dv):
    assert ruc.compute_dv(number) == dv
    assert ruc.is_valid(number, dv) is True


@pytest.mark.parametrize(("number", "dv"), LEGAL_PERSONS + NATURAL_PERSONS)
def test_a_wrong_dv_is_not_valid(number, dv):
    wrong = f"{(int(dv) + 1) % 100:02d}"
    assert ruc.is_valid(number, wrong) is False


def test_is_valid_pads_a_one_digit_dv():
    assert ruc.is_valid("155587169-2-2014", "9") is True


@pytest.mark.parametrize("number", ["", "abc", "155596713", "1-2", "1-2-3-4", "X-769-1080"])
def test_malformed_numbers_are_refused(number):
    with pytest.raises(ruc.InvalidRuc):
        ruc.compute_dv(number)
    assert ruc.is_valid(number, "00") is False
