"""What the batch made of each input file: status, findings, deadlines, documents written or not made.

The types every stage passes on to the report; kept free of heavy imports, so that a rerun that
reuses every case never loads the readers, the checks or the renderers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from .errors import Finding, Severity


@dataclass(frozen=True, slots=True)
class Deadline:
    """An upcoming deadline of one case: what must happen, by which week and date."""

    rule: str
    what: str
    week: int
    day: date
    # Whose case it is, for the planning list (the batch report's Termijnen); never the BSN.
    employee: str = ""
    casemanager: str = ""
    wia_application: str = ""  # where the case's WIA application stands: 'ingediend 03-11-2026', 'uiterlijk ...'


class Status(Enum):
    OK = "ok"
    WARNINGS = "waarschuwingen"
    ERRORS = "fouten"
    SKIPPED = "overgeslagen"


@dataclass(frozen=True, slots=True)
class MissingDocument:
    """A document the case could not get yet, and what the workbook lacks for it."""

    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class CaseResult:
    file: str
    status: Status
    dossiernummer: str | None = None
    findings: tuple[Finding, ...] = ()
    documents: tuple[str, ...] = ()
    missing: tuple[MissingDocument, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    written: bool = field(default=False, compare=False)  # False: output already identical
    reused: bool = field(default=False, compare=False)  # True: nothing it is made from changed, not made again
    # Technical details of an unexpected error (no BSN), for the batch's log file; never in the report.
    log: str = field(default="", compare=False, repr=False)

    @staticmethod
    def status_of(findings: tuple[Finding, ...]) -> Status:
        severities = {f.severity for f in findings}
        if Severity.ERROR in severities:
            return Status.ERRORS
        if Severity.WARNING in severities:
            return Status.WARNINGS
        return Status.OK


@dataclass(frozen=True)
class BatchResult:
    """What became of each file, in name order. Every finding is in the batch report; here only
    the cases with errors keep theirs (for the command line), so that a batch of thousands of
    cases stays flat in memory."""

    results: tuple[CaseResult, ...]
    report: str  # path of the batch report; empty when it could not be written at all
    peildatum: date | None = None  # the day the timeline was checked against
    notes: tuple[str, ...] = ()  # what the user must know about the batch itself (the report written elsewhere)

    def count(self, status: Status) -> int:
        return sum(1 for r in self.results if r.status is status)

    def files(self, status: Status) -> list[str]:
        return [r.file for r in self.results if r.status is status]

    @property
    def exit_code(self) -> int:
        """0 when every case is ok or has warnings only, 1 when any case had errors (or no batch
        report could be written)."""
        return 1 if self.count(Status.ERRORS) or not self.report else 0
