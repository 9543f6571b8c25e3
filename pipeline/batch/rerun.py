"""Incremental reruns: a case whose inputs did not change keeps its output, unrendered.

The manifest of a case folder already holds the SHA-256 of everything the output was made
from (workbook, supplied files, templates), the peildatum, the pipeline version and the options,
and what the batch report said of the case. A rerun that finds all of these equal, and the
folder's files of ours still as the manifest lists them, reuses that entry instead of rendering
again (files a user added to the folder don't count).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import Finding, Severity
from ..files import read_regular
from ..privacy import redact
from ..results import CaseResult, Deadline, MissingDocument, Status
from .manifest import MANIFEST, sha256_file


def encode_result(result: CaseResult) -> dict[str, Any]:
    """What the batch report says of a case, for its manifest (every text redacted: no BSN). The
    keys are Dutch, as in the rest of the manifest, and named after the report's columns."""
    return {
        "status": result.status.value,
        "dossiernummer": result.dossiernummer,
        "documenten": list(result.documents),
        "niet_gemaakt": [{"document": m.title, "reden": redact(m.reason)} for m in result.missing],
        "meldingen": [
            {"ernst": f.severity.value, "regel": f.rule, "week": f.week, "datum": f.day.isoformat() if f.day else None,
             "sheet": f.sheet, "rij": f.row, "kolom": f.column, "veld": f.label, "melding": redact(f.message)}
            for f in result.findings
        ],
        "termijnen": [{"datum": d.day.isoformat(), "week": d.week, "werknemer": redact(d.employee),
                       "casemanager": redact(d.casemanager), "termijn": redact(d.what), "regel": d.rule,
                       "wia_aanvraag": d.wia_application}
                      for d in result.deadlines],
    }


def decode_result(data: dict[str, Any], file: str) -> CaseResult:
    findings = tuple(
        Finding(Severity(f["ernst"]), f["melding"], file, f["sheet"], f["rij"], f["kolom"], f["veld"],
                f["regel"], f["week"], date.fromisoformat(f["datum"]) if f["datum"] else None)
        for f in data["meldingen"])
    return CaseResult(
        file=file, status=Status(data["status"]), dossiernummer=data["dossiernummer"], findings=findings,
        documents=tuple(data["documenten"]),
        missing=tuple(MissingDocument(m["document"], m["reden"]) for m in data["niet_gemaakt"]),
        deadlines=tuple(Deadline(d["regel"], d["termijn"], d["week"], date.fromisoformat(d["datum"]), d["werknemer"],
                                 d["casemanager"], d["wia_aanvraag"])
                        for d in data["termijnen"]),
        written=False)


def index(output_dir: Path) -> dict[str, Path]:
    """Workbook SHA-256 -> manifest of every earlier good output (only the paths are kept: a
    manifest is read again when its case comes up)."""
    found: dict[str, Path] = {}
    for path in sorted(output_dir.glob(f"*/{MANIFEST}")):
        try:
            found[_load(path)["werkmap"]["sha256"]] = path
        except (OSError, ValueError, KeyError, TypeError):
            continue  # an unreadable manifest only means that case is rendered again
    return found


def _load(manifest: Path) -> dict[str, Any]:
    data = json.loads(read_regular(manifest).decode("utf-8"))
    if not isinstance(data, dict):
        raise TypeError("manifest is geen object")
    return data


def reusable(source_sha: str, manifest: Path | None, input_dir: Path, key: dict[str, Any]) -> str | None:
    """The dossiernummer of this workbook's earlier output, if nothing it was made from changed;
    else None. The result itself is read when the report reaches the case (`earlier_result`)."""
    if manifest is None:
        return None
    folder = manifest.parent
    try:
        data = _load(manifest)
        if any(data.get(name) != value for name, value in key.items()) or data["werkmap"]["sha256"] != source_sha:
            return None
        for relative, digest in data["bijlagen"].items():
            if sha256_file(input_dir / relative) != digest:
                return None
        # Every file of ours as made; files a user added to the folder (a signed scan) don't count.
        if any(sha256_file(folder / name) != digest for name, digest in data["bestanden"].items()):
            return None
        number = data["resultaat"]["dossiernummer"]
        return number if isinstance(number, str) and number else None
    except (OSError, KeyError, TypeError, ValueError):
        return None


def earlier_result(manifest: Path, file: str) -> CaseResult | None:
    """The result stored in a manifest `reusable` accepted (read again, not kept in memory);
    None if it can no longer be read."""
    try:
        return decode_result(_load(manifest)["resultaat"], file)
    except (OSError, KeyError, TypeError, ValueError):
        return None
