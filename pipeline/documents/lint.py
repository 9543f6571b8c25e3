"""`lint-templates`: check the Word templates an administrator edited, before a batch runs.

Per template it reports Jinja syntax errors, tags that Word split over formatting runs, fields
the document's context does not have (with a "bedoelt u"), and attempts to reach Python
internals, each with the template, its part and the text around the problem. A template without
those is then filled with its documented context, inside the batch's own guards (sandbox, size
limits, time limit), so what would go wrong at run time (a division by zero, a filter with the
wrong arguments, a value built too big) is reported too. The documented context comes from
`sample.sample_case()`, so every field a real document has is known.
"""

from __future__ import annotations

import difflib
import html
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, nodes

from .. import documents
from ..bundle.index import BUNDLE_DOCUMENT, assemble
from ..checks.timeline import check_timeline
from ..errors import TemplateError
from . import render
from .sample import sample_case

_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_XML = re.compile(r"<[^>]+>")
_UNKNOWN = object()  # a value the checker cannot follow (set by the template itself)
_UNSAFE = object()  # what an unsafe attribute would give: reported once, not again down the chain
_PEILDATUM = date(2026, 11, 23)


@dataclass(frozen=True)
class Problem:
    template: str
    part: str
    message: str
    near: str = ""

    def __str__(self) -> str:
        where = f"{self.template} ({self.part})" if self.part else self.template
        return f"{where}: {self.message}" + (f"\n    bij: «{self.near}»" if self.near else "")


def contexts() -> dict[str, dict[str, Any]]:
    """Template file name -> a full context of that document, from the sample case (for a kind
    that makes several files, its first)."""
    case = sample_case(applications=4)
    made = documents.document_files(case, _PEILDATUM)
    result: dict[str, dict[str, Any]] = {}
    for f in made:
        result.setdefault(f.template, f.context())
    index = assemble(case, tuple(f.filename for f in made), _PEILDATUM)
    timeline = check_timeline(case, _PEILDATUM)
    result[BUNDLE_DOCUMENT] = documents.wia_bundel_context(case, index, timeline, _PEILDATUM)
    result[documents.CONTROLELIJST] = documents.controlelijst_context(case, index, timeline, _PEILDATUM)
    missing = set(documents.TEMPLATES) - set(result)
    assert not missing, f"the sample case makes no {missing}"
    return result


def _text(xml: str) -> str:
    return html.unescape(_XML.sub("", xml))


def _near(xml: str, needle: str, width: int = 70) -> str:
    text = " ".join(_text(xml).split())
    at = text.find(needle)
    if at < 0:
        return text[:width]
    start = max(at - width // 2, 0)
    return text[start:start + width + len(needle)].strip()


def lint_templates(folder: Path) -> tuple[list[Problem], int]:
    """(problems, templates checked) for every document template in `folder`."""
    problems: list[Problem] = []
    known = contexts()
    checked = 0
    for name, context in known.items():
        path = folder / name
        if not path.is_file():
            problems.append(Problem(name, "", "het sjabloon ontbreekt in de sjablonenmap"))
            continue
        checked += 1
        problems.extend(_lint_one(path, context))
    return problems, checked


def _lint_one(path: Path, context: dict[str, Any]) -> list[Problem]:
    name = path.name
    try:
        template = DocxTemplate(path)
        with zipfile.ZipFile(path) as archive:
            parts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if _PARTS.fullmatch(n)}
    except (zipfile.BadZipFile, OSError, KeyError, UnicodeDecodeError):
        return [Problem(name, "", "het bestand is geen Word-document (.docx)")]
    problems: list[Problem] = []
    env = render.sandbox()
    for part, xml in sorted(parts.items()):
        part_name = part.removeprefix("word/")
        patched = template.patch_xml(xml)
        problems.extend(_split_tags(name, part_name, xml))
        problems.extend(_layout(name, part_name, xml))
        try:
            tree = env.parse(patched)
        except TemplateSyntaxError as err:
            lines = patched.splitlines()
            line = lines[err.lineno - 1] if err.lineno and err.lineno <= len(lines) else ""
            problems.append(Problem(name, part_name,
                                    f"fout in een sjabloon-opdracht: {render.syntax_message(err.message)}",
                                    " ".join(_text(line).split())[:120]))
            continue
        checker = _NameChecker(name, part_name, context, patched)
        checker.visit(tree, dict(context))
        problems.extend(checker.problems)
    # Filling finds what reading cannot; it stops at the first error, so only once the rest is
    # clean (an unknown field would otherwise be reported twice).
    return problems or _fill(path, context)


_ROW = re.compile(r"<w:tr[ >].*?</w:tr>", re.S)
_DRAWING_NAME = re.compile(r"<wp:docPr\b[^>]*>")
_DESCRIPTION = re.compile(r"""\bdescr=("[^"]*[^"\s][^"]*"|'[^']*[^'\s][^']*')""")


def _layout(name: str, part: str, xml: str) -> list[Problem]:
    """What a printed page needs of an edited template: every table row kept whole on its page
    (a row split over two pages is hard to read and to sign) and every picture an alternative
    text (docs/sjablonen.md)."""
    problems = []
    split = sum(1 for row in _ROW.findall(xml) if "<w:cantSplit" not in row.split("</w:trPr>", 1)[0])
    if split:
        rows = "1 tabelrij kan" if split == 1 else f"{split} tabelrijen kunnen"
        problems.append(Problem(name, part, f"{rows} over twee pagina's breken; zet in Word bij Tabeleigenschappen, "
                                            "tabblad Rij, het afbreken van rijen over pagina's uit"))
    bare = sum(1 for tag in _DRAWING_NAME.findall(xml) if not _DESCRIPTION.search(tag))
    if bare:
        pictures = "1 afbeelding heeft" if bare == 1 else f"{bare} afbeeldingen hebben"
        problems.append(Problem(name, part, f"{pictures} geen alternatieve tekst; geef die in Word met de "
                                            "rechtermuisknop, Alternatieve tekst bewerken"))
    return problems


def _fill(path: Path, context: dict[str, Any]) -> list[Problem]:
    """The template filled with its sample context as a batch fills it: its run-time error, if any."""
    try:
        render.PreparedTemplate(path).render(context, render.Properties("lint-templates", "", _PEILDATUM))
    except TemplateError as err:
        return [Problem(path.name, "", f"bij het invullen met het voorbeelddossier: {err.detail}")]
    return []


def _bare(tag: str) -> str:
    """A tag without docxtpl's row/paragraph/run prefix and without white space, for comparing."""
    return re.sub(r"\s+", "", re.sub(r"^\{%-?\s*(tr|tc|p|r)\s", "{%", tag))


def _split_tags(name: str, part: str, xml: str) -> list[Problem]:
    """Tags that Word split over several formatting runs (a spelling mark, a change of font
    halfway): docxtpl often copes, but the result depends on where Word cut, so type it again."""
    problems = []
    for paragraph_xml in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL):
        paragraph = _text(paragraph_xml)
        whole = {_bare(tag) for run in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph_xml)
                 for tag in _TAG.findall(html.unescape(run))}
        for tag in _TAG.findall(paragraph):
            if _bare(tag) not in whole:
                problems.append(Problem(name, part, f"de opdracht {tag} is door Word-opmaak in stukken geknipt; "
                                                    "typ haar opnieuw in één keer, zonder de opmaak halverwege te "
                                                    "wijzigen", paragraph.strip()[:120]))
        if re.search(r"\{[{%](?![^{}]*[}%]\})", paragraph):
            problems.append(Problem(name, part, "een opdracht begint hier maar sluit niet in dezelfde alinea; "
                                                "zet '{{ ... }}' of '{% ... %}' in één alinea",
                                    paragraph.strip()[:120]))
    return problems


class _NameChecker:
    """Walks a parsed template with sample values, to find unknown fields and unsafe access."""

    def __init__(self, template: str, part: str, context: dict[str, Any], source: str) -> None:
        self.template, self.part, self.source = template, part, source
        self.context = context
        self.problems: list[Problem] = []
        self.seen: set[str] = set()

    def report(self, message: str, near: str) -> None:
        if message not in self.seen:
            self.seen.add(message)
            self.problems.append(Problem(self.template, self.part, message, _near(self.source, near)))

    def value(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name != "loop":
                close = difflib.get_close_matches(node.name, list(scope), n=1)
                hint = f" Bedoelt u '{close[0]}'?" if close else ""
                self.report(f"onbekend veld '{node.name}': dit document kent dat niet.{hint}", node.name)
            return _UNKNOWN
        if isinstance(node, nodes.Getattr):
            return self.attribute(self.value(node.node, scope), node.attr, node)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return self.attribute(self.value(node.node, scope), node.arg.value, node)
        self.visit(node, scope)
        return _UNKNOWN

    def attribute(self, base: Any, attr: str, node: nodes.Node) -> Any:
        if base is _UNSAFE:
            return _UNSAFE
        if attr.startswith("_"):
            self.report(f"'{attr}' probeert Python-onderdelen te bereiken; dat is niet toegestaan", attr)
            return _UNSAFE
        if isinstance(base, dict):
            if attr in base:
                return base[attr]
            close = difflib.get_close_matches(attr, list(base), n=1)
            hint = f" Bedoelt u '{close[0]}'?" if close else ""
            self.report(f"onbekend veld '{attr}' (kent: {', '.join(sorted(base))}).{hint}", attr)
        return _UNKNOWN

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            items = self.value(node.iter, scope)
            sample = items[0] if isinstance(items, list) and items else _UNKNOWN
            inner = dict(scope)
            names = node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]
            for target in names:
                inner[target.name] = sample
            for child in node.body + node.else_:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            names = node.target.find_all(nodes.Name) if not isinstance(node.target, nodes.Name) else [node.target]
            for target in names:
                scope[target.name] = _UNKNOWN
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.value(node, scope)
            return
        for child in node.iter_child_nodes():
            if isinstance(node, (nodes.Assign, nodes.AssignBlock)) and child is node.target:
                continue
            self.visit(child, scope)
