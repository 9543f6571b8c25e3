"""Deterministic zip containers: .docx, .xlsx and the WIA bundle are all zip files.

The libraries stamp every zip entry with the moment of writing; we write containers ourselves,
with a fixed timestamp and fixed attributes, so the same content gives the same bytes. A
`Member` is compressed once and can be written into many containers: a prepared template's
untouched parts are copied as they are, never compressed again.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

# 1 January 1980 00:00, the zip format's epoch, as MS-DOS date and time.
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0
_STORED, _DEFLATED = 0, 8
# Already compressed formats gain nothing from deflate; storing them saves the time.
_COMPRESSED_SUFFIXES = (".docx", ".xlsx", ".pdf", ".jpg", ".jpeg", ".png", ".zip")


@dataclass(frozen=True)
class Member:
    """One zip entry, ready to write: its name, CRC, size and (compressed) data."""

    name: str
    crc: int
    size: int
    data: bytes
    method: int


def member(name: str, content: bytes, level: int = 6) -> Member:
    """Compress `content` once (or store it, for formats that are compressed already)."""
    if name.lower().endswith(_COMPRESSED_SUFFIXES):
        return Member(name, zlib.crc32(content), len(content), content, _STORED)
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Member(name, zlib.crc32(content), len(content), data, _DEFLATED)


class MemberWriter:
    """One zip entry compressed as its content arrives, for a part too large to hold as text
    (the batch report's sheets): only the compressed bytes stay in memory."""

    def __init__(self, level: int = 1) -> None:
        self._compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        self._chunks: list[bytes] = []
        self._crc = self._size = 0

    def write(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._chunks.append(self._compressor.compress(data))

    def close(self, name: str) -> Member:
        """The finished entry, as `name` in the zip."""
        self._chunks.append(self._compressor.flush())
        return Member(name, self._crc, self._size, b"".join(self._chunks), _DEFLATED)


def write_members(members: Iterable[Member]) -> bytes:
    """A zip file of `members` in the given order, with fixed timestamps and attributes."""
    out = io.BytesIO()
    central = []
    for m in members:
        name = m.name.encode("utf-8")
        flags = 0x800 if not m.name.isascii() else 0
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, _DOS_TIME, _DOS_DATE,
                              m.crc, len(m.data), m.size, len(name), 0))
        out.write(name)
        out.write(m.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | 20, 20, flags, m.method,
                                   _DOS_TIME, _DOS_DATE, m.crc, len(m.data), m.size, len(name), 0, 0, 0, 0,
                                   0o644 << 16, offset) + name)
    start = out.tell()
    for record in central:
        out.write(record)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def build_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, data) in the given order, with fixed timestamps and attributes."""
    return write_members(member(name, data) for name, data in entries)


def normalise_zip(data: bytes) -> bytes:
    """The same zip container, entry order kept, with timestamps that do not depend on now."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return build_zip((info.filename, source.read(info)) for info in source.infolist())
