"""The manifest of a case folder: every file with its SHA-256, and those of the workbook, the
supplied files and the templates. It proves later what a document was made from, marks a folder
as ours (only such a folder is ever replaced), and lets a rerun see that nothing changed. Its
keys are Dutch, like everything in the output folder a person may open; a change to them comes
with a new pipeline version, which makes every case again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from .. import model as m
from ..files import CHUNK, open_regular
from ..privacy import redact

MANIFEST = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a regular file, read in chunks: a large attachment never sits whole in memory,
    and a named pipe in its place is refused instead of waited on."""
    digest = hashlib.sha256()
    with open_regular(path) as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest(case: m.Case, files: dict[str, bytes], source_sha: str, templates: dict[str, str],
             peildatum: date, version: str, options: dict[str, object], result: dict[str, object]) -> bytes:
    """Every file of the output folder with its SHA-256, and those of the workbook, the supplied
    files and the templates: enough to verify later what a document was made from, and for a
    rerun to see that nothing changed (with what the batch report said of the case)."""
    data = {
        "dossiernummer": case.dossiernummer,
        "peildatum": peildatum.isoformat(),
        "pipeline": version,
        "opties": options,
        "werkmap": {"bestand": redact(case.source_file), "sha256": source_sha},
        "sjablonen": dict(sorted(templates.items())),
        "bijlagen": {b.path: sha256_file(b.file) for b in case.bundle},
        "bestanden": {name: sha256(content) for name, content in sorted(files.items())},
        "resultaat": result,
    }
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def manifest_files(data: bytes) -> dict[str, str] | None:
    """File name -> SHA-256 of the files a manifest of ours lists; None when `data` is not a
    manifest the pipeline wrote (so the folder holding it is not ours to replace). 'pipeline' and
    'bestanden' are read from a manifest of any version: they keep their names."""
    try:
        content = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(content, dict) or not isinstance(content.get("pipeline"), str):
        return None
    listed = content.get("bestanden")
    if not isinstance(listed, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in listed.items()):
        return None
    return listed
