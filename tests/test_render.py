"""Rendering: the plan van aanpak's content, and templates that cannot hurt or truncate."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from pipeline import documents
from pipeline.batch import Options
from pipeline.batch.case import render_documents
from pipeline.documents import render
from pipeline.documents.render import Renderer
from pipeline.errors import TemplateError
from pipeline.intake.reader import read_workbook
from pipeline.intake.validate import validate

from .conftest import TEMPLATES, write_case

PEILDATUM = date(2025, 6, 1)
PROPS = render.Properties(title="Test", subject="Test", day=date(2025, 2, 19))


def text_of(data: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(BytesIO(data))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def one_line_template(path: Path, line: str) -> Path:
    document = Document()
    document.add_paragraph(line)
    document.save(path)
    return path


def case_from(tmp_path: Path, **kwargs):
    return validate(read_workbook(write_case(tmp_path / "case.xlsx", **kwargs))).case


def plan(tmp_path: Path, **kwargs) -> bytes:
    case = case_from(tmp_path, **kwargs)
    files, _ = render_documents(case, Options(tmp_path, tmp_path / "out", TEMPLATES, PEILDATUM), Renderer(TEMPLATES))
    return files["plan-van-aanpak.docx"]


def test_plan_van_aanpak_holds_what_the_law_asks(tmp_path):
    data = plan(tmp_path, tables={"Bijstellingen": [
        ["Datum", "Wijziging", "Reden", "Visie werkgever", "Visie werknemer"],
        ["01-04-2025", "Opbouw langzamer", "Terugval", "Akkoord", "Akkoord"]]})
    body, tables = text_of(data)
    assert "Re-integratie van Anna de Wit bij Testbedrijf B.V." in body
    assert "Terugkeer in het eigen werk." in body
    assert "Spoor 1: terugkeer in het eigen werk" in body
    assert "Terugkeer is haalbaar." in body and "Ik wil terug." in body
    facts = dict((row[0], row[1]) for row in tables[0])
    assert facts["BSN"] == "123456782"
    assert facts["Eerste ziektedag"] == "6 januari 2025"
    assert facts["Probleemanalyse"] == "5 februari 2025 (week 5)"
    assert facts["Plan van aanpak"] == "19 februari 2025 (week 7)"
    assert ["casemanager", "Carla Case", "Testbedrijf B.V.", ""] in tables[1]
    assert tables[2][1] == ["Opbouw uren", "Anna de Wit", "15 maart 2025"]  # as agreed: no later status
    evaluations = tables[3]
    assert evaluations[1] == ["uiterlijk 2 april 2025", "week 13", "periodieke evaluatie"]
    assert evaluations[-1] == ["17 november 2025 – 4 januari 2026", "week 46-52", "eerstejaarsevaluatie"]
    # The bijstelling of 1 April is a record of its own, not part of the plan of 19 February.
    assert "Opbouw langzamer" not in body + str(tables)
    assert tables[4][1:] == [["Piet Baas", "werkgever, Testbedrijf B.V.", "19 februari 2025", "\n\n"],
                             ["Anna de Wit", "werknemer, Administratief medewerker", "19 februari 2025", "\n\n"],
                             ["Carla Case", "casemanager, Testbedrijf B.V.", "19 februari 2025", "\n\n"]]
    header = Document(BytesIO(data)).sections[0].header.paragraphs[0].text
    assert header == "Plan van aanpak · Anna de Wit · BSN 123456782"


def test_the_plan_is_the_same_with_or_without_later_bijstellingen(tmp_path):
    without = text_of(plan(tmp_path / "zonder"))
    later = text_of(plan(tmp_path / "met", tables={"Bijstellingen": [
        ["Datum", "Wijziging"], ["01-04-2025", "Opbouw langzamer"]]}))
    assert later == without
    assert len(without[1]) == 5


def test_special_characters_survive_and_cell_text_is_never_a_template(tmp_path):
    data = plan(tmp_path, dossier={"Re-integratiedoel": "Werk & zorg <samen> {{ 7*7 }} {% if x %}",
                                   "Werkgever": "Jansen & Zn. \"De <Zon>\""})
    body, _ = text_of(data)
    assert "Werk & zorg <samen> {{ 7*7 }} {% if x %}" in body
    assert "Jansen & Zn. \"De <Zon>\"" in body
    assert "49" not in body
    assert "Ondertekening" in body  # the document is whole, not truncated at the '<'


def test_multi_line_text_keeps_its_lines(tmp_path):
    body, _ = text_of(plan(tmp_path, dossier={"Visie werkgever": "Eerste regel\nTweede regel"}))
    assert "Eerste regel\nTweede regel" in body


def test_same_input_gives_the_same_bytes(tmp_path):
    assert plan(tmp_path / "a") == plan(tmp_path / "b")
    with zipfile.ZipFile(BytesIO(plan(tmp_path / "c"))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2025-02-19T00:00:00" in core


def test_template_reaching_python_internals_is_refused(tmp_path):
    template = one_line_template(tmp_path / "evil.docx", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateError) as err:
        render.render_docx(template, {}, PROPS)
    assert "evil.docx" in str(err.value) and "niet is toegestaan" in str(err.value)


def test_template_with_unknown_variable_is_an_error_not_blank(tmp_path):
    template = one_line_template(tmp_path / "typo.docx", "Beste {{ werknemr }},")
    with pytest.raises(TemplateError, match="typo.docx.*veld dat dit document niet kent.*werknemr"):
        render.render_docx(template, {"werknemer": "Anna"}, PROPS)


def test_template_syntax_error_names_the_template(tmp_path):
    template = one_line_template(tmp_path / "kapot.docx", "{% if werknemer %} zonder einde")
    with pytest.raises(TemplateError, match="kapot.docx: fout in een sjabloon-opdracht"):
        render.render_docx(template, {"werknemer": "Anna"}, PROPS)


ENGLISH = re.compile(r"\b(expected|unexpected|encountered|jinja|innermost|tag|got|statement|template)\b", re.I)


@pytest.mark.parametrize("source, dutch", [
    ("{% if werknemer %} zonder einde", "houdt op terwijl er nog een blok openstaat. Er ontbreekt een afsluitende "
                                        "opdracht: 'elif' of 'else' of 'endif'. Het binnenste open blok is 'if'."),
    ("{% for a in b %}{% if a %}{% endfor %}", "De opdracht 'endfor' bestaat niet of staat op de verkeerde plaats."),
    ("{{ werknemer ", "onverwacht '/' (in de tekst, bij: «{{ werknemer»)"),  # Jinja reads on into Word's XML
    ("{{ werknemer naam }}", "verwacht '}}', maar hier staat 'naam'"),
    ("{{ werknemer ! }}", "onverwacht teken '!'"),
    ("{% %}", "hier hoort de naam van een opdracht"),
    ("{{ }}", "hier hoort een veld of waarde, maar hier staat '}}'"),
    ("{{ werknemer | }}", "verwacht een naam, maar hier staat '}}'"),
])
def test_template_syntax_errors_read_in_dutch(tmp_path, source, dutch):
    template = one_line_template(tmp_path / "kapot.docx", source)
    with pytest.raises(TemplateError) as err:
        render.render_docx(template, {"werknemer": "Anna", "b": []}, PROPS)
    assert dutch in str(err.value)
    assert not ENGLISH.search(str(err.value).split("fout in een sjabloon-opdracht: ", 1)[1])


def test_missing_template_is_a_clear_error(tmp_path):
    with pytest.raises(TemplateError, match="ontbreekt of is geen Word-document"):
        render.render_docx(tmp_path / "weg.docx", {}, PROPS)


def test_every_shipped_template_uses_only_its_documented_context(full_case):
    case = replace(full_case, coach_contact_weeks=None)
    for kind in documents.DOCUMENTS:
        assert kind.missing(case) == []
        for made in kind.files(case, PEILDATUM):
            render.render_docx(TEMPLATES / made.template, made.context(), PROPS)
