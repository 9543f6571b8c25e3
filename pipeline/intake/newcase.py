"""`new-case`: an empty case workbook with every sheet and column of the contract.

Every typed field gets an Excel validation made from its contract entry (a dropdown of its own
choices, a number range, a date) with a Dutch input hint and error message; header rows are
frozen and bold, and the `Uitleg` sheet explains each field. All generated from `contract.SHEETS`.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from ..batch.output import write_atomic
from ..batch.xlsx import wrapped_lines
from ..errors import UsageError
from . import contract
from . import values as v
from .contract import Field, Kind, Shape
from .reader import MAX_DATA_ROWS

DATE_FORMAT = "DD-MM-YYYY"
AMOUNT_FORMAT = "#,##0.00"  # a Dutch Excel shows 2.450,50
LAST_ROW = MAX_DATA_ROWS + 1  # validations reach every row the reader reads
YES_NO = ("ja", "nee")
EXAMPLE_DATE = "03-11-2025"
# Excel's limits on validation texts (MS-XLS DValStrings); longer texts make Excel repair the file.
TITLE_MAX, PROMPT_MAX, ERROR_MAX = 32, 255, 225
# Dates the reader accepts, as Excel day numbers.
FIRST_DATE = int(to_excel(date(v.EARLIEST_YEAR, 1, 1)))  # type: ignore[no-untyped-call]  # untyped in types-openpyxl
LAST_DATE = int(to_excel(date(v.LATEST_YEAR, 12, 31)))  # type: ignore[no-untyped-call]

_FONT = "Calibri"  # the workbook's own font: a bare bold font would fall back to a serif elsewhere
_HEADER = Font(name=_FONT, bold=True)
_HELP = Font(name=_FONT, italic=True, color="595959")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_LINE_HEIGHT = 15  # points, one line of 11-point text
_FILL = PatternFill("solid", fgColor="DCE3EC")
_REQUIRED_FILL = PatternFill("solid", fgColor="F6E3B4")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def choice_options(f: Field) -> tuple[str, ...]:
    """The values a choice or yes/no field's dropdown offers: exactly the contract's choices."""
    if f.kind is Kind.YESNO:
        return YES_NO
    if f.kind is Kind.CHOICE and f.choices:
        return tuple(c.value for c in f.choices)
    return ()


def _fit(text: str, limit: int) -> str:
    """`text` cut at a word to Excel's limit for a validation text."""
    if len(text) <= limit:
        return text
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _range_text(f: Field) -> str:
    """'van 100 tot en met 50.000 euro per maand': the contract's range as a casemanager reads it."""
    unit = "" if f.unit in (None, v.Unit.RANK) else f" {f.unit.value}"
    low, high = f.minimum, f.maximum
    if low is not None and high is not None:
        return f"van {v.dutch_number(low)} tot en met {v.dutch_number(high)}{unit}"
    if low is not None:
        return f"van minstens {v.dutch_number(low)}{unit}"
    if high is not None:
        return f"van hoogstens {v.dutch_number(high)}{unit}"
    return ""


def _excel_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


_Operator = Literal["between", "greaterThanOrEqual", "lessThanOrEqual"]


def _number_rule(f: Field) -> tuple[_Operator, str | None, str | None]:
    """Excel's operator and bounds for a number field's range."""
    low = None if f.minimum is None else _excel_number(f.minimum)
    high = None if f.maximum is None else _excel_number(f.maximum)
    if low is not None and high is not None:
        return "between", low, high
    if low is not None:
        return "greaterThanOrEqual", low, None
    if high is not None:
        return "lessThanOrEqual", high, None
    return "between", "-1E+15", "1E+15"  # any number: Excel has no number check without bounds


def _messages(f: Field) -> tuple[str, str, str]:
    """The input hint shown when the cell is selected, the error title and the error message."""
    options = choice_options(f)
    if f.kind is Kind.YESNO:
        return "Kies ja of nee.", "Kies ja of nee", f"{f.label}: kies ja of nee."
    if options:
        error = f"{f.label}: kies een van deze waarden: {', '.join(options)}."
        if len(error) > ERROR_MAX:  # the long lists (Bundel: Document, Afwijkingen: Regel)
            error = f"{f.label}: kies een waarde uit de lijst (pijltje naast de cel)."
        return "Kies uit de lijst (pijltje naast de cel).", "Kies uit de lijst", error
    if f.kind is Kind.DATE:
        return (f"Datum als dd-mm-jjjj, bijvoorbeeld {EXAMPLE_DATE}.", "Geen datum",
                f"{f.label}: vul een datum in als dd-mm-jjjj, bijvoorbeeld {EXAMPLE_DATE}.")
    if f.kind is Kind.WHOLE:
        return (f"Een heel getal {_range_text(f)}.", "Geen geldig getal",
                f"{f.label}: vul een heel getal in {_range_text(f)}.")
    if f.unit is v.Unit.EUROS_A_MONTH:
        return (f"Een bedrag {_range_text(f)}, bijvoorbeeld 2.450,50.", "Geen geldig bedrag",
                f"{f.label}: vul een bedrag in {_range_text(f)}, zonder €-teken, bijvoorbeeld 2.450,50.")
    return (f"Een getal {_range_text(f)}.", "Geen geldig getal", f"{f.label}: vul een getal in {_range_text(f)}.")


def _validation(f: Field, lists: dict[tuple[str, ...], str]) -> DataValidation | None:
    """The Excel validation of a typed field, or None for free text.

    Excel refuses ("stop") only what the pipeline refuses in any case: a value outside a choice
    list, a whole number out of range. The others only warn: the pipeline also reads 'j' or 'yes'
    for ja, and an Excel set to another language than Dutch does not recognise 03-11-2025 or
    2450,50 as a date or number, which the pipeline reads fine.
    """
    if f.kind is Kind.CHOICE:
        dv = DataValidation(type="list", formula1=lists[choice_options(f)], errorStyle="stop")
    elif f.kind is Kind.YESNO:
        dv = DataValidation(type="list", formula1=lists[YES_NO], errorStyle="warning")
    elif f.kind is Kind.WHOLE:
        operator, low, high = _number_rule(f)
        dv = DataValidation(type="whole", operator=operator, formula1=low, formula2=high, errorStyle="stop")
    elif f.kind is Kind.NUMBER:
        operator, low, high = _number_rule(f)
        dv = DataValidation(type="decimal", operator=operator, formula1=low, formula2=high, errorStyle="warning")
    elif f.kind is Kind.DATE:
        dv = DataValidation(type="date", operator="between", formula1=str(FIRST_DATE), formula2=str(LAST_DATE),
                            errorStyle="warning")
    else:
        return None
    hint, error_title, error = _messages(f)
    dv.allow_blank = True
    dv.showInputMessage = dv.showErrorMessage = True
    dv.promptTitle = _fit(f.label, TITLE_MAX)
    dv.prompt = _fit(f"{f.help} {hint}" if f.help else hint, PROMPT_MAX)
    dv.errorTitle = _fit(error_title, TITLE_MAX)
    dv.error = _fit(error, ERROR_MAX)
    return dv


def _choice_lists(workbook: Workbook) -> dict[tuple[str, ...], str]:
    """Write each distinct choice list to the hidden Keuzelijsten sheet; options -> range formula.

    A range, not an inline list, because a choice may hold a comma ('geen werk, WIA-aanvraag').
    One column per distinct list: `Status` of Afspraken, Interventies and Rapportages are three.
    """
    sheet = workbook.create_sheet(contract.CHOICE_LIST_SHEET)
    sheet.sheet_state = "hidden"
    formulas: dict[tuple[str, ...], str] = {}
    for spec in contract.SHEETS:
        for f in spec.fields:
            options = choice_options(f)
            if not options or options in formulas:
                continue
            column = len(formulas) + 1
            letter = get_column_letter(column)
            sheet.cell(row=1, column=column, value=f"{spec.name}: {f.label}").font = _HEADER
            for row, option in enumerate(options, start=2):
                # '1' and '2' (Spoor) as numbers: Excel matches a typed 1 only against a number.
                sheet.cell(row=row, column=column, value=int(option) if option.isdigit() else option)
            formulas[options] = f"{contract.CHOICE_LIST_SHEET}!${letter}$2:${letter}${len(options) + 1}"
            sheet.column_dimensions[letter].width = max(len(o) for o in (*options, f"{spec.name}: {f.label}")) + 2
    return formulas


def _explained(f: Field) -> str:
    """Column C of a key/value sheet: what kind of value, then what it means."""
    if f.kind in (Kind.TEXT, Kind.BSN, Kind.DOSSIERNUMMER):  # the help says it all
        return f.help
    return f"{f.type_text[:1].upper()}{f.type_text[1:]}. {f.help}"


def _key_value_sheet(sheet: Worksheet, spec: contract.Sheet, lists: dict[tuple[str, ...], str]) -> None:
    # Column C explains each field; the reader reads only columns A and B.
    sheet.append(["Veld", "Waarde", "Uitleg"])
    for f in spec.fields:
        sheet.append([f.label, None, _explained(f)])
        row = sheet.max_row
        label = sheet.cell(row=row, column=1)
        label.alignment = _TOP
        if f.required:
            label.fill = _REQUIRED_FILL
        value = sheet.cell(row=row, column=2)
        value.alignment = _WRAP
        if f.kind is Kind.DATE:
            value.number_format = DATE_FORMAT
        elif f.unit is v.Unit.EUROS_A_MONTH:
            value.number_format = AMOUNT_FORMAT
        explanation = sheet.cell(row=row, column=3)
        explanation.font = _HELP
        explanation.alignment = _WRAP
        validation = _validation(f, lists)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"B{row}")
    sheet.column_dimensions["A"].width = max(len(f.label) for f in spec.fields) + 3
    sheet.column_dimensions["B"].width = 45
    sheet.column_dimensions["C"].width = 95
    fit_row_heights(sheet, 2)


def _column_width(f: Field) -> float:
    """Wide enough for the header and for a typical value, or the longest choice."""
    typical = {Kind.DATE: 12, Kind.YESNO: 8, Kind.WHOLE: 8, Kind.NUMBER: 12, Kind.CHOICE: 10}.get(f.kind, 30)
    longest_choice = max((len(o) for o in choice_options(f)), default=0)
    return min(max(len(f.label), typical, longest_choice) + 3, 45)


def _table_sheet(sheet: Worksheet, spec: contract.Sheet, lists: dict[tuple[str, ...], str]) -> None:
    sheet.append([f.label for f in spec.fields])
    for index, f in enumerate(spec.fields, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _column_width(f)
        if f.required:
            sheet.cell(row=1, column=index).fill = _REQUIRED_FILL
        # Column styles, not formatted empty cells: Excel gives a value typed anywhere in the
        # column this format, and the workbook stays small and quick to read.
        if f.kind is Kind.DATE:
            sheet.column_dimensions[letter].number_format = DATE_FORMAT
        elif f.unit is v.Unit.EUROS_A_MONTH:
            sheet.column_dimensions[letter].number_format = AMOUNT_FORMAT
        validation = _validation(f, lists)
        if validation is not None:
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{LAST_ROW}")


def _explanation(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(contract.EXPLANATION_SHEET, 0)
    sheet.append(["Zo vult u deze werkmap in"])
    sheet["A1"].font = Font(name=_FONT, bold=True, size=13)
    for line in (
        "Eén werkmap per dossier. Vul de sheets hieronder in; oranje velden en kolommen zijn verplicht. "
        "Sheets die (nog) niet nodig zijn, laat u leeg.",
        "Datums als dd-mm-jjjj, ja/nee als 'ja' of 'nee', bedragen met een komma (2450,50 of 2.450,50). "
        "Een keuzekolom heeft een lijst (pijltje naast de cel); een geselecteerde cel zegt wat erin hoort.",
        "Zet de werkmap daarna in de map input/ en start de verwerking: dubbelklik op verwerk.cmd (Windows), "
        "of typ 'poortwachter run' of 'make run'.",
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append(["Sheet", "Veld of kolom", "Verplicht", "Soort waarde", "Uitleg"])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = _HEADER
        cell.fill = _FILL
    for spec in contract.SHEETS:
        sheet.append([spec.name, "", "ja" if spec.required else "nee", spec.shape.value, spec.help])
        for cell in sheet[sheet.max_row]:
            cell.fill = _SECTION_FILL
        sheet.cell(row=sheet.max_row, column=1).font = _HEADER
        for f in spec.fields:
            sheet.append(["", f.label, "ja" if f.required else "", f.type_text, f.help])
    for letter, width in zip("ABCDE", (18, 32, 11, 40, 90)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=header_row):
        for cell in row:
            cell.alignment = _WRAP
    fit_row_heights(sheet, header_row + 1)
    sheet.freeze_panes = f"A{header_row + 1}"
    _printable(sheet, f"{header_row}:{header_row}")


def fit_row_heights(sheet: Worksheet, first_row: int = 2) -> None:
    """Row heights for wrapped text, set by hand: LibreOffice does not fit them when it opens
    the file, and the text would print over the next row. Rows that fit on one line keep
    Excel's automatic height, so a long value typed there later still makes its row grow."""
    for row in sheet.iter_rows(min_row=first_row):
        lines = max((wrapped_lines(str(c.value), sheet.column_dimensions[c.column_letter].width)
                     for c in row if c.value is not None and c.alignment.wrap_text), default=1)
        number = row[0].row
        if lines > 1 and number is not None:
            sheet.row_dimensions[number].height = _LINE_HEIGHT * lines


def _printable(sheet: Worksheet, header_rows: str) -> None:
    """Printed landscape, one page wide, with the header row on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = header_rows


def empty_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the sheet a new workbook starts with
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
        _printable(sheet, "1:1")
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
