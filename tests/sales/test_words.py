"""Amounts in Spanish words: the tricky cases one by one, and the whole range's edges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cuadra.sales.words import amount_in_words_es, integer_in_words_es

D = Decimal


@pytest.mark.parametrize(("n", "words"), [
    (0, "CERO"),
    (1, "UN"),
    (2, "DOS"),
    (10, "DIEZ"),
    (11, "ONCE"),
    (15, "QUINCE"),
    (16, "DIECISÉIS"),
    (19, "DIECINUEVE"),
    (20, "VEINTE"),
    (21, "VEINTIÚN"),
    (22, "VEINTIDÓS"),
    (23, "VEINTITRÉS"),
    (26, "VEINTISÉIS"),
    (29, "VEINTINUEVE"),
    (30, "TREINTA"),
    (31, "TREINTA Y UN"),
    (45, "CUARENTA Y CINCO"),
    (99, "NOVENTA Y NUEVE"),
    (100, "CIEN"),
    (101, "CIENTO UN"),
    (110, "CIENTO DIEZ"),
    (121, "CIENTO VEINTIÚN"),
    (199, "CIENTO NOVENTA Y NUEVE"),
    (200, "DOSCIENTOS"),
    (300, "TRESCIENTOS"),
    (400, "CUATROCIENTOS"),
    (500, "QUINIENTOS"),
    (555, "QUINIENTOS CINCUENTA Y CINCO"),
    (600, "SEISCIENTOS"),
    (700, "SETECIENTOS"),
    (777, "SETECIENTOS SETENTA Y SIETE"),
    (800, "OCHOCIENTOS"),
    (900, "NOVECIENTOS"),
    (999, "NOVECIENTOS NOVENTA Y NUEVE"),
    (1000, "MIL"),
    (1001, "MIL UN"),
    (1100, "MIL CIEN"),
    (1234, "MIL DOSCIENTOS TREINTA Y CUATRO"),
    (2000, "DOS MIL"),
    (21000, "VEINTIÚN MIL"),
    (31000, "TREINTA Y UN MIL"),
    (100000, "CIEN MIL"),
    (101000, "CIENTO UN MIL"),
    (121121, "CIENTO VEINTIÚN MIL CIENTO VEINTIÚN"),
    (500500, "QUINIENTOS MIL QUINIENTOS"),
    (700000, "SETECIENTOS MIL"),
    (999999, "NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE"),
    (1_000_000, "UN MILLÓN"),
    (1_000_001, "UN MILLÓN UN"),
    (1_100_000, "UN MILLÓN CIEN MIL"),
    (2_000_000, "DOS MILLONES"),
    (21_000_000, "VEINTIÚN MILLONES"),
    (31_000_000, "TREINTA Y UN MILLONES"),
    (100_000_000, "CIEN MILLONES"),
    (101_000_000, "CIENTO UN MILLONES"),
    (1_000_000_000, "MIL MILLONES"),
    (1_001_000_000, "MIL UN MILLONES"),
    (21_000_000_000, "VEINTIÚN MIL MILLONES"),
    (100_000_000_000, "CIEN MIL MILLONES"),
    (999_999_999_999, "NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE "
                      "MILLONES NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE"),
])
def test_integer_words(n, words):
    assert integer_in_words_es(n) == words


@pytest.mark.parametrize(("amount", "currency", "words"), [
    (D("1234.56"), "PAB", "MIL DOSCIENTOS TREINTA Y CUATRO CON 56/100 BALBOAS"),
    (D("1234.56"), "USD", "MIL DOSCIENTOS TREINTA Y CUATRO CON 56/100 DÓLARES"),
    (D("0"), "PAB", "CERO CON 00/100 BALBOAS"),
    (D("0.01"), "PAB", "CERO CON 01/100 BALBOAS"),
    (D("0.99"), "USD", "CERO CON 99/100 DÓLARES"),
    (D("1"), "PAB", "UN CON 00/100 BALBOA"),
    (D("1.50"), "USD", "UN CON 50/100 DÓLAR"),
    (D("21.00"), "PAB", "VEINTIÚN CON 00/100 BALBOAS"),
    (D("100"), "PAB", "CIEN CON 00/100 BALBOAS"),
    (D("101.10"), "PAB", "CIENTO UN CON 10/100 BALBOAS"),
    (D("1000000"), "PAB", "UN MILLÓN CON 00/100 BALBOAS"),
    (D("2000000.05"), "USD", "DOS MILLONES CON 05/100 DÓLARES"),
    (D("999999999999.99"), "PAB",
     "NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE MILLONES NOVECIENTOS "
     "NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE CON 99/100 BALBOAS"),
    ("577.80", "PAB", "QUINIENTOS SETENTA Y SIETE CON 80/100 BALBOAS"),
    (975, "usd", "NOVECIENTOS SETENTA Y CINCO CON 00/100 DÓLARES"),
])
def test_amount_words(amount, currency, words):
    assert amount_in_words_es(amount, currency) == words


def test_default_currency_is_balboas():
    assert amount_in_words_es(D("7.07")) == "SIETE CON 07/100 BALBOAS"


def test_rounds_half_up_to_the_cent_and_keeps_exact_precision():
    assert amount_in_words_es(D("10.005")) == "DIEZ CON 01/100 BALBOAS"
    assert amount_in_words_es(D("10.004999999999999999999")) == "DIEZ CON 00/100 BALBOAS"
    # rounding up may carry into the whole part
    assert amount_in_words_es(D("0.995")) == "UN CON 00/100 BALBOA"


def test_negative_amount_reads_menos():
    assert amount_in_words_es(D("-42.10")) == "MENOS CUARENTA Y DOS CON 10/100 BALBOAS"


def test_every_hundred_word_is_one_of_the_irregular_forms():
    hundreds = [integer_in_words_es(h * 100) for h in range(1, 10)]
    assert hundreds == ["CIEN", "DOSCIENTOS", "TRESCIENTOS", "CUATROCIENTOS", "QUINIENTOS",
                        "SEISCIENTOS", "SETECIENTOS", "OCHOCIENTOS", "NOVECIENTOS"]


def test_no_number_below_a_million_reads_uno_or_un_mil():
    for n in range(1, 1_000_000, 997):
        words = integer_in_words_es(n)
        assert "UNO" not in words.split()
        assert not words.startswith("UN MIL")
        assert "CIENTO MIL" not in words  # 100,000 is CIEN MIL


@pytest.mark.parametrize("bad", [D("1000000000000"), D("999999999999.995"), -1])
def test_out_of_range_is_refused(bad):
    with pytest.raises(ValueError):
        if isinstance(bad, int):
            integer_in_words_es(bad)
        else:
            amount_in_words_es(bad)


def test_a_float_is_refused():
    with pytest.raises(TypeError):
        amount_in_words_es(12.5)


def test_unknown_currency_is_refused():
    with pytest.raises(ValueError):
        amount_in_words_es(D("1"), "EUR")


def test_nan_is_refused():
    with pytest.raises(ValueError):
        amount_in_words_es(D("NaN"))
