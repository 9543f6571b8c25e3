"""Stopping a batch: Ctrl-C (SIGINT) or SIGTERM ends it within seconds, with every worker and
LibreOffice it started, leaves no half-written file, says what was done, and exits 130 or 143."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import output
from pipeline.cli import main

from .conftest import PEILDATUM, ROOT, TEMPLATES, write_case

LINUX = Path("/proc/self/stat").exists()
OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(root: int) -> dict[tuple[int, str], str]:
    """(pid, start time) -> command line of every process below `root` (the start time tells a
    process from a later one that got the same number)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            fields = _stat(pid)
            if fields is None:
                continue
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                command = ""
            found[(pid, fields[19])] = command
            todo.append(pid)
    return found


def _running(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] not in ("Z", "X")


def _complete(folder: Path) -> bool:
    """Every file the case folder's manifest lists is there, as listed."""
    listed = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["bestanden"]
    return all(hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest for name, digest in listed.items())


def _cases(input_dir: Path, count: int) -> None:
    for i in range(count):
        write_case(input_dir / f"case-{i:02d}.xlsx", {"Dossiernummer": f"S-{i:02d}"})


CASES = 6
START_WITH_SPAWN = ("import sys; from pipeline import batch; batch.workers._start_method = lambda: 'spawn'; "
                    "from pipeline.cli import main; sys.exit(main(sys.argv[1:]))")


def _stop_a_running_batch(tmp_path: Path, how: signal.Signals, *options: str, spawn: bool = False,
                          office: bool = False,
                          terminal: bool = False) -> tuple[subprocess.CompletedProcess, Path, dict]:
    """Start a real batch, wait until its first case is written (and, with --pdf, LibreOffice
    runs), send `how` to the batch process alone (as `kill` does) or, with `terminal`, to every
    process of it (as Ctrl-C in a terminal or a Windows console does), and wait for it to end."""
    input_dir, output_dir, scratch = tmp_path / "in", tmp_path / "out", tmp_path / "tmp"
    _cases(input_dir, CASES)
    scratch.mkdir()
    args = ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates", str(TEMPLATES),
            "--peildatum", PEILDATUM, *options]
    command = [sys.executable, "-c", START_WITH_SPAWN, *args] if spawn else [sys.executable, "-m", "pipeline", *args]
    # Its own temporary folder: what its LibreOffice profiles and conversions leave is ours to see.
    batch_process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "TMPDIR": str(scratch)}, start_new_session=terminal)
    seen: dict[tuple[int, str], str] = {}
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and batch_process.poll() is None:
            seen.update(_descendants(batch_process.pid))
            started_office = any("soffice" in line for line in seen.values())
            if any(output_dir.glob("S-*/manifest.json")) and (started_office or not office):
                break
            time.sleep(0.02)
        assert batch_process.poll() is None, "the batch ended before it could be stopped"
        seen.update(_descendants(batch_process.pid))
        stopped_at = time.monotonic()
        if terminal:
            os.killpg(batch_process.pid, how)
        else:
            batch_process.send_signal(how)
        out, err = batch_process.communicate(timeout=60)
        took = time.monotonic() - stopped_at
    finally:
        if batch_process.poll() is None:
            batch_process.kill()
            batch_process.communicate()
    deadline = time.monotonic() + 10  # a killed LibreOffice takes a moment to go
    while any(_running(p) for p in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = {p: line for p, line in seen.items() if _running(p)}
    for pid, _ in left:  # never leave them to the next test
        os.kill(pid, signal.SIGKILL)
    done = subprocess.CompletedProcess(command, batch_process.returncode, out, err)
    return done, output_dir, {"took": took, "seen": seen, "left": left, "scratch": scratch}


def _assert_stopped_cleanly(done, output_dir: Path, info: dict, code: int) -> None:
    assert done.returncode == code, done.stdout + done.stderr
    assert info["took"] < 20, f"stopping took {info['took']:.1f} s"
    assert not info["left"], f"still running after the batch ended: {sorted(info['left'].values())}"
    assert "De batch is afgebroken" in done.stderr and "Traceback" not in done.stderr
    assert "Het batchrapport is niet bijgewerkt" in done.stderr
    written = sorted(output_dir.glob("S-*"))
    assert written and all(_complete(folder) for folder in written)
    assert not [p.name for p in output_dir.iterdir() if ".nieuw-" in p.name or ".oud-" in p.name
                or p.name.endswith(".tmp")]
    assert not (output_dir / "batchrapport.xlsx").exists()
    # Nothing of the LibreOffices it stopped: their profiles and conversions, their own temporary files.
    assert not [(p.name, sorted(str(q.relative_to(p)) for q in p.rglob("*"))[:5]) for p in info["scratch"].iterdir()]


pytestmark = pytest.mark.skipif(not LINUX, reason="reads the process table of Linux")


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
@pytest.mark.parametrize("how, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_two_workers_and_their_libreoffice(tmp_path, how, code):
    done, output_dir, info = _stop_a_running_batch(tmp_path, how, "--workers", "2", "--pdf", office=True)
    assert sum("soffice" in line for line in info["seen"].values()) >= 2  # both workers' LibreOffice ran
    _assert_stopped_cleanly(done, output_dir, info, code)
    how_said = "met Ctrl-C" if how == signal.SIGINT else "door een stopsignaal (SIGTERM)"
    assert f"De batch is afgebroken {how_said}." in done.stderr
    written = len(list(output_dir.glob("S-*")))
    assert f"{written} van de {CASES} werkmappen" in done.stderr
    if how != signal.SIGINT:
        return
    # The next batch finishes the work and does not make again what was done.
    again = subprocess.run([sys.executable, "-m", "pipeline", "run", "--input", str(tmp_path / "in"), "--output",
                            str(output_dir), "--templates", str(TEMPLATES), "--peildatum", PEILDATUM,
                            "--workers", "2", "--pdf"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{written} dossier{'s' if written != 1 else ''} ongewijzigd" in again.stdout
    assert len(list(output_dir.glob("S-*/manifest.json"))) == CASES


@pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
def test_ctrl_c_stops_a_batch_without_workers_and_its_libreoffice(tmp_path):
    done, output_dir, info = _stop_a_running_batch(tmp_path, signal.SIGINT, "--workers", "1", "--pdf", office=True)
    _assert_stopped_cleanly(done, output_dir, info, 130)


def test_ctrl_c_in_a_console_stops_workers_started_as_on_windows(tmp_path):
    done, output_dir, info = _stop_a_running_batch(tmp_path, signal.SIGINT, "--workers", "2", spawn=True,
                                                   terminal=True)
    _assert_stopped_cleanly(done, output_dir, info, 130)


# --- nothing half-written, whatever moment the stop comes -------------------------------------------

def test_ctrl_c_while_a_file_is_written_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "batchrapport.xlsx"
    target.write_bytes(b"oud rapport")
    original = output._write

    def interrupted(path, data):
        original(path, data[:10])
        raise KeyboardInterrupt
    monkeypatch.setattr(output, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, b"nieuw rapport, lang genoeg om half te zijn")
    assert target.read_bytes() == b"oud rapport"
    assert [p.name for p in tmp_path.iterdir()] == ["batchrapport.xlsx"]


def test_ctrl_c_in_the_middle_of_a_folder_swap_puts_the_old_folder_back(tmp_path, monkeypatch):
    def made(document: bytes) -> dict[str, bytes]:
        listed = {"pipeline": "test", "bestanden": {"plan-van-aanpak.docx": hashlib.sha256(document).hexdigest()}}
        return {"plan-van-aanpak.docx": document, "manifest.json": json.dumps(listed).encode()}
    output.replace_case_folder(tmp_path, "D-1", made(b"oud"))
    before = {p.name: p.read_bytes() for p in (tmp_path / "D-1").iterdir()}
    renames = []
    original = os.rename

    def second_rename_interrupted(source, target):
        renames.append(target)
        if len(renames) == 2:  # the old folder is aside, the new one not yet in place
            raise KeyboardInterrupt
        original(source, target)
    monkeypatch.setattr(output.os, "rename", second_rename_interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.replace_case_folder(tmp_path, "D-1", made(b"nieuw"))
    monkeypatch.setattr(output.os, "rename", original)
    assert {p.name: p.read_bytes() for p in (tmp_path / "D-1").iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["D-1"]


def test_ctrl_c_before_the_batch_runs_exits_130(tmp_path, monkeypatch, capsys):
    def interrupted(options, progress=None):
        raise KeyboardInterrupt
    monkeypatch.setattr(batch, "run_batch", interrupted)
    assert main(["run", "--input", str(tmp_path), "--output", str(tmp_path / "uit")]) == 130
    assert "Afgebroken." in capsys.readouterr().err
