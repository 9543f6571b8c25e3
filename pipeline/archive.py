"""Deterministic zip containers: .docx, .xlsx and the WIA bundle are all zip files.

The libraries stamp every zip entry with the moment of writing; rewriting the container with
a fixed timestamp and fixed attributes makes the same content give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterable

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3
    return info


def build_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) in the given order, with fixed timestamps and attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in entries:
            archive.writestr(_entry(name), data)
    return buffer.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """The same zip container, entry order kept, with timestamps that do not depend on now."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return build_zip((info.filename, source.read(info)) for info in source.infolist())
