"""The layout shows the flow, and the stages keep to their jobs (style.md): the core never talks
to the user, the later stages read the case model and never the workbook, the model needs no stage."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"
USER_FACING = {"cli.py", "__main__.py"}
STAGES = ("intake", "checks", "documents", "bundle", "batch")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.name != "office_worker.py")  # a helper run by LibreOffice


def imported(path: Path) -> set[str]:
    """Every module name `path` imports, made absolute ('pipeline.intake.reader')."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(PACKAGE.parent).parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_every_stage_has_its_folder():
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), stage


@pytest.mark.parametrize("path", [p for p in modules() if p.name not in USER_FACING], ids=lambda p: p.name)
def test_the_core_never_imports_click_prints_or_exits(path):
    assert not any(name == "click" or name.startswith("click.") for name in imported(path))
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            assert not (isinstance(func, ast.Name) and func.id in ("print", "exit", "quit")), \
                f"{path.name}:{node.lineno}"
            assert not (isinstance(func, ast.Attribute) and func.attr == "exit" and isinstance(func.value, ast.Name)
                        and func.value.id == "sys"), f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("stage", ["checks", "documents", "bundle"])
def test_checks_documents_and_bundle_never_read_the_workbook(stage):
    for path in (PACKAGE / stage).rglob("*.py"):
        names = imported(path)
        readers = {n for n in names if "openpyxl" in n or n.startswith(("pipeline.intake.reader",
                                                                         "pipeline.intake.validate"))}
        assert not readers, f"{path.relative_to(PACKAGE)} imports {readers}"


def test_the_model_imports_no_stage():
    names = imported(PACKAGE / "model.py")
    assert not {n for n in names if n.startswith("pipeline")}, names
