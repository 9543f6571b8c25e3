"""Optional PDF stage (`--pdf`): LibreOffice headless turns the generated .docx into .pdf.

Starting LibreOffice costs more than converting a document, so each batch worker keeps one
LibreOffice running (through the helper `office_worker.py`, which needs LibreOffice's `uno`
module) and sends it all documents of a case in one request, with a time limit that stops it;
the next case then starts a new one. Each LibreOffice has its own profile folder. Where none can
be kept running (no `uno`), each case's documents go in one `soffice --convert-to` call. The
PDF's creation date and file ID are made fixed, so the same documents give the same bytes.
Every LibreOffice runs in its own process group, so `stop()` (a time-out, or the batch being
stopped) ends it together with whatever it started. What a process has running is held by its
own `_Owner`: a forked worker makes its own and never touches its parent's.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import multiprocessing.util
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from ..errors import PipelineError, UsageError
from ..files import os_problem

TIMEOUT_SECONDS = 180
INSTALL_HINT = ("Installeer LibreOffice (Debian/Ubuntu: 'sudo apt-get install libreoffice-writer-nogui'; "
                "Windows/macOS: libreoffice.org) of laat --pdf weg.")


class ConversionError(PipelineError):
    """LibreOffice failed or took too long on a case's documents."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(detail)

    def __str__(self) -> str:
        return f"PDF maken mislukt: {self.detail}"


def office() -> str:
    """The LibreOffice program; UsageError (exit 2) in Dutch when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise UsageError(f"Voor --pdf is LibreOffice nodig, maar het is niet gevonden. {INSTALL_HINT}")
    return found


_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/[0-9A-Fa-f]+")
_HEX = re.compile(rb"(?<=[</])[0-9A-Fa-f]{16,}")


def _fixed(pdf: bytes) -> bytes:
    """The PDF with its creation date, file ID and checksum fixed, all by same-length
    replacements, so the cross-reference offsets stay valid. ID and checksum become a digest
    of the content without them: the same content gives the same bytes."""
    pdf = re.sub(rb"(/(?:CreationDate|ModDate)\s*\(D:)\d{14}", rb"\g<1>19800101000000", pdf)
    digest = hashlib.md5(_CHECKSUM.sub(b"", _ID.sub(b"", pdf)), usedforsecurity=False).hexdigest().upper().encode()

    def same_length(match: re.Match[bytes]) -> bytes:
        return _HEX.sub(lambda h: (digest * 4)[: len(h.group(0))], match.group(0))

    return _CHECKSUM.sub(same_length, _ID.sub(same_length, pdf))


class _Stopped(Exception):
    """The kept LibreOffice did not answer in time (`late`), or is gone."""

    def __init__(self, detail: str, late: bool = False) -> None:
        super().__init__(detail)
        self.late = late


class _Office:
    """A LibreOffice kept running for this process, converting every case's documents: started
    once by the helper `office_worker.py` (under a Python that has LibreOffice's `uno` module),
    with its own profile folder, so a batch pays LibreOffice's start once per worker, not once
    per case."""

    def __init__(self, program: str, python: str) -> None:
        self.stopped = False
        pipe = self.pipe = f"poortwachter-{os.getpid()}-{time.monotonic_ns()}"
        # Its own process group: a time-out stops the helper and LibreOffice together. It is known
        # to stop() from the moment it exists (a stop may come while LibreOffice starts): stop
        # signals wait until it is registered (the helper lets them through again at once).
        with _stop_signals_held():
            self.profile = Path(tempfile.mkdtemp(prefix="poortwachter-lo-profiel-"))
            self.process = subprocess.Popen([python, str(_HELPER), program, self.profile.as_uri(), pipe],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                            text=True, encoding="utf-8", start_new_session=True,
                                            env=_office_environment(self.profile))
            _Owner.here().started.append(self)
        try:
            answer = self._answer(START_SECONDS)
        except _Stopped:
            self.stop()
            raise
        if not answer.get("ok"):
            self.stop()
            raise _Stopped(str(answer.get("error")))

    def convert(self, files: list[tuple[Path, Path]], timeout: float) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps({"files": [[str(a), str(b)] for a, b in files]}) + "\n")
            self.process.stdin.flush()
        except OSError as err:
            raise _Stopped(str(err)) from err
        answer = self._answer(timeout)
        if not answer.get("ok"):
            raise ConversionError(f"LibreOffice kon de documenten niet omzetten ({answer.get('error')})")

    def _answer(self, timeout: float) -> dict[str, object]:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            raise _Stopped("geen antwoord", late=True)
        line = self.process.stdout.readline()
        if not line:
            raise _Stopped("gestopt")
        try:
            answer = json.loads(line)
        except ValueError as err:
            raise _Stopped(f"onleesbaar antwoord {line[:80]!r}") from err
        return answer if isinstance(answer, dict) else {}

    def stop(self) -> None:
        """Stop the helper and LibreOffice (once: at exit too, it never signals a reused id)."""
        if self.stopped:
            return
        self.stopped = True
        started = _Owner.here().started
        if self in started:
            started.remove(self)
        _kill_group(self.process)
        shutil.rmtree(self.profile, ignore_errors=True)
        # A LibreOffice that is killed leaves its named pipe behind ('OSL_PIPE_<user>_<name>').
        for folder in {tempfile.gettempdir(), "/tmp"}:
            for leftover in Path(folder).glob(f"OSL_PIPE_*_{self.pipe}"):
                try:
                    leftover.unlink()
                except OSError:
                    pass


_HELPER = Path(__file__).with_name("office_worker.py")
START_SECONDS = 90


class _Owner:
    """What this process has running for its conversions, so that `stop()` finds all of it: a
    process's own, made on first use. A forked worker inherits its parent's owner but makes its
    own (`here`): it must never stop or remove what its parent runs."""

    _current: ClassVar[_Owner | None] = None

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.kept: _Office | None = None  # the LibreOffice kept running for every case
        self.kept_tried = False  # a LibreOffice was tried: `kept` None then means none can be kept here
        self.started: list[_Office] = []  # every kept LibreOffice started and not yet stopped
        self.once: subprocess.Popen[bytes] | None = None  # the one-off LibreOffice running
        self.working: Path | None = None  # the folder of the conversion under way
        self.profile: Path | None = None  # the warm profile folder of the one-off runs

    @classmethod
    def here(cls) -> _Owner:
        current = cls._current
        if current is None or current.pid != os.getpid():
            current = cls._current = cls()
        return current


@contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait (POSIX) until the block is done, then arrive as usual."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _at_exit(callback: Callable[[], object]) -> None:
    """Run `callback` when this process ends normally: at Python's exit, and in a batch worker,
    which ends (os._exit) after multiprocessing's own finalizers and never reaches Python's exit.
    Whichever comes first does the work; the callbacks are safe to run twice."""
    atexit.register(callback)
    multiprocessing.util.Finalize(None, callback, exitpriority=10)


@functools.cache
def _uno_python(program: str) -> str | None:
    """A Python that can import LibreOffice's `uno`: the system's (Debian: python3-uno) or the
    one LibreOffice brings (Windows, macOS); None when there is none."""
    home = Path(os.path.realpath(program)).parent
    for candidate in ("/usr/bin/python3", str(home / "python"), str(home / "python.exe"), sys.executable):
        try:
            if Path(candidate).is_file() and subprocess.run(
                    [candidate, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
                return candidate
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


def _kept_office(program: str) -> _Office | None:
    """This process's running LibreOffice, started on first use; None when it cannot be kept
    (no `uno`, no POSIX pipes to wait on): then each case starts LibreOffice itself."""
    owner = _Owner.here()
    if not owner.kept_tried:
        python = _uno_python(program) if os.name == "posix" else None
        if python is not None:
            try:
                owner.kept = _Office(program, python)
                _at_exit(owner.kept.stop)
            except (_Stopped, OSError, ValueError):
                owner.kept = None
        owner.kept_tried = True
    return owner.kept


def _drop_kept_office() -> None:
    """After a time-out: stop it; the next case starts a new one."""
    owner = _Owner.here()
    kept, owner.kept, owner.kept_tried = owner.kept, None, False
    if kept is not None:
        kept.stop()


def stop() -> None:
    """Stop every LibreOffice this process started (the kept one and a one-off conversion) and
    remove the folder of a conversion under way: the batch is being stopped. Safe to call from a
    signal handler, and when nothing runs."""
    owner = _Owner.here()
    _drop_kept_office()
    for starting in list(owner.started):  # also one still starting, or kept by no one yet
        starting.stop()
    once = owner.once
    if once is not None:
        _kill_group(once)
    for folder in (owner.working, owner.profile):  # the conversion's folder, the one-off runs' profile
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    owner.profile = None


def _kill_group(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """End a process started in its own group, with everything it started (the helper starts
    soffice, which starts soffice.bin), and wait until all of them are gone: only then is its
    profile folder no longer written to."""
    if os.name != "posix":
        try:
            process.kill()
        except OSError:
            pass
        _wait(process)
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    _wait(process)
    deadline = time.monotonic() + GROUP_SECONDS
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _group_alive(group: int) -> bool:
    """Whether a process of `group` still runs (a killed one not yet reaped does not)."""
    try:
        os.killpg(group, 0)
    except (ProcessLookupError, PermissionError):
        return False
    if not os.path.isdir("/proc/self"):
        return True
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] not in (b"Z", b"X"):
                return True
    return False


GROUP_SECONDS = 5  # how long a killed LibreOffice may take to be gone


def _wait(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    try:
        process.wait(timeout=GROUP_SECONDS)
    except subprocess.TimeoutExpired:
        pass


def _profile() -> Path:
    """This process's own LibreOffice profile folder for one-off runs, made on first use and
    kept warm for the process's next conversions (a first start with a new profile costs
    seconds). Each batch worker is its own process, so no two LibreOffices share a profile."""
    owner = _Owner.here()
    if owner.profile is None:
        with _stop_signals_held():  # a stop finds the folder as soon as it exists
            owner.profile = Path(tempfile.mkdtemp(prefix="poortwachter-lo-profiel-"))
        _at_exit(functools.partial(shutil.rmtree, owner.profile, ignore_errors=True))
    return owner.profile


def _office_environment(profile: Path) -> dict[str, str]:
    """LibreOffice's environment: its temporary files go inside its profile folder, so that
    removing the folder leaves nothing of a LibreOffice that was stopped (it cannot clean up)."""
    temporary = profile / "tmp"
    temporary.mkdir(exist_ok=True)
    return {**os.environ, "TMPDIR": str(temporary), "TMP": str(temporary), "TEMP": str(temporary)}


def convert(documents: dict[str, bytes], timeout: float = TIMEOUT_SECONDS) -> dict[str, bytes]:
    """'x.docx' -> 'x.pdf' for every document of a case, in one request to this process's kept
    LibreOffice (or one LibreOffice run, where none can be kept). A conversion that times out
    is stopped with its LibreOffice; the next case starts a new one."""
    program = office()
    owner = _Owner.here()
    with _stop_signals_held():  # a stop finds the folder as soon as it exists
        root = owner.working = Path(tempfile.mkdtemp(prefix="poortwachter-pdf-"))
    try:
        return _convert_in(root, program, documents, timeout)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        owner.working = None  # only now: a stop during the removal finishes it


def _convert_in(root: Path, program: str, documents: dict[str, bytes], timeout: float) -> dict[str, bytes]:
    source, target = root / "docx", root / "pdf"
    source.mkdir()
    target.mkdir()
    for name, data in documents.items():
        (source / name).write_bytes(data)
    pairs = [(source / name, target / (Path(name).stem + ".pdf")) for name in documents]
    kept = _kept_office(program)
    if kept is not None:
        try:
            kept.convert(pairs, timeout)
        except _Stopped as err:
            _drop_kept_office()
            if err.late:
                raise ConversionError(f"LibreOffice was na {timeout:.0f} seconden niet klaar en is gestopt") from err
            raise ConversionError("LibreOffice stopte onverwacht; het volgende dossier start een nieuwe") from err
    else:
        _convert_once(program, [a for a, _ in pairs], target, timeout)
    result = {}
    for name, (_, pdf) in zip(documents, pairs):
        if not pdf.is_file():
            raise ConversionError(f"LibreOffice maakte geen PDF van {name}")
        result[pdf.name] = _fixed(pdf.read_bytes())
    return result


def _convert_once(program: str, sources: list[Path], target: Path, timeout: float) -> None:
    """One LibreOffice run converting `sources` into `target`, with this process's warm profile.
    It runs in its own process group: a time-out or a stop ends all of it."""
    owner = _Owner.here()
    profile = _profile()
    command = [program, "--headless", "--norestore", "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
               "--convert-to", "pdf", "--outdir", str(target), *(str(path) for path in sources)]
    posix = os.name == "posix"  # its own group: a new session there, a new process group on Windows
    try:
        with _stop_signals_held():  # a stop finds it as soon as it runs
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, env=_office_environment(profile),
                                       start_new_session=posix,
                                       creationflags=0 if posix else getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0))
            owner.once = process
    except OSError as err:
        raise ConversionError(f"LibreOffice kon niet starten ({os_problem(err)})") from err
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        _kill_group(process)
        shutil.rmtree(profile, ignore_errors=True)
        owner.profile = None
        raise ConversionError(f"LibreOffice was na {timeout:.0f} seconden niet klaar en is gestopt") from err
    except BaseException:
        _kill_group(process)
        raise
    finally:
        owner.once = None
