"""Hostile and broken input: every bad workbook gets its own plain Dutch message, fast."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from pipeline.errors import InputError, Severity
from pipeline.intake import reader as workbook_module
from pipeline.intake.reader import MAX_DATA_ROWS, read_workbook
from pipeline.intake.validate import validate

from .conftest import EXAMPLES, write_case
from .test_batch import MESSAGES, report_rows, run


def rewrite(path: Path, change) -> Path:
    """Rewrite the zip at `path`: change(entries: dict[name, bytes]) edits it in place."""
    with zipfile.ZipFile(path) as source:
        entries = {i.filename: source.read(i) for i in source.infolist()}
    change(entries)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return path


def sheet_xml(entries: dict[str, bytes], number: int = 1) -> str:
    return f"xl/worksheets/sheet{number}.xml"


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        validate(read_workbook(path))
    return [str(f) for f in caught.value.findings if f.severity is Severity.ERROR]


def only_problem(path: Path) -> str:
    [message] = problems(path)
    assert "Traceback" not in message and "BadZipFile" not in message and "Error" not in message
    return message


# --- not a workbook ----------------------------------------------------------------------------

def valid_bytes(tmp_path: Path) -> bytes:
    return write_case(tmp_path / "basis.xlsx").read_bytes()


NOT_WORKBOOKS = {
    "csv": (lambda ok: b"Dossiernummer;Naam\nD-1;Anna\n", "geen Excel-werkmap (.xlsx), maar bijvoorbeeld tekst of CSV"),
    "xls": (lambda ok: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "oud Excel-bestand (.xls)"),
    "encrypted": (lambda ok: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500
                  + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500, "beveiligd met een wachtwoord"),
    "empty": (lambda ok: b"", "het bestand is leeg (0 bytes)"),
    "truncated": (lambda ok: ok[: len(ok) // 2], "beschadigd of onvolledig"),
}


@pytest.mark.parametrize("kind", sorted(NOT_WORKBOOKS))
def test_files_that_are_not_workbooks_get_their_own_message(tmp_path, kind):
    make, words = NOT_WORKBOOKS[kind]
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(make(valid_bytes(tmp_path)))
    assert words in only_problem(path)


def test_zip_without_content_types(tmp_path):
    path = rewrite(write_case(tmp_path / "zip.xlsx"), lambda e: e.pop("[Content_Types].xml"))
    assert "dit zip-bestand is geen Excel-werkmap" in only_problem(path)


def test_macro_workbook_saved_as_xlsx(tmp_path):
    path = rewrite(write_case(tmp_path / "macro.xlsx"), lambda e: e.__setitem__("xl/vbaProject.bin", b"\x00" * 64))
    assert "bevat macro's" in only_problem(path)


# --- hostile XML and zip -----------------------------------------------------------------------

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
                  + b"</worksheet>")
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                   b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["entity-expansion", "external-entity"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_xml_entity_tricks_are_refused(tmp_path, payload, part):
    path = write_case(tmp_path / "xml.xlsx")
    if part == "xl/workbook.xml":
        payload = payload.replace(b"worksheet", b"workbook")
    rewrite(path, lambda e: e.__setitem__(part, payload))
    assert "verboden XML-constructies" in only_problem(path)


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    path = rewrite(write_case(tmp_path / "bom.xlsx"),
                   lambda e: e.__setitem__("xl/media/leeg.bin", b"\x00" * (50 * 1024 * 1024)))
    assert "zip-bom" in only_problem(path)


def test_too_many_zip_entries_are_refused(tmp_path):
    path = rewrite(write_case(tmp_path / "veel.xlsx"),
                   lambda e: e.update({f"xl/extra/{i}.xml": b"<a/>" for i in range(2100)}))
    assert "meer dan 2000 onderdelen" in only_problem(path)


def test_dimension_claiming_a_million_rows_reads_normally(tmp_path):
    path = write_case(tmp_path / "dim.xlsx")

    def claim(entries):
        for name in [n for n in entries if n.startswith("xl/worksheets/")]:
            entries[name] = entries[name].replace(b'<dimension ref="A1:B13"/>', b'<dimension ref="A1:XFD1048576"/>')
    rewrite(path, claim)
    assert validate(read_workbook(path)).case.dossiernummer == "T-001"


def test_stray_cell_at_the_last_row_and_column_is_an_error_above_the_row_limit(tmp_path):
    path = write_case(tmp_path / "stray.xlsx")

    def stray(entries):
        xml = entries["xl/worksheets/sheet3.xml"].decode()
        xml = xml.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'
                                          "</row></sheetData>")
        entries["xl/worksheets/sheet3.xml"] = xml.encode()
    rewrite(path, stray)
    assert only_problem(path) == (f"stray.xlsx, sheet Afspraken, rij 1048576: er staan gegevens in rij 1048576, "
                                  f"voorbij de grens van {MAX_DATA_ROWS} rijen; verwijder wat daar staat of splits "
                                  "het dossier")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.xlsx")), ids=lambda p: p.stem)
def test_a_sheet_parsed_whole_reads_as_the_streamed_one(example, tmp_path, monkeypatch):
    """Small sheets are parsed whole, large ones streamed: both ways give the same cells."""
    path = tmp_path / "case.xlsx"
    workbook = openpyxl.load_workbook(example)
    workbook["Afspraken"].merge_cells("B2:B3")
    workbook.save(path)
    whole = read_workbook(path)
    monkeypatch.setattr(workbook_module, "_WHOLE_SHEET_BYTES", 0)
    streamed = read_workbook(path)
    assert whole.sheets and whole.sheets == streamed.sheets
    assert (whole.epoch, whole.unknown_sheets, whole.hidden_sheets) == \
           (streamed.epoch, streamed.unknown_sheets, streamed.hidden_sheets)


def _variants(folder: Path) -> list[Path]:
    """The shipped examples, plus one saved by openpyxl with rich text, a custom date format, a
    time, a boolean and a number in text columns, in the 1904 date system."""
    paths = sorted(EXAMPLES.glob("*.xlsx"))
    workbook = openpyxl.load_workbook(paths[0])
    dossier = workbook["Dossier"]
    for row in dossier.iter_rows(min_row=2):
        if row[0].value == "Werkgever":
            row[1].value = CellRichText(["Zorg", TextBlock(InlineFont(b=True), "groep"), " De Linde"])
        if row[0].value == "Eerste ziektedag":
            row[1].number_format = "d mmmm yyyy"
        if row[0].value == "Functie":
            row[1].value = 12.5
    afspraken = workbook["Afspraken"]
    afspraken["B2"].value, afspraken["D2"].value = True, datetime(2025, 3, 1, 14, 30)
    workbook.epoch = CALENDAR_MAC_1904
    workbook.save(folder / "varianten.xlsx")
    return paths + [folder / "varianten.xlsx"]


def test_cells_read_as_openpyxl_reads_them(tmp_path):
    """The reader parses the XML itself, for speed; every value is what openpyxl gives."""
    for path in _variants(tmp_path):
        raw = read_workbook(path)
        reference = openpyxl.load_workbook(path, data_only=True)
        compared = 0
        for sheet in raw.sheets.values():
            for record in sheet.records:
                for cell in record.cells.values():
                    expected = reference[sheet.title][f"{cell.column}{record.row}"].value
                    assert cell.value == (str(expected) if isinstance(expected, CellRichText) else expected), \
                        (path.name, sheet.title, record.row, cell.column)
                    compared += 1
        assert compared > 50, path.name
    rich = read_workbook(tmp_path / "varianten.xlsx").sheets["dossier"]
    assert any(c.value == "Zorggroep De Linde" for r in rich.records for c in r.cells.values())


# --- awkward but legitimate --------------------------------------------------------------------

def test_merged_cells_in_a_table_give_each_row_the_value(tmp_path):
    path = write_case(tmp_path / "merged.xlsx", tables={"Afspraken": [
        ["Afspraak", "Wie", "Uiterlijk"], ["Opbouw", "Anna", date(2025, 3, 1)], ["Overleg", None, None]]})
    workbook = openpyxl.load_workbook(path)
    workbook["Afspraken"].merge_cells("B2:B3")
    workbook.save(path)
    result = validate(read_workbook(path))
    assert [a.who for a in result.case.agreements] == ["Anna", "Anna"]
    assert any(f.rule == "samengevoegd" and "B2:B3" in f.message for f in result.findings)


def test_hidden_sheets_are_read_with_a_note(tmp_path):
    path = write_case(tmp_path / "hidden.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["Afspraken"].sheet_state = "hidden"
    workbook.save(path)
    result = validate(read_workbook(path))
    assert len(result.case.agreements) == 1
    assert any(f.sheet == "Afspraken" and "verborgen" in f.message for f in result.findings)


def test_1904_date_system(tmp_path):
    path = write_case(tmp_path / "mac.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook.epoch = CALENDAR_MAC_1904
    workbook.save(path)
    assert validate(read_workbook(path)).case.first_sick_day == date(2025, 1, 6)


def test_dates_typed_as_serial_numbers(tmp_path):
    path = write_case(tmp_path / "serial.xlsx", {"Eerste ziektedag": 45663})  # 6 January 2025
    assert validate(read_workbook(path)).case.first_sick_day == date(2025, 1, 6)


def test_bsn_typed_as_a_number_loses_no_zero(tmp_path):
    path = write_case(tmp_path / "bsn.xlsx", {"BSN": 12345672})
    assert validate(read_workbook(path)).case.bsn == "012345672"


def test_digits_that_are_not_ascii_are_refused(tmp_path):
    path = write_case(tmp_path / "digits.xlsx", {"BSN": "١٢٣٤٥٦٧٨٢", "Datum plan van aanpak": "١٩-٠٢-٢٠٢٥"})
    messages = problems(path)
    assert any("veld BSN" in x and "0-9" in x for x in messages)
    assert any("veld Datum plan van aanpak" in x and "is geen datum" in x for x in messages)


def test_control_characters_never_reach_a_document(tmp_path, folders):
    input_dir, output_dir = folders
    # Excel stores control characters as _xHHHH_ escapes; read, they are an error at the cell.
    write_case(input_dir / "ctrl.xlsx", {"Re-integratiedoel": "Terug_x0007_ naar_x000B_ werk_x001B_"})
    result = run(input_dir, output_dir)
    assert result.exit_code == 1 and not (output_dir / "T-001").exists()
    assert "veld Re-integratiedoel: de tekst bevat een onzichtbaar stuurteken (U+0007) na 'Terug'" in result.output


def test_very_long_text_is_an_error_with_a_short_echo(tmp_path):
    message = only_problem(write_case(tmp_path / "long.xlsx", {"Re-integratiedoel": "x" * 20000}))
    assert "de tekst is te lang (20000 tekens; hoogstens 10000)" in message
    assert len(message) < 400


def test_formula_without_cached_value_in_the_dossier(tmp_path):
    path = write_case(tmp_path / "f.xlsx", {"Functie": "=B2"})
    assert "veld Functie: formule zonder berekende waarde" in only_problem(path)


# --- nothing lost: batch level -----------------------------------------------------------------

def test_bad_workbook_next_to_good_ones_in_one_batch(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    (input_dir / "b.xlsx").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    write_case(input_dir / "c.xlsx", {"Dossiernummer": "C-1"})
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert (output_dir / "A-1" / "manifest.json").is_file() and (output_dir / "C-1" / "manifest.json").is_file()
    rows = {r[0]: r for r in report_rows(output_dir)}
    assert "oud Excel-bestand" in rows["b.xlsx"][MESSAGES]


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are always text")
def test_a_file_name_that_is_not_text_is_an_error_beside_good_ones(folders):
    """Linux keeps file names as bytes: one that is not UTF-8 cannot be named in a message, a
    report or a manifest. It gets its own error, shown with '\ufffd'; the batch goes on."""
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    write_case(input_dir / os.fsdecode(b"caf\xe9.xlsx"), {"Dossiernummer": "B-1"})
    (input_dir / os.fsdecode(b"not\xe9.txt")).write_text("notitie", encoding="utf-8")
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert (output_dir / "A-1" / "manifest.json").is_file() and not (output_dir / "B-1").exists()
    rows = {r[0]: r for r in report_rows(output_dir)}
    assert "geen geldige tekst" in rows["caf\ufffd.xlsx"][MESSAGES] and rows["not\ufffd.txt"][2] == "overgeslagen"
