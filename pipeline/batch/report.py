"""Report stage: `output/batchrapport.xlsx`, one row per input file and one per finding.

The report is read by casemanagers in Excel: Dutch headers, frozen header row, autofilter,
no BSN (every message is already redacted), and every text cell stored as text, so a file
name or message that starts with '=' can never run as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from .. import dutch
from ..errors import Finding, OutputError, Severity
from ..files import in_use, printable
from ..privacy import redact
from ..results import CaseResult, Deadline
from .output import remove, write_atomic
from .xlsx import Sheet, workbook

REPORT_NAME = "batchrapport.xlsx"
ALTERNATIVES = 20  # other names tried when the report cannot be replaced: 'batchrapport (2).xlsx' ...
LOG_NAME = "batchfouten.log"  # technical details of unexpected errors, for whoever maintains the pipeline


def _row(sheet: Sheet, values: Iterable[object]) -> None:
    """Every text redacted (no BSN), whatever it quotes."""
    sheet.append(redact(value) if isinstance(value, str) else value for value in values)


# A file's Overzicht row quotes its most serious few findings, shortened to share a few hundred
# characters (one finding alone may use them all), and counts them when there are more: a row
# that prints on a few lines. Every finding, whole, has its own row on Meldingen.
OVERVIEW_FINDINGS = 3
OVERVIEW_CHARACTERS = 600  # of the quoted findings together
_SEVERITIES = tuple(Severity)  # the most serious first
_PLURAL = {Severity.ERROR: "fouten", Severity.WARNING: "waarschuwingen", Severity.NOTE: "opmerkingen"}


def shortened(text: str, limit: int) -> str:
    """`text` on one line and at most `limit` characters: cut after a whole word, with '…'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:(") + "…"


def _summary(findings: tuple[Finding, ...]) -> str:
    """The first findings by severity, each with its place as the console shows it; when there
    are more, how many of each severity first ('1 fout, 5 waarschuwingen') and how many more the
    sheet Meldingen has last."""
    if not findings:
        return ""
    quoted = sorted(findings, key=lambda f: _SEVERITIES.index(f.severity))[:OVERVIEW_FINDINGS]
    limit = OVERVIEW_CHARACTERS // len(quoted)
    lines = [shortened(f"{f.severity.value}: {f}", limit) for f in quoted]
    if len(findings) > OVERVIEW_FINDINGS:
        counts = {s: sum(1 for f in findings if f.severity is s) for s in _SEVERITIES}
        lines.insert(0, ", ".join(f"{n} {s.value if n == 1 else _PLURAL[s]}" for s, n in counts.items() if n))
        lines.append(f"… en nog {len(findings) - OVERVIEW_FINDINGS}: zie Meldingen")
    return "\n".join(lines)


def _what(d: Deadline) -> str:
    """What a deadline is, with its week: 'week 62: Evaluatie plan van aanpak (elke 6 weken)'."""
    return d.what if f"week {d.week}" in d.what else f"week {d.week}: {d.what}"


class Report:
    """The batch report, written as the cases finish (in file-name order): a row per file on
    Overzicht and a row per finding on Meldingen go straight into the compressed sheets, so a
    batch of thousands of cases does not hold every finding until the end. Only the deadlines
    wait: Termijnen lists them by date across all cases."""

    def __init__(self, peildatum: date) -> None:
        self.peildatum = peildatum
        self._overview = Sheet(
            "Overzicht",
            # The next deadline's date, a date cell to sort and filter on; what it is in Termijn.
            ["Bestand", "Dossiernummer", "Status", "Documenten", "Niet gemaakt", "Volgende termijn", "Meldingen",
             "Termijn"],
            [26, 15, 14, 36, 32, 11, 60, 30], wrap=True)
        self._findings = Sheet(
            "Meldingen",
            ["Bestand", "Dossiernummer", "Ernst", "Regel", "Week", "Datum", "Sheet", "Rij", "Kolom of veld", "Melding"],
            [26, 15, 13, 22, 6, 11, 14, 5, 18, 70], wrap=True)
        # (deadline, the deadline that says whose case it is, dossiernummer, file)
        self._deadlines: list[tuple[Deadline, Deadline, str, str]] = []

    def add(self, r: CaseResult) -> None:
        first = min(r.deadlines, key=lambda d: d.day) if r.deadlines else None
        _row(self._overview, [
            r.file,
            r.dossiernummer or "",
            r.status.value,
            "\n".join(r.documents),
            "\n".join(f"{m.title}: {m.reason}" for m in r.missing),
            first.day if first else None,
            _summary(r.findings),
            _what(first) if first else "",
        ])
        for f in r.findings:
            _row(self._findings, [r.file, r.dossiernummer or "", f.severity.value, f.rule, f.week, f.day,
                                  f.sheet or "", f.row, f.column or f.label or "", f.message])
        # Whose case it is: the timeline's deadlines carry it (the bundle's own deadline does not).
        whose = next((d for d in r.deadlines if d.employee), None)
        self._deadlines += [(d, whose or d, r.dossiernummer or "", r.file) for d in r.deadlines]

    def content(self) -> bytes:
        """The finished workbook (nothing can be added after this)."""
        deadlines = Sheet("Termijnen", ["Datum", "Week", "Dossiernummer", "Werknemer", "Casemanager", "Termijn",
                                        "Regel", "Dagen tot termijn", "WIA-aanvraag", "Bestand"],
                          [11, 6, 15, 20, 20, 50, 18, 10, 18, 26], wrap=True)
        for d, whose, number, file in sorted(self._deadlines, key=lambda item: (item[0].day, item[2], item[0].rule)):
            _row(deadlines, [d.day, d.week, number, whose.employee, whose.casemanager, d.what, d.rule,
                             (d.day - self.peildatum).days, whose.wia_application, file])
        return workbook([self._overview, self._findings, deadlines], f"Batchrapport {dutch.date_long(self.peildatum)}",
                        "Poortwachter-pipeline", self.peildatum)

    def write(self, output: Path) -> tuple[Path, str | None]:
        """Write the report as `output/batchrapport.xlsx`: (its path, None). When that file cannot
        be replaced (open in Excel, mostly), the report goes beside it as 'batchrapport (2).xlsx'
        (or the first number that can be written): (that path, what the user must know).
        Raises OutputError only when no name at all can be written (a full disk)."""
        content = self.content()
        usual = output / REPORT_NAME
        try:
            write_atomic(usual, content)
            return usual, None
        except OutputError as err:
            failure = err
        for number in range(2, ALTERNATIVES + 2):
            other = output / f"{Path(REPORT_NAME).stem} ({number}){Path(REPORT_NAME).suffix}"
            try:
                write_atomic(other, content)
            except OutputError:
                continue
            cause = failure.__cause__
            why = ("" if isinstance(cause, OSError) and in_use(cause)
                   else f" ({printable(failure.detail)})")
            return other, (f"Het batchrapport '{printable(str(usual))}' kon niet worden vervangen{why}: staat het "
                           f"open in Excel, sluit het dan. Het rapport van deze batch staat in "
                           f"'{printable(str(other))}'; de volgende batch schrijft weer {REPORT_NAME}.")
        raise failure


def build_report(results: Iterable[CaseResult], peildatum: date) -> bytes:
    report = Report(peildatum)
    for result in results:
        report.add(result)
    return report.content()


def write_log(output: Path, peildatum: date, entries: list[tuple[str, str]]) -> Path | None:
    """The technical details of this batch's unexpected errors, (file, details) each, already
    free of BSN: `output/batchfouten.log`. Without any, an earlier batch's log is removed, so the
    log beside the report is always this batch's; returns None then."""
    path = output / LOG_NAME
    if not entries:
        remove(path)
        return None
    lines = [f"Poortwachter-pipeline: onverwachte fouten in de batch met peildatum {dutch.date_long(peildatum)}.",
             "Stuur dit bestand naar de beheerder van de pipeline. Er staat geen BSN in.", ""]
    for file, details in entries:
        lines += [f"=== {redact(file)} ===", redact(details), ""]
    write_atomic(path, "\n".join(lines).encode("utf-8"))
    return path
