"""Benchmarks: each stage of the loop on a synthetic registry, against the naive baseline.

Run with ``make bench`` (``--units N``, default 3,321: the national number of
commune-level units). Every stage runs in a fresh process so its peak memory
(max RSS) and its CPU time (user + system of its process and its workers) are its
own; targets are judged on wall time. Prints a table and writes
``bench-output/bench.json``.

Stages:
- generate: the per-unit workbooks, built from one template (workbook_tools.generate);
  baseline: a plain per-file XlsxWriter build of the same workbook, one process.
- fill (preparation, not a product stage): realistic returns, ~4 % with errors.
- check: every returned file read and checked (workbook_tools.checks), all cores.
- collect: check, register and archive into a new SQLite registry; then a re-run on
  the unchanged folder. Baselines: a pandas.read_excel loop over the same files that
  only reads (engine openpyxl, and engine calamine), one process.
- merge: consolidate the accepted submissions and write the consolidated workbook.
- report: the consolidated Word report with its per-unit appendix.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workbook_tools.checks import Expectation
from workbook_tools.checks.batch import check_files
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import get_form
from workbook_tools.merge import consolidate
from workbook_tools.merge.workbook import write_consolidated
from workbook_tools.periods import parse_period
from workbook_tools.registry import SubmissionStore, collect
from workbook_tools.report import Frame, consolidated_report
from workbook_tools.report.frame import default_issuer
from workbook_tools.units import Unit, synthetic_units
from workbook_tools.writer import generate, workbook_bytes
from workbook_tools.writer.writer import WorkbookFactory, file_names

OUT = Path("bench-output")


@dataclass
class Result:
    stage: str
    files: int
    seconds: float
    files_per_second: float
    peak_mb: float
    cpu_seconds: float = 0.0  # the stage's process and its workers, user + system
    baseline: str = ""
    ratio_to_baseline: float | None = None
    target: str = ""
    met: bool | None = None


def _request() -> Request:
    return Request(get_form("dvcq"), parse_period("2025-H1"), issuer="Sở Nội vụ (thử nghiệm)")


def stage_generate(n: int, out: str) -> int:
    result = generate(_request(), synthetic_units(n), out)
    return len(result.files)


def stage_baseline_generate(n: int, out: str) -> int:
    request = _request()
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    units = synthetic_units(n)
    for unit, name in zip(units, file_names(units, request), strict=True):
        (target / name).write_bytes(workbook_bytes(request, unit))
    return len(units)


def stage_fill(n: int, out: str) -> int:
    """Realistic returns; every 25th with an error (text in a number cell)."""
    request = _request()
    factory = WorkbookFactory(request)
    layout = build_layout(request.form)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    units = synthetic_units(n)
    for k, (unit, name) in enumerate(zip(units, file_names(units, request), strict=True)):
        ret = realistic_return(unit, seed=k)
        if k % 25 == 0:
            ret.values["tcd_luot"] = "hơn 150"
        data = fill_xlsx(factory.build(unit), layout, ret.values, ret.table)
        (target / name).write_bytes(data)
    return len(units)


def _returns() -> list[Path]:
    return sorted((OUT / "fill").glob("*.xlsx"))


def stage_check(n: int, out: str) -> int:
    expect = Expectation(get_form("dvcq"))
    files = _returns()
    return sum(1 for _ in check_files(files, expect, None, multiprocessing.cpu_count()))


def stage_collect(n: int, out: str) -> int:
    with SubmissionStore.open(OUT / "registry" / "bench.sqlite") as store:
        report = collect([OUT / "fill"], store, Expectation(get_form("dvcq")))
    assert report.totals["failed"] == 0
    return len(report.entries)


def stage_recollect(n: int, out: str) -> int:
    with SubmissionStore.open(OUT / "registry" / "bench.sqlite") as store:
        report = collect([OUT / "fill"], store, Expectation(get_form("dvcq")))
    assert report.totals["unchanged"] == len(report.entries)
    return len(report.entries)


def stage_merge(n: int, out: str) -> int:
    """Consolidate the registry's current submissions and write the consolidated workbook."""
    form = get_form("dvcq")
    period = parse_period("2025-H1")
    with SubmissionStore.open(OUT / "registry" / "bench.sqlite") as store:
        result = consolidate(store, form, period)
    agency = Unit("TW", "Tổng hợp", "Cơ quan tổng hợp", None, None, None, None)
    write_consolidated(result, Path(out) / "tong-hop.xlsx", Request(form, period), agency)
    return len(result.units)


def stage_report(n: int, out: str) -> int:
    """The consolidated Word report, with the per-unit appendix (one row per unit) and the chart."""
    form = get_form("dvcq")
    period = parse_period("2025-H1")
    with SubmissionStore.open(OUT / "registry" / "bench.sqlite") as store:
        result = consolidate(store, form, period)
    frame = Frame(default_issuer("Sở Nội vụ", "Sở, ban, ngành"), recipients=("UBND tỉnh",))
    consolidated_report(result, frame, {"nguoi_ky": "Nguyễn Văn A"}, Path(out) / "bao-cao.docx")
    return len(result.units)


def stage_pandas_openpyxl(n: int, out: str) -> int:
    import pandas as pd  # here, not above: the tool's own stages do not load pandas

    files = _returns()
    for path in files:
        pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl")
    return len(files)


def stage_pandas_calamine(n: int, out: str) -> int:
    import pandas as pd

    files = _returns()
    for path in files:
        pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    return len(files)


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _child(fn: Callable[[int, str], int], n: int, out: str, queue: Any) -> None:
    cpu_before = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    files = fn(n, out)
    seconds = time.perf_counter() - start
    cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN) - cpu_before
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put((files, seconds, max(peak_kb, peak_children) / 1024, cpu))


def measure(
    name: str, fn: Callable[[int, str], int], n: int, folder: str, *, fresh: bool = False
) -> Result:
    """Run ``fn`` in a fresh process; ``folder`` (under bench-output) is its output, emptied first if ``fresh``."""
    out = OUT / folder
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    # a fresh interpreter: the stage's peak memory is what it loads and holds, nothing inherited
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, n, str(out), queue))
    proc.start()
    files, seconds, peak, cpu = queue.get()
    proc.join()
    return Result(
        name, files, round(seconds, 3), round(files / seconds, 1), round(peak, 1), round(cpu, 2)
    )


def judge(
    result: Result, seconds: float, baseline: Result | None = None, ratio: float | None = None
) -> None:
    """Set the target text, the ratio to the baseline and whether the target is met."""
    parts = [f"≤ {seconds:g} s"]
    met = result.seconds <= seconds and result.peak_mb < 300
    if baseline is not None and ratio is not None:
        result.baseline = baseline.stage
        result.ratio_to_baseline = round(result.seconds / baseline.seconds, 3)
        parts.append(f"≤ {ratio:g}× baseline")
        met = met and result.ratio_to_baseline <= ratio
    parts.append("< 300 MB")
    result.target = ", ".join(parts)
    result.met = met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321, help="number of units (default 3321)")
    parser.add_argument(
        "--skip-baselines", action="store_true", help="measure our stages only (faster)"
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    n = args.units
    shutil.rmtree(OUT / "registry", ignore_errors=True)
    results: list[Result] = []
    gen = measure("generate", stage_generate, n, "generate", fresh=True)
    base_gen = None
    if not args.skip_baselines:
        base_gen = measure(
            "baseline: XlsxWriter per file", stage_baseline_generate, n, "baseline", fresh=True
        )
    judge(gen, 10, base_gen, 0.3)
    fill = measure("fill returns (preparation)", stage_fill, n, "fill", fresh=True)
    chk = measure("check", stage_check, n, "fill")
    judge(chk, 10)
    col = measure("collect", stage_collect, n, "fill")
    again = measure("collect again, nothing changed", stage_recollect, n, "fill")
    judge(again, 1)
    merged = measure("merge (consolidated workbook)", stage_merge, n, "merge", fresh=True)
    judge(merged, 3)
    reported = measure("report (with appendix)", stage_report, n, "report", fresh=True)
    judge(reported, 5)
    base_read = None
    if not args.skip_baselines:
        base_read = measure("baseline: read_excel openpyxl", stage_pandas_openpyxl, n, "fill")
        base_cal = measure("baseline: read_excel calamine", stage_pandas_calamine, n, "fill")
    judge(col, 10, base_read, 0.3)
    results = [gen, *([base_gen] if base_gen else []), fill, chk, col, again, merged, reported]
    if not args.skip_baselines:
        results += [base_read, base_cal]  # type: ignore[list-item]
        col_vs_calamine = round(col.seconds / base_cal.seconds, 3)
        print(f"collect / read_excel calamine loop: {col_vs_calamine}")
    print_table(n, results)
    report = {
        "units": n,
        "machine": {
            "cpus": multiprocessing.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        "results": [asdict(r) for r in results],
    }
    (OUT / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"\nJSON: {OUT / 'bench.json'}")
    for folder in ("generate", "baseline", "fill", "registry", "merge", "report"):
        shutil.rmtree(OUT / folder, ignore_errors=True)
    return 0 if all(r.met is not False for r in results) else 1


def print_table(n: int, results: list[Result]) -> None:
    print(f"\nworkbook-tools benchmark — {n} units, {multiprocessing.cpu_count()} CPU(s)\n")
    header = f"{'stage':<32}{'files':>7}{'seconds':>10}{'CPU s':>8}{'files/s':>10}{'peak MB':>10}"
    header += f"{'× baseline':>12}  target"
    print(header)
    print("-" * len(header) + "-" * 30)
    for r in results:
        ratio = "" if r.ratio_to_baseline is None else f"{r.ratio_to_baseline:.3f}"
        met = "" if r.met is None else ("  MET" if r.met else "  NOT MET")
        print(
            f"{r.stage:<32}{r.files:>7}{r.seconds:>10.2f}{r.cpu_seconds:>8.2f}"
            f"{r.files_per_second:>10.1f}"
            f"{r.peak_mb:>10.1f}{ratio:>12}  {r.target}{met}"
        )


if __name__ == "__main__":
    sys.exit(main())
