"""Write stage: put files in the output folder so that no reader ever sees half of them.

A file is written to a temporary name in its own folder and renamed over the old one. A case
folder is assembled beside its old version and swapped in whole, so it is always either the
complete new set or the complete old set; leftovers of an interrupted swap are repaired first.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from .errors import BatchLocked, OutputError

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one batch at a time is then the user's care
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".batch.lock"

_NEW = ".nieuw-"
_OLD = ".oud-"


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and a rename in the same folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write(temporary, data)
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise OutputError(path, err.strerror or str(err)) from err


def _same_content(folder: Path, files: Mapping[str, bytes]) -> bool:
    if not folder.is_dir():
        return False
    present = {p.name for p in folder.iterdir()}
    if present != set(files):
        return False
    return all((folder / name).read_bytes() == data for name, data in files.items())


def replace_case_folder(output: Path, name: str, files: Mapping[str, bytes]) -> bool:
    """Make `output/name` hold exactly `files`; False when it already did (nothing written)."""
    target = output / name
    if _same_content(target, files):
        return False
    staging = output / f".{name}{_NEW}{os.getpid()}"
    backup = output / f".{name}{_OLD}{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for filename, data in files.items():
            _write(staging / filename, data)
        if target.exists():
            os.rename(target, backup)
            os.rename(staging, target)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(staging, target)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not target.exists():
            os.rename(backup, target)
        raise OutputError(target, err.strerror or str(err)) from err
    return True


def repair(output: Path) -> None:
    """Undo what an interrupted run left: restore a swapped-out folder, drop half-built ones."""
    if not output.is_dir():
        return
    for entry in sorted(output.iterdir()):
        name = entry.name
        if name.startswith(".") and _OLD in name and entry.is_dir():
            original = output / name[1:name.rindex(_OLD)]
            if original.exists():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                os.rename(entry, original)
        elif name.startswith(".") and _NEW in name and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(".") and name.endswith(".tmp") and entry.is_file():
            entry.unlink(missing_ok=True)


@contextmanager
def batch_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one batch. The lock is the operating system's (flock), so it
    is released when the process dies, even by kill -9: no stale lock to clean up."""
    handle = open(output / LOCK_NAME, "a+")
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BatchLocked(output) from None
        yield
    finally:
        handle.close()
