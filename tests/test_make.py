"""The real `make run` path on the shipped examples, as a casemanager starts it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from .conftest import PEILDATUM, ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_the_shipped_examples(tmp_path):
    output_dir = tmp_path / "uitvoer"
    done = subprocess.run(["make", "--no-print-directory", "run",
                           f"ARGS=--output {output_dir} --peildatum {PEILDATUM}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 bestanden verwerkt" in done.stdout
    for number in ("DOS-2025-014", "DOS-2026-007", "DOS-2026-031"):
        text = "\n".join(p.text for p in Document(output_dir / number / "plan-van-aanpak.docx").paragraphs)
        assert "Plan van aanpak" in text and "{{" not in text
    assert (output_dir / "batchrapport.xlsx").is_file()


def _make(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_option_typed_without_quotes_gets_a_dutch_hint_and_nothing_runs(tmp_path):
    done = _make("run", f"ARGS=--output {tmp_path / 'uit'}", "2025-11-03")
    assert done.returncode == 2
    assert "'2025-11-03' is geen opdracht van make" in done.stdout
    assert 'make run ARGS="--peildatum 03-11-2025"' in done.stdout
    assert not (tmp_path / "uit").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_new_case_takes_a_name_with_spaces_and_overwrites_only_when_asked(tmp_path):
    target = tmp_path / "DOS-2026-103 Jansen.xlsx"
    assert _make("new-case", f"BESTAND={target}").returncode == 0
    assert target.is_file()
    again = _make("new-case", f"BESTAND={target}")
    assert again.returncode != 0 and "bestaat al" in again.stdout + again.stderr
    assert _make("new-case", f"BESTAND={target}", "OVERSCHRIJVEN=ja").returncode == 0


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_commands_are_not_echoed_and_clean_leaves_output_alone():
    done = _make("help")
    assert done.returncode == 0 and "grep" not in done.stdout and "lint-templates" in done.stdout
    recipe = _make("-n", "clean").stdout
    assert "output" not in recipe.replace(".venv", "")


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_an_old_python_is_refused_in_dutch_before_anything_is_made(tmp_path):
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'Python 3.10.12'; exit 0; fi\nexit 1\n")
    fake.chmod(0o755)
    venv = tmp_path / "venv"
    done = _make("install", f"PYTHON={fake}", f"VENV={venv}")
    assert done.returncode != 0
    assert "Python 3.11 of nieuwer" in done.stdout and "Python 3.10.12" in done.stdout
    assert not venv.exists() and not (tmp_path / "venv.nieuw").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_check_lints_first_and_stops_before_type_checks_and_tests(tmp_path):
    """`make check` (what CI runs) stops at the linter's finding: mypy and the tests do not run."""
    shutil.copy(ROOT / "Makefile", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "pipeline").mkdir()
    (tmp_path / "pipeline" / "__init__.py").write_text('import os\n\n__version__ = "0"\n', encoding="utf-8")
    venv = Path(sys.prefix)
    # This environment is the one to use as it is: -o keeps make from installing into it again.
    done = _make("-o", f"{venv}/.installed", "check", f"VENV={venv}", cwd=tmp_path)
    assert done.returncode != 0
    assert "pipeline/__init__.py" in done.stdout and "F401" in done.stdout
    assert "mypy" not in done.stdout + done.stderr and "Success" not in done.stdout
    assert "passed" not in done.stdout and "no tests ran" not in done.stdout
    assert "check" in _make("help").stdout
