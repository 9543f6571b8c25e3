"""The WIA bundle: index, present/missing logic, zip, manifest, PDF, and the planning report."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
from docx import Document

from pipeline import model as m
from pipeline.bundle import index as b
from pipeline.cli import main
from pipeline.model import Calendar

from .conftest import PEILDATUM, TEMPLATES, VALID_BSN, write_case
from .test_batch import run

FULL = "DOS-2025-014"


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    """The shipped examples through the batch at the reference date."""
    from .conftest import EXAMPLES
    folder = tmp_path_factory.mktemp("bundel")
    examples = folder / "voorbeelden"
    shutil.copytree(EXAMPLES, examples)
    result = run(examples, folder / "out", peildatum=PEILDATUM)
    assert result.exit_code == 0, result.output
    return examples, folder / "out"


def statuses(entries) -> dict[str, str]:
    return {e.title: e.status for e in entries}


def test_full_example_bundle_is_complete_with_the_supplied_files_in_order(full_run):
    examples, out = full_run
    with zipfile.ZipFile(out / FULL / f"{FULL}-wia-bundel.zip") as archive:
        names = archive.namelist()
        # UWV's order; the signed scans of the plan, the last bijstelling and the eerstejaarsevaluatie
        # take the generated documents' places; every report by its date; never the controlelijst.
        assert names == [
            "00-wia-bundel.docx", "01-probleemanalyse.pdf", "02-plan-van-aanpak.pdf", "03-bijstelling-2025-11-18.docx",
            "04-bijstelling-2026-01-07.docx", "05-bijstelling-2026-02-18.pdf", "06-eerstejaarsevaluatie.pdf",
            "07-actueel-oordeel.pdf", "08-eindevaluatie.docx", "09-oordeel-werknemer.pdf", "10-trajectplan.docx",
            "11-voortgangsrapportage-2026-06-10.pdf", "12-voortgangsrapportage-2026-09-09.pdf",
            "13-voortgangsrapportage-2026-11-04.docx", "14-sollicitatieoverzicht.docx"]
        supplied = examples / "bijlagen" / FULL / "probleemanalyse.pdf"
        assert archive.read("01-probleemanalyse.pdf") == supplied.read_bytes()
        signed = examples / "bijlagen" / FULL / "plan-van-aanpak-ondertekend.pdf"
        assert archive.read("02-plan-van-aanpak.pdf") == signed.read_bytes()
        assert archive.read("08-eindevaluatie.docx") == (out / FULL / "eindevaluatie.docx").read_bytes()
        assert archive.read("13-voortgangsrapportage-2026-11-04.docx") == (
            out / FULL / "voortgangsrapportage-2026-11-04.docx").read_bytes()
    # The generated documents stay in the case folder beside their signed copies.
    assert {"plan-van-aanpak.docx", "bijstelling-2026-02-18.docx", "controlelijst.docx"} <= {
        p.name for p in (out / FULL).iterdir()}
    index = Document(out / FULL / "wia-bundel.docx")
    text = "\n".join(p.text for p in index.paragraphs)
    assert "De bundel is compleet." in text
    assert "de werknemer stuurt zijn of haar medische informatie zelf rechtstreeks naar UWV" in text
    rows = [[c.text for c in r.cells] for r in index.tables[1].rows]
    assert rows[1] == ["1", "Probleemanalyse", "aanwezig", "9 april 2025", "dr. M. de Boer, bedrijfsarts", "",
                       "01-probleemanalyse.pdf"]
    assert all(r[2] == "aanwezig" for r in rows[1:])
    assert rows[2][1:3] == ["Plan van aanpak (ondertekend)", "aanwezig"]
    cover = dict((r.cells[0].text, r.cells[1].text) for r in index.tables[0].rows)
    assert cover["BSN"] == "123456782" and cover["Stand per"] == "23 november 2026 (week 90)"


def test_manifest_lists_every_file_with_its_hash_and_no_bsn(full_run):
    examples, out = full_run
    text = (out / FULL / "manifest.json").read_text(encoding="utf-8")
    data = json.loads(text)
    files = sorted(p.name for p in (out / FULL).iterdir() if p.name != "manifest.json")
    assert sorted(data["bestanden"]) == files
    for name, digest in data["bestanden"].items():
        assert hashlib.sha256((out / FULL / name).read_bytes()).hexdigest() == digest
    source = next(examples.glob(f"{FULL}*.xlsx"))
    assert data["werkmap"]["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    template = TEMPLATES / "wia-bundel.docx"
    assert data["sjablonen"]["wia-bundel.docx"] == hashlib.sha256(template.read_bytes()).hexdigest()
    assert len(data["bijlagen"]) == 8 and data["peildatum"] == "2026-11-23"
    assert VALID_BSN not in text


def test_planning_sheet_lists_upcoming_deadlines_by_date(full_run):
    _, out = full_run
    workbook = openpyxl.load_workbook(out / "batchrapport.xlsx")
    sheet = workbook["Termijnen"]
    header = [c.value for c in sheet[1]]
    assert header == ["Datum", "Week", "Dossiernummer", "Werknemer", "Casemanager", "Termijn", "Regel",
                      "Dagen tot termijn", "WIA-aanvraag", "Bestand"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:J")
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    days = [r["Datum"] for r in rows]
    assert days == sorted(days)
    early = [r for r in rows if r["Dossiernummer"] == "DOS-2026-031"]
    assert (early[0]["Datum"].date(), early[0]["Week"], early[0]["Termijn"], early[0]["Regel"]) == (
        date(2026, 11, 25), 12, "Afspraak: Vervolgconsult bedrijfsarts over de belastbaarheid (dr. A. Hoekstra)",
        "afspraak")
    assert ("Evaluatie plan van aanpak (elke 6 weken)", 17) in [(r["Termijn"], r["Week"]) for r in early]
    assert ("Ziekmelding bij UWV (uiterlijk de eerste werkdag na week 42)", 43) in [(r["Termijn"], r["Week"])
                                                                                   for r in early]
    # Each row says whose case it is, and where its WIA application stands.
    assert {(r["Werknemer"], r["Casemanager"], r["WIA-aanvraag"]) for r in early} == {
        ("Mohamed El Amrani", "Jeroen Visser", "uiterlijk 04-06-2028")}
    running = [r for r in rows if r["Dossiernummer"] == "DOS-2026-007"]
    assert ("Rapportage gepland: voortgangsrapportage", "tweede-spoor") in [(r["Termijn"], r["Regel"])
                                                                            for r in running]
    wia = next(r for r in running if r["Regel"] == "wia-aanvraag")
    assert wia["Termijn"] == "WIA-aanvraag met het re-integratieverslag (uiterlijk week 91)"
    assert {r["Werknemer"] for r in running} == {"Bas Hendriks"}
    assert cell_texts(workbook).isdisjoint({VALID_BSN, "111222333", "012345672"})
    overview = {r[1]: r for r in workbook["Overzicht"].iter_rows(min_row=2, values_only=True)}
    assert overview["DOS-2026-031"][5] == datetime(2026, 11, 25)  # a date cell, to sort on
    assert overview["DOS-2026-031"][7] == ("week 12: Afspraak: Vervolgconsult bedrijfsarts over de belastbaarheid "
                                           "(dr. A. Hoekstra)")
    findings = list(workbook["Meldingen"].iter_rows(min_row=1, max_row=1, values_only=True))[0]
    assert findings[:6] == ("Bestand", "Dossiernummer", "Ernst", "Regel", "Week", "Datum")


def test_the_bundles_own_deadline_names_the_case_too():
    from pipeline.batch.report import Report
    from pipeline.results import CaseResult, Deadline, Status

    report = Report(date(2026, 1, 1))
    report.add(CaseResult("a.xlsx", Status.OK, "A", deadlines=(
        Deadline("wia-bundel", "WIA-bundel compleet", 91, date(2026, 6, 1)),
        Deadline("einde-wachttijd", "Einde wachttijd", 104, date(2026, 9, 1), "Anna de Wit", "Carla Case",
                 "ingediend 01-05-2026"))))
    sheet = openpyxl.load_workbook(BytesIO(report.content()))["Termijnen"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[3], r[4], r[8]) for r in rows] == [("Anna de Wit", "Carla Case", "ingediend 01-05-2026")] * 2


def cell_texts(workbook) -> set[str]:
    return {str(v) for s in workbook.worksheets for r in s.iter_rows(values_only=True) for v in r if v is not None}


def test_whole_output_is_byte_identical_on_a_second_run(full_run, tmp_path):
    examples, out = full_run
    again = tmp_path / "again"
    assert run(examples, again, peildatum=PEILDATUM).exit_code == 0
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_unchanged_rerun_writes_nothing_new(full_run):
    examples, out = full_run
    before = {p: p.stat().st_mtime_ns for p in (out / FULL).iterdir()}
    assert run(examples, out, peildatum=PEILDATUM).exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in (out / FULL).iterdir()} == before


# --- present / missing logic -------------------------------------------------------------------

FIRST = date(2025, 1, 6)


def bare_case(**changes) -> m.Case:
    return replace(m.Case(
        dossiernummer="B", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
        plan_van_aanpak_date=FIRST + timedelta(weeks=6), goal="Terug", spoor=m.Spoor.EEN,
        people=(m.Person(m.Rol.WERKGEVER, "Piet"), m.Person(m.Rol.WERKNEMER, "Anna"),
                m.Person(m.Rol.CASEMANAGER, "Carla"))), **changes)


def test_early_case_has_elements_not_yet_due_with_their_week():
    index = b.assemble(bare_case(), ("plan-van-aanpak.docx",), FIRST + timedelta(weeks=10))
    assert statuses(index.entries) == {
        "Probleemanalyse": b.TO_SUPPLY, "Plan van aanpak": b.PRESENT, "Eerstejaarsevaluatie": b.NOT_YET,
        "Actueel oordeel": b.NOT_YET, "Eindevaluatie": b.NOT_YET, "Oordeel werknemer": b.NOT_YET,
        "Trajectplan": b.NOT_YET, "Sollicitatieoverzicht": b.NOT_YET}
    eje = next(e for e in index.entries if e.title == "Eerstejaarsevaluatie")
    assert eje.note == "uiterlijk week 52: 4 januari 2026" and eje.supplier == "werkgever"
    assert "Probleemanalyse" in [e.title for e in index.outstanding]


def test_after_week_91_what_is_not_there_is_missing():
    day = Calendar(FIRST).end_of_week(91) + timedelta(days=1)
    index = b.assemble(bare_case(actueel_oordeel_date=FIRST + timedelta(weeks=88)), ("plan-van-aanpak.docx",), day)
    oordeel = next(e for e in index.entries if e.title == "Actueel oordeel")
    assert oordeel.status == b.MISSING and oordeel.supplier == "bedrijfsarts"
    assert oordeel.day == date(2026, 9, 14)
    assert oordeel.note == ""  # the index states facts; that it is late is the controlelijst's


def test_employee_opinion_inside_the_eindevaluatie_counts_as_present():
    final = m.Eindevaluatie(date=FIRST + timedelta(weeks=88), outcome=m.Outcome.NIEUW_WERK, course="c", result="r",
                            employee_opinion="Tevreden.")
    index = b.assemble(bare_case(eindevaluatie=final), ("plan-van-aanpak.docx", "eindevaluatie.docx"),
                       FIRST + timedelta(weeks=89))
    opinion = next(e for e in index.entries if e.title == "Oordeel werknemer")
    assert opinion.status == b.PRESENT and opinion.note == "opgenomen in de eindevaluatie"


def test_back_at_own_employer_needs_no_tweede_spoor_reports():
    final = m.Eindevaluatie(outcome=m.Outcome.EIGEN_WERK)
    index = b.assemble(bare_case(eindevaluatie=final), ("plan-van-aanpak.docx",), FIRST + timedelta(weeks=70))
    assert statuses(index.entries)["Trajectplan"] == b.NOT_APPLICABLE
    assert "Trajectplan" not in [e.title for e in index.outstanding]


def test_files_uwv_does_not_take_are_left_out_with_a_finding(folders):
    input_dir, output_dir = folders
    (input_dir / "bijlagen").mkdir()
    (input_dir / "bijlagen" / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (input_dir / "bijlagen" / "groot.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    (input_dir / "bijlagen" / "pa.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    write_case(input_dir / "case.xlsx", tables={"Bundel": [
        ["Document", "Bestand", "Datum", "Opgesteld door"],
        ["probleemanalyse", "bijlagen/pa.pdf", "05-02-2025", "dr. X, bedrijfsarts"],
        ["overig", "bijlagen/scan.png", None, None],
        ["overig", "bijlagen/groot.pdf", None, None]]})
    assert run(input_dir, output_dir).exit_code == 0
    with zipfile.ZipFile(output_dir / "T-001" / "T-001-wia-bundel.zip") as archive:
        assert archive.namelist() == ["00-wia-bundel.docx", "01-probleemanalyse.pdf", "02-plan-van-aanpak.docx"]
    workbook = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    rows = [r for r in workbook["Meldingen"].iter_rows(min_row=2, values_only=True) if r[3] == "bundel-bestand"]
    assert [(r[7], r[8]) for r in rows] == [(3, "Bestand"), (4, "Bestand")]
    assert "alleen pdf, docx en jpg" in rows[0][9] and "tot 10 MB" in rows[1][9]


# --- PDF ---------------------------------------------------------------------------------------

def test_pdf_without_libreoffice_is_a_clear_usage_error(monkeypatch, folders, capsys):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx")
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["run", "--input", str(input_dir), "--output", str(output_dir), "--pdf"]) == 2
    assert "Voor --pdf is LibreOffice nodig" in capsys.readouterr().err
    assert not (output_dir / "T-001").exists()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed (.ci/run installs it)")
def test_pdf_versions_go_in_the_zip_and_are_deterministic(folders, tmp_path):
    input_dir, output_dir = folders
    write_case(input_dir / "case.xlsx")
    assert run(input_dir, output_dir, "--pdf").exit_code == 0
    folder = output_dir / "T-001"
    assert {"plan-van-aanpak.pdf", "wia-bundel.pdf", "plan-van-aanpak.docx"} <= {p.name for p in folder.iterdir()}
    assert (folder / "plan-van-aanpak.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(folder / "T-001-wia-bundel.zip") as archive:
        assert archive.namelist() == ["00-wia-bundel.pdf", "01-plan-van-aanpak.pdf"]
    again = tmp_path / "again"
    assert run(input_dir, again, "--pdf").exit_code == 0
    assert (again / "T-001" / "T-001-wia-bundel.zip").read_bytes() == (folder / "T-001-wia-bundel.zip").read_bytes()


OFFICE = pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                            reason="LibreOffice is not installed (.ci/run installs it)")


def _documents() -> dict[str, bytes]:
    document = Document()
    document.add_paragraph("Plan van aanpak, proefdocument.")
    buffer = BytesIO()
    document.save(buffer)
    return {"een.docx": buffer.getvalue(), "twee.docx": buffer.getvalue()}


@OFFICE
def test_one_libreoffice_is_kept_per_process_and_restarted_after_a_time_out():
    from pipeline.bundle import pdf
    pdf._drop_kept_office()
    if os.name != "posix" or pdf._uno_python(pdf.office()) is None:
        pytest.skip("LibreOffice's uno module is missing (python3-uno): each case starts LibreOffice itself")
    first = pdf.convert(_documents())
    kept = pdf._Owner.here().kept
    assert kept is not None and kept.process.poll() is None  # still running for the next case
    assert pdf.convert(_documents()) == first and pdf._Owner.here().kept is kept  # the same one, same bytes
    with pytest.raises(pdf.ConversionError, match="niet klaar en is gestopt"):
        pdf.convert(_documents(), timeout=0.001)
    assert kept.process.poll() is not None and pdf._Owner.here().kept is None  # stopped, LibreOffice with it
    assert pdf.convert(_documents()) == first  # a new one starts for the next case
    again = pdf._Owner.here().kept
    assert again is not None and again is not kept
    os.killpg(again.process.pid, signal.SIGKILL)  # LibreOffice dies between cases
    with pytest.raises(pdf.ConversionError, match="stopte onverwacht"):
        pdf.convert(_documents())
    assert pdf.convert(_documents()) == first
    pdf._drop_kept_office()


@OFFICE
def test_without_uno_each_case_starts_libreoffice_itself(monkeypatch):
    from pipeline.bundle import pdf
    pdf._drop_kept_office()
    monkeypatch.setattr(pdf, "_uno_python", lambda program: None)
    converted = pdf.convert(_documents())
    assert sorted(converted) == ["een.pdf", "twee.pdf"] and converted["een.pdf"].startswith(b"%PDF")
    assert pdf._Owner.here().kept_tried and pdf._Owner.here().kept is None
    pdf._drop_kept_office()
