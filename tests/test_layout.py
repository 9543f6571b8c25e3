"""Layout of the Word documents, read from their XML: what Word and LibreOffice need to lay out
pages a casemanager can sign and send. Rows never split over two pages and header rows repeat;
headings, lead-in lines and signature blocks stay with what follows; the text is Dutch and
hyphenates; page numbers are as small as the footer; tables start on the text margin; every
picture has an alternative text. Checked on every template and on every document the three
examples make. (How the pages come out of LibreOffice: tests/test_pages_pdf.py.)"""

from __future__ import annotations

import io
import shutil
import zipfile
from functools import cache

import pytest
from lxml import etree

from .conftest import EXAMPLES, PEILDATUM, TEMPLATES
from .test_batch import run

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
HEADINGS = ("Title", "Heading1", "Heading2", "Heading3")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def on(element: etree._Element | None) -> bool:
    """Whether an on/off property (w:cantSplit, w:keepNext...) is there and not switched off."""
    return element is not None and element.get(w("val"), "true") not in ("false", "0", "off")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, bytes]:
    """Every document the three shipped examples make ('DOS-2025-014/trajectplan.docx': bytes)."""
    folder = tmp_path_factory.mktemp("layout")
    shutil.copytree(EXAMPLES, folder / "input")
    result = run(folder / "input", folder / "output", peildatum=PEILDATUM)
    assert result.exit_code == 0, result.output
    found = {f"{path.parent.name}/{path.name}": path.read_bytes()
             for path in sorted((folder / "output").glob("*/*.docx"))}
    assert len(found) >= 20  # 14 of the full example, 7 of the running case, 2 of the early one
    return found


@pytest.fixture(scope="module")
def templates() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(TEMPLATES.glob("*.docx"))}


@pytest.fixture(scope="module", params=["templates", "generated"])
def documents(request) -> dict[str, bytes]:
    """Each check runs on the templates (what an administrator edits) and on what they make."""
    return request.getfixturevalue(request.param)


@cache
def part(data: bytes, name: str) -> etree._Element | None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name)) if name in archive.namelist() else None


def parts(data: bytes, prefix: str) -> list[tuple[str, etree._Element]]:
    """The XML parts whose name starts with `prefix` ('word/footer'), parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".xml")]
    return [(n, part(data, n)) for n in names]


def text(element: etree._Element) -> str:
    return "".join(element.itertext(w("t"))) if element.tag != w("t") else element.text or ""


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(w("t")))


class Styles:
    """The paragraph styles of one document, with what they inherit."""

    def __init__(self, data: bytes) -> None:
        root = part(data, "word/styles.xml")
        self.root = root
        self.by_id = {s.get(w("styleId")): s for s in root.iter(w("style"))}
        self.defaults = root.find(w("docDefaults"))

    def chain(self, style_id: str | None) -> list[etree._Element]:
        found, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            found.append(style)
            based = style.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return found

    def paragraph_property(self, style_id: str | None, tag: str) -> etree._Element | None:
        for style in self.chain(style_id):
            ppr = style.find(w("pPr"))
            if ppr is not None and ppr.find(w(tag)) is not None:
                return ppr.find(w(tag))
        return self.defaults.find(f"{w('pPrDefault')}/{w('pPr')}/{w(tag)}")

    def run_property(self, style_id: str | None, tag: str) -> etree._Element | None:
        for style in self.chain(style_id):
            rpr = style.find(w("rPr"))
            if rpr is not None and rpr.find(w(tag)) is not None:
                return rpr.find(w(tag))
        return self.defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w(tag)}")


def style_of(paragraph: etree._Element) -> str | None:
    style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
    return style.get(w("val")) if style is not None else "Normal"


def keeps_with_next(paragraph: etree._Element, styles: Styles) -> bool:
    direct = paragraph.find(f"{w('pPr')}/{w('keepNext')}")
    if direct is not None:
        return on(direct)
    return on(styles.paragraph_property(style_of(paragraph), "keepNext"))


def body(data: bytes) -> etree._Element:
    return part(data, "word/document.xml").find(w("body"))


def is_tag(paragraph: etree._Element) -> bool:
    return paragraph_text(paragraph).strip().startswith(("{%p ", "{%tr "))


# --- rows --------------------------------------------------------------------------------------

def test_no_table_row_can_split_over_two_pages(documents):
    for name, data in documents.items():
        rows = list(body(data).iter(w("tr")))
        assert rows, name
        split = [text(row)[:60] for row in rows if not on(row.find(f"{w('trPr')}/{w('cantSplit')}"))]
        assert not split, f"{name}: rows that may split over two pages: {split}"


def test_header_rows_repeat_on_every_page(documents):
    """A table's first row in bold on every cell is its header: it repeats at the top of each page."""
    headers = 0
    for name, data in documents.items():
        for table in body(data).iter(w("tbl")):
            first = table.find(w("tr"))
            cells = first.findall(w("tc"))
            runs = [r for c in cells for r in c.iter(w("r")) if text(r).strip()]
            if len(cells) > 1 and runs and all(r.find(f"{w('rPr')}/{w('b')}") is not None for r in runs):
                headers += 1
                assert on(first.find(f"{w('trPr')}/{w('tblHeader')}")), f"{name}: header row {text(first)!r}"
    assert headers >= 9


def test_templates_repeat_the_row_properties_of_each_loop(templates):
    """The renderer repeats a loop's row as the template has it: with the row's properties."""
    for name, data in templates.items():
        for table in body(data).iter(w("tbl")):
            rows = table.findall(w("tr"))
            loops = [i for i, row in enumerate(rows) if text(row).strip().startswith("{%tr for")]
            for index in loops:
                repeated = rows[index + 1]
                assert on(repeated.find(f"{w('trPr')}/{w('cantSplit')}")), f"{name}: {text(repeated)!r}"


# --- what stays together ---------------------------------------------------------------------

def test_headings_stay_with_what_follows(documents):
    for name, data in documents.items():
        styles = Styles(data)
        for paragraph in body(data).iter(w("p")):
            if style_of(paragraph) in HEADINGS and paragraph_text(paragraph).strip():
                assert keeps_with_next(paragraph, styles), f"{name}: heading {paragraph_text(paragraph)!r}"


def is_chart(element: etree._Element) -> bool:
    return element.tag == w("p") and (element.find(f".//{w('drawing')}") is not None
                                      or paragraph_text(element).strip() in ("{{ tijdlijn }}", "{{ grafiek }}"))


def lead_ins(body_element: etree._Element) -> list[etree._Element]:
    """The paragraphs that lead into what follows them: the one right before a table or a chart,
    and the one before a heading that heads a table (a lead-in to a series of tables, one per
    phase). In a template, {%p %} tag paragraphs are passed over: docxtpl removes them."""
    shown = [el for el in body_element if el.tag == w("tbl") or (el.tag == w("p") and not is_tag(el))]
    found = []
    for index, (before, after) in enumerate(zip(shown, shown[1:])):
        if before.tag != w("p") or not paragraph_text(before).strip() or style_of(before) in HEADINGS:
            continue
        then = shown[index + 2] if index + 2 < len(shown) else None
        section = index > 0 and shown[index - 1].tag == w("p") and style_of(shown[index - 1]) == "Heading1"
        series = (section and after.tag == w("p") and style_of(after) == "Heading2"
                  and then is not None and then.tag == w("tbl"))
        if after.tag == w("tbl") or is_chart(after) or series:
            found.append(before)
    return found


def test_lead_in_lines_stay_with_their_table_or_chart(documents):
    """The line before a table, a chart, or the first heading of a series of tables is on the page
    where that starts."""
    checked = 0
    for name, data in documents.items():
        styles = Styles(data)
        for paragraph in lead_ins(body(data)):
            checked += 1
            assert keeps_with_next(paragraph, styles), f"{name}: {paragraph_text(paragraph)[:80]!r} is apart"
    assert checked >= 15


def test_a_signature_block_is_one_piece_with_its_heading(documents):
    """Heading, line and every row of the signatures table keep with the next: never split."""
    signed = 0
    for name, data in documents.items():
        styles = Styles(data)
        elements = [el for el in body(data) if not (el.tag == w("p") and is_tag(el))]
        for index, element in enumerate(elements):
            if element.tag == w("p") and style_of(element) == "Heading1" and "Ondertekening" in paragraph_text(element):
                signed += 1
                table = next(el for el in elements[index:] if el.tag == w("tbl"))
                for paragraph in [p for p in elements[index:elements.index(table)] if p.tag == w("p")]:
                    assert keeps_with_next(paragraph, styles), f"{name}: {paragraph_text(paragraph)!r}"
                for row in table.findall(w("tr")):
                    if text(row).strip().startswith("{%tr endfor"):
                        continue
                    for paragraph in row.iter(w("p")):
                        assert keeps_with_next(paragraph, styles), f"{name}: signature row {text(row)[:60]!r}"
    assert signed >= 7  # every template but the index and the controlelijst; more documents


def test_widow_control_is_on(documents):
    for name, data in documents.items():
        styles = Styles(data)
        assert on(styles.paragraph_property("Normal", "widowControl")), name


# --- language and hyphenation --------------------------------------------------------------------

def test_the_text_is_dutch_and_hyphenates(documents):
    for name, data in documents.items():
        styles = Styles(data)
        default = styles.defaults.find(f"{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        assert default is not None and default.get(w("val")) == "nl-NL", name
        assert styles.run_property("Normal", "lang").get(w("val")) == "nl-NL", name
        for part_name, root in parts(data, "word/"):
            others = {el.get(w("val")) for el in root.iter(w("lang"))} - {"nl-NL", None}
            assert not others, f"{name} {part_name}: text marked {others}"
        settings = part(data, "word/settings.xml")
        assert on(settings.find(w("autoHyphenation"))), f"{name}: automatic hyphenation is off"


# --- page furniture ----------------------------------------------------------------------------

def half_points(run: etree._Element, paragraph: etree._Element, styles: Styles) -> str | None:
    size = run.find(f"{w('rPr')}/{w('sz')}")
    if size is None:
        size = styles.run_property(style_of(paragraph), "sz")
    return size.get(w("val")) if size is not None else None


def test_page_numbers_are_as_small_as_the_footer_text(documents):
    for name, data in documents.items():
        styles = Styles(data)
        footers = parts(data, "word/footer")
        assert footers, name
        for part_name, root in footers:
            fields = 0
            for paragraph in root.iter(w("p")):
                sizes = {}
                for piece in paragraph.iter(w("r")):
                    if text(piece):
                        sizes[text(piece)] = half_points(piece, paragraph, styles)
                fields += len(paragraph.findall(f".//{w('fldSimple')}")) + len(paragraph.findall(
                    f".//{w('instrText')}"))
                assert len(set(sizes.values())) <= 1, f"{name} {part_name}: sizes {sizes}"
                assert set(sizes.values()) <= {"17"}, f"{name} {part_name}: sizes {sizes}"
            assert fields >= 2, f"{name} {part_name}: no page number fields"


def table_setting(table: etree._Element, styles: Styles, path: str) -> etree._Element | None:
    """A table property, from the table or else from its style."""
    tblpr = table.find(w("tblPr"))
    found = tblpr.find(path)
    style = tblpr.find(w("tblStyle"))
    for definition in styles.chain(style.get(w("val")) if style is not None else None):
        if found is not None:
            break
        found = definition.find(f"{w('tblPr')}/{path}")
    return found


def test_tables_start_on_the_text_margin_and_fit_between_the_margins(documents):
    """The left border on the margin: with the layout rules of Word 2010 (compatibilityMode 14,
    which LibreOffice follows too) a table's indent is measured to its first cell's text, so it
    must equal the cell's left margin; from Word 2013 on (15) it is measured to the border."""
    for name, data in documents.items():
        styles = Styles(data)
        settings = part(data, "word/settings.xml")
        mode = settings.find(f".//{w('compatSetting')}[@{w('name')}='compatibilityMode']")
        modern = mode is not None and int(mode.get(w("val"))) >= 15
        section = body(data).find(w("sectPr"))
        size, margins = section.find(w("pgSz")), section.find(w("pgMar"))
        width = int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
        for table in body(data).iter(w("tbl")):
            alignment = table_setting(table, styles, w("jc"))
            assert alignment is None or alignment.get(w("val")) in ("left", "start"), f"{name}: {text(table)[:50]}"
            indent = table_setting(table, styles, w("tblInd"))
            cell_margin = table_setting(table, styles, f"{w('tblCellMar')}/{w('left')}")
            indent_w = int(indent.get(w("w"))) if indent is not None else 0
            margin_w = int(cell_margin.get(w("w"))) if cell_margin is not None else 108
            assert indent_w == (0 if modern else margin_w), f"{name}: table {text(table)[:50]!r} is off the margin"
            grid = sum(int(c.get(w("w"))) for c in table.iter(w("gridCol")))
            assert grid <= width + 2, f"{name}: table {text(table)[:50]!r} is {grid} wide, the text {width}"


def test_every_picture_has_an_alternative_text(documents):
    pictures = 0
    for name, data in documents.items():
        for part_name, root in parts(data, "word/"):
            for drawing in root.iter(f"{{{WP}}}docPr"):
                pictures += 1
                assert (drawing.get("descr") or "").strip(), f"{name} {part_name}: a picture without a description"
    made = any("/" in name for name in documents)
    assert pictures >= 3 or not made  # the generated documents have their charts


def test_chart_descriptions_say_what_the_charts_show(generated):
    descriptions = {name: [d.get("descr") for d in body(data).iter(f"{{{WP}}}docPr")]
                    for name, data in generated.items()}
    timeline = descriptions["DOS-2025-014/trajectplan.docx"]
    assert len(timeline) == 1 and timeline[0].startswith("Tijdlijn van het tweede spoor, van ")
    assert "rapportagemomenten als driehoekjes" in timeline[0]
    bars = descriptions["DOS-2025-014/sollicitatieoverzicht.docx"]
    assert len(bars) == 1 and "sollicitaties per Poortwachter-week" in bars[0] and "per week als stippellijn" in bars[0]


def test_contact_details_are_not_hyphenated(documents):
    """A hyphen added inside an e-mail address would change it: paragraphs that show one are
    kept from hyphenating (the address moves to the next line whole)."""
    shown = 0
    for name, data in documents.items():
        for paragraph in body(data).iter(w("p")):
            if "@" in paragraph_text(paragraph) or ".contact }}" in paragraph_text(paragraph):
                shown += 1
                assert on(paragraph.find(f"{w('pPr')}/{w('suppressAutoHyphens')}")), \
                    f"{name}: {paragraph_text(paragraph)[:60]!r} may be hyphenated"
    assert shown >= 3


def test_the_shipped_templates_are_what_the_builder_writes(tmp_path, monkeypatch):
    """templates/ holds exactly what tools/build_templates.py writes (`make templates`), byte for
    byte: a change to the builder comes with its templates, and a rebuild changes nothing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATES.parent / "tools" / "build_templates.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    monkeypatch.setattr(builder, "TEMPLATES", tmp_path)
    assert builder.main([]) == 0
    built = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert built == sorted(p.name for p in TEMPLATES.glob("*.docx"))
    stale = [name for name in built if (tmp_path / name).read_bytes() != (TEMPLATES / name).read_bytes()]
    assert not stale, f"run make templates: {stale}"
