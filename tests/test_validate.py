"""Reading and validating one workbook: the contract, with Dutch messages that point at the cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from pipeline import model as m
from pipeline.errors import InputError, Severity
from pipeline.intake.reader import read_workbook
from pipeline.intake.validate import validate

from .conftest import TABLES, write_case


def check(path: Path):
    return validate(read_workbook(path))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        check(path)
    return [str(f) for f in caught.value.findings if f.severity is Severity.ERROR]


def test_minimal_case_becomes_a_model(tmp_path):
    result = check(write_case(tmp_path / "ok.xlsx"))
    case = result.case
    assert case.dossiernummer == "T-001"
    assert case.first_sick_day == date(2025, 1, 6)
    assert case.spoor is m.Spoor.EEN
    assert [p.role for p in case.people] == [m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER]
    assert case.agreements[0].status is m.AgreementStatus.OPEN
    assert case.agreements[0].source.row == 2
    assert result.findings == ()


def test_sheet_names_labels_and_headers_match_forgivingly(tmp_path):
    path = write_case(
        tmp_path / "forgiving.xlsx",
        dossier_sheet=" DOSSIER ",
        dossier={"Eerste ziektedag": None, "eerste_ziektedag": "06-01-2025", "Re-integratiedoel": None,
                 "Re-integratie doel": "Terug."},
        tables={"Afspraken": [["WIE", "afspraak", "Uiterlijk", "Status"], ["Anna", "Opbouw", "2025-03-15", "GEDAAN"]]},
    )
    case = check(path).case
    assert case.first_sick_day == date(2025, 1, 6)
    assert case.goal == "Terug."
    assert case.agreements[0].what == "Opbouw" and case.agreements[0].status is m.AgreementStatus.GEDAAN


def test_bad_date_names_file_sheet_row_and_column(tmp_path):
    path = write_case(tmp_path / "bad_date.xlsx", tables={
        "Afspraken": [["Afspraak", "Wie", "Uiterlijk"], ["Opbouw", "Anna", "gisteren"]]})
    assert errors_of(path) == [
        "bad_date.xlsx, sheet Afspraken, rij 2, kolom Uiterlijk: 'gisteren' is geen datum; "
        "gebruik dd-mm-jjjj (bijvoorbeeld 03-11-2025)"]


def test_bad_date_in_dossier_names_the_label_and_row(tmp_path):
    path = write_case(tmp_path / "d.xlsx", dossier={"Eerste ziektedag": "31-02-2025"})
    [message] = errors_of(path)
    assert "sheet Dossier, rij 7, veld Eerste ziektedag" in message
    assert "geen bestaande datum" in message


def test_all_errors_of_a_workbook_are_reported_at_once(tmp_path):
    path = write_case(tmp_path / "many.xlsx", dossier={"BSN": "123456789", "Spoor": "3"}, tables={
        "Afspraken": [["Afspraak", "Wie", "Uiterlijk", "Status"], ["A", None, "x", "klaar"]]})
    messages = errors_of(path)
    assert len(messages) == 5
    assert any("veld BSN" in x and "elfproef" in x for x in messages)
    assert any("veld Spoor" in x and "'3' is geen geldige keuze" in x for x in messages)
    assert any("rij 2, kolom Wie" in x and "verplicht maar leeg" in x for x in messages)
    assert any("kolom Uiterlijk" in x for x in messages)
    assert any("kolom Status" in x and "'klaar'" in x for x in messages)
    assert not any("123456789" in x for x in messages)


def test_missing_required_sheet_with_suggestion(tmp_path):
    path = write_case(tmp_path / "missing.xlsx", tables={"Afspraken": None, "Afspraakjes": TABLES["Afspraken"]})
    messages = errors_of(path)
    assert messages == ["missing.xlsx: de verplichte sheet 'Afspraken' ontbreekt. Bedoelt u de sheet 'Afspraakjes'? "
                        "Geef die dan de naam 'Afspraken'"]


def test_misspelled_header_gets_a_suggestion(tmp_path):
    path = write_case(tmp_path / "typo.xlsx", tables={
        "Afspraken": [["Afspraak", "Door wie", "Uiterlijk"], ["Opbouw", "Anna", None]]})
    assert errors_of(path) == [
        "typo.xlsx, sheet Afspraken, rij 1, kolom Wie: de verplichte kolom 'Wie' ontbreekt in de kopregel (rij 1). "
        "Bedoelt u de kolom 'Door wie'? Geef die dan de kop 'Wie'",
        "typo.xlsx, sheet Afspraken, rij 2, kolom Wie: 'Wie' is verplicht, maar de kolom 'Wie' ontbreekt in de "
        "kopregel (rij 1)"]


def test_extra_columns_and_sheets_are_notes_and_a_near_miss_a_warning(tmp_path):
    path = write_case(tmp_path / "extra.xlsx", tables={
        "Afspraken": [["Afspraak", "Wie", "Opmerking", "Uiterlijke datum"], ["Opbouw", "Anna", "x", "01-03-2025"]],
        "Notities": [["iets"]]})
    findings = check(path).findings
    kinds = {(f.severity, f.sheet, f.column) for f in findings}
    assert (Severity.NOTE, "Afspraken", "Opmerking") in kinds
    assert (Severity.WARNING, "Afspraken", "Uiterlijke datum") in kinds
    assert (Severity.NOTE, "Notities", None) in kinds
    near_miss = next(f for f in findings if f.column == "Uiterlijke datum")
    assert "Bedoelt u 'Uiterlijk'?" in near_miss.message


def test_formula_without_cached_value_is_an_error_not_empty(tmp_path):
    path = write_case(tmp_path / "formula.xlsx", tables={
        "Afspraken": [["Afspraak", "Wie", "Uiterlijk"], ["Opbouw", "=B3", None], ["x", "Anna", None]]})
    messages = errors_of(path)
    assert messages == ["formula.xlsx, sheet Afspraken, rij 2, kolom Wie: formule zonder berekende waarde; "
                        "open de werkmap in Excel en sla haar op, of vul de waarde zelf in"]


def test_formula_with_cached_value_is_read_by_its_value(tmp_path):
    path = write_case(tmp_path / "cached.xlsx")
    # openpyxl never writes cached values, so put one in the sheet XML as Excel would.
    import zipfile
    with zipfile.ZipFile(path) as source:
        entries = {i.filename: source.read(i) for i in source.infolist()}
    names = [n for n in entries if n.startswith("xl/worksheets/sheet")]
    afspraken = sorted(names)[2]
    xml = entries[afspraken].decode()
    assert "Anna de Wit" in xml or "<c r=\"B2\"" in xml
    xml = xml.replace('<c r="B2" t="inlineStr"><is><t>Anna de Wit</t></is></c>',
                      '<c r="B2" t="str"><f>UPPER("anna")</f><v>ANNA</v></c>')
    entries[afspraken] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    assert check(path).case.agreements[0].who == "ANNA"


def test_empty_rows_are_skipped_wherever_they_are(tmp_path):
    path = write_case(tmp_path / "gaps.xlsx", tables={
        "Afspraken": [["Afspraak", "Wie"], [None, None], ["Een", "Anna"], ["  ", None], ["Twee", "Piet"]]})
    case = check(path).case
    assert [(a.what, a.source.row) for a in case.agreements] == [("Een", 3), ("Twee", 5)]


def test_required_roles_and_at_least_one_agreement(tmp_path):
    path = write_case(tmp_path / "roles.xlsx", tables={
        "Betrokkenen": [["Rol", "Naam"], ["werknemer", "Anna"]], "Afspraken": [["Afspraak", "Wie"]]})
    messages = errors_of(path)
    assert any("de rol werkgever, casemanager ontbreekt" in x for x in messages)
    assert any("sheet Afspraken" in x and "geen enkele afspraak" in x for x in messages)


def test_applications_need_the_agreed_number_per_week(tmp_path):
    path = write_case(tmp_path / "sol.xlsx", tables={"Sollicitaties": [
        ["Datum", "Werkgever", "Functie"], ["03-03-2025", "Bakkerij", "Verkoper"]]})
    [message] = errors_of(path)
    assert "veld Sollicitaties per week" in message and "ontbreekt" in message


def test_zoekprofiel_ranks_unique_and_at_most_five(tmp_path):
    rows = [["Rang", "Functie"]] + [[r, f"Functie {r}"] for r in (1, 2, 2, 3, 4, 5)]
    messages = errors_of(write_case(tmp_path / "zp.xlsx", tables={"Zoekprofiel": rows}))
    assert any("top 5" in x for x in messages)
    assert any("rij 4, kolom Rang: rang 2 staat ook al in rij 3" in x for x in messages)


def test_intervention_end_before_start(tmp_path):
    messages = errors_of(write_case(tmp_path / "iv.xlsx", tables={"Interventies": [
        ["Activiteit", "Start", "Einde"], ["Intake", "10-03-2025", "01-03-2025"]]}))
    assert messages == ["iv.xlsx, sheet Interventies, rij 2, kolom Einde: de einddatum 01-03-2025 ligt vóór "
                        "de startdatum 10-03-2025"]


def test_bundle_paths_stay_inside_the_workbook_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "bijlagen").mkdir(parents=True)
    (folder / "bijlagen" / "pa.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "geheim.pdf").write_bytes(b"%PDF-1.4")
    (folder / "link.pdf").symlink_to(tmp_path / "geheim.pdf")
    path = write_case(folder / "b.xlsx", tables={"Bundel": [
        ["Document", "Bestand", "Datum", "Opgesteld door"],
        ["probleemanalyse", "bijlagen/pa.pdf", "05-02-2025", "dr. X, bedrijfsarts"],
        ["actueel oordeel", "../geheim.pdf", None, None],
        ["actueel oordeel", "link.pdf", None, None],
        ["overig", "bijlagen/weg.pdf", None, None],
        ["overig", "bijlagen/medische informatie.pdf", None, None],
    ]})
    messages = errors_of(path)
    assert len(messages) == 4
    assert "rij 3, kolom Bestand: het pad '../geheim.pdf' verwijst buiten de map" in messages[0]
    assert "rij 4, kolom Bestand" in messages[1] and "snelkoppeling" in messages[1]
    assert "rij 5, kolom Bestand: het bestand 'bijlagen/weg.pdf' bestaat niet" in messages[2]
    assert "rij 6: medische informatie hoort niet in de WIA-bundel" in messages[3]


def test_key_value_sheet_with_duplicate_label(tmp_path):
    path = write_case(tmp_path / "dup.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Dossier"].append(["Functie", "Iets anders"])
    wb.save(path)
    [message] = errors_of(path)
    assert "sheet Dossier, rij 14, veld Functie: veld 'Functie' staat twee keer" in message


def test_dates_before_the_first_sick_day_are_errors(tmp_path):
    [message] = errors_of(write_case(tmp_path / "o.xlsx", dossier={"Datum plan van aanpak": "01-12-2024"}))
    assert "veld Datum plan van aanpak: 01-12-2024 ligt vóór de eerste ziektedag (06-01-2025)" in message


def test_excel_error_value_is_reported(tmp_path):
    [message] = errors_of(write_case(tmp_path / "e.xlsx", dossier={"Functie": "#N/A"}))
    assert "veld Functie: de cel bevat de Excel-foutwaarde #N/A" in message
