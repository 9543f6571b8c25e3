"""Checks stage, privacy: medical terms in text that ends up in documents for the employer.

Documents for the employer carry no diagnosis or treatment (AVG; seed 003); functional limits
are fine. Every free-text field of the case is held against a list of terms that administrators
maintain in `templates/medische-termen.txt`; a hit is a warning at the cell, so the casemanager
can rephrase it in functional terms. The check never blocks a document.
"""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from . import contract
from . import model as m
from .errors import Finding, Severity

TERMS_FILE = "medische-termen.txt"
# Fields that name people, organisations, contact details or files: not prose about the employee.
_NOT_PROSE = {"employee_name", "employer", "name", "organisation", "email", "phone", "file", "path", "written_by",
              "who", "performer", "dossiernummer", "job_title", "employer_business", "function", "sector",
              "found_via", "applied_how", "proof", "kind", "bsn"}


def load_terms(templates_dir: Path) -> tuple[str, ...] | None:
    """The terms of `<templates>/medische-termen.txt`, or None when the file is absent."""
    path = templates_dir / TERMS_FILE
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(t.strip().casefold() for t in lines if t.strip() and not t.lstrip().startswith("#"))


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # A term counts at the start of a word, also after a hyphen ('depressie' finds 'depressief',
    # 'operatie' finds 'hernia-operatie', 'therapie' not 'fysiotherapie'); longer terms first so
    # the message names the most specific one.
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})", re.IGNORECASE)


def _labels(spec: contract.Sheet) -> dict[str, str]:
    return {f.attr: f.label for f in spec.fields}


def check_medical_terms(case: m.Case, terms: tuple[str, ...] | None) -> tuple[Finding, ...]:
    if terms is None:
        return (Finding(Severity.NOTE, f"de privacycontrole op medische termen is overgeslagen: {TERMS_FILE} "
                                       "ontbreekt in de sjablonenmap", case.source_file, rule="medisch"),)
    if not terms:
        return ()
    pattern = _pattern(terms)
    found: list[Finding] = []

    def scan(record: object, spec: contract.Sheet, where: dict) -> None:
        labels = _labels(spec)
        for f in fields(record):  # type: ignore[arg-type]
            value = getattr(record, f.name)
            if f.name in _NOT_PROSE or f.name not in labels or not isinstance(value, str):
                continue
            hits = list(dict.fromkeys(h.casefold() for h in pattern.findall(value)))
            if hits:
                named = ", ".join(f"'{h}'" for h in hits)
                found.append(Finding(
                    Severity.WARNING,
                    f"{named} {'is een medische term' if len(hits) == 1 else 'zijn medische termen'}; documenten "
                    "voor de werkgever bevatten geen diagnose of behandeling. Beschrijf het functioneel, zoals de "
                    "bedrijfsarts dat doet (bijvoorbeeld 'maximaal 4 uur per dag', 'niet tillen boven 10 kg').",
                    case.source_file, rule="medisch", **where(f.name, labels[f.name])))

    def dossier_where(attr: str, label: str) -> dict:
        source = case.sources.get(attr)
        return {"sheet": source.sheet if source else contract.DOSSIER.name, "row": source.row if source else None,
                "label": label}

    def row_where(record: object) -> object:
        source: m.Source = record.source  # type: ignore[attr-defined]
        return lambda attr, label: {"sheet": source.sheet, "row": source.row or None, "column": label}

    scan(case, contract.DOSSIER, dossier_where)
    for spec, records in ((contract.AFSPRAKEN, case.agreements), (contract.BIJSTELLINGEN, case.bijstellingen),
                          (contract.EVALUATIES, case.evaluations), (contract.PERSOONSPROFIEL, case.persoonsprofiel),
                          (contract.ZOEKPROFIEL, case.zoekprofiel), (contract.INTERVENTIES, case.interventions)):
        for record in records:
            scan(record, spec, row_where(record))
    if case.eindevaluatie:
        scan(case.eindevaluatie, contract.EINDEVALUATIE,
             lambda attr, label: {"sheet": contract.EINDEVALUATIE.name, "label": label})
    return tuple(found)
