"""A small Excel writer for the batch report: sheets of text, numbers and dates, each with a
bold shaded header row that stays in view, an autofilter, fixed column widths, and a page setup
that prints it: landscape, one page wide, the header row on every page, page numbers.

openpyxl's write-only mode spends about 8 µs on each cell; a batch of thousands of cases has
hundreds of thousands of report cells. This writes the SpreadsheetML such a sheet needs (the
tests read it back with openpyxl), straight into a deterministic zip: the same rows give the
same bytes.

Every text is an inline string, so a text that starts with '=' is text, never a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

from ..archive import Member, MemberWriter, member, write_members

# Cell styles (their index in styles.xml's cellXfs).
PLAIN, HEADER, WRAPPED, DATE = 0, 1, 2, 3
_EXCEL_EPOCH = date(1899, 12, 30)
MAX_CELL_TEXT = 32_767  # Excel refuses a longer text in one cell
# Characters XML 1.0 cannot hold; a message can quote them from a broken cell.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Row heights of wrapped text, estimated as newcase.fit_row_heights does: LibreOffice does not fit
# a row's height to its text when it opens the file, so a row of several lines without a height
# prints over the rows below it. Text averages a little narrower than the digits Excel measures
# widths in; erring towards one line too many leaves a little white, never hidden text.
_LINE_HEIGHT = 15  # points, one line of 11-point Calibri
_CHARS_PER_WIDTH = 1.2
_BOLD_CHARS_PER_WIDTH = 1.0  # the header row's bold text is wider
_MAX_ROW_HEIGHT = 409  # points: Excel's highest row

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def column_letter(number: int) -> str:
    """'A' for 1, 'Z' for 26, 'AA' for 27: as openpyxl's get_column_letter, without loading
    openpyxl (a batch that reuses every case writes its report without it)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def wrapped_lines(text: str, width: float, chars_per_width: float = _CHARS_PER_WIDTH) -> int:
    """How many lines `text` takes in a wrapping cell `width` wide (greedy, by word; a word
    longer than the line is broken, as Excel and LibreOffice do)."""
    room = max(int(width * chars_per_width), 1)
    if len(text) <= room and "\n" not in text:
        return 1  # most cells: no need to count
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                lines += 1
                used = 0
            used += len(word) + (1 if used else 0)
            while used > room:  # a name or path longer than the line breaks anywhere
                lines += 1
                used -= room
    return lines


class Sheet:
    """One sheet: its name, column widths, header and rows; `wrap` wraps the body's text (and
    gives each row of several lines its height). Rows are compressed as they are added (some
    hundred kilobytes at a time), so a report of a thousand cases holds its rows compressed
    rather than as megabytes of text."""

    _BATCH = 256 * 1024  # characters of rows per compression step

    def __init__(self, name: str, headers: list[str], widths: list[int], wrap: bool = False) -> None:
        self.name, self.wrap = name, wrap
        self._widths = widths
        self._letters = [column_letter(i) for i in range(1, len(headers) + 1)]
        self._rows = 0
        self._pending: list[str] = []
        self._pending_size = 0
        self._part = MemberWriter()
        columns = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                          for i, w in enumerate(widths, start=1))
        self._pending.append(
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>')
        self._add(headers, HEADER)

    def append(self, values: Iterable[object]) -> None:
        self._add(values, WRAPPED if self.wrap else PLAIN)

    def _add(self, values: Iterable[object], style: int) -> None:
        self._rows += 1
        number = self._rows
        values = list(values)
        cells = "".join(_cell(f"{letter}{number}", value, style) for letter, value in zip(self._letters, values))
        per_width = _BOLD_CHARS_PER_WIDTH if style == HEADER else _CHARS_PER_WIDTH
        lines = max((wrapped_lines(value, width, per_width) for value, width in zip(values, self._widths)
                     if isinstance(value, str) and value), default=1) if style != PLAIN else 1
        height = f' ht="{min(lines * _LINE_HEIGHT, _MAX_ROW_HEIGHT)}" customHeight="1"' if lines > 1 else ""
        self._pending.append(f'<row r="{number}"{height}>{cells}</row>')
        self._pending_size += len(cells)
        if self._pending_size >= self._BATCH:
            self._flush()

    def _flush(self) -> None:
        # "replace": a file name that is not valid UTF-8 (surrogates) still gets its row.
        self._part.write("".join(self._pending).encode("utf-8", "replace"))
        self._pending.clear()
        self._pending_size = 0

    @property
    def filter_range(self) -> str:
        return f"A1:{self._letters[-1]}{max(self._rows, 2)}"

    @property
    def print_titles(self) -> str:
        """The rows printed at the top of every page: the header row."""
        return "$1:$1"

    def member(self, name: str, title: str = "") -> Member:
        """The finished sheet as zip entry `name` (no rows can be added after this); `title`
        heads every printed page, beside the sheet's name, and each page is numbered below."""
        header = escape(f"&L{_header_text(title)}&R&A") if title else escape("&R&A")
        self._pending.append(
            f'</sheetData><autoFilter ref="{self.filter_range}"/><printOptions gridLines="1"/>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            f'<headerFooter><oddHeader>{header}</oddHeader>'
            f'<oddFooter>{escape("&CPagina &P van &N")}</oddFooter></headerFooter></worksheet>')
        self._flush()
        return self._part.close(name)


def _header_text(text: str) -> str:
    """Text as a header shows it: '&' starts a code there (&P is the page number), '&&' is '&'."""
    return text.replace("&", "&&")


def _cell(ref: str, value: object, style: int) -> str:
    if value is None or value == "":
        return ""  # an empty cell, as Excel keeps an emptied one
    if isinstance(value, (datetime, date)):
        day = value.date() if isinstance(value, datetime) else value
        return f'<c r="{ref}" s="{DATE}"><v>{(day - _EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    text = _NOT_XML.sub("", str(value))
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT - 1] + "…"
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def workbook(sheets: list[Sheet], title: str, author: str, day: date) -> bytes:
    """The .xlsx file of `sheets`, with fixed properties (`day` as created and modified)."""
    stamp = f"{day.isoformat()}T00:00:00Z"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1))
    content_types = (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f'{overrides}'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    package_rels = (
        f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{_DOC_REL}/officeDocument" Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>')
    core = (
        f'{_XML_HEAD}<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_XML_HEAD}<Properties '
           'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           f'<Application>{escape(author)}</Application></Properties>')
    entries = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{i}" r:id="rId{i}"/>'
                      for i, s in enumerate(sheets, start=1))
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(s.name))}!{_absolute(s.filter_range)}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{escape(_quoted(s.name))}!{s.print_titles}'
        "</definedName>"
        for i, s in enumerate(sheets))
    book = (f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_REL}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{entries}</sheets><definedNames>{filters}</definedNames>'
            '<calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>')
    book_rels = (f'{_XML_HEAD}<Relationships xmlns="{_PKG_REL}">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{_DOC_REL}/worksheet" '
                           f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
                 + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_DOC_REL}/styles" Target="styles.xml"/>'
                 '</Relationships>')
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", package_rels),
             ("docProps/core.xml", core), ("docProps/app.xml", app),
             ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", book_rels), ("xl/styles.xml", _STYLES)]
    members = [member(name, text.encode("utf-8")) for name, text in parts]
    members += [s.member(f"xl/worksheets/sheet{i}.xml", title) for i, s in enumerate(sheets, start=1)]
    return write_members(members)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(cells: str) -> str:
    """A1:J16 as $A$1:$J$16."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", part) for part in cells.split(":"))


# Default font, bold; no fill, grey125 (required), the header's shade; styles PLAIN, HEADER,
# WRAPPED and DATE in that order.
_STYLES = (
    f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDCE3EC"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/><tableStyles count="0"/></styleSheet>')
