"""Privacy: a medical term in text for the employer refuses the case, at the cell, with a hint."""

from __future__ import annotations

import shutil
import typing
from dataclasses import fields, is_dataclass, replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from pipeline import model as m
from pipeline.checks.medical import MedicalTerms, check_medical_terms, load_terms, prose_fields, records, sheet_of
from pipeline.cli import cli
from pipeline.documents.sample import sample_case
from pipeline.errors import Severity
from pipeline.intake import contract
from pipeline.intake.reader import read_workbook
from pipeline.intake.validate import validate

from .conftest import TABLES, TEMPLATES, write_case
from .test_batch import run

SHIPPED = load_terms(TEMPLATES)


def terms_found(text: str, terms: MedicalTerms | None = SHIPPED) -> list[tuple[str, str]]:
    assert terms is not None
    return terms.hits(text)


# --- word forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "word", "term"), [
    ("Sinds maart depressie.", "depressie", "depressi"),
    ("Zij is depressief.", "depressief", "depressi"),
    ("Door depressieve klachten minder uren.", "depressieve", "depressi"),
    ("Bekend met een hernia.", "hernia", "hernia"),
    ("Na de burn-out opbouwen.", "burn-out", "burn-out"),
    ("Na de burnout opbouwen.", "burnout", "burn-out"),
    ("Twee keer per week fysiotherapie.", "fysiotherapie", "fysiotherap"),
    ("Afspraak bij de fysiotherapeut.", "fysiotherapeut", "fysiotherap"),
    ("Fysiotherapeutische behandeling loopt.", "Fysiotherapeutische", "fysiotherap"),
    ("Herstel na de rugoperatie.", "rugoperatie", "operatie"),
    ("Twee operaties gehad.", "operaties", "operatie"),
    ("Start GGZ-behandeling.", "GGZ-behandeling", "ggz"),
    ("Last van Long-Covid.", "Long-Covid", "long covid"),
    ("Coeliakie vastgesteld.", "Coeliakie", "coëliakie"),
])
def test_word_forms_of_a_term_are_found(text, word, term):
    assert terms_found(text) == [(word, term)]


def test_a_compound_of_two_terms_names_both():
    assert terms_found("Herstel na de hernia-operatie.") == [("hernia-operatie", "hernia"),
                                                            ("hernia-operatie", "operatie")]


@pytest.mark.parametrize("text", [
    "Niet tillen boven 10 kg.",
    "Maximaal 4 uur per dag, verdeeld over 5 dagen.",
    "Beperkt belastbaar; geen nachtdiensten, geen langdurig staan.",
    "Arbeidstherapeutisch werken op de eigen afdeling, daarna opbouw.",
    "Werkervaringsplek bij de coöperatie; coöperatieve winkel.",
    "Cursus MS Office en een nieuw branchemodel leren.",
    "Door de bezuinigingsoperatie is er geen passend werk.",
    "Cursus medische terminologie (2015)",
])
def test_functional_limits_and_ordinary_words_pass(text):
    assert terms_found(text) == []


def test_the_shipped_sample_case_has_no_medical_terms():
    assert check_medical_terms(sample_case(), SHIPPED) == ()


def test_a_short_term_counts_only_as_a_whole_word():
    terms = MedicalTerms(("ms",))
    assert terms_found("Diagnose MS in 2024.", terms) == [("MS", "ms")]
    assert terms_found("MS-patiënt.", terms) == [("MS-patiënt", "ms")]
    assert terms_found("Omscholing tot medewerker klantcontact, alle mensen blij.", terms) == []


def test_an_exception_keeps_an_ordinary_word_but_not_a_term_beside_it():
    terms = MedicalTerms(("operatie",), ("coöperatie",))
    assert terms_found("Coöperatie en cooperatieve vereniging.", terms) == []
    assert terms_found("Na de rugoperatie werkt zij bij de coöperatie.", terms) == [("rugoperatie", "operatie")]


# --- the term file in every encoding Notepad writes ----------------------------------------------

TERM_FILE = "# Eén term per regel\r\ncoëliakie\r\n!coöperatie\r\n\r\n"


@pytest.mark.parametrize("data", [
    TERM_FILE.encode("utf-8"),
    TERM_FILE.encode("utf-8-sig"),
    b"\xff\xfe" + TERM_FILE.encode("utf-16-le"),
    b"\xfe\xff" + TERM_FILE.encode("utf-16-be"),
    TERM_FILE.encode("cp1252"),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "windows-1252"])
def test_the_term_file_is_read_in_every_notepad_encoding(tmp_path, data):
    (tmp_path / "medische-termen.txt").write_bytes(data)
    assert load_terms(tmp_path) == MedicalTerms(("coëliakie",), ("coöperatie",))


def test_windows_1252_holds_e_diaeresis_as_one_byte():
    assert b"co\xebliakie" in TERM_FILE.encode("cp1252")  # so the test above reads real ANSI


@pytest.mark.parametrize("data", [
    b"hernia\r\n\x81\x8d\r\n",  # neither UTF-8 nor Windows-1252
    "hernia\r\n".encode("utf-16-le"),  # UTF-16 without BOM
    b"\xff\xfe" + b"h\x00\x00\xd8",  # UTF-16 with BOM, broken after it
    b"PK\x03\x04\x14\x00\x06\x00",  # a Word file saved under this name
])
def test_an_undecodable_term_file_refuses_the_case_with_a_dutch_error(tmp_path, data):
    (tmp_path / "medische-termen.txt").write_bytes(data)
    terms = load_terms(tmp_path)
    [finding] = check_medical_terms(sample_case(), terms)
    assert finding.severity is Severity.ERROR and finding.rule == "medisch"
    assert f"de lijst met medische termen {tmp_path / 'medische-termen.txt'} kan niet worden gelezen" in finding.message
    assert "UTF-8" in finding.message


def test_without_a_term_file_the_check_is_skipped_with_a_note(tmp_path):
    [finding] = check_medical_terms(sample_case(), load_terms(tmp_path))
    assert finding.severity is Severity.NOTE and "overgeslagen" in finding.message


# --- which text is checked -----------------------------------------------------------------------

def _case(tmp_path: Path, dossier=None, tables=None, key_value=None) -> m.Case:
    return validate(read_workbook(write_case(tmp_path / "case.xlsx", dossier, tables, key_value=key_value))).case


def test_an_error_names_sheet_row_column_the_term_and_a_functional_wording(tmp_path):
    case = _case(tmp_path, tables={"Afspraken": [*TABLES["Afspraken"],
                                                 ["Gesprek met de psycholoog over de depressie", "Anna", None, None]]})
    [finding] = check_medical_terms(case, SHIPPED)
    assert (finding.severity, finding.rule) == (Severity.ERROR, "medisch")
    assert (finding.file, finding.sheet, finding.row, finding.column) == ("case.xlsx", "Afspraken", 3, "Afspraak")
    assert finding.message.startswith("medische termen 'psycholoog' (bevat 'psycholo'), 'depressie' (bevat 'depressi')")
    assert "dit dossier wordt niet verwerkt" in finding.message
    assert "'niet tillen boven 10 kg', 'maximaal 4 uur per dag'" in finding.message
    assert str(finding).startswith("case.xlsx, sheet Afspraken, rij 3, kolom Afspraak: medische termen")


def test_key_value_fields_are_named_by_their_label(tmp_path):
    case = _case(tmp_path, {"Visie werknemer": "Eerst de hernia laten behandelen."},
                 key_value={"Eindevaluatie": {"Verloop": "Na de operatie vlot opgebouwd."}})
    by_label = {f.label: f for f in check_medical_terms(case, SHIPPED)}
    assert set(by_label) == {"Visie werknemer", "Verloop"}
    assert (by_label["Visie werknemer"].sheet, by_label["Visie werknemer"].row) == ("Dossier", 12)
    assert by_label["Verloop"].sheet == "Eindevaluatie"


def test_every_table_sheets_prose_is_checked(tmp_path):
    case = _case(tmp_path, {"Spoor": "2"}, {
        "Bijstellingen": [["Datum", "Wijziging", "Reden", "Visie werkgever", "Visie werknemer"],
                          [date(2025, 4, 1), "Minder uren", "Nieuwe medicatie", None, None]],
        "Evaluaties": [["Datum", "Soort", "Verslag"], [date(2025, 4, 1), "periodiek", "Fysiotherapie helpt."]],
        "Persoonsprofiel": [["Onderdeel", "Omschrijving"], ["beperking", "Whiplash: geen beeldschermwerk."]],
        "Zoekprofiel": [["Rang", "Functie", "Sector", "Waarom passend"], [1, "Planner", "Zorg", "Past bij de reuma."]],
        "Interventies": [["Fase", "Activiteit", "Resultaat"], ["persoonsgericht", "Intake", "Verwezen naar ggz."]],
    })
    where = {(f.sheet, f.row, f.column) for f in check_medical_terms(case, SHIPPED)}
    assert where == {("Bijstellingen", 2, "Reden"), ("Evaluaties", 2, "Verslag"),
                     ("Persoonsprofiel", 2, "Omschrijving"), ("Zoekprofiel", 2, "Waarom passend"),
                     ("Interventies", 2, "Resultaat")}


def test_names_of_people_organisations_and_jobs_are_not_checked(tmp_path):
    case = _case(tmp_path, {"Werkgever": "Fysiotherapie Centrum Ede", "Functie": "Assistent fysiotherapeut",
                            "Aard van het bedrijf": "Revalidatiezorg"},
                 {"Betrokkenen": [*TABLES["Betrokkenen"], ["bedrijfsarts", "Dr. Hernia", "GGZ Oost", None, None]],
                  "Afspraken": [TABLES["Afspraken"][0], ["Opbouw uren", "Psycholoog Jansen", None, None]]})
    assert check_medical_terms(case, SHIPPED) == ()


def test_every_record_type_of_the_case_is_read_from_a_contract_sheet():
    """The scan walks the case model generically; a record type no sheet fits would go unchecked."""
    hints = typing.get_type_hints(m.Case)
    record_types = []
    for f in fields(m.Case):
        hint = hints[f.name]
        for arg in (*typing.get_args(hint), hint):
            for inner in (*typing.get_args(arg), arg):
                if isinstance(inner, type) and is_dataclass(inner) and "source" in {x.name for x in fields(inner)}:
                    record_types.append(inner)
    assert m.Agreement in record_types and m.Eindevaluatie in record_types
    for record_type in record_types:
        spec = sheet_of(record_type)
        assert spec is not None, f"{record_type.__name__} past bij geen sheet van het contract"
    assert (sheet_of(m.Case), sheet_of(m.Agreement), sheet_of(m.Evaluation), sheet_of(m.Eindevaluatie)) == (
        contract.DOSSIER, contract.AFSPRAKEN, contract.EVALUATIES, contract.EINDEVALUATIE)


def test_each_prose_field_of_each_record_is_checked_on_its_own():
    """Generic: a term put in any one prose field of the sample case gives one error, at that field."""
    case = sample_case()
    checked = 0
    for record, spec in list(records(case)):
        for f in prose_fields(spec):
            with_term = _with(case, record, replace(record, **{f.attr: "Herstel na de hernia."}))
            [finding] = check_medical_terms(with_term, SHIPPED)
            assert (finding.sheet, finding.column or finding.label) == (spec.name, f.label)
            checked += 1
    assert checked >= 20


def _with(case: m.Case, record: object, changed: object) -> m.Case:
    """`case` with `record` replaced by `changed`."""
    if record is case:
        return changed  # type: ignore[return-value]
    for f in fields(case):
        value = getattr(case, f.name)
        if value is record:
            return replace(case, **{f.name: changed})
        if isinstance(value, tuple) and any(item is record for item in value):
            return replace(case, **{f.name: tuple(changed if item is record else item for item in value)})
    raise AssertionError(record)


# --- the batch refuses the case and keeps its earlier output --------------------------------------

def _folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_diagnosis_refuses_the_case_and_keeps_its_earlier_output(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "GOED-1"})
    write_case(input_dir / "b-med.xlsx", {"Dossiernummer": "MED-1"})
    assert run(input_dir, output_dir).exit_code == 0
    earlier = _folder_state(output_dir / "MED-1")
    assert "plan-van-aanpak.docx" in earlier

    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "GOED-1", "Functie": "Planner"})
    write_case(input_dir / "b-med.xlsx", {"Dossiernummer": "MED-1"},
               {"Afspraken": [*TABLES["Afspraken"], ["Uitslag MRI: hernia; afwachten", "Anna de Wit", None, None]]})
    write_case(input_dir / "c-nieuw.xlsx", {"Dossiernummer": "NIEUW-1", "Re-integratiedoel": "Na de burn-out terug."})
    result = run(input_dir, output_dir)

    assert result.exit_code == 1
    assert _folder_state(output_dir / "MED-1") == earlier
    assert not (output_dir / "NIEUW-1").exists()
    assert "Planner" in _document_text(output_dir / "GOED-1" / "plan-van-aanpak.docx")
    report = openpyxl.load_workbook(output_dir / "batchrapport.xlsx")
    status = {row[0]: row[2] for row in report["Overzicht"].iter_rows(min_row=2, values_only=True)}
    assert status == {"a-goed.xlsx": "ok", "b-med.xlsx": "fouten", "c-nieuw.xlsx": "fouten"}
    medical = [row for row in report["Meldingen"].iter_rows(min_row=2, values_only=True) if row[3] == "medisch"]
    assert [(r[0], r[2], r[6], r[7], r[8]) for r in medical] == [
        ("b-med.xlsx", "fout", "Afspraken", 3, "Afspraak"),
        ("c-nieuw.xlsx", "fout", "Dossier", 10, "Re-integratiedoel"),
    ]
    assert medical[0][9].startswith("medische term 'hernia': een diagnose of behandeling hoort niet")
    assert "Fouten in b-med.xlsx\n      fout, sheet Afspraken, rij 3, kolom Afspraak: medische term 'hernia'" \
        in result.output


def test_an_unreadable_term_file_refuses_every_case_and_names_the_file(folders, tmp_path):
    input_dir, output_dir = folders
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    (templates / "medische-termen.txt").write_bytes(b"hernia\r\n\x81\r\n")
    write_case(input_dir / "a.xlsx")
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir),
                                      "--templates", str(templates), "--peildatum", "2025-03-01"])
    assert result.exit_code == 1
    assert not (output_dir / "T-001").exists()
    assert "medische-termen.txt kan niet worden gelezen" in result.output


def _document_text(path: Path) -> str:
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
