"""Report stage: `output/batchrapport.xlsx`, one row per input file and one per finding.

The report is read by casemanagers in Excel: Dutch headers, frozen header row, autofilter,
no BSN (every message is already redacted), and every text cell stored as text, so a file
name or message that starts with '=' can never run as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import dutch
from .archive import build_zip
from .output import write_atomic
from .privacy import redact
from .results import CaseResult

REPORT_NAME = "batchrapport.xlsx"
_HEADER_FILL = PatternFill("solid", fgColor="DCE3EC")
_WRAP = Alignment(wrap_text=True, vertical="top")  # one shared style object: openpyxl hashes each one it meets


_BOLD = Font(bold=True)


def _cells(sheet: Worksheet, values: list[object], header: bool = False, wrap: bool = True) -> list[object]:
    """One row for a write-only sheet. A plain value is written as what it is; a cell object
    only where it is needed: a text that starts with '=' (forced to text, never a formula),
    a date (its format), wrapped text, or the header's style. Tens of thousands of findings
    stay quick to write."""
    row: list[object] = []
    for value in values:
        if isinstance(value, str):
            value = redact(value)
        styled = header or wrap or isinstance(value, date) or (isinstance(value, str) and value.startswith("="))
        if not styled:
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, never a formula, whatever it starts with
        elif isinstance(value, date):
            cell.number_format = "DD-MM-YYYY"
        if wrap or header:
            cell.alignment = _WRAP
        if header:
            cell.font, cell.fill = _BOLD, _HEADER_FILL
        row.append(cell)
    return row


def _table(sheet: Worksheet, headers: list[str], widths: list[int], rows: list[list[object]],
           wrap: bool = True) -> None:
    """A sheet streamed row by row (openpyxl's write-only mode: a batch of thousands of cases
    has tens of thousands of findings), with a frozen header row and an autofilter."""
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(len(rows) + 1, 2)}"
    sheet.append(_cells(sheet, headers, header=True))
    for row in rows:
        sheet.append(_cells(sheet, row, wrap=wrap))


def build_report(results: tuple[CaseResult, ...], peildatum: date) -> bytes:
    workbook = Workbook(write_only=True)
    overview = workbook.create_sheet("Overzicht")
    _table(
        overview,
        ["Bestand", "Dossiernummer", "Status", "Documenten", "Niet gemaakt", "Volgende termijn", "Meldingen"],
        [34, 18, 16, 34, 50, 40, 80],
        [
            [
                r.file,
                r.dossiernummer or "",
                r.status.value,
                "\n".join(r.documents),
                "\n".join(f"{m.title}: {m.reason}" for m in r.missing),
                f"{dutch.datum_kort(r.deadlines[0].day)} (week {r.deadlines[0].week}): {r.deadlines[0].what}"
                if r.deadlines else "",
                "\n".join(f"{f.severity.value}: {f}" for f in r.findings),
            ]
            for r in results
        ],
    )
    findings = workbook.create_sheet("Meldingen")
    _table(
        findings,
        ["Bestand", "Dossiernummer", "Ernst", "Regel", "Week", "Datum", "Sheet", "Rij", "Kolom of veld", "Melding"],
        [30, 16, 13, 22, 7, 12, 16, 6, 22, 90],
        [
            [r.file, r.dossiernummer or "", f.severity.value, f.rule, f.week, f.day, f.sheet or "", f.row,
             f.column or f.label or "", f.message]
            for r in results for f in r.findings
        ],
        wrap=False,
    )
    deadlines = workbook.create_sheet("Termijnen")
    upcoming = sorted(((d, r) for r in results for d in r.deadlines),
                      key=lambda pair: (pair[0].day, pair[1].dossiernummer or "", pair[0].rule))
    _table(
        deadlines,
        ["Datum", "Week", "Dossiernummer", "Termijn", "Dagen tot termijn", "Bestand"],
        [12, 7, 18, 90, 10, 34],
        [[d.day, d.week, r.dossiernummer or "", d.what, (d.day - peildatum).days, r.file] for d, r in upcoming],
        wrap=False,
    )
    workbook.properties.title = f"Batchrapport {dutch.datum(peildatum)}"
    workbook.properties.creator = "Poortwachter-pipeline"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fix_timestamps(buffer.getvalue(), peildatum)


def _fix_timestamps(data: bytes, peildatum: date) -> bytes:
    """openpyxl stamps 'modified' with now; use the peildatum so reruns give the same bytes."""
    stamp = f"{peildatum.isoformat()}T00:00:00Z"
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                              lambda m: m.group(1) + stamp + m.group(3), text)
                content = text.encode("utf-8")
            entries.append((info.filename, content))
    return build_zip(entries)


def write_report(output: Path, results: tuple[CaseResult, ...], peildatum: date) -> Path:
    path = output / REPORT_NAME
    write_atomic(path, build_report(results, peildatum))
    return path
