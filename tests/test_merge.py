"""Consolidation: expectations computed by hand on small, known returns."""

from __future__ import annotations

import os
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import name_cells
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from workbook_tools.api import open_period
from workbook_tools.checks import Expectation, check_file
from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form import Form
from workbook_tools.form.model import Kind
from workbook_tools.libreoffice import convert
from workbook_tools.merge import aggregate_units, consolidate
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.periods import parse_period
from workbook_tools.registry import SubmissionStore, collect
from workbook_tools.units import Unit, UnitRegistry, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

A = Unit("XA_A", "UBND xã A", "UBND xã", "HUYEN", None, None, None)
B = Unit("XA_B", "UBND xã B", "UBND xã", "HUYEN", None, None, None)
S = Unit("SO_C", "Sở C", "Sở, ban, ngành", None, None, None, None)
HUYEN = Unit("HUYEN", "Cụm xã", "Cụm", None, None, None, None)
REGISTRY = UnitRegistry((HUYEN, A, B, S), "test")

# Hand-chosen hồ sơ figures: A resolves 100 (90 on time or early), B resolves 10 (all).
HS = {
    A: dict(hs_ky_truoc=0, hs_truc_tuyen=60, hs_truc_tiep=45, hs_truoc_han=80, hs_dung_han=10,
            hs_qua_han=10, hs_dang_trong_han=3, hs_dang_qua_han=0, hs_rut=2, cb_tong_so=30),
    B: dict(hs_ky_truoc=1, hs_truc_tuyen=9, hs_truc_tiep=0, hs_truoc_han=10, hs_dung_han=0,
            hs_qua_han=0, hs_dang_trong_han=0, hs_dang_qua_han=0, hs_rut=0, cb_tong_so=25),
    S: dict(hs_ky_truoc=5, hs_truc_tuyen=500, hs_truc_tiep=300, hs_truoc_han=700, hs_dung_han=50,
            hs_qua_han=0, hs_dang_trong_han=40, hs_dang_qua_han=5, hs_rut=10, cb_tong_so=120),
}  # fmt: skip


def returns_for(
    form: Form, period: str, units: dict[Unit, dict[str, Any]], folder: Path, when: datetime
) -> None:
    request = Request(form, parse_period(period))
    factory = WorkbookFactory(request)
    layout = build_layout(form)
    folder.mkdir(parents=True, exist_ok=True)
    for unit, figures in units.items():
        ret = realistic_return(unit, seed=1)
        ret.values.update(figures)
        ret.values.update(hs_so_hoa=0, hs_buu_chinh=0, tt_giao_dich=0)
        path = folder / f"{unit.code}_{period}.xlsx"
        path.write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))
        stamp = when.timestamp()
        os.utime(path, (stamp, stamp))
        assert check_file(path, Expectation(form)).accepted, [
            f.message for f in check_file(path, Expectation(form)).errors
        ]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, dvcq: Form) -> Path:
    root = tmp_path_factory.mktemp("merge")
    returns_for(dvcq, "2025-H1", HS, root / "h1", datetime(2025, 6, 18))
    earlier = {
        unit: {**figures, "hs_truc_tuyen": figures["hs_truc_tuyen"] // 2}
        for unit, figures in HS.items()
    }
    for unit in earlier:  # keep the hồ sơ balance: fewer online, the rest carried over
        earlier[unit]["hs_ky_truoc"] += HS[unit]["hs_truc_tuyen"] - earlier[unit]["hs_truc_tuyen"]
    returns_for(dvcq, "2024-H1", earlier, root / "h1-2024", datetime(2024, 6, 18))
    # annual returns 2021..2025 for the multi-year build; B misses 2023; stocks change each year
    for year in range(2021, 2026):
        units = {
            A: {**HS[A], "cb_tong_so": 20 + year - 2021},
            S: {**HS[S], "cb_tong_so": 100 + year - 2021},
        }
        if year != 2023:
            units[B] = {**HS[B], "cb_tong_so": 25}
        returns_for(dvcq, str(year), units, root / str(year), datetime(year, 12, 18))
    path = root / "so.sqlite"
    with SubmissionStore.open(path) as store:
        report = collect([root], store, Expectation(dvcq), workers=1)
    assert report.totals["new_accepted"] == 3 + 3 + 14
    with SubmissionStore.open(path) as store:  # as generate records the round's units
        for period in ("2025-H1", "2024-H1"):
            store.record_round(dvcq.id, period, [S, A, B])
    return path


def test_sums_and_a_recomputed_rate(db: Path, dvcq: Form) -> None:
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    t = c.totals
    assert t["hs_truc_tuyen"] == 60 + 9 + 500
    assert t["hs_nhan_giai_quyet"] == (0 + 60 + 45) + (1 + 9 + 0) + (5 + 500 + 300)
    assert t["hs_da_giai_quyet"] == 100 + 10 + 750
    # (80 + 10 + 10 + 0 + 700 + 50) / (100 + 10 + 750) = 850 / 860, not the mean of 90 %, 100 %, 100 %
    assert t["ty_le_dung_han"] == pytest.approx(850 / 860)
    assert t["ty_le_dung_han"] != pytest.approx((0.9 + 1.0 + 1.0) / 3)
    assert t["cb_tong_so"] == 30 + 25 + 120
    assert c.reported["hs_truc_tuyen"] == 3


def test_subtotals_by_group_and_parent(db: Path, dvcq: Form) -> None:
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    assert c.by_group["UBND xã"]["hs_da_giai_quyet"] == 110
    assert c.by_group["UBND xã"]["ty_le_dung_han"] == pytest.approx(100 / 110)
    assert c.by_group["Sở, ban, ngành"]["hs_da_giai_quyet"] == 750
    assert c.by_parent["HUYEN"]["cb_tong_so"] == 55
    assert c.completeness.expected == 4 and c.completeness.missing == 1  # HUYEN sent nothing


def test_comparison(db: Path, dvcq: Form) -> None:
    data = open_period(db, "2025-H1", units=None, compare="2024-H1")
    other = data.consolidation.compare
    assert other is not None
    assert other.totals["hs_truc_tuyen"] == 30 + 4 + 250
    assert data.totals()["hs_truc_tuyen"] - other.totals["hs_truc_tuyen"] == 569 - 284


def test_multi_year_build_with_a_missing_year(db: Path, dvcq: Form) -> None:
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2021-2025"), REGISTRY)
    assert c.built_from_years
    by_code = {u.unit_code: u for u in c.units}
    assert by_code["XA_B"].missing_years == [2023]
    assert by_code["XA_A"].missing_years == []
    # counts sum over the years: A has 60 online a year over 5 years, B 9 over 4, S 500 over 5
    assert c.totals["hs_truc_tuyen"] == 60 * 5 + 9 * 4 + 500 * 5
    # a stock takes the last year: A 24 (2025), S 104, B 25
    assert by_code["XA_A"].values["cb_tong_so"] == 24
    assert c.totals["cb_tong_so"] == 24 + 25 + 104


def test_open_period_takes_the_recorded_units_or_refuses(db: Path, tmp_path: Path) -> None:
    """Without ``units``, the units recorded at generate time, as status and merge do."""
    data = open_period(db, "2025-H1")
    assert data.consolidation.completeness.expected == 3  # A, B, S recorded; HUYEN is not
    empty = tmp_path / "empty.sqlite"
    SubmissionStore.open(empty).close()
    with pytest.raises(WorkbookToolsError, match="--units"):
        open_period(empty, "2025-H1")


def test_dataframes(db: Path) -> None:
    data = open_period(db, "2025-H1")
    frame = data.unit_values()
    assert list(frame.index) == ["SO_C", "XA_A", "XA_B"]
    assert frame.loc["XA_B", "hs_truc_tuyen"] == 9
    assert data.totals()["hs_truc_tuyen"] == 569
    assert set(data.completeness()["state"]) == {"accepted"}


def test_consolidated_workbook_and_level_up(db: Path, dvcq: Form, tmp_path: Path) -> None:
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    out = write_consolidated(c, tmp_path / "up" / "tong-hop.xlsx", Request(dvcq, c.period), agency,
                             Signer(phone="0255 1", signer="Nguyễn Văn B"))  # fmt: skip
    wb = openpyxl.load_workbook(out, data_only=True)
    names = name_cells(wb)
    sheet, cell = names["hs_truc_tuyen"]
    assert wb[sheet][cell].value == 569
    sheet, cell = names["ty_le_dung_han"]
    assert wb[sheet][cell].value == pytest.approx(850 / 860)  # the cached value is right
    per_unit = wb["Theo đơn vị"]
    assert [per_unit.cell(r, 2).value for r in range(6, 9)] == ["XA_A", "XA_B", "SO_C"]
    formulas = openpyxl.load_workbook(out)["Theo đơn vị"]
    assert any(str(c.value).startswith("=SUM(") for c in formulas[9])
    # one level up: the consolidated workbook is itself a submission of the form
    up = tmp_path / "up.sqlite"
    with SubmissionStore.open(up) as store:
        report = collect([tmp_path / "up"], store, Expectation(dvcq))
        assert report.totals["new_accepted"] == 1, [
            f.message for e in report.entries for f in e.findings
        ]
        again = consolidate(store, dvcq, c.period, None)
    for code in (
        "hs_truc_tuyen",
        "hs_nhan_giai_quyet",
        "cb_tong_so",
        "ty_le_dung_han",
        "don_tiep_nhan",
    ):
        assert again.totals[code] == pytest.approx(c.totals[code]), code


def _per_unit_workbook(db: Path, dvcq: Form, out: Path) -> tuple[Any, Any, dict[str, str]]:
    """The consolidated workbook of 2025-H1 with a few cells made awkward on purpose.

    A's name has XML characters and a leading space, B's hs_rut is blank, S's group
    is empty. Returns the per-unit sheet (formulas), the same with cached values,
    and the column letter of each code (from the code row, written by XlsxWriter).
    """
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    c.units[0].unit_name = " UBND xã A & <Thử>"
    c.units[1].values["hs_rut"] = None
    c.units[2].group = ""
    c.totals, c.reported = aggregate_units(dvcq, [u.values for u in c.units])
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    write_consolidated(c, out, Request(dvcq, c.period), agency)
    formulas = openpyxl.load_workbook(out)["Theo đơn vị"]
    cached = openpyxl.load_workbook(out, data_only=True)["Theo đơn vị"]
    letters = {cell.value: cell.column_letter for cell in formulas[5] if cell.column > 4}
    return formulas, cached, letters


def test_per_unit_sheet_cell_by_cell(db: Path, dvcq: Form, tmp_path: Path) -> None:
    formulas, cached, col = _per_unit_workbook(db, dvcq, tmp_path / "t.xlsx")
    numeric = [i.code for i in dvcq.indicators if i.kind.numeric]
    assert list(col) == numeric and col[numeric[0]] == "E"
    # rows 6-8: the units in registry order (HUYEN sent nothing); row 9: the totals
    assert [[cached.cell(r, k).value for k in range(1, 5)] for r in (6, 7, 8)] == [
        [1, "XA_A", " UBND xã A & <Thử>", "UBND xã"],
        [2, "XA_B", "UBND xã B", "UBND xã"],
        [3, "SO_C", "Sở C", None],
    ]
    for code, by_row in {
        "hs_truc_tuyen": (60, 9, 500),
        "hs_truoc_han": (80, 10, 700),
        "hs_rut": (2, None, 10),
        "cb_tong_so": (30, 25, 120),
    }.items():
        assert [formulas[f"{col[code]}{r}"].value for r in (6, 7, 8)] == list(by_row), code
    # computed figures: the form's formula over the row, cached with the unit's result
    tr, dh, qh, da = (
        col[c] for c in ("hs_truoc_han", "hs_dung_han", "hs_qua_han", "hs_da_giai_quyet")
    )
    tt, tiep, ky = col["hs_truc_tuyen"], col["hs_truc_tiep"], col["hs_ky_truoc"]
    expected = {
        "hs_da_giai_quyet": ("=IF(COUNT({tr}{r},{dh}{r},{qh}{r})<3,\"\",IFERROR((({tr}{r}+{dh}{r})+{qh}{r}),\"\"))", (100, 10, 750)),
        "hs_nhan_giai_quyet": ("=IF(COUNT({ky}{r},{tt}{r},{tiep}{r})<3,\"\",IFERROR((({ky}{r}+{tt}{r})+{tiep}{r}),\"\"))", (105, 10, 805)),
        "ty_le_dung_han": ("=IF(COUNT({tr}{r},{dh}{r},{da}{r})<3,\"\",IFERROR((({tr}{r}+{dh}{r})/{da}{r}),\"\"))", (0.9, 1.0, 1.0)),
        "ty_le_truc_tuyen": ("=IF(COUNT({tt}{r},{tiep}{r})<2,\"\",IFERROR(({tt}{r}/({tt}{r}+{tiep}{r})),\"\"))", (60 / 105, 1.0, 0.625)),
    }  # fmt: skip
    for code, (formula, results) in expected.items():
        for r, result in zip((6, 7, 8), results, strict=True):
            letters = dict(tr=tr, dh=dh, qh=qh, da=da, tt=tt, tiep=tiep, ky=ky, r=r)
            assert formulas[f"{col[code]}{r}"].value == formula.format(**letters), code
            assert cached[f"{col[code]}{r}"].value == pytest.approx(result), code
    # totals: SUM over the unit rows, cached; the rate recomputed from the summed parts
    assert formulas[f"{tt}9"].value == f"=SUM({tt}6:{tt}8)" and cached[f"{tt}9"].value == 569
    assert cached[f"{col['hs_rut']}9"].value == 2 + 10
    assert cached[f"{col['ty_le_dung_han']}9"].value == pytest.approx(850 / 860)
    # formats: Times New Roman, thin borders, no wrapping; number formats by kind; grey computed
    for ref, number_format, fill in (
        ("A6", "General", "00000000"),
        ("C6", "General", "00000000"),
        ("D8", "General", "00000000"),
        (f"{tt}7", "#,##0", "00000000"),
        (f"{col['hs_rut']}7", "#,##0", "00000000"),
        (f"{da}8", "#,##0", "FFEDEDED"),
        (f"{col['ty_le_dung_han']}6", "0.0%", "FFEDEDED"),
    ):
        cell = formulas[ref]
        assert (cell.number_format, cell.fill.fgColor.rgb) == (number_format, fill), ref
        assert cell.font.name == "Times New Roman" and cell.font.sz == 12 and not cell.font.b, ref
        assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin", ref
        assert cell.alignment.vertical == "center" and not cell.alignment.wrap_text, ref
    assert formulas[f"{tt}9"].font.b  # the total row is bold
    assert formulas.max_row == 9 and formulas.max_column == 4 + len(numeric)
    assert formulas.auto_filter.ref == f"A5:{col[numeric[-1]]}8"
    assert formulas.freeze_panes == "D6"


def test_per_unit_chart_caches_the_unit_rows(db: Path, dvcq: Form, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    _, _, col = _per_unit_workbook(db, dvcq, out)
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
    with zipfile.ZipFile(out) as z:
        charts = [ElementTree.fromstring(z.read(n)) for n in z.namelist() if "charts/chart" in n]
    (chart,) = [chart for chart in charts if chart.find(f".//{c}barChart") is not None]
    categories, values = chart.iter(f"{c}cat"), chart.iter(f"{c}val")
    (cat,), (val,) = list(categories), list(values)
    assert cat.findtext(f".//{c}f") == "'Theo đơn vị'!$C$6:$C$8"
    assert [v.text for v in cat.iter(f"{c}v")] == [" UBND xã A & <Thử>", "UBND xã B", "Sở C"]
    rate = col["ty_le_dung_han"]
    assert val.findtext(f".//{c}f") == f"'Theo đơn vị'!${rate}$6:${rate}$8"
    assert [float(v.text or "") for v in val.iter(f"{c}v")] == [0.9, 1.0, 1.0]


@pytest.mark.libreoffice
def test_per_unit_sheet_recalculates_in_libreoffice_to_its_cached_values(
    db: Path, dvcq: Form, tmp_path: Path, soffice: str
) -> None:
    formulas, cached, _ = _per_unit_workbook(db, dvcq, tmp_path / "t.xlsx")
    resaved = convert(tmp_path / "t.xlsx", tmp_path / "lo", "xlsx")
    recalculated = openpyxl.load_workbook(resaved, data_only=True)["Theo đơn vị"]
    checked = 0
    for row in formulas.iter_rows(min_row=6, max_row=9):
        for cell in row:
            mine, lo = cached[cell.coordinate].value, recalculated[cell.coordinate].value
            if isinstance(mine, (int, float)):
                assert lo == pytest.approx(mine, rel=1e-12), cell.coordinate
            else:
                assert lo == (None if mine == "" else mine), cell.coordinate
            checked += isinstance(cell.value, str) and cell.value.startswith("=")
    assert checked == 3 * 8 + 8 + 59  # 8 computed figures a row, and the total row
    # the khối sheet's rates too: the form's formulas down each group's column
    mine_khoi = openpyxl.load_workbook(tmp_path / "t.xlsx", data_only=True)["Theo khối"]
    lo_khoi = openpyxl.load_workbook(resaved, data_only=True)["Theo khối"]
    numbers = [c for row in mine_khoi.iter_rows(min_row=6) for c in row[1:] if c.value is not None]
    assert len(numbers) > 3 * 60
    for cell in numbers:
        assert lo_khoi[cell.coordinate].value == pytest.approx(cell.value, rel=1e-12), cell


def test_khoi_sheet_a_row_per_figure_a_column_per_group(
    db: Path, dvcq: Form, tmp_path: Path
) -> None:
    """By hand: UBND xã A and B, Sở C (no group, so "Sở, ban, ngành" is S's registry group),
    HUYEN the parent of A and B. A rate is the form's formula over its own column."""
    formulas, _, _ = _per_unit_workbook(db, dvcq, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    khoi, cached = book["Theo khối"], openpyxl.load_workbook(tmp_path / "t.xlsx", data_only=True)
    values = cached["Theo khối"]
    heads = [khoi.cell(5, k).value for k in range(1, khoi.max_column + 1)]
    assert heads[0] == "Chỉ tiêu" and heads[-1] == "TỔNG CỘNG" and "HUYEN" in heads
    col = {name: get_column_letter(k) for k, name in enumerate(heads, start=1)}
    row = {khoi.cell(r, 1).value.split(" (")[0]: r for r in range(7, khoi.max_row + 1)}
    assert values[f"{col['TỔNG CỘNG']}6"].value == 3  # units with figures
    assert values[f"{col['HUYEN']}6"].value == 2
    label = dvcq.by_code["hs_da_giai_quyet"].label
    assert values[f"{col['UBND xã']}{row[label]}"].value == 110
    assert values[f"{col['HUYEN']}{row[label]}"].value == 110
    rate = row[dvcq.by_code["ty_le_dung_han"].label]
    parts = [
        row[dvcq.by_code[c].label] for c in ("hs_truoc_han", "hs_dung_han", "hs_da_giai_quyet")
    ]
    x = col["UBND xã"]
    assert khoi[f"{x}{rate}"].value == (
        f'=IF(COUNT({x}{parts[0]},{x}{parts[1]},{x}{parts[2]})<3,"",'
        f'IFERROR((({x}{parts[0]}+{x}{parts[1]})/{x}{parts[2]}),""))'
    )
    assert values[f"{x}{rate}"].value == pytest.approx(100 / 110)
    assert values[f"{col['TỔNG CỘNG']}{rate}"].value == pytest.approx(850 / 860)
    assert formulas.max_row == 9  # (the per-unit sheet is unchanged by this)


def test_merge_cli_json(db: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    write_units_csv(REGISTRY.units, units)
    result = CliRunner().invoke(
        cli,
        [
            "merge",
            "--period",
            "2025-H1",
            "--db",
            str(db),
            "--out",
            str(tmp_path / "t.xlsx"),
            "--units",
            str(units),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    import json

    data = json.loads(result.stdout)
    assert data["figures"]["hs_truc_tuyen"] == 569
    assert data["completeness"]["missing"] == 1 and data["completeness"]["missing_units"] == [
        "Cụm xã"
    ]


counts = st.one_of(st.none(), st.integers(0, 10_000))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {"hs_truc_tuyen": counts, "hs_truc_tiep": counts, "pakn_tong": counts}
        ),
        min_size=1,
        max_size=20,
    )
)
def test_additive_totals_are_sums_of_units(dvcq: Form, units: list[dict[str, Any]]) -> None:
    totals, reported = aggregate_units(dvcq, units)
    for code in ("hs_truc_tuyen", "hs_truc_tiep", "pakn_tong"):
        present = [u[code] for u in units if u[code] is not None]
        assert totals[code] == (sum(present) if present else None)
        assert reported[code] == len(present)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5000)),
        min_size=1,
        max_size=20,
    )
)
def test_rates_stay_within_0_and_100_percent(dvcq: Form, parts: list[tuple[int, int, int]]) -> None:
    units = [{"hs_truoc_han": a, "hs_dung_han": b, "hs_qua_han": c} for a, b, c in parts]
    totals, _ = aggregate_units(dvcq, units)
    rate = totals["ty_le_dung_han"]
    if sum(a + b + c for a, b, c in parts) == 0:
        assert rate is None
    else:
        assert 0 <= rate <= 1
        assert rate == pytest.approx(
            sum(a + b for a, b, _ in parts) / sum(a + b + c for a, b, c in parts)
        )


def test_detail_sheets_keep_every_row_and_text_stays_text(
    db: Path, dvcq: Form, tmp_path: Path
) -> None:
    """The long tables (texts, models, provenance, status) are written straight into the
    sheet XML but for their last row: every row is there, the sheet's extent covers them,
    and a unit's text that looks like a formula or a link stays the unit's text."""
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY)
    c.units[0].values["nd_tinh_hinh"] = "=1+1"
    c.units[1].values["nd_tinh_hinh"] = "https://dichvucong.gov.vn"
    c.units[2].values["nd_tinh_hinh"] = "Tình hình ổn định & <tốt>"
    c.units[0].rows[0].values["nam_bat_dau"] = date(2023, 5, 9)
    out = tmp_path / "tong-hop.xlsx"
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    write_consolidated(c, out, Request(dvcq, c.period), agency)
    wb = openpyxl.load_workbook(out)

    texts = wb["Thuyết minh đơn vị"]
    label = dvcq.by_code["nd_tinh_hinh"].label
    rows = [[cell.value for cell in row] for row in texts.iter_rows(min_row=5)]
    mine = [r for r in rows if r[0] == label]
    assert mine == [
        [label, "UBND xã A", "=1+1"],
        [label, "UBND xã B", "https://dichvucong.gov.vn"],
        [label, "Sở C", "Tình hình ổn định & <tốt>"],
    ]
    formula_like = next(cell for cell in texts["C"] if cell.value == "=1+1")
    link_like = next(cell for cell in texts["C"] if cell.value == "https://dichvucong.gov.vn")
    assert formula_like.data_type == "s" and link_like.hyperlink is None
    long_texts = [i for i in dvcq.indicators if i.kind is Kind.LONG_TEXT]
    expected = sum(1 for i in long_texts for u in c.units if u.values.get(i.code))
    assert len(rows) == expected

    models = wb["Mô hình Dân vận khéo"]
    model_rows = [[cell.value for cell in row] for row in models.iter_rows(min_row=5)]
    assert [r[0] for r in model_rows] == list(range(1, len(c.models()) + 1))
    first_unit, first_row = c.models()[0]
    assert model_rows[0][1] == first_unit.unit_name
    year = [col.code for col in dvcq.tables[0].columns].index("nam_bat_dau")
    assert model_rows[0][2 + year] == "09/05/2023"  # a date reads as a date, not a serial
    assert model_rows[0][2] == first_row.values["ten_mo_hinh"]

    sources = wb["Nguồn số liệu"]
    assert [sources.cell(r, 2).value for r in range(5, 8)] == ["XA_A", "XA_B", "SO_C"]
    assert [sources.cell(r, 1).value for r in range(5, 8)] == [1, 2, 3]
    assert sources.max_row == 7  # the files only: where each code sits is on the next sheet
    # thousands of rows at national scale: the headings and who (STT, code, name) stay in view,
    # as on the per-unit sheet
    assert sources.freeze_panes == "D5"
    positions = wb["Vị trí chỉ tiêu"]
    where = {row[1]: (row[3], row[4]) for row in positions.iter_rows(min_row=5, values_only=True)}
    assert len(where) == len(dvcq.indicators) and where["hs_truc_tuyen"][0] == "Số liệu"

    status = wb["Tình hình nộp"]
    codes = [cell.value for cell in status["B"] if cell.value in {"XA_A", "XA_B", "SO_C", "HUYEN"}]
    assert sorted(codes) == ["HUYEN", "SO_C", "XA_A", "XA_B"]

    for name in ("Thuyết minh đơn vị", "Mô hình Dân vận khéo", "Nguồn số liệu", "Tình hình nộp"):
        full = wb[name].max_row
        # a reader that trusts the sheet's stated extent (read-only openpyxl, pandas) sees all
        assert openpyxl.load_workbook(out, read_only=True)[name].max_row == full, name


def test_unit_names_and_groups_that_look_like_formulas_stay_text(
    db: Path, dvcq: Form, tmp_path: Path
) -> None:
    """Issue 15 item 8: "Theo khối", "So sánh" and every other sheet store names as text."""
    with SubmissionStore.open(db) as store:
        c = consolidate(store, dvcq, parse_period("2025-H1"), REGISTRY, parse_period("2024-H1"))
    c.units[0].unit_name = "=1+2"
    link = '=HYPERLINK("http://x","bấm")'
    c.units[0].group = link
    out = tmp_path / "tong-hop.xlsx"
    agency = Unit("TINH_X", "UBND tỉnh X", "Tỉnh", None, None, None, None)
    write_consolidated(c, out, Request(dvcq, c.period), agency)
    wb = openpyxl.load_workbook(out)
    assert {"Theo khối", "So sánh", "So sánh theo đơn vị"} <= set(wb.sheetnames)
    cells = [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]
    planted = {"=1+2", link}
    assert [x.coordinate for x in cells if x.value in planted and x.data_type != "s"] == []
    as_text = {(x.parent.title, x.value) for x in cells if x.value in planted}
    assert ("Theo đơn vị", link) in as_text
    assert ("So sánh theo đơn vị", "=1+2") in as_text  # the comparison's unit table
