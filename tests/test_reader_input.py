"""The reader reads what was typed, and nothing in a workbook crashes it (issue 11).

Each scenario is built in code, goes through a whole batch next to a good workbook, and checks
the Dutch message a casemanager gets, that the good case was still made and the report written.
"""

from __future__ import annotations

import re
import time
import tracemalloc
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import InputError, Severity
from pipeline.intake import contract
from pipeline.intake import reader as reader
from pipeline.intake.reader import dossiernummer_of, read_workbook
from pipeline.intake.validate import validate
from pipeline.intake.values import parse_text

from .conftest import write_case
from .test_batch import MESSAGES, report_rows, run

# --- helpers: workbooks as other programs (and Excel itself) store them ------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
INLINE = re.compile(r'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: [^>]*)?>(.*?)</t></is></c>', re.S)


def rewrite(path: Path, change) -> Path:
    """Rewrite the zip at `path`: change(entries: dict[name, bytes]) edits it in place."""
    with zipfile.ZipFile(path) as source:
        entries = {i.filename: source.read(i) for i in source.infolist()}
    change(entries)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return path


def sheet_part(entries: dict[str, bytes], title: str) -> str:
    """The zip part of the sheet named `title`."""
    workbook = entries["xl/workbook.xml"].decode()
    rid = re.search(rf'name="{re.escape(title)}"[^>]*r:id="(rId[0-9]+)"', workbook).group(1)
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*/>', rels).group(0)
    return "xl/" + re.search(r'Target="/?(?:xl/)?([^"]+)"', target).group(1)


def with_shared_strings(entries: dict[str, bytes], extra: int = 0) -> None:
    """Store every text as Excel does: in the shared string table (openpyxl writes inline text),
    the stored form unchanged; `extra` unused strings at the end of the table."""
    table: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = table.setdefault(match.group(3), len(table))
        return f'<c r="{match.group(1)}"{match.group(2)} t="s"><v>{index}</v></c>'

    for name in [n for n in entries if n.startswith("xl/worksheets/")]:
        entries[name] = INLINE.sub(shared, entries[name].decode()).encode()
    items = "".join(f"<si><t xml:space=\"preserve\">{text}</t></si>" for text in table)
    items += "".join(f"<si><t>ongebruikt {i}</t></si>" for i in range(extra))
    count = len(table) + extra
    table_xml = f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">{items}</sst>'
    entries["xl/sharedStrings.xml"] = table_xml.encode()
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    entries["xl/_rels/workbook.xml.rels"] = rels.replace("</Relationships>", (
        '<Relationship Id="rIdSst" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>")).encode()
    types = entries["[Content_Types].xml"].decode()
    entries["[Content_Types].xml"] = types.replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')).encode()


def findings_of(path: Path):
    """(all findings, errors as text) of one workbook."""
    try:
        return validate(read_workbook(path)).findings, []
    except InputError as err:
        return err.findings, [str(f) for f in err.findings if f.severity is Severity.ERROR]


def batch_next_to_a_good_case(input_dir: Path, output_dir: Path, peildatum: str = "2025-03-01"):
    """Run the batch with a good workbook beside the scenario; check the good case was made and
    the report written; return the report's rows by file name and the command's result."""
    write_case(input_dir / "0-goed.xlsx", {"Dossiernummer": "GOED-1"})
    result = run(input_dir, output_dir, peildatum=peildatum)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert (output_dir / "GOED-1" / "plan-van-aanpak.docx").is_file()
    assert (output_dir / "batchrapport.xlsx").is_file()
    return {row[0]: row for row in report_rows(output_dir)}, result


def all_findings(output_dir: Path, file: str) -> list[str]:
    """Every finding of one file on the report's Meldingen sheet, as 'ernst: melding'."""
    return [f"{row[2]}: {row[9]}" for row in report_rows(output_dir, "Meldingen") if row[0] == file]


def document_text(path: Path) -> str:
    document = Document(path)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# --- near-miss headers and sheet names -----------------------------------------------------------

def test_a_header_with_an_extra_op_is_read_and_the_deadline_shows(folders):
    """'Uiterlijk op' used to be an unknown column: every deadline read 'doorlopend'."""
    input_dir, output_dir = folders
    write_case(input_dir / "uiterlijk-op.xlsx", {"Dossiernummer": "OP-1"}, tables={
        "Afspraken": [["Afspraak", "Wie", "Uiterlijk op", "Status"],
                      ["Opbouw uren", "Anna", date(2025, 3, 15), "open"]]})
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert result.exit_code == 0
    assert rows["uiterlijk-op.xlsx"][2] == "ok"
    assert ("opmerking: kolom 'Uiterlijk op' gelezen als 'Uiterlijk'. Klopt dat niet, geef de kolom dan een "
            "andere naam") in all_findings(output_dir, "uiterlijk-op.xlsx")
    text = document_text(output_dir / "OP-1" / "plan-van-aanpak.docx")
    assert "15 maart 2025" in text and "doorlopend" not in text


@pytest.mark.parametrize("header, label", [
    ("Uiterlijk (dd-mm-jjjj)", "Uiterlijk"), ("Uiterljk", "Uiterlijk"), ("UITERLIJK:", "Uiterlijk"),
    ("Wiie", "Wie"), ("Afsrpaak", "Afspraak"), ("Afgesproken", "Afgesproken op"), ("Status *", "Status")])
def test_near_misses_of_a_header_are_read_with_a_note(tmp_path, header, label):
    headers = [header if h == label else h for h in ["Afspraak", "Wie", "Uiterlijk", "Status", "Afgesproken op"]]
    path = write_case(tmp_path / "near.xlsx", tables={"Afspraken": [
        headers, ["Opbouw", "Anna", date(2025, 3, 15), "gedaan", date(2025, 2, 19)]]})
    findings, errors = findings_of(path)
    assert errors == []
    assert any(f.severity is Severity.NOTE and f.message.startswith(f"kolom '{header}' gelezen als '{label}'")
               for f in findings)
    agreement = validate(read_workbook(path)).case.agreements[0]
    assert (agreement.what, agreement.who, agreement.due, agreement.agreed_on) == \
           ("Opbouw", "Anna", date(2025, 3, 15), date(2025, 2, 19))


def test_a_misspelt_required_header_in_a_table_with_rows_never_stops_the_batch(folders):
    """'Dattum' in a sheet with two rows or more used to crash the whole batch."""
    input_dir, output_dir = folders
    evaluations = [[date(2025, 3, 1), "periodiek", "Eerste"], [date(2025, 4, 12), "periodiek", "Tweede"]]
    write_case(input_dir / "dattum.xlsx", {"Dossiernummer": "DAT-1"},
               tables={"Evaluaties": [["Dattum", "Soort", "Verslag"], *evaluations]})
    write_case(input_dir / "geen-datum.xlsx", {"Dossiernummer": "DAT-2"},
               tables={"Evaluaties": [["Moment", "Soort", "Verslag"], *evaluations]})
    rows, result = batch_next_to_a_good_case(input_dir, output_dir, peildatum="2025-05-01")
    assert result.exit_code == 1
    assert rows["dattum.xlsx"][2] in ("ok", "waarschuwingen")
    assert "opmerking: kolom 'Dattum' gelezen als 'Datum'. Klopt dat niet, geef de kolom dan een andere naam" \
        in all_findings(output_dir, "dattum.xlsx")
    assert (output_dir / "DAT-1" / "plan-van-aanpak.docx").is_file()
    messages = rows["geen-datum.xlsx"][MESSAGES]
    assert rows["geen-datum.xlsx"][2] == "fouten"
    assert ("geen-datum.xlsx, sheet Evaluaties, rij 1, kolom Datum: de verplichte kolom 'Datum' ontbreekt in de "
            "kopregel (rij 1)") in messages
    for row in (2, 3):
        assert (f"geen-datum.xlsx, sheet Evaluaties, rij {row}, kolom Datum: 'Datum' is verplicht, maar de kolom "
                "'Datum' ontbreekt in de kopregel (rij 1)") in messages
    assert not (output_dir / "DAT-2").exists()


def test_a_name_as_near_to_two_labels_is_an_error_naming_both(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "visie.xlsx", {"Dossiernummer": "VIS-1"}, tables={"Bijstellingen": [
        ["Datum", "Wijziging", "Visie werkgemer"], [date(2025, 3, 1), "Minder uren", "Akkoord"]]})
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert result.exit_code == 1
    assert ("visie.xlsx, sheet Bijstellingen, rij 1, kolom Visie werkgemer: kolom 'Visie werkgemer' lijkt zowel op "
            "'Visie werkgever' als op 'Visie werknemer' en wordt niet gelezen; geef de kolom de naam die u bedoelt: "
            "'Visie werkgever' of 'Visie werknemer'") in rows["visie.xlsx"][MESSAGES]


def test_a_near_miss_of_a_label_in_the_dossier_is_read_and_found_for_duplicates(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": None, "Dosiernummer": "SAMEN-1"})
    write_case(input_dir / "b.xlsx", {"Dossiernummer": "SAMEN-1"})
    assert dossiernummer_of(input_dir / "a.xlsx") == "SAMEN-1"
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert "veld Dosiernummer: veld 'Dosiernummer' gelezen als 'Dossiernummer'" in rows["a.xlsx"][MESSAGES]
    assert "dossiernummer 'SAMEN-1' staat ook in b.xlsx" in rows["a.xlsx"][MESSAGES]
    assert rows["b.xlsx"][2] == "fouten" and not (output_dir / "SAMEN-1").exists()


def test_near_miss_sheet_names_and_a_missing_sheet_pointing_at_the_one_there(folders):
    input_dir, output_dir = folders
    afspraken = [["Afspraak", "Wie"], ["Opbouw", "Anna"]]
    write_case(input_dir / "afsprakn.xlsx", {"Dossiernummer": "SH-1"},
               tables={"Afspraken": None, "Afsprakn": afspraken})
    write_case(input_dir / "afspraakjes.xlsx", {"Dossiernummer": "SH-2"},
               tables={"Afspraken": None, "Afspraakjes": afspraken})
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert "opmerking: sheet 'Afsprakn' gelezen als 'Afspraken'. Klopt dat niet, geef de sheet dan een andere naam" \
        in all_findings(output_dir, "afsprakn.xlsx")
    assert (output_dir / "SH-1" / "plan-van-aanpak.docx").is_file()
    assert ("afspraakjes.xlsx: de verplichte sheet 'Afspraken' ontbreekt. Bedoelt u de sheet 'Afspraakjes'? Geef die "
            "dan de naam 'Afspraken'") in rows["afspraakjes.xlsx"][MESSAGES]


def test_a_near_miss_of_a_column_already_there_is_ignored_with_a_warning(tmp_path):
    path = write_case(tmp_path / "twee.xlsx", tables={"Afspraken": [
        ["Afspraak", "Wie", "Uiterlijk", "Uiterljk"], ["Opbouw", "Anna", date(2025, 3, 15), "gisteren"]]})
    findings, errors = findings_of(path)
    assert errors == []
    assert [f.message for f in findings if f.severity is Severity.WARNING] == [
        "kolom 'Uiterljk' wordt genegeerd: die lijkt op 'Uiterlijk', maar 'Uiterlijk' staat er al. Haal een van "
        "beide weg of geef die kolom een andere naam"]


@pytest.mark.parametrize("sheet, header", [
    ("Adviezen", "Vanaf"),  # a label of Werkhervatting: no 'Van' with a word added
    ("Eindevaluatie", "Datum besluit tweede spoor"),  # a Dossier label, no 'Datum' with words added
    ("Dossier", "Datum"),  # a label of several sheets, no 'Datum ...' of the Dossier
])
def test_a_label_of_another_sheet_is_never_a_near_miss(sheet, header):
    spec = next(s for s in contract.SHEETS if s.name == sheet)
    assert reader._place([header], reader._FIELD_NAMES[spec.key])[0].fit is reader._Fit.UNKNOWN


def test_a_name_the_contract_uses_elsewhere_is_no_near_miss():
    """'Hersteld' would be 'Hersteld op' without its last word; were it a label of another sheet,
    it would stay that label."""
    assert reader._Names.of(["Hersteld op"], ["Hersteld op"]).near("Hersteld") == ["hersteldop"]
    assert reader._Names.of(["Hersteld op"], ["Hersteld op", "Hersteld"]).near("Hersteld") == []


def _near_pairs(names: list[str]) -> list[tuple[str, str]]:
    """Pairs (a, b) of `names` where a, typed where b is expected, would be read as b by the
    near-miss rule alone (no other name of the contract guarding it)."""
    pairs = []
    for a in names:
        others = reader._Names.of([n for n in names if n != a], [])
        pairs += [(a, others.own[k]) for k in others.near(a)]
    return pairs


def test_no_label_of_a_sheet_is_a_near_miss_of_another_and_exact_names_always_win():
    """Every label of the contract, version 2 included: 'Datum besluit tweede spoor' is never
    'Reden uitstel tweede spoor', nor 'Visie werkgever' 'Visie werknemer', nor 'Datum' 'Datum ...'."""
    for spec in contract.SHEETS:
        labels = [f.label for f in spec.fields]
        assert _near_pairs(labels) == [], spec.name
        placed = reader._place(labels, reader._FIELD_NAMES[spec.key])
        assert [p.fit for p in placed] == [reader._Fit.EXACT] * len(labels), spec.name
    sheets = [s.name for s in contract.SHEETS]
    assert _near_pairs(sheets + list(contract.HELPER_SHEETS)) == []
    assert {p.fit for p in reader._place(sheets, reader._SHEET_NAMES)} == {reader._Fit.EXACT}


# --- Excel's escapes -------------------------------------------------------------------------------

@pytest.mark.parametrize("shared", [False, True], ids=["inline", "gedeeld"])
def test_text_typed_as_an_escape_reads_as_typed(folders, shared):
    """A user who types '_x0041_' gets it stored as '_x005F_x0041_': it is decoded once, by the
    reader, so the document shows what was typed (and never 'A')."""
    input_dir, output_dir = folders
    path = write_case(input_dir / "escape.xlsx", {"Dossiernummer": "ESC-1",
                                                   "Re-integratiedoel": "Terug naar _x005F_x0041_ en _x005F_x005F_"})
    if shared:
        rewrite(path, with_shared_strings)
        assert b"_x005F_x0041_" in zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    assert parse_text("_x0041_") == "_x0041_"
    assert validate(read_workbook(path)).case.goal == "Terug naar _x0041_ en _x005F_"
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert rows["escape.xlsx"][2] == "ok"
    assert "Terug naar _x0041_ en _x005F_" in document_text(output_dir / "ESC-1" / "plan-van-aanpak.docx")


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "gedeeld"])
@pytest.mark.parametrize("stored, code, kind", [
    ("_x0007_", "0007", "een onzichtbaar stuurteken"), ("_x0000_", "0000", "een onzichtbaar stuurteken"),
    ("_xD800_", "D800", "een teken dat niet bestaat"), ("_xFFFE_", "FFFE", "een teken dat niet bestaat")])
def test_a_character_no_document_can_hold_is_an_error_at_the_cell(folders, shared, stored, code, kind):
    input_dir, output_dir = folders
    path = write_case(input_dir / "teken.xlsx", {"Dossiernummer": "TEK-1"}, tables={
        "Afspraken": [["Afspraak", "Wie", f"Status{stored}"], [f"Opbouw{stored} uren", "Anna", "open"]]})
    if shared:
        rewrite(path, with_shared_strings)
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert result.exit_code == 1 and not (output_dir / "TEK-1").exists()
    assert (f"teken.xlsx, sheet Afspraken, rij 2, kolom Afspraak: de tekst bevat {kind} (U+{code}) na 'Opbouw', dat "
            "niet in een document kan; verwijder het teken (typ de tekst opnieuw in plaats van hem te plakken)") \
        in rows["teken.xlsx"][MESSAGES]
    # The header with the same character is read without it; the report holds nothing XML cannot.
    report = zipfile.ZipFile(output_dir / "batchrapport.xlsx")
    for name in report.namelist():
        text = report.read(name).decode("utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text), name


# --- the Dossiernummer as the case will use it -------------------------------------------------------

def test_dossiernummers_compare_as_validation_reads_them(folders):
    """A number Excel made a date in one workbook and typed as text in another are the same
    Dossiernummer; so are 2026.0 and '2026'."""
    input_dir, output_dir = folders
    as_date = write_case(input_dir / "a-datum.xlsx", {"Dossiernummer": datetime(2026, 1, 2)})
    write_case(input_dir / "b-tekst.xlsx", {"Dossiernummer": "02-01-2026"})
    as_float = write_case(input_dir / "c-getal.xlsx", {"Dossiernummer": 2026})
    rewrite(as_float, lambda e: e.update({
        name: e[name].replace(b"<v>2026</v>", b"<v>2026.0</v>") for name in e if name.startswith("xl/worksheets/")}))
    write_case(input_dir / "d-tekst.xlsx", {"Dossiernummer": "2026"})
    for path in sorted(input_dir.glob("*.xlsx")):
        assert dossiernummer_of(path) == validate(read_workbook(path)).case.dossiernummer, path.name
    assert dossiernummer_of(as_date) == "02-01-2026" and dossiernummer_of(as_float) == "2026"
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert "dossiernummer '02-01-2026' staat ook in b-tekst.xlsx" in rows["a-datum.xlsx"][MESSAGES]
    assert "dossiernummer '2026' staat ook in d-tekst.xlsx" in rows["c-getal.xlsx"][MESSAGES]
    assert {rows[name][2] for name in ("a-datum.xlsx", "b-tekst.xlsx", "c-getal.xlsx", "d-tekst.xlsx")} == {"fouten"}
    assert not (output_dir / "2026").exists() and not (output_dir / "02-01-2026").exists()


# --- workbooks from other programs ----------------------------------------------------------------

def test_a_strict_open_xml_workbook_gets_one_clear_error(folders):
    input_dir, output_dir = folders
    path = write_case(input_dir / "strict.xlsx", {"Dossiernummer": "STR-1"})

    def strict(entries):
        for name in entries:
            if name.endswith((".xml", ".rels")):
                entries[name] = entries[name].replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main") \
                    .replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                             b"http://purl.oclc.org/ooxml/officeDocument/relationships")
    rewrite(path, strict)
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert rows["strict.xlsx"][MESSAGES] == (
        "fout: strict.xlsx: de werkmap is opgeslagen als 'Strict Open XML-werkmap', een vorm die de pipeline niet "
        "leest. Open haar in Excel, kies Bestand > Opslaan als en als bestandstype 'Excel-werkmap (*.xlsx)'")
    assert dossiernummer_of(path) is None


def test_a_number_format_of_conditional_formatting_does_not_make_a_number_a_date(tmp_path):
    path = write_case(tmp_path / "dxf.xlsx", {"Maandloon": 3150})

    def conditional(entries):
        styles = entries["xl/styles.xml"].decode()
        # The wage cell gets a style with custom format 170 ('#,##0'); a conditional format (dxf)
        # declares its own format 170 as a date, which formats no cell.
        styles = re.sub(r"<numFmts[^>]*>.*?</numFmts>|<numFmts[^>]*/>", "", styles)
        styles = styles.replace("<fonts", '<numFmts count="1"><numFmt numFmtId="170" formatCode="#,##0"/></numFmts>'
                                          "<fonts", 1)
        count = int(re.search(r'<cellXfs count="([0-9]+)"', styles).group(1))
        styles = re.sub(r'<cellXfs count="[0-9]+">', f'<cellXfs count="{count + 1}">', styles)
        styles = styles.replace("</cellXfs>", '<xf numFmtId="170" fontId="0" fillId="0" borderId="0" '
                                              'applyNumberFormat="1" xfId="0"/></cellXfs>')
        dxfs = '<dxfs count="1"><dxf><numFmt numFmtId="170" formatCode="dd-mm-yyyy"/></dxf></dxfs>'
        styles = re.sub(r"<dxfs[^>]*/>|<dxfs[^>]*>.*?</dxfs>", "", styles)
        styles = styles.replace("<tableStyles", dxfs + "<tableStyles") if "<tableStyles" in styles \
            else styles.replace("</styleSheet>", dxfs + "</styleSheet>")
        entries["xl/styles.xml"] = styles.encode()
        part = sheet_part(entries, "Dossier")
        entries[part] = re.sub(rb'(<c r="B[0-9]+")((?: s="[0-9]+")?)( t="n")?><v>3150</v>',
                               rb'\1 s="%d"><v>3150</v>' % count, entries[part])
    rewrite(path, conditional)
    assert b'<v>3150</v>' in zipfile.ZipFile(path).read(sheet_part(
        {n: zipfile.ZipFile(path).read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")}, "Dossier"))
    assert validate(read_workbook(path)).case.monthly_wage == 3150


# --- bounded work --------------------------------------------------------------------------------

def bounded(action, seconds: float = 10.0, megabytes: float = 100.0):
    """Run `action`, asserting it takes less than `seconds` and allocates less than `megabytes`."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = action()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    assert elapsed < seconds and peak < megabytes, (elapsed, peak)
    return result


def merge(entries: dict[str, bytes], title: str, refs: list[str]) -> None:
    part = sheet_part(entries, title)
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    entries[part] = entries[part].replace(b"</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{cells}'
                                                           "</mergeCells>".encode(), 1)


@pytest.mark.parametrize("refs", [["A1:XFD1048576"], ["A2:XFD1048576"], ["B2:BH10001"] * 5000,
                                  [f"A{r}:B{r}" for r in range(2, 12_000)]],
                         ids=["hele-sheet", "vanaf-rij-2", "5000-overlappend", "12000-rijen"])
def test_merged_ranges_cost_no_more_than_a_full_sheet(folders, refs):
    input_dir, output_dir = folders
    path = write_case(input_dir / "samengevoegd.xlsx", {"Dossiernummer": "SAM-1"}, tables={"Afspraken": [
        ["Afspraak", "Wie", "Uiterlijk"], *[[f"Afspraak {i}", "Anna", date(2025, 3, 1)] for i in range(300)]]})
    rewrite(path, lambda e: merge(e, "Afspraken", refs))
    assert path.stat().st_size < 120_000
    findings, errors = bounded(lambda: findings_of(path))
    assert not any("beschadigd" in e for e in errors)
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert rows["samengevoegd.xlsx"][2] in ("ok", "waarschuwingen", "fouten")
    if len(refs) == 5000:
        assert any("samengevoegde celbereiken zijn te groot, te veel of overlappend" in f for f in
                   all_findings(output_dir, "samengevoegd.xlsx"))


def test_shared_strings_are_read_once_and_only_as_far_as_needed(tmp_path, monkeypatch):
    path = rewrite(write_case(tmp_path / "gedeeld.xlsx"), lambda e: with_shared_strings(e, extra=200_000))
    tables = []
    original = reader._SharedStrings.__init__

    def remembered(self, *args):
        original(self, *args)
        tables.append(self)
    monkeypatch.setattr(reader._SharedStrings, "__init__", remembered)
    assert bounded(lambda: dossiernummer_of(path), seconds=1.0) == "T-001"
    case = bounded(lambda: validate(read_workbook(path)).case, seconds=2.0)
    assert case.employee_name == "Anna de Wit"
    # Phase 1 parsed the Dossier sheet's strings only; the full read every string a cell uses, and
    # neither the 200,000 no cell uses.
    used = len(re.findall(rb"<si>", zipfile.ZipFile(path).read("xl/sharedStrings.xml"))) - 200_000
    assert len(tables) == 2 and len(tables[0].items) < 30 and len(tables[1].items) <= used


def test_a_shared_string_table_beyond_the_bounds_is_a_clean_error(folders, monkeypatch):
    input_dir, output_dir = folders
    rewrite(write_case(input_dir / "teveel.xlsx", {"Dossiernummer": "VEEL-1"}), with_shared_strings)
    monkeypatch.setattr(reader, "MAX_SHARED_STRINGS", 10)
    rows, result = batch_next_to_a_good_case(input_dir, output_dir)
    assert rows["teveel.xlsx"][MESSAGES] == (
        "fout: teveel.xlsx: de werkmap bevat meer tekst dan een dossier kan hebben (meer dan 10 verschillende "
        "teksten of 20.000.000 tekens); controleer of dit de juiste werkmap is")
