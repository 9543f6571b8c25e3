"""Nothing lost, nothing leaks: random input, kill -9, concurrent runs, BSN scan, templates."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.batch import output
from pipeline.batch.manifest import sha256
from pipeline.checks.medical import MedicalTerms, check_medical_terms
from pipeline.checks.timeline import check_timeline
from pipeline.cli import cli
from pipeline.documents import render
from pipeline.errors import InputError, TemplateError
from pipeline.intake import contract
from pipeline.intake.reader import read_workbook
from pipeline.intake.validate import validate

from .conftest import EXAMPLES, ROOT, TEMPLATES, write_case
from .test_batch import run

PROPS = render.Properties("t", "s", date(2025, 1, 1))

# --- random cell values into every sheet and column --------------------------------------------

cell_values = st.one_of(
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40),
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31)),
    st.sampled_from(["ja", "nee", "1 en 2", "gisteren", "03-11-2025", "31-02-2025", "=A1", "#N/A", "123456782",
                     "../x", "burn-out", "{{ 7*7 }}", "€ 2.450,50", "2,5"]),
)


def _writable(value):
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")  # what Excel can hold
    return value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=st.sampled_from([s for s in contract.SHEETS]), data=st.data())
def test_random_values_only_ever_give_our_own_errors(tmp_path, sheet, data):
    """Whatever lands in a cell, the pipeline answers with a case or with its own InputError."""
    path = tmp_path / "random.xlsx"
    if sheet.shape is contract.Shape.KEY_VALUE and sheet is contract.DOSSIER:
        labels = [f.label for f in sheet.fields]
        changes = {label: _writable(data.draw(cell_values)) for label in data.draw(st.lists(st.sampled_from(labels),
                                                                                             max_size=6))}
        write_case(path, {k: v for k, v in changes.items()})
    elif sheet.shape is contract.Shape.KEY_VALUE:
        write_case(path, key_value={sheet.name: {f.label: _writable(data.draw(cell_values)) for f in sheet.fields}})
    else:
        rows = [[_writable(data.draw(cell_values)) for _ in sheet.fields] for _ in range(data.draw(st.integers(1, 3)))]
        write_case(path, tables={sheet.name: [[f.label for f in sheet.fields], *rows]})
    try:
        case = validate(read_workbook(path)).case
    except InputError as err:
        assert all(str(f) for f in err.findings)
        return
    check_timeline(case, date(2026, 11, 23))
    check_medical_terms(case, MedicalTerms(("burn-out",)))


# --- a run killed at any moment leaves complete or old folders ---------------------------------

def _complete(folder: Path) -> bool:
    """A case folder is complete when its manifest names exactly its files, hashes matching."""
    listed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["bestanden"]
    present = {p.name for p in folder.iterdir() if p.name != "manifest.json"}
    return present == set(listed) and all(sha256((folder / n).read_bytes()) == h for n, h in listed.items())


def _pipeline(input_dir: Path, output_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--input", str(input_dir), "--output",
                             str(output_dir), "--templates", str(TEMPLATES), "--peildatum", "2026-11-23"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def many_cases(tmp_path_factory) -> Path:
    """Eight copies of the full example, each its own dossier, bundle attachments included."""
    folder = tmp_path_factory.mktemp("veel")
    shutil.copytree(EXAMPLES / "bijlagen", folder / "bijlagen")
    source = next(EXAMPLES.glob("DOS-2025-014*.xlsx"))
    for i in range(8):
        workbook = openpyxl.load_workbook(source)
        sheet = workbook["Dossier"]
        for row in sheet.iter_rows(min_row=2):
            if row[0].value == "Dossiernummer":
                row[1].value = f"KILL-{i:02d}"
        workbook.save(folder / f"kill-{i:02d}.xlsx")
    return folder


@pytest.mark.parametrize("delay", [0.9, 2.2])
def test_kill_9_at_any_moment_leaves_no_half_written_output(many_cases, tmp_path, delay):
    output_dir = tmp_path / "out"
    first = _pipeline(many_cases, output_dir)
    first.wait(timeout=300)  # a complete earlier run: every folder old and good
    for folder in output_dir.glob("KILL-*"):
        (folder / "plan-van-aanpak.docx").write_bytes(b"old")  # make the next run rewrite every folder
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        manifest["bestanden"]["plan-van-aanpak.docx"] = sha256(b"old")
        (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    victim = _pipeline(many_cases, output_dir)
    time.sleep(delay)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    for folder in output_dir.glob("KILL-*"):
        assert _complete(folder), folder.name
    report = output_dir / "batchrapport.xlsx"
    openpyxl.load_workbook(report)  # never a half-written report
    assert _pipeline(many_cases, output_dir).wait(timeout=300) == 0
    assert not [p for p in output_dir.iterdir() if ".nieuw-" in p.name or ".oud-" in p.name or p.suffix == ".tmp"]
    assert all(_complete(folder) for folder in output_dir.glob("KILL-*"))
    assert len(list(output_dir.glob("KILL-*"))) == 8


def test_a_second_batch_on_the_same_output_is_refused(many_cases, tmp_path):
    """While one batch holds the output folder (here: this test holds its lock), another stops."""
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    args = ["run", "--input", str(many_cases), "--output", str(output_dir), "--templates", str(TEMPLATES),
            "--workers", "1"]
    with output.batch_lock(output_dir):
        second = CliRunner().invoke(cli, args)
    assert second.exit_code == 2
    assert "Er loopt al een batch op de uitvoermap" in second.output
    assert not list(output_dir.glob("KILL-*"))  # nothing touched
    assert CliRunner().invoke(cli, args).exit_code == 0  # the lock is gone with its holder
    assert all(_complete(folder) for folder in output_dir.glob("KILL-*"))


# --- no BSN outside the documents for UWV ------------------------------------------------------

def test_no_bsn_in_any_non_document_output(examples, tmp_path, capsys):
    bsns = {"123456782", "111222333", "012345672", "12345672", "999999990"}
    write_case(examples / "999999990.xlsx", {"Dossiernummer": "LEK-1", "BSN": "999999990",
                                             "Functie": "999999990", "Maandloon": "123456782"})
    write_case(examples / "lek2.xlsx", {"Dossiernummer": "999999990"})
    write_case(examples / "lek3.xlsx", {"Dossiernummer": "LEK-3", "BSN": 12345672, "Eerste ziektedag": "999999990"})
    output_dir = tmp_path / "out"
    result = run(examples, output_dir, peildatum="2026-11-23")
    texts = [result.output]
    for path in output_dir.rglob("*"):
        texts.append(str(path.relative_to(output_dir)))
        if path.suffix in (".json",):
            texts.append(path.read_text(encoding="utf-8"))
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts.extend(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                texts.extend(archive.namelist())
    everything = "\n".join(texts)
    leaked = {b for b in bsns if b in everything}
    assert not leaked
    # ... while the documents for UWV do carry it.
    assert "123456782" in "\n".join(p.text for p in Document(output_dir / "DOS-2025-014" / "wia-bundel.docx")
                                    .tables[0]._cells[3:4][0].paragraphs)


# --- templates that misbehave ------------------------------------------------------------------

def one_line_template(path: Path, line: str) -> Path:
    document = Document()
    document.add_paragraph(line)
    document.save(path)
    return path


def test_template_that_runs_too_long_is_stopped(tmp_path):
    slow = one_line_template(tmp_path / "traag.docx",
                             "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateError, match="traag.docx: het invullen duurde langer dan 1 seconden"):
        render.render_docx(slow, {}, PROPS, time_limit=1)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("line", ["{{ 'x' * 1000000000 }}", "{{ 2 ** 100000 }}", "{{ [1] * 10000000 }}"])
def test_template_building_huge_values_is_refused(tmp_path, line):
    with pytest.raises(TemplateError, match="niet is toegestaan"):
        render.render_docx(one_line_template(tmp_path / "groot.docx", line), {}, PROPS)


def lint(folder: Path):
    return CliRunner().invoke(cli, ["lint-templates", "--templates", str(folder)])


def test_shipped_templates_pass_the_lint():
    result = lint(TEMPLATES)
    assert result.exit_code == 0, result.output
    assert "9 sjablonen gecontroleerd, 0 problemen." in result.output


def broken_copy(tmp_path: Path, add) -> Path:
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    document = Document(folder / "plan-van-aanpak.docx")
    add(document.add_paragraph())
    document.save(folder / "plan-van-aanpak.docx")
    return folder


@pytest.mark.parametrize("build, expected", [
    (lambda p: p.add_run("Beste {{ werknemr }},"),
     "plan-van-aanpak.docx (document.xml): onbekend veld 'werknemr': dit document kent dat niet. "
     "Bedoelt u 'werknemer'?\n    bij: «"),
    (lambda p: p.add_run("{% for a in afspraken %}{{ a.watt }}{% endfor %}"),
     "onbekend veld 'watt' (kent: uiterlijk, wat, wie). Bedoelt u 'wat'?"),
    (lambda p: p.add_run("{% if werknemer %} zonder einde"), "fout in een sjabloon-opdracht"),
    (lambda p: (p.add_run("{{ werk"), p.add_run("nemer }}").bold), "door Word-opmaak in stukken geknipt"),
    (lambda p: p.add_run("{{ werknemer.__class__.__mro__ }}"), "'__class__' probeert Python-onderdelen te bereiken"),
])
def test_lint_finds_template_problems_with_the_text_around_them(tmp_path, build, expected):
    result = lint(broken_copy(tmp_path, build))
    assert result.exit_code == 1
    assert expected in result.output
    assert "1 probleem." in result.output


def test_lint_names_a_missing_template(tmp_path):
    folder = tmp_path / "leeg"
    shutil.copytree(TEMPLATES, folder)
    (folder / "trajectplan.docx").unlink()
    result = lint(folder)
    assert result.exit_code == 1 and "trajectplan.docx: het sjabloon ontbreekt" in result.output
