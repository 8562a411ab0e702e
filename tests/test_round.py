"""The registry knows the round it collects: the period, the units, the file that counts.

Issue 15 items 1–4 and issue 11 item 2, each reproduced as described there, through
the CLI where a user would meet it. Files: ``helpers.returned_file`` (the unit's
workbook as generated, filled with realistic figures, saved at a given time).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import returned_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.cli import cli
from workbook_tools.form import get_form
from workbook_tools.registry import SCHEMA_VERSION, SubmissionStore, collect
from workbook_tools.registry import schema as schema_module
from workbook_tools.units import Unit, UnitRegistry, write_units_csv

SNV = Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành")
STC = Unit("STC", "Sở Tài chính", "Sở, ban, ngành")
XA_A = Unit("XA_A", "UBND xã An", "UBND xã")
UNITS = (SNV, STC, XA_A)
DVCQ = get_form("dvcq")


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture
def units_csv(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    write_units_csv(list(UNITS), path)
    return path


def merged_total(db: Path, period: str, units: Path, code: str) -> object:
    out = run("merge", "--period", period, "--db", str(db), "--units", str(units), "--json",
              "--out", str(db.parent / f"merge-{period}.xlsx"))  # fmt: skip
    assert out[0] == 0, out[1]
    return json.loads(out[1])["figures"][code]


# -- 15.1: a file of another period ---------------------------------------------------------


def test_a_file_of_another_period_replaces_nothing_until_the_so_chooses_it(
    tmp_path: Path, units_csv: Path
) -> None:
    db, inbox = tmp_path / "so.sqlite", tmp_path / "inbox"
    h1_2024 = returned_file(inbox / "2024" / "snv.xlsx", SNV, "2024-H1", changes={"vb_chi_dao": 11})
    code, out = run("collect", str(h1_2024.parent), "--period", "2024-H1", "--db", str(db),
                    "--units", str(units_csv))  # fmt: skip
    assert code == 0, out
    # the 2025 round: SNV reuses its 2024-H1 workbook and types new figures
    reused = returned_file(inbox / "2025" / "snv-2025.xlsx", SNV, "2024-H1",
                           changes={"vb_chi_dao": 99})  # fmt: skip
    returned_file(inbox / "2025" / "stc.xlsx", STC, "2025-H1")
    code, out = run("collect", str(reused.parent), "--period", "2025-H1", "--db", str(db),
                    "--units", str(units_csv))  # fmt: skip
    assert code == 0, out
    line = next(x for x in out.splitlines() if "snv-2025.xlsx" in x)
    assert "tệp của kỳ 2024-H1" in line and "Thay thế" not in line
    assert "2025-H1" in next(x for x in out.splitlines() if "stc.xlsx" in x)
    assert merged_total(db, "2024-H1", units_csv, "vb_chi_dao") == 11  # the accepted return holds
    code, out = run("status", "--period", "2025-H1", "--db", str(db), "--units", str(units_csv),
                    "--json")  # fmt: skip
    snv = next(u for u in json.loads(out)["items"] if u["unit_code"] == "SNV")
    assert snv["state"] == "missing"
    assert snv["other_period_files"] == [{"file_name": "snv-2025.xlsx", "period": "2024-H1"}]
    # an explicit decision makes it count for 2024-H1, the reason kept
    code, out = run("choose", str(reused), "--reason", "Bản sửa kỳ 2024-H1, công văn 12/SNV",
                    "--db", str(db))  # fmt: skip
    assert code == 0, out
    assert merged_total(db, "2024-H1", units_csv, "vb_chi_dao") == 99
    code, out = run("status", "--period", "2024-H1", "--db", str(db), "--units", str(units_csv),
                    "--json")  # fmt: skip
    snv = next(u for u in json.loads(out)["items"] if u["unit_code"] == "SNV")
    assert snv["file_name"] == "snv-2025.xlsx"
    assert snv["decision"]["reason"] == "Bản sửa kỳ 2024-H1, công văn 12/SNV"


def test_collect_without_a_known_round_refuses_and_says_how(tmp_path: Path) -> None:
    returned_file(tmp_path / "inbox" / "snv.xlsx", SNV)
    code, out = run("collect", str(tmp_path / "inbox"), "--db", str(tmp_path / "so.sqlite"))
    assert code == 1
    assert "Chưa biết kỳ đang thu" in out and "--period" in out


# -- 15.2: received by the Sở, not the file's mtime -------------------------------------------


def test_the_file_the_so_received_last_counts_whatever_its_clock_and_the_so_can_choose(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    expect = Expectation(DVCQ)
    wrong_clock = returned_file(inbox / "snv-lan-1.xlsx", SNV, changes={"vb_chi_dao": 1},
                                saved=datetime(2030, 1, 1, 9))  # fmt: skip
    correction = returned_file(inbox / "snv-lan-2.xlsx", SNV, changes={"vb_chi_dao": 2},
                               saved=datetime(2025, 6, 19, 9))  # fmt: skip
    with SubmissionStore.open(tmp_path / "so.sqlite") as store:
        first = collect([wrong_clock], store, expect, periods=["2025-H1"],
                        now=datetime(2025, 6, 18, 17))  # fmt: skip
        second = collect([correction], store, expect, periods=["2025-H1"],
                         now=datetime(2025, 6, 20, 17))  # fmt: skip
        assert second.entries[0].superseded_id == first.entries[0].submission_id
        (current,) = store.current("dvcq", "2025-H1")
        assert current.file_name == "snv-lan-2.xlsx"
        assert current.first_seen_at == datetime(2025, 6, 20, 17).astimezone()
        assert current.received_at == datetime(2025, 6, 19, 9).astimezone()
        # the old version opened in the inbox and saved again: not a new receipt
        returned_file(wrong_clock, SNV, changes={"vb_chi_dao": 4}, saved=datetime(2030, 1, 2))
        (resaved,) = collect([wrong_clock], store, expect, periods=["2025-H1"],
                             now=datetime(2025, 6, 21, 17)).entries  # fmt: skip
        assert resaved.outcome == "new_accepted" and resaved.superseded_by is not None
        assert [s.file_name for s in store.current("dvcq", "2025-H1")] == ["snv-lan-2.xlsx"]
        resaved_at = store.get(resaved.submission_id).first_seen_at
        assert resaved_at == datetime(2025, 6, 18, 17).astimezone()  # its path's receipt
    db = tmp_path / "so.sqlite"
    registry = tmp_path / "units.csv"
    write_units_csv([SNV], registry)
    code, out = run("status", "--period", "2025-H1", "--db", str(db), "--units", str(registry))
    row = next(x for x in out.splitlines() if "snv-lan-2.xlsx" in x)
    assert "20/06/2025 17:00" in row and "19/06/2025 09:00" in row  # both times shown
    # the Sở decides the first file counts after all; later files then wait for a decision
    code, out = run("choose", first.entries[0].sha256[:10], "--reason",
                    "Đơn vị xác nhận bản lần 1", "--db", str(db))  # fmt: skip
    assert code == 0, out
    later = returned_file(inbox / "snv-lan-3.xlsx", SNV, changes={"vb_chi_dao": 3})
    with SubmissionStore.open(db) as store:
        (entry,) = collect([later], store, expect, periods=["2025-H1"]).entries
        assert entry.held == "decided" and "Sở đã chọn" in entry.message
        (current,) = store.current("dvcq", "2025-H1")
        assert current.file_name == "snv-lan-1.xlsx"
    code, out = run("status", "--period", "2025-H1", "--db", str(db), "--units", str(registry),
                    "--json")  # fmt: skip
    (snv,) = json.loads(out)["items"]
    assert snv["decision"]["reason"] == "Đơn vị xác nhận bản lần 1"
    assert snv["held_count"] == 1 and "Đơn vị xác nhận bản lần 1" in snv["note"]
    assert snv["accepted_count"] == 4  # lần 1, lần 2, lần 1 saved again, lần 3: none lost
    assert snv["late"] is False  # dated 2030 by its clock, received by the Sở on 18/06


def test_choose_refuses_a_rejected_file_and_an_empty_reason(tmp_path: Path) -> None:
    bad = returned_file(tmp_path / "inbox" / "bad.xlsx", SNV, changes={"tcd_luot": "hơn 150"})
    db = tmp_path / "so.sqlite"
    with SubmissionStore.open(db) as store:
        collect([bad], store, Expectation(DVCQ), periods=["2025-H1"])
    code, out = run("choose", str(bad), "--reason", "thử", "--db", str(db))
    assert code == 1 and "lỗi" in out
    code, out = run("choose", str(bad), "--reason", "  ", "--db", str(db))
    assert code == 1 and "lý do" in out


def test_a_version_1_registry_is_migrated_keeping_every_row(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        for statement in schema_module._SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(
            "INSERT INTO submissions (sha256, file_name, source_path, size, received_at, "
            "received_us, collected_at, unit_code, unit_name, form_id, form_version, period, "
            "deadline, status, error_count, warning_count, superseded_by, archive_path) VALUES "
            "('ab', 'snv.xlsx', '/in/snv.xlsx', 10, '2025-06-18T09:00:00+07:00', 1, "
            "'2025-06-21T08:30:00+07:00', 'SNV', 'Sở Nội vụ', 'dvcq', 1, '2025-H1', NULL, "
            "'accepted', 0, 0, NULL, NULL)"
        )
        conn.execute("INSERT INTO submission_values VALUES (1, 0, 'vb_chi_dao', '7')")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    with SubmissionStore.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        (current,) = store.current("dvcq", "2025-H1")
        assert current.first_seen_at == datetime.fromisoformat("2025-06-21T08:30:00+07:00")
        assert store.values(current.id) == {"vb_chi_dao": 7}
        counts = store.table_counts()
        assert (counts["submissions"], counts["received_paths"]) == (1, 1)


# -- 15.3: the unit name in the file against the unit list -------------------------------------


def test_a_file_whose_code_was_changed_to_another_unit_is_an_error_naming_both(
    tmp_path: Path,
) -> None:
    # SNV's workbook with the code in _meta changed to STC: the name still says Sở Nội vụ
    forged = returned_file(tmp_path / "forged.xlsx", Unit("STC", "Sở Nội vụ", "Sở, ban, ngành"))
    sub = check_file(forged, Expectation(DVCQ, registry=UnitRegistry(UNITS)))
    (found,) = [f for f in sub.errors if f.code == "unit-name-mismatch"]
    assert (found.sheet, found.cell) == ("Đơn vị", "C3")
    assert "Sở Nội vụ" in found.message and "Sở Tài chính" in found.message
    assert "SNV" in found.message  # whose name it is
    genuine = returned_file(tmp_path / "stc.xlsx", STC)
    assert check_file(genuine, Expectation(DVCQ, registry=UnitRegistry(UNITS))).accepted


# -- 15.4: feedback names ---------------------------------------------------------------------


def test_two_units_sending_the_same_file_name_get_their_own_feedback(tmp_path: Path) -> None:
    a = returned_file(tmp_path / "thu-xa-a" / "bao-cao.xlsx", XA_A, changes={"tcd_luot": "hơn 1"})
    b = returned_file(tmp_path / "thu-snv" / "bao-cao.xlsx", SNV, changes={"tcd_luot": "hơn 2"})
    out_dir = tmp_path / "phan-hoi"
    code, _ = run("check", str(a), str(b), "--annotate", str(out_dir))
    assert code == 1
    written = {p.name: p for p in out_dir.iterdir()}
    assert len(written) == 2  # one each: neither lost
    for code_ in ("XA_A", "SNV"):
        (name,) = [n for n in written if f"_{code_}_" in n]
        header = openpyxl.load_workbook(written[name])["Cần sửa"]["A2"].value
        assert f"({code_})" in header  # each copy holds its own unit's file


# -- 11.2: the units expected for a period ----------------------------------------------------


def test_status_and_merge_without_units_use_the_units_generate_recorded(
    tmp_path: Path, units_csv: Path
) -> None:
    db = tmp_path / "so.sqlite"
    code, out = run("generate", "--period", "2025-H1", "--units", str(units_csv), "--out",
                    str(tmp_path / "bieu-mau"), "--db", str(db))  # fmt: skip
    assert code == 0, out
    returned_file(tmp_path / "inbox" / "snv.xlsx", SNV)
    code, out = run("collect", str(tmp_path / "inbox"), "--db", str(db))  # round from generate
    assert code == 0 and "Kỳ đang thu: 2025-H1" in out, out
    code, out = run("status", "--period", "2025-H1", "--db", str(db))
    assert code == 0, out
    assert "Số đơn vị phải báo cáo: 3" in out and "Chưa gửi: 2" in out
    code, out = run("merge", "--period", "2025-H1", "--db", str(db), "--json", "--out",
                    str(tmp_path / "th.xlsx"))  # fmt: skip
    assert code == 0, out
    done = json.loads(out)["completeness"]
    assert (done["expected"], done["missing"]) == (3, 2)


def test_generating_again_for_some_units_adds_to_the_round_never_truncates_it(
    tmp_path: Path,
) -> None:
    with SubmissionStore.open(tmp_path / "so.sqlite") as store:
        store.record_round("dvcq", "2025-H1", [SNV, STC], source="a.csv")
        store.record_round("dvcq", "2025-H1", [Unit("STC", "Sở Tài chính tỉnh", "Sở"), XA_A])
        units = store.round_units("dvcq", "2025-H1")
        assert [(u.code, u.name) for u in units] == [
            ("SNV", "Sở Nội vụ"),
            ("STC", "Sở Tài chính tỉnh"),  # details updated, place kept
            ("XA_A", "UBND xã An"),
        ]
        store.record_round("dvcq", "2024-H1", [SNV])  # an old period generated again later
        assert [r.period for r in store.rounds("dvcq")] == ["2024-H1", "2025-H1"]
    returned_file(tmp_path / "inbox" / "snv.xlsx", SNV)
    code, out = run("collect", str(tmp_path / "inbox"), "--db", str(tmp_path / "so.sqlite"))
    assert (
        code == 0 and "Kỳ đang thu: 2025-H1" in out
    )  # the period that ends last, not the last generated


def test_status_and_merge_refuse_when_the_expected_units_are_unknown(tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite"
    returned_file(tmp_path / "inbox" / "snv.xlsx", SNV)
    run("collect", str(tmp_path / "inbox"), "--db", str(db), "--period", "2025-H1")
    code, out = run("status", "--period", "2025-H1", "--db", str(db))
    assert code == 1 and "Chưa biết các đơn vị phải báo cáo" in out and "--units" in out
    assert "Chưa gửi: 0" not in out
    code, out = run("merge", "--period", "2025-H1", "--db", str(db), "--out",
                    str(tmp_path / "th.xlsx"))  # fmt: skip
    assert code == 1 and "Chưa biết các đơn vị phải báo cáo" in out


# -- invariants over any sequence of receipts and choices -------------------------------------

_EVENT = st.one_of(
    # (unit, period, receipt day, save day): a file received
    st.tuples(
        st.just("file"),
        st.sampled_from(["A", "B"]),
        st.sampled_from(["2025-H1", "2024-H1"]),
        st.integers(1, 5),
        st.integers(1, 40),
    ),
    # the Sở chooses the k-th accepted file recorded so far
    st.tuples(st.just("choose"), st.integers(0, 30)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(_EVENT, max_size=14))
def test_one_current_per_slot_the_chosen_one_or_the_last_received(
    tmp_path_factory: pytest.TempPathFactory, events: list[tuple[object, ...]]
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    # (id, unit, period, order key, held)
    recorded: list[tuple[int, str, str, tuple[int, int, int], str | None]] = []
    chosen: dict[tuple[str, str], int] = {}
    with SubmissionStore.open(folder / "so.sqlite") as store:
        for n, event in enumerate(events):
            if event[0] == "file":
                _, unit, period, day, saved = event
                assert isinstance(day, int) and isinstance(saved, int)
                sub = Submission(path=folder / f"f{n}.xlsx", sha256=f"{n:064x}", size=1,
                                 form_id="dvcq", form_version=1, unit_code=str(unit),
                                 unit_name=str(unit), period=str(period))  # fmt: skip
                out = store.record(sub, received_at=datetime(2025, 6, 1) + timedelta(hours=saved),
                                   first_seen=datetime(2025, 6, day, 17),
                                   round_periods=["2025-H1"], archived=folder / "copy")  # fmt: skip
                key = (day, saved, n)  # received by the Sở, then saved, then recorded
                recorded.append((out.submission_id, str(unit), str(period), key, out.held))
            elif recorded:
                k = event[1]
                assert isinstance(k, int)
                sid, unit, period, _, _ = recorded[k % len(recorded)]
                store.choose(sid, "lý do")
                chosen[(unit, period)] = sid
        counts = store.table_counts()
        assert counts["submissions"] == len(recorded)  # nothing lost
        for period in ("2025-H1", "2024-H1"):
            current = {s.unit_code: s.id for s in store.current("dvcq", period)}
            for unit in ("A", "B"):
                usable = [r for r in recorded if r[1:3] == (unit, period) and r[4] is None]
                if (unit, period) in chosen:
                    expected: int | None = chosen[(unit, period)]
                elif usable:
                    expected = max(usable, key=lambda r: r[3])[0]
                else:
                    expected = None
                assert current.get(unit) == expected
