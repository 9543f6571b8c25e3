"""The prepared renderer's fence: templates as Word saves them, each with a feature docxtpl
handles in its own way (footnotes, pictures in the body, a header or a loop, JPEG, comment tags,
an empty table loop, an absolute part name), filled by the prepared renderer and by plain
docxtpl: the same parts, relationships and media. What the prepared path does not reproduce
exactly, plain docxtpl fills (`rendered_by` says which); our own templates never need that."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docxtpl import RichText
from lxml import etree
from PIL import Image as Picture

from pipeline import documents
from pipeline.bundle.index import assemble
from pipeline.checks.timeline import check_timeline
from pipeline.documents import Image, render
from pipeline.errors import TemplateError

from .conftest import TEMPLATES

PROPS = render.Properties("Titel", "Onderwerp", date(2025, 2, 19))
PEILDATUM = date(2026, 11, 23)
# Word writes its XML declaration in double quotes, followed by CR LF; python-docx in single
# quotes with LF. A part python-docx rewrites (styles, settings, numbering...) therefore differs
# from a Word-saved template's byte for byte, even when nothing in it changed.
WORD_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
DECLARATION = re.compile(rb"^<\?xml[^>]*\?>\s*")
FILLED = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


# --- templates as Word saves them ---------------------------------------------------------------

def picture(kind: str = "PNG", colour: str = "navy", size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Picture.new("RGB", size, colour).save(buffer, kind)
    return buffer.getvalue()


def add_footnote(paragraph, number: int) -> None:
    """A footnote reference at the end of `paragraph` (python-docx has no footnote API)."""
    run = OxmlElement("w:r")
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run.append(reference)
    paragraph._p.append(run)


def footnotes_xml(texts: list[str]) -> bytes:
    """Word's footnotes part: the two separators, then one footnote per text."""
    notes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}'
        "</w:t></w:r></w:p></w:footnote>" for number, text in enumerate(texts, start=1))
    return WORD_DECLARATION + (
        f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f"</w:footnote>{notes}</w:footnotes>").encode()


def word_saved(source: Path | Document, target: Path, *, footnotes: list[str] | None = None,
               absolute_targets: bool = False) -> Path:
    """`source` (a python-docx document or a .docx) written as Word writes it: Word's XML
    declaration on every part, optionally a footnotes part and part names written from the
    package root ('/word/header1.xml'), as some editors do."""
    buffer = io.BytesIO()
    if isinstance(source, Path):
        buffer.write(source.read_bytes())
    else:
        source.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    if footnotes is not None:
        parts["word/footnotes.xml"] = footnotes_xml(footnotes)
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_TYPE}"/></Types>'.encode())
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>",
            f'<Relationship Id="rId90" Type="{FOOTNOTES_REL}" Target="footnotes.xml"/></Relationships>'.encode())
    if absolute_targets:
        parts["word/_rels/document.xml.rels"] = re.sub(
            rb'Target="(?!http)([^"/][^"]*)"', rb'Target="/word/\1"', parts["word/_rels/document.xml.rels"])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name.endswith((".xml", ".rels")):
                data = WORD_DECLARATION + DECLARATION.sub(b"", data)
            archive.writestr(name, data)
    return target


# --- what is compared -----------------------------------------------------------------------------

def unzipped(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def relationships(parts: dict[str, bytes]) -> set[tuple[str, ...]]:
    return {(name, rel.get("Id"), rel.get("Type"), rel.get("Target"), rel.get("TargetMode") or "")
            for name, data in parts.items() if name.endswith(".rels") for rel in etree.fromstring(data)}


def media(parts: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha1(data).hexdigest() for name, data in parts.items() if name.startswith("word/media/")}


def assert_sound(data: bytes) -> None:
    """The document opens, has no field left unfilled, and every relationship a part points at
    is one that part has."""
    Document(io.BytesIO(data))
    parts = unzipped(data)
    for name, xml in parts.items():
        if FILLED.fullmatch(name):
            assert b"{{" not in xml and b"{%" not in xml, name
        if name.endswith(".xml"):
            used = set(re.findall(rb'r:(?:id|embed|link)="([^"]+)"', xml))
            folder, _, base = name.rpartition("/")
            rels = parts.get(f"{folder}/_rels/{base}.rels".lstrip("/"))
            have = {rel.get("Id").encode() for rel in etree.fromstring(rels)} if rels else set()
            assert used <= have, f"{name} points at {sorted(used - have)}"


def both(path: Path, context: dict) -> tuple[render.PreparedTemplate, bytes, bytes]:
    prepared = render.PreparedTemplate(path)
    return prepared, prepared.render(context, PROPS), render.render_docx(path, context, PROPS)


def assert_same(fast: bytes, plain: bytes) -> dict[str, bytes]:
    """Every part the same as plain docxtpl's, the filled ones first, as text (the document
    properties aside: test_fastrender compares their fields); the same relationships and media."""
    a, b = unzipped(fast), unzipped(plain)
    assert set(a) == set(b)
    for name in sorted(b, key=lambda n: not FILLED.fullmatch(n)):
        if name != "docProps/core.xml":
            assert a[name].decode("utf-8", "replace") == b[name].decode("utf-8", "replace"), name
    assert relationships(a) == relationships(b)
    assert media(a) == media(b)
    assert_sound(fast)
    return a


def text(data: bytes, part: str) -> str:
    return "".join(etree.fromstring(unzipped(data)[part]).itertext())


# --- the features -----------------------------------------------------------------------------------

def test_our_templates_saved_by_word_take_the_prepared_path_and_match_docxtpl(tmp_path, full_case):
    """An administrator opens a template in Word and saves it: every part Word rewrote still
    comes out as plain docxtpl writes it, and the batch keeps its fast path."""
    made = documents.document_files(full_case, PEILDATUM)
    contexts = list({f.template: (f.template, f.context()) for f in made}.values())
    index = assemble(full_case, tuple(f.filename for f in made), PEILDATUM)
    timeline = check_timeline(full_case, PEILDATUM)
    contexts.append(("wia-bundel.docx", documents.wia_bundel_context(full_case, index, timeline, PEILDATUM)))
    contexts.append((documents.CONTROLELIJST, documents.controlelijst_context(full_case, index, timeline, PEILDATUM)))
    for name, context in contexts:
        for path in (TEMPLATES / name, word_saved(TEMPLATES / name, tmp_path / name)):
            prepared, fast, plain = both(path, context)
            assert prepared.unsupported is None and prepared.rendered_by == "prepared", name
            assert_same(fast, plain)


def test_fields_in_footnotes_are_filled(tmp_path):
    document = Document()
    add_footnote(document.add_paragraph("Verzuim van {{ werknemer }}"), 1)
    path = word_saved(document, tmp_path / "voetnoot.docx", footnotes=["Bron: {{ bron }}, week {{ week }}"])
    prepared, fast, plain = both(path, {"werknemer": "Anna", "bron": "bedrijfsarts & <team>", "week": 8})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert "Bron: bedrijfsarts & <team>, week 8" in text(fast, "word/footnotes.xml")


def test_footnotes_without_fields_come_out_as_docxtpl_writes_them(tmp_path):
    """docxtpl runs every footnotes part through Jinja, fields or not; Word writes one for
    its separators as soon as a document had a footnote."""
    document = Document()
    add_footnote(document.add_paragraph("Zie noot"), 1)
    path = word_saved(document, tmp_path / "separators.docx", footnotes=["Vaste tekst"])
    prepared, fast, plain = both(path, {})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    # (docxtpl's Jinja pass ends Word's declaration in LF instead of CR LF: copying the part would differ)
    assert unzipped(fast)["word/footnotes.xml"] != zipfile.ZipFile(path).read("word/footnotes.xml")
    assert "Vaste tekst" in text(fast, "word/footnotes.xml")


def test_fields_in_footnotes_of_a_document_with_two_sections_go_to_docxtpl(tmp_path):
    """docxtpl fills the footnotes once per section, each time from the last result: the
    prepared path does not repeat that, so plain docxtpl fills such a document."""
    document = Document()
    add_footnote(document.add_paragraph("Deel 1"), 1)
    document.add_section()
    document.add_paragraph("Deel 2")
    path = word_saved(document, tmp_path / "secties.docx", footnotes=["Voor {{ werknemer }}"])
    prepared, fast, plain = both(path, {"werknemer": "Anna"})
    assert prepared.rendered_by == "docxtpl (fields in the footnotes of a document with several sections)"
    assert_same(fast, plain)
    assert "Voor Anna" in text(fast, "word/footnotes.xml")


def test_a_picture_in_the_header_goes_to_docxtpl_and_is_related_to_the_header(tmp_path):
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Logo {{ logo }}"
    document.add_paragraph("Brief aan {{ werknemer }}")
    path = word_saved(document, tmp_path / "logo.docx")
    prepared, fast, plain = both(path, {"logo": Image(picture(), 20), "werknemer": "Anna"})
    assert prepared.rendered_by == "docxtpl (a picture outside the body)"
    parts = assert_same(fast, plain)
    header = [rel for rel in relationships(parts) if rel[0] == "word/_rels/header1.xml.rels"]
    assert [rel[2].rsplit("/", 1)[1] for rel in header] == ["image"]
    assert b"r:embed" in parts["word/header1.xml"] and b"r:embed" not in parts["word/document.xml"]


def test_a_jpeg_is_stored_as_a_jpeg(tmp_path):
    document = Document()
    document.add_paragraph("Foto: {{ foto }}")
    path = word_saved(document, tmp_path / "foto.docx")
    prepared, fast, plain = both(path, {"foto": Image(picture("JPEG"), 30)})
    assert prepared.rendered_by == "prepared"
    parts = assert_same(fast, plain)
    assert list(media(parts)) == ["word/media/image1.jpg"]
    assert b'Extension="jpg" ContentType="image/jpeg"' in parts["[Content_Types].xml"]


def test_pictures_in_a_loop_and_a_picture_shown_twice(tmp_path):
    """Pictures inside a list are pictures, not their repr; the same picture twice is one
    media part; a picture the template does not show adds nothing."""
    document = Document()
    document.add_paragraph("{% for foto in fotos %}{{ foto }} {% endfor %}")
    document.add_paragraph("Nogmaals: {{ fotos[0] }}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for r in rijen %}"
    table.cell(1, 0).text = "{{ r.naam }}"
    table.cell(1, 1).text = "{{ r.foto }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    path = word_saved(document, tmp_path / "fotos.docx")
    red, blue, green = picture(colour="red"), picture(colour="blue"), picture(colour="green", size=(10, 30))
    context = {"fotos": [Image(red, 20), Image(blue, 25), Image(red, 10)], "ongebruikt": Image(green, 5),
               "rijen": [{"naam": "Anna", "foto": Image(green, 15)}, {"naam": "Piet", "foto": Image(blue, 15)}]}
    prepared, fast, plain = both(path, context)
    assert prepared.rendered_by == "prepared"
    parts = assert_same(fast, plain)
    assert sorted(media(parts).values()) == sorted(hashlib.sha1(p).hexdigest() for p in (red, blue, green))
    assert parts["word/document.xml"].count(b"<w:drawing>") == 6
    assert b"Image(" not in parts["word/document.xml"]


def test_a_picture_the_template_already_has_is_not_added_twice(tmp_path):
    logo = picture(colour="orange")
    document = Document()
    document.add_picture(io.BytesIO(logo))
    document.add_paragraph("{{ logo }} en {{ nieuw }}")
    path = word_saved(document, tmp_path / "eigen.docx")
    prepared, fast, plain = both(path, {"logo": Image(logo, 10), "nieuw": Image(picture(colour="teal"), 10)})
    assert prepared.rendered_by == "prepared"
    assert len(media(assert_same(fast, plain))) == 2


def grid(data: bytes) -> list[int]:
    """The number of grid columns of each table in the body."""
    body = etree.fromstring(unzipped(data)["word/document.xml"])
    return [len(t.findall(f"{{{W}}}tblGrid/{{{W}}}gridCol")) for t in body.iter(f"{{{W}}}tbl")]


def test_a_comment_tag_removing_a_cell_fixes_the_table_grid(tmp_path):
    document = Document()
    table = document.add_table(rows=2, cols=3)
    for column, label in enumerate(["Datum", "Actie", "{#tc interne kolom #}"]):
        table.cell(0, column).text = label
    for column, label in enumerate(["{{ datum }}", "{{ actie }}", "{#tc #}"]):
        table.cell(1, column).text = label
    document.add_paragraph("{#p een notitie voor de beheerder #}")
    path = word_saved(document, tmp_path / "commentaar.docx")
    prepared, fast, plain = both(path, {"datum": "1 maart 2025", "actie": "Gesprek"})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert grid(fast) == [2]
    assert "een notitie" not in text(fast, "word/document.xml")


@pytest.mark.parametrize("rows", [[], ["Anna", "Piet"]], ids=["empty", "two rows"])
def test_a_table_loop_over_a_list_gets_docxtpls_grid(tmp_path, rows):
    document = Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for naam in namen %}"
    table.cell(1, 0).text = "{{ naam }}"
    table.cell(1, 1).text = "aanwezig"
    table.cell(2, 0).text = "{%tr endfor %}"
    path = word_saved(document, tmp_path / "lus.docx")
    prepared, fast, plain = both(path, {"namen": rows})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert grid(fast) == [2 if rows else 0]


def test_a_merged_cell_counts_for_the_columns_it_spans(tmp_path):
    document = Document()
    table = document.add_table(rows=5, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Sollicitaties van {{ werknemer }}"
    table.cell(1, 0).merge(table.cell(1, 1)).text = "Totaal"
    table.cell(1, 2).text = "{{ totaal }}"
    table.cell(2, 0).text = "{%tr for s in sollicitaties %}"
    table.cell(3, 0).text = "{{ s }}"
    table.cell(4, 0).text = "{%tr endfor %}"
    path = word_saved(document, tmp_path / "samengevoegd.docx")
    prepared, fast, plain = both(path, {"werknemer": "Anna", "totaal": 0, "sollicitaties": []})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert grid(fast) == [3]


def test_a_column_loop_gets_docxtpls_grid(tmp_path):
    document = Document()
    table = document.add_table(rows=1, cols=4)
    for column, label in enumerate(["Week", "{%tc for w in weken %}", "{{ w }}", "{%tc endfor %}"]):
        table.cell(0, column).text = label
    path = word_saved(document, tmp_path / "kolommen.docx")
    prepared, fast, plain = both(path, {"weken": [8, 9, 10, 11]})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert grid(fast) == [5]


def test_part_names_written_from_the_root_are_read(tmp_path):
    """'/word/header1.xml' is a part name as valid as 'header1.xml' (some editors write it so)."""
    document = Document()
    document.sections[0].header.paragraphs[0].text = "Dossier {{ dossiernummer }}"
    document.add_paragraph("Tekst")
    path = word_saved(document, tmp_path / "absoluut.docx", absolute_targets=True)
    assert b'Target="/word/header1.xml"' in zipfile.ZipFile(path).read("word/_rels/document.xml.rels")
    prepared, fast, plain = both(path, {"dossiernummer": "DOS-1"})
    assert prepared.rendered_by == "prepared"
    assert_same(fast, plain)
    assert text(fast, "word/header1.xml") == "Dossier DOS-1"


def test_fields_in_the_document_properties_send_the_template_to_docxtpl(tmp_path):
    document = Document()
    document.core_properties.comments = "Dossier {{ dossiernummer }}"
    document.add_paragraph("Tekst {{ dossiernummer }}")
    path = word_saved(document, tmp_path / "eigenschappen.docx")
    prepared, fast, plain = both(path, {"dossiernummer": "DOS-1"})
    assert prepared.unsupported == "fields in the document properties"
    assert prepared.rendered_by == "docxtpl (fields in the document properties)"
    assert_same(fast, plain)
    assert Document(io.BytesIO(fast)).core_properties.comments == "Dossier DOS-1"
    with pytest.raises(TemplateError, match="veld dat dit document niet kent"):
        prepared.render({}, PROPS)  # the properties are filled as strictly as the text


def test_rich_text_is_placed_and_a_hyperlink_of_another_document_is_refused(tmp_path):
    """A value that writes its own Word XML is placed as it is; one that points at a
    relationship made for another document would point at nothing: both renderers refuse it."""
    document = Document()
    document.add_paragraph("Let op: {{ opmaak }}")
    path = word_saved(document, tmp_path / "opmaak.docx")
    prepared, fast, plain = both(path, {"opmaak": RichText("belangrijk", bold=True, color="C00000")})
    assert prepared.rendered_by == "prepared"
    assert b'<w:color w:val="C00000"/>' in assert_same(fast, plain)["word/document.xml"]

    link = RichText("site", url_id="rId42")
    messages = []
    for fill in (lambda: prepared.render({"opmaak": link}, PROPS), lambda: render.render_docx(path, {"opmaak": link},
                                                                                               PROPS)):
        with pytest.raises(TemplateError) as err:
            fill()
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert "een waarde (RichText) verwijst naar een koppeling, afbeelding of subdocument van een ander" in messages[0]
    assert "bij: «Let op: {{ opmaak }}»" in messages[0]


def test_errors_and_guards_are_the_same_after_a_fallback(tmp_path):
    """A document that plain docxtpl fills keeps the sandbox, strictness and time limit (the
    footer is filled after the header that sends the document to docxtpl)."""
    def template(footer: str) -> Path:
        document = Document()
        document.sections[0].header.paragraphs[0].text = "{{ logo }}"
        document.sections[0].footer.paragraphs[0].text = footer
        document.add_paragraph("Tekst")
        return word_saved(document, tmp_path / "terugval.docx")

    context = {"logo": Image(picture(), 10), "werknemer": "Anna"}
    for footer, expected in [
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
         "het invullen duurde langer dan 1 seconden en is gestopt"),
        ("{{ werknemer.__class__.__mro__ }}", "het sjabloon probeert iets wat niet is toegestaan"),
        ("{{ werknemr }}", "het sjabloon gebruikt een veld dat dit document niet kent"),
        ("{{ 'x'|center(10**9) }}", "een breedte, lengte of aantal van 1.000.000.000"),
    ]:
        prepared = render.PreparedTemplate(template(footer))
        with pytest.raises(TemplateError) as err:
            prepared.render(context, PROPS, time_limit=1)
        assert expected in str(err.value) and "(in de voettekst" in str(err.value)
        assert prepared.rendered_by.startswith("docxtpl")
