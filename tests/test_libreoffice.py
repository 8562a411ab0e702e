"""Generated workbooks in a real spreadsheet program: LibreOffice headless.

A workbook is filled at its defined names with openpyxl, recalculated and
re-saved by LibreOffice, and read back: every computed figure, rule flag, status
text and check count must equal what the Python side computes from the same
inputs. These tests skip without LibreOffice, and fail instead under
WORKBOOK_TOOLS_REQUIRE_LIBREOFFICE=1 (CI).
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import openpyxl
import pytest
from corpus import FILLING, TABLE
from corpus import table_cells as corpus_table_cells
from helpers import DVCQ_SHEETS, fill_workbook, listed_choices, name_cells, read_cell
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.contract.layout import SHEET_FIGURES, build_layout
from workbook_tools.contract.meta import code_map
from workbook_tools.form import Form
from workbook_tools.form.evaluate import RuleState, compute, rule_states
from workbook_tools.form.model import Kind
from workbook_tools.libreoffice import convert, convert_many
from workbook_tools.reader.workbook import read_file
from workbook_tools.writer.figures import status_value
from workbook_tools.writer.sheets import conclusion_text

pytestmark = pytest.mark.libreoffice

BAD_NUMBERS: list[Any] = [-3, 2.5, "hơn 150", "1.234", "khoảng 55.000"]
TEXTS = ["Nguyễn Thị Hoa", "Trần Văn Bình & cộng sự", "<b>không phải HTML</b>", "0905 123 456"]


@st.composite
def fillings(draw: st.DrawFn, form: Form) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Random inputs as a unit might type them, with a few bad values pasted in."""
    values: dict[str, Any] = {}
    for ind in form.indicators:
        if ind.computed:
            continue
        if ind.kind is Kind.INTEGER:
            values[ind.code] = draw(st.none() | st.integers(0, 40) | st.integers(0, 40))
        elif ind.kind is Kind.DECIMAL:
            values[ind.code] = draw(st.none() | st.integers(0, 10_000).map(lambda n: n / 4))
        elif ind.kind in (Kind.CHOICE, Kind.YES_NO):
            values[ind.code] = draw(st.none() | st.sampled_from(ind.list_choices))
        else:
            values[ind.code] = draw(st.none() | st.sampled_from(TEXTS))
    # Make some equality rules hold, so that both outcomes are exercised.
    if draw(st.booleans()):
        parts = [values[c] for c in ("pakn_don_thu", "pakn_cong_dvc", "pakn_khac")]
        if all(isinstance(p, int) for p in parts):
            values["pakn_tong"] = sum(parts)
    if draw(st.booleans()):
        parts = [values[c] for c in ("don_khieu_nai", "don_to_cao", "don_kien_nghi")]
        if all(isinstance(p, int) for p in parts):
            values["don_du_dieu_kien"] = sum(parts)
    numeric = [i.code for i in form.indicators if i.kind.numeric and not i.computed]
    pasted = st.tuples(st.sampled_from(numeric), st.sampled_from(BAD_NUMBERS))
    for code, bad in draw(st.lists(pasted, max_size=2)):
        values[code] = bad
    if draw(st.booleans()):
        values["hinh_thuc_ky"] = "Ủy quyền"  # not in the list: pasted
    rows = draw(st.lists(table_rows(), max_size=3))
    return values, rows


def table_rows() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "ten_mo_hinh": st.none() | st.sampled_from(["Dân vận khéo trong CCHC", "Chợ 4.0"]),
            "linh_vuc": st.none() | st.sampled_from(["Kinh tế", "Quốc phòng – an ninh", "Khác"]),
            "don_vi_thuc_hien": st.none() | st.just("Bộ phận Một cửa"),
            "nam_bat_dau": st.none() | st.sampled_from([2021, 2025, 1990, 2023.5]),
        }
    )


def expected_invalid(form: Form, values: dict[str, Any]) -> int:
    """Cells holding a value validation would refuse, judged by hand rules."""
    bad = 0
    for ind in form.indicators:
        v = values.get(ind.code)
        if ind.computed or v is None:
            continue
        if ind.kind.numeric:
            if isinstance(v, str) or v < 0 or (ind.kind is Kind.INTEGER and v != int(v)):
                bad += 1
        elif ind.kind in (Kind.CHOICE, Kind.YES_NO) and v not in ind.list_choices:
            bad += 1
    return bad


FIELDS = ("Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng hệ thống chính trị")


def expected_bad_rows(rows: list[dict[str, Any]]) -> int:
    bad = 0
    for row in rows:
        if all(v is None for v in row.values()):
            continue
        missing = any(row[k] is None for k in ("ten_mo_hinh", "linh_vuc", "don_vi_thuc_hien"))
        wrong_field = row["linh_vuc"] is not None and row["linh_vuc"] not in FIELDS
        year = row["nam_bat_dau"]
        wrong_year = year is not None and (year != int(year) or not 2000 <= year <= 2100)
        bad += missing or wrong_field or wrong_year
    return bad


def table_cells(
    form: Form, rows: list[dict[str, Any]]
) -> dict[tuple[str, int, str], tuple[str, str, Any]]:
    layout = build_layout(form)
    cells = {}
    for i, row in enumerate(rows, start=1):
        for col, value in row.items():
            if value is not None:
                ref = layout.table_cells[("dvk_mo_hinh", i, col)]
                cells[("dvk_mo_hinh", i, col)] = (ref.sheet, ref.a1, value)
    return cells


def same(actual: Any, expected: Any) -> bool:
    if expected is None:
        return actual in (None, "")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(actual, (int, float)) and math.isclose(
            actual, expected, rel_tol=1e-9, abs_tol=1e-12
        )
    return bool(actual == expected)


def check_recalculated(
    form: Form, path: Path, values: dict[str, Any], rows: list[dict[str, Any]]
) -> None:
    """Compare LibreOffice's results in ``path`` with the Python side, cell by cell."""
    layout = build_layout(form)
    wb = openpyxl.load_workbook(path, data_only=True)
    numbers = {
        k: (v if isinstance(v, (int, float)) and not isinstance(v, bool) else None)
        for k, v in values.items()
        if form.by_code[k].kind.numeric
    }
    computed = compute(form, numbers)
    states = rule_states(form, computed)
    names = name_cells(wb)
    for ind in form.computed_order:
        sheet, coord = names[ind.code]
        actual = read_cell(wb, sheet, coord)
        assert same(actual, computed[ind.code]), (
            f"{path.name}: {ind.code}: LO {actual!r} vs Python {computed[ind.code]!r}"
        )
    figures = wb[SHEET_FIGURES]
    for rule in form.rules:
        flag = layout.rule_flags[rule.id]
        actual = figures[flag.a1].value
        assert same(actual, states[rule.id].flag or None) or actual == states[rule.id].flag, (
            f"{path.name}: rule {rule.id}: LO {actual!r} vs Python {states[rule.id]}"
        )
    for ind in form.indicators:
        anchored = layout.rules_anchored_at(ind.code)
        if anchored:
            cell = layout.cell(ind.code)
            actual = figures.cell(cell.row + 1, 5).value or ""
            assert actual == status_value(anchored, states), f"{path.name}: status of {ind.code}"
    errors = sum(
        1 for r in form.rules if r.severity == "error" and states[r.id] is RuleState.FAILED
    )
    warnings = sum(
        1 for r in form.rules if r.severity == "warning" and states[r.id] is RuleState.FAILED
    )
    blanks = sum(
        1 for i in form.indicators if i.required and not i.computed and values.get(i.code) is None
    )
    invalid = expected_invalid(form, values)
    bad_rows = expected_bad_rows(rows)
    check = wb["Kiểm tra"]
    counts = {check.cell(r, 2).value: check.cell(r, 3).value for r in range(6, 14)}
    assert counts["Quy tắc bị vi phạm (lỗi, phải sửa)"] == errors, path.name
    assert counts["Cảnh báo (nên xem lại, không bắt buộc sửa)"] == warnings, path.name
    assert (
        counts["Ô có giá trị không hợp lệ (chữ trong ô số, số âm, số lẻ, ngoài danh sách)"]
        == invalid
    ), path.name
    assert counts["Dòng chưa đủ hoặc sai thông tin ở trang “Dân vận khéo”"] == bad_rows, path.name
    blank_cells = sum(v for k, v in counts.items() if k and k.startswith("Ô bắt buộc còn trống"))
    assert blank_cells == blanks, path.name
    assert check["C4"].value == conclusion_text(errors + blanks + invalid + bad_rows, warnings), (
        path.name
    )


@settings(
    max_examples=3,
    deadline=None,
    phases=[
        Phase.explicit,
        Phase.reuse,
        Phase.generate,
    ],  # no shrinking: each run starts LibreOffice
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
def test_random_fillings_recalculate_as_python_says(
    data: st.DataObject,
    soffice: str,
    dvcq: Form,
    fresh_workbook: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    work = tmp_path_factory.mktemp("fill")
    cases = data.draw(st.lists(fillings(dvcq), min_size=10, max_size=10))
    sources = []
    for k, (values, rows) in enumerate(cases):
        target = work / f"filled-{k:02d}.xlsx"
        fill_workbook(fresh_workbook, target, values, table_cells(dvcq, rows))
        sources.append(target)
    results = convert_many(sources, work / "lo", "xlsx")
    for (values, rows), result in zip(cases, results, strict=True):
        check_recalculated(dvcq, result, values, rows)


def test_seed_figures_by_hand(
    soffice: str, dvcq: Form, fresh_workbook: Path, tmp_path: Path
) -> None:
    """Seed 002's hồ sơ figures and seed 000's đơn figures (whose parts do not add up)."""
    values = {
        "hs_ky_truoc": 0, "hs_truc_tuyen": 1242, "hs_truc_tiep": 2838,
        "hs_truoc_han": 3839, "hs_dung_han": 97, "hs_qua_han": 104,
        "hs_dang_trong_han": 8, "hs_dang_qua_han": 3, "hs_rut": 29,
        "don_tiep_nhan": 558, "don_du_dieu_kien": 285,
        "don_khieu_nai": 28, "don_to_cao": 35, "don_kien_nghi": 120,
        "hl_luot_danh_gia": 0, "hl_luot_hai_long": 0,
    }  # fmt: skip
    filled = tmp_path / "seed.xlsx"
    fill_workbook(fresh_workbook, filled, values)
    result = convert(filled, tmp_path / "lo", "xlsx")
    wb = openpyxl.load_workbook(result, data_only=True)
    names = name_cells(wb)

    def value(code: str) -> Any:
        return read_cell(wb, *names[code])

    assert value("hs_nhan_giai_quyet") == 4080
    assert value("hs_da_giai_quyet") == 4040
    assert value("hs_dang_giai_quyet") == 11
    assert value("ty_le_dung_han") == pytest.approx(3936 / 4040)
    assert value("ty_le_truc_tuyen") == pytest.approx(1242 / 4080)
    assert value("ty_le_hai_long") is None  # 0 / 0: blank, never #DIV/0!
    figures = wb["Số liệu"]
    don_row = int(names["don_du_dieu_kien"][1][1:])
    assert figures[f"E{don_row}"].value.startswith("✗ Đơn khiếu nại + tố cáo + kiến nghị")
    hs_row = int(names["hs_nhan_giai_quyet"][1][1:])
    assert figures[f"E{hs_row}"].value in (None, "")  # 4080 = 4040 + 11 + 29 holds


@pytest.fixture(scope="module")
def resaved(
    soffice: str, fresh_workbook: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("resaved")
    return {fmt: convert(fresh_workbook, out / fmt, fmt) for fmt in ("xlsx", "ods")}


def test_resaved_xlsx_keeps_meta_names_validation_protection(
    resaved: dict[str, Path], dvcq: Form
) -> None:
    wb = openpyxl.load_workbook(resaved["xlsx"])
    assert wb["_meta"].sheet_state != "visible"
    assert wb["_meta"]["B4"].value == dvcq.fingerprint  # row 4: fingerprint
    names = name_cells(wb)
    assert all(ind.code in names for ind in dvcq.indicators)
    figures = wb["Số liệu"]
    assert figures.protection.sheet is True
    sheet, coord = names["hs_truc_tuyen"]
    assert sheet == "Số liệu"
    dvs = [dv for dv in figures.data_validations.dataValidation if coord in dv.sqref]
    assert dvs and "Số hồ sơ mới tiếp nhận trực tuyến" in dvs[0].prompt
    assert figures[coord].protection.locked is False


ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def test_resaved_ods_keeps_meta_names_validation_protection(
    resaved: dict[str, Path], dvcq: Form
) -> None:
    with zipfile.ZipFile(resaved["ods"]) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    t = "{" + ODS["table"] + "}"
    names = {e.get(f"{t}name") for e in root.iter(f"{t}named-range")}
    assert {ind.code for ind in dvcq.indicators} <= names
    tables = {e.get(f"{t}name"): e for e in root.iter(f"{t}table")}
    assert list(tables) == DVCQ_SHEETS
    assert tables["Số liệu"].get(f"{t}protected") == "true"
    validations = list(root.iter(f"{t}content-validation"))
    help_texts = ["".join(h.itertext()) for v in validations for h in v.iter(f"{t}help-message")]
    assert any("Số hồ sơ mới tiếp nhận trực tuyến" in h for h in help_texts)
    meta = CalamineWorkbook.from_path(str(resaved["ods"])).get_sheet_by_name("_meta").to_python()
    pairs = {row[0]: row[1] for row in meta[:15]}
    assert pairs["form_id"] == "dvcq" and pairs["fingerprint"] == dvcq.fingerprint
    assert pairs["unit_code"] == "XA_DONG_SON" and pairs["period"] == "2025-H1"


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_resaved_map_is_read_back_cell_by_cell(
    resaved: dict[str, Path], dvcq: Form, fmt: str
) -> None:
    """Format 3's range rows (``B5:B104``, a count of rows) survive LibreOffice's save as
    texts and numbers, and a reader that does not know the form expands them."""
    result = read_file(resaved[fmt], known=None)
    assert result.workbook is not None
    assert result.workbook.code_map == code_map(build_layout(dvcq))


def test_fresh_cached_values_equal_libreoffice_recalculation(
    resaved: dict[str, Path], fresh_workbook: Path
) -> None:
    """Every formula's cached value in a fresh workbook is what LibreOffice computes."""
    formulas = openpyxl.load_workbook(fresh_workbook)
    cached = openpyxl.load_workbook(fresh_workbook, data_only=True)
    recalculated = openpyxl.load_workbook(resaved["xlsx"], data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    mine = cached[ws.title][cell.coordinate].value
                    lo = recalculated[ws.title][cell.coordinate].value
                    assert same(lo, None if mine == "" else mine), f"{ws.title}!{cell.coordinate}"
                    checked += 1
    assert checked > 100


def ods_lists(path: Path) -> list[list[str]]:
    """The choices of every list validation of an .ods, resolved through its named ranges."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    t = "{" + ODS["table"] + "}"
    ranges = {
        e.get(f"{t}name"): e.get(f"{t}cell-range-address") for e in root.iter(f"{t}named-range")
    }
    book = CalamineWorkbook.from_path(str(path))
    found = []
    for validation in root.iter(f"{t}content-validation"):
        condition = validation.get(f"{t}condition") or ""
        listed = re.fullmatch(r"of:cell-content-is-in-list\((.+)\)", condition)
        if listed is None:
            continue
        source = listed.group(1)
        assert not source.startswith('"'), f"a list literal splits at commas: {source}"
        address = ranges.get(source, source.strip("[]"))
        match = re.fullmatch(r"\$?'?(.+?)'?\.\$?([A-Z]+)\$?(\d+):\.\$?([A-Z]+)\$?(\d+)", address)
        assert match is not None, address
        sheet, col, first, col_last, last = match.groups()
        assert col == col_last, address
        grid = book.get_sheet_by_name(sheet).to_python()
        index = ord(col) - ord("A")
        found.append([str(row[index]) for row in grid[int(first) - 1 : int(last)]])
    return found


def form_lists(form: Form) -> list[list[str]]:
    fields = [*form.indicators, *(c for t in form.tables for c in t.columns)]
    return [list(f.list_choices) for f in fields if f.list_choices]


def test_every_choice_is_offered_exactly_after_a_libreoffice_resave(
    resaved: dict[str, Path], dvcq: Form
) -> None:
    """Each dropdown offers the form's choices, whole ("Cơ quan, đơn vị" is one item)."""
    expected = sorted(form_lists(dvcq))
    assert ["Chưa công nhận", "Cơ quan, đơn vị", "Cấp xã", "Cấp tỉnh", "Trung ương"] in expected
    wb = openpyxl.load_workbook(resaved["xlsx"])
    xlsx = {
        tuple(listed_choices(wb, dv.formula1))
        for ws in wb.worksheets
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    assert sorted(list(c) for c in xlsx) == expected
    assert sorted({tuple(c) for c in ods_lists(resaved["ods"])}) == [tuple(c) for c in expected]


def test_picked_choices_are_accepted_after_a_libreoffice_resave(
    soffice: str, dvcq: Form, fresh_workbook: Path, tmp_path: Path
) -> None:
    """The choice a unit picks, with a comma or a final dot, is read back as that choice."""
    layout = build_layout(dvcq)
    filled = tmp_path / "chon.xlsx"
    picked = {"ten_mo_hinh": "Chợ 4.0", "cap_cong_nhan": "Cơ quan, đơn vị"}
    cells = {
        ("dvk_mo_hinh", 1, code): (layout.table_cells[("dvk_mo_hinh", 1, code)].sheet,
                                    layout.table_cells[("dvk_mo_hinh", 1, code)].a1, value)
        for code, value in picked.items()
    }  # fmt: skip
    fill_workbook(fresh_workbook, filled, {"hinh_thuc_ky": "Q."}, cells)
    for fmt in ("xlsx", "ods"):
        (result,) = convert_many([filled], tmp_path / fmt, fmt)
        sub = check_file(result, Expectation(dvcq))
        assert not [f for f in sub.findings if f.code == "value-not-in-list"], fmt
        assert sub.values["hinh_thuc_ky"] == "Q.", fmt
        assert sub.rows[0].values["cap_cong_nhan"] == "Cơ quan, đơn vị", fmt


def test_a_warnings_only_feedback_copy_says_ready(
    soffice: str, dvcq: Form, fresh_workbook: Path, tmp_path: Path
) -> None:
    """The copy sent back for a number typed as text must not tell the unit it is not ready."""
    filled = tmp_path / "canh-bao.xlsx"
    values = {**FILLING, "don_tiep_nhan": "1.320"}  # 1.320 ≥ every đơn figure: warnings only
    fill_workbook(fresh_workbook, filled, values, corpus_table_cells(dvcq, TABLE))
    sub = check_file(filled, Expectation(dvcq))
    assert sub.accepted and [f.code for f in sub.findings] == ["value-number-as-text"]
    copy = write_feedback(sub, tmp_path / "phan-hoi")
    (result,) = convert_many([copy], tmp_path / "lo", "xlsx")
    check = openpyxl.load_workbook(result, data_only=True)["Kiểm tra"]
    assert str(check["C4"].value).startswith("✓"), check["C4"].value
