"""Input that means what the casemanager typed: Dutch amounts, plausible ranges, the BSN rule and
BSNs kept out of every message in every notation (issue: input read right)."""

from __future__ import annotations

from datetime import datetime

import pytest
from schema import SchemaError

from pipeline.errors import Finding, Severity
from pipeline.intake import contract
from pipeline.intake.values import parse_bsn, parse_dossiernummer, parse_number, parse_whole
from pipeline.privacy import holds_bsn, normalise_bsn, redact

EPOCH = datetime(1899, 12, 30)


def field(sheet: contract.Sheet, label: str) -> contract.Field:
    found = sheet.field_by_key(label.replace(" ", "").replace("-", "").casefold())
    assert found is not None, label
    return found


def value_of(f: contract.Field, raw: object) -> object:
    return f.schema(EPOCH).validate(raw)


def error_of(f: contract.Field, raw: object) -> str:
    with pytest.raises(SchemaError) as caught:
        f.schema(EPOCH).validate(raw)
    return str(caught.value.code)


@pytest.mark.parametrize("typed, meant", [
    ("3.150", 3150.0), ("3.150,50", 3150.5), ("2450,50", 2450.5), ("2450.50", 2450.5), ("2.5", 2.5),
    ("€ 3.150", 3150.0), ("1.234.567", 1234567.0), ("3,150.50", 3150.5), ("0,5", 0.5), ("-3.150", -3150.0),
    (3150, 3150.0), (3150.5, 3150.5), ("3 150", 3150.0),
])
def test_amounts_are_read_the_dutch_way(typed, meant):
    assert parse_number(typed) == meant


@pytest.mark.parametrize("typed", ["3.15.0", "3,150,50", "1e5", "twee", "", "9" * 31, "1" * 5000, "nan", "inf"])
def test_what_is_no_amount_is_an_error_not_a_crash(typed):
    with pytest.raises(SchemaError):
        parse_number(typed)


@pytest.mark.parametrize("huge", [1e308, float("inf"), float("nan"), 10 ** 400, -1e301])
def test_no_number_however_large_crashes(huge):
    with pytest.raises(SchemaError):
        parse_whole(huge)
    for f in (field(contract.DOSSIER, "Maandloon"), field(contract.DOSSIER, "Sollicitaties per week"),
              field(contract.DOSSIER, "BSN")):
        with pytest.raises(SchemaError):
            value_of(f, huge)
    try:  # text fields take any number as its text, or refuse it: never a crash
        value_of(field(contract.DOSSIER, "Dossiernummer"), huge)
    except SchemaError:
        pass


def test_a_wage_that_lost_its_thousands_says_what_was_read_and_what_was_meant():
    wage = field(contract.DOSSIER, "Maandloon")
    message = error_of(wage, 3.15)
    assert message.startswith("€ 3,15 per maand?")
    assert "Bedoelt u 3.150?" in message
    assert "€ 100 per maand en € 50.000 per maand" in message
    assert value_of(wage, "3.150") == 3150.0


@pytest.mark.parametrize("sheet, label, low, high", [
    (contract.DOSSIER, "Maandloon", 100, 50_000),
    (contract.DOSSIER, "Contracturen", 1, 60),
    (contract.DOSSIER, "Sollicitaties per week", 1, 20),
    (contract.ZOEKPROFIEL, "Indicatie maandloon", 100, 50_000),
    (contract.EINDEVALUATIE, "Nieuw maandloon", 100, 50_000),
    (contract.EINDEVALUATIE, "Uren per week", 0, 60),
    (contract.WERKHERVATTING, "Uren per week", 0, 60),
])
def test_every_amount_and_count_has_a_plausible_range_with_both_edges(sheet, label, low, high):
    f = field(sheet, label)
    assert value_of(f, low) == low
    assert value_of(f, high) == high
    step = 1 if f.kind is contract.Kind.WHOLE else 0.01
    for outside in (low - step, high + step):
        assert "?" in error_of(f, outside)


def test_every_number_field_of_the_contract_has_bounds():
    for sheet in contract.SHEETS:
        for f in sheet.fields:
            if f.kind in (contract.Kind.NUMBER, contract.Kind.WHOLE):
                assert f.minimum is not None and f.maximum is not None, f"{sheet.name}: {f.label}"


@pytest.mark.parametrize("typed", [10000008, "10000008", "010000008", 10000008.0, "010 000 008", "0100.00.008"])
def test_bsn_passing_the_elfproef_is_accepted_with_a_lost_leading_zero(typed):
    assert parse_bsn(typed) == "010000008"


@pytest.mark.parametrize("typed", ["123456789", "000000000", "1234567", 1234567, "1234567890", "12345678a", True])
def test_bsn_failing_is_refused_without_echoing_it(typed):
    with pytest.raises(SchemaError) as caught:
        parse_bsn(typed)
    assert str(typed) not in str(caught.value.code)


@pytest.mark.parametrize("text", [
    "123456782", "BSN 123456782.", "12345672", "123 456 782", "123.456.782", "123-456-782", "1234.56.782",
    "nummer:123456782", "12.345.672",
])
def test_redact_masks_a_bsn_in_every_common_notation(text):
    assert "*********" in redact(text)
    assert normalise_bsn(text.split(":")[-1].removeprefix("BSN ").rstrip(".")) is not None


@pytest.mark.parametrize("text", ["03-11-2025", "2025-11-03", "123456789", "1234567", "week 88 (3 november 2025)",
                                  "1234567890"])
def test_redact_leaves_dates_and_other_numbers_alone(text):
    assert redact(text) == text


def test_a_finding_masks_a_bsn_in_file_sheet_column_and_label():
    finding = Finding(Severity.ERROR, "klopt niet 123456782", file="werkmap 123-456-782.xlsx",
                      sheet="Sheet 123.456.782", column="kolom 123456782", label="veld 1234.56.782")
    assert "782" not in str(finding).replace("*********", "")


@pytest.mark.parametrize("number", ["DOS-123456782", "123-456-782", "DOS_123_456_782", "12345672", "X-1234-56-782"])
def test_a_dossiernummer_holding_a_bsn_is_refused(number):
    assert holds_bsn(number)
    with pytest.raises(SchemaError) as caught:
        parse_dossiernummer(number)
    assert "BSN" in str(caught.value.code)


@pytest.mark.parametrize("number", ["DOS-2026-103", "DOS-2025-014", "2026-11-03", "A1"])
def test_ordinary_dossiernummers_pass(number):
    assert parse_dossiernummer(number) == number
