"""The batch: every workbook in the input folder through read, validate, render and write.

One bad workbook never stops the batch: its findings go to the report and its earlier output
stays as it was. The core never prints; progress goes to the callback the caller passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from . import __version__, documents, output, pdf, render
from .bundle import BUNDLE_DOCUMENT, MANIFEST, assemble, manifest, sha256, zip_bundle
from .errors import Finding, InputError, OutputError, PipelineError, Severity, TemplateError, UsageError
from .medical import check_medical_terms, load_terms
from .model import Case
from .pdf import ConversionError
from .timeline import Deadline, check_timeline
from .report import REPORT_NAME, write_report
from .results import BatchResult, CaseResult, MissingDocument, Status
from .validate import Validated, validate
from .workbook import read_workbook

Progress = Callable[[int, int, str], None]  # (done, total, file name)


@dataclass(frozen=True)
class Options:
    input_dir: Path
    output_dir: Path
    templates_dir: Path
    peildatum: date
    pdf: bool = False  # also PDF versions (LibreOffice); the WIA-bundle zip then holds the PDFs


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
    checked = {path: _check(path) for path in cases}
    duplicates = _duplicate_numbers(checked)

    results: dict[str, CaseResult] = {}
    for path in others:
        results[path.name] = CaseResult(path.name, Status.SKIPPED, findings=(Finding(
            Severity.NOTE, "dit is geen case-werkmap (.xlsx) en wordt overgeslagen", file=path.name, rule="bestand"),))
    prepared = prepare(options)
    total = len(cases)
    for done, path in enumerate(cases, start=1):
        results[path.name] = _produce(path, checked[path], duplicates, options, prepared)
        if progress:
            progress(done, total, path.name)
    ordered = tuple(results[name] for name in sorted(results))
    report = write_report(options.output_dir, ordered, options.peildatum)
    return BatchResult(ordered, str(report))


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


def _duplicate_numbers(checked: dict[Path, Validated | InputError]) -> dict[str, list[str]]:
    """Dossiernummer (case-insensitive, as folder names are on Windows) -> files using it, if > 1."""
    by_number: dict[str, list[str]] = {}
    for path, outcome in checked.items():
        if isinstance(outcome, Validated):
            by_number.setdefault(outcome.case.dossiernummer.casefold(), []).append(path.name)
    return {number: files for number, files in by_number.items() if len(files) > 1}


def _produce(path: Path, outcome: Validated | InputError, duplicates: dict[str, list[str]],
             options: Options, prepared: Prepared) -> CaseResult:
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
        made = produce_case(case, path.read_bytes(), options, prepared)
        written = output.replace_case_folder(options.output_dir, case.dossiernummer, made.files)
    except (TemplateError, OutputError, ConversionError) as err:
        problem = Finding(Severity.ERROR, str(err), file=path.name,
                          rule="sjabloon" if isinstance(err, TemplateError) else "uitvoer")
        return CaseResult(path.name, Status.ERRORS, case.dossiernummer, outcome.findings + (problem,))
    findings = outcome.findings + made.findings
    return CaseResult(path.name, CaseResult.status_of(findings), case.dossiernummer, findings,
                      tuple(made.files), made.missing, made.deadlines, written)


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
    """What every case of a batch shares, read once per batch."""

    templates: dict[str, str]  # template name -> SHA-256, for the manifests
    medical_terms: tuple[str, ...] | None
    renderer: render.Renderer  # each template prepared once, on first use


def prepare(options: Options) -> Prepared:
    return Prepared(template_hashes(options.templates_dir), load_terms(options.templates_dir),
                    render.Renderer(options.templates_dir))


def produce_case(case: Case, source: bytes, options: Options, prepared: Prepared) -> CaseOutput:
    """Render the documents, assemble the WIA bundle, check the timeline, zip and list it all."""
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
    files[MANIFEST] = manifest(case, files, source, prepared.templates, options.peildatum, __version__)
    privacy = check_medical_terms(case, prepared.medical_terms)
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
    """SHA-256 of every template the batch uses, read once per batch, for the manifests."""
    names = [kind.template for kind in documents.DOCUMENTS] + [BUNDLE_DOCUMENT]
    return {name: sha256((templates_dir / name).read_bytes()) for name in names if (templates_dir / name).is_file()}
