"""Data quality beyond the rules: unusual figures and copies (issue 13).

Returns are recorded straight into a registry (the values a check would give);
every expectation is worked out by hand in the comments.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import fill_workbook, record_return
from hypothesis import given, settings
from hypothesis import strategies as st
from test_registry import dvk_cells, valid_values

from workbook_tools.checks import Expectation, Submission
from workbook_tools.checks.copies import named_unit, same_file_findings
from workbook_tools.checks.unusual import Earlier, Spread, unusual_findings
from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.contract.compiled import layout_for
from workbook_tools.form import Form
from workbook_tools.merge import QualityCounts, consolidate
from workbook_tools.periods import parse_period
from workbook_tools.registry import SubmissionStore, collect, status_report
from workbook_tools.registry.quality import Baseline, review_checked, review_recorded
from workbook_tools.report.context import quality_sentence
from workbook_tools.units import Unit, UnitRegistry
from workbook_tools.units.registry import write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

SO = "Sở, ban, ngành"
UNITS = [Unit(f"SO{i}", f"Sở số {i}", SO) for i in range(1, 8)]
REGISTRY = UnitRegistry(tuple(UNITS), source="test")


def record(
    store: SubmissionStore,
    tmp_path: Path,
    unit: Unit,
    period: str,
    values: dict[str, Any],
) -> int:
    """Record an accepted return of ``unit`` with ``values``."""
    source = tmp_path / f"{unit.code}-{period}.xlsx"
    return record_return(store, source, unit.code, unit.name, period, values, datetime(2025, 6, 10))


@pytest.fixture
def store(tmp_path: Path) -> Any:
    with SubmissionStore.open(tmp_path / "registry.sqlite") as opened:
        yield opened


# -- the statistics -------------------------------------------------------------------


def test_spread_is_median_and_median_absolute_deviation() -> None:
    # 10, 12, 13, 15, 90: median 13; deviations 3, 1, 0, 2, 77 → MAD 2
    s = Spread.of([10, 12, 13, 15, 90])
    assert (s.median, s.mad, s.count) == (13, 2, 5)
    # MAD floored at half the median (6.5): z(300) = 0.6745 · 287 / 6.5 ≈ 29.8
    assert s.z(300) == pytest.approx(0.6745 * 287 / 6.5)


def test_seed_000_garbled_120_285_don_is_flagged_against_history_and_peers(dvcq: Form) -> None:
    # seed 000: "đơn kiến nghị, phản ánh: 120 285 đơn" read as 120.285; the half-year
    # before the unit reported 41, the other sở 8..16 (median 12)
    history = {"don_kien_nghi": [Earlier("6 tháng đầu năm 2024", 41)]}
    peers = {"don_kien_nghi": Spread.of([8, 10, 12, 12, 13, 16])}
    found = unusual_findings(
        dvcq, {"don_kien_nghi": 120285}, history, peers, "đơn vị khối “Sở, ban, ngành”"
    )
    cell = layout_for(dvcq).cell("don_kien_nghi")
    assert [(f.code, f.severity, f.sheet, f.cell, f.indicators) for f in found] == [
        ("quality-unusual", "warning", cell.sheet, cell.a1, ("don_kien_nghi",))
    ]
    for part in ("120.285 đơn", "6 tháng đầu năm 2024 đơn vị báo cáo 41 đơn", "12 đơn"):
        assert part in found[0].message


def test_five_periods_one_absurd_value_flagged_a_real_increase_not(dvcq: Form) -> None:
    # hồ sơ trực tuyến 1.000, 1.100, 1.050, 1.200, 1.150 → median 1.100, MAD 50 → floor 550
    history = {
        "hs_truc_tuyen": [
            Earlier(f"6 tháng đầu năm {y}", v)
            for y, v in zip(range(2020, 2025), (1000, 1100, 1050, 1200, 1150), strict=True)
        ]
    }
    # 2.500 (more than doubled: a new online service): z = 0.6745 · 1.400 / 550 ≈ 1.7 → quiet
    assert unusual_findings(dvcq, {"hs_truc_tuyen": 2500}, history, {}, "") == []
    # 11.000 (a zero too many): z = 0.6745 · 9.900 / 550 ≈ 12.1 → flagged
    found = unusual_findings(dvcq, {"hs_truc_tuyen": 11000}, history, {}, "")
    assert [f.indicators for f in found] == [("hs_truc_tuyen",)]
    assert "trung vị 5 kỳ trước: 1.100" in found[0].message


def test_small_counts_and_a_first_period_never_alarm(dvcq: Form) -> None:
    # 2 → 60 đơn: 30 times, but a difference of 58 < 100
    history = {"don_kien_nghi": [Earlier("năm 2024", 2)]}
    assert unusual_findings(dvcq, {"don_kien_nghi": 60}, history, {}, "") == []
    # no history and fewer than five peers: nothing to compare with
    peers = {"don_kien_nghi": Spread.of([1, 2, 3, 4])}
    assert unusual_findings(dvcq, {"don_kien_nghi": 100000}, {}, peers, "") == []


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), min_size=5, max_size=30),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=6),
)
def test_a_return_equal_to_the_medians_never_warns(peers: list[int], history: list[int]) -> None:
    from workbook_tools.form import get_form

    form = get_form("dvcq")
    spread = Spread.of(peers)
    own = Spread.of(history)
    # equal to the peers' median: quiet against the peers
    assert (
        unusual_findings(form, {"don_kien_nghi": spread.median}, {}, {"don_kien_nghi": spread}, "")
        == []
    )
    earlier = [Earlier(f"năm {2000 + i}", v) for i, v in enumerate(history)]
    assert (
        unusual_findings(form, {"don_kien_nghi": own.median}, {"don_kien_nghi": earlier}, {}, "")
        == []
    )


# -- through the registry ---------------------------------------------------------------


def test_collected_returns_are_compared_with_history_and_peers(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    # SO1 reported 41 đơn kiến nghị in 2024-H1; the six other sở report 8, 10, 12, 12, 13, 16
    record(store, tmp_path, UNITS[0], "2024-H1", {"don_kien_nghi": 41})
    for unit, n in zip(UNITS[1:], (8, 10, 12, 12, 13, 16), strict=True):
        record(store, tmp_path, unit, "2025-H1", {"don_kien_nghi": n})
    sid = record(store, tmp_path, UNITS[0], "2025-H1", {"don_kien_nghi": 120285})
    added = review_recorded(store, dvcq, REGISTRY, [sid])
    assert [f.code for f in added[sid]] == ["quality-unusual"]
    # seven sở (SO1 among them): 8, 10, 12, 12, 13, 16, 120285 → median 12
    assert "trung vị của 7 đơn vị khối “Sở, ban, ngành”: 12 đơn" in added[sid][0].message
    assert [f.code for f in store.findings(sid)] == ["quality-unusual"]
    assert store.get(sid).warning_count == 1


def test_a_yearly_return_is_not_compared_with_half_years(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    record(store, tmp_path, UNITS[0], "2024-H1", {"don_kien_nghi": 41})
    sid = record(store, tmp_path, UNITS[0], "2024", {"don_kien_nghi": 5000})
    assert review_recorded(store, dvcq, REGISTRY, [sid]) == {}


FIGURES = {
    "vb_chi_dao": 12,
    "hs_truc_tuyen": 1242,
    "hs_truc_tiep": 2838,
    "hs_truoc_han": 3839,
    "hs_dung_han": 97,
    "hs_qua_han": 104,
    "don_tiep_nhan": 81,
}


def test_two_units_with_identical_figures_are_copies(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    first = record(store, tmp_path, UNITS[0], "2025-H1", FIGURES)
    second = record(store, tmp_path, UNITS[1], "2025-H1", FIGURES)
    other = record(store, tmp_path, UNITS[2], "2025-H1", {**FIGURES, "vb_chi_dao": 13})
    added = review_recorded(store, dvcq, REGISTRY, [first, second, other])
    assert [f.code for f in added[second]] == ["quality-copy-inputs"]
    assert "Sở số 1 (SO1)" in added[second][0].message
    assert "Sở số 2 (SO2)" in added[first][0].message
    assert other not in added


def test_identical_but_mostly_empty_returns_are_no_copies(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    few = {"vb_chi_dao": 1, "don_tiep_nhan": 2, "hs_qua_han": 0}  # two non-zero figures
    ids = [record(store, tmp_path, u, "2025-H1", few) for u in UNITS[:2]]
    assert review_recorded(store, dvcq, REGISTRY, ids) == {}


def test_check_with_the_registry_adds_the_warnings(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    record(store, tmp_path, UNITS[1], "2025-H1", FIGURES)
    sub = Submission(
        path=tmp_path / "x.xlsx",
        sha256="x",
        size=1,
        unit_code="SO1",
        period="2025-H1",
        values=dict(FIGURES),
    )
    review_checked(store, dvcq, REGISTRY, [sub])
    assert [(f.code, f.unit, f.file) for f in sub.findings] == [
        ("quality-copy-inputs", "SO1", str(tmp_path / "x.xlsx"))
    ]
    assert Baseline.load(store, dvcq, REGISTRY).periods.keys() == {"2025-H1"}


def test_file_names_point_to_the_unit_they_were_generated_for() -> None:
    units = UnitRegistry(
        (Unit("VPUBND", "Văn phòng UBND tỉnh", SO), Unit("SNV", "Sở Nội vụ", SO)), source="t"
    )
    assert named_unit(Path("van-phong-ubnd-tinh_2025-h1.xlsx"), units, "2025-H1") == "VPUBND"
    assert named_unit(Path("so-noi-vu_2025-h1 (1).xlsx"), units, "2025-H1") == "SNV"
    assert named_unit(Path("Bao cao SNV.xlsx"), units, "2025-H1") is None
    assert named_unit(Path("so-noi-vu_2025-h1.xlsx"), units, "2025") is None  # another period
    # two units of the same name: the name designates neither
    twins = UnitRegistry(
        (
            Unit("XA_BA_TO", "UBND xã Ba Tô", "UBND xã"),
            Unit("XA_BA_TO_2", "UBND xã Ba Tô", "UBND xã"),
        )
    )
    assert named_unit(Path("ubnd-xa-ba-to_2025-h1.xlsx"), twins, "2025-H1") is None


def test_the_same_bytes_under_two_units_names_is_a_copy() -> None:
    batch = [
        ("aaa", "so-noi-vu_2025-h1.xlsx", "SNV", "SNV"),
        ("aaa", "so-noi-vu_2025-h1 (1).xlsx", "SNV", "SNV"),  # re-sent: no copy
        ("aaa", "so-tu-phap_2025-h1.xlsx", "STP", "SNV"),  # the Sở Tư pháp's name
        ("bbb", "bao-cao.xlsx", "", "STP"),
    ]
    found = same_file_findings(batch)
    assert list(found) == [2]
    assert found[2].code == "quality-copy-file"
    assert "so-noi-vu_2025-h1.xlsx" in found[2].message


# -- status, consolidation, the command line -----------------------------------------------


def test_status_lists_returns_with_quality_warnings_as_to_review(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    ids = [record(store, tmp_path, u, "2025-H1", FIGURES) for u in UNITS[:2]]
    record(store, tmp_path, UNITS[2], "2025-H1", {**FIGURES, "vb_chi_dao": 13})
    review_recorded(store, dvcq, REGISTRY, ids)
    report = status_report(store, "dvcq", parse_period("2025-H1"), REGISTRY)
    states = {u.unit_code: (u.to_review, u.review_count, u.state_text) for u in report.units}
    assert states["SO1"] == (True, 1, "Đã nhận, hợp lệ, cần xem lại")
    assert states["SO2"][:2] == (True, 1)
    assert states["SO3"] == (False, 0, "Đã nhận, hợp lệ")
    assert report.totals.to_review == 2


def test_the_consolidation_counts_the_warnings_for_the_report(
    store: SubmissionStore, tmp_path: Path, dvcq: Form
) -> None:
    ids = [record(store, tmp_path, u, "2025-H1", FIGURES) for u in UNITS[:2]]
    review_recorded(store, dvcq, REGISTRY, ids)  # one copy warning on each
    c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    assert c.quality == QualityCounts(unusual=0, copies=2, narrative=0, units=2)
    sentence = quality_sentence(c.quality)
    assert "2 cảnh báo ở 2 đơn vị" in sentence and "trùng số liệu" in sentence
    assert "khác thường" not in sentence
    assert quality_sentence(QualityCounts()) == ""


def test_collect_records_and_check_db_shows_a_copied_return(
    tmp_path: Path, request_h1: Request, dvcq: Form
) -> None:
    factory = WorkbookFactory(request_h1)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    units = [Unit("XA_AN", "UBND xã An", "UBND xã"), Unit("XA_BINH", "UBND xã Bình", "UBND xã")]
    units_csv = tmp_path / "units.csv"
    write_units_csv(units, units_csv)
    for unit in units:
        blank = tmp_path / f"{unit.code}.xlsx"
        blank.write_bytes(factory.build(unit))
        fill_workbook(blank, inbox / f"{unit.code}.xlsx", valid_values(1), dvk_cells(dvcq))
    db = tmp_path / "registry.sqlite"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "collect",
            str(inbox),
            "--db",
            str(db),
            "--units",
            str(units_csv),
            "--json",
            "--period",
            "2025-H1",
        ],
    )
    assert result.exit_code == 0, result.output
    files = json.loads(result.output[result.output.index("{") :])["items"]
    codes = {f["unit_code"]: [x["code"] for x in f["findings"]] for f in files}
    assert all("quality-copy-inputs" in c for c in codes.values())
    status = runner.invoke(
        cli, ["status", "--period", "2025-H1", "--db", str(db), "--units", str(units_csv)]
    )
    assert "Đã nhận, gửi muộn, cần xem lại" in status.output
    assert "Cần xem lại (cảnh báo chất lượng số liệu): 2" in status.output
    check = runner.invoke(
        cli, ["check", str(inbox / "XA_AN.xlsx"), "--db", str(db), "--units", str(units_csv)]
    )
    assert check.exit_code == 0, check.output
    assert "UBND xã Bình (XA_BINH)" in check.output


def test_check_names_a_file_sent_under_another_units_name(
    tmp_path: Path, request_h1: Request, dvcq: Form
) -> None:
    units = [Unit("XA_AN", "UBND xã An", "UBND xã"), Unit("XA_BINH", "UBND xã Bình", "UBND xã")]
    units_csv = tmp_path / "units.csv"
    write_units_csv(units, units_csv)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(WorkbookFactory(request_h1).build(units[0]))
    own = inbox / "ubnd-xa-an_2025-h1.xlsx"  # the name generate gives XA_AN's file
    fill_workbook(blank, own, valid_values(1), dvk_cells(dvcq))
    shutil.copyfile(own, inbox / "ubnd-xa-binh_2025-h1.xlsx")  # XA_AN's file as XA_BINH's
    result = CliRunner().invoke(cli, ["check", str(inbox), "--units", str(units_csv), "--json"])
    assert result.exit_code == 0, result.output
    checked = json.loads(result.output[result.output.index("{") :])["items"]
    found = [f for c in checked for f in c["findings"]]  # check --json: one item per file
    quality = sorted(
        (Path(f["file"]).name, f["code"]) for f in found if f["code"].startswith("quality-")
    )
    assert quality == [
        ("ubnd-xa-binh_2025-h1.xlsx", "quality-copy-file"),
        ("ubnd-xa-binh_2025-h1.xlsx", "quality-unit-file-name"),
    ]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=6, max_size=6),
        min_size=3,
        max_size=3,
    )
)
def test_the_batch_pass_flags_exactly_what_the_single_figure_rule_flags(
    grid: list[list[int | None]],
) -> None:
    # grid[p][u]: đơn kiến nghị of unit u in half-year 2023+p; the batch pass (arrays) must
    # flag in 2025-H1 exactly what unusual_findings, given the same figures, flags
    from workbook_tools.form import get_form

    form = get_form("dvcq")
    units = [Unit(f"X{i}", f"Xã {i}", "UBND xã") for i in range(6)]
    registry = UnitRegistry(tuple(units), source="test")
    with (
        tempfile.TemporaryDirectory() as folder,
        SubmissionStore.open(Path(folder) / "r.sqlite") as store,
    ):
        ids = {}
        for p, row in enumerate(grid):
            for unit, n in zip(units, row, strict=True):
                values = {"don_kien_nghi": n, "vb_chi_dao": 1}
                ids[(p, unit.code)] = record(store, Path(folder), unit, f"{2023 + p}-H1", values)
        new = [ids[(2, u.code)] for u in units]
        added = review_recorded(store, form, registry, new)
        got = {sid for sid, found in added.items() for f in found if f.code == "quality-unusual"}
        peers = (
            Spread.of([n for n in grid[2] if n is not None])
            if any(n is not None for n in grid[2])
            else None
        )
        expected = set()
        for u, unit in enumerate(units):
            value = grid[2][u]
            earlier = [
                Earlier(f"6 tháng đầu năm {2023 + p}", grid[p][u])
                for p in (0, 1)
                if grid[p][u] is not None
            ]
            found = unusual_findings(
                form,
                {"don_kien_nghi": value},
                {"don_kien_nghi": earlier},
                {"don_kien_nghi": peers} if peers is not None else {},
                "",
            )
            if found:
                expected.add(ids[(2, unit.code)])
        assert got == expected


def test_collect_names_a_received_file_sent_again_under_another_units_name(
    tmp_path: Path, request_h1: Request, dvcq: Form
) -> None:
    units = (Unit("XA_AN", "UBND xã An", "UBND xã"), Unit("XA_BINH", "UBND xã Bình", "UBND xã"))
    registry = UnitRegistry(units, source="test")
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(WorkbookFactory(request_h1).build(units[0]))
    own = tmp_path / "inbox" / "ubnd-xa-an_2025-h1.xlsx"
    own.parent.mkdir()
    fill_workbook(blank, own, valid_values(1), dvk_cells(dvcq))
    expect = Expectation(dvcq, registry=registry)
    with SubmissionStore.open(tmp_path / "r.sqlite") as store:
        first = collect([own.parent], store, expect, periods=["2025-H1"])
        assert [e.outcome for e in first.entries] == ["new_accepted"]
        later = tmp_path / "later" / "ubnd-xa-binh_2025-h1.xlsx"  # XA_AN's bytes, XA_BINH's name
        later.parent.mkdir()
        shutil.copyfile(own, later)
        again = collect([later.parent], store, expect, periods=["2025-H1"])
    (entry,) = again.entries
    assert entry.outcome == "duplicate"
    assert [(f.code, f.unit) for f in entry.findings] == [("quality-copy-file", "XA_AN")]
    assert "UBND xã Bình" in entry.message
