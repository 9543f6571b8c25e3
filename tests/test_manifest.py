"""The manifest of a case folder: its keys, and what a rerun does with one written by an earlier
version of the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline import __version__
from pipeline.batch import rerun as rerun_module
from pipeline.cli import cli

from .conftest import PEILDATUM, TEMPLATES

NUMBERS = ["DOS-2025-014", "DOS-2026-007", "DOS-2026-031"]
# The keys of a manifest and of the result it keeps: Dutch, like everything in the output folder
# a person may open. Changing one is a new manifest: it needs a new pipeline version (a rerun
# then makes every case again instead of reading what it cannot).
KEYS = {"dossiernummer", "peildatum", "pipeline", "opties", "werkmap", "sjablonen", "bijlagen", "bestanden",
        "resultaat"}
WORKBOOK_KEYS = {"bestand", "sha256"}
RESULT_KEYS = {"status", "dossiernummer", "documenten", "niet_gemaakt", "meldingen", "termijnen"}
MISSING_KEYS = {"document", "reden"}
FINDING_KEYS = {"ernst", "regel", "week", "datum", "sheet", "rij", "kolom", "veld", "melding"}
DEADLINE_KEYS = {"datum", "week", "werknemer", "casemanager", "termijn", "regel", "wia_aanvraag"}


def run(input_dir: Path, output_dir: Path, *extra: str):
    return CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates",
                                    str(TEMPLATES), "--peildatum", PEILDATUM, "--workers", "1", *extra])


def manifests(output_dir: Path) -> dict[str, dict]:
    return {number: json.loads((output_dir / number / "manifest.json").read_text(encoding="utf-8"))
            for number in NUMBERS}


def documents(output_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(output_dir)): p.read_bytes() for p in sorted(output_dir.rglob("*"))
            if p.is_file() and p.name != "manifest.json" and not p.name.startswith(".")}


def test_every_key_of_the_manifest_is_dutch(examples, tmp_path):
    out = tmp_path / "uit"
    assert run(examples, out).exit_code == 0
    findings = deadlines = missing = 0
    for number, data in manifests(out).items():
        assert set(data) == KEYS, number
        assert data["pipeline"] == __version__ and data["dossiernummer"] == number
        assert set(data["werkmap"]) == WORKBOOK_KEYS and set(data["opties"]) == {"pdf"}
        result = data["resultaat"]
        assert set(result) == RESULT_KEYS, number
        for item in result["niet_gemaakt"]:
            assert set(item) == MISSING_KEYS
            missing += 1
        for item in result["meldingen"]:
            assert set(item) == FINDING_KEYS
            findings += 1
        for item in result["termijnen"]:
            assert set(item) == DEADLINE_KEYS
            deadlines += 1
    assert findings and deadlines and missing  # every kind of entry was looked at


def _as_written_by_0_2_0(data: dict) -> dict:
    """A manifest as version 0.2.0 wrote it: the same, but its findings and deadlines had English keys."""
    result = data["resultaat"]
    findings = [{"message": f["melding"], "sheet": f["sheet"], "row": f["rij"], "column": f["kolom"],
                 "label": f["veld"], "rule": f["regel"], "week": f["week"], "severity": f["ernst"], "day": f["datum"]}
                for f in result["meldingen"]]
    deadlines = [{"rule": d["regel"], "what": d["termijn"], "week": d["week"], "day": d["datum"],
                  "employee": d["werknemer"], "casemanager": d["casemanager"], "wia_application": d["wia_aanvraag"]}
                 for d in result["termijnen"]]
    return {**data, "pipeline": "0.2.0", "resultaat": {**result, "meldingen": findings, "termijnen": deadlines}}


def test_a_rerun_over_output_of_an_earlier_version_makes_every_case_again(examples, tmp_path, counted, monkeypatch):
    out = tmp_path / "uit"
    assert run(examples, out).exit_code == 0
    made = documents(out)
    current = manifests(out)
    for number, data in current.items():
        old = json.dumps(_as_written_by_0_2_0(data), indent=2, ensure_ascii=False) + "\n"
        (out / number / "manifest.json").write_text(old, encoding="utf-8")
    taken: list[str] = []  # manifests a rerun took a case's result from
    original = rerun_module.earlier_result
    monkeypatch.setattr(rerun_module, "earlier_result", lambda manifest, file: taken.append(file) or original(
        manifest, file))
    counted.clear()
    result = run(examples, out)
    assert result.exit_code == 0, result.output
    # Decided from the version before anything is read: no result of an old manifest is used.
    assert sorted(counted) == NUMBERS and taken == [] and "ongewijzigd" not in result.output
    # The old folders were recognised as the pipeline's and replaced: the same documents, and
    # manifests of this version again.
    assert documents(out) == made
    assert manifests(out) == current
    counted.clear()
    assert run(examples, out).exit_code == 0 and counted == [] and len(taken) == 3  # from now on reused


def test_documents_made_by_another_version_are_made_again(examples, tmp_path, counted):
    """The same workbook, templates and peildatum, but documents from an older pipeline."""
    out = tmp_path / "uit"
    assert run(examples, out).exit_code == 0
    path = out / "DOS-2026-007" / "manifest.json"
    path.write_text(path.read_text(encoding="utf-8").replace(f'"pipeline": "{__version__}"', '"pipeline": "0.2.0"'),
                    encoding="utf-8")
    counted.clear()
    assert run(examples, out).exit_code == 0
    assert counted == ["DOS-2026-007"]
