"""Random mutation: no workbook, however broken or hostile, crashes or hangs the pipeline.

The full example (`input/DOS-2025-014 Bakker.xlsx`, completed with every version 2 sheet and
column) is mutated in five seeded ways: byte flips of the file, truncations, damage inside one
zip member (then zipped again, so the damage reaches the XML parser), well-formed changes of the
sheet XML (cell types, styles, references, values, rows), and hostile values written into every
column of every sheet with openpyxl. Every variant must read to a case or to Dutch findings, in
bounded time, and a batch of all of them must give every file its row in the report.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import time
import zipfile
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import openpyxl
import pytest

from pipeline.batch import Options, run_batch
from pipeline.errors import InputError, Severity
from pipeline.intake import contract
from pipeline.intake.reader import dossiernummer_of, read_workbook
from pipeline.intake.validate import validate
from pipeline.intake.values import normalise_label
from pipeline.results import Status

from .conftest import EXAMPLES, FULL_EXAMPLE, TEMPLATES
from .test_batch import report_rows
from .test_reader_input import with_shared_strings

SEED = 20261126
COUNTS = {"flip": 120, "afgebroken": 30, "onderdeel": 120, "structuur": 150, "waarde": 260}
PEILDATUM = date(2026, 11, 23)
# Bound per workbook for reading and validating (a few ms normally; the bounds make the worst
# case a full sheet, well under a second), and for one case in a batch between two others.
SECONDS_PER_READ = 5.0
SECONDS_PER_CASE = 30.0
NUMBER = "DOS-2025-014"

# What a hostile user or program could put in a cell (control characters as Excel stores them;
# 10**400 as a number openpyxl cannot write: STRUCTURAL puts it in the XML).
HOSTILE = [
    10**20, "1" + "0" * 400, 1e308, -1e308, float("inf"), float("nan"), -5, -1e9, 0, 2958466, 0.5,
    "_x0007_", "a_x0000_b", "_xD800_", "_xDFFF_x_", "_xFFFF_", "_x005F_xD800_", "_x000D__x000A_",
    "\u202eevil\u202c", "\u200f\u200e", "x" * 40_000, "é" * 10_001, "=1+1", "=SUM(A1:A2)", "#N/A", "#DIV/0!",
    datetime(1900, 1, 1), datetime(9999, 12, 31, 23, 59, 59), date(1900, 2, 28), clock(12, 30),
    timedelta(days=-3), True, False, "😀🎉", "👨‍👩‍👧", "", " ", "\t", "\n\n", "../../etc/passwd", "CON",
    "1 en 2", "{{ 7*7 }}", "{% for x in y %}", "ja", "nee", "3.150", "3,150.50", "1e5", "٣", "01-01-0001",
    "31-12-9999", "29-02-2025", "medische informatie", "Datum", "Visie werkgemer", "Uiterlijk op",
]

# Well-formed changes of the sheet XML: (pattern, replacements).
STRUCTURAL = [
    (rb"<v>[^<]*</v>", [b"<v>-1</v>", b"<v>1e308</v>", b"<v>99999999</v>", b"<v>abc</v>", b"<v></v>", b"<v>0</v>",
                        b"<v>2958466</v>", b"<v>-700000</v>", b"<v>1.5</v>", b"<v>NaN</v>", b"<v>4294967296</v>",
                        b"<v>1" + b"0" * 400 + b"</v>", b"<v>1" + b"0" * 5000 + b"</v>", b"<v>1e400</v>"]),
    (rb' t="[a-zA-Z]+"', [b' t="s"', b' t="n"', b' t="b"', b' t="d"', b' t="e"', b' t="str"', b' t="inlineStr"',
                          b' t="x"', b""]),
    (rb' s="[0-9]+"', [b' s="0"', b' s="1"', b' s="5"', b' s="9999"', b' s="-1"', b' s="x"']),
    (rb'<c r="[A-Z]+[0-9]+"', [b'<c r="A1"', b'<c r="XFD1"', b'<c r="ZZ5"', b'<c r="A10002"', b'<c r="A1048576"',
                               b'<c r="1A"', b'<c r=""', b"<c", b'<c r="B1"']),
    (rb'<row r="[0-9]+"', [b'<row r="1"', b'<row r="0"', b'<row r="10002"', b'<row r="99999999"', b"<row",
                           b'<row r="2"']),
    (rb"<c [^>]*>.*?</c>", [b""]),
    (rb"<row [^>]*>.*?</row>", [b"", b"<row/>"]),
    (rb"</sheetData>", [b'</sheetData><mergeCells count="2"><mergeCell ref="A2:XFD1048576"/>'
                        b'<mergeCell ref="nonsense"/></mergeCells>']),
]


def _entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _renumbered(data: bytes, number: str) -> bytes:
    """The workbook with another Dossiernummer (the cell alone, not the attachment paths), so that
    the variants of one batch are no duplicates of each other."""
    entries = _entries(data)
    for name in entries:
        entries[name] = entries[name].replace(f">{NUMBER}<".encode(), f">{number}<".encode())
    return _zipped(entries)


def _completed(path: Path) -> None:
    """The full example with every version 2 sheet and column (empty where the example has no
    value), so that hostile values reach every column of every sheet of the contract."""
    workbook = openpyxl.load_workbook(FULL_EXAMPLE)
    titles = {normalise_label(ws.title): ws for ws in workbook.worksheets}
    start = date(2025, 3, 10)
    rows = {"Verzuimverloop": [start, None], "Adviezen": [date(2025, 5, 1), "bedrijfsarts", "Uren opbouwen",
                                                          date(2025, 5, 20), "In het plan opgenomen"],
            "Afwijkingen": ["tweede-spoor", date(2026, 3, 1), "Eerst scholing afronden", "ja", "ja"],
            "Werkhervatting": [date(2025, 6, 1), 8, "aangepast eigen werk"],
            "Contacten": [date(2026, 3, 10), "re-integratiecoach", "Intake"],
            "Weektoelichting": [date(2026, 7, 20), "Vakantie"]}
    for spec in contract.SHEETS:
        sheet = titles.get(spec.key)
        if sheet is None:
            sheet = workbook.create_sheet(spec.name)
            sheet.append([f.label for f in spec.fields])
            sheet.append(rows[spec.name])
            continue
        if spec.shape is contract.Shape.KEY_VALUE:
            present = {normalise_label(str(c.value)) for c in sheet["A"] if c.value}
            for f in spec.fields:
                if f.key not in present:
                    sheet.append([f.label, None])
        else:
            present = {normalise_label(str(c.value)) for c in sheet[1] if c.value}
            for f in spec.fields:
                if f.key not in present:
                    sheet.cell(row=1, column=sheet.max_column + 1, value=f.label)
    workbook.save(path)


def _targets(workbook: openpyxl.Workbook, rng: random.Random) -> list[tuple[str, int, int]]:
    """The cells hostile values go into: first one data cell of every column of every contract
    sheet (every value of a key/value sheet), then headers, labels, other rows and new rows."""
    keys = {s.key: s for s in contract.SHEETS}
    first, then = [], []
    for sheet in workbook.worksheets:
        spec = keys.get(normalise_label(sheet.title))
        if spec is None:
            continue
        if spec.shape is contract.Shape.KEY_VALUE:
            first += [(sheet.title, row, 2) for row in range(2, sheet.max_row + 1)]
            then += [(sheet.title, row, 1) for row in range(1, sheet.max_row + 2)]
            continue
        for column in range(1, sheet.max_column + 2):
            first.append((sheet.title, 2, column))
            then += [(sheet.title, row, column) for row in (1, sheet.max_row, sheet.max_row + 1)]
    rng.shuffle(first)
    rng.shuffle(then)
    return first + then


def _mutated_member(data: bytes, rng: random.Random) -> bytes:
    entries = _entries(data)
    parts = [n for n in entries if n.endswith((".xml", ".rels"))]
    name = rng.choice(parts + [n for n in parts if "worksheets" in n or "shared" in n] * 3)
    damaged = bytearray(entries[name])
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(damaged) + 1)
        operation = rng.randrange(4)
        if operation == 0 and damaged:
            damaged[min(at, len(damaged) - 1)] = rng.randrange(256)
        elif operation == 1:
            del damaged[at:at + rng.randint(1, 50)]
        elif operation == 2:
            damaged[at:at] = damaged[at:at + rng.randint(1, 80)]
        else:
            damaged[at:at] = rng.choice([b"<", b">", b"&", b'"', b"\xff\xfe", b"_xD800_", b"<row>", b"</c>"])
    entries[name] = bytes(damaged)
    return _zipped(entries)


def _restructured(data: bytes, rng: random.Random) -> bytes:
    entries = _entries(data)
    sheets = [n for n in entries if n.startswith("xl/worksheets/")]
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(sheets + ["xl/styles.xml", "xl/workbook.xml"] * (rng.random() < 0.1))
        pattern, replacements = rng.choice(STRUCTURAL)
        found = list(re.finditer(pattern, entries[name], re.S))
        if found:
            match = rng.choice(found)
            entries[name] = entries[name][:match.start()] + rng.choice(replacements) + entries[name][match.end():]
    return _zipped(entries)


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Path]:
    """kind -> folder of that kind's variants (with the example's attachments beside them)."""
    rng = random.Random(SEED)
    root = tmp_path_factory.mktemp("mutaties")
    shutil.copytree(EXAMPLES / "bijlagen", root / "bijlagen")
    complete = root / "volledig.xlsx"
    _completed(complete)
    assert validate(read_workbook(complete)).case.dossiernummer == NUMBER  # the base case is valid
    inline = complete.read_bytes()
    entries = _entries(inline)
    with_shared_strings(entries)
    shared = _zipped(entries)
    folders = {}
    for kind, count in COUNTS.items():
        folder = folders[kind] = root / kind
        shutil.copytree(EXAMPLES / "bijlagen", folder / "bijlagen")
        if kind == "waarde":
            continue
        for i in range(count):
            base = _renumbered(rng.choice([inline, shared]), f"M{kind[:2].upper()}-{i:04d}")
            if kind == "flip":
                data = bytearray(base)
                for _ in range(rng.randint(1, 8)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
                base = bytes(data)
            elif kind == "afgebroken":
                base = base[:rng.randrange(len(base))]
            elif kind == "onderdeel":
                base = _mutated_member(base, rng)
            else:
                base = _restructured(base, rng)
            (folder / f"{kind}-{i:04d}.xlsx").write_bytes(base)
    workbook = openpyxl.load_workbook(complete)
    targets = _targets(workbook, rng)
    dossier = workbook["Dossier"]
    number_cell = next(row[1] for row in dossier.iter_rows(min_row=2) if row[0].value == "Dossiernummer")
    for i in range(COUNTS["waarde"]):
        title, row, column = targets[i % len(targets)]
        cell = workbook[title].cell(row=row, column=column)
        before = cell.value, cell.number_format  # a date written makes the cell a date cell
        number_cell.value = f"MWA-{i:04d}"
        cell.value = HOSTILE[(i * 7 + i // len(targets)) % len(HOSTILE)]
        workbook.save(folders["waarde"] / f"waarde-{i:04d}.xlsx")
        cell.value, cell.number_format = before
    return folders


CRASH_WORDS = ("Traceback", "Error", "Exception", "NoneType", "object has no attribute")
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> bool:
    return bool(text) and not any(word in text for word in CRASH_WORDS) and not NOT_IN_XML.search(text)


@pytest.mark.parametrize("kind", sorted(COUNTS))
def test_every_variant_reads_to_a_case_or_dutch_findings(variants, kind):
    slowest = 0.0
    outcomes = {"case": 0, "errors": 0}
    for path in sorted(variants[kind].glob("*.xlsx")):
        started = time.perf_counter()
        dossiernummer_of(path)
        try:
            result = validate(read_workbook(path))
            findings = result.findings
            outcomes["case"] += 1
        except InputError as err:
            findings = err.findings
            assert any(f.severity is Severity.ERROR for f in findings), path.name
            outcomes["errors"] += 1
        slowest = max(slowest, time.perf_counter() - started)
        for finding in findings:
            assert finding.file == path.name and _clean(finding.message) and _clean(str(finding)), (path.name, finding)
    assert slowest < SECONDS_PER_READ, (kind, slowest)
    assert sum(outcomes.values()) == COUNTS[kind]
    if kind in ("structuur", "waarde"):  # these mostly keep a readable workbook: both outcomes occur
        assert outcomes["case"] and outcomes["errors"], outcomes


def test_a_batch_of_all_variants_gives_every_file_a_result_and_a_report_row(variants, tmp_path):
    for kind, folder in variants.items():
        output_dir = tmp_path / kind
        finished: list[float] = [time.perf_counter()]
        result = run_batch(Options(folder, output_dir, TEMPLATES, PEILDATUM, workers=2),
                           lambda done, total, name, finished=finished: finished.append(time.perf_counter()))
        gaps = [b - a for a, b in zip(finished, finished[1:])]
        assert len(result.results) == COUNTS[kind] and max(gaps) < SECONDS_PER_CASE, kind
        for case in result.results:
            assert case.status in (Status.OK, Status.WARNINGS, Status.ERRORS), case.file
            for finding in case.findings:
                assert _clean(finding.message), (case.file, finding)
            if case.status is not Status.ERRORS:
                assert (output_dir / case.dossiernummer / "manifest.json").is_file(), case.file
        rows = report_rows(output_dir)
        assert sorted(row[0] for row in rows) == sorted(p.name for p in folder.glob("*.xlsx"))
        assert not any(word in str(row[6]) for row in rows for word in CRASH_WORDS)
