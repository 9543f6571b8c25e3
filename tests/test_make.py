"""The real `make run` path on the shipped examples, as a casemanager starts it."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from docx import Document

from .conftest import PEILDATUM, ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_on_the_shipped_examples(tmp_path):
    output_dir = tmp_path / "uitvoer"
    done = subprocess.run(["make", "--no-print-directory", "run", f"ARGS=--output {output_dir} --peildatum {PEILDATUM}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 bestand(en) verwerkt" in done.stdout
    for number in ("DOS-2025-014", "DOS-2026-007", "DOS-2026-031"):
        text = "\n".join(p.text for p in Document(output_dir / number / "plan-van-aanpak.docx").paragraphs)
        assert "Plan van aanpak" in text and "{{" not in text
    assert (output_dir / "batchrapport.xlsx").is_file()
