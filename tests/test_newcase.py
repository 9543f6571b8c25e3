"""`new-case` and the shipped examples: each field's Excel validation says what the contract says
(its own choices, its range, a date), and every value in the examples passes the validations of
its own workbook, so a casemanager who edits an example is never refused a value it already holds."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.cli import cli
from pipeline.intake import contract
from pipeline.intake import values as v
from pipeline.intake.contract import Field, Kind, Shape
from pipeline.intake.newcase import write_new_case
from pipeline.intake.reader import MAX_DATA_ROWS

from .conftest import EXAMPLES, PEILDATUM, TEMPLATES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xlsx"))
LAST_DATA_ROW = MAX_DATA_ROWS + 1
# Kinds without an Excel validation: free text, and values whose rule Excel cannot express (the
# elfproef of a BSN, the characters of a Dossiernummer); the pipeline checks those.
FREE = (Kind.TEXT, Kind.BSN, Kind.DOSSIERNUMMER)


def fields_of(*kinds: Kind) -> list[tuple[contract.Sheet, Field]]:
    return [(spec, f) for spec in contract.SHEETS for f in spec.fields if f.kind in kinds]


def field_id(pair: tuple[contract.Sheet, Field]) -> str:
    return f"{pair[0].name}-{pair[1].label}"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> openpyxl.Workbook:
    """A new-case workbook as Excel opens it: written by the command, read back from the file."""
    path = tmp_path_factory.mktemp("nieuw") / "nieuw.xlsx"
    assert CliRunner().invoke(cli, ["new-case", str(path)]).exit_code == 0
    return openpyxl.load_workbook(path)


def value_cells(sheet: Worksheet, spec: contract.Sheet, f: Field, *, last_row: int | None = None) -> list[str]:
    """Where the values of `f` go: column B beside its label, or its column below the header."""
    if spec.shape is Shape.KEY_VALUE:
        [row] = [c.row for c in sheet["A"] if c.value == f.label]
        return [f"B{row}"]
    [column] = [c.column_letter for c in sheet[1] if c.value == f.label]
    return [f"{column}{row}" for row in range(2, (last_row or sheet.max_row) + 1)]


def validations_at(sheet: Worksheet, coordinate: str) -> list[DataValidation]:
    return [dv for dv in sheet.data_validations.dataValidation if coordinate in dv.sqref]


def the_validation(sheet: Worksheet, coordinate: str) -> DataValidation:
    found = validations_at(sheet, coordinate)
    assert len(found) == 1, f"{sheet.title}!{coordinate}: {len(found)} validaties"
    return found[0]


def list_options(workbook: openpyxl.Workbook, dv: DataValidation) -> list[object]:
    """The values a list validation offers, read from the range its formula names."""
    match = re.fullmatch(r"=?'?([^'!]+)'?!\$?([A-Z]+)\$?([0-9]+):\$?([A-Z]+)\$?([0-9]+)", dv.formula1)
    assert match, f"keuzelijst zonder bereik: {dv.formula1}"
    sheet, first_col, first_row, last_col, last_row = match.groups()
    assert first_col == last_col
    return [workbook[sheet][f"{first_col}{row}"].value for row in range(int(first_row), int(last_row) + 1)]


def as_text(option: object) -> str:
    return str(int(option)) if isinstance(option, (int, float)) and float(option).is_integer() else str(option)


_DUTCH_NUMBER = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|-?[0-9]+(?:,[0-9]+)?")
_DUTCH_DATE = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})")


def as_typed(value: object) -> object:
    """What a Dutch Excel holds after the value is typed: text that reads as a number ('3.150',
    '2450,50') or a date ('03-11-2025') becomes one; everything else stays as it is."""
    if isinstance(value, str):
        text = value.strip()
        if _DUTCH_NUMBER.fullmatch(text):
            return float(text.replace(".", "").replace(",", "."))
        if m := _DUTCH_DATE.fullmatch(text):
            return datetime(int(m[3]), int(m[2]), int(m[1]))
    return value


def passes(workbook: openpyxl.Workbook, dv: DataValidation, value: object) -> bool:
    """Whether Excel accepts `value` typed into a cell with validation `dv`."""
    typed = as_typed(value)
    is_number = isinstance(typed, (int, float)) and not isinstance(typed, bool)
    if dv.type == "list":
        for option in list_options(workbook, dv):
            if isinstance(option, str) and isinstance(typed, str) and option.casefold() == typed.casefold():
                return True
            if isinstance(option, (int, float)) and is_number and option == typed:
                return True
        return False
    if dv.type in ("whole", "decimal", "date"):
        if isinstance(typed, (date, datetime)):
            typed, is_number = to_excel(typed), dv.type == "date"
        if not is_number or (dv.type == "whole" and not float(typed).is_integer()):
            return False
        assert dv.operator in ("between", None), dv.operator
        return float(dv.formula1) <= typed <= float(dv.formula2)
    raise AssertionError(f"onbekend soort validatie {dv.type!r}: leer deze test haar kennen")


# The contract, field by field, in a fresh workbook.

@pytest.mark.parametrize("pair", fields_of(Kind.CHOICE, Kind.YESNO), ids=field_id)
def test_each_choice_column_offers_exactly_its_contract_choices(fresh, pair):
    spec, f = pair
    sheet = fresh[spec.name]
    expected = ["ja", "nee"] if f.kind is Kind.YESNO else [c.value for c in f.choices]
    cells = value_cells(sheet, spec, f, last_row=LAST_DATA_ROW)
    for coordinate in (cells[0], cells[-1]):  # the first row and the last the reader reads
        dv = the_validation(sheet, coordinate)
        assert dv.type == "list" and dv.showDropDown is not True  # openpyxl: True hides the arrow
        assert [as_text(o) for o in list_options(fresh, dv)] == expected
        # A choice outside the list is an error in the pipeline; 'j' or 'yes' for ja is not.
        assert dv.errorStyle == ("warning" if f.kind is Kind.YESNO else "stop") and dv.showErrorMessage
        assert all(passes(fresh, dv, option) for option in expected)


def test_status_columns_accept_their_own_words_and_refuse_the_others(fresh):
    """The issue: Afspraken and Interventies had the Rapportages list (gepland/uitgebracht)."""
    def status(spec: contract.Sheet) -> DataValidation:
        sheet = fresh[spec.name]
        return the_validation(sheet, value_cells(sheet, spec, spec.field_by_key("status"), last_row=2)[0])

    afspraken, interventies, rapportages = (status(s) for s in (contract.AFSPRAKEN, contract.INTERVENTIES,
                                                                contract.RAPPORTAGES))
    assert all(passes(fresh, afspraken, word) for word in ("open", "gedaan", "vervallen", "Gedaan"))
    assert not passes(fresh, afspraken, "uitgebracht") and not passes(fresh, afspraken, "afgerond")
    assert all(passes(fresh, interventies, word) for word in ("gepland", "lopend", "afgerond", "gestopt"))
    assert not passes(fresh, interventies, "gedaan")
    assert passes(fresh, rapportages, "uitgebracht") and not passes(fresh, rapportages, "open")


@pytest.mark.parametrize("pair", fields_of(Kind.WHOLE, Kind.NUMBER), ids=field_id)
def test_number_fields_carry_the_contract_range(fresh, pair):
    spec, f = pair
    sheet = fresh[spec.name]
    cells = value_cells(sheet, spec, f, last_row=LAST_DATA_ROW)
    for coordinate in (cells[0], cells[-1]):
        dv = the_validation(sheet, coordinate)
        assert dv.type == ("whole" if f.kind is Kind.WHOLE else "decimal")
        assert dv.operator in ("between", None)  # None: Excel's default, between
        assert (float(dv.formula1), float(dv.formula2)) == (f.minimum, f.maximum)
        # The message names the range the Dutch way: 'van 100 tot en met 50.000'.
        assert f"van {v.dutch_number(f.minimum)} tot en met {v.dutch_number(f.maximum)}" in dv.error
        assert f.label in dv.error and dv.prompt
    dv = the_validation(sheet, cells[0])
    assert passes(fresh, dv, f.minimum) and passes(fresh, dv, f.maximum)
    assert not passes(fresh, dv, f.maximum + 1) and not passes(fresh, dv, f.minimum - 1)
    assert not passes(fresh, dv, "veel")
    if f.kind is Kind.WHOLE:
        assert not passes(fresh, dv, f.minimum + 0.5)


def test_amounts_typed_the_dutch_way_pass_and_a_lost_thousand_does_not(fresh):
    sheet = fresh["Dossier"]
    dv = the_validation(sheet, value_cells(sheet, contract.DOSSIER, contract.DOSSIER.field_by_key("maandloon"))[0])
    assert passes(fresh, dv, "3.150") and passes(fresh, dv, "2.450,50") and passes(fresh, dv, 2450.5)
    assert not passes(fresh, dv, 3.15) and not passes(fresh, dv, 60_000)


@pytest.mark.parametrize("pair", fields_of(Kind.DATE), ids=field_id)
def test_date_fields_take_dates_shown_as_dd_mm_jjjj(fresh, pair):
    spec, f = pair
    sheet = fresh[spec.name]
    cells = value_cells(sheet, spec, f, last_row=LAST_DATA_ROW)
    dv = the_validation(sheet, cells[-1])
    assert dv is the_validation(sheet, cells[0]) and dv.type == "date"
    assert from_excel(int(dv.formula1)).year == v.EARLIEST_YEAR and from_excel(int(dv.formula2)).year == v.LATEST_YEAR
    assert "dd-mm-jjjj" in dv.prompt and "dd-mm-jjjj" in dv.error
    assert passes(fresh, dv, date(2025, 11, 3)) and passes(fresh, dv, "03-11-2025")
    assert not passes(fresh, dv, "gisteren") and not passes(fresh, dv, date(1899, 12, 31))
    if spec.shape is Shape.KEY_VALUE:
        assert sheet[cells[0]].number_format == "DD-MM-YYYY"
    else:
        assert sheet.column_dimensions[cells[0].rstrip("0123456789")].number_format == "DD-MM-YYYY"


@pytest.mark.parametrize("pair", fields_of(*FREE), ids=field_id)
def test_free_text_is_never_refused(fresh, pair):
    spec, f = pair
    sheet = fresh[spec.name]
    assert validations_at(sheet, value_cells(sheet, spec, f, last_row=2)[0]) == []


def test_validation_texts_are_dutch_and_fit_excel_limits(fresh):
    """Excel repairs (and drops) a validation whose texts are longer than it allows."""
    labels = {f.label for spec in contract.SHEETS for f in spec.fields}
    count = 0
    for sheet in fresh.worksheets:
        for dv in sheet.data_validations.dataValidation:
            count += 1
            assert dv.showInputMessage and dv.showErrorMessage and dv.allow_blank
            assert 0 < len(dv.promptTitle) <= 32 and 0 < len(dv.prompt) <= 255
            assert 0 < len(dv.errorTitle) <= 32 and 0 < len(dv.error) <= 225
            label = dv.error.split(":")[0]
            assert label in labels and label.startswith(dv.promptTitle.rstrip("…"))
            assert re.search(r"\b(kies|vul)\b", dv.error), dv.error
    assert count == len(fields_of(Kind.CHOICE, Kind.YESNO, Kind.WHOLE, Kind.NUMBER, Kind.DATE))


def test_fresh_workbook_has_every_contract_sheet_and_column(fresh):
    assert set(fresh.sheetnames) == {s.name for s in contract.SHEETS} | set(contract.HELPER_SHEETS)
    assert fresh[contract.CHOICE_LIST_SHEET].sheet_state == "hidden"
    for spec in contract.SHEETS:
        sheet = fresh[spec.name]
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1] if cell.value)
        if spec.shape is Shape.KEY_VALUE:
            assert [c.value for c in sheet["A"]] == ["Veld", *(f.label for f in spec.fields)]
            assert all(sheet[f"C{row}"].value for row in range(2, len(spec.fields) + 2))  # help beside each
        else:
            assert [c.value for c in sheet[1]] == [f.label for f in spec.fields]
            for cell in sheet[1]:  # a header is readable without widening its column
                assert sheet.column_dimensions[cell.column_letter].width >= len(cell.value) + 1
    # The Uitleg sheet explains every field of every sheet, version 2 included, under its sheet.
    listed, current = set(), None
    for sheet, field, *_ in fresh[contract.EXPLANATION_SHEET].iter_rows(values_only=True):
        current = sheet or current
        if field:
            listed.add((current, field))
    assert listed >= {(s.name, f.label) for s in contract.SHEETS for f in s.fields}


def test_fresh_workbook_is_read_by_the_pipeline_without_notes(tmp_path):
    """Untouched, a new workbook is skipped as not filled in yet; with one value typed, the help
    column, the Uitleg and Keuzelijsten sheets and the validations are no unknown fields: only the
    empty required values are reported."""
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    write_new_case(input_dir / "nieuw.xlsx")
    args = ["run", "--input", str(input_dir), "--output", str(tmp_path / "out"), "--templates", str(TEMPLATES),
            "--peildatum", PEILDATUM]
    untouched = CliRunner().invoke(cli, args)
    assert untouched.exit_code == 0 and "nog niet ingevuld" in untouched.output
    book = openpyxl.load_workbook(input_dir / "nieuw.xlsx")
    dossier = book[contract.DOSSIER.name]
    row = next(r for r in range(1, 60) if dossier.cell(r, 1).value == "Naam werknemer")
    dossier.cell(row, 2).value = "Anna de Vries"
    book.save(input_dir / "nieuw.xlsx")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    report = openpyxl.load_workbook(tmp_path / "out" / "batchrapport.xlsx")["Meldingen"]
    findings = [(row[2], row[-1]) for row in report.iter_rows(min_row=2, values_only=True)]
    assert ("fout", "'Dossiernummer' is verplicht maar leeg (kolom B)") in findings
    # Nothing but what is still to be filled in: no note or warning about the layout.
    assert {severity for severity, _ in findings} == {"fout"}, findings
    assert not any(word in message for _, message in findings for word in ("onbekend", "Uitleg", "Keuzelijsten"))


# The shipped examples.

@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_values_pass_their_own_validations(path):
    workbook = openpyxl.load_workbook(path)
    checked = 0
    for spec in contract.SHEETS:
        sheet = workbook[spec.name]
        for f in spec.fields:
            for coordinate in value_cells(sheet, spec, f):
                value = sheet[coordinate].value
                if value is None:
                    continue
                found = validations_at(sheet, coordinate)
                if f.kind in FREE:
                    assert found == []
                    continue
                assert len(found) == 1, f"{spec.name}!{coordinate} ({f.label}) heeft geen eigen validatie"
                assert passes(workbook, found[0], value), f"{spec.name}!{coordinate} ({f.label}): {value!r}"
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_examples_carry_the_validations_of_new_case(fresh, path):
    """The examples are made from new-case's workbook; this fails when one is stale."""
    def signature(workbook: openpyxl.Workbook) -> set[tuple]:
        return {(sheet.title, str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.errorStyle,
                 dv.prompt, dv.error)
                for sheet in workbook.worksheets for dv in sheet.data_validations.dataValidation}

    example = openpyxl.load_workbook(path)
    assert signature(example) == signature(fresh)
    lists = [[c.value for c in column] for column in example[contract.CHOICE_LIST_SHEET].iter_cols()]
    assert lists == [[c.value for c in column] for column in fresh[contract.CHOICE_LIST_SHEET].iter_cols()]


def test_an_example_keeps_a_dutch_typed_amount_and_the_pipeline_reads_it(tmp_path):
    """Hendriks' Maandloon is typed as text '3.150' (a Dutch Excel would make it 3150): the
    documents show € 3.150,00, not € 3,15 or an error."""
    path = EXAMPLES / "DOS-2026-007 Hendriks.xlsx"
    sheet = openpyxl.load_workbook(path)["Dossier"]
    [wage] = value_cells(sheet, contract.DOSSIER, contract.DOSSIER.field_by_key("maandloon"))
    assert sheet[wage].value == "3.150"
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    shutil.copy(path, input_dir)
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(tmp_path / "out"),
                                      "--templates", str(TEMPLATES), "--peildatum", PEILDATUM])
    assert result.exit_code == 0, result.output
    texts = []
    for document in (tmp_path / "out" / "DOS-2026-007").glob("*.docx"):
        doc = Document(document)
        texts += [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any("3.150,00" in text for text in texts)
    assert not any("3,15" in text for text in texts)
