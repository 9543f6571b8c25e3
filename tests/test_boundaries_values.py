"""Boundaries of the cell value rules and of the BSN rules: the lowest and highest accepted value,
and one past it, for years, Excel serials, lengths, amounts and BSNs (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900
from schema import SchemaError

from pipeline.intake import values as v
from pipeline.privacy import holds_bsn, redact


def error(parse, raw, *args) -> str:
    with pytest.raises(SchemaError) as caught:
        parse(raw, *args)
    return str(caught.value.code)


# --- dates: 1900 to 2100, typed or as an Excel serial ------------------------------------------

@pytest.mark.parametrize("raw, expected", [("01-01-1900", date(1900, 1, 1)), ("31-12-2100", date(2100, 12, 31)),
                                           (1, date(1900, 1, 1)), (73415, date(2100, 12, 31))])
def test_the_first_and_last_accepted_day(raw, expected):
    assert v.parse_date(raw, CALENDAR_WINDOWS_1900) == expected


@pytest.mark.parametrize("raw, words", [
    ("31-12-1899", "'31-12-1899' ligt buiten 1900-2100; controleer het jaartal"),
    ("01-01-2101", "'01-01-2101' ligt buiten 1900-2100; controleer het jaartal"),
    (0, "'0' is geen datum; gebruik dd-mm-jjjj"),
    (73416, "'73416' ligt buiten 1900-2100"),
    (2958465, "'2958465' ligt buiten 1900-2100"),  # 31-12-9999, Excel's last day
    (2958466, "'2958466' is geen datum"),  # past any date Excel knows: an error, not a crash
])
def test_one_day_outside_the_accepted_range_is_an_error_that_says_why(raw, words):
    assert error(v.parse_date, raw, CALENDAR_WINDOWS_1900).startswith(words)


@pytest.mark.parametrize("length, shown", [(60, "'" + "x" * 60 + "'"), (61, "'" + "x" * 60 + "…'")])
def test_a_long_value_is_shown_in_full_up_to_60_characters(length, shown):
    assert error(v.parse_date, "x" * length, CALENDAR_WINDOWS_1900).startswith(f"{shown} is geen datum")


# --- text: at most MAX_TEXT characters, as Excel stored it -------------------------------------

def test_text_of_exactly_the_maximum_length_is_accepted_one_more_is_not():
    assert v.check_nonempty_text("a" * v.MAX_TEXT) == "a" * v.MAX_TEXT
    message = error(v.check_nonempty_text, "a" * (v.MAX_TEXT + 1))
    assert message.startswith("de tekst is te lang (10001 tekens; hoogstens 10000)")


def test_line_breaks_of_every_kind_become_newlines_and_accents_are_composed():
    assert v.parse_text("Regel 1\rRegel 2\r\nRegel 3") == "Regel 1\nRegel 2\nRegel 3"
    assert v.parse_text("Jose\u0301") == "Jos\u00e9"


def test_a_boolean_in_a_text_cell_reads_as_ja_or_nee():
    assert (v.parse_text(True), v.parse_text(False)) == ("ja", "nee")


# --- Dossiernummer: 1-40 characters, no Windows device name -------------------------------------

def test_dossiernummer_of_1_and_of_40_characters_is_accepted():
    assert v.parse_dossiernummer("A") == "A"
    assert v.parse_dossiernummer("D" * 40) == "D" * 40
    assert "1 tot 40 tekens" in error(v.parse_dossiernummer, "D" * 41)


@pytest.mark.parametrize("name", ["COM1", "com9", "LPT1", "lpt9", "NUL"])
def test_windows_device_names_are_refused(name):
    assert "kan geen mapnaam zijn in Windows" in error(v.parse_dossiernummer, name)


@pytest.mark.parametrize("name", ["COM0", "COM10", "LPT0", "LPT10"])
def test_names_next_to_windows_device_names_are_accepted(name):
    assert v.parse_dossiernummer(name) == name


# --- numbers -----------------------------------------------------------------------------------

def test_a_number_typed_as_30_characters_is_read_31_is_too_long():
    assert v.parse_number("0" * 29 + "5") == 5.0
    assert "te lang" in error(v.parse_number, "0" * 30 + "5")


@pytest.mark.parametrize("raw", [True, date(2025, 1, 6)])
def test_a_yes_or_a_date_is_no_number(raw):
    assert "is geen getal" in error(v.parse_number, raw)


def test_a_number_at_the_float_limit_is_too_large():
    assert "te groot" in error(v.parse_number, 1e300)
    assert v.parse_number(1e299) == 1e299


@pytest.mark.parametrize("wage, meant", [("0,1", "100"), ("50", "50.000"), ("3,15055", "3.150,55")])
def test_a_wage_that_lost_its_thousands_gets_a_hint_up_to_the_range_edges(wage, meant):
    check = v.in_range(v.MIN_MONTHLY_WAGE, v.MAX_MONTHLY_WAGE, v.Unit.EUROS_A_MONTH)
    message = error(lambda raw: check(v.parse_number(raw)), wage)
    assert f"Bedoelt u {meant}?" in message and "Dat is te weinig" in message


@pytest.mark.parametrize("wage, words", [("0,09", "Dat is te weinig"), ("50,01", "Dat is te weinig"),
                                         ("50.001", "Dat is te veel")])
def test_no_hint_where_a_thousandfold_wage_is_no_wage_either(wage, words):
    check = v.in_range(v.MIN_MONTHLY_WAGE, v.MAX_MONTHLY_WAGE, v.Unit.EUROS_A_MONTH)
    message = error(lambda raw: check(v.parse_number(raw)), wage)
    assert words in message and "Bedoelt u" not in message


@pytest.mark.parametrize("low, high, unit, raw, message", [
    (1, 5, v.Unit.RANK, 6, "rang 6? Dat is te veel: het moet tussen rang 1 en rang 5 liggen."),
    (1, 52, v.Unit.WEEKS, 53, "elke 53 weken? Dat is te veel"),
    (1, 60, v.Unit.HOURS, 61, "61 uur per week? Dat is te veel: het moet tussen 1 uur per week en 60 uur per week"),
    (1, 20, v.Unit.APPLICATIONS, 0, "0 sollicitaties per week? Dat is te weinig"),
    (1, 5, None, 6, "6? Dat is te veel: het moet tussen 1 en 5 liggen."),
    (1, None, None, 0, "0? Dat is te weinig: het moet minstens 1 zijn."),
    (None, 60, None, 61, "61? Dat is te veel: het mag hoogstens 60 zijn."),
])
def test_a_value_out_of_range_is_shown_with_its_unit_and_the_bounds(low, high, unit, raw, message):
    check = v.in_range(low, high, unit)
    assert error(check, raw).startswith(message)
    for edge in (low, high):
        if edge is not None:
            assert check(edge) == edge


# --- BSN: 8 or 9 digits passing the elfproef ---------------------------------------------------

@pytest.mark.parametrize("raw, bsn", [("12345672", "012345672"), (12345672, "012345672"),
                                      ("123456782", "123456782"), ("123 456 782", "123456782")])
def test_bsn_of_8_and_9_digits_is_accepted(raw, bsn):
    assert v.parse_bsn(raw) == bsn


@pytest.mark.parametrize("raw, words", [
    ("1234567", "het BSN moet uit 9 cijfers bestaan (0-9)"),  # 7 digits
    ("1234567820", "het BSN moet uit 9 cijfers bestaan (0-9)"),  # 10 digits
    ("12345678a", "het BSN moet uit 9 cijfers bestaan (0-9)"),
    ("\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0662", "het BSN moet uit 9 cijfers bestaan (0-9)"),
    ("000000000", "het BSN klopt niet (voldoet niet aan de elfproef)"),
    ("00000000", "het BSN klopt niet (voldoet niet aan de elfproef)"),
    ("123456789", "het BSN klopt niet (voldoet niet aan de elfproef)"),
    (1234567.82, "het BSN moet uit 9 cijfers bestaan"),  # a decimal number, even one whose digits pass
    (True, "het BSN moet uit 9 cijfers bestaan"),
])
def test_a_bsn_that_is_no_bsn_says_what_is_wrong(raw, words):
    assert error(v.parse_bsn, raw).startswith(words)


@pytest.mark.parametrize("text, masked", [
    ("12345672", "*********"),  # a message that is exactly an 8-digit BSN
    ("123456782", "*********"),
    ("BSN 12345672.", "BSN *********."),
    ("1234567", "1234567"),  # 7 digits: no BSN
    ("1234567820", "1234567820"),  # 10 digits: no BSN
    ("000000000", "000000000"),  # fails the elfproef
])
def test_redact_masks_8_and_9_digit_bsns_only(text, masked):
    assert redact(text) == masked
    assert holds_bsn(text) is (masked != text)


def test_a_bsn_grouped_with_underscores_in_a_file_name_is_masked():
    assert holds_bsn("Jansen_123_456_782.xlsx")
    assert redact("Jansen_123_456_782.xlsx") == "Jansen_*********.xlsx"
