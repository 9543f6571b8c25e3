"""One case from workbook to written folder: read, validate, check, render, bundle and write; any
problem becomes the case's result (one case, one fate).
"""

from __future__ import annotations

import lzma
import os
import traceback
import zipfile
import zlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..bundle import pdf
from ..bundle.pdf import ConversionError
from ..errors import Finding, InputError, OutputError, Severity, TemplateError, UsageError
from ..files import os_problem, printable, shown_name
from ..privacy import redact
from ..results import CaseResult, Deadline, MissingDocument, Status
from . import output, rerun
from .manifest import MANIFEST, sha256_file
from .options import Options
from .report import LOG_NAME
from .workers import Prepared, _prepared

if TYPE_CHECKING:
    from .. import documents
    from ..checks.medical import MedicalTerms
    from ..documents import render
    from ..intake.reader import RawWorkbook
    from ..intake.validate import Validated
    from ..model import Case


def _number(path: Path, options: Options) -> str | None:
    from ..intake.reader import dossiernummer_of

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


def read_workbook(path: Path) -> RawWorkbook:
    """The workbook as read (`workbook.read_workbook`, imported when the first case is read)."""
    from ..intake.reader import read_workbook as read

    return read(path)


def check_medical_terms(case: Case, terms: MedicalTerms | None) -> tuple[Finding, ...]:
    """`medical.check_medical_terms`, imported when the first case is checked."""
    from ..checks.medical import check_medical_terms as check

    return check(case, terms)


def _check(path: Path) -> Validated | InputError | None:
    """The validated case, or why the workbook cannot be used; None for a workbook nothing was
    filled in yet (as new-case made it)."""
    from ..intake.reader import unreadable
    from ..intake.validate import validate

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
                   sheet=printable(f.sheet) if f.sheet else f.sheet,
                   column=printable(f.column) if f.column else f.column,
                   label=printable(f.label) if f.label else f.label)


def _produce(path: Path, duplicates: dict[str, list[str]], digest: str, options: Options) -> CaseResult:
    """One case from workbook to written folder; any problem becomes the case's result. A case
    with any error finding gets nothing written: its earlier output stays as it was."""
    from .manifest import manifest

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
    from ..documents import render

    return render.Properties(title=f"{title} {case.dossiernummer}",
                             subject="Re-integratie Wet verbetering poortwachter", day=day)


def produce_case(case: Case, options: Options, prepared: Prepared) -> CaseOutput:
    """Check the case, then render the documents, assemble the WIA bundle and zip it; the manifest
    is added by the caller, once the case's result is known. A case whose checks find an error
    gets no files: nothing is rendered for it."""
    from .. import documents
    from ..bundle.index import BUNDLE_DOCUMENT, assemble, zip_bundle
    from ..checks.measures import for_planning
    from ..checks.timeline import check_timeline
    from ..model import RuleKey

    made, missing = _documents_for(case, options.peildatum)
    extension = ".pdf" if options.pdf else ".docx"
    bundle = assemble(case, tuple(f.filename.replace(".docx", extension) for f in made), options.peildatum)
    checked = check_timeline(case, options.peildatum)
    findings = check_medical_terms(case, prepared.medical_terms) + bundle.findings + checked.findings
    # The bundle's own deadlines name whose case it is, as the timeline's do (the planning list).
    wia = next((d.day for d in checked.deadlines if d.rule == RuleKey.WIA_AANVRAAG.value), None)
    deadlines = checked.deadlines + tuple(for_planning(case, bundle.deadlines, wia))
    if any(f.severity is Severity.ERROR for f in findings):
        return CaseOutput({}, tuple(missing), findings, deadlines)
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
    index_name = BUNDLE_DOCUMENT.replace(".docx", extension)
    files[f"{case.dossiernummer}-wia-bundel.zip"] = zip_bundle(bundle, files, index_name)
    return CaseOutput(files, tuple(missing), findings, deadlines)


def render_documents(case: Case, options: Options,
                     renderer: render.Renderer) -> tuple[dict[str, bytes], list[MissingDocument]]:
    """Every document the case has what it needs for, as file name -> bytes; the rest as missing."""
    made, missing = _documents_for(case, options.peildatum)
    return _render(made, case, renderer), missing


def _documents_for(case: Case, peildatum: date) -> tuple[list[documents.DocumentFile], list[MissingDocument]]:
    """The files of the documents the case has what it needs for (a kind may make several, one
    per bijstelling or report), and the rest as missing with the reason."""
    from .. import documents

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


def _not_filled_in(name: str) -> CaseResult:
    """A workbook as new-case wrote it, in which nothing was filled in yet: skipped, not an error."""
    return CaseResult(name, Status.SKIPPED, findings=(Finding(
        Severity.NOTE, "deze werkmap is nog niet ingevuld en wordt overgeslagen. Vul minstens de sheets Dossier, "
                       "Betrokkenen en Afspraken in (de sheet Uitleg zegt wat er in elke kolom hoort) en start de "
                       "batch opnieuw", file=name, rule="bestand"),))
