"""Recording writes the rows it always wrote, with less work in collect's main process.

- A return's values, table rows and findings go in as multi-row ``INSERT`` statements
  (:func:`insert_rows`): the same rows, in the same order (so the same rowids), as one
  ``executemany`` step per row, across the parameter limit's statement boundaries.
- What is remembered of the inbox's files (``seen_files``) is read for all of them at once.
- The row the data-quality pass reads (``quality_inputs``) is written in the record's own
  savepoint, for a new accepted return only; its figures are those of the plain definition
  (a number that is not a bool, else NaN), whatever the values' types.

``benchmarks/same_records.py`` compares two versions' registries on real filled workbooks.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.checks import Submission
from workbook_tools.checks.unusual import checked_indicators
from workbook_tools.findings import Finding
from workbook_tools.form import get_form
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry import reading as reading_module
from workbook_tools.registry.quality import input_vector
from workbook_tools.registry.reading import PARAMS_PER_STATEMENT
from workbook_tools.registry.recording import insert_rows

CELLS = (
    st.none()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats()
    | st.text(max_size=5)
    | st.binary(max_size=4)
)


def _tables(width: int) -> tuple[sqlite3.Connection, str]:
    """A table of ``width`` untyped columns, twice (one per way of inserting)."""
    db = sqlite3.connect(":memory:", isolation_level=None)
    columns = ", ".join(f"c{i}" for i in range(width))
    for name in ("old", "new"):
        db.execute(f"CREATE TABLE {name} ({columns})")
    return db, columns


def _same_rows_as_executemany(width: int, rows: list[tuple[Any, ...]]) -> None:
    db, columns = _tables(width)
    marks = ", ".join("?" * width)
    db.executemany(f"INSERT INTO old ({columns}) VALUES ({marks})", rows)
    insert_rows(db, f"new ({columns})", rows)
    old = db.execute("SELECT rowid, * FROM old ORDER BY rowid").fetchall()
    new = db.execute("SELECT rowid, * FROM new ORDER BY rowid").fetchall()
    assert repr(new) == repr(old)  # repr: NaN equals NaN, 1 and 1.0 differ
    assert len(new) == len(rows)


@given(
    st.integers(1, 10).flatmap(
        lambda width: st.lists(st.tuples(*[CELLS] * width), max_size=30).map(
            lambda rows: (width, rows)
        )
    )
)
def test_insert_rows_writes_what_executemany_writes(
    case: tuple[int, list[tuple[Any, ...]]],
) -> None:
    _same_rows_as_executemany(*case)


@pytest.mark.parametrize("count", [0, 1, 248, 249, 250, 498, 499, 600])
def test_insert_rows_across_statement_boundaries(count: int) -> None:
    # four columns: 999 // 4 = 249 rows a statement, so 250 and 600 take several
    assert PARAMS_PER_STATEMENT // 4 == 249
    _same_rows_as_executemany(4, [(i, f"mã {i}", i / 7, None) for i in range(count)])


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 700), st.integers(1, 10))
def test_insert_rows_any_count_and_width(count: int, width: int) -> None:
    _same_rows_as_executemany(width, [tuple(range(i, i + width)) for i in range(count)])


# -- through the store ---------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SubmissionStore.open(tmp_path / "db" / "registry.sqlite") as opened:
        yield opened


def _submission(
    tmp_path: Path, name: str, values: dict[str, Any], findings: list[Finding]
) -> Submission:
    source = tmp_path / name
    source.write_bytes(name.encode())
    return Submission(
        path=source,
        sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
        size=source.stat().st_size,
        form_id="dvcq",
        form_version=1,
        unit_code="XA_AN_PHU",
        unit_name="UBND xã An Phú",
        period="2025-H1",
        deadline=date(2025, 6, 20),
        values=values,
        findings=findings,
    )


def _warning(i: int) -> Finding:
    return Finding("value-number-as-text", "warning", f"cảnh báo {i}", "f", "XA_AN_PHU", "S", "D9")


def test_a_return_larger_than_one_statement_is_recorded_whole_and_in_order(
    store: SubmissionStore, tmp_path: Path
) -> None:
    # 600 values (4 columns: 249 a statement) and 120 findings (10 columns: 99 a statement)
    values: dict[str, Any] = {f"chi_tieu_{599 - i}": i for i in range(600)}
    values["chi_tieu_0"] = None
    values["ghi_chu"] = "Đông Sơn"
    findings = [_warning(i) for i in range(120)]
    sub = _submission(tmp_path, "lon.xlsx", values, findings)

    sid = store.record(sub, received_at=datetime(2025, 6, 1)).submission_id

    back = store.values(sid)
    assert back == values and list(back) == list(values)
    assert store.findings(sid) == findings
    rows = store._db.execute(
        "SELECT seq, code, value FROM submission_values WHERE submission_id = ? ORDER BY rowid",
        (sid,),
    ).fetchall()
    assert len(rows) == 601
    assert rows[0] == (0, "chi_tieu_599", "0")
    assert rows[599] == (599, "chi_tieu_0", "null")
    assert rows[600] == (600, "ghi_chu", '"Đông Sơn"')
    assert store.get(sid).warning_count == 120


def _inputs_of(calls: list[str]) -> Callable[[Submission], tuple[str, bytes]]:
    def inputs(sub: Submission) -> tuple[str, bytes]:
        calls.append(sub.path.name)
        return "khoa-bieu-mau", b"\x01\x02"

    return inputs


def test_quality_inputs_are_kept_with_a_new_accepted_return_only(
    store: SubmissionStore, tmp_path: Path
) -> None:
    calls: list[str] = []
    accepted = _submission(tmp_path, "hop-le.xlsx", {"n": 1}, [])
    error = Finding("value-negative", "error", "Số âm", "f", "XA_AN_PHU", "S", "D10")
    rejected = _submission(tmp_path, "co-loi.xlsx", {"n": -1}, [error])
    again = _submission(tmp_path, "ban-sao.xlsx", {"n": 1}, [])
    again.sha256 = accepted.sha256  # the same content under another name: a duplicate

    first = store.record(accepted, inputs=_inputs_of(calls))
    second = store.record(rejected, inputs=_inputs_of(calls))
    third = store.record(again, inputs=_inputs_of(calls))

    assert (first.outcome, second.outcome, third.outcome) == ("new", "new", "duplicate")
    assert calls == ["hop-le.xlsx"]
    kept = store._db.execute("SELECT submission_id, form_key, vector FROM quality_inputs")
    assert kept.fetchall() == [(first.submission_id, "khoa-bieu-mau", b"\x01\x02")]


def test_a_record_whose_quality_inputs_fail_leaves_nothing(
    store: SubmissionStore, tmp_path: Path
) -> None:
    def broken(sub: Submission) -> tuple[str, bytes]:
        raise sqlite3.OperationalError("disk I/O error")

    with pytest.raises(sqlite3.OperationalError):
        store.record(_submission(tmp_path, "a.xlsx", {"n": 1}, []), inputs=broken)
    for table in ("submissions", "submission_values", "quality_inputs", "seen_files"):
        assert store._db.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


# -- the figures kept for the data-quality pass -----------------------------------------------

FORM = get_form("dvcq")
CODES = [ind.code for ind in checked_indicators(FORM)]


class Count(int):
    """An int subclass (as an IntEnum would be): a number."""


class Amount(float):
    """A float subclass (as numpy.float64 is): a number."""


FIGURES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats()
    | st.integers(0, 99).map(Count)
    | st.floats(allow_nan=False).map(Amount)
    | st.floats(allow_nan=False).map(np.float64)
    | st.integers(0, 99).map(np.int64)
    | st.text(max_size=3)
    | st.dates()
)


def _plain_vector(values: dict[str, Any]) -> bytes:
    """The definition: each typed-in figure that is a number and not a bool, else NaN."""
    out = []
    for code in CODES:
        v = values.get(code)
        out.append(float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan)
    return np.array(out, dtype=np.float64).tobytes()


@given(st.dictionaries(st.sampled_from(CODES), FIGURES))
def test_the_kept_figures_are_those_of_the_plain_definition(values: dict[str, Any]) -> None:
    assert input_vector(FORM, values) == _plain_vector(values)


def test_the_kept_figures_by_hand() -> None:
    first, second, third, fourth = CODES[:4]
    values = {first: 7, second: True, third: 2.5, fourth: "12"}
    kept = np.frombuffer(input_vector(FORM, values), dtype=np.float64)
    assert kept.shape == (len(CODES),)
    assert kept[0] == 7.0 and kept[2] == 2.5
    assert np.isnan(kept[1]) and np.isnan(kept[3])  # a bool and a text are not figures
    assert np.isnan(kept[4:]).all()  # blank


# -- what collect remembers of the inbox -------------------------------------------------------


def test_seen_many_answers_for_every_path_in_queries_of_500(
    store: SubmissionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading_module, "_IDS_PER_QUERY", 2)  # five paths: three queries
    paths = [tmp_path / f"f{i}.xlsx" for i in range(5)]
    store.remember(paths[0], 10, 1000, "a" * 64)
    store.remember(paths[3], 30, 3000, "c" * 64)
    store.remember(paths[3], 31, 3001, "d" * 64)  # remembered again: the latest counts
    monkeypatch.chdir(tmp_path)
    relative = Path("f0.xlsx")  # the same file by another name: the same answer

    assert store.seen_many([*paths, relative]) == {
        paths[0]: (10, 1000, "a" * 64),
        paths[3]: (31, 3001, "d" * 64),
        relative: (10, 1000, "a" * 64),
    }
    assert store.seen_many([]) == {}
