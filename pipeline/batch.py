"""The batch: every workbook in the input folder through read, validate, render and write.

One bad workbook never stops the batch: its findings go to the report and its earlier output
stays as it was. The core never prints; progress goes to the callback the caller passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from . import documents, output, render
from .errors import Finding, InputError, OutputError, PipelineError, Severity, TemplateError, UsageError
from .model import Case
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
    output.repair(options.output_dir)
    cases, others = discover(options.input_dir)
    checked = {path: _check(path) for path in cases}
    duplicates = _duplicate_numbers(checked)

    results: dict[str, CaseResult] = {}
    for path in others:
        results[path.name] = CaseResult(path.name, Status.SKIPPED, findings=(Finding(
            Severity.NOTE, "dit is geen case-werkmap (.xlsx) en wordt overgeslagen", file=path.name, rule="bestand"),))
    total = len(cases)
    for done, path in enumerate(cases, start=1):
        results[path.name] = _produce(path, checked[path], duplicates, options)
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
             options: Options) -> CaseResult:
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
        files, missing = render_case(case, options)
        written = output.replace_case_folder(options.output_dir, case.dossiernummer, files)
    except (TemplateError, OutputError) as err:
        problem = Finding(Severity.ERROR, str(err), file=path.name, rule="sjabloon"
                          if isinstance(err, TemplateError) else "uitvoer")
        return CaseResult(path.name, Status.ERRORS, case.dossiernummer, outcome.findings + (problem,))
    return CaseResult(path.name, CaseResult.status_of(outcome.findings), case.dossiernummer, outcome.findings,
                      tuple(files), tuple(missing), written)


def render_case(case: Case, options: Options) -> tuple[dict[str, bytes], list[MissingDocument]]:
    """Every document the case has what it needs for, as file name -> bytes; the rest as missing."""
    files: dict[str, bytes] = {}
    missing: list[MissingDocument] = []
    for kind in documents.DOCUMENTS:
        lacking = kind.missing(case)
        if lacking:
            missing.append(MissingDocument(kind.title, "; ".join(lacking)))
            continue
        properties = render.Properties(
            title=f"{kind.title} {case.dossiernummer}", subject="Re-integratie Wet verbetering poortwachter",
            day=kind.day(case, options.peildatum))
        files[kind.filename] = render.render_docx(
            options.templates_dir / kind.template, kind.context(case, options.peildatum), properties)
    return files, missing


__all__ = ["Options", "run_batch", "render_case", "discover", "REPORT_NAME", "PipelineError"]
