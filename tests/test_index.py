"""The index UWV receives (`wia-bundel.docx`) is honest and only an index; the internal
controlelijst does the RIV-toets beforehand and never goes in the zip; a supplied signed copy
takes the generated document's place in the zip."""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from pipeline import model as m
from pipeline.bundle import index as b

from .conftest import EXAMPLES, write_case
from .test_batch import run

FULL = "DOS-2025-014"
# Week 95 of the minimal test case (first day of sickness 6 January 2025): the bundle was due.
LATE = "2026-11-01"


def text_of(path: Path) -> tuple[str, list[list[list[str]]]]:
    document = Document(path)
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return body, tables


def everything(path: Path) -> str:
    body, tables = text_of(path)
    return body + "\n" + "\n".join(" | ".join(row) for table in tables for row in table)


def index_rows(path: Path) -> list[list[str]]:
    return next(t for t in text_of(path)[1] if t[0][:2] == ["Nr.", "Onderdeel"])


def verdicts(path: Path) -> dict[str, tuple[str, str]]:
    table = next(t for t in text_of(path)[1] if t[0][:2] == ["Onderdeel", "Oordeel"])
    return {row[0]: (row[1], row[2]) for row in table[1:]}


def pdf_bytes(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def late_case(tmp_path_factory) -> Path:
    """The minimal case long after week 91: most of the re-integratieverslag never came."""
    folder = tmp_path_factory.mktemp("laat")
    write_case(folder / "in" / "case.xlsx")
    result = run(folder / "in", folder / "uit", peildatum=LATE)
    assert result.exit_code == 0, result.output
    return folder / "uit" / "T-001"


# --- the index: honest, and only an index ---------------------------------------------------------

def test_the_index_never_says_complete_while_anything_is_missing(late_case):
    body, _ = text_of(late_case / "wia-bundel.docx")
    assert "compleet." not in body.replace("niet compleet.", "")
    assert "De bundel is nog niet compleet. Nog niet in de bundel: probleemanalyse van 5 februari 2025," in body
    rows = index_rows(late_case / "wia-bundel.docx")
    status = {row[1]: (row[2], row[5]) for row in rows[1:]}
    assert status["Eerstejaarsevaluatie"] == ("ontbreekt", "werkgever")
    assert status["Actueel oordeel"] == ("ontbreekt", "bedrijfsarts")
    assert status["Oordeel werknemer"] == ("ontbreekt", "werknemer")
    assert status["Plan van aanpak"] == ("aanwezig", "")


def test_the_index_holds_no_findings_no_todo_lines_and_no_shouting(late_case, tmp_path):
    # Also the full example, whose checks find plenty (applications without proof, weeks short).
    examples = tmp_path / "voorbeelden"
    shutil.copytree(EXAMPLES, examples)
    assert run(examples, tmp_path / "uit", peildatum="2026-11-23").exit_code == 0
    for index in (late_case / "wia-bundel.docx", tmp_path / "uit" / FULL / "wia-bundel.docx"):
        text = everything(index)
        for internal in ("Bevinding", "bevinding", "termijncontrole", "waarschuwing", "noteer", "Bespreek", "voeg",
                         "Vul ", "vul ", "moest", "te laat", "Komende termijnen"):
            assert internal not in text, (index.parent.name, internal)
        shouting = {w for w in re.findall(r"\b[A-Z]{4,}\b", text)} - {"DOS"}
        assert not shouting, (index.parent.name, shouting)


def test_every_report_of_the_reintegratiebedrijf_is_listed_by_its_date_with_its_file(tmp_path):
    examples = tmp_path / "voorbeelden"
    shutil.copytree(EXAMPLES, examples)
    assert run(examples, tmp_path / "uit", peildatum="2026-11-23").exit_code == 0
    rows = index_rows(tmp_path / "uit" / FULL / "wia-bundel.docx")
    reports = [row for row in rows[1:] if row[1] in ("Voortgangsrapportage 1", "Voortgangsrapportage 2",
                                                      "Eindrapportage")]
    assert [(r[1], r[3], r[6]) for r in reports] == [
        ("Voortgangsrapportage 1", "10 juni 2026", "11-voortgangsrapportage-2026-06-10.pdf"),  # supplied
        ("Voortgangsrapportage 2", "9 september 2026", "12-voortgangsrapportage-2026-09-09.pdf"),  # supplied
        ("Eindrapportage", "4 november 2026", "13-voortgangsrapportage-2026-11-04.docx"),  # generated
    ]
    assert all(r[2] == "aanwezig" and r[4] for r in reports)


def _bare(**changes) -> m.Case:
    first = date(2025, 1, 6)
    return replace(m.Case(dossiernummer="B", employee_name="Anna", job_title="X", employer="Y", first_sick_day=first,
                  plan_van_aanpak_date=date(2025, 2, 19), goal="Terug", spoor=m.Spoor.TWEE,
                  tweede_spoor_start=date(2025, 3, 3),
                  people=(m.Person(m.Rol.WERKGEVER, "Piet"), m.Person(m.Rol.WERKNEMER, "Anna"),
                          m.Person(m.Rol.CASEMANAGER, "Carla"), m.Person(m.Rol.COACH, "Cor", "Werkbureau"))),
                   **changes)


def test_an_issued_report_never_supplied_nor_generated_keeps_the_bundle_incomplete():
    reports = (m.ReportMoment(date(2025, 3, 10), "trajectplan", m.ReportStatus.UITGEBRACHT),
               m.ReportMoment(date(2025, 6, 2), "eindrapportage", m.ReportStatus.UITGEBRACHT, "Cor, coach"))
    index = b.assemble(_bare(report_moments=reports), ("plan-van-aanpak.docx",), date(2025, 7, 1))
    report = next(e for e in index.entries if e.title == "Eindrapportage")
    assert (report.status, report.day, report.written_by, report.supplier) == (
        b.TO_SUPPLY, date(2025, 6, 2), "Cor, coach", "re-integratiebedrijf")
    assert report in index.outstanding and not index.complete
    made = b.assemble(_bare(report_moments=reports), ("plan-van-aanpak.docx", "voortgangsrapportage-2025-06-02.docx"),
                      date(2025, 7, 1))
    assert next(e for e in made.entries if e.title == "Eindrapportage").filename == \
        "02-voortgangsrapportage-2025-06-02.docx"


# --- signed copies take the generated document's place ---------------------------------------------

@pytest.fixture(scope="module")
def signed(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("getekend")
    input_dir = folder / "in"
    scans = input_dir / "scans"
    scans.mkdir(parents=True)
    (scans / "pva.pdf").write_bytes(pdf_bytes("plan van aanpak, getekend"))
    (scans / "bijstelling.pdf").write_bytes(pdf_bytes("bijstelling, getekend"))
    write_case(input_dir / "case.xlsx", tables={
        "Bijstellingen": [["Datum", "Wijziging", "Visie werkgever", "Visie werknemer"],
                          ["01-04-2025", "Opbouw langzamer", "Eens.", "Eens."],
                          ["15-05-2025", "Meer uren", "Eens.", "Eens."]],
        "Bundel": [["Document", "Bestand", "Datum", "Opgesteld door", "Ondertekend"],
                   ["plan van aanpak", "scans/pva.pdf", "19-02-2025", "Piet Baas, werkgever", "ja"],
                   ["bijstelling plan van aanpak", "scans/bijstelling.pdf", "15-05-2025", "Piet Baas, werkgever",
                    "ja"]]})
    result = run(input_dir, folder / "uit", peildatum="2025-06-01")
    assert result.exit_code == 0, result.output
    return input_dir, folder / "uit" / "T-001"


def test_a_signed_copy_replaces_the_generated_document_in_the_zip(signed):
    input_dir, out = signed
    with zipfile.ZipFile(out / "T-001-wia-bundel.zip") as archive:
        names = archive.namelist()
        assert names == ["00-wia-bundel.docx", "01-plan-van-aanpak.pdf", "02-bijstelling-2025-04-01.docx",
                         "03-bijstelling-2025-05-15.pdf"]
        assert archive.read("01-plan-van-aanpak.pdf") == (input_dir / "scans" / "pva.pdf").read_bytes()
        assert archive.read("03-bijstelling-2025-05-15.pdf") == (input_dir / "scans" / "bijstelling.pdf").read_bytes()
        assert archive.read("02-bijstelling-2025-04-01.docx") == (out / "bijstelling-2025-04-01.docx").read_bytes()
    # The generated documents stay in the case folder.
    assert {"plan-van-aanpak.docx", "bijstelling-2025-04-01.docx", "bijstelling-2025-05-15.docx"} <= {
        p.name for p in out.iterdir()}
    rows = index_rows(out / "wia-bundel.docx")
    assert rows[2][1:5] == ["Plan van aanpak (ondertekend)", "aanwezig", "19 februari 2025", "Piet Baas, werkgever"]
    assert rows[3][1:3] == ["Bijstelling plan van aanpak", "aanwezig"]
    assert rows[4][1] == "Bijstelling plan van aanpak (ondertekend)"


def test_the_controlelijst_is_never_in_the_zip(signed, late_case):
    for out in (signed[1], late_case):
        assert (out / "controlelijst.docx").is_file()
        with zipfile.ZipFile(out / "T-001-wia-bundel.zip") as archive:
            assert not [n for n in archive.namelist() if "controle" in n]


# --- the controlelijst: the RIV-toets beforehand ------------------------------------------------------

def test_the_controlelijst_names_each_missing_element_with_what_to_do(late_case):
    found = verdicts(late_case / "controlelijst.docx")
    for element in ("e. Probleemanalyse en advies", "g. Eerstejaarsevaluatie", "h. Eindevaluatie en laatste evaluatie",
                    "j. Actueel oordeel (verloop en beperkingen)", "l. Oordeel van de werknemer",
                    "i. Visie op de arbeidsrelatie", "k. Passend werk bij de eigen werkgever"):
        verdict, todo = found[element]
        assert verdict == "ontbreekt", element
        assert todo, element
    assert found["b. Aard van het bedrijf"] == (
        "ontbreekt", "Vul 'Aard van het bedrijf' in op sheet Dossier; UWV wil haar in de eindevaluatie.")
    assert found["e. Probleemanalyse en advies"][1] == (
        "Niet in de bundel (van 5 februari 2025). Vraag de bedrijfsarts om de probleemanalyse en voeg haar toe op "
        "sheet Bundel.")
    assert found["f. Plan van aanpak"][0] == "in orde"
    assert found["Vorm: ondertekend"][0] == "zwak"
    assert "plan van aanpak van 19 februari 2025" in found["Vorm: ondertekend"][1]
    assert found["a. Administratieve gegevens"] == (
        "zwak", "Vul de geboortedatum in op sheet Dossier.")  # the BSN is there: no word about it


def test_the_controlelijst_lists_the_findings_and_deadlines_in_date_order(late_case, tmp_path):
    body, tables = text_of(late_case / "controlelijst.docx")
    assert "Intern werkdocument voor de casemanager: niet voor UWV en niet in de WIA-bundel." in body
    findings = next(t for t in tables if t[0][:2] == ["Datum", "Week"] and "Bevinding" in t[0])
    rules = [row[3] for row in findings[1:]]
    assert {"melding-uwv", "eerstejaarsevaluatie", "wia-bundel"} <= set(rules)
    days = [_day(row[0]) for row in findings[1:] if row[0]]
    assert days == sorted(days) and len(days) >= 3
    melding = next(row for row in findings[1:] if row[3] == "melding-uwv")
    assert melding[2] == "waarschuwing" and melding[4] == "sheet Dossier, veld Datum melding UWV"
    # Deadlines ahead: an early case has them, in date order.
    write_case(tmp_path / "in" / "case.xlsx")
    assert run(tmp_path / "in", tmp_path / "uit", peildatum="2025-03-01").exit_code == 0
    _, early = text_of(tmp_path / "uit" / "T-001" / "controlelijst.docx")
    deadlines = next(t for t in early if t[0] == ["Datum", "Week", "Wat"])
    assert len(deadlines) > 3
    assert [_day(r[0]) for r in deadlines[1:]] == sorted(_day(r[0]) for r in deadlines[1:])
    assert verdicts(tmp_path / "uit" / "T-001" / "controlelijst.docx")["g. Eerstejaarsevaluatie"][0] == \
        "nog niet nodig"


def test_the_controlelijst_carries_no_bsn(late_case):
    document = Document(late_case / "controlelijst.docx")
    header = " ".join(p.text for p in document.sections[0].header.paragraphs)
    assert "BSN" not in header and "123456782" not in everything(late_case / "controlelijst.docx")


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def _day(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), MONTHS.index(month) + 1, int(day))


def test_a_supplied_report_is_matched_by_date_and_an_unmatched_one_listed_by_its_own(tmp_path):
    input_dir = tmp_path / "in"
    (input_dir / "rapporten").mkdir(parents=True)
    (input_dir / "rapporten" / "vgr.pdf").write_bytes(pdf_bytes("voortgang"))
    (input_dir / "rapporten" / "extra.pdf").write_bytes(pdf_bytes("extra"))
    write_case(input_dir / "case.xlsx", dossier={"Start tweede spoor": date(2025, 3, 3), "Spoor": "2"}, tables={
        "Rapportages": [["Datum", "Soort", "Status", "Opgesteld door"],
                        ["10-03-2025", "trajectplan", "uitgebracht", "Cor Coach, loopbaancoach"],
                        ["05-05-2025", "voortgangsrapportage", "uitgebracht", "Cor Coach, loopbaancoach"],
                        ["30-06-2025", "voortgangsrapportage", "gepland", None]],
        "Bundel": [["Document", "Bestand", "Datum", "Opgesteld door", "Ondertekend"],
                   ["voortgangsrapportage", "rapporten/vgr.pdf", "05-05-2025", "Cor Coach, loopbaancoach", "ja"],
                   ["rapportage re-integratiebedrijf", "rapporten/extra.pdf", "20-05-2025", "Cor Coach, coach", None]]})
    assert run(input_dir, tmp_path / "uit", peildatum="2025-07-15").exit_code == 0
    out = tmp_path / "uit" / "T-001"
    rows = index_rows(out / "wia-bundel.docx")
    reports = [(r[1], r[3], r[6]) for r in rows[1:] if "rapportage" in r[1].lower()]
    assert reports == [("Voortgangsrapportage (ondertekend)", "5 mei 2025", "02-voortgangsrapportage-2025-05-05.pdf"),
                       ("Rapportage re-integratiebedrijf", "20 mei 2025",
                        "03-rapportage-re-integratiebedrijf-2025-05-20.pdf")]
    found = verdicts(out / "controlelijst.docx")
    assert found["Rapportages re-integratiebedrijf"][0] == "zwak"
    assert "voortgangsrapportage van 30 juni 2025" in found["Rapportages re-integratiebedrijf"][1]


def test_a_signed_copy_uwv_would_not_take_leaves_the_generated_document_in_its_place(tmp_path):
    input_dir = tmp_path / "in"
    (input_dir / "scans").mkdir(parents=True)
    (input_dir / "scans" / "pva.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_case(input_dir / "case.xlsx", tables={"Bundel": [
        ["Document", "Bestand", "Datum", "Opgesteld door", "Ondertekend"],
        ["plan van aanpak", "scans/pva.png", "19-02-2025", "Piet Baas, werkgever", "ja"]]})
    assert run(input_dir, tmp_path / "uit", peildatum="2025-03-01").exit_code == 0
    out = tmp_path / "uit" / "T-001"
    with zipfile.ZipFile(out / "T-001-wia-bundel.zip") as archive:
        assert archive.namelist() == ["00-wia-bundel.docx", "01-plan-van-aanpak.docx"]
    rows = index_rows(out / "wia-bundel.docx")
    assert [r[1:3] for r in rows[1:] if r[1].startswith("Plan van aanpak")] == [
        ["Plan van aanpak", "aanwezig"],
        ["Plan van aanpak (UWV neemt alleen pdf, docx en jpg aan; 'pva.png' is .png)", "niet opgenomen"]]
    assert verdicts(out / "controlelijst.docx")["Vorm: bestanden die UWV aanneemt"][0] == "zwak"
