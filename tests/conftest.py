"""Shared helpers: build case workbooks in code, one small input per scenario."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EXAMPLES = ROOT / "input"
PEILDATUM = "2026-11-23"

VALID_BSN = "123456782"

DOSSIER: dict[str, Any] = {
    "Dossiernummer": "T-001",
    "Naam werknemer": "Anna de Wit",
    "BSN": VALID_BSN,
    "Functie": "Administratief medewerker",
    "Werkgever": "Testbedrijf B.V.",
    "Eerste ziektedag": date(2025, 1, 6),
    "Datum probleemanalyse": date(2025, 2, 5),
    "Datum plan van aanpak": date(2025, 2, 19),
    "Re-integratiedoel": "Terugkeer in het eigen werk.",
    "Visie werkgever": "Terugkeer is haalbaar.",
    "Visie werknemer": "Ik wil terug.",
    "Spoor": "1",
}

TABLES: dict[str, list[list[Any]]] = {
    "Betrokkenen": [
        ["Rol", "Naam", "Organisatie", "E-mail", "Telefoon"],
        ["werkgever", "Piet Baas", "Testbedrijf B.V.", "piet@test.example", None],
        ["werknemer", "Anna de Wit", None, None, None],
        ["casemanager", "Carla Case", "Testbedrijf B.V.", None, None],
    ],
    "Afspraken": [
        ["Afspraak", "Wie", "Uiterlijk", "Status"],
        ["Opbouw uren", "Anna de Wit", date(2025, 3, 15), "open"],
    ],
}


def write_case(
    path: Path,
    dossier: dict[str, Any] | None = None,
    tables: dict[str, list[list[Any]] | None] | None = None,
    *,
    dossier_sheet: str = "Dossier",
    drop: tuple[str, ...] = (),
    key_value: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """A case workbook: the valid minimal case, with `dossier` fields and `tables` replaced.

    A value of None in `dossier` removes the label; a table of None removes the sheet.
    """
    fields = {**DOSSIER, **(dossier or {})}
    sheets = {**TABLES, **(tables or {})}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = dossier_sheet
    sheet.append(["Veld", "Waarde"])
    for label, value in fields.items():
        if value is not None and label not in drop:
            sheet.append([label, value])
    for name, rows in sheets.items():
        if rows is None or name in drop:
            continue
        table = workbook.create_sheet(name)
        for row in rows:
            table.append(row)
    for name, values in (key_value or {}).items():
        kv = workbook.create_sheet(name)
        for label, value in values.items():
            kv.append([label, value])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """(input, output) folders for one batch."""
    input_dir, output_dir = tmp_path / "input", tmp_path / "output"
    input_dir.mkdir()
    return input_dir, output_dir


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A copy of the shipped example input folder, bundle attachments included."""
    target = tmp_path / "voorbeelden"
    shutil.copytree(EXAMPLES, target)
    return target


FULL_EXAMPLE = EXAMPLES / "DOS-2025-014 Bakker.xlsx"
EARLY_EXAMPLE = EXAMPLES / "DOS-2026-031 El Amrani.xlsx"


@pytest.fixture(scope="session")
def full_case():
    """The shipped tweede-spoor example through eindevaluatie, as a case model."""
    from pipeline.intake.reader import read_workbook
    from pipeline.intake.validate import validate

    return validate(read_workbook(FULL_EXAMPLE)).case


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The dossiernummers of the cases rendered (workers=1 renders in this process)."""
    from pipeline import batch

    calls: list[str] = []
    original = batch.case.produce_case

    def counting(case, options, prepared):
        calls.append(case.dossiernummer)
        return original(case, options, prepared)

    monkeypatch.setattr(batch.case, "produce_case", counting)
    return calls
