"""Benchmarks: each stage of the loop on a synthetic registry, against the naive baseline.

Run with ``make bench`` (``--units N``, default 3,321: the national number of
commune-level units). Every stage runs in a fresh process so its peak memory
(max RSS) is its own. Prints a table and writes ``bench-output/bench.json``.

Stages so far:
- generate: the per-unit workbooks, built from one template (workbook_tools.generate);
- baseline generate: a plain per-file XlsxWriter build of the same workbook, one
  process, as a user without the template factory would write it.
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

from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.units import synthetic_units
from workbook_tools.workbook import Request, generate, workbook_bytes
from workbook_tools.workbook.writer import workbook_file_name

OUT = Path("bench-output")


@dataclass
class Result:
    stage: str
    files: int
    seconds: float
    files_per_second: float
    peak_mb: float
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
    for unit in units:
        (target / workbook_file_name(unit, request)).write_bytes(workbook_bytes(request, unit))
    return len(units)


def _child(fn: Callable[[int, str], int], n: int, out: str, queue: Any) -> None:
    start = time.perf_counter()
    files = fn(n, out)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    queue.put((files, seconds, max(peak_kb, peak_children) / 1024))


def measure(name: str, fn: Callable[[int, str], int], n: int) -> Result:
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, n, str(out), queue))
    proc.start()
    files, seconds, peak = queue.get()
    proc.join()
    return Result(name, files, round(seconds, 3), round(files / seconds, 1), round(peak, 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321, help="number of units (default 3321)")
    parser.add_argument(
        "--skip-baselines", action="store_true", help="measure our stages only (faster)"
    )
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    n = args.units
    results: list[Result] = []
    gen = measure("generate", stage_generate, n)
    gen.target = "≤ 10 s, ≤ 0.3× baseline, < 300 MB"
    results.append(gen)
    if not args.skip_baselines:
        base = measure("baseline: XlsxWriter per file", stage_baseline_generate, n)
        results.append(base)
        gen.baseline = base.stage
        gen.ratio_to_baseline = round(gen.seconds / base.seconds, 3)
    gen.met = (
        gen.seconds <= 10
        and gen.peak_mb < 300
        and (gen.ratio_to_baseline is None or gen.ratio_to_baseline <= 0.3)
    )
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
    for stage in ("generate", "baseline: XlsxWriter per file"):
        shutil.rmtree(OUT / stage, ignore_errors=True)
    return 0 if all(r.met is not False for r in results) else 1


def print_table(n: int, results: list[Result]) -> None:
    print(f"\nworkbook-tools benchmark — {n} units, {multiprocessing.cpu_count()} CPU(s)\n")
    header = f"{'stage':<32}{'files':>7}{'seconds':>10}{'files/s':>10}{'peak MB':>10}"
    header += f"{'× baseline':>12}  target"
    print(header)
    print("-" * len(header) + "-" * 30)
    for r in results:
        ratio = "" if r.ratio_to_baseline is None else f"{r.ratio_to_baseline:.3f}"
        met = "" if r.met is None else ("  MET" if r.met else "  NOT MET")
        print(
            f"{r.stage:<32}{r.files:>7}{r.seconds:>10.2f}{r.files_per_second:>10.1f}"
            f"{r.peak_mb:>10.1f}{ratio:>12}  {r.target}{met}"
        )


if __name__ == "__main__":
    sys.exit(main())
