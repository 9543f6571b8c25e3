"""The contract's value rules, cell by cell."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
from schema import SchemaError

from pipeline import model as m
from pipeline.intake import values as v
from pipeline.privacy import elfproef, normalise_bsn, redact


@pytest.mark.parametrize("raw", ["03-11-2025", "3-11-2025", "03/11/2025", "2025-11-03",
                                 datetime(2025, 11, 3, 0, 0), date(2025, 11, 3), 45964])
def test_dates_in_every_accepted_form(raw):
    assert v.parse_date(raw, CALENDAR_WINDOWS_1900) == date(2025, 11, 3)


def test_serial_date_in_the_1904_system():
    assert v.parse_date(44502, CALENDAR_MAC_1904) == date(2025, 11, 3)


@pytest.mark.parametrize("raw, words", [
    ("gisteren", "is geen datum; gebruik dd-mm-jjjj"),
    ("31-02-2025", "geen bestaande datum"),
    ("3.11.2025", "is geen datum"),
    ("03-11-25", "is geen datum"),
    ("03-11-1850", "buiten 1900-2100"),
    ("٠٣-١١-٢٠٢٥", "is geen datum"),  # Arabic-Indic digits are not dates in the contract
])
def test_bad_dates_say_why_in_dutch(raw, words):
    with pytest.raises(SchemaError) as err:
        v.parse_date(raw, CALENDAR_WINDOWS_1900)
    assert words in str(err.value.code)


@pytest.mark.parametrize("raw, expected", [("ja", True), ("J", True), ("Yes", True), (True, True),
                                           ("nee", False), ("N", False), (" NO ", False), (False, False)])
def test_yes_no(raw, expected):
    assert v.parse_yes_no(raw) is expected


def test_yes_no_refuses_other_words():
    with pytest.raises(SchemaError, match="geen ja of nee"):
        v.parse_yes_no("misschien")


@pytest.mark.parametrize("raw, expected", [("2450,50", 2450.5), ("2450.50", 2450.5), ("2.450,50", 2450.5),
                                           ("€ 2.450,50", 2450.5), (2450, 2450.0), (38.5, 38.5)])
def test_numbers_with_decimal_comma_or_point(raw, expected):
    assert v.parse_number(raw) == expected


def test_whole_numbers_refuse_fractions():
    assert v.parse_whole("3") == 3
    with pytest.raises(SchemaError, match="geen heel getal"):
        v.parse_whole("2,5")


def test_choices_are_forgiving_about_case_spaces_and_dashes():
    assert v.parse_choice("  Re-integratiecoach ", m.Rol) is m.Rol.COACH
    assert v.parse_choice("REINTEGRATIE COACH", m.Rol) is m.Rol.COACH
    assert v.parse_choice(1, m.Spoor) is m.Spoor.EEN
    assert v.parse_choice("1 EN 2", m.Spoor) is m.Spoor.BEIDE


def test_unknown_choice_lists_the_options_and_suggests_one():
    with pytest.raises(SchemaError) as err:
        v.parse_choice("bedrijfsart", m.Rol)
    message = str(err.value.code)
    assert "kies uit 'werkgever', 'werknemer'" in message
    assert "Bedoelt u 'bedrijfsarts'?" in message


def test_bsn_elfproef_and_lost_leading_zero():
    assert elfproef("123456782")
    assert not elfproef("123456789")
    assert v.parse_bsn(12345672) == "012345672"  # typed as a number: Excel dropped the zero
    assert v.parse_bsn("012345672") == "012345672"


@pytest.mark.parametrize("raw", ["123456789", "12345", "١٢٣٤٥٦٧٨٢", "12345678a"])
def test_bad_bsn_never_echoes_the_number(raw):
    with pytest.raises(SchemaError) as err:
        v.parse_bsn(raw)
    assert raw not in str(err.value.code)


@pytest.mark.parametrize("raw", ["../../etc", "a/b", "DOS 1", "x" * 41, "", "dossier.1", "CON", "123456782"])
def test_dossiernummer_refuses_path_tricks_and_bsn(raw):
    with pytest.raises(SchemaError):
        v.parse_dossiernummer(raw)


def test_dossiernummer_accepts_the_pattern():
    assert v.parse_dossiernummer("DOS-2025_014") == "DOS-2025_014"
    assert v.parse_dossiernummer(2025014) == "2025014"


def test_labels_match_forgivingly():
    assert {v.normalise_label(x) for x in ["Eerste ziektedag", "eerste_ziektedag", " EERSTE-ZIEKTEDAG "]} == {
        "eersteziektedag"}
    assert v.normalise_label("Re-integratie doel") == v.normalise_label("Re-integratiedoel")


def test_text_is_trimmed_and_loses_control_characters():
    assert v.parse_text("  a\x07b\r\nc\x0c ") == "ab\nc"


def test_redact_masks_every_bsn_like_number_only():
    assert redact("werkmap 123456782.xlsx en 12345672") == "werkmap *********.xlsx en *********"
    assert redact("rij 123456789 en 2025") == "rij 123456789 en 2025"
    assert normalise_bsn("12345672") == "012345672"
