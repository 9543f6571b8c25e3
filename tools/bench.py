"""`make bench`: the batch measured side by side in one run, on a synthetic batch.

Generates cases like the full example (pipeline.documents.sample, 50-200 applications each) as real
workbooks, then measures: cases/s and documents/s end to end for 1 and 2 workers, plain
docxtpl on the same templates and contexts, an unchanged rerun against a full run, peak memory
at 100 and at 1,000 cases (each in its own process), one case with 5,000 applications, and
how fast the command answers as a user starts it: a new process importing the command line,
and `python -m pipeline run` on the three shipped examples when none changed.
Ratios are what to compare: the machine is shared, absolute times move between runs. Each
timing is the best of two interleaved rounds, after a warm-up batch.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from enum import Enum
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import batch, documents  # noqa: E402
from pipeline import model as m  # noqa: E402
from pipeline.bundle.index import assemble  # noqa: E402
from pipeline.checks.timeline import check_timeline  # noqa: E402
from pipeline.documents import render  # noqa: E402
from pipeline.documents.sample import sample_case  # noqa: E402
from pipeline.intake import contract  # noqa: E402
from pipeline.intake.newcase import empty_workbook  # noqa: E402
from pipeline.intake.reader import read_workbook  # noqa: E402
from pipeline.intake.validate import validate  # noqa: E402

PEILDATUM = date(2026, 11, 23)
TEMPLATES = ROOT / "templates"
TABLES = {contract.BETROKKENEN: "people", contract.AFSPRAKEN: "agreements", contract.BIJSTELLINGEN: "bijstellingen",
          contract.EVALUATIES: "evaluations", contract.PERSOONSPROFIEL: "persoonsprofiel",
          contract.ZOEKPROFIEL: "zoekprofiel", contract.INTERVENTIES: "interventions",
          contract.RAPPORTAGES: "report_moments", contract.SOLLICITATIES: "applications",
          contract.CONTACTEN: "contacts", contract.WEEKTOELICHTING: "week_notes"}


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value.value if isinstance(value, Enum) else value


def case_workbook(case: m.Case) -> bytes:
    """The case as the workbook a casemanager fills (new-case's layout, every sheet)."""
    workbook = empty_workbook()
    for spec, record in ((contract.DOSSIER, case), (contract.EINDEVALUATIE, case.eindevaluatie)):
        sheet = workbook[spec.name]
        rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
        for f in spec.fields:
            value = getattr(record, f.attr, None) if record is not None else None
            if value is not None:
                sheet.cell(row=rows[f.label], column=2, value=_cell(value))
    for spec, attr in TABLES.items():
        sheet = workbook[spec.name]
        for offset, record in enumerate(getattr(case, attr), start=2):
            for column, f in enumerate(spec.fields, start=1):
                value = getattr(record, f.attr, None)
                if value is not None:
                    sheet.cell(row=offset, column=column, value=_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def renumbered(workbook: bytes, old: str, new: str) -> bytes:
    """The same workbook with another (same-length) dossiernummer: fast copies for a big batch."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data.replace(old.encode(), new.encode()))
    return out.getvalue()


def generate(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    variants = {}
    for applications in (50, 100, 150, 200):
        variants[applications] = case_workbook(sample_case(0, applications))
    for number in range(1, count + 1):
        applications = (50, 100, 150, 200)[number % 4]
        (folder / f"case-{number:05d}.xlsx").write_bytes(
            renumbered(variants[applications], "VB-00000", f"VB-{number:05d}"))


def run(input_dir: Path, output_dir: Path, workers: int, force: bool = False) -> tuple[float, batch.BatchResult]:
    started = time.perf_counter()
    result = batch.run_batch(batch.Options(input_dir, output_dir, TEMPLATES, PEILDATUM, workers=workers,
                                           force=force))
    return time.perf_counter() - started, result


def documents_in(output_dir: Path) -> int:
    return sum(1 for _ in output_dir.glob("*/*.docx"))


def plain_docxtpl(input_dir: Path, cases: int) -> tuple[float, int]:
    """Plain docxtpl, one DocxTemplate per document, on the same templates and contexts."""
    elapsed, count = 0.0, 0
    for path in sorted(input_dir.glob("*.xlsx"))[:cases]:
        case = validate(read_workbook(path)).case
        files = documents.document_files(case, PEILDATUM)
        work = [(f.template, f.context()) for f in files]
        index = assemble(case, tuple(f.filename for f in files), PEILDATUM)
        timeline = check_timeline(case, PEILDATUM)
        work.append(("wia-bundel.docx", documents.wia_bundel_context(case, index, timeline, PEILDATUM)))
        work.append((documents.CONTROLELIJST, documents.controlelijst_context(case, index, timeline, PEILDATUM)))
        props = render.Properties("t", "s", PEILDATUM)
        started = time.perf_counter()
        for template, context in work:
            render.render_docx(TEMPLATES / template, context, props)
        elapsed += time.perf_counter() - started
        count += len(work)
    return elapsed, count


def pdf_timings(input_dir: Path, root: Path, cases: int = 8) -> dict[str, float]:
    """Seconds per case with --pdf: a kept LibreOffice per worker (1 and 2 workers) and, for
    comparison, one soffice call per case (as without LibreOffice's uno module)."""
    from pipeline.bundle import pdf
    subset = root / "pdf-in"
    subset.mkdir()
    for path in sorted(input_dir.glob("*.xlsx"))[:cases]:
        os.link(path, subset / path.name)

    def seconds(workers: int) -> float:
        started = time.perf_counter()
        batch.run_batch(batch.Options(subset, root / f"pdf-uit-{time.monotonic_ns()}", TEMPLATES, PEILDATUM, pdf=True,
                                      workers=workers))
        return (time.perf_counter() - started) / cases

    kept_one, kept_two = seconds(1), seconds(2)
    pdf._drop_kept_office()
    uno_python = pdf._uno_python
    pdf._uno_python = lambda program: None  # type: ignore[assignment]
    try:
        once = seconds(1)
    finally:
        pdf._uno_python = uno_python
        pdf._drop_kept_office()
    return {"pdf, kept LibreOffice, 1 worker (s/case)": kept_one,
            "pdf, kept LibreOffice, 2 workers (s/case)": kept_two,
            "pdf, soffice call per case, 1 worker (s/case)": once}


def command_start(root: Path, rounds: int = 7) -> dict[str, float]:
    """Seconds for a new process, best of `rounds`: Python alone, importing the command line, and
    an unchanged rerun of the shipped examples as `make run` starts it (the documents exist)."""
    examples = root / "start-invoer"
    shutil.copytree(ROOT / "input", examples)
    rerun = [sys.executable, "-m", "pipeline", "run", "--input", str(examples), "--output", str(root / "start-uit"),
             "--templates", str(TEMPLATES), "--peildatum", PEILDATUM.isoformat()]
    subprocess.run(rerun, cwd=ROOT, capture_output=True, check=True)

    def best(command: list[str]) -> float:
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
            times.append(time.perf_counter() - started)
        return min(times)

    return {"start: python alone (s)": best([sys.executable, "-c", "pass"]),
            "start: import the command line (s)": best([sys.executable, "-c", "import pipeline.cli"]),
            "start: unchanged rerun of the 3 examples (s)": best(rerun)}


def peak_kib() -> int:
    """This process's peak resident memory in KiB. On Linux from /proc (VmHWM): ru_maxrss
    would also count the parent's memory at the moment it started this process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory(input_dir: Path, cases: int) -> int:
    """Peak resident memory (KiB) of a fresh process running a batch of the first `cases` cases."""
    with tempfile.TemporaryDirectory() as tmp:
        subset = Path(tmp) / "in"
        subset.mkdir()
        for path in sorted(input_dir.glob("*.xlsx"))[:cases]:
            os.link(path, subset / path.name)
        done = subprocess.run([sys.executable, __file__, "--memory-of", str(subset), str(Path(tmp) / "out")],
                              capture_output=True, text=True, check=True)
        return int(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", 500)))
    parser.add_argument("--memory-of", nargs=2, metavar=("INPUT", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("--pdf", action="store_true",
                        help="also --pdf on 8 cases: a kept LibreOffice per worker against one soffice call per case")
    args = parser.parse_args()
    if args.memory_of:
        run(Path(args.memory_of[0]), Path(args.memory_of[1]), workers=1)
        print(peak_kib())
        return 0

    with tempfile.TemporaryDirectory(prefix="poortwachter-bench-") as tmp:
        root = Path(tmp)
        big = max(args.cases, 1000)
        print(f"Synthetische batch maken: {big} dossiers (50-200 sollicitaties elk)...", flush=True)
        generate(root / "alle", big)
        batch_in = root / "batch"
        batch_in.mkdir()
        for path in sorted((root / "alle").glob("*.xlsx"))[:args.cases]:
            os.link(path, batch_in / path.name)

        # Warm-up: imports, fonts, chart labels and the page cache are warm for every timing (each
        # batch still prepares its templates itself, as every `make run` does).
        warm = root / "warm"
        warm.mkdir()
        for path in sorted(batch_in.glob("*.xlsx"))[:10]:
            os.link(path, warm / path.name)
        run(warm, root / "uit-warm", workers=1)
        plain_docxtpl(warm, 2)
        # Each timing is the best of two rounds, the rounds interleaved (1 worker, plain docxtpl,
        # 2 workers, an unchanged rerun; then again), so that a busy moment on this shared machine
        # does not fall on one side of a ratio only.
        ones, twos, plains, reruns = [], [], [], []
        for round_ in range(2):
            elapsed, _ = run(batch_in, root / f"uit1-{round_}", workers=1)
            ones.append(elapsed)
            plains.append(plain_docxtpl(batch_in, min(40, args.cases)))
            elapsed, _ = run(batch_in, root / f"uit2-{round_}", workers=2)
            twos.append(elapsed)
            shutil.rmtree(root / f"uit2-{round_}")
            elapsed, result = run(batch_in, root / f"uit1-{round_}", workers=1)
            reruns.append(elapsed)
        docs = documents_in(root / "uit1-0")
        unchanged = sum(1 for r in result.results if not r.written)
        one, two, rerun = min(ones), min(twos), min(reruns)
        plain_time, plain_docs = min(plains)
        mem100, mem1000 = memory(root / "alle", 100), memory(root / "alle", 1000)

        if args.pdf:
            pdf_figures = pdf_timings(batch_in, root)

        start_figures = command_start(root)

        single = root / "groot"
        single.mkdir()
        (single / "groot.xlsx").write_bytes(case_workbook(sample_case(1, 5000)))
        big_case, _ = run(single, root / "uit-groot", workers=1)

    figures = {
        "cases": args.cases,
        "documents": docs,
        "1 worker: cases/s": args.cases / one,
        "1 worker: documents/s": docs / one,
        "2 workers: cases/s": args.cases / two,
        "2 workers: documents/s": docs / two,
        "plain docxtpl: documents/s": plain_docs / plain_time,
        "ratio 1 worker / plain docxtpl": (docs / one) / (plain_docs / plain_time),
        "ratio 2 workers / 1 worker": one / two,
        "unchanged rerun / full run": rerun / one,
        "unchanged cases in rerun": unchanged,
        "peak memory 100 cases (MiB)": mem100 / 1024,
        "peak memory 1000 cases (MiB)": mem1000 / 1024,
        "ratio memory 1000 / 100": mem1000 / mem100,
        "one case, 5000 applications (s)": big_case,
    }
    figures.update(start_figures)
    if args.pdf:
        figures.update(pdf_figures)
    print(f"\nMachine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    for name, value in figures.items():
        print(f"  {name:<46} {value:10.2f}" if isinstance(value, float) else f"  {name:<46} {value:10d}")
    print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
