"""`make bench` must keep running as the library changes: a tiny run of every stage.

Speed is judged by ``make bench`` itself, never here; this only proves that each stage
still calls the library the way the library now wants (the bench is not type-checked).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def test_every_bench_stage_runs_at_small_scale(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--units", "6", "--skip-baselines"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    results = json.loads((tmp_path / "bench-output" / "bench.json").read_text())["results"]
    stages = {r["stage"].split(" (")[0]: r["files"] for r in results}
    assert stages["generate"] == 6
    assert stages["check"] == 6
    assert stages["collect"] == 6
    assert stages["collect again, nothing changed"] == 6
    # merge and report count the accepted units: the filler plants errors in a few
    # returns, so at most 6 and at least one
    assert 1 <= stages["merge"] <= 6
    assert stages["report"] == stages["merge"]
    # each stage says the CPU its process and workers used (less disturbed than wall time
    # by other jobs on the machine): some, for every stage
    assert all(r["cpu_seconds"] > 0 for r in results)
