"""The Dutch user documentation stays in step with the contract and the template contexts."""

from __future__ import annotations

from datetime import date

from pipeline import contract, documents
from pipeline.validate import validate
from pipeline.workbook import read_workbook

from .conftest import ROOT, write_case


def test_every_sheet_and_field_of_the_contract_is_documented():
    text = (ROOT / "docs" / "werkmap.md").read_text(encoding="utf-8")
    for sheet in contract.SHEETS:
        assert f"### Sheet `{sheet.name}`" in text
        for f in sheet.fields:
            assert f"| {f.label} |" in text, f"{sheet.name}: {f.label} ontbreekt in docs/werkmap.md"


def test_every_template_variable_is_documented(tmp_path):
    text = (ROOT / "docs" / "sjablonen.md").read_text(encoding="utf-8")
    case = validate(read_workbook(write_case(tmp_path / "c.xlsx"))).case
    for kind in documents.DOCUMENTS:
        assert f"## `{kind.template}`" in text
        section = text.split(f"## `{kind.template}`", 1)[1].split("\n## ", 1)[0]
        for key, value in kind.context(case, date(2025, 6, 1)).items():
            assert f"`{key}`" in section, f"{kind.template}: {key} ontbreekt in docs/sjablonen.md"
            if isinstance(value, list) and value and isinstance(value[0], dict):
                for inner in value[0]:
                    assert f"`{inner}`" in section, f"{kind.template}: {key}.{inner} ontbreekt"
