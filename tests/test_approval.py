"""The Sở's decisions on returns (issue 13): transitions, reasons, locks, history kept.

Returns are recorded straight into a registry; expectations are worked out by hand.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import fill_workbook, record_return
from test_registry import dvk_cells, valid_values

from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.periods import parse_period
from workbook_tools.registry import SubmissionStore, status_report
from workbook_tools.registry.approval import ApprovalError, decide, history, lock_used
from workbook_tools.registry.store import SCHEMA_VERSION
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

PERIOD = parse_period("2025-H1")


def record(store: SubmissionStore, tmp_path: Path, unit: str, n: int, day: int) -> int:
    source = tmp_path / f"{unit}-{n}.xlsx"
    values = {"vb_chi_dao": n}
    return record_return(
        store, source, unit, f"Đơn vị {unit}", "2025-H1", values, datetime(2025, 6, day)
    )


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SubmissionStore.open(tmp_path / "registry.sqlite") as opened:
        yield opened


def test_return_reopen_accept_with_reasons_kept_in_order(
    store: SubmissionStore, tmp_path: Path
) -> None:
    sid = record(store, tmp_path, "A", 1, 10)
    decide(store, sid, "return", "Số đơn 120.285 nghi gõ nhầm", by="Hoa")
    decide(store, sid, "reopen", "Đơn vị xác nhận số đúng", by="Hoa")
    decide(store, sid, "accept", by="Bình")
    assert [(d.action, d.state, d.reason, d.decided_by) for d in history(store, sid)] == [
        ("return", "returned", "Số đơn 120.285 nghi gõ nhầm", "Hoa"),
        ("reopen", "received", "Đơn vị xác nhận số đúng", "Hoa"),
        ("accept", "accepted", "", "Bình"),
    ]


def test_a_return_or_reopen_needs_a_reason_and_a_state_it_can_leave(
    store: SubmissionStore, tmp_path: Path
) -> None:
    sid = record(store, tmp_path, "A", 1, 10)
    with pytest.raises(ApprovalError, match="lý do"):
        decide(store, sid, "return", "  ")
    with pytest.raises(ApprovalError, match="Chờ duyệt"):
        decide(store, sid, "unlock", "vì sao")  # not locked
    decide(store, sid, "accept")
    with pytest.raises(ApprovalError, match="Đã duyệt"):
        decide(store, sid, "return", "sai")  # an accepted return is reopened first
    assert [d.action for d in history(store, sid)] == ["accept"]


def test_a_returned_return_is_merged_by_nobody_and_shown_as_returned(
    store: SubmissionStore, tmp_path: Path
) -> None:
    a, b = record(store, tmp_path, "A", 1, 10), record(store, tmp_path, "B", 2, 10)
    decide(store, a, "return", "Thiếu số liệu hồ sơ")
    assert [s.id for s in store.current("dvcq", PERIOD)] == [b]
    report = status_report(store, "dvcq", PERIOD, None)
    units = {u.unit_code: u for u in report.units}
    assert units["A"].state_text == "Đã trả lại để sửa"
    assert "Thiếu số liệu hồ sơ" in units["A"].note
    # not a valid report until corrected: the totals (and the report's completeness) agree
    assert (report.totals.accepted, report.totals.rejected_only) == (1, 1)


def test_a_locked_return_stays_in_use_when_a_newer_file_comes_until_unlocked(
    store: SubmissionStore, tmp_path: Path
) -> None:
    first = record(store, tmp_path, "A", 1, 10)
    assert [d.state for d in lock_used(store, [first], "Tổng hợp vào bc.xlsx")] == ["locked"]
    newer = record(store, tmp_path, "A", 2, 12)  # supersedes in the history...
    assert store.get(first).superseded_by == newer
    assert [s.id for s in store.current("dvcq", PERIOD)] == [first]  # ...but not in a merge
    unit = status_report(store, "dvcq", PERIOD, None).units[0]
    assert unit.in_use_file == "A-1.xlsx"
    decide(store, first, "unlock", "Đơn vị gửi bản sửa, tổng hợp lại")
    assert [s.id for s in store.current("dvcq", PERIOD)] == [newer]
    assert [d.action for d in history(store, first)] == ["lock", "unlock"]
    assert lock_used(store, [newer, newer], "lần hai") and lock_used(store, [newer], "x") == []


def _decide_in_process(db: str, sid: int, by: str, barrier: Any, rounds: int) -> None:
    with SubmissionStore.open(db) as opened:
        barrier.wait()
        for i in range(rounds):
            action = "accept" if i % 2 == 0 else "reopen"
            try:
                decide(opened, sid, action, f"lần {i}", by=by)
            except ApprovalError:
                continue  # the other one got there first: that is the point


def test_concurrent_decisions_lose_no_entry_and_keep_a_valid_sequence(
    store: SubmissionStore, tmp_path: Path
) -> None:
    sid = record(store, tmp_path, "A", 1, 10)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_decide_in_process, args=(str(store.path), sid, by, barrier, 20))
        for by in ("Hoa", "Bình")
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0
    kept = history(store, sid)
    # every decision written started from the state the previous one left
    state = "received"
    for d in kept:
        assert (d.action, state) in {("accept", "received"), ("reopen", "accepted")}
        state = d.state
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT count(*) FROM approvals").fetchone()[0] == len(kept)


def test_a_schema_2_database_is_migrated_keeping_its_records(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with SubmissionStore.open(path) as opened:
        sid = record(opened, tmp_path, "A", 1, 10)
    with sqlite3.connect(path) as conn:  # as the previous version (issue 15's) left it
        conn.execute("DROP TABLE approvals")
        conn.execute("DROP TABLE quality_inputs")
        conn.execute("PRAGMA user_version = 2")
    with SubmissionStore.open(path) as opened:
        assert opened.schema_version == SCHEMA_VERSION == 3
        assert opened.get(sid).unit_code == "A"
        decide(opened, sid, "accept")
        assert opened.approval_state(sid) == "accepted"


def test_review_commands_through_the_cli(store: SubmissionStore, tmp_path: Path) -> None:
    record(store, tmp_path, "A", 1, 10)
    db = str(store.path)
    runner = CliRunner()
    base = ["--period", "2025-H1", "--db", db]
    missing = runner.invoke(cli, ["review", "return", "A", *base])
    assert missing.exit_code == 2 and "--ly-do" in missing.output
    done = runner.invoke(cli, ["review", "return", "A", *base, "--ly-do", "Sai số", "--by", "Hoa"])
    assert done.exit_code == 0, done.output
    assert "Trả lại để sửa" in done.output
    wrong = runner.invoke(cli, ["review", "accept", "A", *base])
    assert wrong.exit_code == 1 and "Trả lại để sửa" in wrong.output
    shown = runner.invoke(cli, ["review", "history", "A", *base])
    assert "Hoa: trả lại để sửa → Trả lại để sửa — Sai số" in shown.output
    unknown = runner.invoke(cli, ["review", "accept", "ZZ", *base])
    assert unknown.exit_code == 1 and "ZZ" in unknown.output


def test_the_feedback_file_of_a_returned_return_carries_the_reason(
    tmp_path: Path, request_h1: Request, dvcq: Form
) -> None:
    unit = Unit("XA_AN", "UBND xã An", "UBND xã")
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(WorkbookFactory(request_h1).build(unit))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill_workbook(blank, inbox / "ubnd-xa-an_2025-h1.xlsx", valid_values(1), dvk_cells(dvcq))
    db = str(tmp_path / "registry.sqlite")
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["collect", str(inbox), "--db", db, "--period", "2025-H1"]).exit_code
        == 0
    )
    out = tmp_path / "gui-lai"
    result = runner.invoke(
        cli,
        ["review", "return", "XA_AN", "--period", "2025-H1", "--db", db, "--annotate", str(out),
         "--ly-do", "Số đơn kiến nghị 120.285 nghi gõ nhầm"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (written,) = out.glob("ubnd-xa-an_2025-h1_XA_AN_*_can-sua.xlsx")  # named by issue 15
    sheet = openpyxl.load_workbook(written)["Cần sửa"]
    # an accepted file, but sent back: it asks for a resend, not "no need to send again"
    assert sheet["A1"].value == "NHỮNG NỘI DUNG CẦN SỬA TRƯỚC KHI GỬI LẠI"
    assert sheet["E5"].value == "Nội dung cần sửa"
    assert (
        sheet["A4"].value
        == "Sở trả lại báo cáo để sửa. Lý do: Số đơn kiến nghị 120.285 nghi gõ nhầm"
    )
    assert sheet["A2"].value.startswith("Tệp: ubnd-xa-an_2025-h1.xlsx")
