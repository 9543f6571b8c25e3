"""The batch report as a casemanager prints and sorts it: page setup, the short Overzicht, the
next deadline as a date, and whose case every planning row is (issue 14)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from pipeline.batch.report import Report, build_report, shortened
from pipeline.batch.xlsx import wrapped_lines
from pipeline.cli import main
from pipeline.errors import Finding, Severity
from pipeline.results import CaseResult, Deadline, Status

from .conftest import EXAMPLES, PEILDATUM, TEMPLATES, VALID_BSN, write_case

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
SHEETS = ["Overzicht", "Meldingen", "Termijnen"]
DAY = date(2026, 11, 23)


def _case(**extra) -> CaseResult:
    findings = (
        tuple(Finding(Severity.WARNING, f"Sollicitatie {i} is niet besproken met de coach; bespreek elke "
                                        f"sollicitatie en vul de kolom in." + " Meer uitleg." * 20,
                      "a.xlsx", "Sollicitaties", 4 + i, "Besproken met coach", rule="sollicitatie-coach")
              for i in range(6))
        + (Finding(Severity.NOTE, "Het dossier is gesloten.", "a.xlsx", "Dossier", rule="einde-wachttijd"),
           Finding(Severity.ERROR, "Eerste ziektedag ontbreekt.", "a.xlsx", "Dossier", label="Eerste ziektedag",
                   rule="verplicht")))
    return CaseResult("a.xlsx", Status.ERRORS, "A-1", findings, **extra)


def _parts(content: bytes) -> dict[str, ElementTree.Element]:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return {name: ElementTree.fromstring(archive.read(name)) for name in archive.namelist()
                if name.endswith(".xml")}


def test_every_sheet_prints_landscape_one_page_wide_with_its_header_row_and_page_numbers():
    parts = _parts(build_report([_case()], DAY))
    book = parts["xl/workbook.xml"]
    names = [s.get("name") for s in book.iterfind("x:sheets/x:sheet", NS)]
    assert names == SHEETS
    titles = {int(d.get("localSheetId")): d.text for d in book.iterfind("x:definedNames/x:definedName", NS)
              if d.get("name") == "_xlnm.Print_Titles"}
    assert titles == {i: f"'{name}'!$1:$1" for i, name in enumerate(SHEETS)}
    for number in range(1, len(SHEETS) + 1):
        sheet = parts[f"xl/worksheets/sheet{number}.xml"]
        assert sheet.find("x:sheetPr/x:pageSetUpPr", NS).get("fitToPage") == "1"
        setup = sheet.find("x:pageSetup", NS)
        assert (setup.get("orientation"), setup.get("paperSize"), setup.get("fitToWidth"),
                setup.get("fitToHeight")) == ("landscape", "9", "1", "0")
        margins = sheet.find("x:pageMargins", NS)
        assert all(0.25 <= float(margins.get(side)) <= 1 for side in ("left", "right", "top", "bottom"))
        assert sheet.find("x:headerFooter/x:oddFooter", NS).text == "&CPagina &P van &N"
        assert sheet.find("x:headerFooter/x:oddHeader", NS).text == "&LBatchrapport 23 november 2026&R&A"
    workbook = openpyxl.load_workbook(BytesIO(build_report([_case()], DAY)))
    for sheet in workbook.worksheets:  # as Excel reads it
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0


def test_a_header_text_with_an_ampersand_prints_as_one():
    from pipeline.batch.xlsx import Sheet, workbook
    parts = _parts(workbook([Sheet("Blad", ["A"], [10])], "Jansen & Zn", "test", DAY))
    assert parts["xl/worksheets/sheet1.xml"].find("x:headerFooter/x:oddHeader", NS).text == "&LJansen && Zn&R&A"


def test_overzicht_counts_the_findings_and_quotes_only_the_first_three_shortly():
    workbook = openpyxl.load_workbook(BytesIO(build_report([_case()], DAY)))
    cell = workbook["Overzicht"].cell(row=2, column=7).value
    lines = cell.split("\n")
    assert lines[0] == "1 fout, 6 waarschuwingen, 1 opmerking"
    # The most serious first, with where it is (as the console says it), each on one short line.
    assert lines[1] == "fout: a.xlsx, sheet Dossier, veld Eerste ziektedag: Eerste ziektedag ontbreekt."
    assert lines[2].startswith("waarschuwing: a.xlsx, sheet Sollicitaties, rij 4, kolom Besproken met coach: "
                               "Sollicitatie 0 is niet besproken")
    assert lines[3].startswith("waarschuwing: a.xlsx, sheet Sollicitaties, rij 5, ")
    assert all(len(line) <= 200 for line in lines[1:4])
    assert lines[2].endswith("…") and not lines[2].endswith(" …")
    assert lines[4:] == ["… en nog 5: zie Meldingen"]
    assert len(cell) < 700
    # Every finding, whole, on Meldingen.
    messages = [r[9] for r in workbook["Meldingen"].iter_rows(min_row=2, values_only=True)]
    assert len(messages) == 8 and all(m.endswith("Meer uitleg.") for m in messages[:6])


def test_one_long_finding_alone_may_use_the_room_of_three():
    """A skipped file's one note says all of what to do; three long findings are cut to a third each."""
    advice = ("dit is een oud Excel-bestand (.xls), geen case-werkmap (.xlsx), en wordt overgeslagen. Open het in "
              "Excel, kies Bestand > Opslaan als, kies als type 'Excel-werkmap (*.xlsx)' en zet dat bestand in de "
              "invoermap. " + "Nog een zin uitleg. " * 10)
    alone = CaseResult("oud.xls", Status.SKIPPED, findings=(Finding(Severity.NOTE, advice.strip(), "oud.xls"),))
    three = CaseResult("drie.xlsx", Status.WARNINGS, findings=tuple(
        Finding(Severity.WARNING, advice.strip(), "drie.xlsx") for _ in range(3)))
    rows = list(openpyxl.load_workbook(BytesIO(build_report([alone, three], DAY)))["Overzicht"].iter_rows(
        min_row=2, values_only=True))
    assert rows[0][6] == "opmerking: oud.xls: " + advice.strip()  # 420 characters: whole
    lines = rows[1][6].split("\n")
    assert len(lines) == 3 and all(180 < len(line) <= 200 and line.endswith("…") for line in lines)


def test_a_case_with_few_findings_shows_them_all_without_counting_and_without_findings_nothing():
    few = CaseResult("b.xlsx", Status.WARNINGS, "B-1", (
        Finding(Severity.NOTE, "Eerste opmerking.", "b.xlsx"), Finding(Severity.WARNING, "Visie ontbreekt.", "b.xlsx"),
        Finding(Severity.NOTE, "Tweede opmerking.", "b.xlsx")))
    none = CaseResult("c.xlsx", Status.OK, "C-1")
    rows = list(openpyxl.load_workbook(BytesIO(build_report([few, none], DAY)))["Overzicht"].iter_rows(
        min_row=2, values_only=True))
    assert rows[0][6] == ("waarschuwing: b.xlsx: Visie ontbreekt.\nopmerking: b.xlsx: Eerste opmerking.\n"
                          "opmerking: b.xlsx: Tweede opmerking.")
    assert rows[1][6] is None


def test_shortened_cuts_after_a_whole_word():
    assert shortened("kort", 10) == "kort"
    assert shortened("een  twee\ndrie", 20) == "een twee drie"  # one line
    assert shortened("aaaa bbbb cccc dddd", 12) == "aaaa bbbb…"
    assert shortened("x" * 30, 10) == "x" * 9 + "…"  # no word to cut after
    assert shortened("Sollicitatie bij Jansen, Pietersen", 27) == "Sollicitatie bij Jansen…"


def test_volgende_termijn_is_a_date_cell_and_beside_it_what_it_is():
    deadlines = (Deadline("wia-aanvraag", "WIA-aanvraag met het re-integratieverslag (uiterlijk week 91)", 91,
                          date(2027, 1, 4), "Anna de Wit", "Carla Case"),
                 Deadline("evaluatie", "Evaluatie plan van aanpak (elke 6 weken)", 62, date(2026, 12, 9),
                          "Anna de Wit", "Carla Case"),
                 Deadline("wia-bundel", "WIA-bundel compleet", 91, date(2026, 12, 30)))
    content = build_report([CaseResult("a.xlsx", Status.OK, "A-1", deadlines=deadlines),
                            CaseResult("b.xlsx", Status.OK, "B-1")], DAY)
    sheet = openpyxl.load_workbook(BytesIO(content))["Overzicht"]
    header = [c.value for c in sheet[1]]
    assert header[:7] == ["Bestand", "Dossiernummer", "Status", "Documenten", "Niet gemaakt", "Volgende termijn",
                          "Meldingen"]
    column = header.index("Volgende termijn") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.value == datetime(2026, 12, 9) and cell.is_date and cell.number_format == "dd-mm-yyyy"
    # What it is in Termijn, after the findings (which keep their column, G, as before).
    assert header[7] == "Termijn"
    assert sheet.cell(row=2, column=8).value == "week 62: Evaluatie plan van aanpak (elke 6 weken)"
    assert sheet.cell(row=3, column=column).value is None
    # In the file: a number with a date style, not text.
    xml = _parts(content)
    ref = f"{chr(ord('A') + column - 1)}2"
    [c] = [c for c in xml["xl/worksheets/sheet1.xml"].iterfind(".//x:c", NS) if c.get("r") == ref]
    assert c.get("t") is None and c.find("x:v", NS).text == str((date(2026, 12, 9) - date(1899, 12, 30)).days)
    formats = {f.get("numFmtId"): f.get("formatCode") for f in xml["xl/styles.xml"].iterfind(".//x:numFmt", NS)}
    style = xml["xl/styles.xml"].findall("x:cellXfs/x:xf", NS)[int(c.get("s"))]
    assert formats[style.get("numFmtId")] == "dd-mm-yyyy" and style.get("applyNumberFormat") == "1"


def test_a_deadline_that_already_says_its_week_is_not_told_twice():
    deadline = Deadline("einde-wachttijd", "Einde wachttijd (week 104)", 104, date(2027, 3, 7), "A", "B")
    sheet = openpyxl.load_workbook(BytesIO(build_report(
        [CaseResult("a.xlsx", Status.OK, "A-1", deadlines=(deadline,))], DAY)))["Overzicht"]
    assert sheet.cell(row=2, column=8).value == "Einde wachttijd (week 104)"


def test_rows_of_several_lines_get_a_height_that_holds_them_and_one_line_rows_none():
    assert wrapped_lines("kort", 10) == 1
    assert wrapped_lines("een\ntwee\ndrie", 10) == 3
    assert wrapped_lines("woord " * 10, 10) == 5  # 12 characters a line: two words each
    assert wrapped_lines("x" * 40, 10) == 4  # a long name breaks anywhere
    content = build_report([_case(documents=("plan-van-aanpak.docx", "wia-bundel.docx")),
                            CaseResult("b.xlsx", Status.OK, "B-1")], DAY)
    parts = _parts(content)
    rows = {r.get("r"): r for r in parts["xl/worksheets/sheet1.xml"].iterfind("x:sheetData/x:row", NS)}
    findings = openpyxl.load_workbook(BytesIO(content))["Overzicht"]["G2"].value
    # The findings are the row's tallest cell: five lines, the three quoted ones wrapping in their column.
    assert rows["2"].get("customHeight") == "1"
    assert float(rows["2"].get("ht")) == 15 * wrapped_lines(findings, 60) > 15 * 5
    assert rows["3"].get("ht") is None  # one line: the application's own height
    header = {r.get("r"): r for r in parts["xl/worksheets/sheet3.xml"].iterfind("x:sheetData/x:row", NS)}["1"]
    assert float(header.get("ht")) == 30  # 'Dagen tot termijn' takes two lines in its narrow column
    long = [r for r in parts["xl/worksheets/sheet2.xml"].iterfind("x:sheetData/x:row", NS)
            if r.get("r") == "2"][0]
    assert float(long.get("ht")) >= 15 * 4  # a long message on Meldingen wraps, and its row grows


def test_every_row_of_the_planning_sheet_names_werknemer_and_casemanager(folders):
    """Also on the WIA bundle's own deadline (here brought forward to the last day of an employment
    that ends), which does not come from the timeline check."""
    input_dir, output_dir = folders
    write_case(input_dir / "open.xlsx", {"Dossiernummer": "O-1"})
    write_case(input_dir / "hersteld.xlsx", {"Dossiernummer": "H-1", "Naam werknemer": "Henk Hersteld",
                                             "Datum einde dienstverband": date(2025, 6, 1)},
               {"Betrokkenen": [["Rol", "Naam"], ["werkgever", "Piet Baas"], ["werknemer", "Henk Hersteld"],
                                ["casemanager", "Mila Manager"]]})
    assert main(["run", "--input", str(input_dir), "--output", str(output_dir), "--templates", str(TEMPLATES),
                 "--peildatum", "2025-05-01", "--workers", "1"]) == 0
    workbook = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    sheet = workbook["Termijnen"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r["Dossiernummer"] for r in rows} == {"O-1", "H-1"}
    assert all(r["Werknemer"] and r["Casemanager"] for r in rows)
    [bundle] = [r for r in rows if r["Dossiernummer"] == "H-1" and r["Regel"] == "wia-bundel"]
    assert bundle["WIA-aanvraag"] == "uiterlijk 01-06-2025"  # as on the case's timeline rows
    assert {(r["Werknemer"], r["Casemanager"]) for r in rows if r["Dossiernummer"] == "H-1"} == {
        ("Henk Hersteld", "Mila Manager")}
    assert {(r["Werknemer"], r["Casemanager"]) for r in rows if r["Dossiernummer"] == "O-1"} == {
        ("Anna de Wit", "Carla Case")}
    texts = {str(v) for s in workbook.worksheets for r in s.iter_rows(values_only=True) for v in r if v is not None}
    assert not any(VALID_BSN in t for t in texts)


def test_the_planning_names_survive_a_rerun_that_reuses_the_case(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx")
    arguments = ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates", str(TEMPLATES),
                 "--peildatum", "2025-03-01", "--workers", "1"]
    assert main(arguments) == 0
    first = (output_dir / "batchrapport.xlsx").read_bytes()
    assert main(arguments) == 0
    assert (output_dir / "batchrapport.xlsx").read_bytes() == first  # same report, from the manifest


def test_a_report_of_many_findings_stays_short_and_deterministic():
    cases = [_case() for _ in range(3)]
    report = Report(DAY)
    for case in cases:
        report.add(case)
    assert report.content() == build_report(cases, DAY)
    sheet = openpyxl.load_workbook(BytesIO(build_report(cases, DAY)))["Overzicht"]
    assert max(len(c.value or "") for row in sheet.iter_rows(min_row=2) for c in row
               if isinstance(c.value, str)) < 700


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdf(xlsx: Path, folder: Path) -> bytes:
    """The report as LibreOffice prints it (a profile of its own, beside any other LibreOffice)."""
    done = subprocess.run([_soffice(), f"-env:UserInstallation={(folder / 'profiel').as_uri()}", "--headless",
                           "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(xlsx)],
                          capture_output=True, timeout=180)
    pdf = folder / (xlsx.stem + ".pdf")
    if not pdf.is_file():
        pytest.skip(f"LibreOffice could not print a spreadsheet (Calc missing?): {done.stderr[-300:]!r}")
    return pdf.read_bytes()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.skipif(not _soffice(), reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_examples_report_prints_on_few_pages(tmp_path):
    """Before issue 14 the three examples printed on 11 pages; one page a sheet now."""
    examples = tmp_path / "voorbeelden"
    shutil.copytree(EXAMPLES, examples)
    assert main(["run", "--input", str(examples), "--output", str(tmp_path / "out"), "--templates",
                 str(TEMPLATES), "--peildatum", PEILDATUM, "--workers", "1"]) == 0
    pdf = _pdf(tmp_path / "out" / "batchrapport.xlsx", tmp_path)
    assert _pages(pdf) <= 4
