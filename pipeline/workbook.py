"""Read stage: one case workbook from disk into raw sheets, records and cells.

Reading applies no policy beyond recognising the file: it finds the contract's sheets and
columns by their forgiving names and keeps every cell with its row and column, plus what it
could not place (unknown sheets, labels and headers). `validate` decides what is wrong.

The XML is read with lxml directly (every workbook of a batch passes here, and openpyxl's own
reader costs several times as much); what a value means follows openpyxl: its number formats
decide which cells are dates, its date conversion and number casting give the values, and
shared strings are read as it reads them. tests/test_hostile.py compares every cell with
openpyxl's reading: the shipped examples, rich text, a custom date format, 1904 dates.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator, NamedTuple

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number

from .intake import contract
from .errors import Finding, InputError, Severity
from .values import normalise_label, parse_text

# Bounds that keep a hostile or broken workbook from taking minutes or gigabytes.
MAX_DATA_ROWS = 10_000
MAX_COLUMNS = 60
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


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


@dataclass
class RawWorkbook:
    path: Path
    epoch: datetime
    sheets: dict[str, RawSheet] = field(default_factory=dict)  # sheet key -> sheet
    unknown_sheets: list[str] = field(default_factory=list)
    duplicate_sheets: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)

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
        raise unreadable(path, f"het bestand kan niet worden gelezen ({err.strerror})") from err
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
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as err:
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
    overflow_row: int | None = None  # first row with data beyond MAX_DATA_ROWS
    wide: bool = False  # data beyond MAX_COLUMNS


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _MERGE = _NS + "row", _NS + "c", _NS + "mergeCell"
_VALUE, _FORMULA, _INLINE, _TEXT = _NS + "v", _NS + "f", _NS + "is", _NS + "t"
_COLUMN = re.compile(r"[A-Z]{1,3}")
_LETTERS = [get_column_letter(i) for i in range(1, MAX_COLUMNS + 1)]


@dataclass(frozen=True)
class _Book:
    """What the sheets need from the workbook: strings, date styles and the date system."""

    strings: list[str]
    date_styles: frozenset[int]
    timedelta_styles: frozenset[int]
    epoch: datetime


def _cell_value(cell, book: _Book) -> tuple[object, bool]:  # type: ignore[no-untyped-def]
    """(value, formula without cached value) of one <c> element, as openpyxl's parse_cell reads
    it with data_only=True: cached values of formulas, dates by their number format. The cell's
    children are visited once (this runs for every cell of every workbook)."""
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
            return inline[0].text or "", False
        return "".join(t.text or "" for t in inline.iter(_TEXT)), False
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
        return book.strings[int(raw)], False
    if kind == "b":
        return bool(int(raw)), False
    if kind == "d":
        return from_ISO8601(raw), False
    return raw, False  # "str" (a formula's text result) and "e" (an error value such as #N/A)


_DIGITS = "0123456789"
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
            result.merged.append(element.get("ref", ""))
            continue
        counter = int(element.get("r") or counter + 1)
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
            while len(cells) < column - 1:  # the empty cells before it
                cells.append(RawCell(None, _LETTERS[len(cells)]))
            cells.append(RawCell(value, _LETTERS[column - 1], no_cache))
        if streamed:
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
        if counter > MAX_DATA_ROWS + 1:
            if content:
                result.overflow_row = counter
                return result
            continue
        result.rows.append((counter, cells))
    return result


_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SHEET_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHARED_STRING, _RUN, _NUMBER_FORMAT, _CELL_FORMATS = _NS + "si", _NS + "r", _NS + "numFmt", _NS + "cellXfs"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name), parser=_XML_PARSER)


def _open(path: Path, styles: bool = True) -> tuple[zipfile.ZipFile, _Book, list[tuple[str, str, str]]]:
    """The workbook itself: its sheets (name, state, part), shared strings, date styles and date
    system, read from workbook.xml and the parts it links to; the sheets are streamed by
    `_sheet_rows`. Without `styles`, dates read as numbers: enough to find a label."""
    archive = zipfile.ZipFile(path)
    try:
        workbook = _xml(archive, "xl/workbook.xml")
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
        strings = _shared_strings(archive, parts["sharedStrings"]) if "sharedStrings" in parts else []
        date_styles, timedelta_styles = _date_styles(archive, parts["styles"]) \
            if styles and "styles" in parts else (frozenset(), frozenset())
    except BaseException:
        archive.close()
        raise
    return archive, _Book(strings, date_styles, timedelta_styles,
                          CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900), sheets


def _part_name(target: str) -> str:
    """A relationship's target as a name in the zip (targets are relative to xl/, or absolute)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The shared string table, as openpyxl reads it: a string's plain text followed by the text
    of its formatted runs (phonetic hints left out), streamed."""
    strings = []
    with archive.open(name) as source:
        for _, item in etree.iterparse(source, events=("end",), tag=_SHARED_STRING, resolve_entities=False,
                                       no_network=True, load_dtd=False, huge_tree=False):
            text = (item.findtext(_TEXT) or "") + "".join(run.findtext(_TEXT) or "" for run in item.iterchildren(_RUN))
            strings.append(text.replace("x005F_", ""))
            item.clear(keep_tail=True)
            while item.getprevious() is not None:
                del item.getparent()[0]
    return strings


def _date_styles(archive: zipfile.ZipFile, name: str) -> tuple[frozenset[int], frozenset[int]]:
    """(cell styles showing a date, those showing a duration), by their number formats, as
    openpyxl's stylesheet decides them."""
    stylesheet = _xml(archive, name)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in stylesheet.iter(_NUMBER_FORMAT)}
    cell_formats = stylesheet.find(_CELL_FORMATS)
    dates, durations = set(), set()
    for index, xf in enumerate(cell_formats if cell_formats is not None else ()):
        number = int(xf.get("numFmtId", 0))
        code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return frozenset(dates), frozenset(durations)


def _fill_merged(rows: list[tuple[int, list[RawCell]]], ranges: list[str], first_data_row: int) -> list[str]:
    """Give every cell of a merged range in the data rows the value of its top-left cell, as the
    casemanager sees it in Excel; returns the ranges that were filled."""
    by_number = dict(rows)
    filled = []
    for ref in ranges:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if max_row < first_data_row or (min_row == max_row and min_col == max_col):
            continue
        top = by_number.get(min_row, [])
        if min_col > len(top) or top[min_col - 1].is_empty:
            continue
        value = top[min_col - 1]
        for number in range(max(min_row, first_data_row), min(max_row, MAX_DATA_ROWS + 1) + 1):
            if number not in by_number:
                by_number[number] = []
                rows.append((number, by_number[number]))
            cells = by_number[number]
            while len(cells) < max_col:
                cells.append(RawCell(None, get_column_letter(len(cells) + 1)))
            for column in range(min_col, max_col + 1):
                if cells[column - 1].is_empty:
                    cells[column - 1] = RawCell(value.value, get_column_letter(column), value.formula_without_value)
        filled.append(ref)
    rows.sort(key=lambda pair: pair[0])
    return filled


def read_workbook(path: Path) -> RawWorkbook:
    """Open `path` and return every contract sheet it holds; raise InputError if it can't."""
    check_container(path)
    try:
        archive, book, sheets = _open(path)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError,
            AttributeError, IndexError, EOFError, SyntaxError) as err:
        if _entity_trick(err):
            raise _refused(path) from err
        raise unreadable(path, "de werkmap kan niet worden geopend; sla haar opnieuw op als "
                               "Excel-werkmap (.xlsx)") from err
    try:
        raw = RawWorkbook(path=path, epoch=book.epoch)
        specs = {s.key: s for s in contract.SHEETS}
        helpers = {normalise_label(name) for name in contract.HELPER_SHEETS}
        for title, state, target in sheets:
            key = normalise_label(title)
            spec = specs.get(key)
            if key in helpers:
                continue
            if spec is None:
                raw.unknown_sheets.append(title)
                continue
            if key in raw.sheets:
                raw.duplicate_sheets.append(title)
                continue
            if state != "visible":
                raw.hidden_sheets.append(title)
            content = _sheet_rows(archive, target, book)
            if spec.shape is contract.Shape.KEY_VALUE:
                read = _read_key_value(spec, title, content.rows)
            else:
                read = _read_table(spec, title, content.rows, content.merged)
            read.overflow_row = content.overflow_row
            read.wide = content.wide
            raw.sheets[key] = read
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError, AttributeError,
            IndexError, SyntaxError) as err:
        if _entity_trick(err):
            raise _refused(path) from err
        raise unreadable(path, "de werkmap is beschadigd en kan niet worden gelezen; "
                               "sla haar opnieuw op vanuit Excel") from err
    finally:
        archive.close()
    return raw


def dossiernummer_of(path: Path) -> str | None:
    """The Dossiernummer as typed (trimmed), reading the Dossier sheet alone; None when the
    workbook or the label cannot be read (the full read then reports why). Lets a batch find
    clashing numbers before it reads every workbook whole."""
    try:
        check_container(path, prologs=False)
        archive, book, sheets = _open(path, styles=False)
    except (InputError, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError,
            AttributeError, IndexError, EOFError, SyntaxError):
        return None
    try:
        target = next((t for title, _, t in sheets if normalise_label(title) == contract.DOSSIER.key), None)
        if target is None:
            return None
        wanted = normalise_label("Dossiernummer")
        for _, cells in _sheet_rows(archive, target, book).rows:
            if cells and normalise_label(_label(cells[0])) == wanted:
                return parse_text(cells[1].value) if len(cells) > 1 and cells[1].value is not None else None
        return None
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError, AttributeError, IndexError,
            SyntaxError):
        return None
    finally:
        archive.close()


def _entity_trick(err: BaseException | None) -> bool:
    """Whether lxml refused entity declarations somewhere in the error's chain."""
    while err is not None:
        if isinstance(err, SyntaxError) and "entit" in str(err).lower():
            return True
        err = err.__cause__ or err.__context__
    return False


def _refused(path: Path) -> InputError:
    return unreadable(path, "de werkmap bevat verboden XML-constructies (entiteiten of externe verwijzingen); "
                            "die worden om veiligheidsredenen niet gelezen. Sla de werkmap opnieuw op vanuit Excel")


def _label(cell: RawCell) -> str:
    return parse_text(cell.value) or "" if cell.value is not None else ""


def _read_key_value(spec: contract.Sheet, title: str, rows: list[tuple[int, list[RawCell]]]) -> RawSheet:
    sheet = RawSheet(spec, title)
    seen: set[str] = set()
    for r, cells in rows:
        label_cell = cells[0] if cells else RawCell(None, "A")
        value_cell = cells[1] if len(cells) > 1 else RawCell(None, "B")
        label = _label(label_cell)
        if not label:
            continue
        key = normalise_label(label)
        if r == 1 and key == "veld" and normalise_label(_label(value_cell)) == "waarde":
            continue
        spec_field = spec.field_by_key(key)
        if spec_field is None:
            sheet.unknown.append((r, "A", label))
        elif key in seen:
            sheet.duplicates.append((r, "A", label))
        else:
            seen.add(key)
            sheet.columns[key] = "B"
            sheet.records.append(RawRecord(r, {key: value_cell}))
    return sheet


def _read_table(spec: contract.Sheet, title: str, rows: list[tuple[int, list[RawCell]]],
                merged: list[str]) -> RawSheet:
    sheet = RawSheet(spec, title)
    sheet.merged = _fill_merged(rows, merged, first_data_row=2)
    positions: dict[int, str] = {}  # column index -> field key
    for r, cells in rows:
        if r == 1:
            for index, cell in enumerate(cells):
                header = _label(cell)
                if not header:
                    continue
                key = normalise_label(header)
                if spec.field_by_key(key) is None:
                    sheet.unknown.append((1, cell.column, header))
                elif key in sheet.columns:
                    sheet.duplicates.append((1, cell.column, header))
                else:
                    sheet.columns[key] = cell.column
                    positions[index] = key
            continue
        if all(c.is_empty for c in cells):
            continue
        sheet.records.append(RawRecord(r, {key: cells[i] for i, key in positions.items() if i < len(cells)}))
    return sheet
