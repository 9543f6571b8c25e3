"""Read stage: one case workbook from disk into raw sheets, records and cells.

Reading applies no policy beyond recognising the file: it finds the contract's sheets and
columns by their forgiving names and keeps every cell with its row and column, plus what it
could not place (unknown sheets, labels and headers). `validate` decides what is wrong.

The XML is read with lxml directly (every workbook of a batch passes here, and openpyxl's own
reader costs several times as much); what a value means follows openpyxl: its number formats
decide which cells are dates, its date conversion and number casting give the values, and
shared strings are read as it reads them. tests/test_hostile.py compares every cell with
openpyxl's reading: the shipped examples, rich text, a custom date format, 1904 dates. One
departure: Excel's `_xHHHH_` escapes are undone once, as Excel itself does (openpyxl strips
`x005F_` from shared strings and leaves the rest); tests/test_reader_input.py holds that.

Names are found as the contract lays down (`values.normalise_label`), plus near misses: see
`_place`. Every bound below keeps a hostile or broken workbook to seconds and megabytes.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from operator import itemgetter
from pathlib import Path
from typing import IO, NamedTuple

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number  # type: ignore[attr-defined]  # private: not in types-openpyxl
from schema import SchemaError

from ..errors import Finding, InputError, Severity
from ..files import os_problem
from . import contract
from .values import normalise_label, parse_dossiernummer, parse_text

# Bounds that keep a hostile or broken workbook from taking minutes or gigabytes.
MAX_DATA_ROWS = 10_000
MAX_COLUMNS = 60
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Merged ranges kept per sheet (a real sheet has a handful; the rest are not filled, with a note).
MAX_MERGED_RANGES = 10_000
# The shared string table: a case needs tens of thousands of strings; past these it is no case.
MAX_SHARED_STRINGS = 500_000
MAX_SHARED_TEXT = 20_000_000  # characters
# A sheet name, label or header longer than this matches no contract name; it is shown shortened.
MAX_NAME = 100

# What the libraries raise on bytes that are no (intact) workbook: zip, inflate and XML errors.
_BROKEN = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, struct.error, EOFError, OSError, ValueError,
           KeyError, IndexError, TypeError, AttributeError, SyntaxError, NotImplementedError, OverflowError,
           RecursionError)

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


class UnsafeText(str):
    """Text holding a character that XML, and so a document, cannot hold: a control character
    other than tab and newline, U+FFFE/U+FFFF or a lone surrogate. Only an `_xHHHH_` escape can
    give one (XML itself cannot carry them); validation refuses the cell."""

    __slots__ = ()


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# The characters of UnsafeText.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped_char(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def unescape(text: str) -> str:
    """Excel's `_xHHHH_` escapes undone once, as Excel reads them. A user who types `_x0041_`
    gets it stored as `_x005F_x0041_` (`_x005F_` is the underscore), which reads back as typed;
    the result is never decoded again (`values.parse_text` leaves escapes alone)."""
    if "_x" not in text:
        return text
    text = _ESCAPE.sub(_escaped_char, text)
    return UnsafeText(text) if NOT_IN_XML.search(text) else text


class RawCell(NamedTuple):
    """One cell as read (a tuple: every cell of every workbook becomes one, so it is cheap)."""

    value: object
    column: str
    formula_without_value: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.formula_without_value and (
            self.value is None or (isinstance(self.value, str) and not self.value.strip())
        )

    @property
    def excel_error(self) -> str | None:
        if isinstance(self.value, str) and self.value.strip().upper() in EXCEL_ERRORS:
            return self.value.strip().upper()
        return None


@dataclass(frozen=True)
class RawRecord:
    """One table row, or one label of a key/value sheet; cells keyed by the field's key."""

    row: int
    cells: dict[str, RawCell]


@dataclass
class RawSheet:
    spec: contract.Sheet
    title: str
    records: list[RawRecord] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field key -> column letter
    unknown: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, text)
    duplicates: list[tuple[int, str, str]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # merged ranges whose value now fills each cell
    overflow_row: int | None = None  # first row with data beyond MAX_DATA_ROWS
    wide: bool = False  # data beyond MAX_COLUMNS
    # Names placed by the near-miss rule (see `_place`): (row, column, text, contract label).
    near: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Near misses of a label that another name already holds: (row, column, text, label); ignored.
    shadowed: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Names as close to two or more labels: (row, column, text, labels); an error.
    ambiguous: list[tuple[int, str, str, tuple[str, ...]]] = field(default_factory=list)
    unfilled: int = 0  # merged ranges past the bounds, not filled


@dataclass
class RawWorkbook:
    path: Path
    epoch: datetime
    sheets: dict[str, RawSheet] = field(default_factory=dict)  # sheet key -> sheet
    unknown_sheets: list[str] = field(default_factory=list)
    duplicate_sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    near_sheets: list[tuple[str, str]] = field(default_factory=list)  # (title, contract name)
    ambiguous_sheets: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def unreadable(path: Path, message: str) -> InputError:
    return InputError([Finding(Severity.ERROR, message, file=path.name, rule="bestand")])


def check_container(path: Path, prologs: bool = True) -> None:
    """Recognise the file by its bytes before any XML is parsed; raise a plain Dutch error.
    Without `prologs`, the XML parts' prologs are not scanned for DTDs (the parser resolves no
    entities anyway; the full read refuses them with a message)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            size = path.stat().st_size
    except OSError as err:
        raise unreadable(path, f"het bestand kan niet worden gelezen ({os_problem(err)})") from err
    if size == 0:
        raise unreadable(path, "het bestand is leeg (0 bytes); sla de werkmap opnieuw op vanuit Excel")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise unreadable(path, "de werkmap is beveiligd met een wachtwoord; sla haar op zonder wachtwoord")
        raise unreadable(path, "dit is een oud Excel-bestand (.xls); sla het op als Excel-werkmap (.xlsx)")
    if not head.startswith(b"PK\x03\x04"):
        raise unreadable(path, "dit is geen Excel-werkmap (.xlsx), maar bijvoorbeeld tekst of CSV met "
                               "de verkeerde extensie; sla het bestand op als Excel-werkmap (.xlsx)")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_entries(path, archive, prologs)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError) as err:
        raise unreadable(path, "de werkmap is beschadigd of onvolledig; sla haar opnieuw op vanuit Excel") from err


def _check_entries(path: Path, archive: zipfile.ZipFile, prologs: bool) -> None:
    """The zip's table of contents and the prologs of its XML parts, before anything is parsed."""
    entries = archive.infolist()
    names = {e.filename for e in entries}
    if len(entries) > MAX_ZIP_ENTRIES:
        raise unreadable(path, f"de werkmap bevat meer dan {MAX_ZIP_ENTRIES} onderdelen; dit is geen gewone werkmap")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED_BYTES or any(
        e.file_size > MAX_COMPRESSION_RATIO * max(e.compress_size, 1) and e.file_size > 1024 * 1024 for e in entries
    ):
        raise unreadable(path, "de werkmap pakt uit tot een onredelijk grote omvang (mogelijk een zip-bom); "
                               "deze wordt niet gelezen")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise unreadable(path, "dit zip-bestand is geen Excel-werkmap; sla het bestand op als Excel-werkmap (.xlsx)")
    if "xl/vbaProject.bin" in names:
        raise unreadable(path, "de werkmap bevat macro's (.xlsm opgeslagen als .xlsx); "
                               "sla haar op als gewone Excel-werkmap zonder macro's")
    # Office never writes a DTD: any DOCTYPE or ENTITY declaration is an entity trick (billion
    # laughs, external entities). A declaration can only stand in the prolog, before the root.
    for entry in entries if prologs else ():
        if entry.filename.endswith((".xml", ".rels")):
            with archive.open(entry) as part:
                prolog = part.read(4096)
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise _refused(path)


@dataclass
class _SheetRows:
    """The cells of one sheet, bounded: rows as present in the file, merged ranges, overflow."""

    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    merged_dropped: int = 0  # ranges beyond MAX_MERGED_RANGES, not kept
    overflow_row: int | None = None  # first row with data beyond MAX_DATA_ROWS
    wide: bool = False  # data beyond MAX_COLUMNS


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Excel's "Strict Open XML" saves the same parts under other namespaces.
_STRICT_NS = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_ROW, _CELL, _MERGE = _NS + "row", _NS + "c", _NS + "mergeCell"
_VALUE, _FORMULA, _INLINE, _TEXT = _NS + "v", _NS + "f", _NS + "is", _NS + "t"
_COLUMN = re.compile(r"[A-Z]{1,3}")
_LETTERS = [get_column_letter(i) for i in range(1, MAX_COLUMNS + 1)]
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHARED_STRING, _RUN, _NUMBER_FORMAT, _CELL_FORMATS = _NS + "si", _NS + "r", _NS + "numFmt", _NS + "cellXfs"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
# Excel's own limit on a number format's length; a longer one is no date format (and stays cheap).
_MAX_FORMAT_CODE = 255


def _rich_text(element: etree._Element) -> str:
    """The text of a string item (<si> or <is>) as openpyxl reads it: its plain text followed by
    the text of its formatted runs, phonetic hints left out."""
    return (element.findtext(_TEXT) or "") + "".join(run.findtext(_TEXT) or "" for run in element.iterchildren(_RUN))


class _SharedStrings:
    """The shared string table, parsed only as far as the cells read so far need: the Dossier
    sheet alone needs its first strings, and strings no cell uses are never parsed. Bounded by
    MAX_SHARED_STRINGS and MAX_SHARED_TEXT; each string unescaped once."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, name: str | None) -> None:
        self.items: list[str] = []
        self._path = path
        self._characters = 0
        self._source: IO[bytes] | None = archive.open(name) if name else None
        self._elements: Iterator[tuple[str, etree._Element]] = etree.iterparse(
            self._source, events=("end",), tag=_SHARED_STRING, resolve_entities=False, no_network=True,
            load_dtd=False, huge_tree=False) if self._source else iter(())

    def at(self, index: int) -> str:
        if index < 0:
            raise IndexError(f"gedeelde tekst {index} bestaat niet")
        items = self.items
        while len(items) <= index:
            parsed = next(self._elements, None)
            if parsed is None:
                raise IndexError(f"gedeelde tekst {index} bestaat niet")
            item = parsed[1]
            text = _rich_text(item)
            items.append(unescape(text) if "_x" in text else text)
            self._characters += len(text)
            item.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs lacks keep_tail
            parent = item.getparent()
            while parent is not None and item.getprevious() is not None:
                del parent[0]
            if len(items) > MAX_SHARED_STRINGS or self._characters > MAX_SHARED_TEXT:
                raise unreadable(self._path, f"de werkmap bevat meer tekst dan een dossier kan hebben (meer dan "
                                             f"{MAX_SHARED_STRINGS:,} verschillende teksten of {MAX_SHARED_TEXT:,} "
                                             "tekens); controleer of dit de juiste werkmap is".replace(",", "."))
        return items[index]

    def close(self) -> None:
        if self._source is not None:
            self._source.close()


@dataclass(frozen=True)
class _Book:
    """What the sheets need from the workbook: strings, date styles and the date system."""

    strings: _SharedStrings
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: datetime


def _cell_value(cell: etree._Element, book: _Book) -> tuple[object, bool]:
    """(value, formula without cached value) of one <c> element, as openpyxl's parse_cell reads
    it with data_only=True: cached values of formulas, dates by their number format; text
    unescaped once. The cell's children are visited once (this runs for every cell of every
    workbook)."""
    raw = inline = None
    formula = False
    for child in cell:
        tag = child.tag
        if tag == _VALUE:
            raw = child.text
        elif tag == _INLINE:
            inline = child
        elif tag == _FORMULA:
            formula = True
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        if inline is None:
            return None, False
        if len(inline) == 1 and inline[0].tag == _TEXT:  # plain text, the common case
            text = inline[0].text or ""
        else:
            text = _rich_text(inline)
        return (unescape(text) if "_x" in text else text), False
    if not raw:
        return None, formula
    if kind == "n":
        number = _cast_number(raw)
        style = cell.get("s")
        if style is not None and int(style) in book.date_styles:
            try:
                return from_excel(number, book.epoch, timedelta=int(style) in book.timedelta_styles), False
            except (OverflowError, ValueError):
                return "#VALUE!", False
        return number, False
    if kind == "s":
        index = int(raw)
        items = book.strings.items
        return (items[index] if 0 <= index < len(items) else book.strings.at(index)), False
    if kind == "b":
        return bool(int(raw)), False
    if kind == "d":
        return from_ISO8601(raw), False  # type: ignore[no-untyped-call]  # untyped in types-openpyxl
    # "str" (a formula's text result) and "e" (an error value such as #N/A)
    return (unescape(raw) if "_x" in raw else raw), False


_DIGITS = "0123456789"
_ROW_NUMBER = itemgetter(0)  # of a (row number, cells) pair
# Column letters -> index, for the columns a case sheet can use; the rest are computed.
_COLUMN_INDEX = {letters: index for index, letters in enumerate(_LETTERS, start=1)}


def _column_index(ref: str) -> int:
    letters = ref.rstrip(_DIGITS)
    index = _COLUMN_INDEX.get(letters)
    if index is None:
        if not _COLUMN.fullmatch(letters):
            raise ValueError(f"ongeldige celverwijzing {ref!r}")
        index = column_index_from_string(letters)
    return index


# A sheet up to this size (uncompressed) is parsed whole, which is faster; a larger one is
# streamed row by row, so memory stays bounded whatever the file holds.
_WHOLE_SHEET_BYTES = 1024 * 1024


def _sheet_rows(archive: zipfile.ZipFile, target: str, book: _Book) -> _SheetRows:
    """One sheet's rows with lxml. Only rows present in the file are visited, so a stray cell at
    XFD1048576 or a dimension claiming a million rows costs nothing; reading stops at the first
    row with data beyond MAX_DATA_ROWS. Entities are never resolved (and check_container has
    refused any DTD before this point)."""
    if archive.getinfo(target).file_size <= _WHOLE_SHEET_BYTES:
        root = etree.fromstring(archive.read(target), parser=_XML_PARSER)
        return _rows(root.iter(_ROW, _MERGE), book, streamed=False)
    with archive.open(target) as source:
        return _rows((element for _, element in etree.iterparse(
            source, events=("end",), tag=(_ROW, _MERGE), resolve_entities=False, no_network=True, load_dtd=False,
            huge_tree=False)), book, streamed=True)


def _rows(elements: Iterator[etree._Element], book: _Book, streamed: bool) -> _SheetRows:
    """The rows and merged ranges among `elements`; a streamed row is dropped once read."""
    result = _SheetRows()
    counter = 0
    for element in elements:
        if element.tag == _MERGE:
            if len(result.merged) < MAX_MERGED_RANGES:
                result.merged.append(element.get("ref", ""))
            else:
                result.merged_dropped += 1
            continue
        counter = int(element.get("r") or counter + 1)
        if counter < 1:
            raise ValueError(f"ongeldig rijnummer {counter}")
        cells: list[RawCell] = []
        column = 0  # of the cell before this one
        content = False
        for cell in element.iterchildren(_CELL):
            ref = cell.get("r")
            column = _column_index(ref) if ref else column + 1
            if not len(cell):  # no value, formula or text: an empty (formatted) cell, the common case
                continue
            value, no_cache = _cell_value(cell, book)
            content = content or value is not None or no_cache
            if column > MAX_COLUMNS:
                result.wide = result.wide or value is not None
                continue
            placed = len(cells)
            if column > placed:
                while placed < column - 1:  # the empty cells before it
                    cells.append(RawCell(None, _LETTERS[placed]))
                    placed += 1
                cells.append(RawCell(value, _LETTERS[column - 1], no_cache))
            else:  # a cell out of order (Excel writes them in order): still in its own column
                cells[column - 1] = RawCell(value, _LETTERS[column - 1], no_cache)
        if streamed:
            element.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs lacks keep_tail
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
        if counter > MAX_DATA_ROWS + 1:
            if content:
                result.overflow_row = counter
                return result
            continue
        result.rows.append((counter, cells))
    return result


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name), parser=_XML_PARSER)


@contextmanager
def _opened(path: Path, styles: bool = True) -> Iterator[tuple[zipfile.ZipFile, _Book, list[tuple[str, str, str]]]]:
    """The workbook itself: its sheets (name, state, part), shared strings, date styles and date
    system, read from workbook.xml and the parts it links to; the sheets are then read by
    `_sheet_rows`. Without `styles`, dates read as numbers. Everything opened is closed on leaving."""
    archive = zipfile.ZipFile(path)
    strings: _SharedStrings | None = None
    try:
        workbook = _xml(archive, "xl/workbook.xml")
        if workbook.tag != _NS + "workbook":
            if workbook.tag == _STRICT_NS + "workbook":
                raise unreadable(path, "de werkmap is opgeslagen als 'Strict Open XML-werkmap', een vorm die de "
                                       "pipeline niet leest. Open haar in Excel, kies Bestand > Opslaan als en als "
                                       "bestandstype 'Excel-werkmap (*.xlsx)'")
            raise unreadable(path, "dit is geen Excel-werkmap die de pipeline kan lezen; open het bestand in Excel en "
                                   "sla het op als 'Excel-werkmap (*.xlsx)'")
        links = {r.get("Id"): (r.get("Type", ""), _part_name(r.get("Target", "")))
                 for r in _xml(archive, "xl/_rels/workbook.xml.rels").iter(_PACKAGE_REL)}
        present = set(archive.namelist())
        properties = workbook.find(_NS + "workbookPr")
        date1904 = properties is not None and properties.get("date1904", "").lower() in ("1", "true")
        sheets = []
        for sheet in workbook.iter(_NS + "sheet"):
            kind, target = links.get(sheet.get(_SHEET_REL_ID), ("", ""))
            if target in present and "chartsheet" not in kind:
                sheets.append((sheet.get("name", ""), sheet.get("state") or "visible", target))
        parts = {kind.rsplit("/", 1)[-1]: target for kind, target in links.values() if target in present}
        strings = _SharedStrings(path, archive, parts.get("sharedStrings"))
        date_styles, timedelta_styles = _date_styles(archive, parts["styles"]) \
            if styles and "styles" in parts else (frozenset(), frozenset())
        yield archive, _Book(strings, date_styles, timedelta_styles,
                             CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900), sheets
    finally:
        if strings is not None:
            strings.close()
        archive.close()


def _part_name(target: str) -> str:
    """A relationship's target as a name in the zip (targets are relative to xl/, or absolute)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


def _date_styles(archive: zipfile.ZipFile, name: str) -> tuple[frozenset[int], frozenset[int]]:
    """(cell styles showing a date, those showing a duration), by their number formats, as
    openpyxl's stylesheet decides them: the custom formats of <numFmts> alone (a conditional
    format's own <numFmt>, under <dxfs>, formats no cell), cell styles by their place in <cellXfs>."""
    stylesheet = _xml(archive, name)
    formats = stylesheet.find(_NS + "numFmts")
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "")
              for f in (formats.iterchildren(_NUMBER_FORMAT) if formats is not None else ())}
    cell_formats = stylesheet.find(_CELL_FORMATS)
    dates, durations = set(), set()
    for index, xf in enumerate(cell_formats.iterchildren(_NS + "xf") if cell_formats is not None else ()):
        number = int(xf.get("numFmtId", 0))
        code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
        if code is None or len(code) > _MAX_FORMAT_CODE:
            continue
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return frozenset(dates), frozenset(durations)


def _fill_merged(rows: list[tuple[int, list[RawCell]]], ranges: list[str],
                 first_data_row: int) -> tuple[list[str], int]:
    """Give every cell of a merged range in the data rows the value of its top-left cell, as the
    casemanager sees it in Excel; returns (the ranges filled, how many were too big to fill).

    A range is clipped to MAX_COLUMNS and to the last row holding data, and all ranges of a sheet
    together fill at most one full sheet of cells: a range over the whole sheet, or thousands of
    overlapping ones, cost no more than a sheet full of data. A range that starts in the header
    row fills nothing: a header is no value."""
    if not ranges:
        return [], 0
    by_number = dict(rows)
    last = max((number for number, cells in rows if not all(c.is_empty for c in cells)), default=0)
    budget = (MAX_DATA_ROWS + 1) * MAX_COLUMNS
    filled: list[str] = []
    too_big = 0
    for ref in ranges:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError):
            continue  # not a range: Excel would drop it too
        if min_col is None or min_row is None or max_col is None or max_row is None or min_row < first_data_row \
                or (min_row == max_row and min_col == max_col):
            continue
        top = by_number.get(min_row, [])
        if min_col > len(top) or top[min_col - 1].is_empty:
            continue
        max_col, max_row = min(max_col, MAX_COLUMNS), min(max_row, last)
        if max_row < min_row:
            continue
        area = (max_row - min_row + 1) * (max_col - min_col + 1)
        if area > budget:
            too_big += 1
            continue
        budget -= area
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            if number not in by_number:
                by_number[number] = []
                rows.append((number, by_number[number]))
            cells = by_number[number]
            while len(cells) < max_col:
                cells.append(RawCell(None, _LETTERS[len(cells)]))
            for column in range(min_col, max_col + 1):
                if cells[column - 1].is_empty:
                    cells[column - 1] = RawCell(value.value, _LETTERS[column - 1], value.formula_without_value)
        filled.append(ref)
    return filled, too_big


# --- finding the contract's sheets, labels and columns by their names ---------------------------

class _Fit(Enum):
    EXACT = "exact"  # the contract's name, matched forgivingly (values.normalise_label)
    NEAR = "near"  # a near miss of one contract name that no other name holds: read as it
    DUPLICATE = "duplicate"  # an exact name that an earlier one already holds
    SHADOWED = "shadowed"  # a near miss of a contract name that another name already holds: ignored
    AMBIGUOUS = "ambiguous"  # as near to two or more contract names: not read, an error
    UNKNOWN = "unknown"


class _Placed(NamedTuple):
    fit: _Fit
    key: str | None = None  # the contract name's key it is read as (EXACT, NEAR) or near (SHADOWED)
    close: tuple[str, ...] = ()  # the contract names it is near, as the contract spells them


# A remark in brackets ("(dd-mm-jjjj)", "(verplicht)") and the marks ':' and '*' decorate a name.
_REMARK = re.compile(r"\([^()]*\)|[:*]")
_TRAILING_OP = re.compile(r"[\s_\-]+op$", re.IGNORECASE)


def _variants(name: str) -> frozenset[str]:
    """A name's key, and the key of its core: without bracketed remarks, ':' or '*', and without
    a last word 'op' ('Uiterlijk op' -> 'Uiterlijk', 'Hersteld op' -> 'Hersteld')."""
    core = _TRAILING_OP.sub("", _REMARK.sub(" ", name).strip())
    return frozenset(k for k in (normalise_label(name), normalise_label(core)) if k)


def _one_typo(a: str, b: str) -> bool:
    """Whether one typo turns `a` into `b` (a letter wrong, missing or extra, or two neighbours
    swapped); linear, and at once False for lengths that differ by more than one."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if a == b:
        return True
    i, n = 0, min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la > lb:
        return a[i + 1:] == b[i:]
    if la < lb:
        return a[i:] == b[i + 1:]
    return a[i + 1:] == b[i + 1:] or (a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:])


# A contract name shorter than this takes no typo (its one-letter neighbours are other words).
_SHORTEST_TYPO_TARGET = 3


@dataclass(frozen=True)
class _Names:
    """The contract names a sheet name, label or header is placed among, and every other name of
    that kind the contract knows: a name the contract uses elsewhere is never a near miss here."""

    own: dict[str, str]  # key -> the name as the contract spells it
    variants: dict[str, frozenset[str]]  # key -> the name's variants
    elsewhere: frozenset[str]  # keys of the contract's other names of this kind

    @classmethod
    def of(cls, names: list[str], every: list[str]) -> _Names:
        own = {normalise_label(n): n for n in names}
        return cls(own, {k: _variants(n) for k, n in own.items()},
                   frozenset(normalise_label(n) for n in every) - own.keys())

    def near(self, name: str) -> list[str]:
        """The keys of the contract names `name` is a near miss of, nearest first: the same core
        (score 0), else one typo away from a name or its core (score 1); [] for none, or when
        `name` or its core is a name the contract uses elsewhere."""
        mine = _variants(name)
        if mine & self.elsewhere:
            return []
        best, found = 2, []
        for key, theirs in self.variants.items():
            if mine & theirs:
                score = 0
            elif any(len(t) >= _SHORTEST_TYPO_TARGET and _one_typo(m, t) for m in mine for t in theirs):
                score = 1
            else:
                continue
            if score < best:
                best, found = score, [key]
            elif score == best:
                found.append(key)
        return found


def _place(texts: list[str], names: _Names) -> list[_Placed]:
    """Each name of one sheet's header row, one key/value sheet's labels or one workbook's sheet
    names, placed among the contract's names. The forgiving match (case, spaces, '_' and '-'
    ignored) always wins, in the whole row before any near miss is considered. Then a name
    that is no name the contract uses anywhere is a near miss of a contract name when

    - it has the same core: bracketed remarks, ':' and '*' and a last word 'op' left out
      ('Uiterlijk op', 'Uiterlijk (dd-mm-jjjj)', 'Naam *'), or
    - one typo away from it or its core, for names of three letters or more ('Dattum', 'Wiie');

    the nearest name wins; as near to two names is ambiguous (an error naming both). Other short
    extra words are not forgiven: 'Vanaf' is no 'Van', 'Datum besluit tweede spoor' no 'Datum'.
    tests/test_reader_input.py checks that no label of a sheet is a near miss of another."""
    keys = [normalise_label(t) if len(t) <= MAX_NAME else None for t in texts]
    placed: list[_Placed | None] = [None] * len(texts)
    taken: set[str] = set()
    for i, key in enumerate(keys):
        if key is not None and key in names.own:
            placed[i] = _Placed(_Fit.DUPLICATE if key in taken else _Fit.EXACT, key, (names.own[key],))
            taken.add(key)
    for i, text in enumerate(texts):
        if placed[i] is not None:
            continue
        near = names.near(text) if keys[i] is not None else []
        close = tuple(names.own[k] for k in near)
        if not near:
            placed[i] = _Placed(_Fit.UNKNOWN)
        elif len(near) > 1:
            placed[i] = _Placed(_Fit.AMBIGUOUS, None, close)
        elif near[0] in taken:
            placed[i] = _Placed(_Fit.SHADOWED, near[0], close)
        else:
            taken.add(near[0])
            placed[i] = _Placed(_Fit.NEAR, near[0], close)
    return [p for p in placed if p is not None]


_ALL_LABELS = [f.label for s in contract.SHEETS for f in s.fields]
_FIELD_NAMES = {s.key: _Names.of([f.label for f in s.fields], _ALL_LABELS) for s in contract.SHEETS}
_SHEET_NAMES = _Names.of([s.name for s in contract.SHEETS], [s.name for s in contract.SHEETS]
                         + list(contract.HELPER_SHEETS))
_HELPER_KEYS = frozenset(normalise_label(name) for name in contract.HELPER_SHEETS)
_SPECS = {s.key: s for s in contract.SHEETS}
_READ = (_Fit.EXACT, _Fit.NEAR)


def _shown(text: str) -> str:
    """A name as messages show it: a name longer than any contract name is shortened."""
    return text if len(text) <= MAX_NAME else text[:MAX_NAME] + "…"


def _contract_sheets(sheets: list[tuple[str, str, str]]) -> list[tuple[str, str, str, _Placed]]:
    """The workbook's sheets, new-case's helper sheets left out, each placed among the
    contract's: (title, state, part, placement)."""
    listed = [s for s in sheets if len(s[0]) > MAX_NAME or normalise_label(s[0]) not in _HELPER_KEYS]
    return [(title, state, target, placed)
            for (title, state, target), placed in zip(listed, _place([s[0] for s in listed], _SHEET_NAMES))]


def read_workbook(path: Path) -> RawWorkbook:
    """Open `path` and return every contract sheet it holds; raise InputError if it can't."""
    check_container(path)
    try:
        with _opened(path) as (archive, book, sheets):
            try:
                return _read(path, archive, book, sheets)
            except _BROKEN as err:
                raise _broken(path, err, "de werkmap is beschadigd en kan niet worden gelezen; "
                                         "sla haar opnieuw op vanuit Excel") from err
    except _BROKEN as err:
        raise _broken(path, err, "de werkmap kan niet worden geopend; sla haar opnieuw op als "
                                 "Excel-werkmap (.xlsx)") from err


def _read(path: Path, archive: zipfile.ZipFile, book: _Book, sheets: list[tuple[str, str, str]]) -> RawWorkbook:
    raw = RawWorkbook(path=path, epoch=book.epoch)
    for title, state, target, placed in _contract_sheets(sheets):
        shown = _shown(title)
        if placed.fit is _Fit.DUPLICATE:
            raw.duplicate_sheets.append(shown)
            continue
        if placed.fit is _Fit.AMBIGUOUS:
            raw.ambiguous_sheets.append((shown, placed.close))
            continue
        if placed.fit not in _READ or placed.key is None:
            raw.unknown_sheets.append(shown)
            continue
        if placed.fit is _Fit.NEAR:
            raw.near_sheets.append((shown, placed.close[0]))
        if state != "visible":
            raw.hidden_sheets.append(shown)
        spec = _SPECS[placed.key]
        content = _sheet_rows(archive, target, book)
        if spec.shape is contract.Shape.KEY_VALUE:
            read = _read_key_value(spec, shown, content.rows)
        else:
            read = _read_table(spec, shown, content.rows, content.merged)
            read.unfilled += content.merged_dropped
        read.overflow_row = content.overflow_row
        read.wide = content.wide
        raw.sheets[placed.key] = read
    return raw


_DOSSIERNUMMER_KEY = next(f.key for f in contract.DOSSIER.fields if f.kind is contract.Kind.DOSSIERNUMMER)


def dossiernummer_of(path: Path) -> str | None:
    """The Dossiernummer exactly as validation will read it: the same cell, found by the same
    names, through `values.parse_dossiernummer`; None when the workbook or the number cannot be
    read (validation then reports why). Reads the Dossier sheet alone, of the shared strings only
    those it needs, and the styles only for a number (which its style may make a date). Lets a
    batch find clashing numbers before it reads every workbook whole."""
    cell = _dossiernummer_cell(path, styles=False)
    if cell is not None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        cell = _dossiernummer_cell(path, styles=True)
    if cell is None or cell.is_empty or cell.formula_without_value or cell.excel_error \
            or isinstance(cell.value, UnsafeText):
        return None
    try:
        return parse_dossiernummer(cell.value)
    except SchemaError:
        return None


def _dossiernummer_cell(path: Path, styles: bool) -> RawCell | None:
    try:
        check_container(path, prologs=False)
        with _opened(path, styles) as (archive, book, sheets):
            found = next(((title, target) for title, _, target, placed in _contract_sheets(sheets)
                          if placed.fit in _READ and placed.key == contract.DOSSIER.key), None)
            if found is None:
                return None
            rows = sorted(_sheet_rows(archive, found[1], book).rows, key=_ROW_NUMBER)
            # The label as the contract spells it is where validation reads it (an exact name wins);
            # only without one do the near misses of the whole sheet decide.
            exact = next((cells for _, cells in rows if cells and _key(_label(cells[0])) == _DOSSIERNUMMER_KEY), None)
            if exact is not None:
                return exact[1] if len(exact) > 1 else RawCell(None, "B")
            sheet = _read_key_value(contract.DOSSIER, found[0], rows)
    except (InputError, *_BROKEN):
        return None
    return next((r.cells[_DOSSIERNUMMER_KEY] for r in sheet.records if _DOSSIERNUMMER_KEY in r.cells), None)


def _broken(path: Path, err: BaseException, message: str) -> InputError:
    return _refused(path) if _entity_trick(err) else unreadable(path, message)


def _entity_trick(err: BaseException | None) -> bool:
    """Whether lxml refused a declared or undeclared entity somewhere in the error's chain (a
    stray '&' is plain damage: "xmlParseEntityRef: no name")."""
    while err is not None:
        message = str(err).lower() if isinstance(err, SyntaxError) else ""
        if "entity '" in message or "doctype" in message or "entity reference loop" in message:
            return True
        err = err.__cause__ or err.__context__
    return False


def _refused(path: Path) -> InputError:
    return unreadable(path, "de werkmap bevat verboden XML-constructies (entiteiten of externe verwijzingen); "
                            "die worden om veiligheidsredenen niet gelezen. Sla de werkmap opnieuw op vanuit Excel")


def _label(cell: RawCell) -> str:
    return parse_text(cell.value) or "" if cell.value is not None else ""


def _key(text: str) -> str:
    return normalise_label(text) if len(text) <= MAX_NAME else ""


def _note_placement(sheet: RawSheet, placed: _Placed, row: int, column: str, text: str) -> None:
    shown = _shown(text)
    if placed.fit is _Fit.UNKNOWN:
        sheet.unknown.append((row, column, shown))
    elif placed.fit is _Fit.DUPLICATE:
        sheet.duplicates.append((row, column, shown))
    elif placed.fit is _Fit.NEAR:
        sheet.near.append((row, column, shown, placed.close[0]))
    elif placed.fit is _Fit.SHADOWED:
        sheet.shadowed.append((row, column, shown, placed.close[0]))
    elif placed.fit is _Fit.AMBIGUOUS:
        sheet.ambiguous.append((row, column, shown, placed.close))


def _read_key_value(spec: contract.Sheet, title: str, rows: list[tuple[int, list[RawCell]]]) -> RawSheet:
    sheet = RawSheet(spec, title)
    labelled: list[tuple[int, str, RawCell]] = []
    for r, cells in sorted(rows, key=_ROW_NUMBER):
        label = _label(cells[0]) if cells else ""
        if not label:
            continue
        value_cell = cells[1] if len(cells) > 1 else RawCell(None, "B")
        if r == 1 and _key(label) == "veld" and _key(_label(value_cell)) == "waarde":
            continue
        labelled.append((r, label, value_cell))
    for (r, label, value_cell), placed in zip(labelled, _place([text for _, text, _ in labelled],
                                                                 _FIELD_NAMES[spec.key])):
        _note_placement(sheet, placed, r, "A", label)
        if placed.fit in _READ and placed.key is not None:
            sheet.columns[placed.key] = "B"
            sheet.records.append(RawRecord(r, {placed.key: value_cell}))
    return sheet


def _read_table(spec: contract.Sheet, title: str, rows: list[tuple[int, list[RawCell]]],
                merged: list[str]) -> RawSheet:
    sheet = RawSheet(spec, title)
    sheet.merged, sheet.unfilled = _fill_merged(rows, merged, first_data_row=2)
    rows.sort(key=_ROW_NUMBER)
    positions: dict[int, str] = {}  # column index -> field key
    header_read = False
    for r, cells in rows:
        if r == 1:
            if not header_read:
                header_read = True
                named = [(index, cell.column, _label(cell)) for index, cell in enumerate(cells)]
                named = [n for n in named if n[2]]
                for (index, column, text), placed in zip(named, _place([n[2] for n in named], _FIELD_NAMES[spec.key])):
                    _note_placement(sheet, placed, 1, column, text)
                    if placed.fit in _READ and placed.key is not None:
                        sheet.columns[placed.key] = column
                        positions[index] = placed.key
            continue
        if all(c.is_empty for c in cells):
            continue
        sheet.records.append(RawRecord(r, {key: cells[i] for i, key in positions.items() if i < len(cells)}))
    return sheet
