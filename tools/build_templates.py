"""Build the shipped Word templates in templates/ from code (python-docx).

This is a developer tool: administrators edit the .docx files in Word afterwards, and those
edits are what the pipeline uses. Run `make templates` only to start over from the shipped
design. Jinja tags are written as whole runs so Word does not split them.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
TABLE_TEXT = "Tabeltekst"
CELL_MARGIN = 108  # twips: the left and right cell margin of the Table Grid style (0.19 cm)
FOOTER_SIZE = 8.5  # points: header and footer text, page numbers included


def new_document(title: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), "Calibri")
    fonts.set(qn("w:cs"), "Calibri")
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 11.5)):
        style = styles[name]
        style.font.name = "Calibri"
        style.font.size = Pt(size)
        style.font.color.rgb = ACCENT
        style.font.bold = True
    styles["Heading 1"].paragraph_format.space_before = Pt(14)
    styles["Title"].paragraph_format.keep_with_next = True
    for name in ("Header", "Footer"):  # the page number fields take the size of the text around them
        styles[name].font.size = Pt(FOOTER_SIZE)
    # Table text: a size smaller than body text, no space after. A style rather than formatting on
    # each run keeps a table row short: a 200-row overview renders twice as fast from lean rows.
    table_text = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(9.5)
    table_text.paragraph_format.space_after = Pt(0)
    doc.core_properties.title = title
    doc.core_properties.language = "nl-NL"
    _language(doc)
    _word_2010_styles(doc)
    _pagination(doc)
    _settings(doc)
    return doc


def _language(doc: Document) -> None:
    """Dutch for the whole document, in the defaults and in the Normal style every paragraph style
    is based on: Word checks the spelling in Dutch, and Word and LibreOffice hyphenate by the
    Dutch patterns ("klantcontact-medewerker", never "Klantcontactmedew-erker")."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for rpr in (defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), doc.styles["Normal"].element.get_or_add_rPr()):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)  # last in w:rPr, where the schema has it
        lang.set(qn("w:val"), "nl-NL")
        lang.set(qn("w:eastAsia"), "nl-NL")
        lang.set(qn("w:bidi"), "ar-SA")


def _pagination(doc: Document) -> None:
    """No paragraph leaves a single line at the foot or the head of a page (widow control, which
    Word and LibreOffice only apply when the document asks for it)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    if ppr.find(qn("w:widowControl")) is None:
        ppr.insert(0, OxmlElement("w:widowControl"))  # before the spacing, the only thing it holds


# Elements of w:settings that come after w:autoHyphenation in the schema's order.
_AFTER_HYPHENATION = ("consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
                      "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
                      "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
                      "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
                      "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
                      "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
                      "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
                      "characterSpacingControl")


def _word_2010_styles(doc: Document) -> None:
    """Word 2010's copy of the styles (stylesWithEffects.xml) says Dutch too, not English."""
    for part in doc.part.package.iter_parts():
        if part.partname == "/word/stylesWithEffects.xml":
            root = parse_xml(part.blob)
            for lang in root.iter(qn("w:lang")):
                lang.set(qn("w:val"), "nl-NL")
                if lang.get(qn("w:eastAsia")) is not None:
                    lang.set(qn("w:eastAsia"), "nl-NL")
            part._blob = serialize_part_xml(root)


def _settings(doc: Document) -> None:
    """Automatic hyphenation (Word and LibreOffice break a long Dutch word at a syllable, with a
    hyphen, instead of cutting it where the column ends), and Dutch as the theme's language."""
    settings = doc.settings.element
    if settings.find(qn("w:autoHyphenation")) is None:
        hyphenation = OxmlElement("w:autoHyphenation")
        later = next((child for child in settings if child.tag in {qn(f"w:{n}") for n in _AFTER_HYPHENATION}), None)
        if later is not None:
            later.addprevious(hyphenation)
        else:
            settings.append(hyphenation)
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), "nl-NL")


def field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(round(FOOTER_SIZE * 2)))  # half-points, as the text around it
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def header_footer(doc: Document, document_title: str, bsn: bool = True) -> None:
    """Title, employee and BSN (UWV wants it on every document) above; page x of y below. An
    internal document leaves the BSN out."""
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = ""
    run = header.add_run(f"{document_title} · {{{{ werknemer }}}}"
                         + ("{% if bsn %} · BSN {{ bsn }}{% endif %}" if bsn else ""))
    run.font.size = Pt(FOOTER_SIZE)
    run.font.color.rgb = ACCENT
    second = section.header.add_paragraph()
    run = second.add_run("{{ werkgever }} · dossier {{ dossiernummer }}")
    run.font.size = Pt(FOOTER_SIZE)
    run.font.color.rgb = ACCENT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{document_title} · dossier {{{{ dossiernummer }}}} · pagina ").font.size = Pt(FOOTER_SIZE)
    field(footer, "PAGE")
    footer.add_run(" van ").font.size = Pt(FOOTER_SIZE)
    field(footer, "NUMPAGES")


def keep_together(row) -> None:
    """A row is never split over two pages (a signature row, an application, a fact)."""
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))  # before a tblHeader, in the schema's order


def is_tag(paragraph) -> bool:
    """A paragraph docxtpl removes as a whole ({%p if %}, {%p for %}, {%tr ... %})."""
    return paragraph.text.strip().startswith(("{%p ", "{%tr "))


def keep_with_next(doc: Document) -> None:
    """The paragraph that will come right before what follows (a table, a chart) stays on its
    page: the last paragraph so far, not a {%p %} tag that docxtpl removes, and where the last
    paragraphs are a {%p if %} (or for) block, the last one of each branch, and the one before
    the block (for when it shows nothing)."""
    depth, wanted = 0, True
    for paragraph in reversed(doc.paragraphs):
        if is_tag(paragraph):
            word = paragraph.text.split()[1]
            depth += {"endif": 1, "endfor": 1, "if": -1, "for": -1}.get(word, 0)
            wanted = True  # the paragraph before any tag can be the one shown last
            continue
        if wanted:
            paragraph.paragraph_format.keep_with_next = True
            wanted = False
        if depth <= 0:
            break


def repeat_header(row) -> None:
    """Mark a table row as header row: Word repeats it at the top of every page."""
    trpr = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    trpr.append(marker)


def shade(cell, fill: str = "DCE3EC") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def compact(table) -> None:
    """Every cell paragraph in the table-text style (a size smaller, no space after)."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = TABLE_TEXT


def text_width(doc: Document) -> float:
    """The width between the margins of the document's (only) section, in cm."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def set_widths(doc: Document, table, widths_cm: list[float], repeated_row: int | None = None) -> None:
    """Fixed column widths, in the grid (what Word and LibreOffice lay out by) and in each cell
    but those of the repeated row, which the fixed layout gives the grid's widths. The table
    starts on the left text margin (its border, not its text: see `on_the_margin`) and is never
    wider than the text."""
    assert sum(widths_cm) <= text_width(doc) + 0.005, f"{widths_cm} is wider than the text ({text_width(doc):.2f} cm)"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for index, row in enumerate(table.rows):
        for cell, width in zip(row.cells, widths_cm):
            if index != repeated_row:
                cell.width = Cm(width)
            elif cell._tc.tcPr is not None and "cellbg" not in cell.text:  # docxtpl's cellbg fills a tcPr
                cell._tc.remove(cell._tc.tcPr)
    on_the_margin(table, widths_cm)
    for row in table.rows:
        keep_together(row)


def on_the_margin(table, widths_cm: list[float]) -> None:
    """The table's width, and its left border on the text margin. Word lays out these documents
    as Word 2010 does (compatibilityMode 14), and so does LibreOffice: there a table's indent
    is measured to the text in its first cell, so a table without one sticks out to the left by
    the cell's left margin. An indent of that margin puts the border on the text margin."""
    tblpr = table._tbl.tblPr
    width = tblpr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(Cm(w).twips for w in widths_cm)))
    indent = tblpr.find(qn("w:tblInd"))
    if indent is None:
        indent = OxmlElement("w:tblInd")
        later = next((tblpr.find(qn(f"w:{n}")) for n in ("tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook")
                      if tblpr.find(qn(f"w:{n}")) is not None), None)
        later.addprevious(indent) if later is not None else tblpr.append(indent)
    indent.set(qn("w:w"), str(CELL_MARGIN))
    indent.set(qn("w:type"), "dxa")


def keep_rows_together(table, rows) -> None:
    """The rows (each cell's paragraphs) stay on the page of the row after them: a block that
    is read as one, such as the signatures, is never split over two pages."""
    for row in rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def loop_table(doc: Document, headers: list[str], loop: str, cells: list[str], widths: list[float],
               whole: bool = False):
    """A table with a header row and one row per item: docxtpl's {%tr for %} ... {%tr endfor %}.
    The paragraph before it stays with it; `whole` keeps the whole table on one page."""
    keep_with_next(doc)
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        shade(cell)
    repeat_header(table.rows[0])
    table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
    for cell, text in zip(table.rows[2].cells, cells):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    set_widths(doc, table, widths, repeated_row=2)
    compact(table)
    # The header row always stays with the first row under it; a whole table with every row.
    keep_rows_together(table, table.rows[:3] if whole else table.rows[:1])
    doc.add_paragraph()
    return table


def facts_table(doc: Document, rows: list[tuple[str, str]], widths: tuple[float, float] = (5.0, 11.6)):
    keep_with_next(doc)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, rows):
        row.cells[0].text = ""
        row.cells[0].paragraphs[0].add_run(label).bold = True
        shade(row.cells[0], "EEF2F6")
        row.cells[1].text = value
    set_widths(doc, table, list(widths))
    compact(table)
    doc.add_paragraph()
    return table


def signature_rows(doc: Document, intro: str) -> None:
    """One signature row per signer: name, function (role and organisation), date, signature.
    The heading, the line above the table and the whole table stay together on one page."""
    doc.add_paragraph(intro)
    loop_table(doc, ["Naam", "Functie", "Datum", "Handtekening"], "o in ondertekening",
               ["{{ o.naam }}", "{{ o.functie }}", "{{ o.datum }}", "\n\n"], [3.8, 5.6, 3.2, 4.0], whole=True)


# Elements of w:pPr that come after w:suppressAutoHyphens in the schema's order.
_AFTER_SUPPRESS_HYPHENS = ("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                           "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
                           "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                           "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
                           "w:sectPr", "w:pPrChange")


def addresses_whole(doc: Document) -> None:
    """A paragraph that shows contact details (an e-mail address) is not hyphenated: a hyphen
    added inside 'j.visser@...' reads as part of the address. The address moves to the next
    line whole instead (its columns are wide enough for it)."""
    cells = [p for table in doc.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for paragraph in doc.paragraphs + cells:
        if ".contact }}" in paragraph.text:  # p.contact, casemanager.contact, coach.contact
            ppr = paragraph._p.get_or_add_pPr()
            if ppr.find(qn("w:suppressAutoHyphens")) is None:
                ppr.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *_AFTER_SUPPRESS_HYPHENS)


def views(doc: Document, level: int = 2) -> None:
    doc.add_heading("Visie werkgever", level=level)
    doc.add_paragraph("{{ visie_werkgever }}")
    doc.add_heading("Visie werknemer", level=level)
    doc.add_paragraph("{{ visie_werknemer }}")


def when(doc: Document, condition: str, *paragraphs: str, otherwise: str | None = None) -> None:
    """Paragraphs shown only `{%p if condition %}`; with `otherwise`, one line in their place."""
    doc.add_paragraph(f"{{%p if {condition} %}}")
    for text in paragraphs:
        doc.add_paragraph(text)
    if otherwise is not None:
        doc.add_paragraph("{%p else %}")
        doc.add_paragraph(otherwise)
    doc.add_paragraph("{%p endif %}")


def optional(label: str, value: str, condition: str) -> list[tuple[str, str]]:
    """A facts-table row shown only when `condition` holds (an empty optional field is left out,
    never "niet bekend"): docxtpl drops the rows that hold the {%tr %} tags."""
    return [(f"{{%tr if {condition} %}}", ""), (label, value), ("{%tr endif %}", "")]


def employee_facts() -> list[tuple[str, str]]:
    """The opening rows of the facts table of the plan van aanpak and the eerstejaarsevaluatie:
    who, in which job, at which employer, sick since when."""
    return [
        ("Werknemer", "{{ werknemer }}"),
        *optional("Geboortedatum", "{{ geboortedatum }}", "geboortedatum"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Functie", "{{ functie }}"),
        *optional("Contracturen", "{{ contracturen }}", "contracturen"),
        ("Werkgever", "{{ werkgever }}"),
        ("Dossiernummer", "{{ dossiernummer }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
    ]


def plan_van_aanpak() -> Document:
    doc = new_document("Plan van aanpak")
    header_footer(doc, "Plan van aanpak")
    doc.add_paragraph("Plan van aanpak", style="Title")
    doc.add_paragraph("Re-integratie van {{ werknemer }} bij {{ werkgever }}, volgens de Wet verbetering "
                      "poortwachter (Regeling procesgang eerste en tweede ziektejaar, artikel 4). Dit plan legt vast "
                      "wat werkgever en werknemer op {{ datum_plan }} hebben afgesproken.")

    doc.add_heading("1. Gegevens", level=1)
    facts_table(doc, [
        *employee_facts(),
        ("Probleemanalyse", "{{ probleemanalyse }}"),
        ("Plan van aanpak", "{{ datum_plan }} ({{ week_plan }})"),
    ])

    doc.add_heading("2. Betrokkenen en rollen", level=1)
    loop_table(doc, ["Rol", "Naam", "Organisatie", "Contact"], "p in betrokkenen",
               ["{{ p.rol }}", "{{ p.naam }}", "{{ p.organisatie }}", "{{ p.contact }}"], [3.0, 3.3, 3.7, 6.6])

    doc.add_heading("3. Doel van de re-integratie", level=1)
    doc.add_paragraph("{{ doel }}")
    doc.add_heading("Spoor", level=2)
    doc.add_paragraph("{{ spoor }}")

    doc.add_heading("4. Visie van werkgever en werknemer", level=1)
    views(doc)

    doc.add_heading("5. Afspraken", level=1)
    doc.add_paragraph("Wat er is afgesproken, wie het doet en wanneer het klaar moet zijn.")
    loop_table(doc, ["Afspraak", "Wie", "Uiterlijk"], "a in afspraken",
               ["{{ a.wat }}", "{{ a.wie }}", "{{ a.uiterlijk }}"], [9.4, 3.8, 3.4])

    doc.add_heading("6. Contact en evaluatie", level=1)
    when(doc, "contact", "{{ contact }}")
    doc.add_paragraph("{{ evaluatie_frequentie }}")
    loop_table(doc, ["Evaluatiemoment", "Week", "Soort"], "e in evaluaties",
               ["{{ e.datum }}", "{{ e.week }}", "{{ e.soort }}"], [7.6, 3.4, 5.6])

    doc.add_heading("7. Casemanager", level=1)
    doc.add_paragraph("De casemanager coördineert de re-integratie en houdt het dossier bij: "
                      "{{ casemanager.naam }}{% if casemanager.organisatie %}, {{ casemanager.organisatie }}{% endif %}"
                      "{% if casemanager.contact %}, bereikbaar via {{ casemanager.contact }}{% endif %}.")

    doc.add_heading("8. Ondertekening", level=1)
    signature_rows(doc, "Werkgever en werknemer hebben dit plan van aanpak samen met de casemanager opgesteld en "
                        "gaan akkoord met de afspraken. Werkgever, werknemer en bedrijfsarts krijgen een afschrift.")
    return doc


def bijstelling() -> Document:
    doc = new_document("Bijstelling plan van aanpak")
    header_footer(doc, "Bijstelling plan van aanpak")
    doc.add_paragraph("Bijstelling plan van aanpak", style="Title")
    doc.add_paragraph("Bijstelling {{ nummer }} van het plan van aanpak van {{ datum_plan }} voor {{ werknemer }} bij "
                      "{{ werkgever }} (Regeling procesgang eerste en tweede ziektejaar, artikel 4). Wat hier niet "
                      "verandert, blijft zoals het plan van aanpak en eerdere bijstellingen het vastleggen.")

    doc.add_heading("1. Gegevens", level=1)
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Functie", "{{ functie }}"),
        ("Werkgever", "{{ werkgever }}"),
        ("Dossiernummer", "{{ dossiernummer }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Datum bijstelling", "{{ datum }} ({{ week }})"),
    ])

    doc.add_heading("2. Wat er verandert", level=1)
    doc.add_paragraph("{{ wijziging }}")
    when(doc, "reden", "Reden: {{ reden }}")
    when(doc, "aanleiding", "Aanleiding: {{ aanleiding }}")

    doc.add_heading("3. Spoor en doel vanaf deze bijstelling", level=1)
    doc.add_paragraph("{% if spoor_gewijzigd %}Het spoor verandert.{% else %}Het spoor blijft hetzelfde.{% endif %} "
                      "{{ spoor }}")
    doc.add_paragraph("{% if doel_gewijzigd %}Nieuw re-integratiedoel{% else %}Het re-integratiedoel blijft"
                      "{% endif %}: {{ doel }}")

    doc.add_heading("4. Afspraken bij deze bijstelling", level=1)
    doc.add_paragraph("{%p if afspraken %}")
    loop_table(doc, ["Afspraak", "Wie", "Uiterlijk"], "a in afspraken",
               ["{{ a.wat }}", "{{ a.wie }}", "{{ a.uiterlijk }}"], [9.4, 3.8, 3.4])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Bij deze bijstelling zijn geen nieuwe afspraken gemaakt; de lopende afspraken blijven staan.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("5. Visie van werkgever en werknemer", level=1)
    views(doc)

    doc.add_heading("6. Ondertekening", level=1)
    signature_rows(doc, "Werkgever en werknemer hebben deze bijstelling samen besproken en gaan ermee akkoord. De "
                        "casemanager, {{ casemanager.naam }}, heeft deze bijstelling opgesteld.")
    return doc


def eerstejaarsevaluatie() -> Document:
    doc = new_document("Eerstejaarsevaluatie")
    header_footer(doc, "Eerstejaarsevaluatie")
    doc.add_paragraph("Eerstejaarsevaluatie", style="Title")
    doc.add_paragraph("Evaluatie van het eerste ziektejaar van {{ werknemer }} bij {{ werkgever }}, volgens de Wet "
                      "verbetering poortwachter: hoe het eerste jaar verliep, waar de re-integratie staat en hoe die "
                      "verder gaat. Onderdeel van het re-integratieverslag voor UWV.")

    doc.add_heading("1. Gegevens", level=1)
    facts_table(doc, [
        *employee_facts(),
        ("Plan van aanpak", "{{ datum_plan }}"),
        ("Datum eerstejaarsevaluatie", "{{ datum }} ({{ week }})"),
    ])

    doc.add_heading("2. Het eerste ziektejaar", level=1)
    loop_table(doc, ["Datum", "Week", "Wat er gebeurde"], "g in verloop",
               ["{{ g.datum }}", "{{ g.week }}", "{{ g.gebeurtenis }}"], [3.6, 2.0, 11.0])

    doc.add_heading("3. Evaluaties", level=1)
    doc.add_paragraph("{%p if evaluaties %}")
    loop_table(doc, ["Datum", "Week", "Soort", "Verslag"], "e in evaluaties",
               ["{{ e.datum }}", "{{ e.week }}", "{{ e.soort }}", "{{ e.verslag }}"], [3.4, 1.8, 2.6, 8.8])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Vóór deze eerstejaarsevaluatie zijn geen andere evaluaties vastgelegd.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("4. Waar de re-integratie staat", level=1)
    when(doc, "stand", "{{ stand }}")
    when(doc, "werk", "{{ werk }}")
    doc.add_paragraph("{{ spoor }}")
    doc.add_paragraph("Re-integratiedoel: {{ doel }}")

    doc.add_heading("5. Het tweede spoor", level=1)
    doc.add_paragraph("{{ tweede_spoor }}")
    doc.add_paragraph("{%p if uitsteltoets %}")
    doc.add_heading("Toets na 3 maanden", level=2)
    doc.add_paragraph("{{ uitsteltoets }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("6. Visie van werkgever en werknemer", level=1)
    views(doc)

    doc.add_heading("7. De afspraken op {{ datum }}", level=1)
    loop_table(doc, ["Afspraak", "Wie", "Afgesproken op", "Uiterlijk", "Stand"], "a in afspraken",
               ["{{ a.wat }}", "{{ a.wie }}", "{{ a.afgesproken }}", "{{ a.uiterlijk }}", "{{ a.stand }}"],
               [5.4, 2.6, 3.2, 3.2, 2.2])

    doc.add_heading("8. Ondertekening", level=1)
    signature_rows(doc, "Werkgever en werknemer hebben het eerste ziektejaar samen geëvalueerd. De casemanager, "
                        "{{ casemanager.naam }}, heeft dit verslag opgesteld.")
    return doc


def trajectplan() -> Document:
    doc = new_document("Trajectplan")
    header_footer(doc, "Trajectplan")
    doc.add_paragraph("Trajectplan tweede spoor", style="Title")
    doc.add_paragraph("Dit trajectplan beschrijft het tweede spoor van {{ werknemer }}, {{ functie }} bij "
                      "{{ werkgever }}: een samenhangende reeks activiteiten die de afstand overbrugt tussen het "
                      "persoonsprofiel (de startpositie) en het zoekprofiel (het doel). Opgesteld op {{ datum }}"
                      "{% if opgesteld_door %} door {{ opgesteld_door }}{% endif %}.")

    doc.add_heading("1. Het traject", level=1)
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Werkgever", "{{ werkgever }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Datum trajectplan", "{{ datum }}"),
        *optional("Opgesteld door", "{{ opgesteld_door }}", "opgesteld_door"),
        ("Start tweede spoor", "{{ start_tweede_spoor }}"),
        *optional("Einde tweede spoor", "{{ einde_tweede_spoor }}", "einde_tweede_spoor"),
        *optional("Duur", "{{ duur }}", "duur"),
        *optional("Re-integratiecoach", "{{ coach.naam }}{% if coach.contact %} ({{ coach.contact }}){% endif %}",
                  "coach.naam"),
        *optional("Re-integratiebedrijf", "{{ coach.organisatie }}", "coach.organisatie"),
    ])
    doc.add_paragraph("Doel: {{ doel }}")

    doc.add_heading("2. Persoonsprofiel (startpositie)", level=1)
    doc.add_paragraph("{%p for deel in persoonsprofiel %}")
    doc.add_heading("{{ deel.onderdeel }}", level=2)
    doc.add_paragraph("{%p for regel in deel.regels %}")
    doc.add_paragraph("{{ regel }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("3. Zoekprofiel (einddoel)", level=1)
    doc.add_paragraph("De functies waarnaar de werknemer zoekt, hoogstens vijf, in volgorde van voorkeur. "
                      "{% if oud_maandloon %}Elke functie is getoetst aan de vuistregel voor passend werk: het loon "
                      "ligt hoogstens 30 % onder het oude maandloon van {{ oud_maandloon }}.{% else %}Het oude "
                      "maandloon staat niet in het dossier; daarom is de vuistregel voor passend werk (hoogstens 30 % "
                      "onder het oude maandloon) niet getoetst.{% endif %}")
    loop_table(doc, ["Rang", "Functie", "Sector", "Waarom passend", "Indicatie maandloon", "Passend werk (30 %)"],
               "z in zoekprofiel",
               ["{{ z.rang }}", "{{ z.functie }}", "{{ z.sector }}", "{{ z.waarom }}", "{{ z.loon }}",
                "{{ z.passend }}"], [1.1, 3.7, 2.5, 3.4, 2.3, 3.6])

    doc.add_heading("4. Activiteiten en interventies", level=1)
    doc.add_paragraph("De geplande activiteiten per fase; hoe ze verlopen staat in de voortgangsrapportages.")
    keep_with_next(doc)  # the lead-in stays with the first phase's heading and table
    doc.add_paragraph("{%p for fase in fases %}")
    doc.add_heading("Fase: {{ fase.titel }}", level=2)
    loop_table(doc, ["Activiteit", "Wie", "Periode"], "a in fase.activiteiten",
               ["{{ a.activiteit }}", "{{ a.uitvoerder }}", "{{ a.periode }}"], [8.0, 4.2, 4.4])
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("5. Rapportagemomenten", level=1)
    loop_table(doc, ["Datum", "Week", "Soort"], "r in rapportages",
               ["{{ r.datum }}", "{{ r.week }}", "{{ r.soort }}"], [5.0, 3.0, 8.6])

    doc.add_heading("6. Tijdlijn", level=1)
    doc.add_paragraph("Het traject in één oogopslag: de activiteiten per fase tegen de maanden, met de "
                      "rapportagemomenten (driehoekjes).")
    keep_with_next(doc)  # the heading and this line stay with the chart
    doc.add_paragraph("{{ tijdlijn }}")

    doc.add_heading("7. Ondertekening", level=1)
    signature_rows(doc, "Werkgever, werknemer en re-integratiecoach zijn het eens met dit trajectplan.")
    return doc


def voortgangsrapportage() -> Document:
    doc = new_document("Voortgangsrapportage")
    header_footer(doc, "{{ titel }}")
    doc.add_paragraph("{{ titel }}", style="Title")
    doc.add_paragraph("Rapportage van het re-integratiebedrijf over het tweede spoor van {{ werknemer }}, "
                      "{{ functie }} bij {{ werkgever }}, over de periode {{ periode }}.")

    doc.add_heading("1. Gegevens", level=1)
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Werkgever", "{{ werkgever }}"),
        ("Dossiernummer", "{{ dossiernummer }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Datum rapportage", "{{ datum }} ({{ week }})"),
        ("Periode", "{{ periode }}"),
        *optional("Opgesteld door", "{{ opgesteld_door }}", "opgesteld_door"),
        *optional("Re-integratiebedrijf", "{{ coach.organisatie }}", "coach.organisatie"),
    ])

    doc.add_heading("2. Toelichting", level=1)
    when(doc, "toelichting", "{{ toelichting }}",
         otherwise="Bij deze rapportage is geen eigen toelichting van de opsteller vastgelegd.")

    doc.add_heading("3. Activiteiten", level=1)
    doc.add_paragraph("{%p if activiteiten %}")
    loop_table(doc, ["Fase", "Activiteit", "Wie", "Periode", "Stand", "Resultaat"], "a in activiteiten",
               ["{{ a.fase }}", "{{ a.activiteit }}", "{{ a.uitvoerder }}", "{{ a.periode }}", "{{ a.stand }}",
                "{{ a.resultaat }}"], [3.15, 4.0, 2.4, 2.6, 1.7, 2.75])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("In deze periode liepen geen activiteiten.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("4. Sollicitaties", level=1)
    doc.add_paragraph("{{ sollicitaties_samenvatting }}")
    doc.add_paragraph("{%p if sollicitaties %}")
    loop_table(doc, ["Datum", "Werkgever", "Functie", "Resultaat"], "s in sollicitaties",
               ["{{ s.datum }}", "{{ s.werkgever }}", "{{ s.functie }}", "{{ s.resultaat }}"], [3.2, 5.4, 5.0, 3.0])
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("5. Contacten", level=1)
    doc.add_paragraph("{%p if contacten %}")
    loop_table(doc, ["Datum", "Met", "Onderwerp"], "c in contacten",
               ["{{ c.datum }}", "{{ c.met }}", "{{ c.onderwerp }}"], [3.4, 3.6, 9.6])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ contacten_toelichting }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("6. Afspraken", level=1)
    doc.add_paragraph("{%p if afspraken %}")
    loop_table(doc, ["Afspraak", "Wie", "Uiterlijk", "Stand per {{ datum }}"], "a in afspraken",
               ["{{ a.wat }}", "{{ a.wie }}", "{{ a.uiterlijk }}", "{{ a.stand }}"], [6.8, 3.0, 3.2, 3.6])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Er zijn geen afspraken vastgelegd.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("7. Vervolg", level=1)
    doc.add_paragraph("{%p if vervolg %}")
    doc.add_paragraph("{%p for v in vervolg %}")
    doc.add_paragraph("{{ v }}", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Het traject is afgerond: er volgt geen rapportage meer.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("8. Ondertekening", level=1)
    signature_rows(doc, "Opgesteld door het re-integratiebedrijf en besproken met de werknemer.")
    return doc


def sollicitatieoverzicht() -> Document:
    doc = new_document("Sollicitatieoverzicht")
    landscape(doc)
    header_footer(doc, "Sollicitatieoverzicht")
    doc.add_paragraph("Sollicitatieoverzicht", style="Title")
    doc.add_paragraph("{{ stand }}")
    doc.add_paragraph("Sollicitaties van {{ werknemer }}{% if bsn %} (BSN {{ bsn }}){% endif %} in het tweede spoor, "
                      "{{ periode }}. "
                      "Afgesproken: {{ afgesproken }}. Weken tellen volgens de Poortwachter-tijdlijn: week 1 "
                      "begint op de eerste ziektedag, {{ week1 }}; de kalenderweek staat erbij.")

    doc.add_heading("1. Samenvatting", level=1)
    facts_table(doc, [
        ("Sollicitaties", "{{ totaal }}"),
        ("Afgesproken", "{{ afgesproken }}"),
        ("Weken in het overzicht", "{{ aantal_weken }}"),
        ("Weken waarin de afspraak is gehaald", "{{ weken_gehaald }} ({{ aandeel_gehaald }})"),
        ("Op het zoekprofiel", "{{ op_zoekprofiel }}"),
        ("Zonder bewijs", "{{ zonder_bewijs }}"),
        ("Niet besproken met de coach", "{{ niet_besproken }}{% if bespreking_onbekend != '0' %}; bij "
                                        "{{ bespreking_onbekend }} is niet vastgelegd of ze besproken zijn{% endif %}"),
    ], widths=(8.0, 18.5))
    loop_table(doc, ["Resultaat", "Aantal"], "r in per_resultaat", ["{{ r.resultaat }}", "{{ r.aantal }}"],
               [8.0, 3.0])

    doc.add_heading("2. Sollicitaties per week", level=1)
    doc.add_paragraph("{{ grafiek }}")
    loop_table(doc, ["Week", "Kalenderweek", "Periode", "Aantal", "Afspraak", "Beoordeling"], "w in weken",
               ["{{ w.week }}", "{{ w.kalenderweek }}", "{{ w.periode }}",
                "{% cellbg w.achtergrond %}{{ w.aantal }}", "{{ w.afspraak }}",
                "{% cellbg w.achtergrond %}{{ w.oordeel }}{% if w.toelichting %}: {{ w.toelichting }}{% endif %}"],
               [2.0, 3.0, 6.2, 1.8, 2.0, 11.5])

    doc.add_heading("3. Alle sollicitaties", level=1)
    loop_table(doc, ["Datum", "Werkgever", "Functie", "Zoekprofiel", "Gevonden via", "Wijze", "Resultaat", "Bewijs",
                     "Besproken met coach"], "s in sollicitaties",
               ["{{ s.datum }}", "{{ s.werkgever }}", "{{ s.functie }}",
                "{{ s.zoekprofiel }}{% if s.toelichting %} ({{ s.toelichting }}){% endif %}", "{{ s.gevonden_via }}",
                "{{ s.wijze }}", "{{ s.resultaat }}", "{{ s.bewijs }}", "{{ s.besproken }}"],
               [2.2, 3.2, 3.9, 3.9, 3.6, 2.4, 2.2, 3.2, 1.9])

    doc.add_heading("4. Ondertekening", level=1)
    signature_rows(doc, "Werknemer en re-integratiecoach verklaren dat dit overzicht volledig en juist is.")
    return doc


def eindevaluatie() -> Document:
    doc = new_document("Eindevaluatie")
    header_footer(doc, "Eindevaluatie")
    doc.add_paragraph("Eindevaluatie", style="Title")
    doc.add_paragraph("Afsluitende evaluatie van de re-integratie van {{ werknemer }} door werkgever en werknemer, "
                      "onderdeel van het re-integratieverslag voor UWV.")

    doc.add_heading("1. Gegevens", level=1)
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Functie", "{{ functie }}"),
        *optional("Contracturen", "{{ contracturen }}", "contracturen"),
        ("Werkgever", "{{ werkgever }}"),
        *optional("Aard van het bedrijf", "{{ aard_bedrijf }}", "aard_bedrijf"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Start tweede spoor", "{{ start_tweede_spoor }}"),
        *optional("Einde tweede spoor", "{{ einde_tweede_spoor }}", "einde_tweede_spoor"),
        ("Datum eindevaluatie", "{{ datum_eindevaluatie }}"),
    ])

    doc.add_heading("2. Verloop en resultaat", level=1)
    doc.add_heading("Verloop", level=2)
    doc.add_paragraph("{{ verloop }}")
    doc.add_heading("Resultaat", level=2)
    doc.add_paragraph("{{ resultaat }}")
    doc.add_heading("Uitkomst", level=2)
    doc.add_paragraph("{{ uitkomst }}")
    doc.add_heading("Actueel oordeel van de bedrijfsarts", level=2)
    doc.add_paragraph("{{ actueel_oordeel }}")

    doc.add_heading("3. Het werk na de re-integratie", level=1)
    doc.add_paragraph("{%p if nieuw_werk %}")
    doc.add_paragraph("{%p for r in nieuw_werk %}")
    doc.add_paragraph("{{ r.label }}: {{ r.waarde }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ nieuw_werk_toelichting }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if oud_dienstverband %}")
    doc.add_heading("Het oude dienstverband", level=2)
    doc.add_paragraph("{{ oud_dienstverband }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("4. Verdienmogelijkheden", level=1)
    doc.add_paragraph("{%p if verdiencapaciteit.percentage %}")
    facts_table(doc, [
        ("Oud maandloon", "{{ verdiencapaciteit.oud }}"),
        ("Nieuw maandloon", "{{ verdiencapaciteit.nieuw }}"),
        ("Nieuw maandloon als deel van het oude", "{{ verdiencapaciteit.percentage }}"),
        ("Loonverlies", "{{ verdiencapaciteit.verlies }}"),
    ])
    doc.add_paragraph("{{ verdiencapaciteit.wia_toets }}")
    doc.add_paragraph("{{ verdiencapaciteit.passend_toets }}")
    note = doc.add_paragraph("Afronding: het nieuwe maandloon als deel van het oude is naar beneden afgerond op "
                             "0,1 %, en het loonverlies is 100 % min dat deel, dus naar boven afgerond. Zo oogt de "
                             "uitkomst nooit gunstiger dan zij is. Of er recht is op een WIA-uitkering, beoordeelt "
                             "UWV zelf.")
    note.runs[0].italic = True
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ verdiencapaciteit.wia_toets }}")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p if conclusie_casemanager %}")
    doc.add_heading("Conclusie van de casemanager", level=2)
    doc.add_paragraph("{{ conclusie_casemanager }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("5. De laatste evaluatie", level=1)
    doc.add_paragraph("{%p if laatste_evaluatie %}")
    doc.add_paragraph("Evaluatie van {{ laatste_evaluatie.datum }}, soort {{ laatste_evaluatie.soort }}. Verslag: "
                      "{{ laatste_evaluatie.verslag }}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Vóór deze eindevaluatie is geen evaluatie vastgelegd.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("6. Afspraken uit het plan van aanpak en de bijstellingen", level=1)
    loop_table(doc, ["Afspraak", "Wie", "Uiterlijk", "Eindstatus"], "a in afspraken",
               ["{{ a.wat }}", "{{ a.wie }}", "{{ a.uiterlijk }}", "{{ a.status }}"], [7.8, 3.2, 3.0, 2.6])

    doc.add_heading("7. Uitgevoerde activiteiten", level=1)
    doc.add_paragraph("{%p if interventies %}")
    loop_table(doc, ["Fase", "Activiteit", "Wie", "Periode", "Status", "Resultaat"], "i in interventies",
               ["{{ i.fase }}", "{{ i.activiteit }}", "{{ i.uitvoerder }}", "{{ i.periode }}", "{{ i.status }}",
                "{{ i.resultaat }}"], [3.15, 4.0, 2.4, 2.6, 1.7, 2.75])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Er zijn geen activiteiten vastgelegd.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("8. Sollicitaties", level=1)
    doc.add_paragraph("{%p if sollicitaties.totaal != '0' %}")
    facts_table(doc, [
        ("Sollicitaties", "{{ sollicitaties.totaal }}"),
        ("Afgesproken", "{{ sollicitaties.afgesproken }}"),
        ("Weken waarin de afspraak is gehaald", "{{ sollicitaties.weken_gehaald }} van {{ sollicitaties.weken }}"
                                                 " {% if sollicitaties.aandeel_gehaald %}"
                                                 "({{ sollicitaties.aandeel_gehaald }}){% endif %}"),
        ("Uitgenodigd voor een gesprek", "{{ sollicitaties.uitgenodigd }}"),
        ("Aangenomen", "{{ sollicitaties.aangenomen }}"),
        ("Zonder bewijs", "{{ sollicitaties.zonder_bewijs }}"),
    ])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Tot deze eindevaluatie zijn geen sollicitaties vastgelegd.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("9. Arbeidsrelatie en passend werk bij de eigen werkgever", level=1)
    doc.add_heading("Kwaliteit van de arbeidsrelatie (visie werkgever)", level=2)
    doc.add_paragraph("{{ kwaliteit_arbeidsrelatie }}")
    doc.add_heading("Passend werk bij de eigen werkgever", level=2)
    doc.add_paragraph("{{ passend_werk_eigen_werkgever }}")

    doc.add_heading("10. Oordeel van de werknemer", level=1)
    doc.add_paragraph("{{ oordeel_werknemer }}")

    doc.add_heading("11. Ondertekening", level=1)
    signature_rows(doc, "Werkgever en werknemer hebben de re-integratie op {{ datum }} samen geëvalueerd.")
    return doc


def landscape(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.6)  # 26.5 cm of text: the overviews' many columns
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.6)


def wia_bundel() -> Document:
    doc = new_document("WIA-bundel")
    landscape(doc)
    header_footer(doc, "WIA-bundel")
    doc.add_paragraph("WIA-bundel: re-integratieverslag", style="Title")
    doc.add_paragraph("Inhoudsopgave van de documenten die bij de WIA-aanvraag van {{ werknemer }} horen, in de "
                      "volgorde van het re-integratieverslag van UWV, met per onderdeel de datum en wie het "
                      "opstelde.")
    # On the first page: after the table it could stand alone on a page of its own.
    note = doc.add_paragraph("Medische gegevens horen niet in deze bundel: de werknemer stuurt zijn of haar "
                             "medische informatie zelf rechtstreeks naar UWV.")
    note.runs[0].bold = True
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        *optional("BSN", "{{ bsn }}", "bsn"),
        ("Werkgever", "{{ werkgever }}"),
        ("Dossiernummer", "{{ dossiernummer }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Stand per", "{{ peildatum }} ({{ week_nu }})"),
        ("WIA-aanvraag uiterlijk", "{{ wia_uiterlijk }} (week 91)"),
        ("Einde wachttijd", "{{ einde_wachttijd }} (week 104)"),
    ])

    doc.add_heading("Inhoud van de bundel", level=1)
    doc.add_paragraph("{%p if compleet %}")
    doc.add_paragraph("De bundel is compleet. Elk onderdeel van het re-integratieverslag zit erin.")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("De bundel is nog niet compleet. Nog niet in de bundel: {{ ontbreekt }}.")
    doc.add_paragraph("{%p endif %}")
    loop_table(doc, ["Nr.", "Onderdeel", "Status", "Datum", "Opgesteld door", "Aan te leveren door", "Bestand"],
               "o in onderdelen",
               ["{{ o.nr }}", "{{ o.onderdeel }}{% if o.toelichting %} ({{ o.toelichting }}){% endif %}",
                "{{ o.status }}", "{{ o.datum }}", "{{ o.door }}", "{{ o.aanleveren }}", "{{ o.bestand }}"],
               [0.9, 5.1, 2.6, 3.1, 5.5, 3.0, 6.3])
    return doc


def controlelijst() -> Document:
    doc = new_document("Controlelijst RIV-toets")
    landscape(doc)
    header_footer(doc, "Controlelijst RIV-toets (intern)", bsn=False)
    doc.add_paragraph("Controlelijst RIV-toets", style="Title")
    warning = doc.add_paragraph("Intern werkdocument voor de casemanager: niet voor UWV en niet in de WIA-bundel.")
    warning.runs[0].bold = True
    doc.add_paragraph("De toets van het re-integratieverslag zoals UWV die doet, vooraf gedaan: elk onderdeel uit "
                      "artikel 6 van de Regeling procesgang eerste en tweede ziektejaar (a tot en met l) en de vorm- "
                      "en herkenbaarheidsvereisten, met een oordeel en wat er nog moet gebeuren. Daarna alle "
                      "bevindingen van de controles en de komende termijnen, op datum.")
    facts_table(doc, [
        ("Werknemer", "{{ werknemer }}"),
        ("Werkgever", "{{ werkgever }}"),
        ("Dossiernummer", "{{ dossiernummer }}"),
        ("Eerste ziektedag", "{{ eerste_ziektedag }}"),
        ("Stand per", "{{ peildatum }} ({{ week_nu }})"),
        ("WIA-aanvraag uiterlijk", "{{ wia_uiterlijk }} (week 91)"),
        ("Oordeel", "{{ samenvatting }}"),
    ], widths=(6.0, 20.5))

    doc.add_heading("1. Onderdelen van het re-integratieverslag", level=1)
    loop_table(doc, ["Onderdeel", "Oordeel", "Toelichting en wat te doen"], "o in onderdelen",
               ["{{ o.onderdeel }}", "{% cellbg o.achtergrond %}{{ o.oordeel }}", "{{ o.toelichting }}"],
               [6.4, 2.8, 17.3])

    doc.add_heading("2. Bevindingen van de controles", level=1)
    doc.add_paragraph("{%p if bevindingen %}")
    loop_table(doc, ["Datum", "Week", "Soort", "Regel", "Waar", "Bevinding"], "b in bevindingen",
               ["{{ b.datum }}", "{{ b.week }}", "{{ b.ernst }}", "{{ b.regel }}", "{{ b.waar }}", "{{ b.melding }}"],
               [3.1, 1.2, 2.4, 3.8, 4.4, 11.6])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Geen bevindingen: de controles vonden niets.")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("3. Komende termijnen", level=1)
    doc.add_paragraph("{%p if termijnen %}")
    loop_table(doc, ["Datum", "Week", "Wat"], "t in termijnen",
               ["{{ t.datum }}", "{{ t.week }}", "{{ t.wat }}"], [3.6, 1.6, 21.3])
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("Geen termijnen meer open.")
    doc.add_paragraph("{%p endif %}")
    return doc


def no_page_after_last_table(doc: Document) -> None:
    """Word needs a paragraph between a table and the end of the document. When the table fills
    its page, that empty paragraph would make a blank last page: it gets a 1-point line and no
    spacing, so it fits under the table."""
    body = doc.element.body
    last = body[-2] if body[-1].tag == qn("w:sectPr") else body[-1]
    before = last.getprevious()
    if last.tag != qn("w:p") or "".join(last.itertext()).strip() or before is None or before.tag != qn("w:tbl"):
        return
    ppr = last.get_or_add_pPr()
    spacing = OxmlElement("w:spacing")
    for name, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(name), value)
    ppr.append(spacing)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    ppr.append(mark)


BUILDERS = {
    "plan-van-aanpak": plan_van_aanpak,
    "bijstelling": bijstelling,
    "eerstejaarsevaluatie": eerstejaarsevaluatie,
    "trajectplan": trajectplan,
    "voortgangsrapportage": voortgangsrapportage,
    "sollicitatieoverzicht": sollicitatieoverzicht,
    "eindevaluatie": eindevaluatie,
    "wia-bundel": wia_bundel,
    "controlelijst": controlelijst,
}


def write_reproducibly(doc: Document, target: Path) -> None:
    """The template as python-docx writes it, with every zip member dated alike, so building the
    templates again from the same code gives the same bytes (git then shows only real changes)."""
    buffer = io.BytesIO()
    doc.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            copy.writestr(info, source.read(member.filename))
    target.write_bytes(out.getvalue())


def main(argv: list[str]) -> int:
    TEMPLATES.mkdir(exist_ok=True)
    for key, build in BUILDERS.items():
        if argv and key not in argv:
            continue
        target = TEMPLATES / f"{key}.docx"
        document = build()
        addresses_whole(document)
        no_page_after_last_table(document)
        write_reproducibly(document, target)
        print(f"geschreven: {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
