"""The batch end to end through the command line (Click's CliRunner)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.batch.report import build_report
from pipeline.cli import cli, main
from pipeline.errors import Finding, Severity
from pipeline.results import CaseResult, Status

from .conftest import PEILDATUM, TEMPLATES, VALID_BSN, write_case

# The minimal test case (conftest.DOSSIER) is in week 8 on this date, with every deadline so far met.
EARLY = "2025-03-01"


def run(input_dir: Path, output_dir: Path, *extra: str, peildatum: str = EARLY):
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir),
                                      "--templates", str(TEMPLATES), "--peildatum", peildatum, *extra])
    return result


MESSAGES = 6  # column "Meldingen" of the Overzicht sheet


def report_rows(output_dir: Path, sheet: str = "Overzicht") -> list[tuple]:
    workbook = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    return [tuple(row) for row in workbook[sheet].iter_rows(min_row=2, values_only=True)]


def every_output_text(output_dir: Path) -> str:
    """Everything a batch wrote that is not a document for UWV: names, report cells."""
    parts = [str(p.relative_to(output_dir)) for p in output_dir.rglob("*")]
    workbook = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


def test_shipped_examples_give_their_documents(examples, tmp_path):
    output_dir = tmp_path / "out"
    result = run(examples, output_dir, peildatum=PEILDATUM)
    assert result.exit_code == 0, result.output
    for number in ("DOS-2025-014", "DOS-2026-007", "DOS-2026-031"):
        document = Document(output_dir / number / "plan-van-aanpak.docx")
        assert number in document.sections[0].footer.paragraphs[0].text
    made = {p.parent.name: sorted(x.name for x in p.parent.iterdir())
            for p in output_dir.glob("*/plan-van-aanpak.docx")}
    always = ["controlelijst.docx", "manifest.json", "plan-van-aanpak.docx", "wia-bundel.docx"]
    assert made == {
        "DOS-2025-014": sorted(always + ["DOS-2025-014-wia-bundel.zip", "eindevaluatie.docx",
                                         "sollicitatieoverzicht.docx", "trajectplan.docx",
                                         "eerstejaarsevaluatie.docx", "bijstelling-2025-11-18.docx",
                                         "bijstelling-2026-01-07.docx", "bijstelling-2026-02-18.docx",
                                         "voortgangsrapportage-2026-06-10.docx", "voortgangsrapportage-2026-09-09.docx",
                                         "voortgangsrapportage-2026-11-04.docx"]),
        "DOS-2026-007": sorted(always + ["DOS-2026-007-wia-bundel.zip", "sollicitatieoverzicht.docx",
                                         "trajectplan.docx", "eerstejaarsevaluatie.docx"]),
        "DOS-2026-031": sorted(always + ["DOS-2026-031-wia-bundel.zip"]),
    }
    statuses = {row[1]: row[2] for row in report_rows(output_dir)}
    # The full case has deliberate shortcomings in its applications; the running case lacks a view.
    assert statuses == {"DOS-2025-014": "waarschuwingen", "DOS-2026-007": "waarschuwingen", "DOS-2026-031": "ok"}
    assert "3 bestanden verwerkt: 1 ok, 2 met waarschuwingen, 0 met fouten, 0 overgeslagen." in result.output


def test_bad_workbooks_never_stop_the_batch(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "GOED-1"})
    write_case(input_dir / "b-datum.xlsx", {"Dossiernummer": "FOUT-1", "Eerste ziektedag": "gisteren"})
    (input_dir / "c-tekst.xlsx").write_text("Dossiernummer;Naam\nX;Y\n")
    (input_dir / "d-lijst.csv").write_text("a;b\n")
    write_case(input_dir / "~$a-goed.xlsx")  # Excel's lock file
    (input_dir / ".verborgen.xlsx").write_text("x")
    write_case(input_dir / "e-pad.xlsx", {"Dossiernummer": "../../etc"})
    write_case(input_dir / "f-zonder-afspraken.xlsx", {"Dossiernummer": "FOUT-2"}, {"Afspraken": None})
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert (output_dir / "GOED-1" / "plan-van-aanpak.docx").is_file()
    assert sorted(p.name for p in output_dir.iterdir() if not p.name.startswith(".")) == ["GOED-1", "batchrapport.xlsx"]
    rows = {row[0]: row for row in report_rows(output_dir)}
    assert set(rows) == {"a-goed.xlsx", "b-datum.xlsx", "c-tekst.xlsx", "d-lijst.csv", "e-pad.xlsx",
                         "f-zonder-afspraken.xlsx"}
    assert rows["a-goed.xlsx"][2] == "ok"
    assert rows["d-lijst.csv"][2] == "overgeslagen" and "geen case-werkmap" in rows["d-lijst.csv"][MESSAGES]
    assert rows["b-datum.xlsx"][2] == "fouten"
    assert "sheet Dossier, rij 7, veld Eerste ziektedag: 'gisteren' is geen datum" in rows["b-datum.xlsx"][MESSAGES]
    assert "geen Excel-werkmap (.xlsx)" in rows["c-tekst.xlsx"][MESSAGES]
    assert "veld Dossiernummer: '../../etc' is geen geldig dossiernummer" in rows["e-pad.xlsx"][MESSAGES]
    assert "de verplichte sheet 'Afspraken' ontbreekt" in rows["f-zonder-afspraken.xlsx"][MESSAGES]
    assert "Fouten in b-datum.xlsx" in result.output
    # Under its file, each finding gives its place, then the message: one colon on the line.
    assert "      fout, sheet Dossier, rij 7, veld Eerste ziektedag: 'gisteren' is geen datum" in result.output


def test_a_case_with_errors_leaves_its_earlier_output_untouched(folders):
    input_dir, output_dir = folders
    path = write_case(input_dir / "case.xlsx")
    assert run(input_dir, output_dir).exit_code == 0
    before = (output_dir / "T-001" / "plan-van-aanpak.docx").read_bytes()
    write_case(path, {"Functie": None, "Maandloon": "veel"})
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert (output_dir / "T-001" / "plan-van-aanpak.docx").read_bytes() == before
    assert sorted(p.name for p in (output_dir / "T-001").iterdir()) == [
        "T-001-wia-bundel.zip", "controlelijst.docx", "manifest.json", "plan-van-aanpak.docx", "wia-bundel.docx"]


def test_duplicate_dossiernummer_is_an_error_for_both(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "een.xlsx", {"Dossiernummer": "D-7"})
    write_case(input_dir / "twee.xlsx", {"Dossiernummer": "d-7", "Naam werknemer": "Iemand Anders"})
    write_case(input_dir / "drie.xlsx", {"Dossiernummer": "D-8"})
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert not (output_dir / "D-7").exists() and (output_dir / "D-8").exists()
    rows = {row[0]: row for row in report_rows(output_dir)}
    assert "staat ook in twee.xlsx" in rows["een.xlsx"][MESSAGES]
    assert "staat ook in een.xlsx" in rows["twee.xlsx"][MESSAGES]
    assert rows["drie.xlsx"][2] == "ok"


def test_rerun_gives_byte_identical_documents_and_report(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx")
    run(input_dir, output_dir)
    first = {p: p.read_bytes() for p in output_dir.rglob("*") if p.is_file()}
    other = output_dir.parent / "tweede"
    run(input_dir, other)
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert {p.relative_to(output_dir): data for p, data in first.items()} == second


def test_no_bsn_in_names_report_or_console(folders):
    input_dir, output_dir = folders
    write_case(input_dir / f"{VALID_BSN}.xlsx", {"Dossiernummer": "P-1"})
    write_case(input_dir / "fout.xlsx", {"Dossiernummer": "P-2", "BSN": "123456789", "Functie": VALID_BSN,
                                         "Eerste ziektedag": VALID_BSN})
    result = run(input_dir, output_dir)
    assert VALID_BSN not in result.output and "123456789" not in result.output
    text = every_output_text(output_dir)
    assert VALID_BSN not in text and "123456789" not in text
    assert "*********.xlsx" in text


def test_report_cells_never_become_formulas(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "=HYPERLINK(1).xlsx", {"Dossiernummer": "F-1"})
    run(input_dir, output_dir)
    cell = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")["Overzicht"]["A2"]
    assert cell.value == "=HYPERLINK(1).xlsx" and cell.data_type == "s"
    with zipfile.ZipFile(output_dir / "batchrapport.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_report_has_frozen_header_and_filter(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx", {"Visie werknemer": None})
    run(input_dir, output_dir)
    workbook = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    [finding] = [row for row in workbook["Meldingen"].iter_rows(min_row=2, values_only=True)]
    # The label is absent altogether, so the finding names the sheet and the label, not a row.
    assert finding[:9] == ("case.xlsx", "T-001", "waarschuwing", "visie", 7, datetime(2025, 2, 19), "Dossier", None,
                           "Visie werknemer")


def test_report_cells_stay_within_what_excel_holds(tmp_path):
    """An Overzicht row counts the findings, quotes the first 3 shortened and points to Meldingen for
    the rest; no text cell exceeds Excel's 32,767 characters; every finding has its own Meldingen row."""
    def overview_and_rows(findings):
        result = CaseResult("groot.xlsx", Status.WARNINGS, "G-1", findings)
        (tmp_path / "rapport.xlsx").write_bytes(build_report((result,), date(2026, 11, 23)))
        workbook = openpyxl.load_workbook(tmp_path / "rapport.xlsx")
        return workbook["Overzicht"].cell(row=2, column=MESSAGES + 1).value, workbook["Meldingen"].max_row - 1

    listed, rows = overview_and_rows(tuple(Finding(Severity.WARNING, f"melding {i}", rule="t") for i in range(60)))
    assert listed.splitlines() == ["60 waarschuwingen", "waarschuwing: melding 0", "waarschuwing: melding 1",
                                   "waarschuwing: melding 2", "… en nog 57: zie Meldingen"]
    assert rows == 60
    listed, rows = overview_and_rows(tuple(Finding(Severity.WARNING, "z" * 900, rule="t") for i in range(60)))
    assert len(listed) < 1000 and listed.endswith("… en nog 57: zie Meldingen") and rows == 60
    long = CaseResult("lang.xlsx", Status.WARNINGS, "L-1", (Finding(Severity.WARNING, "y" * 40_000, rule="test"),))
    (tmp_path / "lang.xlsx").write_bytes(build_report((long,), date(2026, 11, 23)))
    message = openpyxl.load_workbook(tmp_path / "lang.xlsx")["Meldingen"].cell(row=2, column=10).value
    assert len(message) == 32_767 and message.endswith("…")


def test_usage_errors_exit_2_in_dutch(tmp_path, capsys):
    assert main(["run", "--input", str(tmp_path / "bestaat-niet")]) == 2
    assert "De invoermap" in capsys.readouterr().err
    assert main(["run", "--peildatum", "gisteren"]) == 2
    assert "'gisteren' is geen datum; gebruik jjjj-mm-dd" in capsys.readouterr().err
    assert main(["run", "--onzin"]) == 2
    assert "Onbekende optie '--onzin'" in capsys.readouterr().err


def test_empty_input_folder_gives_an_empty_report(folders):
    input_dir, output_dir = folders
    result = run(input_dir, output_dir)
    assert result.exit_code == 0
    assert report_rows(output_dir) == []


def test_template_problem_fails_the_case_and_says_which_template(folders, tmp_path):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx")
    broken = tmp_path / "sjablonen"
    broken.mkdir()
    document = Document()
    document.add_paragraph("{{ ''.__class__.__mro__ }}")
    document.save(broken / "plan-van-aanpak.docx")
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir),
                                      "--templates", str(broken), "--peildatum", PEILDATUM])
    assert result.exit_code == 1
    [row] = report_rows(output_dir)
    assert row[2] == "fouten" and "Sjabloon plan-van-aanpak.docx" in row[MESSAGES]


def test_new_case_writes_a_workbook_the_pipeline_reads(tmp_path):
    target = tmp_path / "nieuw.xlsx"
    result = CliRunner().invoke(cli, ["new-case", str(target)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames[:3] == ["Uitleg", "Dossier", "Betrokkenen"]
    assert workbook["Keuzelijsten"].sheet_state == "hidden"
    rol = workbook["Betrokkenen"].data_validations.dataValidation
    assert any("A2" in str(v.sqref) for v in rol)
    assert workbook["Sollicitaties"].freeze_panes == "A2"
    assert workbook["Sollicitaties"].column_dimensions["A"].number_format == "DD-MM-YYYY"
    explained = {row[1] for row in workbook["Uitleg"].iter_rows(values_only=True)}
    assert {"Eerste ziektedag", "Besproken met coach", "Opgesteld door"} <= explained
    # Untouched, it is not filled in yet: skipped with that note, not an error.
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    target.rename(input_dir / "nieuw.xlsx")
    assert run(input_dir, tmp_path / "out").exit_code == 0
    [row] = report_rows(tmp_path / "out")
    assert row[2] == "overgeslagen" and "nog niet ingevuld" in row[MESSAGES]
    # Once anything is filled in, it is recognised: only the missing required values are reported.
    workbook = openpyxl.load_workbook(input_dir / "nieuw.xlsx")
    workbook["Dossier"]["B3"] = "Anna de Wit"
    workbook.save(input_dir / "nieuw.xlsx")
    assert run(input_dir, tmp_path / "out").exit_code == 1
    [row] = report_rows(tmp_path / "out")
    messages = row[MESSAGES]
    assert "'Dossiernummer' is verplicht maar leeg" in messages
    assert "onbekend" not in messages and "Uitleg" not in messages and "Keuzelijsten" not in messages
    assert CliRunner().invoke(cli, ["new-case", str(input_dir / "nieuw.xlsx")]).exit_code == 2


def test_plan_van_aanpak_document_properties_hold_no_run_time(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx")
    run(input_dir, output_dir)
    data = (output_dir / "T-001" / "plan-van-aanpak.docx").read_bytes()
    properties = Document(BytesIO(data)).core_properties
    assert properties.created.date().isoformat() == "2025-02-19"
    assert properties.title == "Plan van aanpak T-001"


ERROR_CLASSES = {
    "bad_date": ({"Datum plan van aanpak": "19-02-25"}, None,
                 ", sheet Dossier, rij 9, veld Datum plan van aanpak: '19-02-25' is geen datum"),
    "bad_bsn": ({"BSN": "123456780"}, None,
                ", sheet Dossier, rij 4, veld BSN: het BSN klopt niet (voldoet niet aan de elfproef)"),
    "unknown_choice": (None, {"Betrokkenen": [["Rol", "Naam"], ["werkgever", "P"], ["werknemer", "A"],
                                              ["casemanger", "C"]]},
                       ", sheet Betrokkenen, rij 4, kolom Rol: 'casemanger' is geen geldige keuze"),
    "formula_without_value": (None, {"Afspraken": [["Afspraak", "Wie"], ["Opbouw", "=1+1"]]},
                              ", sheet Afspraken, rij 2, kolom Wie: formule zonder berekende waarde"),
    "missing_sheet": (None, {"Betrokkenen": None}, ": de verplichte sheet 'Betrokkenen' ontbreekt"),
    "path_in_dossiernummer": ({"Dossiernummer": "..\\x"}, None,
                              ", sheet Dossier, rij 2, veld Dossiernummer: '..\\x' is geen geldig dossiernummer"),
}


@pytest.mark.parametrize("scenario", sorted(ERROR_CLASSES))
def test_each_error_class_names_the_cell_and_the_batch_goes_on(folders, scenario):
    dossier, tables, message = ERROR_CLASSES[scenario]
    input_dir, output_dir = folders
    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "GOED"})
    write_case(input_dir / f"{scenario}.xlsx", {"Dossiernummer": "FOUT", **(dossier or {})}, tables)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    rows = {row[0]: row for row in report_rows(output_dir)}
    assert rows[f"{scenario}.xlsx"][2] == "fouten"
    assert f"{scenario}.xlsx{message}" in rows[f"{scenario}.xlsx"][MESSAGES]
    # The console names the file once, then each finding with its place in the workbook.
    assert f"Fouten in {scenario}.xlsx\n" in result.output and f"\n      fout{message}" in result.output
    assert (output_dir / "GOED" / "plan-van-aanpak.docx").is_file()
    assert not (output_dir / "FOUT").exists()
