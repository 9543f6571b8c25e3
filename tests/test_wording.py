"""Wording: one term per concept (docs/begrippen.md) and the writing rules, in what users read.

Four sources are read: the text of the Word templates; every document the shipped examples give;
the messages (the findings of the checks on the examples at many peildatums, and the Dutch string
literals of the modules that write messages); and the user documentation. Each is searched for the
terms the glossary says not to use, plurals written as "(en)", brackets inside brackets, two
colons in one sentence, words in capitals, and (in the documents) placeholders such as "niet
bekend" where a field was left empty.
"""

from __future__ import annotations

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document

from pipeline import dutch

from .conftest import EXAMPLES, ROOT, TEMPLATES, write_case
from .test_batch import run

GLOSSARY = ROOT / "docs" / "begrippen.md"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xlsx"))

# The modules whose string literals are messages or document text (charts and the renderer excepted).
MESSAGE_MODULES = sorted(
    [*ROOT.glob("pipeline/checks/*.py"), *ROOT.glob("pipeline/intake/*.py"), ROOT / "pipeline/cli.py",
     ROOT / "pipeline/dutch.py", *ROOT.glob("pipeline/documents/*.py")])
NOT_MESSAGES = {"charts.py", "render.py", "__init__.py"}

# Placeholders: what a document shows instead of an empty field. A document says why in a sentence.
PLACEHOLDERS = ("niet opgegeven", "niet bekend", "nog niet vastgelegd", "nog niet bepaald", "onbekend")

# Words written in capitals by convention (XML declarations, make variables, signals, character
# sets, Excel's Dutch WAAR/ONWAAR, the usage words of the command line); anything else of four
# capitals or more shouts.
ABBREVIATIONS = {"DOCTYPE", "ENTITY", "XLSX", "DOCX", "JJJJ", "ARGS", "BESTAND", "SIGTERM", "ANSI", "README", "WAAR",
                 "ONWAAR", "OPDRACHT", "ARGUMENTEN", "OPTIES"}

_PLURAL = re.compile(r"\w\((?:en|s|n|pen|ren)\)")
_CAPITALS = re.compile(r"\b[A-ZÀ-Ý]{4,}\b")
_COLON = re.compile(r":(?=\s|$)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}")


def glossary_terms() -> list[str]:
    """The third column of the glossary table, term by term."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("Begrip", "---"):
            terms += [t.strip().strip("`\"") for t in cells[2].split(",") if t.strip()]
    return terms


TERMS = glossary_terms()


def faults(text: str, placeholders: bool = False) -> list[str]:
    """What breaks the glossary or the writing rules in `text`, one finding per fault."""
    found = []
    for line in text.splitlines():
        lowered = line.casefold()
        found += [f"'{term}' (zie docs/begrippen.md): {line}" for term in TERMS
                  if re.search(rf"(?<![\w-]){re.escape(term.casefold())}(?![\w-])", lowered)]
        found += [f"meervoud met haakjes: {line}" for _ in _PLURAL.finditer(line)]
        if _nested(line):
            found.append(f"haakjes binnen haakjes: {line}")
        found += [f"hoofdletters '{word}': {line}" for word in _CAPITALS.findall(line) if word not in ABBREVIATIONS]
        found += [f"twee dubbele punten in één zin: {sentence}" for sentence in _SENTENCE_END.split(line)
                  if len(_COLON.findall(sentence)) > 1]
        if placeholders:
            found += [f"invulplek '{p}': {line}" for p in PLACEHOLDERS
                      if re.search(rf"(?<!\w){p}(?!\w)", lowered)]
    return found


def _nested(line: str) -> bool:
    depth = 0
    for ch in line:
        if ch == "(":
            depth += 1
            if depth > 1:
                return True
        elif ch == ")":
            depth = max(depth - 1, 0)
    return False


def test_the_scanner_finds_each_fault():
    """The rules themselves: each fault of the issue is found, and its correct form is not."""
    assert faults("2 bijstelling(en) en 3 dossier(s)")
    assert faults("Sinds de start (3 november 2025 (week 88)).")
    assert faults("Stand op 10 juni 2026") and faults("Indicatie loon") and faults("Ahmed, loopbaancoach")
    assert faults("Verlies aan verdiencapaciteit") and faults("Re-integratieplan voor Anna")
    assert faults("Week 68: 1 sollicitatie; afgeweken op 3 maart: vakantie.")
    assert faults("NIET GEHAALD") and faults("GEEN BEWIJS")
    assert faults("Geboortedatum niet bekend", placeholders=True)
    assert faults("BSN niet opgegeven", placeholders=True)
    assert not faults("Indicatie maandloon; Stand per 10 juni 2026; trajectplan; re-integratiecoach; loonverlies; "
                      "verdienmogelijkheden; op 3 november 2025 (week 88). Toelichting: vakantie. UWV en WIA.")
    assert not faults("Week 68 (22–28 juni 2026): 1 sollicitatie. Toelichting: vakantie.", placeholders=True)


def test_a_period_names_its_month_and_year_once():
    assert dutch.period(date(2026, 3, 11), date(2026, 3, 12)) == "11–12 maart 2026"
    assert dutch.period(date(2026, 3, 30), date(2026, 4, 2)) == "30 maart – 2 april 2026"
    assert dutch.period(date(2025, 12, 29), date(2026, 1, 4)) == "29 december 2025 – 4 januari 2026"
    assert dutch.period(date(2026, 3, 11), date(2026, 3, 11)) == "11 maart 2026"


def paragraphs(document) -> list[str]:
    """Every paragraph of a document, page headers and footers and table cells included."""
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    texts = []
    for part in parts:
        for p in part.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            texts.append("".join(t.text or "" for t in p.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    return [t for t in texts if t.strip()]


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.docx")), ids=lambda p: p.name)
def test_template_text_follows_the_glossary(template):
    text = "\n".join(_TAG.sub("X", p) for p in paragraphs(Document(str(template))))
    assert faults(text) == []


@pytest.fixture(scope="module")
def example_documents(tmp_path_factory) -> dict[str, list[str]]:
    """Every document of the three examples, as their paragraphs ('case/file': [...])."""
    import shutil

    tmp = tmp_path_factory.mktemp("wording")
    shutil.copytree(EXAMPLES, tmp / "input")
    result = run(tmp / "input", tmp / "output", peildatum="2026-11-26")
    assert result.exit_code == 0, result.output
    return {f"{path.parent.name}/{path.name}": paragraphs(Document(str(path)))
            for path in sorted((tmp / "output").glob("*/*.docx"))}


def test_every_example_document_is_checked(example_documents):
    full = [name for name in example_documents if name.startswith("DOS-2025-014/")]
    assert len(full) == 13 and "DOS-2025-014/eindevaluatie.docx" in full
    assert any(name.startswith("DOS-2026-007/") for name in example_documents)


def test_example_documents_follow_the_glossary_and_hold_no_placeholders(example_documents):
    problems = {name: faults("\n".join(text), placeholders=True) for name, text in example_documents.items()}
    assert {name: found for name, found in problems.items() if found} == {}


def test_without_a_birth_date_or_bsn_the_lines_are_left_out(folders):
    """An optional field left empty leaves its line out: the table row, and the BSN in the page header."""
    input_dir, output_dir = folders
    write_case(input_dir / "leeg.xlsx", {"BSN": None, "Geboortedatum": None})
    assert run(input_dir, output_dir).exit_code == 0
    document = Document(str(output_dir / "T-001" / "plan-van-aanpak.docx"))
    text = "\n".join(paragraphs(document))
    assert "BSN" not in text and "Geboortedatum" not in text and "Werknemer" in text
    assert faults(text, placeholders=True) == []
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert header.startswith("Plan van aanpak · Anna de Wit\n")


def test_with_a_bsn_the_header_and_table_show_it(folders):
    input_dir, output_dir = folders
    write_case(input_dir / "vol.xlsx", {"Geboortedatum": date(1980, 5, 1)})
    assert run(input_dir, output_dir).exit_code == 0
    document = Document(str(output_dir / "T-001" / "plan-van-aanpak.docx"))
    assert "Plan van aanpak · Anna de Wit · BSN 123456782" in document.sections[0].header.paragraphs[0].text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["BSN"] == "123456782" and facts["Geboortedatum"] == "1 mei 1980"


def example_findings() -> list[str]:
    """The messages of the checks on the three examples, every four weeks from week 1 to week 110."""
    from pipeline.checks.timeline import check_timeline
    from pipeline.intake.reader import read_workbook
    from pipeline.intake.validate import validate

    messages = set()
    for path in EXAMPLE_FILES:
        validated = validate(read_workbook(path))
        messages.update(f.message for f in validated.findings)
        case = validated.case
        for week in range(1, 111, 4):
            day = case.first_sick_day + timedelta(weeks=week)
            messages.update(f.message for f in check_timeline(case, day).findings)
            messages.update(d.what for d in check_timeline(case, day).deadlines)
    return sorted(messages)


def test_messages_of_the_checks_follow_the_glossary():
    messages = example_findings()
    assert len(messages) > 40  # the sweep reaches many rules, late and missing alike
    assert {m: faults(m) for m in messages if faults(m)} == {}


def literals(path: Path) -> list[str]:
    """The Dutch string literals of a module: plain strings and f-strings ({} for each value),
    without docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append(node.value)
    return [text for text in found if " " in text]


@pytest.mark.parametrize("module", [p for p in MESSAGE_MODULES if p.name not in NOT_MESSAGES],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_message_source_follows_the_glossary(module):
    problems = [f for text in literals(module) for f in faults(text)
                if not f.startswith("twee dubbele punten")]  # a literal is a piece of a sentence
    assert problems == []


# The glossary itself names the words not to use.
PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p != GLOSSARY)]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_documentation_follows_the_glossary(page):
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"`[^`]*`", "X", text)  # code, names and rule keys stay as written
    text = re.sub(r"keuze: [^|]*", "keuze", text)  # a column's choices are the contract's values
    problems = [f for f in faults(text) if not f.startswith(("twee dubbele punten", "haakjes"))]
    assert problems == []


def test_the_glossary_is_linked_from_the_readme_and_the_docs():
    assert "docs/begrippen.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "begrippen.md" in (ROOT / "docs" / "werkmap.md").read_text(encoding="utf-8")
    assert {"re-integratieplan", "loopbaancoach", "verlies aan verdiencapaciteit", "Indicatie loon",
            "Stand op"} <= set(TERMS)


def test_documents_say_how_they_round(example_documents):
    """One rounding rule, described where it is used: the share rounded down, the loss rounded up."""
    text = "\n".join(example_documents["DOS-2025-014/eindevaluatie.docx"])
    assert "naar beneden afgerond op 0,1 %" in text and "100 % min dat deel, dus naar boven afgerond" in text
    assert "87,0 %" in text and "loonverlies van 13,0 %" in text
