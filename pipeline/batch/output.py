"""Write stage: put files in the output folder so that no reader ever sees half of them.

A file is written to a temporary name in its own folder and renamed over the old one. A case
folder is assembled beside its old version and swapped in whole, so it is always either the
complete new set or the complete old set; leftovers of an interrupted swap are repaired first.
Only what the pipeline made is replaced: a user's own files in a case folder go along. A case
folder that cannot be swapped because a document in it is open (Word, a PDF reader) keeps its
old content, and the error names the document to close.
"""

from __future__ import annotations

import os
import shutil
import stat
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import BatchLocked, CaseFolderInUse, CaseFolderNotOurs, NotARegularFile, OutputError
from ..files import in_use, os_problem, read_regular
from .manifest import MANIFEST, manifest_files, sha256_file

# Without fcntl outside Windows, filelock warns (in English) that it falls back to its soft lock:
# that lock is what we want there, and a casemanager needs no warning about it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from filelock import FileLock, Timeout

LOCK_NAME = ".batch.lock"

_NEW = ".nieuw-"
_OLD = ".oud-"


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file and a rename in the same folder. Whatever stops
    it (also Ctrl-C), no temporary file stays behind and `path` is the old or the new file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write(temporary, data)
        os.replace(temporary, path)
    except BaseException as err:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise OutputError(path, os_problem(err)) from err
        raise


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
            raise _swap_failed(target, name, files, err) from err
        raise
    return FolderChange(True, tuple((old, new) for old, new in carried if old != new))


def _swap_failed(target: Path, name: str, files: Mapping[str, bytes], err: OSError) -> OutputError:
    """The error for a case folder that could not be swapped: which document to close when one
    is open elsewhere (Word leaves an owner file '~$...' beside it; Windows refuses to open an
    open file for writing), else the operating system's reason in Dutch."""
    open_documents = _open_documents(target, files)
    if open_documents:
        which = " en ".join(f"'{document}'" for document in open_documents)
        one = len(open_documents) == 1
        return CaseFolderInUse(target, f"de dossiermap '{name}' kan niet worden vervangen: {which} "
                                       f"{'is' if one else 'zijn'} geopend, bijvoorbeeld in Word. Sluit "
                                       f"{'dat document' if one else 'die documenten'} en start de batch opnieuw; "
                                       "tot dan blijven de vorige documenten van dit dossier staan")
    if in_use(err):
        return CaseFolderInUse(target, f"de dossiermap '{name}' kan niet worden vervangen: een bestand erin is "
                                       "geopend (bijvoorbeeld in Word of een PDF-lezer) of de map is open in een "
                                       "ander programma. Sluit het en start de batch opnieuw; tot dan blijven de "
                                       "vorige documenten van dit dossier staan")
    return OutputError(target, os_problem(err))


def owner_file_names(name: str) -> set[str]:
    """The names Word and Excel give the owner file ('~$...') of an open document `name`: Excel
    puts '~$' before the whole name, Word replaces the first one or two characters of a longer
    name (so 'plan-van-aanpak.docx' has '~$an-van-aanpak.docx')."""
    return {f"~${name}", f"~${name[1:]}", f"~${name[2:]}"}


def _open_documents(folder: Path, files: Mapping[str, bytes]) -> list[str]:
    """Our documents in `folder` that are open in another program, in name order."""
    try:
        entries = set(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in sorted(files):
        if name not in entries:
            continue
        if owner_file_names(name) & entries or _held_elsewhere(folder / name):
            found.append(name)
    return found


def _held_elsewhere(path: Path) -> bool:
    """Whether another program holds `path` open so that it may not be changed (Windows refuses
    to open such a file for writing; POSIX systems have no such locks and say no)."""
    try:
        with open(path, "r+b"):
            return False
    except PermissionError:
        return True
    except OSError:
        return False


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


@contextmanager
def batch_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one batch: a second batch on it stops at once (BatchLocked).
    The lock is filelock's: the operating system's own lock where there is one (flock on Linux
    and macOS, msvcrt on Windows), released when the process dies, even by kill -9; elsewhere a
    lock file whose holder is checked, so a dead holder's lock is taken over. A worker process
    forked from the batch closes its inherited copy at once (filelock does that), so it never
    keeps the folder locked."""
    lock = FileLock(str(output / LOCK_NAME), blocking=False)
    try:
        lock.acquire()
    except Timeout:
        raise BatchLocked(output) from None
    except OSError as err:
        raise OutputError(output, os_problem(err)) from err
    try:
        yield
    finally:
        lock.release()
