"""A small, deterministic mutation runner for the rule, value, privacy and bundle code.

Each mutant changes one thing in one module (an integer constant +-1, a comparison flipped, a
condition negated, `and`/`or` swapped, `+`/`-` swapped in arithmetic, a fraction threshold
nudged) and is run against a fast test set in a private copy of the repository; the worktree's
own files are never written. A mutant is killed when the tests fail (or time out).

    .venv/bin/python tools/mutate.py                      # every module below, 2 workers
    .venv/bin/python tools/mutate.py pipeline/privacy.py  # one module
    .venv/bin/python tools/mutate.py --list               # the mutants only, no test run
    .venv/bin/python tools/mutate.py --tests tests/test_timeline.py  # another test set

The mutants are the same on every run of the same source (AST walk order), and so is the report.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import copy
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES = (
    "pipeline/checks/law.py",
    "pipeline/checks/timeline.py",
    "pipeline/checks/measures.py",
    "pipeline/intake/values.py",
    "pipeline/privacy.py",
    "pipeline/bundle/index.py",
)

# The fast tests that exercise these modules, quickest first (with -x a killed mutant stops
# early). The LibreOffice tests of test_bundle.py are slow and test PDF conversion, not the bundle.
TESTS = (
    "tests/test_boundaries*.py",
    "tests/test_rules.py",
    "tests/test_timeline.py",
    "tests/test_measures.py",
    "tests/test_values.py",
    "tests/test_input_meaning.py",
    "tests/test_validate.py",
    "tests/test_bundle.py",
)
DESELECT = "not libreoffice and not pdf and not uno"

# Mutants that cannot change what a user sees, by (module, source line, change), each with the
# reason; they are reported apart and left out of the score. Keep this list short and argued.
_TIMELINE, _VALUES, _PRIVACY = "pipeline/checks/timeline.py", "pipeline/intake/values.py", "pipeline/privacy.py"
_BUNDLE = "pipeline/bundle/index.py"
EQUIVALENT: dict[tuple[str, str, str], str] = {
    (_TIMELINE, 'if label and row is None and sheet == "Dossier":', "and -> or"):
        "every caller that passes a label passes no row; a label of another sheet or none finds no Dossier row",
    **{(_TIMELINE, "text = f\"{weeks} we{'ek' if weeks == 1 else 'ken'}\"", change):
        "only gaps of more than 6 weeks are put in words, never 1 (or 0, 2) weeks" for change in ("1 -> 2", "1 -> 0")},
    **{(_TIMELINE, line, "0 -> -1"): "percent() with -1 decimals formats whole percents too: '30 %', '65 %'"
       for line in (
           'f"{dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)}; het trajectplan noemt die functie zelf niet "',
           'f"{dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)}, dus volgens de vuistregel geen passend "',
           'f"{dutch.percent(rules.WIA_EARNING_THRESHOLD, 0)} die volgens de vuistregel van UWV een bevredigend "')},
    (_PRIVACY, "return _BSN_LIKE.sub(_mask, text) if len(text) >= 8 else text", "8 -> 7"):
        "a text of 7 characters cannot hold the 8 digits of a BSN",
    (_PRIVACY, "if len(digits) > 9:", "9 -> 10"):
        "10 digits are never a BSN (normalise_bsn refuses them): going on only costs a step",
    (_VALUES, 'if not text.isascii() and not unicodedata.is_normalized("NFC", text):', "and -> or"):
        "NFC-normalising ASCII or already normalised text changes nothing; the check only saves time",
    (_VALUES, "close = difflib.get_close_matches(normalise_label(text), list(by_key), n=1, cutoff=0.6)", "1 -> 2"):
        "only the best match, close[0], is used; it is the same with n=2",
    (_VALUES, "return f\" Bedoelt u '{by_key[close[0]]}'?\" if close else \"\"", "0 -> -1"):
        "with n=1 the list holds one match: close[-1] is close[0]",
    (_VALUES, "if 1 <= value < 2958466:", "1 -> 0"):
        "a serial in [0, 1) is a time of day for openpyxl (from_excel returns a time), refused as no date either way",
    (_BUNDLE, 'if name.rsplit(".", 1)[0] == key:', "1 -> 2"):
        "generated names hold one dot ('trajectplan.docx'): splitting at two dots gives the same stem",
}

_COMPARE_SWAP = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
}
_SYMBOL = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
    ast.And: "and", ast.Or: "or",
    ast.Add: "+", ast.Sub: "-",
}


@dataclass(frozen=True)
class Mutant:
    module: str
    index: int  # position of the node in ast.walk order of the parsed module
    kind: str  # constant, compare, boolop, arith, not-removed, not-added
    detail: object  # the new value / operator position, per kind
    line: int
    description: str  # what changes: '87 -> 88', '< -> <=', 'condition negated'
    code: str = ""  # the source line, stripped

    @property
    def key(self) -> tuple[str, str, str]:
        """Names the mutant across edits elsewhere in the module (line numbers shift)."""
        return (self.module, self.code, self.description)


def _skipped_nodes(tree: ast.Module) -> set[int]:
    """Nodes no mutation may touch: annotations, decorators and docstrings."""
    skipped: set[int] = set()

    def skip(node: ast.AST | None) -> None:
        if node is not None:
            skipped.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in node.decorator_list:
                skip(decorator)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            skip(node.returns)
            for arg in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs,
                        node.args.vararg, node.args.kwarg):
                if arg is not None:
                    skip(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            skip(node.annotation)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skip(body[0])
        if isinstance(node, ast.ImportFrom):
            skip(node)
    return skipped


def _holds_text(node: ast.AST) -> bool:
    """True when an expression builds text (a str constant or f-string inside): `+` there is
    concatenation, and swapping it for `-` only raises TypeError."""
    return any(isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str))
               for n in ast.walk(node))


def _conditions(tree: ast.Module) -> dict[int, tuple[ast.AST, str, int | None]]:
    """id(test expression) -> (its parent, field, list index) for every condition."""
    result: dict[int, tuple[ast.AST, str, int | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.If, ast.IfExp, ast.While)):
            result[id(node.test)] = (node, "test", None)
        elif isinstance(node, ast.comprehension):
            for i, condition in enumerate(node.ifs):
                result[id(condition)] = (node, "ifs", i)
    return result


def mutants(module: str, source: str) -> list[Mutant]:
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    conditions = _conditions(tree)
    lines = source.splitlines()
    found: list[Mutant] = []

    def add(index: int, kind: str, detail: object, node: ast.AST, description: str) -> None:
        line = getattr(node, "lineno", 0)
        found.append(Mutant(module, index, kind, detail, line, description))

    for index, node in enumerate(ast.walk(tree)):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and type(node.value) is int:
            for delta in (1, -1):
                add(index, "constant", node.value + delta, node, f"{node.value} -> {node.value + delta}")
        elif isinstance(node, ast.Constant) and type(node.value) is float and 0 < node.value < 1:
            for delta in (0.01, -0.01):
                new = round(node.value + delta, 6)
                add(index, "constant", new, node, f"{node.value} -> {new}")
        elif isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                new = _COMPARE_SWAP.get(type(op))
                if new:
                    add(index, "compare", position, node, f"{_SYMBOL[type(op)]} -> {_SYMBOL[new]}")
        elif isinstance(node, ast.BoolOp):
            new = ast.Or if isinstance(node.op, ast.And) else ast.And
            add(index, "boolop", None, node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[new]}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) \
                and not _holds_text(node.left) and not _holds_text(node.right):
            new = ast.Sub if isinstance(node.op, ast.Add) else ast.Add
            add(index, "arith", None, node, f"{_SYMBOL[type(node.op)]} -> {_SYMBOL[new]}")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            add(index, "not-removed", None, node, "'not' removed")
        if id(node) in conditions and not (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
            add(index, "not-added", None, node, "condition negated")
    return [replace(m, code=lines[m.line - 1].strip() if 0 < m.line <= len(lines) else "") for m in found]


def apply(source: str, mutant: Mutant) -> str:
    """The module's source with `mutant` applied (the whole module unparsed)."""
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    node = nodes[mutant.index]
    if mutant.kind == "constant":
        node.value = mutant.detail
    elif mutant.kind == "compare":
        node.ops[mutant.detail] = _COMPARE_SWAP[type(node.ops[mutant.detail])]()
    elif mutant.kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif mutant.kind == "arith":
        node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
    elif mutant.kind in ("not-removed", "not-added"):
        replacement = node.operand if mutant.kind == "not-removed" else ast.UnaryOp(ast.Not(), copy.copy(node))
        _replace(tree, node, replacement)
    else:
        raise ValueError(mutant.kind)
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def _replace(tree: ast.AST, target: ast.AST, replacement: ast.AST) -> None:
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is target:
                setattr(parent, name, replacement)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is target:
                        value[i] = replacement
                        return
    raise LookupError("node not found")


# --- running -----------------------------------------------------------------------------------

_IGNORE = shutil.ignore_patterns(".git", ".venv", ".venv.nieuw", "output", "__pycache__", ".pytest_cache",
                                 ".hypothesis", "*.egg-info", ".mutants")


def _copy_repo(target: Path) -> Path:
    shutil.copytree(ROOT, target, ignore=_IGNORE)
    (target / "output").mkdir()
    return target


def _test_args(patterns: tuple[str, ...], base: Path) -> list[str]:
    files: list[str] = []
    for pattern in patterns:
        files += sorted(str(p.relative_to(base)) for p in base.glob(pattern))
    return files


def _run_tests(python: str, copy_root: Path, tests: list[str], timeout: float) -> tuple[str, float]:
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(copy_root), "PYTHONHASHSEED": "0"}
    command = [python, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
               "-o", "addopts=", "-k", DESELECT, *tests]
    try:
        done = subprocess.run(command, cwd=copy_root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=timeout, start_new_session=True)
    except subprocess.TimeoutExpired:
        return "timeout", time.monotonic() - started
    # 0: all passed (survived); 1: a test failed; 2-4: collection/usage error (an import broke).
    return ("survived" if done.returncode == 0 else "killed"), time.monotonic() - started


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    cache = path.parent / "__pycache__"
    for stale in cache.glob(f"{path.stem}.*.pyc"):  # a same-size rewrite could reuse a stale .pyc
        stale.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=list(MODULES))
    parser.add_argument("--tests", nargs="+", default=list(TESTS), help="test files or globs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--verbose", "-v", action="store_true", help="print killed mutants too")
    args = parser.parse_args(argv)

    sources = {module: (ROOT / module).read_text(encoding="utf-8") for module in args.modules}
    everything = [m for module in args.modules for m in mutants(module, sources[module])]
    if args.list:
        for m in everything:
            print(f"{m.module}:{m.line}: {m.description}  | {m.code[:90]}")
        print(f"{len(everything)} mutants")
        return 0

    with tempfile.TemporaryDirectory(prefix="mutate-") as scratch:
        copies: queue.Queue[Path] = queue.Queue()
        for n in range(max(args.workers, 1)):
            copies.put(_copy_repo(Path(scratch) / f"repo{n}"))
        first = copies.get()
        tests = _test_args(tuple(args.tests), first)
        # The unmutated modules, unparsed the same way, must pass: otherwise every mutant "dies".
        for module in args.modules:
            _write(first / module, ast.unparse(ast.parse(sources[module])) + "\n")
        probe = subprocess.run([args.python, "-c", "import pipeline; print(pipeline.__file__)"], cwd=first,
                               env={**os.environ, "PYTHONPATH": str(first)}, capture_output=True, text=True)
        if not probe.stdout.strip().startswith(str(first)):
            print(f"the copy is not what the tests import: {probe.stdout or probe.stderr}", file=sys.stderr)
            return 2
        status, seconds = _run_tests(args.python, first, tests, args.timeout * 3)
        for module in args.modules:
            _write(first / module, sources[module])
        if status != "survived":
            print(f"the tests fail without any mutant ({status}); fix that first", file=sys.stderr)
            return 2
        copies.put(first)
        print(f"{len(everything)} mutants over {len(args.modules)} modules; tests: {' '.join(tests)} "
              f"(-k '{DESELECT}'); clean run {seconds:.1f} s", flush=True)

        def one(m: Mutant) -> tuple[Mutant, str]:
            if m.key in EQUIVALENT:
                return m, "equivalent"
            root = copies.get()
            try:
                _write(root / m.module, apply(sources[m.module], m))
                status, _ = _run_tests(args.python, root, tests, args.timeout)
            finally:
                _write(root / m.module, sources[m.module])
                copies.put(root)
            return m, status

        results: list[tuple[Mutant, str]] = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(args.workers, 1)) as pool:
            for m, status in pool.map(one, everything):
                results.append((m, status))
                if status == "survived" or args.verbose:
                    print(f"  {status:9} {m.module}:{m.line}: {m.description}  | {m.code[:90]}", flush=True)

    print()
    print(f"{'module':30} {'killed':>6} {'survived':>8} {'equiv.':>6} {'score':>7} {'raw':>7}")
    for module in (*args.modules, None):
        mine = [s for m, s in results if module is None or m.module == module]
        killed = sum(1 for s in mine if s in ("killed", "timeout"))
        equivalent = sum(1 for s in mine if s == "equivalent")
        counted = len(mine) - equivalent
        print(f"{module or 'all':30} {killed:6} {counted - killed:8} {equivalent:6} "
              f"{100 * killed / max(counted, 1):6.1f}% {100 * killed / max(len(mine), 1):6.1f}%")
    print("score: killed / (mutants - equivalent); raw: killed / mutants (see EQUIVALENT in tools/mutate.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
