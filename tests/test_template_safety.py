"""Templates that cannot stop or blow up a batch: every run-time error of a template, however it
is made (a division by zero, a wrong type, endless recursion, a value built huge by a filter, a
method, an operator or a format), is that case's Dutch TemplateError within seconds and without
taking the machine's memory; the batch goes on; lint-templates finds it first."""

from __future__ import annotations

import shutil
import time
import tracemalloc
from datetime import date
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from pipeline.cli import cli
from pipeline.documents import render
from pipeline.errors import TemplateError

from .conftest import TEMPLATES, VALID_BSN, write_case

PROPS = render.Properties("t", "s", date(2025, 1, 1))
SECONDS = 10  # each refusal, both renderers together; the time limit of the CPU burns is 1 s each
MEGABYTES = 300  # peak Python memory while refusing; without the guards most of these take gigabytes

TOO_BIG = "wat niet is toegestaan; maak de breedte, het aantal of de herhaling in deze opdracht kleiner"
WIDTH = "een breedte, lengte of aantal van 1.000.000.000 (hoogstens 100.000), " + TOO_BIG
HUGE_TEXT = "het sjabloon maakt een tekst van ten minste"
WRONG_TYPE = "een bewerking past niet bij de soort waarde"

# (what the template does, its one line, what the message says)
RUNTIME_ERRORS = [
    ("division by zero", "Totaal: {{ 10 / 0 }}", "het sjabloon deelt door nul; controleer de deling"),
    ("modulo by zero", "{{ 10 % 0 }}", "het sjabloon deelt door nul"),
    ("text plus number", "{{ 'week ' + 1 }}", WRONG_TYPE),
    ("filter with a wrong argument", "{{ 'tekst'|truncate('tien') }}", WRONG_TYPE),
    ("value of the wrong form", "{{ [1, 2].index(3) }}", "een waarde heeft niet de vorm die deze bewerking verwacht"),
    ("macro calling itself", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
     "het sjabloon herhaalt zichzelf te diep"),
    ("loop over a list holding itself",
     "{% set l = [] %}{{ l.append(l) or '' }}{% for x in l recursive %}{{ loop(x) }}{% endfor %}",
     "het sjabloon herhaalt zichzelf te diep"),
    ("center filter", "{{ 'x'|center(10**9) }}", WIDTH),
    ("filter block", "{% filter center(10**9) %}x{% endfilter %}", WIDTH),
    ("ljust method", "{{ 'ab'.ljust(10**9) }}", WIDTH),
    ("zfill method", "{{ '7'.zfill(10**9) }}", WIDTH),
    ("expandtabs method", "{{ 'a\\tb'.expandtabs(10**9) }}", WIDTH),
    ("to_bytes method", "{{ (1).to_bytes(10**9, 'big') }}", WIDTH),
    ("indent filter", "{{ 'x'|indent(10**9) }}", WIDTH),
    ("indent with a long text", "{{ ('a\\n' * 50000)|indent('b' * 100000) }}", HUGE_TEXT),
    ("batch filter", "{{ range(3)|batch(10**9, 'x')|list }}", WIDTH),
    ("slice filter", "{{ [1]|slice(10**9)|list }}", WIDTH),
    ("range to a list", "{{ range(10**9)|list }}", "range() maakt hier meer dan 100.000 getallen"),
    ("sum over a huge range", "{{ range(10**12)|sum }}", "range() maakt hier meer dan 100.000 getallen"),
    ("repeated joined text", "{{ ('a' ~ 'b') * 10**8 }}", "een tekst of lijst van 200.000.000 elementen"),
    ("doubling with ~", "{% set a = 'x' * 100000 %}" + "".join(
        f"{{% set {n} = {p} ~ {p} %}}" for p, n in zip("abcdefghij", "bcdefghijk")) + "{{ k }}", HUGE_TEXT),
    ("doubling a list with +", "{% set ns = namespace(l=[0] * 100000) %}"
     "{% for i in range(20) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", "een lijst van 1.600.000 elementen"),
    ("extending a list in a loop", "{% set l = [] %}{% for i in range(100000) %}{{ l.extend(l + [i]) }}{% endfor %}",
     "een lijst van 1.048.575 elementen"),
    ("printf width in the format filter", "{{ '%999999999s'|format(1) }}",
     "een breedte of precisie van 999.999.999 (hoogstens 100.000)"),
    ("printf width from the arguments", "{{ '%*d'|format(10**9, 1) }}", "een breedte of precisie van 1.000.000.000"),
    ("many wide fields", "{{ ('%99999s' * 14000)|format(*range(14000)) }}", HUGE_TEXT),
    ("printf operator", "{{ '%s' % (['x' * 100000] * 100000,) }}", HUGE_TEXT),
    ("str.format width", "{{ '{:>999999999}'.format(1) }}", "een breedte of precisie van 999.999.999"),
    ("str.format nested width", "{{ '{0:{1}}'.format(1, 10**9) }}", "een breedte of precisie van 1.000.000.000"),
    ("replace explosion", "{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}", HUGE_TEXT),
    ("replace method explosion", "{% set s = 'x' * 100000 %}{{ s.replace('x', s) }}", HUGE_TEXT),
    ("translate explosion", "{{ ('x' * 100000).translate({120: 'y' * 100000}) }}", HUGE_TEXT),
    ("join over a huge range", "{{ range(100000)|join('x' * 100000) }}", HUGE_TEXT),
    ("join method", "{{ ('x' * 100000).join(['a'] * 100000) }}", HUGE_TEXT),
    ("wordwrap", "{{ ('x ' * 50000)|wordwrap(1, wrapstring='y' * 100000) }}", HUGE_TEXT),
    ("tojson indent", "{{ range(100000)|list|tojson(indent=100000) }}", HUGE_TEXT),
    ("a list printed as text", "{% set l = ['x' * 100000] * 100000 %}{{ l }}", HUGE_TEXT),
    ("nested lists printed by a filter", "{% set a = ['x' * 100000] %}" + "".join(
        f"{{% set {n} = [{p}" + f",{p}" * 9 + "] %}" for p, n in zip("abcd", "bcde")) + "{{ e|string }}", HUGE_TEXT),
    ("a long text made a list", "{% set a = 'x' * 100000 %}{% set b = a ~ a ~ a ~ a ~ a %}"
     "{% set c = b ~ b ~ b ~ b %}{{ c|list|length }}", "een lijst van 2.000.000 elementen"),
    ("a long text spread over arguments", "{% set a = 'x' * 100000 %}{% set b = a ~ a ~ a ~ a ~ a %}"
     "{% set c = b ~ b ~ b ~ b %}{{ cycler(*c) }}", "een lijst van 2.000.000 elementen"),
    ("lipsum", "{{ lipsum(10**6) }}", "lipsum() met meer dan 100 alinea's"),
    ("round to a huge precision", "{{ (10**100)|round(-10**9) }}", "afronden op -1.000.000.000 cijfers"),
    ("huge exponent", "{{ 2 ** 100000 }}", "een macht met exponent 100000"),
    ("repeated powers", "{{ ((((10**100)**100)**100)**100) }}", "een getal van meer dan 30.000 cijfers"),
    ("repeated squaring", "{% set x = 10**100 %}" + "{% set x = x * x %}" * 12 + "{{ x }}",
     "een getal van meer dan 30.000 cijfers"),
    ("number too large for a float", "{{ ((10**100)**4)|filesizeformat }}",
     "het sjabloon rekent met een getal dat te groot is"),
    ("new texts built in a loop", "{% set s = 'x' * 100000 %}{% for i in range(100000) %}{% set t = s ~ i %}"
     "{% endfor %}", "tussenresultaten van samen meer dan 100 MB"),
    ("new texts kept in a list", "{% set ns = namespace(l=[]) %}{% for i in range(100000) %}"
     "{% set ns.l = ns.l + ['x' * 100000 ~ i] %}{% endfor %}", "tussenresultaten van samen meer dan 100 MB"),
    ("a loop writing forever", "{% set s %}{{ 'x' * 60000 }}{% endset %}{% for i in range(100000) %}"
     "{% for j in range(100000) %}{{ s }}{% endfor %}{% endfor %}",
     "een ingevuld onderdeel van meer dan 50.000.000 tekens"),
    ("CPU burn in nested loops", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "het invullen duurde langer dan 1 seconden en is gestopt"),
    ("CPU burn in a doubling macro",
     "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% endif %}{% endmacro %}{{ d(60) }}",
     "het invullen duurde langer dan 1 seconden en is gestopt"),
]


def template(path: Path, line: str, *, header: str = "Koptekst") -> Path:
    document = Document()
    document.sections[0].header.paragraphs[0].text = header
    document.add_paragraph("Plan van aanpak")
    document.add_paragraph(line)
    document.save(path)
    return path


def refusal(path: Path, context: dict, renderer: str) -> str:
    """The message of the TemplateError that filling `path` gives, with the prepared renderer
    (what the batch uses) or plain docxtpl."""
    with pytest.raises(TemplateError) as err:
        if renderer == "prepared":
            render.PreparedTemplate(path).render(context, PROPS, time_limit=1)
        else:
            render.render_docx(path, context, PROPS, time_limit=1)
    return str(err.value)


@pytest.mark.parametrize("line, expected", [case[1:] for case in RUNTIME_ERRORS],
                         ids=[case[0] for case in RUNTIME_ERRORS])
def test_a_runtime_error_in_a_template_is_a_dutch_template_error(tmp_path, line, expected):
    path = template(tmp_path / "plan-van-aanpak.docx", line)
    tracemalloc.start()
    started = time.monotonic()
    try:
        messages = [refusal(path, {}, renderer) for renderer in ("prepared", "plain")]
        seconds = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    prepared, plain = messages
    assert prepared.startswith("Sjabloon plan-van-aanpak.docx: ")
    assert expected in prepared
    assert "in de tekst" in prepared  # the part, and the paragraph where it can be named
    if "ingevuld onderdeel" not in expected:
        assert f"bij: «{' '.join(line.split())[:100]}" in prepared
    assert "Traceback" not in prepared and "File \"" not in prepared
    assert plain == prepared  # plain docxtpl, with the same sandbox, says the same
    assert seconds < SECONDS
    assert peak < MEGABYTES


def test_what_an_iterator_gives_is_counted_as_it_is_read(tmp_path, monkeypatch):
    """batch, map, select... give their items one by one: a list of them stops at the limit
    (here made small, so the test reads a thousand items instead of a million)."""
    monkeypatch.setattr(render, "MAX_ITEMS", 1000)
    path = template(tmp_path / "sollicitatieoverzicht.docx", "{{ ('x' * 5000)|batch(1)|list|length }}")
    assert "het sjabloon maakt een lijst van 1.001 elementen (hoogstens 1.000)" in refusal(path, {}, "prepared")
    path = template(tmp_path / "eindevaluatie.docx", "{{ dict(('ab' * 5000)|batch(2)) }}")
    assert "het sjabloon maakt een lijst van 1.001 elementen (hoogstens 1.000)" in refusal(path, {}, "prepared")


def test_the_message_names_the_header_when_the_error_is_there(tmp_path):
    path = template(tmp_path / "trajectplan.docx", "Gewone tekst", header="Blad {{ 1 // 0 }}")
    message = refusal(path, {}, "prepared")
    assert message == ("Sjabloon trajectplan.docx: het sjabloon deelt door nul; controleer de deling (/, // of %) "
                       "in deze opdracht (in de koptekst, bij: «Blad {{ 1 // 0 }}»)")


def test_no_bsn_in_a_template_error(tmp_path):
    path = template(tmp_path / "wia-bundel.docx", "BSN {{ ['x'].index(bsn) }}")
    message = refusal(path, {"bsn": VALID_BSN}, "prepared")
    assert "een waarde heeft niet de vorm" in message
    assert VALID_BSN not in message


def test_ordinary_use_of_filters_methods_and_operators_still_works(tmp_path):
    """The limits are far from what a real template does with them."""
    line = ("{{ '%05.2f'|format(3.14159) }}|{{ '%d uur' % 32 }}|{{ '{:,}'.format(1234567) }}|{{ 'a'|center(5) }}|"
            "{{ namen|join(', ') }}|{{ 'Jan'|replace('J', 'j') }}|{{ 3 * 4 }}|{{ 2 ** 10 }}|{{ 'week ' ~ 8 }}|"
            "{{ ([1, 2] + [3])|length }}|{{ ('-' * 10) }}|{{ naam.upper() }}|{{ naam.ljust(6, '.') }}|"
            "{{ range(3)|batch(2)|list|length }}|{{ 7.456|round(1) }}|{{ lijst }}|{{ {'a': 1}|tojson }}")
    path = template(tmp_path / "gewoon.docx", line)
    context = {"namen": ["Anna", "Piet"], "naam": "Anna", "lijst": [1, 2]}
    for data in (render.PreparedTemplate(path).render(context, PROPS), render.render_docx(path, context, PROPS)):
        text = Document(BytesIO(data)).paragraphs[1].text
        assert text == ('03.14|32 uur|1,234,567|  a  |Anna, Piet|jan|12|1024|week 8|3|----------|ANNA|Anna..|2|7.5|'
                        '[1, 2]|{"a": 1}')


def test_a_broken_template_fails_every_case_and_the_batch_finishes(folders, tmp_path):
    input_dir, output_dir = folders
    templates = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, templates)
    plan = Document(templates / "plan-van-aanpak.docx")
    plan.add_paragraph("Breed: {{ werknemer|center(10**9) }}")
    plan.save(templates / "plan-van-aanpak.docx")
    for number in ("SJ-1", "SJ-2", "SJ-3"):
        write_case(input_dir / f"{number}.xlsx", {"Dossiernummer": number})
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["run", "--input", str(input_dir), "--output", str(output_dir),
                                      "--templates", str(templates), "--peildatum", "2025-03-01"])
    assert time.monotonic() - started < 60
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    rows = list(openpyxl.load_workbook(output_dir / "batchrapport.xlsx")["Overzicht"].iter_rows(min_row=2,
                                                                                                values_only=True))
    assert [(row[1], row[2]) for row in rows] == [("SJ-1", "fouten"), ("SJ-2", "fouten"), ("SJ-3", "fouten")]
    for row in rows:
        assert ("Sjabloon plan-van-aanpak.docx: het sjabloon maakt een breedte, lengte of aantal van 1.000.000.000 "
                "(hoogstens 100.000), wat niet is toegestaan") in row[6]
        assert "bij: «Breed: {{ werknemer|center(10**9) }}»" in row[6]
    assert not list(output_dir.glob("SJ-*"))  # a case with errors gets no documents


@pytest.mark.parametrize("line, expected", [
    ("Per week: {{ werknemer|length / 0 }}", "het sjabloon deelt door nul"),
    ("{{ werknemer|center(10**9) }}", "een breedte, lengte of aantal van 1.000.000.000"),
    ("{% for a in afspraken %}{{ a.wat + 1 }}{% endfor %}", WRONG_TYPE),
])
def test_lint_fills_each_template_and_reports_its_runtime_error(tmp_path, line, expected):
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    document = Document(folder / "plan-van-aanpak.docx")
    document.add_paragraph(line)
    document.save(folder / "plan-van-aanpak.docx")
    result = CliRunner().invoke(cli, ["lint-templates", "--templates", str(folder)])
    assert result.exit_code == 1
    assert "plan-van-aanpak.docx: bij het invullen met het voorbeelddossier: " in result.output
    assert expected in result.output
    assert f"bij: «{line}»" in result.output
    assert "9 sjablonen gecontroleerd, 1 probleem." in result.output


def test_lint_asks_for_rows_kept_whole_and_alternative_text_on_pictures(tmp_path):
    """An administrator's table in Word splits over pages by default, and a picture pasted in has
    no description: lint says so, in Dutch, with where to change it in Word."""
    folder = tmp_path / "sjablonen"
    shutil.copytree(TEMPLATES, folder)
    document = Document(folder / "plan-van-aanpak.docx")
    document.add_table(rows=2, cols=2)
    picture = BytesIO()
    from PIL import Image
    Image.new("RGB", (4, 4), "white").save(picture, "PNG")
    document.add_picture(picture)
    drawing = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
    for properties in document.element.body.iter(f"{{{drawing}}}docPr"):
        properties.attrib.pop("descr", None)
    document.save(folder / "plan-van-aanpak.docx")
    result = CliRunner().invoke(cli, ["lint-templates", "--templates", str(folder)])
    assert result.exit_code == 1
    assert ("plan-van-aanpak.docx (document.xml): 2 tabelrijen kunnen over twee pagina's breken; zet in Word bij "
            "Tabeleigenschappen, tabblad Rij, het afbreken van rijen over pagina's uit") in result.output
    assert "plan-van-aanpak.docx (document.xml): 1 afbeelding heeft geen alternatieve tekst" in result.output
    assert "9 sjablonen gecontroleerd, 2 problemen." in result.output


@pytest.mark.parametrize("line", [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro d(n) %}{% if n %}{{ d(n - 1) }}{{ d(n - 1) }}{% endif %}{% endmacro %}{{ d(60) }}",
])
def test_time_limit_holds_without_sigalrm_as_on_windows(tmp_path, monkeypatch, line):
    """Windows has no SIGALRM: the sandbox's own clock stops the template (simulated here by
    removing SIGALRM from the signal module the renderer uses)."""
    import types

    no_alarm = types.SimpleNamespace(**{k: v for k, v in vars(render.signal).items()
                                        if k not in ("SIGALRM", "setitimer", "ITIMER_REAL")})
    monkeypatch.setattr(render, "signal", no_alarm)
    path = template(tmp_path / "traag.docx", line)
    started = time.monotonic()
    with pytest.raises(TemplateError, match="het invullen duurde langer dan 1 seconden en is gestopt"):
        render.PreparedTemplate(path).render({}, PROPS, time_limit=1)
    assert time.monotonic() - started < 15
