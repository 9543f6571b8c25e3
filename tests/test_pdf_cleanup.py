"""A --pdf batch cleans up after itself: every LibreOffice it kept running is stopped and its
profile folder removed, in the batch process and in each worker process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import EXAMPLES, PEILDATUM, ROOT, TEMPLATES


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice is not installed (.ci/run installs it)")
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_pdf_batch_leaves_no_libreoffice_folder_behind(tmp_path, workers):
    temporary = tmp_path / "tijdelijk"
    temporary.mkdir()
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(EXAMPLES), "--output",
                           str(tmp_path / "uit"), "--templates", str(TEMPLATES), "--peildatum", PEILDATUM, "--pdf",
                           "--workers", workers],
                          cwd=ROOT, env={**os.environ, "TMPDIR": str(temporary)}, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "uit" / "DOS-2025-014" / "plan-van-aanpak.pdf").is_file()
    assert sorted(p.name for p in temporary.iterdir()) == []
