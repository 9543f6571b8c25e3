"""File access at the edges of the batch: whether an input file may be read, reading it safely,
operating-system errors in Dutch, file names as a user may see them, and where the templates are.

Every read the batch does of a file it did not make goes through `open_regular`: it opens
without blocking (a named pipe never hangs the batch) and refuses what is not a regular file.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import NotARegularFile
from .privacy import redact

CHUNK = 1024 * 1024  # bytes read at a time when hashing: a large attachment never sits whole in memory

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX; Windows has no FIFOs in the file system
_OPEN_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """`path` opened for reading, if it is a regular file (after links); else NotARegularFile.
    Opened non-blocking, so a FIFO answers at once instead of waiting for a writer; the check is
    made on the open file itself, so nothing can be swapped in between."""
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotARegularFile(path)
        if _NONBLOCK:
            os.set_blocking(descriptor, True)
        handle = os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise
    with handle:
        yield handle


def read_regular(path: Path) -> bytes:
    """The whole content of a regular file (for small files of our own: manifests, documents)."""
    with open_regular(path) as handle:
        return handle.read()


def input_problem(path: Path, input_dir: Path) -> str | None:
    """Why `path`, found in the input folder, may not be read, in Dutch; None when it may. A
    symbolic link must lead to a regular file inside the input folder."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = Path(os.path.realpath(path, strict=True))
            except OSError as err:
                if err.errno == errno.ELOOP:
                    return ("dit is een snelkoppeling (symbolische link) die in een kring naar zichzelf verwijst; "
                            "zet de werkmap zelf in de invoermap")
                if isinstance(err, FileNotFoundError):
                    return ("dit is een snelkoppeling (symbolische link) naar een bestand dat niet (meer) bestaat; "
                            "zet de werkmap zelf in de invoermap")
                raise
            if not target.is_relative_to(Path(os.path.realpath(input_dir))):
                return ("dit is een snelkoppeling (symbolische link) naar een bestand buiten de invoermap; zo'n "
                        "bestand wordt niet gelezen. Zet de werkmap zelf in de invoermap")
            info = os.stat(target)
    except OSError as err:
        return f"het bestand kan niet worden gelezen: {os_problem(err)}"
    if not stat.S_ISREG(info.st_mode):
        return ("dit is geen gewoon bestand (maar bijvoorbeeld een named pipe, socket of apparaat) en wordt niet "
                "gelezen; zet er een Excel-werkmap neer")
    return None


# --- operating-system errors in Dutch ----------------------------------------------------------

_IN_USE = "het bestand is in gebruik (bijvoorbeeld geopend in Word of Excel); sluit het en probeer het opnieuw"

_ERRNO_NL = {
    errno.EACCES: "geen toegang (onvoldoende rechten); vraag toegang aan of kies een andere map",
    errno.EPERM: "dit is niet toegestaan (onvoldoende rechten); vraag toegang aan of kies een andere map",
    errno.ENOSPC: "de schijf is vol; maak ruimte vrij en probeer het opnieuw",
    errno.EROFS: "de schijf of map is alleen-lezen; kies een map waarin geschreven mag worden",
    errno.EBUSY: _IN_USE,
    errno.ETXTBSY: _IN_USE,
    errno.EISDIR: "dit is een map, geen bestand",
    errno.ENOTDIR: "een deel van het pad is geen map",
    errno.ENOENT: "het bestand of de map bestaat niet (meer)",
    errno.ENAMETOOLONG: "de naam of het pad is te lang; kies een kortere naam of een map dichter bij de schijf",
    errno.ELOOP: "snelkoppelingen (symbolische links) verwijzen in een kring naar elkaar",
    errno.EEXIST: "er bestaat al een bestand of map met die naam",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.EXDEV: "bestand en doel staan op verschillende schijven",
    errno.EIO: "de schijf gaf een lees- of schrijffout; controleer de schijf of de netwerkverbinding",
    errno.EMFILE: "er staan te veel bestanden tegelijk open; probeer het opnieuw met minder --workers",
    errno.ENFILE: "er staan te veel bestanden tegelijk open; probeer het opnieuw met minder --workers",
    errno.ENOMEM: "er is te weinig geheugen; probeer het opnieuw met minder --workers",
    errno.EINVAL: "de naam is ongeldig of de bewerking kan hier niet",
    errno.ENXIO: "dit is geen gewoon bestand (bijvoorbeeld een named pipe zonder schrijver)",
    errno.ETIMEDOUT: "de netwerkschijf reageert niet; controleer de verbinding en probeer het opnieuw",
}
for _name, _text in (("EDQUOT", "uw schijfruimte (quotum) is op; maak ruimte vrij en probeer het opnieuw"),
                     ("ESTALE", "de netwerkschijf is niet meer bereikbaar; controleer de verbinding"),
                     ("EHOSTDOWN", "de netwerkschijf is niet bereikbaar; controleer de verbinding")):
    if hasattr(errno, _name):
        _ERRNO_NL[getattr(errno, _name)] = _text

# Windows: sharing and lock violations (a document open in Word) arrive as EACCES.
_WINERROR_NL = {32: _IN_USE, 33: _IN_USE, 112: _ERRNO_NL[errno.ENOSPC], 206: _ERRNO_NL[errno.ENAMETOOLONG]}


def in_use(err: OSError) -> bool:
    """Whether an operating-system error is what Windows answers when a file or a folder holding
    it is open in another program (access denied, a sharing or lock violation), or a busy file."""
    return getattr(err, "winerror", None) in _IN_USE_WINERRORS or err.errno in _IN_USE_ERRNOS


_IN_USE_WINERRORS = {5, 32, 33}
_IN_USE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def os_problem(err: OSError) -> str:
    """What an operating-system error means, in plain Dutch (never the system's English text)."""
    if isinstance(err, NotARegularFile):
        return str(err)
    winerror = getattr(err, "winerror", None)
    if winerror in _WINERROR_NL:
        return _WINERROR_NL[winerror]
    if err.errno in _ERRNO_NL:
        return _ERRNO_NL[err.errno]
    number = err.errno if err.errno is not None else "onbekend"
    return f"het besturingssysteem meldt een fout (foutnummer {number})"


# --- names as shown ----------------------------------------------------------------------------

# Invisible characters that change the direction of the text around them: a name holding them
# can show as another name ('factuur\u202excod.xlsx').
_DIRECTION = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# Control characters and line or paragraph separators: shown escaped, never as raw lines.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """`text` on one line: direction-changing characters removed, control characters escaped."""
    if _DIRECTION.search(text):
        text = _DIRECTION.sub("", text)
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def shown_name(name: str) -> str:
    """A file name as a user may see it in a message, report or log: bytes that are not UTF-8
    (which Linux keeps) as '\ufffd', on one line, without direction tricks, and without a BSN."""
    return redact(printable(name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")))


# --- the templates folder ------------------------------------------------------------------------

TEMPLATES_FOLDER = "templates"


def shipped_templates() -> Path:
    """The default Word templates and term list that come with the pipeline: inside the installed
    package (pipeline/templates, from the repository's templates/ folder), or the repository's
    templates/ folder itself when the pipeline runs from a checkout (make run, an editable install)."""
    packaged = Path(__file__).with_name(TEMPLATES_FOLDER)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / TEMPLATES_FOLDER


def templates_folder(given: Path | None) -> Path:
    """The templates a command uses: the folder given (--templates); else a folder 'templates' in
    the current folder, where administrators keep their own versions; else the shipped ones."""
    if given is not None:
        return given
    here = Path(TEMPLATES_FOLDER)
    return here if here.is_dir() else shipped_templates()
