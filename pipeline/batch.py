"""The batch: every workbook in the input folder through read, validate, render and write.

One bad workbook never stops the batch: its findings go to the report and its earlier output
stays as it was. The core never prints; progress goes to the callback the caller passes in.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

from . import __version__, documents, output, pdf, render, rerun
from .bundle import BUNDLE_DOCUMENT, MANIFEST, assemble, manifest, sha256, zip_bundle
from .errors import Finding, InputError, OutputError, Severity, TemplateError, UsageError
from .medical import TERMS_FILE, MedicalTerms, check_medical_terms, load_terms
from .model import Case
from .pdf import ConversionError
from .timeline import Deadline, check_timeline
from .report import Report
from .results import BatchResult, CaseResult, MissingDocument, Status
from .validate import Validated, validate
from .workbook import dossiernummer_of, read_workbook

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
    for path in sorted(input_dir.iterdir(), key=lambda p: p.name):
        if path.name.startswith((".", "~$")) or path.is_dir():
            continue
        (cases if path.suffix.lower() == ".xlsx" else others).append(path)
    return cases, others


def run_batch(options: Options, progress: Progress | None = None) -> BatchResult:
    """Process every file in the input folder; returns what became of each, in name order."""
    _check_folders(options)
    with output.batch_lock(options.output_dir):
        return _run_locked(options, progress)


def _run_locked(options: Options, progress: Progress | None) -> BatchResult:
    output.repair(options.output_dir)
    cases, others = discover(options.input_dir)
    # Files whose result is known without reading them: other files, and workbooks whose name
    # is not text (bytes that are not UTF-8: no message, report or manifest could name them).
    settled = {path.name: _not_a_case(path.name) for path in others}
    for path in [p for p in cases if shown_name(p.name) != p.name]:
        cases.remove(path)
        settled[path.name] = _unnamed(path.name)
    templates = template_hashes(options.templates_dir)
    earlier = {} if options.force else rerun.index(options.output_dir)
    key = _reuse_key(options, templates)
    report = Report(options.peildatum)
    kept: list[CaseResult] = []
    with _workers(options, templates) as run:
        # Phase 1, cheap: reuse what did not change; of the rest read only the dossiernummer, so
        # clashing numbers are known before any case is written. Nothing else is kept in memory.
        numbers: dict[Path, str | None] = {}
        digests: dict[Path, str] = {}
        reused: dict[str, Path] = {}  # file name -> manifest holding its result
        todo = []
        for path in cases:
            digest = digests[path] = sha256(path.read_bytes())
            number = rerun.reusable(digest, earlier.get(digest), options.input_dir, key)
            if number is not None:
                reused[path.name] = earlier[digest]
                numbers[path] = number
            else:
                todo.append(path)
        numbers.update(zip(todo, run(_number, todo)))
        duplicates = _duplicate_numbers(numbers)
        # A reused case whose number now clashes with another workbook is processed again.
        again = [p for p in cases if p.name in reused and (numbers[p] or "").casefold() in duplicates]
        for path in again:
            del reused[path.name]
        todo += again
        todo.sort(key=lambda p: p.name)
        # Phase 2: read, validate, render and write each case, in the workers. Results arrive in
        # name order and go into the report at once, between the reused and settled files.
        produced = zip(todo, run(_produce_task, [(p, duplicates, digests[p]) for p in todo]))
        done = len(cases) - len(todo)
        by_name = {path.name: path for path in cases}
        for name in sorted([*by_name, *settled]):
            if name in settled:
                result = settled[name]
            elif name in reused:
                result = rerun.earlier_result(reused[name], name)
                if result is None:  # its manifest changed since phase 1: make the case again, here
                    result = _in_worker((_produce_task, (by_name[name], duplicates, digests[by_name[name]])))
            else:
                path, result = next(produced)
                done += 1
                if progress:
                    progress(done, len(cases), path.name)
            report.add(result)
            kept.append(result if result.status is Status.ERRORS else replace(result, findings=()))
    return BatchResult(tuple(kept), str(report.write(options.output_dir)))


def shown_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 (which Linux keeps) shown as '�'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _not_a_case(name: str) -> CaseResult:
    return CaseResult(shown_name(name), Status.SKIPPED, findings=(Finding(
        Severity.NOTE, "dit is geen case-werkmap (.xlsx) en wordt overgeslagen", file=shown_name(name),
        rule="bestand"),))


def _unnamed(name: str) -> CaseResult:
    return CaseResult(shown_name(name), Status.ERRORS, findings=(Finding(
        Severity.ERROR, "de bestandsnaam bevat tekens die geen geldige tekst zijn (geen UTF-8); geef het bestand "
                        "een nieuwe naam met gewone letters en cijfers", file=shown_name(name), rule="bestand"),))


def _number(path: Path, options: Options, prepared: Prepared) -> str | None:
    return dossiernummer_of(path)


def _produce_task(item: tuple[Path, dict[str, list[str]], str], options: Options, prepared: Prepared) -> CaseResult:
    path, duplicates, digest = item
    return _produce(path, duplicates, digest, options, prepared)


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


@contextmanager
def _workers(options: Options, templates: dict[str, str]) -> Iterator[Callable[[Callable, list], Iterator]]:
    """run(function, items) -> function(item, options, prepared) for each item, yielded in item
    order as they finish: in this process, or in a pool of processes. The pool's results, report
    and exit code are the same as with one worker: each case is independent, and the results are
    put back in name order."""
    _start_worker(options, templates)
    if options.workers <= 1:
        yield lambda function, items: (_in_worker((function, item)) for item in items)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=options.workers, mp_context=context, initializer=_start_worker,
                             initargs=(options, templates)) as pool:
        yield lambda function, items: pool.map(_in_worker, [(function, item) for item in items], chunksize=1)


def _check_folders(options: Options) -> None:
    if not options.input_dir.is_dir():
        raise UsageError(f"De invoermap '{options.input_dir}' bestaat niet; maak haar aan of geef een "
                         "andere map op met --input.")
    if not options.templates_dir.is_dir():
        raise UsageError(f"De sjablonenmap '{options.templates_dir}' bestaat niet; geef de juiste map op "
                         "met --templates.")
    try:
        options.output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise UsageError(f"De uitvoermap '{options.output_dir}' kan niet worden aangemaakt: {err.strerror}.") from err
    if options.output_dir.resolve() == options.input_dir.resolve():
        raise UsageError("De uitvoermap mag niet dezelfde map zijn als de invoermap.")
    if options.pdf:
        pdf.office()


def _check(path: Path) -> Validated | InputError:
    try:
        return validate(read_workbook(path))
    except InputError as err:
        return err


def _duplicate_numbers(numbers: dict[Path, str | None]) -> dict[str, list[str]]:
    """Dossiernummer (case-insensitive, as folder names are on Windows) -> files using it, if > 1."""
    by_number: dict[str, list[str]] = {}
    for path, number in numbers.items():
        if number:
            by_number.setdefault(number.casefold(), []).append(path.name)
    return {number: files for number, files in by_number.items() if len(files) > 1}


def _produce(path: Path, duplicates: dict[str, list[str]], digest: str, options: Options,
             prepared: Prepared) -> CaseResult:
    """One case from workbook to written folder; any problem becomes the case's result."""
    outcome = _check(path)
    if isinstance(outcome, InputError):
        return CaseResult(path.name, Status.ERRORS, findings=outcome.findings)
    case = outcome.case
    sharing = duplicates.get(case.dossiernummer.casefold())
    if sharing:
        others = [name for name in sharing if name != path.name]
        source = case.sources.get("dossiernummer")
        duplicate = Finding(
            Severity.ERROR,
            f"dossiernummer '{case.dossiernummer}' staat ook in {', '.join(others)}; elk dossier heeft een "
            "eigen nummer. Geen van beide wordt verwerkt, zodat geen dossier een ander overschrijft",
            file=path.name, sheet=source.sheet if source else "Dossier", row=source.row if source else None,
            label="Dossiernummer", rule="dubbel-dossiernummer")
        return CaseResult(path.name, Status.ERRORS, case.dossiernummer, outcome.findings + (duplicate,))
    try:
        made = produce_case(case, options, prepared)
        findings = outcome.findings + made.findings
        if CaseResult.status_of(findings) is Status.ERRORS:  # refused: the earlier folder stays as it was
            return CaseResult(path.name, Status.ERRORS, case.dossiernummer, findings)
        result = CaseResult(path.name, CaseResult.status_of(findings), case.dossiernummer, findings,
                            tuple(made.files) + (MANIFEST,), made.missing, made.deadlines)
        files = {**made.files, MANIFEST: manifest(case, made.files, digest, prepared.templates, options.peildatum,
                                                  __version__, {"pdf": options.pdf}, rerun.encode_result(result))}
        written = output.replace_case_folder(options.output_dir, case.dossiernummer, files)
    except (TemplateError, OutputError, ConversionError) as err:
        problem = Finding(Severity.ERROR, str(err), file=path.name,
                          rule="sjabloon" if isinstance(err, TemplateError) else "uitvoer")
        return CaseResult(path.name, Status.ERRORS, case.dossiernummer, outcome.findings + (problem,))
    return replace(result, written=written)


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
    """Render the documents, assemble the WIA bundle, check the timeline and zip it; the manifest
    is added by the caller, once the case's result is known. A case with medical terms in its texts
    is refused before anything is rendered: no files."""
    privacy = check_medical_terms(case, prepared.medical_terms)
    if CaseResult.status_of(privacy) is Status.ERRORS:
        return CaseOutput({}, (), privacy, ())
    documents_made, missing = render_documents(case, options, prepared.renderer)
    extension = ".pdf" if options.pdf else ".docx"
    bundle = assemble(case, tuple(name.replace(".docx", extension) for name in documents_made), options.peildatum)
    checked = check_timeline(case, options.peildatum, bundle.missing)
    index = prepared.renderer.render(BUNDLE_DOCUMENT,
                                     documents.wia_bundel_context(case, bundle, checked, options.peildatum),
                                     _properties("WIA-bundel", case, options.peildatum))
    files = {**documents_made, BUNDLE_DOCUMENT: index}
    if options.pdf:
        files.update(pdf.convert(files))
    files[f"{case.dossiernummer}-wia-bundel.zip"] = zip_bundle(bundle, files, BUNDLE_DOCUMENT.replace(".docx", extension))
    return CaseOutput(files, tuple(missing), privacy + bundle.findings + checked.findings, checked.deadlines)


def render_documents(case: Case, options: Options,
                     renderer: render.Renderer) -> tuple[dict[str, bytes], list[MissingDocument]]:
    """Every document the case has what it needs for, as file name -> bytes; the rest as missing."""
    files: dict[str, bytes] = {}
    missing: list[MissingDocument] = []
    for kind in documents.DOCUMENTS:
        lacking = kind.missing(case)
        if lacking:
            missing.append(MissingDocument(kind.title, "; ".join(lacking)))
            continue
        files[kind.filename] = renderer.render(
            kind.template, kind.context(case, options.peildatum),
            _properties(kind.title, case, kind.day(case, options.peildatum)))
    return files, missing


def template_hashes(templates_dir: Path) -> dict[str, str]:
    """SHA-256 of every template the batch uses (and of the medical-terms list, which changes
    the findings), read once per batch, for the manifests and the rerun decision."""
    names = [kind.template for kind in documents.DOCUMENTS] + [BUNDLE_DOCUMENT, TERMS_FILE]
    return {name: sha256((templates_dir / name).read_bytes()) for name in names if (templates_dir / name).is_file()}
