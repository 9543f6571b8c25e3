"""The same promises on every platform, as far as a Linux CI can show them: the batch lock
without fcntl (as on Windows), workers started with spawn (Windows' only start method), the
Windows launchers, the default templates, and the installed `poortwachter` command working
from any folder with the templates shipped inside it."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from pipeline import batch, files
from pipeline.cli import cli

from .conftest import EXAMPLES, PEILDATUM, ROOT, TEMPLATES, write_case

# --- the batch lock without fcntl ------------------------------------------------------------------

# Runs Python with the fcntl module missing, as on Windows (where filelock uses msvcrt instead):
# the pipeline then locks with filelock's lock file, whose holder is checked.
WITHOUT_FCNTL = "import sys; sys.modules['fcntl'] = None\n"


def _python_without_fcntl(code: str, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WITHOUT_FCNTL + code, *args], cwd=ROOT, text=True, **popen)


HOLD = """
import sys, time
from pathlib import Path
from pipeline.batch import output
print(type(output.FileLock(str(Path(sys.argv[1]) / "x"))).__name__, flush=True)
with output.batch_lock(Path(sys.argv[1])):
    print("vast", flush=True)
    time.sleep(300)
"""

RUN = """
import sys
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_batch_lock_holds_without_fcntl_and_a_killed_holder_leaves_no_stale_lock(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "a.xlsx", {"Dossiernummer": "A-1"})
    output_dir.mkdir()
    args = ["run", "--input", str(input_dir), "--output", str(output_dir), "--templates", str(TEMPLATES),
            "--peildatum", PEILDATUM, "--workers", "1"]
    holder = _python_without_fcntl(HOLD, str(output_dir), stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "SoftFileLock"  # not flock: fcntl is really gone
        assert holder.stdout.readline().strip() == "vast"
        second = _python_without_fcntl(RUN, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 2, out + err
        assert "Er loopt al een batch op de uitvoermap" in err
        assert not (output_dir / "A-1").exists()  # nothing touched
    finally:
        holder.send_signal(signal.SIGKILL)  # the holder dies without releasing anything
        holder.wait()
    third = _python_without_fcntl(RUN, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, out + err
    assert (output_dir / "A-1" / "plan-van-aanpak.docx").is_file()
    assert "only soft file lock" not in err  # no English warning for the user


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the open files of a process on Linux")
def test_a_forked_worker_does_not_keep_the_batch_lock(tmp_path):
    """A worker outliving a killed batch must not keep the output folder locked: a forked child
    closes its copy of the lock at once."""
    import multiprocessing

    from pipeline.batch import output

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork here")
    context = multiprocessing.get_context("fork")
    with output.batch_lock(tmp_path):
        mine = [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                if os.path.exists(f"/proc/self/fd/{fd}")]
        assert any(path.endswith(output.LOCK_NAME) for path in mine)
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=_report_open_files, args=(writer,))
        child.start()
        theirs = reader.recv()
        child.join()
    assert not [path for path in theirs if path.endswith(output.LOCK_NAME)]


def _report_open_files(writer) -> None:  # type: ignore[no-untyped-def]
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    writer.send(found)


# --- workers started as on Windows ---------------------------------------------------------------

def _documents(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and path.suffix in (".docx", ".zip", ".json")}


def test_workers_started_with_spawn_make_the_same_documents(examples, tmp_path, monkeypatch):
    args = ["run", "--input", str(examples), "--templates", str(TEMPLATES), "--peildatum", PEILDATUM]
    one = CliRunner().invoke(cli, [*args, "--output", str(tmp_path / "een"), "--workers", "1"])
    assert one.exit_code == 0, one.output
    monkeypatch.setattr(batch.workers, "_start_method", lambda: "spawn")
    spawned = CliRunner().invoke(cli, [*args, "--output", str(tmp_path / "spawn"), "--workers", "2"])
    assert spawned.exit_code == 0, spawned.output
    assert _documents(tmp_path / "spawn") == _documents(tmp_path / "een")
    report = "batchrapport.xlsx"
    assert (tmp_path / "spawn" / report).read_bytes() == (tmp_path / "een" / report).read_bytes()


# --- paths -----------------------------------------------------------------------------------------

def test_folders_with_spaces_and_accents_work(tmp_path):
    input_dir, output_dir = tmp_path / "Mijn dossiers é" / "invoer map", tmp_path / "Uitvoer (dossiers)"
    write_case(input_dir / "Jansen, A. (2026).xlsx", {"Dossiernummer": "J-1"})
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir),
                                      "--templates", str(TEMPLATES), "--peildatum", PEILDATUM, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (output_dir / "J-1" / "plan-van-aanpak.docx").is_file()
    assert (output_dir / "batchrapport.xlsx").is_file()


def test_templates_come_from_the_working_folder_else_from_the_pipeline(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = files.shipped_templates()
    assert (shipped / "plan-van-aanpak.docx").is_file() and (shipped / "medische-termen.txt").is_file()
    assert files.templates_folder(None) == shipped
    (tmp_path / "templates").mkdir()
    assert files.templates_folder(None) == Path("templates")  # an administrator's own versions
    assert files.templates_folder(tmp_path / "elders") == tmp_path / "elders"  # --templates wins


def test_a_batch_without_templates_option_uses_the_shipped_templates(examples, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no templates/ here
    result = CliRunner().invoke(cli, ["run", "--input", str(examples), "--output", "uit", "--peildatum",
                                      PEILDATUM, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "uit" / "DOS-2026-031" / "plan-van-aanpak.docx").is_file()


# --- the Windows launchers -------------------------------------------------------------------------

LAUNCHERS = ("verwerk.cmd", "nieuwe-werkmap.cmd")
SETUP = Path("tools") / "windows" / "opzetten.cmd"


@pytest.mark.parametrize("name", [*LAUNCHERS, str(SETUP)])
def test_batch_files_have_windows_line_endings_and_plain_ascii(name):
    data = (ROOT / name).read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 5, "cmd.exe needs CRLF line endings"
    assert data.isascii(), "a console code page shows accents wrongly; keep the text plain"


@pytest.mark.parametrize("name", LAUNCHERS)
def test_launchers_run_from_their_own_folder_and_set_up_first(name):
    lines = (ROOT / name).read_text().splitlines()
    assert 'cd /d "%~dp0"' in lines  # a double-click starts elsewhere (System32); paths may hold spaces
    setup = lines.index('cd /d "%~dp0"') + 1
    assert any(f'call "{str(SETUP).replace("/", chr(92))}"' in line for line in lines[setup:setup + 3])
    assert "pause" in lines  # the window stays open to read the summary
    assert "make" not in " ".join(lines).split()


def test_setup_makes_a_venv_with_python_3_11_or_newer_and_installs_the_pipeline():
    text = (ROOT / SETUP).read_text()
    assert "py -3 -c" in text and "sys.version_info >= (3, 11)" in text
    assert "-m venv" in text and "-m pip install" in text and " -e ." in text
    # Installed beside its place and moved there only when complete; again when pyproject changes.
    assert '".venv.nieuw"' in text and 'move ".venv.nieuw" ".venv"' in text
    assert 'fc /b "pyproject.toml" ".venv\\pyproject.toml"' in text


def _windows_command(line: str, extra: list[str]) -> list[str]:
    """A launcher's pipeline command, as it would run on Windows, for this machine."""
    line = line.replace('".venv\\Scripts\\python.exe"', "PYTHON").replace("%*", " ".join(extra))
    parts = [part.strip('"').replace("\\", "/") for part in line.split()]
    return [sys.executable if part == "PYTHON" else part for part in parts]


def test_the_launchers_commands_work(tmp_path):
    """The pipeline commands in verwerk.cmd and nieuwe-werkmap.cmd, run here from a folder laid
    out as the launchers expect (input/ beside them)."""
    shutil.copytree(EXAMPLES, tmp_path / "input")
    [new_case] = [line for line in (ROOT / "nieuwe-werkmap.cmd").read_text().splitlines() if "-m pipeline" in line]
    command = [part.replace("%BESTAND%", "input/DOS-2026-100 Jansen.xlsx")
               for part in _windows_command(new_case.replace('"%BESTAND%"', "%BESTAND%"), [])]
    made = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert made.returncode == 0, made.stdout + made.stderr
    assert (tmp_path / "input" / "DOS-2026-100 Jansen.xlsx").is_file()
    [run] = [line for line in (ROOT / "verwerk.cmd").read_text().splitlines() if "-m pipeline" in line]
    done = subprocess.run(_windows_command(run, ["--peildatum", "23-11-2026"]), cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Peildatum: 23 november 2026." in done.stdout
    assert "DOS-2026-100 Jansen.xlsx: deze werkmap is nog niet ingevuld" in done.stdout
    assert (tmp_path / "output" / "DOS-2025-014" / "plan-van-aanpak.docx").is_file()


# --- the installed command -------------------------------------------------------------------------

def _fresh_clone(target: Path) -> Path:
    """The files a clone of this repository has (git's list when there is one), without a venv."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True)
    if shutil.which("git") and listed.returncode == 0 and listed.stdout:
        names = [name for name in listed.stdout.decode().split("\0") if name]
    else:
        names = [str(path.relative_to(ROOT)) for folder in ("pipeline", "templates")
                 for path in (ROOT / folder).rglob("*") if path.is_file() and "__pycache__" not in path.parts]
        names += ["pyproject.toml", "README.md"]
    for name in names:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.install
def test_the_installed_command_works_in_any_folder_with_the_shipped_templates(tmp_path):
    """From a clone: build the wheel once (offline: the build backend of the test environment),
    install it into a new virtual environment (its dependencies come from the test environment),
    and run `poortwachter run` in a folder that holds nothing but input/."""
    source = _fresh_clone(tmp_path / "kloon")
    wheels = tmp_path / "wielen"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                            "--quiet", "-w", str(wheels), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = wheels.glob("poortwachter_pipeline-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("pipeline/templates/")}
    assert {f"pipeline/templates/{path.name}" for path in TEMPLATES.iterdir() if path.is_file()} == shipped

    environment = tmp_path / "omgeving"
    venv.create(environment, with_pip=False, system_site_packages=False, symlinks=os.name != "nt")
    scripts = environment / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # The dependencies: the test environment's packages, behind the new environment's own (so
    # the installed pipeline is found first, never the repository's).
    here = [path for path in sys.path if path.endswith("site-packages")]
    (site / "afhankelijkheden.pth").write_text("\n".join(here) + "\n")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "--quiet", str(wheel)], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    command = scripts / ("poortwachter.exe" if os.name == "nt" else "poortwachter")

    work = tmp_path / "werkmap"
    shutil.copytree(EXAMPLES, work / "input")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import pipeline; print(pipeline.__file__)"], cwd=work,
                           capture_output=True, text=True, env=env, check=True).stdout
    assert Path(where).is_relative_to(environment), where  # the wheel's code, not the repository's
    shown = subprocess.run([str(command), "--help"], cwd=work, capture_output=True, text=True, env=env)
    assert shown.returncode == 0 and "Gebruik: poortwachter [OPTIES]" in shown.stdout
    version = subprocess.run([str(command), "--version"], cwd=work, capture_output=True, text=True, env=env)
    from pipeline import __version__
    assert version.stdout.strip() == f"Poortwachter-pipeline versie {__version__}"

    started = time.monotonic()
    done = subprocess.run([str(command), "run", "--peildatum", "23-11-2026", "--workers", "1"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert time.monotonic() - started < 120
    assert sorted(path.name for path in work.iterdir()) == ["input", "output"]  # no templates/ needed here
    for number in ("DOS-2025-014", "DOS-2026-007", "DOS-2026-031"):
        text = "\n".join(p.text for p in Document(work / "output" / number / "plan-van-aanpak.docx").paragraphs)
        assert "Plan van aanpak" in text and "{{" not in text
    manifest = (work / "output" / "DOS-2026-031" / "manifest.json").read_text(encoding="utf-8")
    template = hashlib.sha256((TEMPLATES / "plan-van-aanpak.docx").read_bytes()).hexdigest()
    assert template in manifest  # made with the shipped templates
