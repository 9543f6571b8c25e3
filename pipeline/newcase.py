"""`new-case`: an empty case workbook with every sheet and column of the contract.

Dropdowns for every choice column, date formats on date columns, frozen header rows and an
`Uitleg` sheet that explains each field in Dutch, all generated from `contract.SHEETS`.
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import contract
from .contract import Field, Kind, Shape
from .errors import UsageError
from .output import write_atomic

DATE_FORMAT = "DD-MM-YYYY"
PREPARED_ROWS = 200  # table rows that get dropdowns
_HEADER = Font(bold=True)
_FILL = PatternFill("solid", fgColor="DCE3EC")
_REQUIRED_FILL = PatternFill("solid", fgColor="F6E3B4")


def _validation(f: Field, lists: dict[str, str]) -> DataValidation | None:
    """A dropdown for a choice or yes/no field, fed from the hidden Keuzelijsten sheet."""
    if f.kind not in (Kind.CHOICE, Kind.YESNO):
        return None
    return DataValidation(type="list", formula1=lists[f.key], allow_blank=True, showErrorMessage=True,
                          error=f"Kies een waarde uit de lijst voor {f.label}.", errorTitle=f.label)


def _choice_lists(workbook: Workbook) -> dict[str, str]:
    """Write every choice list to the hidden sheet; field key -> range formula.

    A range, not an inline list, because a choice may hold a comma ('geen werk, WIA-aanvraag').
    """
    sheet = workbook.create_sheet(contract.CHOICE_LIST_SHEET)
    sheet.sheet_state = "hidden"
    formulas: dict[str, str] = {}
    column = 0
    for spec in contract.SHEETS:
        for f in spec.fields:
            if f.kind is Kind.CHOICE and f.choices:
                options = [c.value for c in f.choices]
            elif f.kind is Kind.YESNO:
                options = ["ja", "nee"]
            else:
                continue
            column += 1
            letter = get_column_letter(column)
            for row, option in enumerate(options, start=1):
                sheet.cell(row=row, column=column, value=option)
            formulas[f.key] = f"={contract.CHOICE_LIST_SHEET}!${letter}$1:${letter}${len(options)}"
    return formulas


def _key_value_sheet(sheet: Worksheet, spec: contract.Sheet, lists: dict[str, str]) -> None:
    sheet.append(["Veld", "Waarde"])
    for f in spec.fields:
        sheet.append([f.label, None])
        row = sheet.max_row
        if f.required:
            sheet.cell(row=row, column=1).fill = _REQUIRED_FILL
        if f.kind is Kind.DATE:
            sheet.cell(row=row, column=2).number_format = DATE_FORMAT
        validation = _validation(f, lists)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"B{row}")
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 60


def _table_sheet(sheet: Worksheet, spec: contract.Sheet, lists: dict[str, str]) -> None:
    sheet.append([f.label for f in spec.fields])
    for index, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 14 if f.kind in (Kind.DATE, Kind.YESNO, Kind.WHOLE) else 28
        if f.required:
            sheet.cell(row=1, column=index).fill = _REQUIRED_FILL
        if f.kind is Kind.DATE:
            # A column style, not formatted empty cells: Excel gives a date typed anywhere in the
            # column this format, and the workbook stays small and quick to read.
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        validation = _validation(f, lists)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{PREPARED_ROWS + 1}")


def _explanation(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(contract.EXPLANATION_SHEET, 0)
    sheet.append(["Zo vult u deze werkmap in"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["Eén werkmap per dossier. Vul de sheets hieronder in; oranje velden zijn verplicht. "
                  "Datums als dd-mm-jjjj, ja/nee als 'ja' of 'nee', bedragen met een komma (2450,50). "
                  "Zet de werkmap daarna in de map input/ en start 'make run'."])
    sheet.append([])
    sheet.append(["Sheet", "Veld of kolom", "Verplicht", "Soort waarde", "Uitleg"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _HEADER
        cell.fill = _FILL
    for spec in contract.SHEETS:
        sheet.append([spec.name, "", "ja" if spec.required else "nee", spec.shape.value, spec.help])
        sheet.cell(row=sheet.max_row, column=1).font = _HEADER
        for f in spec.fields:
            sheet.append(["", f.label, "ja" if f.required else "", f.type_text, f.help])
    for letter, width in zip("ABCDE", (18, 30, 10, 34, 90)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"


def empty_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets = [workbook.create_sheet(spec.name) for spec in contract.SHEETS]
    lists = _choice_lists(workbook)
    for sheet, spec in zip(sheets, contract.SHEETS):
        if spec.shape is Shape.KEY_VALUE:
            _key_value_sheet(sheet, spec, lists)
        else:
            _table_sheet(sheet, spec, lists)
        for cell in sheet[1]:
            cell.font = _HEADER
            if cell.fill != _REQUIRED_FILL:
                cell.fill = _FILL
        sheet.freeze_panes = "A2"
    _explanation(workbook)
    workbook.active = 1  # open on Dossier
    return workbook


def write_new_case(path: Path, overwrite: bool = False) -> Path:
    """Write an empty case workbook to `path` (which must end in .xlsx)."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"'{path.name}' eindigt niet op .xlsx; geef een bestandsnaam als dossier-123.xlsx.")
    if path.exists() and not overwrite:
        raise UsageError(f"'{path}' bestaat al; kies een andere naam of gebruik --overschrijven.")
    if not path.parent.is_dir():
        raise UsageError(f"De map '{path.parent}' bestaat niet.")
    buffer = io.BytesIO()
    empty_workbook().save(buffer)
    write_atomic(path, buffer.getvalue())
    return path
