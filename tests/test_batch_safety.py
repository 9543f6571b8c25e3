"""A batch that nothing stops, empties or makes leak: each scenario is one bad input beside good
ones; the bad one gets its Dutch message, the good ones their documents, the batch its report."""

from __future__ import annotations

import errno
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from pipeline import batch
from pipeline.batch import manifest, output
from pipeline.batch.report import LOG_NAME
from pipeline.errors import Finding, Severity
from pipeline.files import os_problem, shown_name

from .conftest import ROOT, TEMPLATES, VALID_BSN, write_case
from .test_batch import EARLY, MESSAGES, report_rows, run

STATUS = 2  # column "Status" of the Overzicht sheet


def rows_by_file(output_dir: Path) -> dict[str, tuple]:
    return {row[0]: row for row in report_rows(output_dir)}


def good_neighbours(input_dir: Path) -> None:
    """Two valid cases around the bad one (file names sort before and after it)."""
    write_case(input_dir / "a-goed.xlsx", {"Dossiernummer": "A-1"})
    write_case(input_dir / "z-goed.xlsx", {"Dossiernummer": "Z-1"})


def assert_neighbours_made(output_dir: Path) -> None:
    rows = rows_by_file(output_dir)  # the report was written
    for name, number in (("a-goed.xlsx", "A-1"), ("z-goed.xlsx", "Z-1")):
        assert rows[name][STATUS] == "ok", rows[name]
        assert (output_dir / number / "plan-van-aanpak.docx").is_file()
        assert (output_dir / number / "manifest.json").is_file()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def no_hang():
    """Fail the test, instead of hanging it, when a batch waits longer than a minute."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise TimeoutError("de batch bleef hangen")
    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 60)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


def patch_member(path: Path, member: str, change) -> Path:
    """Edit the raw zip bytes of one member: change(data, local_header_offset, central_header_offset)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    local = central = None
    start = 0
    while (found := data.find(name, start)) != -1:
        if data[found - 30:found - 26] == b"PK\x03\x04":
            local = found - 30
        elif data[found - 46:found - 42] == b"PK\x01\x02":
            central = found - 46
        start = found + 1
    assert local is not None and central is not None
    change(data, local, central)
    path.write_bytes(bytes(data))
    return path


def corrupt_deflate(data: bytearray, local: int, central: int) -> None:
    name_length = int.from_bytes(data[local + 26:local + 28], "little")
    extra_length = int.from_bytes(data[local + 28:local + 30], "little")
    data[local + 30 + name_length + extra_length] = 0xFF  # a deflate block of the reserved type


def encrypted(data: bytearray, local: int, central: int) -> None:
    data[local + 6] |= 1  # general purpose flag bit 0: encrypted
    data[central + 8] |= 1


def unusual_method(data: bytearray, local: int, central: int) -> None:
    data[local + 8:local + 10] = (99).to_bytes(2, "little")  # AES: not a method Excel or zipfile knows
    data[central + 10:central + 12] = (99).to_bytes(2, "little")


# --- one case, one fate ------------------------------------------------------------------------

# What each file that cannot be read gets in the report (its own Dutch message), by scenario. A
# broken zip member may be named by the reader or by the batch, whichever meets it first.
UNREADABLE = {
    "broken-link": ("snelkoppeling (symbolische link) naar een bestand dat niet (meer) bestaat",),
    "link-loop": ("snelkoppeling (symbolische link) die in een kring naar zichzelf verwijst",),
    "link-outside": ("snelkoppeling (symbolische link) naar een bestand buiten de invoermap",),
    "fifo": ("geen gewoon bestand (maar bijvoorbeeld een named pipe",),
    "corrupt-part": ("de werkmap is beschadigd",),
    "encrypted-part": ("versleuteld", "de werkmap is beschadigd"),
    "unusual-method": ("onbekende compressie", "de werkmap is beschadigd"),
}


def make_unreadable(kind: str, path: Path, outside: Path) -> None:
    if kind == "broken-link":
        path.symlink_to(path.parent / "bestaat-niet.xlsx")
    elif kind == "link-loop":
        path.symlink_to(path.parent / "lus-b.xlsx")
        (path.parent / "lus-b.xlsx").symlink_to(path)
    elif kind == "link-outside":
        path.symlink_to(write_case(outside / "elders.xlsx", {"Dossiernummer": "ELDERS-1"}))
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        write_case(path, {"Dossiernummer": "B-1"})
        change = {"corrupt-part": corrupt_deflate, "encrypted-part": encrypted, "unusual-method": unusual_method}[kind]
        patch_member(path, "xl/worksheets/sheet1.xml", change)  # the Dossier sheet: the early look reads it too


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="symbolic links and named pipes as on Linux")
@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("kind", sorted(UNREADABLE))
def test_a_file_that_cannot_be_read_is_its_own_error(tmp_path, no_hang, kind, workers):
    input_dir, output_dir = tmp_path / "in", tmp_path / "out"
    good_neighbours(input_dir)
    make_unreadable(kind, input_dir / "m-slecht.xlsx", tmp_path / "elders")
    result = run(input_dir, output_dir, "--workers", workers)
    assert result.exit_code == 1, result.output
    rows = rows_by_file(output_dir)
    assert rows["m-slecht.xlsx"][STATUS] == "fouten"
    message = rows["m-slecht.xlsx"][MESSAGES]
    assert message.startswith("fout: m-slecht.xlsx: ") and any(words in message for words in UNREADABLE[kind]), message
    assert_neighbours_made(output_dir)
    assert not (output_dir / "ELDERS-1").exists() and not (output_dir / "B-1").exists()
    assert "Traceback" not in result.output and "Error" not in result.output


def test_a_fifo_that_is_not_a_workbook_is_skipped_unread(folders, no_hang):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    os.mkfifo(input_dir / "pijp.csv")
    assert run(input_dir, output_dir).exit_code == 0
    assert rows_by_file(output_dir)["pijp.csv"][STATUS] == "overgeslagen"
    assert_neighbours_made(output_dir)


def test_a_file_without_permission_is_its_own_error(folders, monkeypatch):
    """Root reads anything, so the refusal is the operating system's answer, imitated."""
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    write_case(input_dir / "m-geheim.xlsx", {"Dossiernummer": "B-1"})
    original = manifest.open_regular

    def refused(path):
        if Path(path).name == "m-geheim.xlsx":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return original(path)
    monkeypatch.setattr(manifest, "open_regular", refused)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-geheim.xlsx"][MESSAGES]
    assert "m-geheim.xlsx: het bestand kan niet worden gelezen: geen toegang (onvoldoende rechten)" in message
    assert "Permission denied" not in message + result.output
    assert_neighbours_made(output_dir)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unexpected_error_is_that_cases_error_with_details_in_the_log(folders, monkeypatch, workers):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    write_case(input_dir / "m-stuk.xlsx", {"Dossiernummer": "B-1"})
    original = batch.case.produce_case

    def failing(case, options, prepared):
        if case.dossiernummer == "B-1":
            return {}["sleutel bij BSN " + VALID_BSN]  # a defect whose text holds a BSN
        return original(case, options, prepared)
    monkeypatch.setattr(batch.case, "produce_case", failing)  # the forked workers inherit it
    result = run(input_dir, output_dir, "--workers", workers)
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-stuk.xlsx"][MESSAGES]
    assert "m-stuk.xlsx: onverwachte fout in de pipeline bij deze werkmap" in message
    assert f"De technische details staan in {LOG_NAME} in de uitvoermap" in message
    assert "KeyError" not in message and "Traceback" not in result.output
    log = (output_dir / LOG_NAME).read_text(encoding="utf-8")
    assert "=== m-stuk.xlsx ===" in log and "KeyError" in log and "sleutel bij BSN *********" in log
    assert VALID_BSN not in log
    assert not (output_dir / "B-1").exists()
    assert_neighbours_made(output_dir)
    # The next batch without the defect has no log: the log beside the report is always this batch's.
    monkeypatch.setattr(batch.case, "produce_case", original)
    assert run(input_dir, output_dir, "--workers", workers).exit_code == 0
    assert not (output_dir / LOG_NAME).exists()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the crash is planted by fork")
def test_a_worker_that_dies_costs_only_its_own_case(folders, monkeypatch):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    for name in ("c-goed", "d-goed", "e-goed"):
        write_case(input_dir / f"{name}.xlsx", {"Dossiernummer": name.upper()})
    write_case(input_dir / "m-crash.xlsx", {"Dossiernummer": "B-1"})
    original = batch.case.read_workbook
    monkeypatch.setattr(batch.case, "read_workbook",
                        lambda path: os._exit(9) if path.name == "m-crash.xlsx" else original(path))
    result = run(input_dir, output_dir, "--workers", "2")
    assert result.exit_code == 1, result.output
    rows = rows_by_file(output_dir)
    assert "het proces dat deze werkmap verwerkte, stopte onverwacht" in rows["m-crash.xlsx"][MESSAGES]
    assert [rows[f"{n}.xlsx"][STATUS] for n in ("c-goed", "d-goed", "e-goed")] == ["ok"] * 3
    assert_neighbours_made(output_dir)


def test_an_unexpected_error_of_the_batch_itself_is_dutch_with_a_log(folders, monkeypatch):
    input_dir, output_dir = folders
    good_neighbours(input_dir)

    def broken(output_dir):
        raise ValueError(f"stuk bij {VALID_BSN}")
    monkeypatch.setattr(batch.rerun, "index", broken)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert f"Fout: onverwachte fout in de pipeline; de technische details staan in {output_dir / LOG_NAME}" \
           in result.output
    assert "Traceback" not in result.output
    log = (output_dir / LOG_NAME).read_text(encoding="utf-8")
    assert "ValueError: stuk bij *********" in log and VALID_BSN not in log


# --- bounded work: attachments -----------------------------------------------------------------

def test_hashing_reads_in_chunks_never_the_whole_file(tmp_path):
    big = tmp_path / "scan.pdf"
    big.write_bytes(os.urandom(1024) * (24 * 1024))  # 24 MB
    tracemalloc.start()
    try:
        digest = manifest.sha256_file(big)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert digest == hashlib.sha256(big.read_bytes()).hexdigest()
    assert peak < 4 * 1024 * 1024, peak


def test_a_large_attachment_is_hashed_for_the_manifest_and_a_fifo_in_its_place_hangs_nothing(folders, no_hang):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    (input_dir / "bijlagen").mkdir()
    scan = input_dir / "bijlagen" / "groot.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + os.urandom(1024) * (12 * 1024))
    write_case(input_dir / "m-bijlage.xlsx", {"Dossiernummer": "B-1"}, {"Bundel": [
        ["Document", "Bestand", "Datum", "Opgesteld door"], ["overig", "bijlagen/groot.pdf", None, None]]})
    assert run(input_dir, output_dir).exit_code == 0
    listed = json.loads((output_dir / "B-1" / "manifest.json").read_text(encoding="utf-8"))["bijlagen"]
    assert listed == {"bijlagen/groot.pdf": hashlib.sha256(scan.read_bytes()).hexdigest()}
    before = snapshot(output_dir / "B-1")
    scan.unlink()
    os.mkfifo(scan)  # the rerun's check of the attachment must not wait for a writer
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    assert "'bijlagen/groot.pdf' is geen bestand" in rows_by_file(output_dir)["m-bijlage.xlsx"][MESSAGES]
    assert snapshot(output_dir / "B-1") == before
    assert_neighbours_made(output_dir)


# --- never destroy what is not ours ------------------------------------------------------------

def test_a_dossiernummer_naming_the_input_folder_is_an_error(tmp_path):
    input_dir, output_dir = tmp_path / "input", tmp_path  # the output folder holds the input folder
    good_neighbours(input_dir)
    write_case(input_dir / "m-invoer.xlsx", {"Dossiernummer": "input"})
    before = snapshot(input_dir)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-invoer.xlsx"][MESSAGES]
    assert "dossiernummer 'input' is in de uitvoermap de naam van de invoermap" in message
    assert "Geef het dossier een ander dossiernummer" in message
    assert snapshot(input_dir) == before
    assert_neighbours_made(output_dir)


def test_a_dossiernummer_naming_the_templates_folder_is_an_error(folders):
    input_dir, output_dir = folders
    templates = output_dir / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    good_neighbours(input_dir)
    write_case(input_dir / "m-sjablonen.xlsx", {"Dossiernummer": "sjablonen"})
    before = snapshot(templates)
    result = run(input_dir, output_dir, "--templates", str(templates))
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-sjablonen.xlsx"][MESSAGES]
    assert "dossiernummer 'sjablonen' is in de uitvoermap de naam van de sjablonenmap" in message
    assert snapshot(templates) == before
    assert_neighbours_made(output_dir)


@pytest.mark.parametrize("kind", ["folder", "file", "link"])
def test_a_folder_the_pipeline_did_not_make_is_never_replaced(folders, tmp_path, kind):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    write_case(input_dir / "m-vreemd.xlsx", {"Dossiernummer": "FOTO-1"})
    output_dir.mkdir()
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "vakantie.jpg").write_bytes(b"\xff\xd8 foto")
    if kind == "folder":
        shutil.copytree(elsewhere, output_dir / "FOTO-1")
    elif kind == "file":
        (output_dir / "FOTO-1").write_bytes(b"notitie")
    else:
        (output_dir / "FOTO-1").symlink_to(elsewhere)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-vreemd.xlsx"][MESSAGES]
    expected = {"folder": "in de uitvoermap staat al een map 'FOTO-1' die de pipeline niet heeft gemaakt",
                "file": "in de uitvoermap staat al een bestand 'FOTO-1' dat de pipeline niet heeft gemaakt",
                "link": "in de uitvoermap staat onder de naam 'FOTO-1' een snelkoppeling"}[kind]
    assert expected in message and "wordt niet vervangen" in message
    if kind == "file":
        assert (output_dir / "FOTO-1").read_bytes() == b"notitie"
    else:
        assert sorted(p.name for p in (output_dir / "FOTO-1").iterdir()) == ["vakantie.jpg"]
    assert sorted(p.name for p in elsewhere.iterdir()) == ["vakantie.jpg"]
    assert_neighbours_made(output_dir)


def test_files_a_user_put_in_a_case_folder_survive_a_rerun(folders):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    workbook = write_case(input_dir / "m-dossier.xlsx", {"Dossiernummer": "B-1"})
    assert run(input_dir, output_dir).exit_code == 0
    folder = output_dir / "B-1"
    (folder / "~$plan-van-aanpak.docx").write_bytes(b"Word's lock file")
    (folder / "getekend plan.pdf").write_bytes(b"%PDF-1.4 ondertekend")
    (folder / "scans").mkdir()
    (folder / "scans" / "brief.pdf").write_bytes(b"%PDF-1.4 brief")
    (folder / "plan-van-aanpak.docx").write_bytes(b"my own edits")  # the casemanager edited our document
    # Our document no longer as made: the case is made again, and the user's version is kept beside it.
    result = run(input_dir, output_dir)
    assert result.exit_code == 0 and "2 dossiers ongewijzigd" in result.output
    assert (folder / "plan-van-aanpak (eigen versie).docx").read_bytes() == b"my own edits"
    assert (folder / "plan-van-aanpak.docx").read_bytes()[:2] == b"PK"
    message = rows_by_file(output_dir)["m-dossier.xlsx"][MESSAGES]
    assert "'plan-van-aanpak.docx' in de dossiermap is niet door de pipeline gemaakt of na de vorige run " \
           "gewijzigd; die versie staat nu als 'plan-van-aanpak (eigen versie).docx'" in message
    # A changed workbook: the case is made again, the user's files go along into the new folder.
    write_case(workbook, {"Dossiernummer": "B-1", "Functie": "Chauffeur"})
    assert run(input_dir, output_dir).exit_code == 0
    assert (folder / "~$plan-van-aanpak.docx").read_bytes() == b"Word's lock file"
    assert (folder / "getekend plan.pdf").read_bytes() == b"%PDF-1.4 ondertekend"
    assert (folder / "scans" / "brief.pdf").read_bytes() == b"%PDF-1.4 brief"
    assert (folder / "plan-van-aanpak (eigen versie).docx").read_bytes() == b"my own edits"
    ours = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["bestanden"]
    assert set(ours) == {"plan-van-aanpak.docx", "wia-bundel.docx", "controlelijst.docx",
                         "B-1-wia-bundel.zip"}  # only ours listed
    # Then unchanged: reused, although the folder holds more than the manifest lists.
    assert "3 dossiers ongewijzigd" in run(input_dir, output_dir).output
    assert_neighbours_made(output_dir)


# --- no stale lock -----------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table of Linux")
def test_workers_die_with_a_killed_batch_and_the_next_batch_runs(tmp_path):
    input_dir, output_dir = tmp_path / "in", tmp_path / "out"
    for i in range(12):
        write_case(input_dir / f"case-{i:02d}.xlsx", {"Dossiernummer": f"K-{i:02d}"})
    args = [sys.executable, "-m", "pipeline", "run", "--input", str(input_dir), "--output", str(output_dir),
            "--templates", str(TEMPLATES), "--peildatum", EARLY, "--workers", "2"]
    victim = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline and victim.poll() is None:
            workers = _children(victim.pid)
            time.sleep(0.02)
        assert workers, "the batch started no workers"
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "workers outlived their batch"
        second = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert second.returncode == 0, second.stderr
        assert "Er loopt al een batch" not in second.stderr
        assert len(rows_by_file(output_dir)) == 12
        assert all((output_dir / f"K-{i:02d}" / "manifest.json").is_file() for i in range(12))
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- no BSN anywhere but the documents ---------------------------------------------------------

def test_file_names_holding_a_bsn_never_show_it(folders, tmp_path, monkeypatch):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    (input_dir / f"m-kapot {VALID_BSN}.xlsx").write_text("geen werkmap")
    (input_dir / "m-link 111222333.xlsx").symlink_to(write_case(tmp_path / "elders.xlsx"))
    write_case(input_dir / "m-paar 012345672.xlsx", {"Dossiernummer": "P-1"})
    write_case(input_dir / "m-paar-b.xlsx", {"Dossiernummer": "P-1"})
    write_case(input_dir / "m-stuk 999999990.xlsx", {"Dossiernummer": "S-1"})
    original = batch.case.produce_case
    monkeypatch.setattr(batch.case, "produce_case", lambda case, options, prepared: (
        1 / 0 if case.dossiernummer == "S-1" else original(case, options, prepared)))
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    rows = rows_by_file(output_dir)
    assert {"m-kapot *********.xlsx", "m-link *********.xlsx", "m-paar *********.xlsx",
            "m-stuk *********.xlsx"} <= set(rows)
    assert "staat ook in m-paar *********.xlsx" in rows["m-paar-b.xlsx"][MESSAGES]
    texts = [result.output, (output_dir / LOG_NAME).read_text(encoding="utf-8")]
    for path in output_dir.rglob("*"):
        texts.append(str(path))
        if path.suffix == ".json":
            texts.append(path.read_text(encoding="utf-8"))
    with zipfile.ZipFile(output_dir / "batchrapport.xlsx") as archive:
        texts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
    everything = "\n".join(texts)
    assert not [bsn for bsn in (VALID_BSN, "111222333", "012345672", "999999990") if bsn in everything]
    assert_neighbours_made(output_dir)


# --- messages the user can read ----------------------------------------------------------------

@pytest.mark.parametrize("code, dutch", [
    (errno.EACCES, "geen toegang (onvoldoende rechten)"), (errno.ENOSPC, "de schijf is vol"),
    (errno.EROFS, "alleen-lezen"), (errno.EBUSY, "in gebruik"), (errno.EISDIR, "dit is een map, geen bestand"),
    (errno.ENOENT, "bestaat niet (meer)"), (errno.ENAMETOOLONG, "te lang"), (errno.EDQUOT, "quotum"),
    (errno.ELOOP, "in een kring"), (errno.EIO, "lees- of schrijffout"), (errno.ENOTSUP, "foutnummer"),
])
def test_operating_system_errors_are_dutch(code, dutch):
    text = os_problem(OSError(code, os.strerror(code), "/tmp/x"))
    assert dutch in text
    assert os.strerror(code) not in text


def test_a_full_disk_while_writing_a_case_is_that_cases_dutch_error(folders, monkeypatch):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    write_case(input_dir / "m-vol.xlsx", {"Dossiernummer": "B-1"})
    original = output._write

    def full(path, data):
        if path.parent.name.startswith(".B-1"):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        original(path, data)
    monkeypatch.setattr(output, "_write", full)
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    message = rows_by_file(output_dir)["m-vol.xlsx"][MESSAGES]
    assert "Kan niet schrijven naar" in message and "de schijf is vol; maak ruimte vrij" in message
    assert "No space" not in message + result.output
    assert not [p for p in output_dir.iterdir() if p.name.startswith(".B-1")]  # nothing half-made left
    assert_neighbours_made(output_dir)


@pytest.mark.skipif(os.name == "nt", reason="Windows allows no line break in a file name")
def test_a_file_name_with_line_breaks_or_direction_tricks_is_shown_on_one_line(folders):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    (input_dir / "m-twee\nregels\u202excod.xlsx").write_text("geen werkmap")
    result = run(input_dir, output_dir)
    assert result.exit_code == 1
    rows = rows_by_file(output_dir)
    assert "m-twee\\nregels" + "xcod.xlsx" in rows
    assert "\u202e" not in result.output
    assert "Fouten in m-twee\\nregelsxcod.xlsx" in result.output
    assert not [line for line in result.output.splitlines() if line.startswith("regels")]
    assert shown_name("a\tb\x07\u2028\u2066c.xlsx") == "a\\tb\\x07\\u2028c.xlsx"
    assert_neighbours_made(output_dir)


# --- any error finding means nothing is written ------------------------------------------------

def test_an_error_finding_of_a_check_means_nothing_new_is_written(folders, monkeypatch):
    input_dir, output_dir = folders
    good_neighbours(input_dir)
    workbook = write_case(input_dir / "m-medisch.xlsx", {"Dossiernummer": "B-1"})
    assert run(input_dir, output_dir).exit_code == 0
    before = snapshot(output_dir / "B-1")
    write_case(workbook, {"Dossiernummer": "B-1", "Re-integratiedoel": "Herstel van de hernia."})
    original = batch.case.check_medical_terms

    def strict(case, terms):
        found = original(case, terms)
        if case.dossiernummer != "B-1":
            return found
        return found + (Finding(Severity.ERROR, "'hernia' is een diagnose; beschrijf wat de werknemer wel en niet "
                                                "kan", case.source_file, "Dossier", 10, label="Re-integratiedoel",
                                rule="medisch"),)
    monkeypatch.setattr(batch.case, "check_medical_terms", strict)
    rendered: list[str] = []
    render_original = batch.case._render
    monkeypatch.setattr(batch.case, "_render", lambda kinds, case, *rest: (
        rendered.append(case.dossiernummer), render_original(kinds, case, *rest))[1])
    result = run(input_dir, output_dir, "--force")
    assert result.exit_code == 1
    row = rows_by_file(output_dir)["m-medisch.xlsx"]
    assert row[STATUS] == "fouten" and row[3] is None  # no documents listed for it
    assert "veld Re-integratiedoel: 'hernia' is een diagnose" in row[MESSAGES]
    assert snapshot(output_dir / "B-1") == before  # the earlier output stays as it was
    assert "B-1" not in rendered  # nothing rendered for it either
    assert_neighbours_made(output_dir)
