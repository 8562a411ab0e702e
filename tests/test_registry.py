"""The submission registry: collecting real filled workbooks into SQLite, and the status list.

Every file here is a generated workbook filled at its defined names, as a unit
would; expectations are worked out by hand from the values filled in.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import multiprocessing
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import fill_workbook
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, Submission, TableRow, check_file
from workbook_tools.contract import Request
from workbook_tools.contract.layout import build_layout
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.findings import Finding
from workbook_tools.form import Form, get_form
from workbook_tools.periods import parse_period
from workbook_tools.registry import (
    ArchiveError,
    StoreError,
    SubmissionStore,
    collect,
    status_report,
    write_status_xlsx,
)
from workbook_tools.registry import reading as reading_module
from workbook_tools.registry.store import decode_value, decode_values, encode_value
from workbook_tools.results import status_findings, status_report_data
from workbook_tools.units import Unit, UnitRegistry
from workbook_tools.writer.writer import WorkbookFactory

PERIOD = parse_period("2025-H1")
DEADLINE = date(2025, 6, 20)  # the request_h1 fixture's deadline, written into every workbook

UNITS = (
    Unit("XA_AN_PHU", "UBND xã An Phú", "UBND xã"),
    Unit("XA_BINH_MINH", "UBND xã Bình Minh", "UBND xã"),
    Unit("SO_TU_PHAP", "Sở Tư pháp", "Sở, ban, ngành"),
    Unit("PHUONG_DONG", "UBND phường Đông", "UBND phường"),
)
OUTSIDER = Unit("XA_LA", "UBND xã Lạ", "UBND xã")  # sends a file but is not in the list
A, B, C, D = (u.code for u in UNITS)
# the module, not the function of the same name the package re-exports
collect_module = importlib.import_module("workbook_tools.registry.collect")


def valid_values(version: int) -> dict[str, Any]:
    """A complete, consistent filling of dvcq (every rule holds); ``version`` changes a few
    figures, as a corrected re-send would."""
    return {
        "nguoi_lap_bieu": "Nguyễn Thị Hoa",
        "dien_thoai": "0905 123 456",
        "hinh_thuc_ky": "KT.",
        "chuc_danh_thu_truong": "CHỦ TỊCH",
        "chuc_vu_nguoi_ky": "PHÓ CHỦ TỊCH",
        "nguoi_ky": "Trần Văn Bình",
        "vb_chi_dao": 10 + version,
        # seed 002's hồ sơ: 0 + 1242 + 2838 = 4080 = (3839 + 97 + 104) + (8 + 3) + 29
        "hs_ky_truoc": 0,
        "hs_truc_tuyen": 1242,
        "hs_truc_tiep": 2838,
        "hs_truoc_han": 3839,
        "hs_dung_han": 97,
        "hs_qua_han": 104,
        "hs_dang_trong_han": 8,
        "hs_dang_qua_han": 3,
        "hs_rut": 29,
        "tt_so_tien": 12.5 + version,
        "pakn_don_thu": 3,
        "pakn_cong_dvc": 4,
        "pakn_khac": 5,
        "pakn_tong": 12,
        "pakn_da_xu_ly": 10,
        "tcd_luot": 20,
        "tcd_nguoi": 25,
        "tcd_vu_viec": 18,
        "tcd_doan": 1,
        "tcd_doan_nguoi": 6,
        "don_tiep_nhan": 50,
        "don_du_dieu_kien": 40,
        "don_khieu_nai": 10,
        "don_to_cao": 5,
        "don_kien_nghi": 25,
        "cb_tong_so": 120,
        "kl_vi_pham": 0,
        "hn_cbccvc": "Có",
        "dvk_dang_ky": 3,
        "dvk_hieu_qua": 2,
        "nd_tinh_hinh": f"Tình hình chung ổn định (bản {version}).",
        "nd_ket_qua_noi_bat": "Giải quyết hồ sơ đúng hạn đạt 97,4%.",
        "nd_uu_diem": "Cải cách hành chính chuyển biến rõ.",
        "nd_han_che": "Còn 104 hồ sơ quá hạn.",
        "nd_nhiem_vu": "Tiếp tục đẩy mạnh dịch vụ công trực tuyến.",
    }


def invalid_values() -> dict[str, Any]:
    """Two cells with words in a number cell: exactly two errors (both figures then count as
    blank, so the rules using tcd_luot are skipped, not failed)."""
    return {**valid_values(1), "vb_chi_dao": "hơn 150", "tcd_luot": "khoảng 20"}


DVK_ROW = {
    "ten_mo_hinh": "Dân vận khéo trong cải cách hành chính",
    "linh_vuc": "Kinh tế",
    "don_vi_thuc_hien": "Bộ phận Một cửa",
    "nam_bat_dau": 2023,
}


def dvk_cells(form: Form) -> dict[tuple[str, int, str], tuple[str, str, Any]]:
    layout = build_layout(form)
    cells = {}
    for column, value in DVK_ROW.items():
        ref = layout.table_cells[("dvk_mo_hinh", 1, column)]
        cells[("dvk_mo_hinh", 1, column)] = (ref.sheet, ref.a1, value)
    return cells


@dataclass(frozen=True)
class Library:
    """Filled files made once per module; tests copy them into their own inbox."""

    folder: Path

    def path(self, unit: Unit, kind: str) -> Path:
        return self.folder / f"{unit.code}-{kind}.xlsx"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, request_h1: Request, dvcq: Form) -> Library:
    folder = tmp_path_factory.mktemp("library")
    factory = WorkbookFactory(request_h1)
    lib = Library(folder)
    for unit in (*UNITS, OUTSIDER):
        blank = folder / f"{unit.code}-blank.xlsx"
        blank.write_bytes(factory.build(unit))
        fill_workbook(blank, lib.path(unit, "v1"), valid_values(1), dvk_cells(dvcq))
        fill_workbook(blank, lib.path(unit, "v2"), valid_values(2), dvk_cells(dvcq))
        fill_workbook(blank, lib.path(unit, "bad"), invalid_values(), dvk_cells(dvcq))
    return lib


@pytest.fixture
def expect(dvcq: Form) -> Expectation:
    return Expectation(dvcq, PERIOD)


def at(day: int, hour: int = 10, month: int = 6) -> float:
    """A local time in 2025 as a timestamp, to set a file's mtime (= time received)."""
    return datetime(2025, month, day, hour, 0, 0).timestamp()


def put(library: Library, unit: Unit, kind: str, inbox: Path, name: str, when: float) -> Path:
    """Copy a filled file into the inbox as ``name``, saved at ``when``."""
    target = inbox / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(library.path(unit, kind), target)
    os.utime(target, (when, when))
    return target


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every registry table, ordered: to prove a run changed nothing."""
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            for table in ("submissions", "findings", "submission_values", "table_rows")
        }


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SubmissionStore.open(tmp_path / "db" / "registry.sqlite") as opened:
        yield opened


# -- the files themselves ---------------------------------------------------------------


def test_the_library_files_check_as_intended(library: Library, expect: Expectation) -> None:
    good = check_file(library.path(UNITS[0], "v1"), expect)
    assert good.accepted, [f.message for f in good.findings]
    assert good.findings == []
    bad = check_file(library.path(UNITS[0], "bad"), expect)
    assert not bad.accepted
    assert [(f.code, f.indicators) for f in bad.findings] == [
        ("value-text-in-number", ("vb_chi_dao",)),
        ("value-text-in-number", ("tcd_luot",)),
    ]


# -- collecting ---------------------------------------------------------------------------


def test_collect_records_status_values_rows_and_findings(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    a = put(library, UNITS[0], "v1", inbox, "an-phu.xlsx", at(18))
    b = put(library, UNITS[1], "bad", inbox / "email", "binh-minh.xlsx", at(19))

    report = collect([inbox], store, expect)

    assert [(e.path, e.outcome) for e in report.entries] == [
        (a, "new_accepted"),
        (b, "new_rejected"),  # inbox/an-phu.xlsx sorts before inbox/email/
    ]
    assert report.totals == {
        "new_accepted": 1,
        "new_rejected": 1,
        "duplicate": 0,
        "unchanged": 0,
        "failed": 0,
    }
    rejected = report.entries[1]
    assert (rejected.unit_code, rejected.error_count, rejected.warning_count) == (B, 2, 0)

    stored_a = store.by_sha256(sha(a))
    assert stored_a is not None
    assert (stored_a.unit_code, stored_a.unit_name, stored_a.form_id, stored_a.period) == (
        A,
        "UBND xã An Phú",
        "dvcq",
        "2025-H1",
    )
    assert (stored_a.status, stored_a.error_count, stored_a.file_name) == (
        "accepted",
        0,
        "an-phu.xlsx",
    )
    assert stored_a.received_at == datetime(2025, 6, 18, 10).astimezone()
    assert stored_a.deadline == DEADLINE
    assert stored_a.form_version == expect.form.version
    assert not stored_a.late

    values = store.values(stored_a.id)
    for code, filled in valid_values(1).items():
        assert values[code] == filled, code
        assert type(values[code]) is type(filled), code  # 0 stays int, 12.5 float, text str
    assert values["email_lien_he"] is None  # blank stays blank, not "" or 0
    assert values["hs_nhan_giai_quyet"] == 4080 and type(values["hs_nhan_giai_quyet"]) is int
    assert values["hs_dang_giai_quyet"] == 11
    assert values["ty_le_dung_han"] == 3936 / 4040
    assert values["ty_le_truc_tuyen"] == 1242 / 4080
    assert values["ty_le_pakn_xu_ly"] == 10 / 12
    assert values["ty_le_hai_long"] is None  # hl_* left blank

    rows = store.rows(stored_a.id)
    assert len(rows) == 1
    assert (rows[0].table, rows[0].index) == ("dvk_mo_hinh", 1)
    assert {k: v for k, v in rows[0].values.items() if v is not None} == DVK_ROW
    assert type(rows[0].values["nam_bat_dau"]) is int

    stored_b = store.by_sha256(sha(b))
    assert stored_b is not None and stored_b.status == "rejected"
    assert store.findings(stored_b.id) == list(rejected.findings)
    assert [f.indicators for f in store.findings(stored_b.id)] == [("vb_chi_dao",), ("tcd_luot",)]
    assert store.values(stored_b.id)["vb_chi_dao"] is None
    # many files at once (a merge): each file's findings in order, a file without any absent
    assert store.findings_of([stored_b.id, stored_b.id + 1000]) == {
        stored_b.id: list(rejected.findings)
    }
    # a period's findings with their unit and file, by unit (an-phu's file has none)
    assert store.period_findings(stored_b.form_id, stored_b.period) == [
        (stored_b.unit_code, "binh-minh.xlsx", f) for f in rejected.findings
    ]


def test_store_round_trips_every_value_type_exactly(store: SubmissionStore, tmp_path: Path) -> None:
    source = tmp_path / "tay.xlsx"
    source.write_bytes(b"not checked here, only archived")
    values: dict[str, Any] = {
        "n": 7,
        "zero": 0,
        "whole_float": 5.0,
        "tenth": 0.1,
        "third": 1 / 3,
        "text": "Đông Sơn & <Thử> “trích”",
        "number_text": "0905",
        "day": date(2025, 5, 23),
        "yes": True,
        "blank": None,
    }
    sub = Submission(
        path=source,
        sha256=sha(source),
        size=source.stat().st_size,
        form_id="dvcq",
        form_version=1,
        unit_code=A,
        unit_name="UBND xã An Phú",
        period="2025-H1",
        deadline=DEADLINE,
        values=values,
        rows=[TableRow("dvk_mo_hinh", 3, {"nam": 2021, "ngay": date(2024, 12, 31), "x": None})],
        findings=[
            Finding(
                "value-number-as-text", "warning", "Số dạng chữ", "f", A, "Số liệu", "D9", ("n",)
            )
        ],
    )
    outcome = store.record(sub, received_at=datetime(2025, 6, 21, 8, 30))

    assert outcome.outcome == "new" and outcome.status == "accepted"
    back = store.values(outcome.submission_id)
    assert back == values
    assert {k: type(v) for k, v in back.items()} == {k: type(v) for k, v in values.items()}
    assert list(back) == list(values)
    assert store.rows(outcome.submission_id) == sub.rows
    assert type(store.rows(outcome.submission_id)[0].values["ngay"]) is date
    assert store.findings(outcome.submission_id) == sub.findings
    stored = store.get(outcome.submission_id)
    assert (stored.error_count, stored.warning_count) == (0, 1)
    assert stored.late  # received 21/6, deadline 20/6
    assert not stored.late_against(date(2025, 6, 21))


def test_values_and_rows_of_many_submissions_are_those_of_each(
    store: SubmissionStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading_module, "_IDS_PER_QUERY", 2)  # three ids: two queries
    ids = []
    for k, unit in enumerate(("XA_1", "XA_2", "XA_3")):
        source = tmp_path / f"{unit}.xlsx"
        source.write_bytes(unit.encode())
        rows = [TableRow("dvk_mo_hinh", 1, {"ngay": date(2025, 1, k + 1)})] if k != 1 else []
        sub = Submission(
            path=source, sha256=sha(source), size=source.stat().st_size, form_id="dvcq",
            form_version=1, unit_code=unit, unit_name=unit, period="2025-H1", deadline=DEADLINE,
            values={"n": k, "x": k / 2, "t": f"đv {k}", "blank": None, "yes": k == 2}, rows=rows,
            findings=[],
        )  # fmt: skip
        ids.append(store.record(sub, received_at=datetime(2025, 6, 1)).submission_id)
    values, rows = store.values_of([*ids, 999]), store.rows_of(ids)
    assert values == {i: store.values(i) for i in ids}
    assert values[ids[1]] == {"n": 1, "x": 0.5, "t": "đv 1", "blank": None, "yes": False}
    assert type(values[ids[0]]["x"]) is float and type(values[ids[2]]["yes"]) is bool
    assert rows == {ids[0]: store.rows(ids[0]), ids[2]: store.rows(ids[2])}
    assert rows[ids[2]][0].values == {"ngay": date(2025, 1, 3)}


def typed(value: Any) -> Any:
    """``value`` with every scalar tagged by its type: 1, 1.0 and True differ, NaN equals NaN."""
    if isinstance(value, list):
        return ["list", [typed(v) for v in value]]
    if isinstance(value, dict):
        return ["dict", [(k, typed(v)) for k, v in value.items()]]
    return [type(value).__name__, repr(value)]


STORABLE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates()
    | st.datetimes(timezones=st.none() | st.timezones()),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text().filter(lambda k: not k.startswith("$")), inner, max_size=4),
    max_leaves=12,
)  # fmt: skip


@given(st.lists(STORABLE, max_size=12))
def test_decoding_many_values_at_once_equals_decoding_each(values: list[Any]) -> None:
    texts = [encode_value(v) for v in values]
    assert typed(decode_values(texts)) == typed([decode_value(t) for t in texts])


def test_collecting_again_changes_nothing_and_reads_nothing(
    library: Library,
    store: SubmissionStore,
    expect: Expectation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18))
    put(library, UNITS[1], "v1", inbox, "b.xlsx", at(18))
    put(library, UNITS[2], "bad", inbox, "c.xlsx", at(18))
    first = collect([inbox], store, expect)
    assert first.totals["new_accepted"] == 2 and first.totals["new_rejected"] == 1
    before = dump(store.path)
    counts = store.table_counts()
    assert counts["submissions"] == 3 and counts["seen_files"] == 3

    def no_reading(*args: Any, **kwargs: Any) -> Submission:
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(collect_module, "check_file", no_reading)
    monkeypatch.setattr(
        importlib.import_module("workbook_tools.checks.batch"), "check_file", no_reading
    )
    second = collect([inbox], store, expect)
    assert [e.outcome for e in second.entries] == ["unchanged"] * 3
    assert [(e.unit_code, e.status) for e in second.entries] == [
        (A, "accepted"),
        (B, "accepted"),
        (C, "rejected"),
    ]
    assert dump(store.path) == before
    assert store.table_counts() == counts
    monkeypatch.undo()

    # Saved again without a change (new mtime): read again, found to be the same content.
    os.utime(inbox / "a.xlsx", (at(19), at(19)))
    third = collect([inbox], store, expect)
    assert [e.outcome for e in third.entries] == ["duplicate", "unchanged", "unchanged"]
    assert dump(store.path) == before  # the first time received is kept


def test_same_content_under_another_path_is_a_duplicate(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    original = put(library, UNITS[0], "v1", tmp_path / "inbox", "a.xlsx", at(18))
    first = collect([original], store, expect)
    before = dump(store.path)
    copy = put(library, UNITS[0], "v1", tmp_path / "forwarded", "Báo cáo (1).xlsx", at(22))
    again = collect([copy], store, expect)
    (entry,) = again.entries
    assert entry.outcome == "duplicate"
    assert entry.submission_id == first.entries[0].submission_id
    assert "a.xlsx" in entry.message
    assert dump(store.path) == before
    assert store.table_counts()["seen_files"] == 2  # remembered, so the next run skips it


@pytest.mark.parametrize("order", ["older first", "same run"])
def test_the_accepted_file_received_later_supersedes_the_earlier_one(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path, order: str
) -> None:
    """Received later: in a later collect, or in the same one and saved later."""
    old = put(library, UNITS[0], "v1", tmp_path / "inbox", "lan-1.xlsx", at(10))
    new = put(library, UNITS[0], "v2", tmp_path / "inbox", "lan-2.xlsx", at(15))
    if order == "older first":
        r1 = collect([old], store, expect, now=datetime(2025, 6, 10, 17)).entries[0]
        r2 = collect([new], store, expect, now=datetime(2025, 6, 15, 17)).entries[0]
    else:  # listed newer first, received together: the save times order them
        r1, r2 = collect([new, old], store, expect, now=datetime(2025, 6, 15, 17)).entries
    assert (r1.outcome, r2.outcome) == ("new_accepted", "new_accepted")
    old_id = store.by_sha256(sha(old)).id  # type: ignore[union-attr]
    new_id = store.by_sha256(sha(new)).id  # type: ignore[union-attr]

    current = store.current("dvcq", PERIOD)
    assert [(s.id, s.file_name) for s in current] == [(new_id, "lan-2.xlsx")]
    history = store.history("dvcq", PERIOD, A)
    assert [(s.file_name, s.superseded_by) for s in history] == [
        ("lan-1.xlsx", new_id),
        ("lan-2.xlsx", None),
    ]
    assert store.values(new_id)["vb_chi_dao"] == 12 and store.values(old_id)["vb_chi_dao"] == 11
    if order == "older first":
        assert (r2.superseded_id, r2.superseded_by) == (old_id, None)
    else:
        assert (r2.superseded_id, r2.superseded_by) == (None, new_id)
        assert "lịch sử" in r2.message
    # both originals archived: the older figures are not lost
    assert all(store.archive_file(s) is not None for s in history)


def test_a_third_file_supersedes_the_current_one_and_history_keeps_all(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "1.xlsx", at(10))
    put(library, UNITS[0], "v2", inbox, "2.xlsx", at(12))
    collect([inbox], store, expect)
    # a third version: the v1 figures again but saved later (another content: re-filled)
    third = put(library, UNITS[0], "v1", tmp_path / "later", "3.xlsx", at(14))
    with open(third, "ab") as fh:  # trailing bytes after the zip: same workbook, new content
        fh.write(b"\0")
    os.utime(third, (at(14), at(14)))
    entry = collect([third], store, expect).entries[0]
    assert entry.outcome == "new_accepted"
    history = store.history("dvcq", PERIOD, A)
    ids = [s.id for s in history]
    assert [s.file_name for s in history] == ["1.xlsx", "2.xlsx", "3.xlsx"]
    assert [s.superseded_by for s in history] == [ids[1], ids[2], None]
    assert [s.id for s in store.current("dvcq", PERIOD)] == [ids[2]]


def test_rejected_files_are_never_current(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "bad", inbox, "a-loi.xlsx", at(12))
    collect([inbox], store, expect)
    assert store.current("dvcq", PERIOD) == []
    # an older valid file arrives afterwards, then a newer file with errors
    put(library, UNITS[0], "v1", inbox, "a-dung.xlsx", at(11))
    put(library, UNITS[1], "bad", inbox, "b-loi.xlsx", at(13))
    collect([inbox], store, expect)
    current = store.current("dvcq", PERIOD)
    assert [(s.unit_code, s.file_name) for s in current] == [(A, "a-dung.xlsx")]
    everything = store.all_for("dvcq", PERIOD)
    assert sorted((s.unit_code, s.status, s.superseded_by) for s in everything) == [
        (A, "accepted", None),
        (A, "rejected", None),
        (B, "rejected", None),
    ]
    assert all(s.archive_path is None for s in everything if not s.accepted)


def test_a_batch_commits_its_records_together_and_undoes_a_failing_one_alone(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    first = check_file(put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18)), expect)
    changed_path = put(library, UNITS[1], "v1", inbox, "b.xlsx", at(18))
    changed = check_file(changed_path, expect)
    shutil.copyfile(library.path(UNITS[1], "v2"), changed_path)  # replaced after checking
    last = check_file(put(library, UNITS[2], "v1", inbox, "c.xlsx", at(18)), expect)
    with store.batch():
        store.record(first)
        with pytest.raises(ArchiveError):
            store.record(changed)
        store.record(last)
    with SubmissionStore.open(store.path) as other:  # committed: another connection sees it
        assert [s.unit_code for s in other.all_for("dvcq", PERIOD)] == sorted([A, C])
        assert other.table_counts()["submissions"] == 2


def test_a_batch_that_raises_records_nothing(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    sub = check_file(put(library, UNITS[0], "v1", tmp_path / "inbox", "a.xlsx", at(18)), expect)
    with pytest.raises(KeyboardInterrupt), store.batch():
        store.record(sub)
        raise KeyboardInterrupt
    assert store.table_counts()["submissions"] == 0
    assert store.record(sub).outcome == "new"  # the store is usable after the rollback


SCALARS = (
    st.integers() | st.floats(allow_nan=False) | st.text() | st.booleans() | st.none() | st.dates()
)
COLUMN_CODES = st.from_regex(r"[a-z_]{1,12}", fullmatch=True)


@given(st.recursive(SCALARS, lambda inner: st.dictionaries(COLUMN_CODES, inner), max_leaves=8))
def test_encoded_values_are_plain_json_and_decode_to_the_same_value_and_type(value: Any) -> None:
    text = encode_value(value)
    assert text == json.dumps(value, ensure_ascii=False, default=_json_default_for_test)
    back = decode_value(text)
    assert back == value and type(back) is type(value)


def test_nan_is_stored_as_json_nan() -> None:
    assert encode_value(math.nan) == "NaN" and math.isnan(decode_value("NaN"))


def _json_default_for_test(value: Any) -> Any:
    """Dates as the store documents them: {"$date": ISO}."""
    assert isinstance(value, date)
    return {"$date": value.isoformat()}


def test_accepted_originals_are_archived_and_received_files_untouched(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    good = put(library, UNITS[0], "v1", inbox, "Bao Cao.XLSX", at(18))
    bad = put(library, UNITS[1], "bad", inbox, "loi.xlsx", at(18))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (good, bad)}

    collect([inbox], store, expect)

    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (good, bad)} == before
    digest = sha(good)
    expected_archive = store.path.parent / "archive" / digest[:2] / f"{digest}.xlsx"
    stored = store.by_sha256(digest)
    assert stored is not None
    assert stored.archive_path == f"archive/{digest[:2]}/{digest}.xlsx"
    assert store.archive_file(stored) == expected_archive
    assert expected_archive.read_bytes() == before[good][0]
    assert expected_archive.stat().st_mtime_ns == before[good][1]
    archived = [p for p in (store.path.parent / "archive").rglob("*") if p.is_file()]
    assert archived == [expected_archive]  # the rejected file is not archived, no temp left


def test_archive_refuses_a_file_changed_after_checking(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    path = put(library, UNITS[0], "v1", tmp_path / "inbox", "a.xlsx", at(18))
    sub = check_file(path, expect)
    shutil.copyfile(library.path(UNITS[0], "v2"), path)  # replaced in the inbox meanwhile
    with pytest.raises(ArchiveError, match="đã thay đổi"):
        store.record(sub, archive_dir=tmp_path / "archive")
    assert store.table_counts()["submissions"] == 0  # rolled back: nothing half-recorded
    assert not (tmp_path / "archive").exists() or not any((tmp_path / "archive").rglob("*.xlsx"))


def test_bad_files_do_not_stop_the_batch(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "a-rong.xlsx").parent.mkdir(parents=True)
    (inbox / "a-rong.xlsx").write_bytes(b"")  # zero bytes: checked, rejected
    (inbox / "b-mat.xlsx").symlink_to(inbox / "khong-co.xlsx")  # points at nothing
    put(library, UNITS[0], "v1", inbox, "c-bien-mat.xlsx", at(18))  # removed mid-run
    put(library, UNITS[1], "v1", inbox, "d-tot.xlsx", at(18))
    put(library, UNITS[2], "v1", inbox, "~$d-tot.xlsx", at(18))  # Office lock file
    put(library, UNITS[2], "v1", inbox, ".an.xlsx", at(18))  # hidden
    missing = tmp_path / "khong-ton-tai"

    def vanish(done: Path) -> None:
        if done.name == "b-mat.xlsx":
            (inbox / "c-bien-mat.xlsx").unlink()

    report = collect([inbox, missing], store, expect, progress=vanish)

    outcomes = [(e.path.name, e.outcome) for e in report.entries]
    assert outcomes == [
        ("khong-ton-tai", "failed"),
        ("a-rong.xlsx", "new_rejected"),
        ("b-mat.xlsx", "failed"),
        ("c-bien-mat.xlsx", "failed"),
        ("d-tot.xlsx", "new_accepted"),
    ]
    messages = {e.path.name: e.message for e in report.failed}
    assert "Không tìm thấy tệp hoặc thư mục" in messages["khong-ton-tai"]
    assert messages["b-mat.xlsx"].startswith("Không tìm thấy tệp b-mat.xlsx")
    assert messages["c-bien-mat.xlsx"].startswith("Không tìm thấy tệp c-bien-mat.xlsx")
    assert [f.code for f in report.entries[1].findings] == ["file-empty"]
    assert [s.unit_code for s in store.current("dvcq", PERIOD)] == [B]
    assert report.totals["failed"] == 3


def test_an_unreadable_file_is_reported_and_the_batch_goes_on(
    library: Library,
    store: SubmissionStore,
    expect: Expectation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18))
    put(library, UNITS[1], "v1", inbox, "b.xlsx", at(18))
    collect_module = importlib.import_module("workbook_tools.registry.collect")

    read = collect_module.read_regular

    def locked(path: Path) -> Any:  # as if another program held it
        if path.name == "a.xlsx":
            raise PermissionError(13, "Permission denied", str(path))
        return read(path)

    monkeypatch.setattr(collect_module, "read_regular", locked)
    report = collect([inbox], store, expect)
    assert [e.outcome for e in report.entries] == ["failed", "new_accepted"]
    assert "quyền đọc" in report.entries[0].message
    assert [s.unit_code for s in store.current("dvcq", PERIOD)] == [UNITS[1].code]


def test_archive_copies_not_on_disk_mean_their_records_are_not_committed(
    library: Library,
    store: SubmissionStore,
    expect: Expectation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18))
    flushed: list[Path] = []

    def disk_fails(paths: list[Path]) -> None:
        flushed.extend(paths)
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(collect_module, "sync_files", disk_fails)
    with pytest.raises(WorkbookToolsError, match="Không ghi được bản lưu trữ xuống đĩa"):
        collect([inbox], store, expect)
    assert len(flushed) == 1 and flushed[0].parent.parent == store.default_archive_dir
    assert store.table_counts()["submissions"] == 0  # the batch was rolled back
    monkeypatch.undo()
    assert [e.outcome for e in collect([inbox], store, expect).entries] == ["new_accepted"]


def test_the_store_own_files_are_not_collected(
    library: Library, expect: Expectation, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18))
    with SubmissionStore.open(inbox / "registry.sqlite") as store:  # db and archive in the inbox
        collect([inbox], store, expect)
        second = collect([inbox], store, expect)
        assert [(e.path.name, e.outcome) for e in second.entries] == [("a.xlsx", "unchanged")]
        assert (inbox / "archive").is_dir()


# -- concurrency -------------------------------------------------------------------------


def _collect_in_process(db: str, paths: list[str], barrier: Any, out: Any) -> None:
    form = get_form("dvcq")
    with SubmissionStore.open(Path(db)) as store:
        barrier.wait()
        report = collect([Path(p) for p in paths], store, Expectation(form, PERIOD))
    out.put([(str(e.path), e.outcome, e.message) for e in report.entries])


def test_two_concurrent_collects_leave_a_consistent_database(
    library: Library, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    files = {
        "a1": put(library, UNITS[0], "v1", inbox, "a1.xlsx", at(10)),
        "a2": put(library, UNITS[0], "v2", inbox, "a2.xlsx", at(12)),
        "b1": put(library, UNITS[1], "v1", inbox, "b1.xlsx", at(11)),
        "b-bad": put(library, UNITS[1], "bad", inbox, "b-bad.xlsx", at(13)),
        "c1": put(library, UNITS[2], "v1", inbox, "c1.xlsx", at(10)),
        "c2": put(library, UNITS[2], "v2", inbox, "c2.xlsx", at(14)),
        # the same content as a2, forwarded and saved again later
        "a2-copy": put(library, UNITS[0], "v2", inbox / "fw", "a2.xlsx", at(16)),
    }
    # more copies of contents that can never become current whatever is recorded first
    # (a rejected one, and c1 with a time before c2's), so both processes write all along
    copies = [
        put(library, UNITS[1] if i % 2 else UNITS[2], "bad" if i % 2 else "v1", inbox / "cc",
            f"{i:02d}.xlsx", at(9))
        for i in range(20)
    ]  # fmt: skip
    first = [*(files[k] for k in ("a1", "a2", "b1", "b-bad", "c2", "a2-copy", "c1")), *copies]
    second = [
        *(files[k] for k in ("a2-copy", "c2", "c1", "b1", "a2", "a1", "b-bad")),
        *copies[::-1],
    ]
    db = tmp_path / "shared" / "registry.sqlite"
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    out = context.Queue()
    workers = [
        context.Process(
            target=_collect_in_process, args=(str(db), [str(p) for p in paths], barrier, out)
        )
        for paths in (first, second)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    entries = [entry for result in results for entry in result]
    assert [e for e in entries if e[1] == "failed"] == []
    new = [e for e in entries if e[1].startswith("new_")]
    assert len(new) == 6  # six distinct contents, each recorded by exactly one process
    assert len(entries) == 2 * 27
    with sqlite3.connect(db) as conn:
        shas = [r[0] for r in conn.execute("SELECT sha256 FROM submissions")]
        slots = conn.execute(
            "SELECT unit_code, period, count(*) FROM submissions "
            "WHERE status = 'accepted' AND superseded_by IS NULL GROUP BY unit_code, period"
        ).fetchall()
        dangling = conn.execute(
            "SELECT count(*) FROM submissions s WHERE superseded_by IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM submissions t WHERE t.id = s.superseded_by)"
        ).fetchone()[0]
    assert sorted(shas) == sorted({sha(p) for p in files.values()})
    assert len(shas) == len(set(shas)) == 6
    assert sorted(slots) == sorted([(A, "2025-H1", 1), (B, "2025-H1", 1), (C, "2025-H1", 1)])
    assert dangling == 0
    with SubmissionStore.open(db) as store:
        current = {s.unit_code: s.file_name for s in store.current("dvcq", PERIOD)}
    assert current == {A: "a2.xlsx", B: "b1.xlsx", C: "c2.xlsx"}  # the newest valid of each


# -- opening -------------------------------------------------------------------------------


def test_open_creates_the_schema_once_with_wal(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "r.sqlite"
    with SubmissionStore.open(path) as store:
        assert store.schema_version == 3
    with SubmissionStore.open(path) as store:  # opening again keeps it
        assert store.table_counts() == dict.fromkeys(
            ("submissions", "findings", "submission_values", "table_rows", "seen_files",
             "decisions", "received_paths", "rounds", "round_units", "approvals",
             "quality_inputs"),
            0,
        )  # fmt: skip
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3


def test_open_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "not.sqlite"
    path.write_text("Mã đơn vị,Tên đơn vị\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="không phải cơ sở dữ liệu"):
        SubmissionStore.open(path)


def test_open_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="mới hơn"):
        SubmissionStore.open(path)


# -- status --------------------------------------------------------------------------------


@pytest.fixture
def follow_up(
    library: Library, store: SubmissionStore, expect: Expectation, tmp_path: Path
) -> SubmissionStore:
    """A on time (plus a late correction), B only late, C only with errors, D nothing,
    and an outsider not in the list."""
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "an-phu.xlsx", at(18))
    put(library, UNITS[0], "v2", inbox, "an-phu-sua.xlsx", at(24))
    put(library, UNITS[1], "v1", inbox, "binh-minh.xlsx", at(23))
    put(library, UNITS[2], "bad", inbox, "tu-phap.xlsx", at(17))
    put(library, UNITS[2], "bad", inbox, "tu-phap-lan-2.xlsx", at(19))
    (inbox / "tu-phap-lan-2.xlsx").write_bytes((inbox / "tu-phap-lan-2.xlsx").read_bytes() + b"\0")
    os.utime(inbox / "tu-phap-lan-2.xlsx", (at(19), at(19)))
    put(library, OUTSIDER, "v1", inbox, "xa-la.xlsx", at(18))
    report = collect([inbox], store, expect)
    assert report.totals["failed"] == 0
    return store


REGISTRY = UnitRegistry(UNITS, source="danh-sach.csv")


def test_status_states_and_totals(follow_up: SubmissionStore) -> None:
    report = status_report(follow_up, "dvcq", PERIOD, REGISTRY)
    got = [
        (u.unit_code, u.state, u.late, u.file_name, u.rejected_count, u.last_rejected_errors)
        for u in report.units
    ]
    assert got == [
        (A, "accepted", False, "an-phu-sua.xlsx", 0, None),  # first valid file was on time
        (B, "accepted", True, "binh-minh.xlsx", 0, None),
        (C, "rejected_only", False, None, 2, 2),
        (D, "missing", False, None, 0, None),
    ]
    a, b, c, d = report.units
    assert a.received_at == datetime(2025, 6, 24, 10).astimezone()
    assert a.first_accepted_at == datetime(2025, 6, 18, 10).astimezone()
    assert a.deadline == DEADLINE  # from the workbook
    assert b.received_at == b.first_accepted_at == datetime(2025, 6, 23, 10).astimezone()
    assert (d.received_at, d.file_name, d.deadline) == (None, None, None)
    assert (a.unit_name, a.group) == ("UBND xã An Phú", "UBND xã")
    # B and the outsider both sent the v1 figures: each a copy of the other (issue 13)
    assert [u.state_text for u in report.units] == [
        "Đã nhận, hợp lệ",
        "Đã nhận, gửi muộn, cần xem lại",
        "Có lỗi, chưa đạt (2 lỗi)",
        "Chưa gửi",
    ]
    assert c.last_rejected_file == "tu-phap-lan-2.xlsx"
    assert [(u.unit_code, u.state, u.in_registry) for u in report.unexpected] == [
        (OUTSIDER.code, "accepted", False)
    ]
    assert report.totals.to_dict() == {
        "expected": 4,
        "accepted": 2,
        "accepted_on_time": 1,
        "late": 1,
        "rejected_only": 1,
        "missing": 1,
        "unexpected": 1,
        "unreadable": 0,
        "to_review": 1,
    }


def test_status_deadline_argument_overrides_the_workbook(follow_up: SubmissionStore) -> None:
    later = status_report(follow_up, "dvcq", PERIOD, REGISTRY, deadline=date(2025, 6, 23))
    assert [u.late for u in later.units] == [False, False, False, False]  # 23/6 is not after 23/6
    earlier = status_report(follow_up, "dvcq", PERIOD, REGISTRY, deadline=date(2025, 6, 17))
    assert [u.late for u in earlier.units] == [True, True, False, False]
    assert earlier.totals.accepted_on_time == 0


def test_status_without_a_registry_lists_the_units_seen(follow_up: SubmissionStore) -> None:
    report = status_report(follow_up, "dvcq", PERIOD, None)
    assert [(u.unit_code, u.state) for u in report.units] == sorted(
        [(A, "accepted"), (B, "accepted"), (C, "rejected_only"), (OUTSIDER.code, "accepted")],
        key=lambda pair: pair[0].casefold(),
    )
    assert report.unexpected == ()
    assert report.totals.missing == 0
    other_period = status_report(follow_up, "dvcq", parse_period("2025-H2"), REGISTRY)
    assert [u.state for u in other_period.units] == ["missing"] * 4


def test_status_json_shape(follow_up: SubmissionStore) -> None:
    report = status_report(follow_up, "dvcq", PERIOD, REGISTRY)
    data = status_report_data(report, status_findings(follow_up, report)).to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert set(data) == {
        "command",
        "valid",
        "totals",
        "items",
        "form_id",
        "period",
        "period_label",
        "deadline",
        "registry",
        "states",
    }
    assert (data["form_id"], data["period"], data["deadline"]) == ("dvcq", "2025-H1", None)
    assert data["period_label"] == "6 tháng đầu năm 2025"
    assert data["states"]["late"] == 1
    units = [u for u in data["items"] if u["in_registry"]]
    first = units[0]
    assert first["unit_code"] == A and first["state"] == "accepted"
    assert (first["name"], first["verdict"], first["valid"]) == (A, "valid", True)
    assert first["deadline"] == "2025-06-20"
    assert datetime.fromisoformat(first["received_at"]) == datetime(2025, 6, 24, 10).astimezone()
    assert units[2]["state_text"] == "Có lỗi, chưa đạt (2 lỗi)"
    assert units[2]["verdict"] == "invalid"
    assert units[3]["received_at"] is None
    assert [u["unit_code"] for u in data["items"] if not u["in_registry"]] == [OUTSIDER.code]


def test_status_xlsx_has_the_follow_up_rows(follow_up: SubmissionStore, tmp_path: Path) -> None:
    report = status_report(follow_up, "dvcq", PERIOD, REGISTRY)
    path = write_status_xlsx(report, tmp_path / "out" / "theo-doi.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(grid) if row[0] == "STT")
    assert grid[header_at] == [
        "STT",
        "Mã đơn vị",
        "Tên đơn vị",
        "Khối/loại",
        "Tình trạng",
        "Sở nhận",
        "Ngày lưu tệp",
        "Tệp",
        "Ghi chú",
    ]
    body = grid[header_at + 1 :]
    assert [row[:5] for row in body] == [
        [1, A, "UBND xã An Phú", "UBND xã", "Đã nhận, hợp lệ"],
        [2, B, "UBND xã Bình Minh", "UBND xã", "Đã nhận, gửi muộn, cần xem lại"],  # a copy
        [3, C, "Sở Tư pháp", "Sở, ban, ngành", "Có lỗi, chưa đạt (2 lỗi)"],
        [4, D, "UBND phường Đông", "UBND phường", "Chưa gửi"],
        [5, OUTSIDER.code, "UBND xã Lạ", None, "Đã nhận, hợp lệ, cần xem lại"],  # B's figures
    ]
    assert body[0][6] == datetime(2025, 6, 24, 10)  # saved; received by the Sở when collected
    assert body[0][5] is not None and body[0][5] > datetime(2025, 6, 24, 10)
    assert body[3][5] is None and body[3][6] is None
    assert [row[7] for row in body] == [
        "an-phu-sua.xlsx",
        "binh-minh.xlsx",
        "tu-phap-lan-2.xlsx",
        None,
        "xa-la.xlsx",
    ]
    assert "Không có trong danh sách" in body[4][8]
    summary = [row[0] for row in grid[:header_at] if row[0]]
    assert "Đã nhận hợp lệ: 2 (đúng hạn 1, gửi muộn 1)" in summary
    assert "Chưa gửi: 1" in summary
    assert ws.auto_filter.ref == f"A{header_at + 1}:I{header_at + 6}"
    assert ws.freeze_panes == f"A{header_at + 2}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (1, None)  # 1 is the default, omitted by XlsxWriter
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.cell(header_at + 2, 3).font.name == "Times New Roman"
    assert ws.cell(1, 1).font.name == "Times New Roman"


def test_late_is_judged_by_the_local_date(store: SubmissionStore, tmp_path: Path) -> None:
    source = tmp_path / "x.xlsx"
    source.write_bytes(b"x")
    base = Submission(source, sha(source), 1, "dvcq", 1, A, "A", "2025-H1", DEADLINE)
    outcome = store.record(base, received_at=datetime(2025, 6, 20, 23, 59))
    assert not store.get(outcome.submission_id).late
    source.write_bytes(b"y")
    later = Submission(source, sha(source), 1, "dvcq", 1, B, "B", "2025-H1", DEADLINE)
    outcome = store.record(later, received_at=datetime(2025, 6, 20, 23, 59) + timedelta(minutes=1))
    assert store.get(outcome.submission_id).late


def test_a_file_replaced_while_being_collected_is_recorded_as_it_was_checked(
    library: Library,
    store: SubmissionStore,
    expect: Expectation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is read once: the bytes checked are the bytes archived and recorded; the
    new version saved over it meanwhile is not vouched for, so the next run collects it."""
    path = put(library, UNITS[0], "v1", tmp_path / "inbox", "a.xlsx", at(18))
    v1 = path.read_bytes()
    real_check = collect_module.check_file

    def check_then_replace(*args: Any, **kwargs: Any) -> Submission:
        checked = real_check(*args, **kwargs)
        shutil.copyfile(library.path(UNITS[0], "v2"), path)  # the unit's colleague saves over it
        os.utime(path, (at(19), at(19)))
        return checked

    monkeypatch.setattr(collect_module, "check_file", check_then_replace)
    (entry,) = collect([path], store, expect).entries
    assert entry.outcome == "new_accepted"
    assert entry.sha256 == hashlib.sha256(v1).hexdigest()
    assert store.values(entry.submission_id or 0)["vb_chi_dao"] == 11  # v1's figures
    stored = store.get(entry.submission_id or 0)
    assert (store.archive_file(stored) or Path()).read_bytes() == v1
    assert store.table_counts()["seen_files"] == 0  # v2's stamp vouches for nothing
    monkeypatch.undo()
    (again,) = collect([path], store, expect).entries
    assert again.outcome == "new_accepted" and again.superseded_id == entry.submission_id
    assert store.values(again.submission_id or 0)["vb_chi_dao"] == 12  # v2's figures


def test_parallel_checking_falls_back_to_one_process(
    library: Library, expect: Expectation, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more files than PARALLEL_MIN_FILES the check runs on workers; if they cannot
    start, the same files are checked in this process with the same outcome."""
    module = importlib.import_module("workbook_tools.checks.batch")
    inbox = tmp_path / "inbox"
    put(library, UNITS[0], "v1", inbox, "a.xlsx", at(18))
    put(library, UNITS[1], "v1", inbox, "b.xlsx", at(18))
    for i in range(module.PARALLEL_MIN_FILES):
        (inbox / f"junk-{i:03d}.xlsx").write_bytes(f"không phải bảng tính {i}".encode())

    def outcomes(db: Path) -> list[tuple[str, str]]:
        with SubmissionStore.open(db) as store:
            report = collect([inbox], store, expect, workers=2)
        return [(e.path.name, e.outcome) for e in report.entries]

    parallel = outcomes(tmp_path / "p.sqlite")

    class NoProcesses:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise OSError("no processes here")

    monkeypatch.setattr(
        importlib.import_module("workbook_tools.workers"), "ProcessPoolExecutor", NoProcesses
    )
    serial = outcomes(tmp_path / "s.sqlite")
    assert parallel == serial
    assert parallel[:2] == [("a.xlsx", "new_accepted"), ("b.xlsx", "new_accepted")]
    assert len(parallel) == 2 + module.PARALLEL_MIN_FILES
