"""Optional PDF stage (`--pdf`): LibreOffice headless turns the generated .docx into .pdf.

All documents of one case go in one `soffice` call (starting LibreOffice costs more than a
conversion), each process with its own profile folder kept warm between calls, and a timeout.
The PDF's creation date and file ID are made fixed, so the same documents give the same bytes.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PipelineError, UsageError

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


_PROFILE: tuple[int, Path] | None = None  # (process id, folder): a forked worker makes its own


def _profile() -> Path:
    """This process's own LibreOffice profile folder, made on first use and kept warm for the
    process's next conversions (a first start with a new profile costs seconds). Each batch
    worker is its own process, so no two LibreOffices ever share a profile."""
    global _PROFILE
    if _PROFILE is None or _PROFILE[0] != os.getpid():
        _PROFILE = (os.getpid(), Path(tempfile.mkdtemp(prefix="poortwachter-lo-profiel-")))
        atexit.register(shutil.rmtree, _PROFILE[1], True)
    return _PROFILE[1]


def convert(documents: dict[str, bytes], timeout: float = TIMEOUT_SECONDS) -> dict[str, bytes]:
    """'x.docx' -> 'x.pdf' for every document, in one LibreOffice run. A run that times out is
    killed, its profile dropped, and the next conversion starts LibreOffice afresh."""
    global _PROFILE
    program = office()
    profile = _profile()
    with tempfile.TemporaryDirectory(prefix="poortwachter-pdf-") as folder:
        root = Path(folder)
        source, target = root / "docx", root / "pdf"
        source.mkdir()
        for name, data in documents.items():
            (source / name).write_bytes(data)
        command = [program, "--headless", "--norestore", "--nolockcheck",
                   f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(target),
                   *(str(source / name) for name in documents)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            shutil.rmtree(profile, ignore_errors=True)
            _PROFILE = None
            raise ConversionError(f"LibreOffice was na {timeout:.0f} seconden niet klaar en is gestopt") from err
        except OSError as err:
            raise ConversionError(f"LibreOffice kon niet starten ({err.strerror})") from err
        result = {}
        for name in documents:
            pdf = target / (Path(name).stem + ".pdf")
            if not pdf.is_file():
                raise ConversionError(f"LibreOffice maakte geen PDF van {name} (afsluitcode {done.returncode})")
            result[pdf.name] = _fixed(pdf.read_bytes())
        return result
