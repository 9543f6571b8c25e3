"""Render stage: fill one Word template (docxtpl) with one document context, safely.

Templates are data maintained by administrators: they run in a sandboxed Jinja environment
(no reaching Python internals), a missing variable is an error (StrictUndefined), and every
value is escaped (autoescape), so a cell's text is always text, never template or XML.
"""

from __future__ import annotations

import copy
import io
import re
import signal
import threading
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Mapping

from docx.opc.exceptions import PackageNotFoundError
from docx.image.image import Image as DocxImage
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree
from lxml.etree import XMLSyntaxError
from markupsafe import Markup, escape

from .archive import member, normalise_zip, write_members
from .documents import Image
from .errors import TemplateError


# A template that runs longer than this per document is stopped (2,000 applications take ~2 s).
TIME_LIMIT_SECONDS = 60.0
# Largest string or list a template may build with '*', and largest exponent of '**'.
MAX_PRODUCT_SIZE = 100_000
MAX_EXPONENT = 100


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals), also refusing '*' and '**' that would build huge
    values: template text is edited by administrators and must not exhaust the machine."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):  # type: ignore[no-untyped-def]
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"machtsverheffen met exponent {right} is niet toegestaan")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) \
                        and len(sized) * count > MAX_PRODUCT_SIZE:
                    raise SecurityError(f"een tekst of lijst van {len(sized) * count} elementen is te groot")
        return super().call_binop(context, operator, left, right)


def sandbox() -> SandboxedEnvironment:
    return _Sandbox(undefined=StrictUndefined, autoescape=True)


class _TooLong(Exception):
    """Raised by the alarm inside a render that exceeds its time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` (POSIX main thread; elsewhere the limit does not apply)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Properties:
    """Document properties, fixed so that the same input gives the same bytes."""

    title: str
    subject: str
    day: date
    author: str = "Poortwachter-pipeline"


@contextmanager
def _template_errors(name: str, time_limit: float) -> Iterator[None]:
    """Turn whatever filling a template can raise into one TemplateError naming the template."""
    try:
        with _time_limit(time_limit):
            yield
    except _TooLong as err:
        raise TemplateError(name, f"het invullen duurde langer dan {time_limit:g} seconden en is gestopt; "
                                  "controleer de lussen in het sjabloon") from err
    except SecurityError as err:
        raise TemplateError(name, f"het sjabloon probeert iets wat niet is toegestaan ({err})") from err
    except UndefinedError as err:
        raise TemplateError(name, f"het sjabloon gebruikt een veld dat dit document niet kent ({err.message})") from err
    except TemplateSyntaxError as err:
        raise TemplateError(name, f"fout in een sjabloon-opdracht: {err.message}") from err
    except JinjaTemplateError as err:
        raise TemplateError(name, f"het sjabloon kan niet worden ingevuld ({err})") from err
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError) as err:
        raise TemplateError(name, "het sjabloon ontbreekt of is geen Word-document (.docx)") from err
    except XMLSyntaxError as err:
        raise TemplateError(name, f"het ingevulde sjabloon is geen geldige Word-opmaak ({err})") from err


def _check_exists(template: Path) -> None:
    if not template.is_file():
        raise TemplateError(template.name, "het sjabloon ontbreekt of is geen Word-document (.docx); verwacht in "
                                           f"{template.parent}")


def render_docx(template: Path, context: Mapping[str, Any], properties: Properties,
                time_limit: float = TIME_LIMIT_SECONDS) -> bytes:
    """Plain docxtpl, one template load per document: the reference the prepared renderer is
    held against (tests compare their output; the benchmark their speed)."""
    _check_exists(template)
    with _template_errors(template.name, time_limit):
        document = DocxTemplate(template)
        values = {key: InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
                  if isinstance(value, Image) else value for key, value in context.items()}
        document.render(values, jinja_env=sandbox(), autoescape=True)
    core = document.docx.core_properties
    stamp = datetime(properties.day.year, properties.day.month, properties.day.day)
    core.title = properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.last_modified_by = properties.author
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The parts filled for each document are compressed fast: for a 240 KB overview level 6 takes
# 1.2 ms against 0.3 ms, for a part a fifth smaller, and a batch does this for every document.
_FILLED_LEVEL = 1
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing finds them
_XML_TAGS = re.compile(r"<[^>]+>")
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
_REL_HEADER_FOOTER = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
                      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer")


def _serialise(element: etree._Element) -> bytes:
    """As python-docx writes a part (so the output matches plain docxtpl's)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


class _Pictures:
    """The pictures of one rendering: each Image becomes a drawing in the text, a media part and
    a relationship, numbered after what the template already has (as python-docx numbers them)."""

    def __init__(self, first_rid: int, first_media: int, shape_id: int) -> None:
        self.next_rid, self.next_media = first_rid, first_media
        # python-docx names every picture of a rendering after the template's next free id.
        self.shape_id = shape_id
        self.parts: list[tuple[str, str, bytes]] = []  # (rId, media path, data)
        self.drawings: list[str] = []  # the XML each picture put in the text

    def add(self, image: Image) -> Markup:
        rid, path = f"rId{self.next_rid}", f"word/media/image{self.next_media}.png"
        self.next_rid += 1
        self.next_media += 1
        self.parts.append((rid, path, image.png))
        cx, cy = DocxImage.from_blob(image.png).scaled_dimensions(Mm(image.width_mm), None)
        inline = CT_Inline.new_pic_inline(self.shape_id, rid, "image.png", cx, cy)
        self.drawings.append(inline.xml)
        return Markup("</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r><w:t xml:space=\"preserve\">"
                      % inline.xml)


class PreparedTemplate:
    """One Word template prepared once per process: docxtpl's XML pre-processing done and each
    part (body, headers, footers) compiled into a sandboxed Jinja template; the parts no field
    touches (styles, settings, fonts) kept compressed and copied into every document as they are.

    Rendering applies docxtpl's own post-processing (listing, table fix, docPr ids) to the same
    Jinja output, so documents match plain docxtpl's (tests/test_fastrender.py holds them side by
    side). Pictures are placed here too, as python-docx would place them; no feature of ours
    needs docxtpl's full path."""

    def __init__(self, path: Path) -> None:
        _check_exists(path)
        self.name = path.name
        with _template_errors(self.name, TIME_LIMIT_SECONDS):
            self._prepare(path)

    def _prepare(self, path: Path) -> None:
        helper = DocxTemplate(path)  # for docxtpl's pure XML helpers only; never loaded as a document
        self._helper = helper
        env = sandbox()
        with zipfile.ZipFile(path) as archive:
            entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
        contents = dict(entries)
        rels = etree.fromstring(contents["word/_rels/document.xml.rels"])
        rendered = {"word/document.xml"} | {
            "word/" + r.get("Target") for r in rels if r.get("Type") in _REL_HEADER_FOOTER}
        self._order = [name for name, _ in entries]
        self._kept = {name: member(name, data) for name, data in entries
                      if name not in rendered and name not in ("docProps/core.xml", "[Content_Types].xml",
                                                              "word/_rels/document.xml.rels")}
        self._document = contents["word/document.xml"]
        body = etree.fromstring(self._document).find(f"{{{_W}}}body")
        # The document serialised with a marker for its body, split there: what goes around it.
        root = etree.fromstring(self._document)
        marker = etree.Element("body-marker")
        root.replace(root.find(f"{{{_W}}}body"), marker)
        before, _, after = _serialise(root).partition(b"<body-marker/>")
        self._around = (before, after)
        self._root_nsmap = dict(root.nsmap)
        # Every prefix the body can hold (its own, the root's, and a picture's): kept even where
        # unused, so the clean-up removes repeated declarations only, never a needed one.
        self._prefixes = sorted({p for el in body.iter() for p in el.nsmap if p} | {p for p in root.nsmap if p}
                                | {"a", "pic", "wp", "r"})
        # Splicing is exact when the root declares every namespace the body uses (as Word writes
        # documents); otherwise the body goes into a parsed copy of the document, the general way.
        self._splice = not set(body.nsmap.items()) - set(root.nsmap.items())
        self._templates: dict[str, Any] = {}
        # docxtpl's fix_tables only changes a table whose rows gained or lost cells through column
        # tags; without those tags it is a parse, and a plain parse is what we do.
        self._fix_tables = False
        for name in sorted(rendered):
            part = body if name == "word/document.xml" else etree.fromstring(contents[name])
            xml = helper.xml_to_string(part)
            self._fix_tables = self._fix_tables or bool(re.search(r"\{%-?\s*(tc|colspan|hm|vm)\b", _XML_TAGS.sub("", xml)))
            xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", helper.patch_xml(xml))
            self._templates[name] = env.from_string(xml)
        self._rels = rels
        self._content_types = etree.fromstring(contents["[Content_Types].xml"])
        numbers = [int(r.get("Id")[3:]) for r in rels if r.get("Id", "").startswith("rId") and r.get("Id")[3:].isdigit()]
        self._next_rid = max(numbers, default=0) + 1
        media = [int(m.group(1)) for n in contents if (m := re.fullmatch(r"word/media/image(\d+)\.\w+", n))]
        self._next_media = max(media, default=0) + 1
        ids = [int(v) for v in etree.fromstring(self._document).xpath("//@id") if str(v).isdigit()]
        self._shape_id = max(ids, default=0) + 1

    def render(self, context: Mapping[str, Any], properties: Properties,
               time_limit: float = TIME_LIMIT_SECONDS) -> bytes:
        """The filled document as bytes; raises TemplateError naming the template on any problem."""
        pictures = _Pictures(self._next_rid, self._next_media, self._shape_id)
        values = {key: pictures.add(value) if isinstance(value, Image) else value for key, value in context.items()}
        parts: dict[str, bytes] = {}
        with _template_errors(self.name, time_limit):
            for name, template in self._templates.items():
                xml = self._post_process(template.render(values), pictures.drawings)
                if name == "word/document.xml":
                    parts[name] = self._document_with(xml)
                else:
                    parts[name] = _serialise(etree.fromstring(xml.encode("utf-8")))
        parts["docProps/core.xml"] = _core_xml(properties)
        parts["word/_rels/document.xml.rels"] = self._relationships(pictures)
        parts["[Content_Types].xml"] = self._types(pictures)
        members = []
        for name in self._order:
            members.append(self._kept[name] if name in self._kept else member(name, parts[name], _FILLED_LEVEL))
        members += [member(path, data) for _, path, data in pictures.parts]
        return write_members(members)

    def _post_process(self, xml: str, drawings: list[str]) -> str:
        """docxtpl's render_xml_part, after Jinja. Its resolve_listing (tabs, line and page
        breaks in values) only changes paragraphs whose text holds such a character, so it runs
        on those paragraphs alone: the same result, without a regex pass over every paragraph."""
        # Undo the line breaks prepare put before each paragraph (docxtpl's "\n<w:p" marker).
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # A listing character can only be in the text if it is anywhere outside the pictures'
        # (indented) XML: a quick scan first, so documents without one skip the search for it
        # in each run of text.
        outside = xml
        for drawing in drawings:
            outside = outside.replace(drawing, "")
        if not any(character in outside for character in "\t\n\a\f") or not _LISTING_TEXT.search(xml):
            return xml
        return _PARAGRAPH.sub(lambda m: self._helper.resolve_listing(m.group(0))
                              if _LISTING_TEXT.search(m.group(0)) else m.group(0), xml)

    def _document_with(self, body_xml: str) -> bytes:
        """The template's document element with the rendered body, as docxtpl's map_tree does.
        The parts around the body never change, so they are serialised once (`_around`)."""
        tree = self._helper.fix_tables(body_xml) if self._fix_tables else \
            etree.fromstring(body_xml, parser=etree.XMLParser(recover=True))
        self._helper.__dict__["docx_ids_index"] = 1000
        self._helper.fix_docpr_ids(tree)
        if not self._splice:
            root = etree.fromstring(self._document)
            root.replace(root.find(f"{{{_W}}}body"), tree)
            return _serialise(root)
        before, after = self._around
        # Inside the document, declarations that repeat the root's are dropped (as lxml does when
        # python-docx puts the body in place); do the same on the body alone.
        etree.cleanup_namespaces(tree, top_nsmap=self._root_nsmap, keep_ns_prefixes=self._prefixes)
        body = etree.tostring(tree, encoding="UTF-8")
        # On its own the body declares its namespaces; inside the document (whose root declares
        # them all) python-docx writes a bare <w:body>. Only the declarations go: it has no attributes.
        if not tree.attrib:
            body = b"<w:body>" + body[body.index(b">") + 1:]
        return before + body + after

    def _relationships(self, pictures: _Pictures) -> bytes:
        rels = copy.deepcopy(self._rels)
        for rid, path, _ in pictures.parts:
            etree.SubElement(rels, f"{{{_REL}}}Relationship", Id=rid, Type=_REL_IMAGE,
                             Target=path.removeprefix("word/"))
        return _serialise(rels)

    def _types(self, pictures: _Pictures) -> bytes:
        types = self._content_types
        ns = types.nsmap.get(None, "")
        if pictures.parts and not any(d.get("Extension", "").lower() == "png" for d in types):
            types = copy.deepcopy(types)
            png = etree.Element(f"{{{ns}}}Default", Extension="png", ContentType="image/png")
            # In extension order among the defaults, as python-docx writes them.
            after = [d for d in types if d.tag == f"{{{ns}}}Default" and d.get("Extension", "") < "png"]
            (after[-1].addnext(png) if after else types.insert(0, png))
        return _serialise(types)


def _core_xml(properties: Properties) -> bytes:
    stamp = f"{properties.day.isoformat()}T00:00:00Z"
    text = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(properties.title)}</dc:title><dc:subject>{escape(properties.subject)}</dc:subject>"
        f"<dc:creator>{escape(properties.author)}</dc:creator><dc:language>nl-NL</dc:language>"
        f"<cp:lastModifiedBy>{escape(properties.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<cp:lastPrinted>{stamp}</cp:lastPrinted>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text.encode("utf-8")


class Renderer:
    """Prepares each template on first use and keeps it for the rest of the process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._prepared: dict[str, PreparedTemplate] = {}

    def render(self, template: str, context: Mapping[str, Any], properties: Properties) -> bytes:
        prepared = self._prepared.get(template)
        if prepared is None:
            prepared = self._prepared[template] = PreparedTemplate(self.folder / template)
        return prepared.render(context, properties)
