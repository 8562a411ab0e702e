"""Do two versions of workbook-tools record the same rows for the same files?

    python benchmarks/same_records.py OLD_SRC NEW_SRC FILES_DIR [COUNT]

``OLD_SRC`` and ``NEW_SRC`` are source trees (e.g. ``git archive main | tar -x -C /tmp/old``
and this checkout). Each collects the first ``COUNT`` (default 300) workbooks of
``FILES_DIR``, plus a copy of one of them under another name (a duplicate) and an empty
file (unreadable), into a fresh registry at a fixed time; then, one file saved again
unchanged, one overwritten by another's content and one damaged, collects the inbox again
at a later fixed time. Every row of every table is compared; only
``submissions.collected_at`` (the wall clock) is left out. Exit status 0 when every row is
the same.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

_COLLECT = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from workbook_tools.checks import Expectation
from workbook_tools.form import get_form
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.collect import collect

src, inbox, db, day = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
import workbook_tools
assert workbook_tools.__file__.startswith(src), workbook_tools.__file__  # the version asked for
with SubmissionStore.open(db) as store:
    collect([inbox], store, Expectation(get_form("dvcq")),
            now=datetime(2026, 1, day, 3, 4, 5, tzinfo=timezone.utc))
"""

_SKIP = {("submissions", "collected_at")}
_SAVED = 1_700_000_000 * 10**9  # the save time of the files this script writes


def _inbox(files: Path, count: int, where: Path) -> tuple[Path, list[Path]]:
    inbox = where / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    inbox.mkdir()
    chosen = sorted(files.glob("*.xlsx"))[:count]
    for path in chosen:
        shutil.copy2(path, inbox / path.name)
    shutil.copy2(chosen[0], inbox / "ban-sao.xlsx")
    (inbox / "rong.xlsx").write_bytes(b"")
    os.utime(inbox / "rong.xlsx", ns=(_SAVED, _SAVED))  # a fixed time: the same rows
    return inbox, [inbox / path.name for path in chosen]


def _change(files: list[Path]) -> None:
    """Between the two collects: saved again, overwritten by another return, damaged."""
    os.utime(files[1], ns=(_SAVED, _SAVED))
    shutil.copy2(files[3], files[2])
    damaged = bytearray(files[4].read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    files[4].write_bytes(bytes(damaged))
    os.utime(files[4], ns=(_SAVED, _SAVED))


def _rows(db: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            kept = [c for c in columns if (table, c) not in _SKIP]
            query = f"SELECT rowid, {', '.join(kept)} FROM {table} ORDER BY rowid"
            out[table] = [json.dumps(row, default=bytes.hex) for row in conn.execute(query)]
    return out


def main() -> int:
    old, new, files = (Path(a).resolve() for a in sys.argv[1:4])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        dumps = []
        for name, src in (("old", old), ("new", new)):
            inbox, chosen = _inbox(files, count, where)  # the same path for both versions
            db = where / name / "registry.sqlite"
            env = {**os.environ, "PYTHONPATH": str(src)}
            for day in (2, 3):
                run = [sys.executable, "-c", _COLLECT, str(src), inbox, db, str(day)]
                subprocess.run(run, env=env, cwd=where, check=True)  # cwd: not this checkout
                if day == 2:
                    _change(chosen)
            dumps.append(_rows(db))
    before, after = dumps
    different = [t for t in sorted(set(before) | set(after)) if before.get(t) != after.get(t)]
    for table in sorted(before):
        print(f"{table}: {len(before[table])} rows")
    if different:
        print("different:", ", ".join(different))
        return 1
    print("every row the same")
    return 0


if __name__ == "__main__":
    sys.exit(main())
