"""The project's one error hierarchy, and the findings it carries.

A `Finding` is one structured message about the input (where, what, how bad); the exceptions
below carry findings or name a template or path. Messages are Dutch and built in `__str__`;
every message passes through `privacy.redact` so no BSN can leave the pipeline in a message.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Self

from .privacy import redact


class Severity(Enum):
    """How bad a finding is; the order decides a case's status in the batch report."""

    ERROR = "fout"
    WARNING = "waarschuwing"
    NOTE = "opmerking"


@dataclass(frozen=True, slots=True)  # one per finding of every case of a batch: kept lean
class Finding:
    """One message about a workbook: which file, sheet, row and column, and what is wrong."""

    severity: Severity
    message: str
    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    label: str | None = None
    rule: str = field(default="", compare=False)
    week: int | None = None  # Poortwachter week the finding concerns, if any
    day: date | None = None  # date the finding concerns, if any

    def __post_init__(self) -> None:
        # Every text of a finding is shown somewhere (console, report, log): a BSN in a file,
        # sheet, column or label name is masked as well as one in the message.
        for name in ("message", "file", "sheet", "column", "label"):
            text = getattr(self, name)
            if text:
                object.__setattr__(self, name, redact(text))

    @property
    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"rij {self.row}")
        if self.column:
            parts.append(f"kolom {self.column}")
        if self.label:
            parts.append(f"veld {self.label}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class PipelineError(Exception):
    """Base of every error the pipeline raises on purpose; the CLI catches only this."""

    exit_code = 1


class InputError(PipelineError):
    """A case workbook cannot be used: unreadable, or invalid. Carries all its findings."""

    def __init__(self, findings: tuple[Finding, ...] | list[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.findings,))  # so a worker process can hand it back whole

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)


class TemplateError(PipelineError):
    """A Word template is missing, broken, or tried something the sandbox forbids."""

    def __init__(self, template: Path | str, detail: str) -> None:
        self.template = str(template)
        self.detail = redact(detail)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.template, self.detail))

    def __str__(self) -> str:
        return f"Sjabloon {self.template}: {self.detail}"


class OutputError(PipelineError):
    """The output folder or a file in it cannot be written."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = str(path)
        self.detail = redact(detail)
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.path, self.detail))

    def __str__(self) -> str:
        return f"Kan niet schrijven naar {self.path}: {self.detail}"


class UsageError(PipelineError):
    """The command was called wrongly (bad option value, missing folder): exit code 2."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        self.message = redact(message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class BatchLocked(PipelineError):
    """Another batch is writing to the same output folder: exit code 2, nothing is touched."""

    exit_code = 2

    def __init__(self, output: Path | str) -> None:
        self.output = str(output)
        super().__init__(str(self))

    def __str__(self) -> str:
        return (f"Er loopt al een batch op de uitvoermap '{self.output}'. Wacht tot die klaar is en start "
                "dan opnieuw; er is niets veranderd.")


class NotARegularFile(PipelineError, OSError):
    """Raised when the batch is about to read a path that is not a regular file (a named pipe,
    socket or device): it is never opened for reading, so it cannot make the batch wait."""

    def __init__(self, path: Path | str) -> None:
        from errno import ENODEV

        self.path = str(path)
        super().__init__(ENODEV, str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.path,))

    def __str__(self) -> str:
        return "dit is geen gewoon bestand (maar bijvoorbeeld een named pipe, socket of apparaat)"


class CaseFolderNotOurs(OutputError):
    """Raised when a case's output folder already exists but the pipeline did not make it (no
    manifest of ours in it), or is the input or templates folder, or a link: it is never replaced."""

    def __str__(self) -> str:
        return self.detail


class CaseFolderInUse(OutputError):
    """Raised when a case's output folder cannot be replaced because something in it is open in
    another program (a document in Word): the message names what to close; the folder keeps its
    old content."""

    def __str__(self) -> str:
        return self.detail


class BatchInterrupted(PipelineError):
    """Raised by the batch when Ctrl-C or a stop signal (SIGTERM) ended it early: every worker and
    LibreOffice it started has stopped, and no file is half-written. Says what was done; the exit
    code is the shell's for that signal (130 for Ctrl-C, 143 for SIGTERM)."""

    def __init__(self, signal_number: int, done: int, total: int, written: int) -> None:
        self.signal_number, self.done, self.total, self.written = signal_number, done, total, written
        self.exit_code = 128 + signal_number
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.signal_number, self.done, self.total, self.written))

    def __str__(self) -> str:
        how = "met Ctrl-C" if self.signal_number == signal.SIGINT else f"door een stopsignaal ({self._name()})"
        if self.done == 0:
            done = "Er was nog geen werkmap klaar"
        else:
            done = f"{self.done} van de {self.total} werkmappen {'was' if self.done == 1 else 'waren'} klaar"
            if self.written:
                done += (f"; {self.written} {'dossiermap is' if self.written == 1 else 'dossiermappen zijn'} "
                         "volledig geschreven")
        return (f"De batch is afgebroken {how}. {done}. De andere werkmappen zijn niet verwerkt: hun eerdere "
                "uitvoer is gebleven zoals ze was, en er is geen half geschreven bestand achtergebleven. Het "
                "batchrapport is niet bijgewerkt. Start de batch opnieuw om hem af te maken; wat al klaar is, wordt "
                "dan niet opnieuw gemaakt.")

    def _name(self) -> str:
        try:
            return signal.Signals(self.signal_number).name
        except ValueError:
            return f"signaal {self.signal_number}"


class UnexpectedError(PipelineError):
    """Raised by the batch when something failed that no case explains (a defect in the pipeline):
    the message says where the technical details were written."""

    def __init__(self, log: Path | str | None) -> None:
        self.log = str(log) if log else None
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[Self], tuple[object, ...]]:
        return (type(self), (self.log,))

    def __str__(self) -> str:
        where = f"de technische details staan in {self.log}" if self.log else "de details konden niet worden bewaard"
        return (f"onverwachte fout in de pipeline; {where}. Stuur die naar de beheerder van de pipeline. "
                "Eerdere uitvoer is gebleven zoals ze was.")
