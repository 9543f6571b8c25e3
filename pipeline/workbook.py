"""Read stage: one case workbook from disk into raw sheets, records and cells (openpyxl).

Reading applies no policy beyond recognising the file: it finds the contract's sheets and
columns by their forgiving names and keeps every cell with its row and column, plus what it
could not place (unknown sheets, labels and headers). `validate` decides what is wrong.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from . import contract
from .errors import Finding, InputError, Severity
from .values import normalise_label, parse_text

# Bounds that keep a hostile or broken workbook from taking minutes or gigabytes.
MAX_DATA_ROWS = 10_000
MAX_COLUMNS = 60
MAX_ZIP_ENTRIES = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200

EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}


@dataclass(frozen=True)
class RawCell:
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
    overflow: bool = False  # data beyond MAX_DATA_ROWS


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


def check_container(path: Path) -> None:
    """Recognise the file by its bytes before openpyxl parses it; raise a plain Dutch error."""
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
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise unreadable(path, "de werkmap is beschadigd of onvolledig; sla haar opnieuw op vanuit Excel") from err
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


def _has_formulas(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                data = archive.read(name)
                if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                    return True
    return False


def _formula_cells(path: Path) -> set[tuple[str, int, int]]:
    """(sheet title, row, column) of every formula cell, to tell 'no cached value' from empty."""
    found: set[tuple[str, int, int]] = set()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for sheet in workbook.worksheets:
            for r, row in enumerate(sheet.iter_rows(max_row=MAX_DATA_ROWS + 1, max_col=MAX_COLUMNS,
                                                     values_only=True), start=1):
                for c, value in enumerate(row, start=1):
                    if (isinstance(value, str) and value.startswith("=")) or (
                        value is not None and not isinstance(value, (str, int, float, bool, datetime))
                        and type(value).__name__ in {"ArrayFormula", "DataTableFormula"}
                    ):
                        found.add((sheet.title, r, c))
    finally:
        workbook.close()
    return found


def read_workbook(path: Path) -> RawWorkbook:
    """Open `path` and return every contract sheet it holds; raise InputError if it can't."""
    check_container(path)
    try:
        formulas = _formula_cells(path) if _has_formulas(path) else set()
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError,
            AttributeError, IndexError) as err:
        raise unreadable(path, "de werkmap kan niet worden geopend; sla haar opnieuw op als "
                               "Excel-werkmap (.xlsx)") from err
    except Exception as err:  # defusedxml refuses entity tricks with its own exception types
        if type(err).__module__.startswith("defusedxml"):
            raise unreadable(path, "de werkmap bevat verboden XML-constructies (entiteiten); "
                                   "deze wordt om veiligheidsredenen niet gelezen") from err
        raise
    try:
        raw = RawWorkbook(path=path, epoch=workbook.epoch)
        specs = {s.key: s for s in contract.SHEETS}
        helpers = {normalise_label(name) for name in contract.HELPER_SHEETS}
        for sheet in workbook.worksheets:
            key = normalise_label(sheet.title)
            spec = specs.get(key)
            if key in helpers:
                continue
            if spec is None:
                raw.unknown_sheets.append(sheet.title)
                continue
            if key in raw.sheets:
                raw.duplicate_sheets.append(sheet.title)
                continue
            if sheet.sheet_state != "visible":
                raw.hidden_sheets.append(sheet.title)
            rows = _rows(sheet, formulas)
            if spec.shape is contract.Shape.KEY_VALUE:
                raw.sheets[key] = _read_key_value(spec, sheet.title, rows)
            else:
                raw.sheets[key] = _read_table(spec, sheet.title, rows)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError) as err:
        raise unreadable(path, "de werkmap is beschadigd en kan niet worden gelezen; "
                               "sla haar opnieuw op vanuit Excel") from err
    finally:
        workbook.close()
    return raw


def _rows(sheet, formulas: set[tuple[str, int, int]]):
    """Yield (row number, [RawCell...]) for up to MAX_DATA_ROWS + 1 rows, bounded in width."""
    for r, values in enumerate(sheet.iter_rows(max_row=MAX_DATA_ROWS + 2, max_col=MAX_COLUMNS,
                                               values_only=True), start=1):
        cells = [
            RawCell(value, get_column_letter(c), value is None and (sheet.title, r, c) in formulas)
            for c, value in enumerate(values, start=1)
        ]
        yield r, cells


def _label(cell: RawCell) -> str:
    return parse_text(cell.value) or "" if cell.value is not None else ""


def _read_key_value(spec: contract.Sheet, title: str, rows) -> RawSheet:
    sheet = RawSheet(spec, title)
    seen: set[str] = set()
    for r, cells in rows:
        if r > MAX_DATA_ROWS + 1:
            sheet.overflow = sheet.overflow or any(not c.is_empty for c in cells)
            break
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


def _read_table(spec: contract.Sheet, title: str, rows) -> RawSheet:
    sheet = RawSheet(spec, title)
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
        if r > MAX_DATA_ROWS + 1:
            sheet.overflow = True
            break
        sheet.records.append(RawRecord(r, {key: cells[i] for i, key in positions.items() if i < len(cells)}))
    return sheet
