"""Round trips through returned files: fill → read → check gives back what was filled.

The files are filled by writing the values into the sheet XML (as the demo and
the benchmark do), so many random fillings can be checked; the LibreOffice
re-save round trip is in test_bad_inputs.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, check_file
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form, expr
from workbook_tools.form.evaluate import RuleState, compute, rule_state
from workbook_tools.form.model import Kind
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
texts = st.text(
    alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.;:-&<>\"'()/%0123456789",
    min_size=1,
    max_size=120,
).filter(lambda t: t.strip() != "" and t == " ".join(t.split()))

UNITS = [
    Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành", None, "snv@quangngai.gov.vn", None, None),
    Unit("XA_BA_TO", "UBND xã Ba Tơ", "UBND xã", None, None, None, None),
]


@pytest.fixture(scope="module")
def factory(request_h1: Request) -> WorkbookFactory:
    return WorkbookFactory(request_h1)


def write(
    tmp: Path,
    factory: WorkbookFactory,
    form: Form,
    unit: Unit,
    values: dict[str, Any],
    table: dict[Any, Any],
) -> Path:
    path = tmp / f"{unit.code}.xlsx"
    path.write_bytes(fill_xlsx(factory.build(unit), build_layout(form), values, table))
    return path


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6), unit=st.sampled_from(UNITS), data=st.data())
def test_valid_fillings_are_accepted_and_read_back_exactly(
    seed: int,
    unit: Unit,
    data: st.DataObject,
    dvcq: Form,
    factory: WorkbookFactory,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    ret = realistic_return(unit, seed)
    # Free texts are the unit's own words: any Vietnamese text, markup characters included.
    for code in ("nd_tinh_hinh", "nd_uu_diem", "nd_kien_nghi", "nguoi_lap_bieu", "dien_thoai"):
        ret.values[code] = data.draw(texts, label=code)
    # Optional figures may be left blank: blank is read back as blank, never as 0.
    for code in ("hs_buu_chinh", "tt_so_tien", "dt_y_kien", "gs_mat_tran"):
        if data.draw(st.booleans(), label=f"blank {code}"):
            ret.values[code] = None
    path = write(tmp_path_factory.mktemp("valid"), factory, dvcq, unit, ret.values, ret.table)
    sub = check_file(path, Expectation(dvcq))
    assert sub.accepted, [f.message for f in sub.errors]
    assert sub.unit_code == unit.code
    for code, value in ret.values.items():
        assert sub.values[code] == value, code
    for ind in dvcq.computed_order:
        assert sub.values[ind.code] == compute(dvcq, ret.values)[ind.code]
    rows = {(r.table, r.index): r.values for r in sub.rows}
    for (table, index, column), value in ret.table.items():
        assert rows[(table, index)][column] == value


def violating_value(form: Form, rule_id: str, values: dict[str, Any]) -> tuple[str, int] | None:
    """An input of the rule and a value for it that makes the rule fail, if one exists."""
    rule = next(r for r in form.rules if r.id == rule_id)
    inputs = [c for c in rule.codes if not form.by_code[c].computed]
    for code in inputs:
        for candidate in (values[code] + 1, values[code] + 1000, 0, 10**6):
            trial = {**values, code: candidate}
            if rule_state(rule, compute(form, trial)) is RuleState.FAILED:
                return code, candidate
    return None


RULES_THAT_CAN_FAIL = [
    "hs_can_doi", "hs_buu_chinh_trong_truc_tiep", "pakn_tong_bang_tong_kenh", "pakn_xu_ly_toi_da",
    "hl_hai_long_toi_da", "tcd_doan_toi_da", "don_du_dieu_kien_toi_da", "don_phan_loai",
    "don_tham_quyen_toi_da", "hg_thanh_toi_da", "kl_vi_pham_toi_da", "dvk_hieu_qua_toi_da",
    "tcd_nguoi_toi_thieu", "tcd_doan_nguoi_toi_thieu", "ts_ke_khai_toi_da", "hs_so_hoa_hop_ly",
    "don_chuyen_huong_dan_toi_da",
]  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10**6), rule_id=st.sampled_from(RULES_THAT_CAN_FAIL))
def test_rule_violations_are_reported_with_their_indicators(
    seed: int,
    rule_id: str,
    dvcq: Form,
    factory: WorkbookFactory,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    unit = UNITS[seed % 2]
    ret = realistic_return(unit, seed)
    change = violating_value(dvcq, rule_id, ret.values)
    assert change is not None, rule_id
    ret.values[change[0]] = change[1]
    path = write(tmp_path_factory.mktemp("rule"), factory, dvcq, unit, ret.values, ret.table)
    sub = check_file(path, Expectation(dvcq))
    rule = next(r for r in dvcq.rules if r.id == rule_id)
    reported = [f for f in sub.findings if f.code == "rule-failed" and f.indicators == rule.codes]
    assert len(reported) == 1
    assert reported[0].severity == rule.severity
    assert reported[0].sheet == "Số liệu"
    assert sub.accepted is (not any(f.is_error for f in sub.findings))
    if rule.severity == "error":
        assert not sub.accepted


def test_rule_message_shows_both_sides(
    dvcq: Form, factory: WorkbookFactory, tmp_path: Path
) -> None:
    ret = realistic_return(UNITS[0], 7)
    ret.values.update(
        don_du_dieu_kien=285, don_khieu_nai=28, don_to_cao=35, don_kien_nghi=120, don_tiep_nhan=558
    )
    ret.values.update(don_thuoc_tham_quyen=100)
    sub = check_file(
        write(tmp_path, factory, dvcq, UNITS[0], ret.values, ret.table), Expectation(dvcq)
    )
    (found,) = [f for f in sub.findings if f.code == "rule-failed"]
    # 28 + 35 + 120 = 183, written by hand; the rule is "parts == don_du_dieu_kien"
    assert "28 + 35 + 120 = 183 ≠ 285" in found.message
    assert found.cell == build_layout(dvcq).cell("don_du_dieu_kien").a1


def test_blank_is_not_zero(dvcq: Form, factory: WorkbookFactory, tmp_path: Path) -> None:
    ret = realistic_return(UNITS[1], 3)
    ret.values["hs_qua_han"] = None
    sub = check_file(
        write(tmp_path, factory, dvcq, UNITS[1], ret.values, ret.table), Expectation(dvcq)
    )
    assert [(f.code, f.indicators) for f in sub.errors] == [
        ("value-required-missing", ("hs_qua_han",))
    ]
    assert sub.values["hs_qua_han"] is None and sub.values["hs_da_giai_quyet"] is None
    ret.values["hs_qua_han"] = 0
    ret.values["hs_truoc_han"] += 0
    sub = check_file(
        write(tmp_path, factory, dvcq, UNITS[1], ret.values, ret.table), Expectation(dvcq)
    )
    expected = ret.values["hs_truoc_han"] + ret.values["hs_dung_han"]
    assert sub.values["hs_da_giai_quyet"] == expected


def test_percent_kind_is_never_an_input(dvcq: Form) -> None:
    assert all(ind.computed for ind in dvcq.indicators if ind.kind is Kind.PERCENT)
    assert expr.codes(dvcq.by_code["ty_le_dung_han"].expression or expr.Num(0)) == [
        "hs_truoc_han",
        "hs_dung_han",
        "hs_da_giai_quyet",
    ]
