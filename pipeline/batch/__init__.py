"""The batch: every workbook in the input folder through read, validate, render and write.

One bad workbook never stops the batch: whatever goes wrong with it (also an unexpected error,
or its worker process dying) becomes its result in the report, and its earlier output stays as
it was. Ctrl-C or SIGTERM stop it within seconds, with every worker and LibreOffice it started,
and leave no half-written file. The core never prints; progress goes to the callback the caller
passes in.

The readers, checks and renderers (openpyxl, docxtpl, Pillow, babel) are imported when a case
needs them: a rerun in which no workbook changed never loads them, and answers at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..bundle import pdf
from ..errors import BatchInterrupted, Finding, OutputError, PipelineError, Severity, UnexpectedError, UsageError
from ..files import input_problem, os_problem, printable, shown_name
from ..results import BatchResult, CaseResult, Status
from . import output, rerun
from .case import _crashed, _details, _duplicate_numbers, _number, _produce_task, template_hashes
from .manifest import sha256_file
from .options import Options as Options
from .report import Report, write_log
from .workers import _in_worker, _Tally, _Workers

if TYPE_CHECKING:
    pass

Progress = Callable[[int, int, str], None]  # (done, total, file name)


def discover(input_dir: Path) -> tuple[list[Path], list[Path]]:
    """(case workbooks, other files) directly in `input_dir`, by name; lock and hidden files skipped."""
    return _split(_entries(input_dir))


def _split(entries: list[Path]) -> tuple[list[Path], list[Path]]:
    cases: list[Path] = []
    others: list[Path] = []
    for path in entries:
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        (cases if path.suffix.lower() == ".xlsx" else others).append(path)
    return cases, others


def _entries(input_dir: Path) -> list[Path]:
    try:
        return sorted(input_dir.iterdir(), key=lambda p: p.name)
    except OSError as err:
        raise UsageError(f"De invoermap '{printable(str(input_dir))}' kan niet worden gelezen: {os_problem(err)}.") \
            from err


def run_batch(options: Options, progress: Progress | None = None) -> BatchResult:
    """Process every file in the input folder; returns what became of each, in name order.
    Raises BatchInterrupted when Ctrl-C or a stop signal ended it early (after stopping every
    worker and LibreOffice it started, and undoing any half-made case folder)."""
    _check_folders(options)
    with output.batch_lock(options.output_dir), _stop_signals():
        state = _State()
        try:
            return _run_locked(options, progress, state)
        except _Stop as stop:
            raise _stopped(options, stop.signal_number, state) from None
        except KeyboardInterrupt:  # Ctrl-C where no handler of ours could be set (not the main thread)
            raise _stopped(options, signal.SIGINT, state) from None
        except PipelineError:
            raise
        except Exception as err:  # a defect no case explains: its details go to the log, not the screen
            raise UnexpectedError(_log_defect(options, err)) from err


@dataclass
class _State:
    """How far the batch got, for the message when it is stopped early."""

    total: int = 0  # workbooks to read
    reused: int = 0  # of those, unchanged since the previous run
    tally: _Tally = field(default_factory=_Tally)  # of those, made


def _run_locked(options: Options, progress: Progress | None, state: _State) -> BatchResult:
    output.repair(options.output_dir)
    entries = _entries(options.input_dir)
    found, others = _split(entries)
    excel_open = {path.name[2:] for path in entries if path.name.startswith("~$")}
    # Files whose result is known without reading them as workbooks: other files, and workbooks
    # that may not or cannot be read (a link out of the input folder, a named pipe, a name that
    # is not text). Each workbook is read once here, in chunks, for its SHA-256.
    settled = {path.name: _not_a_case(path.name) for path in others}
    digests: dict[Path, str] = {}
    for path in found:
        problem = _input_problem(path, options.input_dir)
        if problem is None:
            try:
                digests[path] = sha256_file(path)
            except OSError as err:
                problem = f"het bestand kan niet worden gelezen: {os_problem(err)}"
        if problem is not None:
            settled[path.name] = _refused(path.name, problem)
    cases = [path for path in found if path in digests]
    state.total = len(cases)
    templates = template_hashes(options.templates_dir)
    earlier = {} if options.force else rerun.index(options.output_dir)
    key = _reuse_key(options, templates)
    report = Report(options.peildatum)
    kept: list[CaseResult] = []
    defects: list[tuple[str, str]] = []  # (file, technical details) of unexpected errors, for the log
    with _Workers(options, templates, state.tally) as workers:
        run = workers.run
        # Phase 1, cheap: reuse what did not change; of the rest read only the dossiernummer, so
        # clashing numbers are known before any case is written. Nothing else is kept in memory.
        numbers: dict[Path, str | None] = {}
        reused: dict[str, Path] = {}  # file name -> manifest holding its result
        todo = []
        for path in cases:
            number = rerun.reusable(digests[path], earlier.get(digests[path]), options.input_dir, key)
            if number is not None:
                reused[path.name] = earlier[digests[path]]
                numbers[path] = number
            else:
                todo.append(path)
        numbers.update(zip(todo, run(_number, todo, lambda path: None)))
        duplicates = _duplicate_numbers(numbers)
        # A reused case whose number now clashes with another workbook is processed again.
        again = [p for p in cases if p.name in reused and (numbers[p] or "").casefold() in duplicates]
        for path in again:
            del reused[path.name]
        todo += again
        todo.sort(key=lambda p: p.name)
        state.reused = len(reused)
        # Phase 2: read, validate, render and write each case, in the workers. Results arrive in
        # name order and go into the report at once, between the reused and settled files.
        produced = zip(todo, run(_produce_task, [(p, duplicates, digests[p]) for p in todo], _crashed))
        done = len(cases) - len(todo)
        by_name = {path.name: path for path in cases}
        for name in sorted([*by_name, *settled]):
            if name in settled:
                result = settled[name]
            elif name in reused:
                stored = rerun.earlier_result(reused[name], shown_name(name))
                if stored is None:  # its manifest changed since phase 1: make the case again, here
                    result = _in_worker((_produce_task, (by_name[name], duplicates, digests[by_name[name]])))
                else:
                    result = replace(stored, reused=True)
            else:
                path, result = next(produced)
                done += 1
                if progress:
                    progress(done, len(cases), shown_name(path.name))
            if name in excel_open and name in by_name:
                result = _opened_in_excel(result, name)
            if result.log:
                defects.append((result.file, result.log))
                result = replace(result, log="")
            report.add(result)
            kept.append(result if result.status in _KEEP_FINDINGS else replace(result, findings=()))
    if workers.crashed:  # a worker that died while swapping a case folder left the old one aside
        output.repair(options.output_dir)
    notes: list[str] = []
    try:
        write_log(options.output_dir, options.peildatum, defects)
    except OutputError as err:
        notes.append(f"De technische details van onverwachte fouten konden niet worden bewaard: {printable(str(err))}.")
    try:
        written, problem = report.write(options.output_dir)
    except OutputError as err:
        written, problem = None, (f"Het batchrapport kon niet worden geschreven: {printable(err.detail)}. Staat "
                                  "het open in Excel, sluit het dan en start de batch opnieuw.")
    if problem:
        notes.append(problem)
    return BatchResult(tuple(kept), str(written) if written else "", options.peildatum, tuple(notes))


# Whose findings the result keeps for the command line (every finding is in the report): errors,
# and why a file was skipped (one note each).
_KEEP_FINDINGS = (Status.ERRORS, Status.SKIPPED)


def _opened_in_excel(result: CaseResult, name: str) -> CaseResult:
    """A workbook with Excel's lock file beside it is open in Excel right now: the batch read what
    was last saved, and says so (unsaved changes are not in the documents)."""
    note = Finding(Severity.NOTE, "deze werkmap is geopend in Excel (er staat een vergrendelbestand '~$"
                                  f"{shown_name(name)}' naast); de laatst opgeslagen versie is gebruikt. Wijzigingen "
                                  "die nog niet zijn opgeslagen, staan niet in de documenten: sla op en start de "
                                  "batch opnieuw", file=result.file, rule="bestand")
    return replace(result, findings=result.findings + (note,))


def _input_problem(path: Path, input_dir: Path) -> str | None:
    """Why a workbook is not read at all, or None: a name no message could show, a link out of
    the input folder or to nothing, something that is not a regular file."""
    if _not_text(path.name):
        return ("de bestandsnaam bevat tekens die geen geldige tekst zijn (geen UTF-8); geef het bestand een "
                "nieuwe naam met gewone letters en cijfers")
    return input_problem(path, input_dir)


def _not_text(name: str) -> bool:
    """Whether a name holds bytes that are not UTF-8 (Linux keeps them as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_SAVE_AS = ("Open het in Excel, kies Bestand > Opslaan als, kies als type 'Excel-werkmap (*.xlsx)' en zet dat "
            "bestand in de invoermap")


# Spreadsheets that are no case workbook, but become one when saved as .xlsx: what each is.
_OTHER_SPREADSHEETS = {
    ".xls": "een oud Excel-bestand (.xls)",
    ".xlsm": "een Excel-werkmap met macro's (.xlsm); macro's voeren code uit en worden nooit gelezen",
    ".xlsb": "een binaire Excel-werkmap (.xlsb)",
    ".xltx": "een Excel-sjabloon (.xltx)",
    ".xltm": "een Excel-sjabloon met macro's (.xltm)",
    ".ods": "een OpenDocument-rekenblad (.ods)",
}


def _not_a_case(name: str) -> CaseResult:
    kind = _OTHER_SPREADSHEETS.get(Path(name).suffix.lower())
    if kind:
        message = f"dit is {kind}, geen case-werkmap (.xlsx), en wordt overgeslagen. {_SAVE_AS}"
    else:
        message = "dit is geen case-werkmap (.xlsx) en wordt overgeslagen"
    return CaseResult(shown_name(name), Status.SKIPPED, findings=(Finding(
        Severity.NOTE, message, file=shown_name(name), rule="bestand"),))


def _refused(name: str, problem: str) -> CaseResult:
    """A workbook the batch does not read, and why."""
    return CaseResult(shown_name(name), Status.ERRORS, findings=(Finding(
        Severity.ERROR, problem, file=shown_name(name), rule="bestand"),))


def _log_defect(options: Options, err: BaseException) -> Path | None:
    """Write the details of an error of the batch itself to the log; its path, or None."""
    try:
        return write_log(options.output_dir, options.peildatum, [("de batch zelf", _details(err))])
    except (PipelineError, OSError):
        return None


def _reuse_key(options: Options, templates: dict[str, str]) -> dict[str, object]:
    """Everything besides the workbook and its supplied files that a case's output depends on."""
    return {"peildatum": options.peildatum.isoformat(), "pipeline": __version__, "sjablonen": templates,
            "opties": {"pdf": options.pdf}}


class _Stop(KeyboardInterrupt):
    """Raised in the batch's main thread by Ctrl-C or a stop signal (SIGTERM; Ctrl-Break on Windows)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number


def _stop_signal_numbers() -> list[int]:
    return [getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name)]


@contextmanager
def _stop_signals() -> Iterator[None]:
    """While the batch runs, Ctrl-C and SIGTERM raise _Stop in its main thread, so the batch can
    stop its workers and LibreOffice and undo what is half done; a second signal during that
    clean-up is ignored, so the clean-up is not cut short. Signals someone chose to ignore stay
    ignored (a batch started with nohup)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.getsignal(number) for number in _stop_signal_numbers()}
    handled = [number for number, handler in previous.items() if handler is not signal.SIG_IGN]

    def stop(signal_number: int, frame: object) -> None:
        for number in handled:
            signal.signal(number, signal.SIG_IGN)
        raise _Stop(signal_number)

    for number in handled:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number in handled:
            signal.signal(number, previous[number])


def _stopped(options: Options, signal_number: int, state: _State) -> BatchInterrupted:
    """After a stop: the workers are gone (`_Workers`), so this process's own LibreOffice is
    stopped and anything a worker left half made in the output folder is undone."""
    pdf.stop()
    try:
        output.repair(options.output_dir)
    except OutputError:
        pass  # the next batch repairs it first
    return BatchInterrupted(signal_number, state.reused + state.tally.made, state.total, state.tally.written)


def _check_folders(options: Options) -> None:
    if not options.input_dir.is_dir():
        raise UsageError(f"De invoermap '{printable(str(options.input_dir))}' bestaat niet; maak haar aan of geef "
                         "een andere map op met --input.")
    if not options.templates_dir.is_dir():
        raise UsageError(f"De sjablonenmap '{printable(str(options.templates_dir))}' bestaat niet; geef de juiste "
                         "map op met --templates.")
    try:
        options.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"De uitvoermap '{printable(str(options.output_dir))}' kan niet worden aangemaakt: "
                         f"{os_problem(err)}.") from err
    if options.output_dir.resolve() == options.input_dir.resolve():
        raise UsageError("De uitvoermap mag niet dezelfde map zijn als de invoermap.")
    if options.pdf:
        pdf.office()
