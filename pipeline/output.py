"""Write stage: put files in the output folder so that no reader ever sees half of them.

A file is written to a temporary name in its own folder and renamed over the old one. A case
folder is assembled beside its old version and swapped in whole, so it is always either the
complete new set or the complete old set; leftovers of an interrupted swap are repaired first.
Only what the pipeline made is replaced: a user's own files in a case folder go along.
"""

from __future__ import annotations

import os
import shutil
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

from .bundle import MANIFEST, manifest_files, sha256_file
from .errors import BatchLocked, CaseFolderNotOurs, NotARegularFile, OutputError
from .files import os_problem, read_regular

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
        raise OutputError(path, os_problem(err)) from err


def remove(path: Path) -> None:
    """Remove a file of ours (an earlier batch's log) if it is there."""
    try:
        path.unlink(missing_ok=True)
    except OSError as err:
        raise OutputError(path, os_problem(err)) from err


@dataclass(frozen=True)
class FolderChange:
    """What `replace_case_folder` did: whether it wrote, and which of the user's own files in the
    folder had to take another name because a new file of ours has theirs."""

    written: bool
    renamed: tuple[tuple[str, str], ...] = ()  # (old name, new name)


def replace_case_folder(output: Path, name: str, files: Mapping[str, bytes],
                        protected: Mapping[str, Path] | None = None) -> FolderChange:
    """Make `output/name` hold `files` as our files, keeping every file a user added there.

    Only a folder the pipeline made (it holds our manifest) is replaced; anything else under that
    name, and a folder that is or holds one of the `protected` folders (role -> folder), raises
    CaseFolderNotOurs and is left alone. Nothing is written when our files are already as asked."""
    target = output / name
    earlier = _earlier_files(target, name, protected or {})
    try:
        if earlier is not None and _unchanged(target, earlier, files):
            return FolderChange(False)
        carried = _users_files(target, earlier, files) if earlier is not None else []
    except OSError as err:
        raise OutputError(target, os_problem(err)) from err
    staging = output / f".{name}{_NEW}{os.getpid()}"
    backup = output / f".{name}{_OLD}{os.getpid()}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for filename, data in files.items():
            _write(staging / filename, data)
        for old, new in carried:
            _carry(target / old, staging / new)
        if earlier is not None:
            os.rename(target, backup)
            os.rename(staging, target)
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(staging, target)
    except BaseException as err:  # whatever stopped the swap, the old folder is put back whole
        shutil.rmtree(staging, ignore_errors=True)
        if backup.exists() and not target.exists():
            os.rename(backup, target)
        if isinstance(err, OSError):
            raise OutputError(target, os_problem(err)) from err
        raise
    return FolderChange(True, tuple((old, new) for old, new in carried if old != new))


def _earlier_files(target: Path, name: str, protected: Mapping[str, Path]) -> dict[str, str] | None:
    """The files our manifest in `target` lists (name -> SHA-256); None when nothing is there.
    Raises CaseFolderNotOurs for anything there that is not a case folder the pipeline made."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise OutputError(target, os_problem(err)) from err
    if stat.S_ISLNK(info.st_mode):
        raise CaseFolderNotOurs(target, f"in de uitvoermap staat onder de naam '{name}' een snelkoppeling "
                                        "(symbolische link); die wordt niet vervangen. Verwijder haar, of geef het "
                                        "dossier een ander dossiernummer")
    if not stat.S_ISDIR(info.st_mode):
        raise CaseFolderNotOurs(target, f"in de uitvoermap staat al een bestand '{name}' dat de pipeline niet "
                                        "heeft gemaakt; het wordt niet vervangen. Verplaats of hernoem het, of geef "
                                        "het dossier een ander dossiernummer")
    for role, folder in protected.items():
        if _within(folder, target):
            raise CaseFolderNotOurs(target, f"dossiernummer '{name}' is in de uitvoermap de naam van de {role} "
                                            f"(of een map daarboven); die wordt nooit vervangen. Geef het dossier een "
                                            "ander dossiernummer, of kies een andere uitvoermap (--output)")
    try:
        listed = manifest_files(read_regular(target / MANIFEST))
    except (FileNotFoundError, NotARegularFile, IsADirectoryError):
        listed = None
    except OSError as err:
        raise OutputError(target / MANIFEST, os_problem(err)) from err
    if listed is None:
        raise CaseFolderNotOurs(target, f"in de uitvoermap staat al een map '{name}' die de pipeline niet heeft "
                                        f"gemaakt (er staat geen {MANIFEST} van de pipeline in); die wordt niet "
                                        "vervangen. Verplaats of hernoem die map, of geef het dossier een ander "
                                        "dossiernummer")
    return listed


def _within(folder: Path, target: Path) -> bool:
    """Whether `folder` is `target` or lies inside it (compared as files, so also where case or
    spelling differs on a case-insensitive disk)."""
    try:
        here = Path(os.path.realpath(folder))
        return any(os.path.samefile(place, target) for place in (here, *here.parents))
    except OSError:
        return False


def _unchanged(folder: Path, earlier: dict[str, str], files: Mapping[str, bytes]) -> bool:
    """Whether our files in `folder` are exactly `files` (a user's own files there don't count)."""
    if set(earlier) | {MANIFEST} != set(files):
        return False
    try:
        return all(read_regular(folder / name) == data for name, data in files.items())
    except OSError:
        return False


def _users_files(folder: Path, earlier: dict[str, str], files: Mapping[str, bytes]) -> list[tuple[str, str]]:
    """(name now, name in the new folder) of every entry in `folder` that is not ours: what a user
    put there (a signed scan, Word's lock file) and a document of ours the user changed since
    (its SHA-256 no longer the manifest's). Such an entry keeps its name unless a new file of ours
    takes it; then it becomes '<name> (eigen versie)<extension>'."""
    mine = []
    for entry in sorted(os.listdir(folder)):
        if entry == MANIFEST or (entry in earlier and _as_listed(folder / entry, earlier[entry])):
            continue
        mine.append(entry)
    taken = set(files) | {entry for entry in mine if entry not in files}
    carried = []
    for entry in mine:
        new = entry
        if entry in files:
            stem, dot, extension = entry.rpartition(".") if "." in entry else (entry, "", "")
            number = 1
            while new in taken:
                new = f"{stem} (eigen versie{f' {number}' if number > 1 else ''}){dot}{extension}"
                number += 1
            taken.add(new)
        carried.append((entry, new))
    return carried


def _as_listed(path: Path, digest: str) -> bool:
    try:
        return not path.is_symlink() and sha256_file(path) == digest
    except OSError:
        return False


def _carry(source: Path, target: Path) -> None:
    """Put a user's entry in the new folder: a hard link where the disk allows (no copy, and the
    old folder stays whole until the swap), else a copy; links stay links."""
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        shutil.copytree(source, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, target)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def repair(output: Path) -> None:
    """Undo what an interrupted run left: restore a swapped-out folder, drop half-built ones."""
    if not output.is_dir():
        return
    try:
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
    except OSError as err:
        raise OutputError(output, os_problem(err)) from err


# Descriptors of the batch locks this process holds. A process forked from it (a worker) must not
# keep them: a lock is the operating system's, held while any descriptor of it is open, so a
# worker outliving a killed batch would keep the output folder locked.
_HELD: list[int] = []


def _drop_inherited_locks() -> None:
    for descriptor in _HELD:
        try:
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, descriptor)
            os.close(null)
        except OSError:
            pass
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def batch_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one batch. The lock is the operating system's (flock), so it
    is released when the process dies, even by kill -9: no stale lock to clean up. Forked
    workers drop their inherited copy at once (`_drop_inherited_locks`)."""
    try:
        handle = open(output / LOCK_NAME, "a+")
    except OSError as err:
        raise OutputError(output, os_problem(err)) from err
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise BatchLocked(output) from None
        _HELD.append(handle.fileno())
        yield
    finally:
        if handle.fileno() in _HELD:
            _HELD.remove(handle.fileno())
        handle.close()
