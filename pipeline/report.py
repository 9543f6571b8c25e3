"""Report stage: `output/batchrapport.xlsx`, one row per input file and one per finding.

The report is read by casemanagers in Excel: Dutch headers, frozen header row, autofilter,
no BSN (every message is already redacted), and every text cell stored as text, so a file
name or message that starts with '=' can never run as a formula.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable

from . import dutch
from .output import write_atomic
from .privacy import redact
from .results import CaseResult
from .xlsx import Sheet, workbook

REPORT_NAME = "batchrapport.xlsx"


def _table(name: str, headers: list[str], widths: list[int], rows: Iterable[list[object]],
           wrap: bool = True) -> Sheet:
    """A sheet with a frozen header row and an autofilter; every text redacted (no BSN)."""
    sheet = Sheet(name, headers, widths, wrap)
    for row in rows:
        sheet.append(redact(value) if isinstance(value, str) else value for value in row)
    return sheet


def build_report(results: tuple[CaseResult, ...], peildatum: date) -> bytes:
    overview = _table(
        "Overzicht",
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
    findings = _table(
        "Meldingen",
        ["Bestand", "Dossiernummer", "Ernst", "Regel", "Week", "Datum", "Sheet", "Rij", "Kolom of veld", "Melding"],
        [30, 16, 13, 22, 7, 12, 16, 6, 22, 90],
        [
            [r.file, r.dossiernummer or "", f.severity.value, f.rule, f.week, f.day, f.sheet or "", f.row,
             f.column or f.label or "", f.message]
            for r in results for f in r.findings
        ],
        wrap=False,
    )
    upcoming = sorted(((d, r) for r in results for d in r.deadlines),
                      key=lambda pair: (pair[0].day, pair[1].dossiernummer or "", pair[0].rule))
    deadlines = _table(
        "Termijnen",
        ["Datum", "Week", "Dossiernummer", "Termijn", "Dagen tot termijn", "Bestand"],
        [12, 7, 18, 90, 10, 34],
        [[d.day, d.week, r.dossiernummer or "", d.what, (d.day - peildatum).days, r.file] for d, r in upcoming],
        wrap=False,
    )
    return workbook([overview, findings, deadlines], f"Batchrapport {dutch.datum(peildatum)}",
                    "Poortwachter-pipeline", peildatum)


def write_report(output: Path, results: tuple[CaseResult, ...], peildatum: date) -> Path:
    path = output / REPORT_NAME
    write_atomic(path, build_report(results, peildatum))
    return path
