"""The batch: every workbook in the input folder through read, validate, render and write.

One bad workbook never stops the batch: whatever goes wrong with it (also an unexpected error,
or its worker process dying) becomes its result in the report, and its earlier output stays as
it was. The core never prints; progress goes to the callback the caller passes in.
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
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from . import __version__, documents, output, pdf, rerun
from .documents import render
from .bundle import BUNDLE_DOCUMENT, MANIFEST, assemble, manifest, sha256_file, zip_bundle
from .errors import Finding, InputError, OutputError, PipelineError, Severity, TemplateError, UnexpectedError, UsageError
from .files import input_problem, os_problem, printable, shown_name
from .checks.medical import TERMS_FILE, MedicalTerms, check_medical_terms, load_terms
from .model import Case
from .pdf import ConversionError
from .privacy import redact
from .checks.timeline import check_timeline
from .results import Deadline
from .report import LOG_NAME, Report, write_log
from .results import BatchResult, CaseResult, MissingDocument, Status
from .validate import Validated, validate
from .workbook import dossiernummer_of, read_workbook, unreadable

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
    cases, others = [], []
    try:
        entries = sorted(input_dir.iterdir(), key=lambda p: p.name)
    except OSError as err:
        raise UsageError(f"De invoermap '{printable(str(input_dir))}' kan niet worden gelezen: {os_problem(err)}.") \
            from err
    for path in entries:
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        (cases if path.suffix.lower() == ".xlsx" else others).append(path)
    return cases, others


def run_batch(options: Options, progress: Progress | None = None) -> BatchResult:
    """Process every file in the input folder; returns what became of each, in name order."""
    _check_folders(options)
    with output.batch_lock(options.output_dir):
        try:
            return _run_locked(options, progress)
        except PipelineError:
            raise
        except Exception as err:  # a defect no case explains: its details go to the log, not the screen
            raise UnexpectedError(_log_defect(options, err)) from err


def _run_locked(options: Options, progress: Progress | None) -> BatchResult:
    output.repair(options.output_dir)
    found, others = discover(options.input_dir)
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
    templates = template_hashes(options.templates_dir)
    earlier = {} if options.force else rerun.index(options.output_dir)
    key = _reuse_key(options, templates)
    report = Report(options.peildatum)
    kept: list[CaseResult] = []
    defects: list[tuple[str, str]] = []  # (file, technical details) of unexpected errors, for the log
    with _Workers(options, templates) as workers:
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
                path, result = next(produced)
                done += 1
                if progress:
                    progress(done, len(cases), shown_name(path.name))
            if result.log:
                defects.append((result.file, result.log))
                result = replace(result, log="")
            report.add(result)
            kept.append(result if result.status is Status.ERRORS else replace(result, findings=()))
    if workers.crashed:  # a worker that died while swapping a case folder left the old one aside
        output.repair(options.output_dir)
    write_log(options.output_dir, options.peildatum, defects)
    return BatchResult(tuple(kept), str(report.write(options.output_dir)))


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


def _not_a_case(name: str) -> CaseResult:
    return CaseResult(shown_name(name), Status.SKIPPED, findings=(Finding(
        Severity.NOTE, "dit is geen case-werkmap (.xlsx) en wordt overgeslagen", file=shown_name(name),
        rule="bestand"),))


def _refused(name: str, problem: str) -> CaseResult:
    """A workbook the batch does not read, and why."""
    return CaseResult(shown_name(name), Status.ERRORS, findings=(Finding(
        Severity.ERROR, problem, file=shown_name(name), rule="bestand"),))


def _number(path: Path, options: Options, prepared: Prepared) -> str | None:
    try:
        return dossiernummer_of(path)
    except Exception:  # whatever the early look meets, the full read of the case reports it
        return None


def _produce_task(item: tuple[Path, dict[str, list[str]], str], options: Options, prepared: Prepared) -> CaseResult:
    """One case, one fate: whatever happens to it becomes its result; the batch goes on."""
    path, duplicates, digest = item
    try:
        return _produce(path, duplicates, digest, options, prepared)
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


# --- workers: each process prepares the templates once and keeps them for its cases -------------

_WORKER: dict[str, object] = {}


def _start_worker(options: Options, templates: dict[str, str]) -> None:
    _WORKER["options"] = options
    _WORKER["prepared"] = Prepared(templates, load_terms(options.templates_dir), render.Renderer(options.templates_dir))


def _in_worker(task):  # type: ignore[no-untyped-def]
    function, item = task
    return function(item, _WORKER["options"], _WORKER["prepared"])


Item = TypeVar("Item")
Result = TypeVar("Result")


class _Workers:
    """run(function, items, crashed) -> function(item, options, prepared) for each item, yielded in
    item order: in this process, or in a pool of processes. The pool's results, report and exit
    code are the same as with one worker: each case is independent, and the results are put back
    in name order. A worker process that dies (out of memory, a crash in a library) costs only
    the item it was working on: `crashed(item)` stands in for that item's result, and a new pool
    takes the rest. Workers die with the batch process (`_die_with`)."""

    def __init__(self, options: Options, templates: dict[str, str]) -> None:
        self.options, self.templates = options, templates
        self.pool: ProcessPoolExecutor | None = None
        self.crashed = False  # a worker died: the output folder may hold a swap to undo

    def __enter__(self) -> "_Workers":
        _start_worker(self.options, self.templates)
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def run(self, function: Callable[[Item, Options, Prepared], Result], items: list[Item],
            crashed: Callable[[Item], Result]) -> Iterator[Result]:
        if self.options.workers <= 1:
            return (_in_worker((function, item)) for item in items)
        return self._pooled(function, list(items), crashed)

    def _pooled(self, function: Callable[[Item, Options, Prepared], Result], items: list[Item],
                crashed: Callable[[Item], Result]) -> Iterator[Result]:
        while items:
            if self.pool is None:
                self.pool = self._new_pool(self.options.workers)
            futures = [self.pool.submit(_in_worker, (function, item)) for item in items]
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

    def _alone(self, function: Callable[[Item, Options, Prepared], Result], item: Item,
               crashed: Callable[[Item], Result]) -> Result:
        with self._new_pool(1) as single:
            try:
                return single.submit(_in_worker, (function, item)).result()
            except BrokenProcessPool:
                return crashed(item)

    def _new_pool(self, size: int) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        return ProcessPoolExecutor(max_workers=size, mp_context=context, initializer=_start_pool_worker,
                                   initargs=(self.options, self.templates, os.getpid()))

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _start_pool_worker(options: Options, templates: dict[str, str], parent: int) -> None:
    _die_with(parent)
    _start_worker(options, templates)


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


def _check(path: Path) -> Validated | InputError:
    try:
        return validate(read_workbook(path))
    except InputError as err:
        return err
    except Exception as err:  # a library error the reader let through: a plain message if we know it
        problem = _unreadable(err)
        if problem is None:
            raise
        return unreadable(path, problem)


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


def _produce(path: Path, duplicates: dict[str, list[str]], digest: str, options: Options,
             prepared: Prepared) -> CaseResult:
    """One case from workbook to written folder; any problem becomes the case's result. A case
    with any error finding gets nothing written: its earlier output stays as it was."""
    name = shown_name(path.name)
    outcome = _check(path)
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
    made, missing = _documents_for(case, options.peildatum)
    extension = ".pdf" if options.pdf else ".docx"
    bundle = assemble(case, tuple(f.filename.replace(".docx", extension) for f in made), options.peildatum)
    checked = check_timeline(case, options.peildatum)
    findings = check_medical_terms(case, prepared.medical_terms) + bundle.findings + checked.findings
    if any(f.severity is Severity.ERROR for f in findings):
        return CaseOutput({}, tuple(missing), findings, checked.deadlines + bundle.deadlines)
    documents_made = _render(made, case, prepared.renderer)
    index = prepared.renderer.render(BUNDLE_DOCUMENT,
                                     documents.wia_bundel_context(case, bundle, checked, options.peildatum),
                                     _properties("WIA-bundel", case, options.peildatum))
    # The internal controlelijst: in the case folder, never in the zip (only the bundle's entries go in).
    checklist = prepared.renderer.render(documents.CONTROLELIJST,
                                         documents.controlelijst_context(case, bundle, checked, options.peildatum),
                                         _properties("Controlelijst RIV-toets", case, options.peildatum))
    files = {**documents_made, BUNDLE_DOCUMENT: index, documents.CONTROLELIJST: checklist}
    if options.pdf:
        files.update(pdf.convert(files))
    files[f"{case.dossiernummer}-wia-bundel.zip"] = zip_bundle(bundle, files, BUNDLE_DOCUMENT.replace(".docx", extension))
    return CaseOutput(files, tuple(missing), findings, checked.deadlines + bundle.deadlines)


def render_documents(case: Case, options: Options,
                     renderer: render.Renderer) -> tuple[dict[str, bytes], list[MissingDocument]]:
    """Every document the case has what it needs for, as file name -> bytes; the rest as missing."""
    made, missing = _documents_for(case, options.peildatum)
    return _render(made, case, renderer), missing


def _documents_for(case: Case, peildatum: date) -> tuple[list[documents.DocumentFile], list[MissingDocument]]:
    """The files of the documents the case has what it needs for (a kind may make several, one
    per bijstelling or report), and the rest as missing with the reason."""
    made: list[documents.DocumentFile] = []
    missing: list[MissingDocument] = []
    for kind in documents.DOCUMENTS:
        lacking = kind.missing(case)
        if lacking:
            missing.append(MissingDocument(kind.title, "; ".join(lacking)))
        else:
            made.extend(kind.files(case, peildatum))
    return made, missing


def _render(made: list[documents.DocumentFile], case: Case, renderer: render.Renderer) -> dict[str, bytes]:
    """Each file with its own date in its properties: a document is the record of its day."""
    return {f.filename: renderer.render(f.template, f.context(), _properties(f.title, case, f.day)) for f in made}


def template_hashes(templates_dir: Path) -> dict[str, str]:
    """SHA-256 of every template the batch uses (and of the medical-terms list, which changes
    the findings), read once per batch, for the manifests and the rerun decision."""
    names = [*documents.TEMPLATES, TERMS_FILE]
    hashes = {}
    for name in names:
        if (templates_dir / name).is_file():
            try:
                hashes[name] = sha256_file(templates_dir / name)
            except OSError as err:
                raise UsageError(f"Het sjabloon '{name}' in de sjablonenmap kan niet worden gelezen: "
                                 f"{os_problem(err)}.") from err
    return hashes
