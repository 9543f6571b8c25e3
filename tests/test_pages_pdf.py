"""The printed pages: every document of the three examples made into PDF by LibreOffice, as
`--pdf` does, and read back page by page (poppler's pdftotext, with each word's place). A long
word is never cut at a line end without a hyphen, no table row is split over two pages, and no
heading is left alone at the foot of a page. (What the XML asks for: tests/test_layout.py.)

Skipped, with the reason, where LibreOffice or pdftotext is missing; .ci/run installs both, with
the Dutch hyphenation patterns LibreOffice needs."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from .test_layout import HEADINGS, lead_ins, style_of, w
from .test_layout import generated as generated  # the examples' documents, made once per module

pytestmark = [
    pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                       reason="LibreOffice is not installed (.ci/run installs it): the printed pages are not checked"),
    pytest.mark.skipif(not shutil.which("pdftotext"),
                       reason="pdftotext is not installed (Debian: poppler-utils; .ci/run installs it): "
                              "the printed pages are not checked"),
]

XHTML = "{http://www.w3.org/1999/xhtml}"
HYPHENS = ("-", "\u00ad", "\u2010", "\u2011")
PUNCTUATION = ".,;:!?()[]'\"«»“”‘’"
FOOTER = re.compile(r"pagina \d+ van \d+")
ADDRESS = re.compile(r"@|://|^www\.")  # an e-mail or web address
LONG = 12  # letters: a word this long may need hyphenating in a narrow column


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def top(self) -> float:
        return min(word.y0 for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.y1 for word in self.words)

    @property
    def left(self) -> float:
        return self.words[0].x0


@dataclass(frozen=True)
class Page:
    height: float
    lines: tuple[Line, ...]


def pages_of(pdf: bytes, folder: Path, name: str) -> list[Page]:
    source, target = folder / f"{name}.pdf", folder / f"{name}.html"
    source.write_bytes(pdf)
    subprocess.run(["pdftotext", "-bbox-layout", str(source), str(target)], check=True, timeout=60)
    root = etree.parse(str(target)).getroot()
    pages = []
    for page in root.iter(f"{XHTML}page"):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            words = tuple(Word(el.text or "", *(float(el.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
                          for el in line.iter(f"{XHTML}word"))
            if words:
                lines.append(Line(words))
        pages.append(Page(float(page.get("height")), tuple(lines)))
    return pages


def paragraphs(docx: bytes) -> list[etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return list(root.iter(w("p")))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(w("t")))


def tokens(text: str) -> list[str]:
    return [t.strip(PUNCTUATION) for t in text.split() if t.strip(PUNCTUATION)]


@pytest.fixture(scope="module")
def printed(generated, tmp_path_factory) -> dict[str, tuple[bytes, list[Page]]]:
    """Each generated document with its pages, converted in one go as a case's documents are."""
    from pipeline.bundle import pdf

    folder = tmp_path_factory.mktemp("pages")
    flat = {name.replace("/", "--"): data for name, data in generated.items()}
    try:
        converted = pdf.convert(flat)
    finally:
        pdf.stop()  # the LibreOffice kept running for the conversion is not needed after it
    return {name: (generated[name], pages_of(converted[Path(key).stem + ".pdf"], folder, Path(key).stem))
            for name, key in zip(generated, flat)}


def test_every_document_was_printed(printed):
    assert len(printed) >= 20
    assert all(pages for _, pages in printed.values())


def dutch_hyphenation() -> bool:
    """Whether LibreOffice has the Dutch hyphenation patterns: on Linux a separate package
    (Debian: hyphen-nl); LibreOffice for Windows and macOS brings them."""
    if not sys.platform.startswith("linux"):
        return True
    office = Path(os.path.realpath(shutil.which("soffice") or shutil.which("libreoffice") or "/")).parent.parent
    places = [Path("/usr/share/hyphen"), office / "share" / "extensions" / "dict-nl"]
    return any(place.is_dir() and any(place.glob("hyph_nl*.dic")) for place in places)


def test_no_long_word_is_cut_without_a_hyphen(printed):
    """A word at a line end and the start of the next line in the same column that together make
    one word of the document: the break must show a hyphen ('Klantcontact-' / 'medewerker')."""
    if not dutch_hyphenation():
        pytest.skip("LibreOffice has no Dutch hyphenation patterns (Debian: hyphen-nl; .ci/run installs it)")
    cut, long_words = [], 0
    for name, (docx, pages) in printed.items():
        words = {t for p in paragraphs(docx) for t in tokens(text_of(p)) if len(t) >= LONG}
        long_words += len(words)
        for number, page in enumerate(pages, 1):
            for line in page.lines:
                end = line.words[-1]
                height = line.bottom - line.top
                for below in page.lines:
                    if not (line.bottom - 1 <= below.top <= line.bottom + height) or abs(below.left - line.left) > 2:
                        continue
                    head = end.text.lstrip(PUNCTUATION)
                    rest = below.words[0].text.rstrip(PUNCTUATION)
                    if head and rest and not head.endswith(HYPHENS) and head + rest in words:
                        cut.append(f"{name} p. {number}: {head}|{rest}")
    assert long_words >= 200
    assert not cut, "words cut without a hyphen:\n" + "\n".join(cut)


def test_e_mail_addresses_and_web_addresses_are_never_broken(printed):
    """An address is shown whole on one line: a break, and surely a hyphen added in it, would
    change the address a reader types."""
    broken, addresses = [], 0
    for name, (docx, pages) in printed.items():
        wanted = Counter(t for p in paragraphs(docx) for t in tokens(text_of(p)) if ADDRESS.search(t))
        shown = Counter(word.text.strip(PUNCTUATION) for page in pages for line in page.lines for word in line.words)
        addresses += sum(wanted.values())
        broken += [f"{name}: {address}" for address, count in sorted(wanted.items()) if shown[address] < count]
    assert addresses >= 8
    assert not broken, "addresses broken over two lines:\n" + "\n".join(broken)


def table_rows(docx: bytes) -> list[list[str]]:
    """The text of each cell of every table row that is not a repeated header row."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return [[text_of(cell) for cell in row.findall(w("tc"))] for row in root.iter(w("tr"))
            if row.find(f"{w('trPr')}/{w('tblHeader')}") is None]


def test_no_table_row_is_split_over_two_pages(printed):
    """Each row's words that occur once in the document and once in the PDF are all on one page
    (a row that is split has its first lines on one page, the rest on the next)."""
    split, checked = [], 0
    for name, (docx, pages) in printed.items():
        in_document = Counter(t for p in paragraphs(docx) for t in tokens(text_of(p)))
        page_of: dict[str, list[int]] = {}
        for number, page in enumerate(pages, 1):
            for line in page.lines:
                for word in line.words:
                    page_of.setdefault(word.text.strip(PUNCTUATION), []).append(number)
        for row in table_rows(docx):
            found = {}  # cell index -> pages of its unique words
            for index, cell in enumerate(row):
                for token in tokens(cell):
                    if len(token) >= 3 and in_document[token] == 1 and len(page_of.get(token, [])) == 1:
                        found.setdefault(index, set()).update(page_of[token])
            if len(found) >= 2:
                checked += 1
                on = set().union(*found.values())
                if len(on) > 1:
                    split.append(f"{name}: row {' | '.join(c[:30] for c in row)!r} on pages {sorted(on)}")
    assert checked >= 60
    assert not split, "rows split over two pages:\n" + "\n".join(split)


def test_no_heading_or_lead_in_line_ends_a_page(printed):
    """A heading, or the line that leads into a table or a chart, is never the last line above
    the footer: it stays with what it heads."""
    alone, kept_seen = [], 0
    for name, (docx, pages) in printed.items():
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            body_element = etree.fromstring(archive.read("word/document.xml")).find(w("body"))
        headings = [p for p in body_element.iter(w("p")) if style_of(p) in HEADINGS]
        kept = {" ".join(text_of(p).split()) for p in headings + lead_ins(body_element) if text_of(p).strip()}
        kept_seen += len(kept)
        cells = [cell for row in table_rows(docx) for cell in row]
        for number, page in enumerate(pages[:-1], 1):
            body = [line for line in page.lines if not FOOTER.search(line.text)]
            if not body:
                continue
            last = max(body, key=lambda line: line.bottom).text
            if last not in kept and any(" ".join(cell.split()).endswith(last) for cell in cells):
                continue  # the end of a table cell ('Werkpad Re-|integratie'), not of a heading
            if any(paragraph.endswith(last) and (len(last) >= 8 or paragraph == last) for paragraph in kept):
                alone.append(f"{name} p. {number}: {last!r}")
    assert kept_seen >= 150
    assert not alone, "kept with what follows, yet alone at the foot of a page:\n" + "\n".join(alone)


def test_no_document_ends_on_a_blank_page(printed):
    """A table that fills its page must not push the empty paragraph Word needs after it onto a
    page of its own: the last page holds more than the page header (two lines) and the footer."""
    blank = [name for name, (_docx, pages) in printed.items()
             if len([line for line in pages[-1].lines if not FOOTER.search(line.text)]) <= 2]
    assert not blank, "ends on a blank page: " + ", ".join(blank)
