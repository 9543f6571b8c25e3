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

import ctypes
import lzma
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
import zipfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

from . import __version__, output, pdf, rerun
from .bundle import BUNDLE_DOCUMENT, MANIFEST, sha256_file
from .errors import (BatchInterrupted, Finding, InputError, OutputError, PipelineError, Severity, TemplateError,
                     UnexpectedError, UsageError)
from .files import input_problem, os_problem, printable, shown_name
from .pdf import ConversionError
from .privacy import redact
from .report import LOG_NAME, Report, write_log
from .results import BatchResult, CaseResult, Deadline, MissingDocument, Status

if TYPE_CHECKING:
    from . import documents
    from .documents import render
    from .checks.medical import MedicalTerms
    from .model import Case
    from .intake.validate import Validated
    from .intake.reader import RawWorkbook

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass(frozen=True)
class Options:
    input_dir: Path
    output_dir: Path
    templates_dir: Path
    peildatum: date
    pdf: bool = False  # also PDF versions (LibreOffice); the WIA-bundle zip then holds the PDFs
    workers: int = 1  # processes rendering cases side by side
    force: bool = False  # render every case, also when nothing it is made from changed


def discover(input_dir: Path) -> tuple[list[Path], list[Path]]:
    """(case workbooks, other files) directly in `input_dir`, by name; lock and hidden files skipped."""
    return _split(_entries(input_dir))


def _split(entries: list[Path]) -> tuple[list[Path], list[Path]]:
    cases, others = [], []
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


class _Tally:
    """The cases made so far, counted as they finish, in whatever order (a worker writes its
    case's folder itself, so a case is done before the batch process gets to its result): what
    a stopped batch had done. Counts only, so a batch of thousands of cases keeps no results."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # counted from the pool's own thread as well
        self.made = 0
        self.written = 0

    def add(self, result: object) -> None:
        if isinstance(result, CaseResult):
            with self._lock:
                self.made += 1
                self.written += result.written


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
                result = rerun.earlier_result(reused[name], shown_name(name))
                if result is None:  # its manifest changed since phase 1: make the case again, here
                    result = _in_worker((_produce_task, (by_name[name], duplicates, digests[by_name[name]])))
                else:
                    result = replace(result, reused=True)
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


def _not_filled_in(name: str) -> CaseResult:
    """A workbook as new-case wrote it, in which nothing was filled in yet: skipped, not an error."""
    return CaseResult(name, Status.SKIPPED, findings=(Finding(
        Severity.NOTE, "deze werkmap is nog niet ingevuld en wordt overgeslagen. Vul minstens de sheets Dossier, "
                       "Betrokkenen en Afspraken in (de sheet Uitleg zegt wat er in elke kolom hoort) en start de "
                       "batch opnieuw", file=name, rule="bestand"),))


def _number(path: Path, options: Options) -> str | None:
    from .intake.reader import dossiernummer_of

    try:
        return dossiernummer_of(path)
    except Exception:  # whatever the early look meets, the full read of the case reports it
        return None


def _produce_task(item: tuple[Path, dict[str, list[str]], str], options: Options) -> CaseResult:
    """One case, one fate: whatever happens to it becomes its result; the batch goes on."""
    path, duplicates, digest = item
    try:
        return _produce(path, duplicates, digest, options)
    except Exception as err:
        return _unexpected(path, err)


def _unexpected(path: Path, err: BaseException) -> CaseResult:
    """A case that met an error no rule explains: a plain message, and the details for the log
    (one line per line, no BSN)."""
    name = shown_name(path.name)
    return CaseResult(name, Status.ERRORS, findings=(Finding(
        Severity.ERROR, f"onverwachte fout in de pipeline bij deze werkmap; er is niets nieuws geschreven en eerdere "
                        f"uitvoer van dit dossier is gebleven. De technische details staan in {LOG_NAME} in de "
                        "uitvoermap: stuur dat bestand naar de beheerder van de pipeline", file=name,
        rule="onverwacht"),), log=_details(err))


def _crashed(item: tuple[Path, dict[str, list[str]], str]) -> CaseResult:
    """A case whose worker process died (out of memory, a crash in a library): its result."""
    name = shown_name(item[0].name)
    return CaseResult(name, Status.ERRORS, findings=(Finding(
        Severity.ERROR, "het proces dat deze werkmap verwerkte, stopte onverwacht (bijvoorbeeld door te weinig "
                        "geheugen); er is niets nieuws geschreven en eerdere uitvoer van dit dossier is gebleven. "
                        "Probeer het opnieuw, eventueel met --workers 1; gebeurt het weer, meld het dan aan de "
                        "beheerder van de pipeline", file=name, rule="onverwacht"),))


def _details(err: BaseException) -> str:
    """The traceback of an unexpected error for the log: each line on its own, without a BSN."""
    return "\n".join(redact(printable(line)) for line in "".join(traceback.format_exception(err)).splitlines())


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


# --- stopping: Ctrl-C and SIGTERM ----------------------------------------------------------------

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


# --- workers: each process prepares the templates once and keeps them for its cases -------------

_WORKER: dict[str, object] = {}


def _start_worker(options: Options, templates: dict[str, str]) -> None:
    _WORKER.clear()
    _WORKER["options"] = options
    _WORKER["templates"] = templates


def _prepared() -> Prepared:
    """This process's templates and term list, prepared on the first case that needs them (a rerun
    that reuses every case never loads the renderer)."""
    prepared = _WORKER.get("prepared")
    if prepared is None:
        from .documents import render
        from .checks.medical import load_terms

        options = _WORKER["options"]
        assert isinstance(options, Options)
        prepared = _WORKER["prepared"] = Prepared(_WORKER["templates"], load_terms(options.templates_dir),  # type: ignore[arg-type]
                                                  render.Renderer(options.templates_dir))
    return prepared  # type: ignore[return-value]


def _in_worker(task):  # type: ignore[no-untyped-def]
    function, item = task
    return function(item, _WORKER["options"])


Item = TypeVar("Item")
Result = TypeVar("Result")


def _start_method() -> str:
    """fork where there is one (Linux, macOS): a worker starts in milliseconds with everything
    loaded; spawn elsewhere (Windows), where each worker starts a fresh Python."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


class _Workers:
    """run(function, items, crashed) -> function(item, options) for each item, yielded in item
    order: in this process, or in a pool of processes. The pool's results, report and exit code
    are the same as with one worker: each case is independent, and the results are put back in
    name order. A worker process that dies (out of memory, a crash in a library) costs only the
    item it was working on: `crashed(item)` stands in for that item's result, and a new pool
    takes the rest. Workers die with the batch process (`_die_with`); when the batch is stopped
    (Ctrl-C, SIGTERM, an error), they are stopped at once, without finishing their case
    (`_terminate`)."""

    def __init__(self, options: Options, templates: dict[str, str], tally: _Tally | None = None) -> None:
        self.options, self.templates = options, templates
        self.pool: ProcessPoolExecutor | None = None
        self.crashed = False  # a worker died: the output folder may hold a swap to undo
        self.tally = tally or _Tally()  # every result counted as soon as it is there

    def __enter__(self) -> "_Workers":
        _start_worker(self.options, self.templates)
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self._close()
        else:
            self._terminate()

    def run(self, function: Callable[[Item, Options], Result], items: list[Item],
            crashed: Callable[[Item], Result]) -> Iterator[Result]:
        if self.options.workers <= 1:
            return self._here(function, items)
        return self._pooled(function, list(items), crashed)

    def _here(self, function: Callable[[Item, Options], Result], items: list[Item]) -> Iterator[Result]:
        for item in items:
            result = _in_worker((function, item))
            self.tally.add(result)
            yield result

    def _done(self, future) -> None:  # type: ignore[no-untyped-def]
        if not future.cancelled() and future.exception() is None:
            self.tally.add(future.result())

    def _pooled(self, function: Callable[[Item, Options], Result], items: list[Item],
                crashed: Callable[[Item], Result]) -> Iterator[Result]:
        while items:
            if self.pool is None:
                self.pool = self._new_pool(self.options.workers)
            futures = [self.pool.submit(_in_worker, (function, item)) for item in items]
            for future in futures:
                future.add_done_callback(self._done)
            for index, future in enumerate(futures):
                try:
                    result = future.result()
                except BrokenProcessPool:
                    # Every unfinished item failed with the pool; the first may not be the one
                    # that killed it, so it is tried alone before it is given up.
                    self.crashed = True
                    self._close()
                    yield self._alone(function, items[index], crashed)
                    items = items[index + 1:]
                    break
                yield result
            else:
                return

    def _alone(self, function: Callable[[Item, Options], Result], item: Item,
               crashed: Callable[[Item], Result]) -> Result:
        single = self._new_pool(1)
        try:
            return single.submit(_in_worker, (function, item)).result()
        except BrokenProcessPool:
            return crashed(item)
        except BaseException:
            _end_pool(single)
            raise
        finally:
            single.shutdown(wait=True)

    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(_start_method())
        return ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_start_pool_worker,
                                   initargs=(self.options, self.templates, os.getpid()))

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _terminate(self) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            _end_pool(pool)


def _end_pool(pool: ProcessPoolExecutor, seconds: float = 10) -> None:
    """Stop a pool's workers now, without waiting for their cases: each gets SIGTERM, on which it
    stops its LibreOffice and exits (`_end_worker`); one that has not ended after `seconds` is
    killed. ProcessPoolExecutor has no public way to do this before Python 3.14
    (terminate_workers), so its `_processes` and `_executor_manager_thread` are read here, and
    only here."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + seconds
    for process in processes:
        try:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join(5)
        except (OSError, ValueError, AssertionError):
            pass
    # The pool's own thread ends once it sees its workers gone; waited for here, so that Python's
    # exit does not wait for it (nor wake it when it is closing).
    if manager is not None:
        manager.join(seconds)


def _start_pool_worker(options: Options, templates: dict[str, str], parent: int) -> None:
    # Ctrl-C in a terminal reaches every process of the batch: the batch process decides what
    # happens (it ends the workers), so a worker ignores it instead of dying mid-write.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _end_worker)
    _die_with(parent)
    _start_worker(options, templates)


def _end_worker(signal_number: int, frame: object) -> None:
    """SIGTERM from the batch process: stop this worker's LibreOffice, then end at once. A case
    folder it was swapping is put back by the batch process (`output.repair`)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # the pool may ask again: the first stop is finished first
    pdf.stop()
    os._exit(128 + signal_number)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """Make this worker end when the batch process `parent` ends, however it ends (kill -9, out of
    memory), so no worker lives on with nothing to do. Linux sends the worker SIGKILL when its
    parent dies (prctl PR_SET_PDEATHSIG; the pool is started from the batch's own thread, whose
    end is the parent's end); elsewhere a thread of the worker watches the parent."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), name="batch-bewaker", daemon=True).start()


def _watch_parent(parent: int) -> None:
    origin = multiprocessing.parent_process()
    if os.name == "nt" and origin is not None:
        origin.join()  # waits on the parent's process handle
    else:
        while os.getppid() == parent:  # an orphan is handed to another parent
            time.sleep(1)
    os._exit(1)


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


# --- one case --------------------------------------------------------------------------------------

def read_workbook(path: Path) -> RawWorkbook:
    """The workbook as read (`workbook.read_workbook`, imported when the first case is read)."""
    from .intake.reader import read_workbook as read

    return read(path)


def check_medical_terms(case: Case, terms: MedicalTerms | None) -> tuple[Finding, ...]:
    """`medical.check_medical_terms`, imported when the first case is checked."""
    from .checks.medical import check_medical_terms as check

    return check(case, terms)


def _check(path: Path) -> Validated | InputError | None:
    """The validated case, or why the workbook cannot be used; None for a workbook nothing was
    filled in yet (as new-case made it)."""
    from .intake.validate import validate
    from .intake.reader import unreadable

    raw = None
    try:
        raw = read_workbook(path)
        return validate(raw)
    except InputError as err:
        return None if raw is not None and _untouched(raw) else err
    except Exception as err:  # a library error the reader let through: a plain message if we know it
        problem = _unreadable(err)
        if problem is None:
            raise
        return unreadable(path, problem)


def _untouched(raw: RawWorkbook) -> bool:
    """Whether the workbook has the case's sheets but not one value in them: every Dossier and
    Eindevaluatie value empty, no row in any table (new-case's workbook as it was written)."""
    return bool(raw.sheets) and all(cell.is_empty for sheet in raw.sheets.values() for record in sheet.records
                                    for cell in record.cells.values())


def _unreadable(err: Exception) -> str | None:
    """What a library error met while reading a workbook means, in Dutch; None if unknown."""
    if isinstance(err, (zlib.error, zipfile.BadZipFile, EOFError, lzma.LZMAError)):
        return "de werkmap is beschadigd: een onderdeel kan niet worden uitgepakt; sla haar opnieuw op vanuit Excel"
    if isinstance(err, RuntimeError) and "encrypted" in str(err):
        return ("een onderdeel van de werkmap is versleuteld (met een wachtwoord beveiligd); sla de werkmap op "
                "zonder wachtwoord")
    if isinstance(err, NotImplementedError):
        return ("de werkmap is ingepakt op een manier die Excel niet gebruikt (onbekende compressie); sla haar "
                "opnieuw op vanuit Excel")
    if isinstance(err, OSError):
        return f"het bestand kan niet worden gelezen: {os_problem(err)}"
    return None


def _duplicate_numbers(numbers: dict[Path, str | None]) -> dict[str, list[str]]:
    """Dossiernummer (case-insensitive, as folder names are on Windows) -> files using it, if > 1."""
    by_number: dict[str, list[str]] = {}
    for path, number in numbers.items():
        if number:
            by_number.setdefault(number.casefold(), []).append(path.name)
    return {number: files for number, files in by_number.items() if len(files) > 1}


def _shown(findings: tuple[Finding, ...], name: str, shown: str) -> tuple[Finding, ...]:
    """Findings as a user may see them: the file by its shown name, every text on one line."""
    return tuple(_shown_finding(f, name, shown) for f in findings)


def _shown_finding(f: Finding, name: str, shown: str) -> Finding:
    texts = (f.message, f.sheet or "", f.column or "", f.label or "")
    if f.file == shown and all(printable(text) == text for text in texts):
        return f
    return replace(f, file=shown if f.file == name else shown_name(f.file), message=printable(f.message),
                   sheet=printable(f.sheet) if f.sheet else f.sheet, column=printable(f.column) if f.column else f.column,
                   label=printable(f.label) if f.label else f.label)


def _produce(path: Path, duplicates: dict[str, list[str]], digest: str, options: Options) -> CaseResult:
    """One case from workbook to written folder; any problem becomes the case's result. A case
    with any error finding gets nothing written: its earlier output stays as it was."""
    from .bundle import manifest

    name = shown_name(path.name)
    outcome = _check(path)
    if outcome is None:
        return _not_filled_in(name)
    if isinstance(outcome, InputError):
        return CaseResult(name, Status.ERRORS, findings=_shown(outcome.findings, path.name, name))
    case = outcome.case
    found = _shown(outcome.findings, path.name, name)
    sharing = duplicates.get(case.dossiernummer.casefold())
    if sharing:
        others = [shown_name(other) for other in sharing if other != path.name]
        source = case.sources.get("dossiernummer")
        duplicate = Finding(
            Severity.ERROR,
            f"dossiernummer '{case.dossiernummer}' staat ook in {', '.join(others)}; elk dossier heeft een "
            "eigen nummer. Geen van beide wordt verwerkt, zodat geen dossier een ander overschrijft",
            file=name, sheet=source.sheet if source else "Dossier", row=source.row if source else None,
            label="Dossiernummer", rule="dubbel-dossiernummer")
        return CaseResult(name, Status.ERRORS, case.dossiernummer, found + (duplicate,))
    try:
        prepared = _prepared()
        made = produce_case(case, options, prepared)
        findings = found + _shown(made.findings, path.name, name)
        if any(f.severity is Severity.ERROR for f in findings):
            return CaseResult(name, Status.ERRORS, case.dossiernummer, findings, missing=made.missing,
                              deadlines=made.deadlines)
        result = CaseResult(name, CaseResult.status_of(findings), case.dossiernummer, findings,
                            tuple(made.files) + (MANIFEST,), made.missing, made.deadlines)
        files = {**made.files, MANIFEST: manifest(case, made.files, digest, prepared.templates, options.peildatum,
                                                  __version__, {"pdf": options.pdf}, rerun.encode_result(result))}
        change = output.replace_case_folder(options.output_dir, case.dossiernummer, files,
                                            {"invoermap": options.input_dir, "sjablonenmap": options.templates_dir})
    except (TemplateError, OutputError, ConversionError) as err:
        problem = Finding(Severity.ERROR, printable(str(err)), file=name,
                          rule="sjabloon" if isinstance(err, TemplateError) else "uitvoer")
        return CaseResult(name, Status.ERRORS, case.dossiernummer, found + (problem,))
    except OSError as err:  # a supplied file of the Bundel sheet, gone or changed since the check
        which = f"'{shown_name(Path(err.filename).name)}' " if isinstance(err.filename, str) else "een bestand "
        problem = Finding(Severity.ERROR, f"{which}kan niet worden gelezen: {os_problem(err)}", file=name,
                          rule="bestand")
        return CaseResult(name, Status.ERRORS, case.dossiernummer, found + (problem,))
    # A user's own file that had to make room for a new one of ours: said here, in this run's
    # report only (the manifest keeps what the documents say, not what this run moved).
    moved = tuple(Finding(
        Severity.NOTE, f"'{shown_name(old)}' in de dossiermap is niet door de pipeline gemaakt of na de vorige run "
                       f"gewijzigd; die versie staat nu als '{shown_name(new)}' naast het nieuw gemaakte document",
        file=name, rule="uitvoer") for old, new in change.renamed)
    return replace(result, findings=result.findings + moved, written=change.written)


@dataclass(frozen=True)
class CaseOutput:
    """Everything a valid case gets: its folder's files, and what the checks found."""

    files: dict[str, bytes]
    missing: tuple[MissingDocument, ...]
    findings: tuple[Finding, ...]
    deadlines: tuple[Deadline, ...]


def _properties(title: str, case: Case, day: date) -> render.Properties:
    from .documents import render

    return render.Properties(title=f"{title} {case.dossiernummer}",
                             subject="Re-integratie Wet verbetering poortwachter", day=day)


@dataclass(frozen=True)
class Prepared:
    """What every case of a batch shares, read once per process."""

    templates: dict[str, str]  # template name -> SHA-256, for the manifests
    medical_terms: MedicalTerms | None
    renderer: render.Renderer  # each template prepared once, on first use


def produce_case(case: Case, options: Options, prepared: Prepared) -> CaseOutput:
    """Check the case, then render the documents, assemble the WIA bundle and zip it; the manifest
    is added by the caller, once the case's result is known. A case whose checks find an error
    gets no files: nothing is rendered for it."""
    from . import documents
    from .bundle import assemble, zip_bundle
    from .checks.timeline import check_timeline

    kinds, missing = _documents_for(case)
    extension = ".pdf" if options.pdf else ".docx"
    bundle = assemble(case, tuple(kind.filename.replace(".docx", extension) for kind in kinds), options.peildatum)
    checked = check_timeline(case, options.peildatum)
    findings = check_medical_terms(case, prepared.medical_terms) + bundle.findings + checked.findings
    if any(f.severity is Severity.ERROR for f in findings):
        return CaseOutput({}, tuple(missing), findings, checked.deadlines + bundle.deadlines)
    documents_made = _render(kinds, case, options, prepared.renderer)
    index = prepared.renderer.render(BUNDLE_DOCUMENT,
                                     documents.wia_bundel_context(case, bundle, checked, options.peildatum),
                                     _properties("WIA-bundel", case, options.peildatum))
    files = {**documents_made, BUNDLE_DOCUMENT: index}
    if options.pdf:
        files.update(pdf.convert(files))
    files[f"{case.dossiernummer}-wia-bundel.zip"] = zip_bundle(bundle, files, BUNDLE_DOCUMENT.replace(".docx", extension))
    return CaseOutput(files, tuple(missing), findings, checked.deadlines + bundle.deadlines)


def render_documents(case: Case, options: Options,
                     renderer: render.Renderer) -> tuple[dict[str, bytes], list[MissingDocument]]:
    """Every document the case has what it needs for, as file name -> bytes; the rest as missing."""
    kinds, missing = _documents_for(case)
    return _render(kinds, case, options, renderer), missing


def _documents_for(case: Case) -> tuple[list[documents.DocumentKind], list[MissingDocument]]:
    """The documents the case has what it needs for, and the rest as missing with the reason."""
    from . import documents

    kinds, missing = [], []
    for kind in documents.DOCUMENTS:
        lacking = kind.missing(case)
        if lacking:
            missing.append(MissingDocument(kind.title, "; ".join(lacking)))
        else:
            kinds.append(kind)
    return kinds, missing


def _render(kinds: list[documents.DocumentKind], case: Case, options: Options,
            renderer: render.Renderer) -> dict[str, bytes]:
    return {kind.filename: renderer.render(kind.template, kind.context(case, options.peildatum),
                                           _properties(kind.title, case, kind.day(case, options.peildatum)))
            for kind in kinds}


# Files of a templates folder that a case's output depends on: the Word templates and the list of
# medical terms. Every such file counts (also one a future document adds), so a change to any of
# them makes every case again; Word's owner files ('~$...', while a template is open) and hidden
# files do not.
_TEMPLATE_FILE_TYPES = (".docx", ".txt")


def template_hashes(templates_dir: Path) -> dict[str, str]:
    """SHA-256 of every template in the folder (and of the medical-terms list, which changes the
    findings), read once per batch, for the manifests and the rerun decision."""
    hashes = {}
    try:
        entries = sorted(os.listdir(templates_dir))
    except OSError as err:
        raise UsageError(f"De sjablonenmap '{printable(str(templates_dir))}' kan niet worden gelezen: "
                         f"{os_problem(err)}.") from err
    for name in entries:
        path = templates_dir / name
        if name.startswith((".", "~$")) or not name.lower().endswith(_TEMPLATE_FILE_TYPES) or not path.is_file():
            continue
        try:
            hashes[name] = sha256_file(path)
        except OSError as err:
            raise UsageError(f"Het sjabloon '{printable(name)}' in de sjablonenmap kan niet worden gelezen: "
                             f"{os_problem(err)}.") from err
    return hashes
