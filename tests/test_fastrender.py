"""The prepared (compile-once) renderer against plain docxtpl: the same documents."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from docx import Document

from pipeline import documents
from pipeline.bundle.index import assemble
from pipeline.checks.timeline import check_timeline
from pipeline.documents import render
from pipeline.intake.reader import read_workbook
from pipeline.intake.validate import validate

from .conftest import EXAMPLES, TEMPLATES, write_case

PEILDATUM = date(2026, 11, 23)
PROPS = render.Properties("Titel", "Onderwerp", date(2025, 2, 19))


def contexts(case):
    """(template, context) for every document the case gets, the WIA-bundle index and the
    controlelijst included."""
    made = documents.document_files(case, PEILDATUM)
    result = [(f.template, f.context()) for f in made]
    index = assemble(case, tuple(f.filename for f in made), PEILDATUM)
    timeline = check_timeline(case, PEILDATUM)
    result.append(("wia-bundel.docx", documents.wia_bundel_context(case, index, timeline, PEILDATUM)))
    result.append((documents.CONTROLELIJST, documents.controlelijst_context(case, index, timeline, PEILDATUM)))
    return result


def cases(tmp_path_factory):
    found = [validate(read_workbook(path)).case for path in sorted(EXAMPLES.glob("*.xlsx"))]
    folder = tmp_path_factory.mktemp("fast")
    special = write_case(folder / "special.xlsx", {"Re-integratiedoel": "Werk & zorg <samen> {{ 7*7 }}\nRegel 2",
                                                   "Werkgever": "Jansen & Zn. \"De <Zon>\""})
    found.append(validate(read_workbook(special)).case)
    return found


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    renderer = render.Renderer(TEMPLATES)
    result = []
    for case in cases(tmp_path_factory):
        for template, context in contexts(case):
            fast = renderer.render(template, context, PROPS)
            plain = render.render_docx(TEMPLATES / template, context, PROPS)
            result.append((f"{case.dossiernummer}/{template}", fast, plain))
    return result


def test_every_part_but_the_properties_is_byte_identical(pairs):
    # every document of the three examples and the special case: the full example's 11 (3 bijstellingen,
    # 3 reports), the running case's 4, the early case's and the special case's 1; each with its index
    # and controlelijst. Every template is among them.
    assert len(pairs) == (11 + 2) + (4 + 2) + (1 + 2) + (1 + 2)
    assert {label.split("/")[1] for label, _, _ in pairs} == set(documents.TEMPLATES)
    for label, fast, plain in pairs:
        with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(plain)) as b:
            assert set(a.namelist()) == set(b.namelist()), label
            for name in b.namelist():
                if name != "docProps/core.xml":
                    assert a.read(name) == b.read(name), f"{label}: {name}"


def test_text_tables_and_properties_match(pairs):
    for label, fast, plain in pairs:
        a, b = Document(io.BytesIO(fast)), Document(io.BytesIO(plain))
        assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs], label
        assert [[c.text for r in t.rows for c in r.cells] for t in a.tables] == \
               [[c.text for r in t.rows for c in r.cells] for t in b.tables], label
        for attribute in ("title", "subject", "author", "created", "modified", "revision"):
            assert getattr(a.core_properties, attribute) == getattr(b.core_properties, attribute), (label, attribute)


def test_prepared_renderer_keeps_the_sandbox_and_strictness(tmp_path):
    def template(name: str, line: str) -> render.PreparedTemplate:
        document = Document()
        document.add_paragraph(line)
        document.save(tmp_path / name)
        return render.PreparedTemplate(tmp_path / name)

    with pytest.raises(render.TemplateError, match="kwaad.docx: het sjabloon probeert iets wat niet is toegestaan"):
        template("kwaad.docx", "{{ werknemer.__class__.__mro__ }}").render({"werknemer": "Anna"}, PROPS)
    with pytest.raises(render.TemplateError, match="typo.docx: het sjabloon gebruikt een veld dat dit document"):
        template("typo.docx", "{{ onbekend }}").render({"werknemer": "Anna"}, PROPS)
    with pytest.raises(render.TemplateError, match="traag.docx: het invullen duurde langer dan 1 seconden"):
        template("traag.docx", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
                 ).render({}, PROPS, time_limit=1)


def test_a_body_with_its_own_namespace_still_matches_docxtpl(tmp_path, full_case):
    """A template whose body declares a namespace the root does not takes the general path."""
    source = TEMPLATES / "eindevaluatie.docx"
    target = tmp_path / "eindevaluatie.docx"
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b'<w:body xmlns:eigen="urn:beheerder:eigen">', 1)
            out.writestr(info, data)
    context = documents.EINDEVALUATIE.context(full_case, PEILDATUM)
    fast = render.PreparedTemplate(target).render(context, PROPS)
    plain = render.render_docx(target, context, PROPS)
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(plain)) as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")
