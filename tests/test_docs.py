"""The Dutch user documentation stays in step with the contract and the template contexts."""

from __future__ import annotations

from datetime import date

from pipeline import documents
from pipeline.intake import contract

from .conftest import ROOT


def test_every_sheet_and_field_of_the_contract_is_documented():
    text = (ROOT / "docs" / "werkmap.md").read_text(encoding="utf-8")
    for sheet in contract.SHEETS:
        assert f"### Sheet `{sheet.name}`" in text
        for f in sheet.fields:
            assert f"| {f.label} |" in text, f"{sheet.name}: {f.label} ontbreekt in docs/werkmap.md"


def test_sheet_tables_are_generated_from_the_contract():
    """docs/werkmap.md's sheet part is what tools/docs_sheets.py writes (`make docs`)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_sheets", ROOT / "tools" / "docs_sheets.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = (ROOT / "docs" / "werkmap.md").read_text(encoding="utf-8")
    assert tool.updated(text) == text, "docs/werkmap.md loopt achter op het contract: draai make docs"


def _section(text: str, template: str) -> str:
    """The part of docs/sjablonen.md under the heading that names `template`."""
    for part in text.split("\n## ")[1:]:
        heading, _, body = part.partition("\n")
        if f"`{template}`" in heading:
            return body
    raise AssertionError(f"{template} heeft geen eigen kop in docs/sjablonen.md")


def _documented(section: str, context: dict, common: dict, template: str) -> None:
    for key, value in context.items():
        if key in common:
            continue
        assert f"`{key}`" in section, f"{template}: {key} ontbreekt in docs/sjablonen.md"
        inner = value[0] if isinstance(value, list) and value else value
        if isinstance(inner, dict):
            for name in inner:
                assert f"`{name}`" in section, f"{template}: {key}.{name} ontbreekt"


def test_every_template_variable_is_documented(full_case):
    text = (ROOT / "docs" / "sjablonen.md").read_text(encoding="utf-8")
    case = full_case
    common_fields = documents.common_context(case)
    common = text.split("## Velden die elk document kent", 1)[1].split("\n## ", 1)[0]
    for key in common_fields:
        assert f"`{key}`" in common
    seen = set()
    for made in documents.document_files(case, date(2026, 11, 23)):
        seen.add(made.template)
        _documented(_section(text, made.template), made.context(), common_fields, made.template)
    assert seen == {kind.template for kind in documents.DOCUMENTS}  # the full example makes every kind


def test_index_and_controlelijst_variables_are_documented(full_case):
    from pipeline.bundle.index import assemble
    from pipeline.checks.timeline import check_timeline

    text = (ROOT / "docs" / "sjablonen.md").read_text(encoding="utf-8")
    peildatum = date(2026, 11, 23)
    index = assemble(full_case, ("plan-van-aanpak.docx",), peildatum)
    timeline = check_timeline(full_case, peildatum)
    common = documents.common_context(full_case)
    _documented(_section(text, "wia-bundel.docx"),
                documents.wia_bundel_context(full_case, index, timeline, peildatum), common, "wia-bundel.docx")
    _documented(_section(text, documents.CONTROLELIJST),
                documents.controlelijst_context(full_case, index, timeline, peildatum), common,
                documents.CONTROLELIJST)
