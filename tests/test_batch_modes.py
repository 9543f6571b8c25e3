"""Parallel workers and incremental reruns: faster, never different."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from pipeline.batch import rerun as rerun_module

from .conftest import EXAMPLES, TEMPLATES, write_case
from .test_batch import run


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture
def mixed(tmp_path) -> Path:
    """The shipped examples plus a bad workbook and a pair with one dossiernummer."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    write_case(folder / "kapot.xlsx", {"Dossiernummer": "K-1", "Eerste ziektedag": "gisteren"})
    write_case(folder / "paar-a.xlsx", {"Dossiernummer": "P-1"})
    write_case(folder / "paar-b.xlsx", {"Dossiernummer": "p-1"})
    return folder


def test_two_workers_give_exactly_what_one_gives(mixed, tmp_path):
    one = run(mixed, tmp_path / "een", "--workers", "1", peildatum="2026-11-23")
    two = run(mixed, tmp_path / "twee", "--workers", "2", peildatum="2026-11-23")
    assert one.exit_code == two.exit_code == 1
    assert snapshot(tmp_path / "een") == snapshot(tmp_path / "twee")
    assert one.output.replace(str(tmp_path / "een"), "X") == two.output.replace(str(tmp_path / "twee"), "X")


def rerun(input_dir: Path, output_dir: Path, *extra: str, templates: Path = TEMPLATES):
    from click.testing import CliRunner

    from pipeline.cli import cli
    return CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates",
                                    str(templates), "--peildatum", "2026-11-23", "--workers", "1", *extra])


def test_unchanged_rerun_renders_nothing_and_reports_the_same(examples, tmp_path, counted):
    out = tmp_path / "out"
    assert rerun(examples, out).exit_code == 0
    assert sorted(counted) == ["DOS-2025-014", "DOS-2026-007", "DOS-2026-031"]
    before = snapshot(out)
    counted.clear()
    result = rerun(examples, out)
    assert result.exit_code == 0 and counted == []
    assert snapshot(out) == before  # the batch report too: every case listed as before
    assert "3 dossiers ongewijzigd sinds de vorige run" in result.output
    counted.clear()
    assert rerun(examples, out, "--force").exit_code == 0
    assert sorted(counted) == ["DOS-2025-014", "DOS-2026-007", "DOS-2026-031"]
    assert snapshot(out) == before


def test_a_changed_workbook_supplied_file_or_output_is_made_again(examples, tmp_path, counted):
    out = tmp_path / "out"
    rerun(examples, out)
    write_case(examples / "DOS-2026-031 El Amrani.xlsx", {"Dossiernummer": "DOS-2026-031", "Functie": "Chauffeur"})
    (examples / "bijlagen" / "DOS-2025-014" / "actueel-oordeel.pdf").write_bytes(b"%PDF-1.4\n% nieuw\n")
    (out / "DOS-2026-007" / "trajectplan.docx").write_bytes(b"kapot")
    counted.clear()
    assert rerun(examples, out).exit_code == 0
    assert sorted(counted) == ["DOS-2025-014", "DOS-2026-007", "DOS-2026-031"]
    assert Document(out / "DOS-2026-007" / "trajectplan.docx").paragraphs  # restored
    counted.clear()
    rerun(examples, out)
    assert counted == []


def test_changed_templates_or_peildatum_make_every_case_again(examples, tmp_path, counted):
    out = tmp_path / "out"
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    rerun(examples, out, templates=templates)
    document = Document(templates / "eindevaluatie.docx")
    document.add_paragraph("Aangepaste slotzin van de beheerder.")
    document.save(templates / "eindevaluatie.docx")
    counted.clear()
    rerun(examples, out, templates=templates)
    assert len(counted) == 3
    counted.clear()
    with (templates / "medische-termen.txt").open("a", encoding="utf-8") as terms:
        terms.write("slaapapneu\n")
    rerun(examples, out, templates=templates)
    assert len(counted) == 3  # a longer terms list can change the findings of every case
    counted.clear()
    from click.testing import CliRunner

    from pipeline.cli import cli
    CliRunner().invoke(cli, ["run", "--input", str(examples), "--output", str(out), "--templates", str(templates),
                             "--peildatum", "2026-11-30", "--workers", "1"])
    assert len(counted) == 3


def test_a_reused_case_that_now_clashes_is_an_error(examples, tmp_path):
    out = tmp_path / "out"
    rerun(examples, out)
    write_case(examples / "zz-nieuw.xlsx", {"Dossiernummer": "DOS-2026-031"})
    result = rerun(examples, out)
    assert result.exit_code == 1
    assert "staat ook in zz-nieuw.xlsx" in result.output and "staat ook in DOS-2026-031 El Amrani.xlsx" in result.output


def test_a_partial_rerun_reports_every_file_in_name_order(examples, tmp_path, counted):
    """Reused, remade and skipped files meet in one report, in file-name order, as a full run has them."""
    out = tmp_path / "out"
    (examples / "notitie.txt").write_text("geen werkmap", encoding="utf-8")
    rerun(examples, out)
    before = list(openpyxl.load_workbook(out / "batchrapport.xlsx")["Meldingen"].iter_rows(min_row=2, values_only=True))
    counted.clear()
    write_case(examples / "DOS-2026-031 El Amrani.xlsx", {"Dossiernummer": "DOS-2026-031", "Functie": "Chauffeur"})
    assert rerun(examples, out).exit_code == 0
    assert counted == ["DOS-2026-031"]  # the two others reused, between them the skipped note
    report = openpyxl.load_workbook(out / "batchrapport.xlsx")
    files = [row[0] for row in report["Overzicht"].iter_rows(min_row=2, values_only=True)]
    assert files == ["DOS-2025-014 Bakker.xlsx", "DOS-2026-007 Hendriks.xlsx", "DOS-2026-031 El Amrani.xlsx",
                     "notitie.txt"]
    reused = [row for row in report["Meldingen"].iter_rows(min_row=2, values_only=True)
              if row[0] != "DOS-2026-031 El Amrani.xlsx"]
    assert reused and reused == [row for row in before if row[0] != "DOS-2026-031 El Amrani.xlsx"]


def test_a_manifest_unreadable_since_the_check_makes_its_case_again(examples, tmp_path, counted, monkeypatch):
    out = tmp_path / "out"
    rerun(examples, out)
    original = rerun_module.earlier_result
    monkeypatch.setattr(rerun_module, "earlier_result",
                        lambda manifest, file: None if "Hendriks" in file else original(manifest, file))
    counted.clear()
    result = rerun(examples, out)
    assert result.exit_code == 0 and counted == ["DOS-2026-007"]
    files = [row[0] for row in openpyxl.load_workbook(out / "batchrapport.xlsx")["Overzicht"].iter_rows(
        min_row=2, values_only=True)]
    assert files == sorted(p.name for p in examples.glob("*.xlsx"))
