"""The command line as a casemanager uses it: dates as the workbook teaches them, a summary that
names what needs attention, files open in Excel or Word beside the batch, workbooks that are no
case (yet), and a command that answers at once when nothing changed."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline import __version__
from pipeline.batch import output
from pipeline.cli import cli, main

from .conftest import PEILDATUM, ROOT, TEMPLATES, write_case

MESSAGES = 6  # column of the findings on the report's Overzicht
EARLY = "01-03-2025"  # the minimal case has no deadline passed yet: ok


def run(input_dir: Path, output_dir: Path, *extra: str, peildatum: str = EARLY):
    return CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates",
                                    str(TEMPLATES), "--peildatum", peildatum, "--workers", "1", *extra])


def rows(report: Path) -> dict[str, tuple]:
    sheet = openpyxl.load_workbook(report)["Overzicht"]
    return {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}


# --- --peildatum, --version, the program's name ---------------------------------------------------

@pytest.mark.parametrize("typed", ["03-11-2025", "3-11-2025", "03/11/2025", "2025-11-03", " 03-11-2025 "])
def test_the_peildatum_is_taken_as_the_workbook_teaches_it(folders, typed):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx")
    result = run(input_dir, output_dir, peildatum=typed)
    assert result.exit_code == 0, result.output
    assert "Peildatum: 3 november 2025." in result.output


@pytest.mark.parametrize("typed, problem", [("20251103", "is geen datum"), ("31-02-2025", "bestaat niet als datum"),
                                            ("2025-13-01", "bestaat niet als datum"), ("3 nov 2025", "is geen datum"),
                                            ("11/03/25", "is geen datum")])
def test_a_peildatum_that_is_no_date_is_refused_with_a_dutch_hint(folders, capsys, typed, problem):
    input_dir, output_dir = folders
    assert main(["run", "--input", str(input_dir), "--output", str(output_dir), "--peildatum", typed]) == 2
    err = capsys.readouterr().err
    assert f"'{typed}' {problem}" in err and "dd-mm-jjjj, bijvoorbeeld" in err and "03-11-2025" in err
    assert not output_dir.exists()


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"Poortwachter-pipeline versie {__version__}"


def test_help_names_the_command_as_it_was_started():
    shown = subprocess.run([sys.executable, "-m", "pipeline", "run", "--help"], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert shown.returncode == 0 and shown.stdout.startswith("Gebruik: python -m pipeline run [OPTIES]")
    assert "--peildatum DD-MM-JJJJ" in shown.stdout
    # The installed command (its entry point) says 'poortwachter'; test_platform runs the real one.
    installed = subprocess.run([sys.executable, "-c", "import sys; sys.argv[0] = 'poortwachter'; "
                                "from pipeline.cli import entry_point; entry_point()", "run", "--help"],
                               cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert installed.stdout.startswith("Gebruik: poortwachter run [OPTIES]")


# --- the summary ------------------------------------------------------------------------------------

def test_the_summary_names_the_peildatum_and_every_file_that_needs_attention(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "A-1"})
    write_case(input_dir / "b-fout.xlsx", {"Dossiernummer": "B-1", "Eerste ziektedag": "gisteren"})
    write_case(input_dir / "c-zonder-visie.xlsx", {"Dossiernummer": "C-1", "Visie werkgever": None})
    (input_dir / "d-notities.txt").write_text("boodschappen")
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "Peildatum: 1 maart 2025." in lines
    assert "4 bestanden verwerkt: 1 ok, 1 met waarschuwingen, 1 met fouten, 1 overgeslagen." in lines
    assert "Met fouten (geen nieuwe documenten; de fouten staan hierboven): b-fout.xlsx." in lines
    assert any(line.startswith("Met waarschuwingen") and line.endswith(": c-zonder-visie.xlsx.") for line in lines)
    assert "d-notities.txt: dit is geen case-werkmap (.xlsx) en wordt overgeslagen." in lines
    assert "a-goed.xlsx" not in result.output  # nothing to do there


def test_force_says_what_it_did(folders):
    input_dir, output_dir = folders
    for i in range(3):
        write_case(input_dir / f"case-{i}.xlsx", {"Dossiernummer": f"F-{i}"})
    assert run(input_dir, output_dir).exit_code == 0
    unchanged = run(input_dir, output_dir)
    assert "3 dossiers ongewijzigd sinds de vorige run, dus niet opnieuw gemaakt." in unchanged.output
    write_case(input_dir / "case-0.xlsx", {"Dossiernummer": "F-0", "Functie": "Teamleider"})
    forced = run(input_dir, output_dir, "--force")
    assert "--force: 3 dossiers opnieuw gemaakt; 2 daarvan precies gelijk aan wat er al stond, dus niet " \
           "herschreven." in forced.output
    assert "ongewijzigd" not in forced.output


# --- workbooks that are no case (yet) --------------------------------------------------------------

def test_an_untouched_new_case_workbook_is_not_filled_in_yet(folders):
    input_dir, output_dir = folders
    made = subprocess.run([sys.executable, "-m", "pipeline", "new-case", str(input_dir / "DOS-2026-100 Jansen.xlsx")],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    write_case(input_dir / "b-goed.xlsx", {"Dossiernummer": "B-1"})
    result = run(input_dir, output_dir)
    assert result.exit_code == 0, result.output
    assert "DOS-2026-100 Jansen.xlsx: deze werkmap is nog niet ingevuld en wordt overgeslagen." \
           in result.output
    assert "FOUT" not in result.output and "verplicht" not in result.output
    row = rows(output_dir / "batchrapport.xlsx")["DOS-2026-100 Jansen.xlsx"]
    assert row[2] == "overgeslagen" and "nog niet ingevuld" in row[MESSAGES]
    assert (output_dir / "B-1" / "plan-van-aanpak.docx").is_file()


@pytest.mark.parametrize("name, kind", [("oud.xls", "een oud Excel-bestand (.xls)"),
                                        ("macro.xlsm", "een Excel-werkmap met macro's (.xlsm)")])
def test_an_xls_or_xlsm_is_skipped_with_how_to_save_it_as_xlsx(folders, name, kind):
    input_dir, output_dir = folders
    write_case(input_dir / name)  # a workbook by content, by name not one
    result = run(input_dir, output_dir)
    assert result.exit_code == 0
    message = rows(output_dir / "batchrapport.xlsx")[name][MESSAGES]
    assert f"dit is {kind}" in message and "geen case-werkmap" in message
    assert "Bestand > Opslaan als" in message and "Excel-werkmap (*.xlsx)" in message
    assert f"{name}: dit is {kind}" in result.output


# --- Excel and Word open beside the batch ----------------------------------------------------------

def test_a_workbook_open_in_excel_gets_a_note_that_its_last_saved_version_was_used(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    (input_dir / "~$a.xlsx").write_bytes(b"Excel's owner file")
    write_case(input_dir / "b.xlsx", {"Dossiernummer": "B-1"})
    for _ in range(2):  # made, then reused: the note is about now, both times
        result = run(input_dir, output_dir)
        assert result.exit_code == 0
        found = rows(output_dir / "batchrapport.xlsx")
        assert set(found) == {"a.xlsx", "b.xlsx"}
        assert found["a.xlsx"][2] == "ok"
        assert "deze werkmap is geopend in Excel" in found["a.xlsx"][MESSAGES]
        assert "de laatst opgeslagen versie is gebruikt" in found["a.xlsx"][MESSAGES]
        assert "geopend in Excel" not in (found["b.xlsx"][MESSAGES] or "")


def _refuse_replacing(monkeypatch, name: str) -> None:
    """Replacing `name` fails as on Windows while Excel has it open ('Access is denied')."""
    original = os.replace

    def replace(source, target):
        if Path(target).name == name:
            raise PermissionError(errno.EACCES, "Access is denied", str(target))
        return original(source, target)
    monkeypatch.setattr(output.os, "replace", replace)


def test_a_report_open_in_excel_is_written_beside_it_and_the_batch_finishes(folders, monkeypatch):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    assert run(input_dir, output_dir).exit_code == 0
    before = (output_dir / "batchrapport.xlsx").read_bytes()
    write_case(input_dir / "b.xlsx", {"Dossiernummer": "B-1"})
    _refuse_replacing(monkeypatch, "batchrapport.xlsx")
    result = run(input_dir, output_dir)
    assert result.exit_code == 0, result.output
    assert "2 bestanden verwerkt" in result.output  # the summary is there
    assert f"Het batchrapport '{output_dir / 'batchrapport.xlsx'}' kon niet worden vervangen: staat het open in " \
           "Excel, sluit het dan." in result.output
    assert f"Batchrapport: {output_dir / 'batchrapport (2).xlsx'}" in result.output
    assert set(rows(output_dir / "batchrapport (2).xlsx")) == {"a.xlsx", "b.xlsx"}
    assert (output_dir / "batchrapport.xlsx").read_bytes() == before  # the open one is left alone
    assert "Access is denied" not in result.output and "onvoldoende rechten" not in result.output
    assert (output_dir / "B-1" / "plan-van-aanpak.docx").is_file()


def test_a_report_path_that_cannot_be_written_still_gives_a_report_and_a_summary(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    (output_dir / "batchrapport.xlsx").mkdir(parents=True)  # something that is no file has its name
    (output_dir / "batchrapport (2).xlsx").mkdir()
    result = run(input_dir, output_dir)
    assert result.exit_code == 0, result.output
    assert "1 bestand verwerkt: 1 ok" in result.output
    assert "kon niet worden vervangen (dit is een map, geen bestand): staat het open in Excel, sluit het dan" \
           in result.output
    assert set(rows(output_dir / "batchrapport (3).xlsx")) == {"a.xlsx"}


def test_a_case_folder_with_a_document_open_in_word_names_it_and_keeps_its_old_content(folders, monkeypatch):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    write_case(input_dir / "b.xlsx", {"Dossiernummer": "B-1"})
    assert run(input_dir, output_dir).exit_code == 0
    folder = output_dir / "A-1"
    (folder / "~$an-van-aanpak.docx").write_bytes(b"Word's owner file")  # plan-van-aanpak.docx is open
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1", "Functie": "Teamleider"})  # so it is made again
    write_case(input_dir / "b.xlsx", {"Dossiernummer": "B-1", "Functie": "Teamleider"})
    original = os.rename

    def rename(source, target):  # Windows refuses to move a folder holding an open document
        if Path(source) == folder:
            raise PermissionError(errno.EACCES, "Access is denied", str(source))
        return original(source, target)
    monkeypatch.setattr(output.os, "rename", rename)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    message = rows(output_dir / "batchrapport.xlsx")["a.xlsx"][MESSAGES]
    assert "de dossiermap 'A-1' kan niet worden vervangen: 'plan-van-aanpak.docx' is geopend, bijvoorbeeld in " \
           "Word. Sluit dat document en start de batch opnieuw" in message
    assert "'plan-van-aanpak.docx' is geopend" in result.output
    assert "Access is denied" not in result.output + message
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # the old content, whole
    assert not [p.name for p in output_dir.iterdir() if ".nieuw-" in p.name or ".oud-" in p.name]
    assert rows(output_dir / "batchrapport.xlsx")["b.xlsx"][2] == "ok"  # the neighbour is made


def test_a_case_folder_in_use_without_a_known_document_says_to_close_it(folders, monkeypatch):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    assert run(input_dir, output_dir).exit_code == 0
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1", "Functie": "Teamleider"})
    original = os.rename

    def rename(source, target):
        if Path(source) == output_dir / "A-1":
            raise PermissionError(errno.EACCES, "Access is denied", str(source))
        return original(source, target)
    monkeypatch.setattr(output.os, "rename", rename)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert "de dossiermap 'A-1' kan niet worden vervangen: een bestand erin is geopend (bijvoorbeeld in Word of " \
           "een PDF-lezer)" in result.output
    assert "vorige documenten van dit dossier staan" in result.output


def test_word_and_excel_owner_file_names():
    assert "~$an-van-aanpak.docx" in output.owner_file_names("plan-van-aanpak.docx")  # Word, a long name
    assert "~$a.xlsx" in output.owner_file_names("a.xlsx")  # Excel: the whole name


# --- a command that answers at once ---------------------------------------------------------------

HEAVY = ("openpyxl", "docxtpl", "docx", "PIL", "babel", "jinja2", "schema", "pipeline.intake.validate",
         "pipeline.documents.render")
IMPORTED = ("import sys\nfrom pipeline.cli import main\ncode = main(sys.argv[1:])\n"
            f"print('ZWAAR:' + ','.join(n for n in {HEAVY!r} if n in sys.modules))\nsys.exit(code)\n")


def _imported(*args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout.rsplit("ZWAAR:", 1)[1].strip()


def test_an_unchanged_rerun_loads_no_reader_renderer_or_formatter(folders, examples):
    _, output_dir = folders
    args = ["run", "--input", str(examples), "--output", str(output_dir), "--templates", str(TEMPLATES),
            "--peildatum", PEILDATUM, "--workers", "1"]  # the examples: ok, warnings, deadlines ahead
    code, first = _imported(*args)
    assert code == 0 and "docxtpl" in first and "openpyxl" in first  # the test can see them
    code, again = _imported(*args)
    assert code == 0 and again == ""
    assert _imported("--version") == (0, "")


def test_help_does_not_load_the_batch():
    done = subprocess.run([sys.executable, "-c", "import sys\nfrom pipeline.cli import main\nmain(['run', '--help'])"
                           "\nprint('BATCH' if 'pipeline.batch' in sys.modules else 'GEEN')"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("GEEN")


def test_dates_in_words_are_babels():
    """dutch.date_long writes month names itself (no babel on a rerun); babel's are the reference."""
    from babel.dates import format_date

    from pipeline import dutch

    for month in range(1, 13):
        day = date(2025, month, 3 + month)
        assert dutch.date_long(day) == format_date(day, "d MMMM y", locale="nl_NL")
        later, end = date(2025 + month // 12, month % 12 + 1, 1), date(2025, month, 28)
        first = format_date(day, "d MMMM" if later.year == day.year else "d MMMM y", locale="nl_NL")
        assert dutch.period(day, later) == f"{first} – {format_date(later, 'd MMMM y', locale='nl_NL')}"
        assert dutch.period(day, end) == f"{day.day}–{format_date(end, 'd MMMM y', locale='nl_NL')}"


def test_report_column_letters_are_openpyxls():
    from openpyxl.utils import get_column_letter

    from pipeline.batch.xlsx import column_letter

    assert [column_letter(n) for n in range(1, 2000)] == [get_column_letter(n) for n in range(1, 2000)]
