"""The generated workbook, read back with openpyxl: structure, names, protection, texts."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import DVCQ_SHEETS, listed_choices, name_cells
from openpyxl.worksheet.datavalidation import DataValidation

from workbook_tools.contract import Request, build_layout
from workbook_tools.form import Form
from workbook_tools.form.model import Column, Kind
from workbook_tools.units import Unit
from workbook_tools.writer import generate
from workbook_tools.writer.validation import ValidationTextTooLong, data_validation

SHEETS = DVCQ_SHEETS

# Counted by hand from templates/xlsx/dvcq.yaml: required inputs per sheet.
REQUIRED_UNIT = ["nguoi_lap_bieu", "dien_thoai", "hinh_thuc_ky", "chuc_danh_thu_truong",
                 "chuc_vu_nguoi_ky", "nguoi_ky"]  # fmt: skip
# Required only where every unit has the figure (issue 10): hồ sơ TTHC, phản ánh kiến
# nghị, lượt tiếp công dân, kỷ luật, mô hình đăng ký.
REQUIRED_FIGURES = [
    "hs_ky_truoc", "hs_truc_tuyen", "hs_truc_tiep", "hs_truoc_han",
    "hs_dung_han", "hs_qua_han", "hs_dang_trong_han", "hs_dang_qua_han", "hs_rut",
    "pakn_tong", "tcd_luot", "kl_vi_pham", "dvk_dang_ky",
]  # fmt: skip
REQUIRED_NARRATIVE = ["nd_tinh_hinh", "nd_uu_diem", "nd_han_che", "nd_nhiem_vu"]  # fmt: skip


@pytest.fixture(scope="module")
def wb(fresh_workbook: Path) -> Any:
    return openpyxl.load_workbook(fresh_workbook)


@pytest.fixture(scope="module")
def cached(fresh_workbook: Path) -> Any:
    return openpyxl.load_workbook(fresh_workbook, data_only=True)


def meta(wb: Any) -> dict[str, Any]:
    return {row[0]: row[1] for row in wb["_meta"].iter_rows(values_only=True)}


def code_map(wb: Any) -> dict[str, tuple[str, str]]:
    rows = list(wb["_map"].iter_rows(values_only=True))
    assert rows[0] == ("code", "sheet", "cell", "kind", "role", "table", "row", "column")
    return {r[0]: (r[1], r[2]) for r in rows[1:] if r[0]}


def validation_at(ws: Any, coord: str) -> DataValidation | None:
    for dv in ws.data_validations.dataValidation:
        if coord in dv.sqref:
            return dv
    return None


def test_sheets_in_order_and_meta_hidden(wb: Any) -> None:
    assert wb.sheetnames == SHEETS
    assert all(wb[s].sheet_state in ("hidden", "veryHidden") for s in ("_meta", "_map", "_lists"))
    assert all(wb[s].sheet_state == "visible" for s in SHEETS[:-3])
    assert wb.active.title == "Hướng dẫn"


def test_meta_identifies_the_workbook(wb: Any, dvcq: Form) -> None:
    m = meta(wb)
    assert m["workbook_tools_meta"] == 3
    assert m["form_id"] == "dvcq"
    assert m["form_version"] == str(dvcq.version)
    assert m["fingerprint"] == dvcq.fingerprint and len(m["fingerprint"]) == 16
    assert m["unit_code"] == "XA_DONG_SON"
    assert m["unit_name"] == "UBND xã Đông Sơn & <Thử>"
    assert m["period"] == "2025-H1"
    assert (m["cutoff_start"], m["cutoff_end"]) == ("2024-12-15", "2025-06-14")
    assert m["deadline"] == "2025-06-20"
    assert m["generated_at"] == "2025-06-01T08:00:00"


def test_every_code_has_a_name_and_a_map_entry_that_agree(wb: Any, dvcq: Form) -> None:
    names = name_cells(wb)
    mapping = code_map(wb)
    for ind in dvcq.indicators:
        assert ind.code in names, ind.code
        assert mapping[ind.code] == names[ind.code], ind.code
    # every table cell is mapped: 100 rows of the Dân vận khéo table, a row per column
    table_entries = [k for k in mapping if k.startswith("dvk_mo_hinh[")]
    assert len(table_entries) == 8
    assert mapping["dvk_mo_hinh[1..100].ten_mo_hinh"] == ("Dân vận khéo", "B5:B104")
    assert mapping["dvk_mo_hinh[1..100].cap_cong_nhan"] == ("Dân vận khéo", "I5:I104")
    destinations = list(wb.defined_names["dvk_mo_hinh"].destinations)
    assert destinations == [("Dân vận khéo", "$B$5:$I$104")]


def test_inputs_unlocked_everything_else_locked(wb: Any, dvcq: Form) -> None:
    names = name_cells(wb)
    for ind in dvcq.indicators:
        sheet, coord = names[ind.code]
        cell = wb[sheet][coord]
        assert cell.protection.locked is ind.computed, ind.code
        if ind.computed:
            assert str(cell.value).startswith("=IF(COUNT("), ind.code
    figures = wb["Số liệu"]
    assert figures["B6"].protection.locked is True  # a label
    for title in SHEETS:
        assert wb[title].protection.sheet is True, title
    assert wb.security is not None and wb.security.lockStructure is True


def test_every_input_cell_has_vietnamese_validation_within_excel_limits(
    wb: Any, dvcq: Form
) -> None:
    names = name_cells(wb)
    for ind in dvcq.indicators:
        if ind.computed:
            continue
        sheet, coord = names[ind.code]
        dv = validation_at(wb[sheet], coord)
        assert dv is not None, ind.code
        assert dv.showInputMessage and dv.showErrorMessage
        assert ind.label in dv.prompt
        assert 0 < len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
        assert 0 < len(dv.errorTitle) <= 32 and 0 < len(dv.error) <= 224
        assert dv.errorStyle in (None, "stop")
        if ind.kind is Kind.INTEGER:
            assert dv.type == "whole" and dv.formula1 == "0"
        if ind.kind is Kind.CHOICE:
            assert dv.type == "list"
            assert listed_choices(wb, dv.formula1) == list(ind.choices), ind.code
    yes_no = validation_at(wb["Số liệu"], names["hn_cbccvc"][1])
    assert yes_no is not None and listed_choices(wb, yes_no.formula1) == ["Có", "Không"]


def test_table_columns_validated(wb: Any) -> None:
    ws = wb["Dân vận khéo"]
    year = validation_at(ws, "F5")
    assert year is not None and year.type == "whole"
    assert (year.formula1, year.formula2) == ("2000", "2100")
    field = validation_at(ws, "C104")
    assert field is not None and field.type == "list"
    assert "Xây dựng hệ thống chính trị" in listed_choices(wb, field.formula1)
    assert ws["B5"].protection.locked is False and ws["A5"].protection.locked is True


def test_every_choice_is_offered_exactly_as_defined(wb: Any, dvcq: Form) -> None:
    """A comma inside a choice ("Cơ quan, đơn vị") must not split it into two items."""
    table = dvcq.tables[0]
    level = table.column("cap_cong_nhan")
    assert "Cơ quan, đơn vị" in level.choices
    ws = wb[table.sheet]
    for col_index, column in enumerate(table.columns):
        if not column.list_choices:
            continue
        letter = openpyxl.utils.get_column_letter(2 + col_index)  # columns from B
        for row in (5, 34):
            dv = validation_at(ws, f"{letter}{row}")
            assert dv is not None and dv.type == "list", (column.code, row)
            assert listed_choices(wb, dv.formula1) == list(column.list_choices), column.code
    assert listed_choices(wb, validation_at(ws, "I5").formula1)[1] == "Cơ quan, đơn vị"


def test_fresh_cached_values(cached: Any) -> None:
    names = name_cells(cached)
    sheet, coord = names["hs_nhan_giai_quyet"]
    assert cached[sheet][coord].value in ("", None)
    sheet, coord = names["ty_le_dung_han"]
    assert cached[sheet][coord].value in ("", None)
    check = cached["Kiểm tra"]
    total = len(REQUIRED_UNIT) + len(REQUIRED_FIGURES) + len(REQUIRED_NARRATIVE)
    assert total == 23
    assert check["C4"].value == "✗ CHƯA SẴN SÀNG: còn 23 vấn đề phải sửa"
    labels = {row[1].value: row[2].value for row in check.iter_rows(min_row=5, max_row=12)}
    assert labels["Quy tắc bị vi phạm (lỗi, phải sửa)"] == 0
    assert labels["Ô bắt buộc còn trống ở trang “Đơn vị”"] == len(REQUIRED_UNIT)
    assert labels["Ô bắt buộc còn trống ở trang “Số liệu”"] == len(REQUIRED_FIGURES)
    assert labels["Ô bắt buộc còn trống ở trang “Thuyết minh”"] == len(REQUIRED_NARRATIVE)


def test_times_new_roman_and_print_setup(wb: Any) -> None:
    ws = wb["Số liệu"]
    for coord in ("A1", "B6", "D7", "E7"):
        assert ws[coord].font.name == "Times New Roman", coord
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, not written
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes == "A6"
    helper_cols = ws.column_dimensions["H"]  # H:I, the hidden flag columns
    assert helper_cols.hidden and (helper_cols.min, helper_cols.max) == (8, 9)
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "NGƯỜI LẬP BIỂU" in values and "THỦ TRƯỞNG ĐƠN VỊ" in values
    assert "(Ký, ghi rõ họ tên)" in values and "(Ký tên, đóng dấu)" in values


def test_texts_are_nfc_and_escaped(fresh_workbook: Path, wb: Any) -> None:
    with zipfile.ZipFile(fresh_workbook) as z:
        shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    assert unicodedata.normalize("NFC", shared) == shared
    assert wb["Đơn vị"]["C3"].value == "UBND xã Đông Sơn & <Thử>"


def test_validation_text_over_the_limit_is_refused_not_dropped() -> None:
    column = Column(code="x", label="Tên", kind=Kind.TEXT, help="x" * 300)
    with pytest.raises(ValidationTextTooLong):
        data_validation(column)


def test_generate_names_files_and_writes_the_manifest(
    tmp_path: Path, request_h1: Request, unit: Unit
) -> None:
    twin = Unit("XA_DONG_SON_2", "UBND xã Đông Sơn & Thử", "UBND xã", None, None, None, None)
    result = generate(request_h1, [unit, twin], tmp_path)
    names = [f.path.name for f in result.files]
    assert names == [  # both names slug alike: both carry their code
        "ubnd-xa-dong-son-thu_2025-h1_xa-dong-son.xlsx",
        "ubnd-xa-dong-son-thu_2025-h1_xa-dong-son-2.xlsx",
    ]
    with result.manifest.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Khối, loại", "Email", "Người liên hệ", "Tệp"]
    assert rows[1] == ["XA_DONG_SON", "UBND xã Đông Sơn & <Thử>", "UBND xã",
                       "dongson@quangngai.gov.vn", "Nguyễn Văn A", names[0]]  # fmt: skip
    assert rows[2][0] == "XA_DONG_SON_2" and rows[2][5] == names[1]


def all_values(data: bytes) -> dict[tuple[str, str], Any]:
    import io

    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        (ws.title, cell.coordinate): cell.value
        for ws in book.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_factory_builds_the_same_workbook_as_a_direct_write(
    request_h1: Request, unit: Unit
) -> None:
    from workbook_tools.writer import workbook_bytes
    from workbook_tools.writer.writer import WorkbookFactory

    factory = WorkbookFactory(request_h1)
    for who in (unit, Unit("SNV", 'Sở "Nội vụ" > 1', "Sở, ban, ngành", None, None, None, None)):
        built = factory.build(who)
        with zipfile.ZipFile(io.BytesIO(built)) as z:
            assert z.testzip() is None
        direct = all_values(workbook_bytes(request_h1, who))
        assert all_values(built) == direct
        assert direct[("Đơn vị", "C3")] == who.name and direct[("_meta", "B5")] == who.code


def test_generate_on_two_processes(tmp_path: Path, request_h1: Request) -> None:
    from workbook_tools.units import synthetic_units

    units = synthetic_units(420)  # above PARALLEL_MIN_UNITS: built on worker processes
    result = generate(request_h1, units, tmp_path, workers=2)
    assert len({f.path for f in result.files}) == 420
    assert all(f.path.exists() for f in result.files)
    last = openpyxl.load_workbook(result.files[-1].path, read_only=True)
    meta_rows = {r[0]: r[1] for r in last["_meta"].iter_rows(max_row=8, values_only=True)}
    assert meta_rows["unit_code"] == units[-1].code
    assert meta_rows["unit_name"] == units[-1].name


def test_a_table_sheet_named_like_a_fixed_sheet_is_refused(dvcq: Form) -> None:
    import dataclasses

    from workbook_tools.contract import build_layout
    from workbook_tools.errors import WorkbookToolsError

    clashing = dataclasses.replace(
        dvcq, tables=(dataclasses.replace(dvcq.tables[0], sheet="Số liệu"),)
    )
    with pytest.raises(WorkbookToolsError) as info:
        build_layout(clashing)
    assert "Số liệu" in str(info.value) and "sheet:" in str(info.value)


def conditional_fills(ws: Any, coord: str) -> list[str]:
    """The fill colours (RRGGBB) of the conditional formats that cover ``coord``."""
    found = []
    for cf_range in ws.conditional_formatting:
        if coord in cf_range.sqref:
            for rule in cf_range.rules:
                fill = rule.dxf.fill if rule.dxf is not None else None
                if fill is not None:
                    found.append(str(fill.bgColor.rgb or fill.fgColor.rgb)[-6:])
    return found


def check_rule_rows(wb: Any) -> dict[str, tuple[Any, ...]]:
    """Rows of the check sheet's rule table, by rule message."""
    rows = list(wb["Kiểm tra"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[1] == "Quy tắc kiểm tra")
    return {row[1]: row for row in rows[header + 1 :] if row[1]}


def test_check_sheet_names_indicators_as_the_unit_reads_them(wb: Any, dvcq: Form) -> None:
    rows = check_rule_rows(wb)
    assert len(rows) == len(dvcq.rules)
    for rule in dvcq.rules:
        related = rows[rule.message][2]
        for code in rule.codes:
            assert code not in related, (rule.id, related)
            assert dvcq.by_code[code].label in related, (rule.id, code)
    # Numbered as on the "Số liệu" sheet (section II: TTHC; counted by hand in dvcq.yaml).
    balance = next(r for r in dvcq.rules if r.id == "hs_can_doi")
    assert rows[balance.message][2].split("\n")[0] == "II.10. Tổng số hồ sơ nhận giải quyết"


def test_check_sheet_colours_warnings_orange_and_errors_red(wb: Any, dvcq: Form) -> None:
    check = wb["Kiểm tra"]
    counts = {check.cell(r, 2).value: r for r in range(6, 14)}
    errors = counts["Quy tắc bị vi phạm (lỗi, phải sửa)"]
    warnings = counts["Cảnh báo (nên xem lại, không bắt buộc sửa)"]
    assert conditional_fills(check, f"C{errors}") == ["F4B6B6"]
    assert conditional_fills(check, f"C{warnings}") == ["FAD7A0"]
    first_rule = next(r for r in range(1, 60) if check.cell(r, 2).value == "Quy tắc kiểm tra") + 1
    results = conditional_fills(check, f"E{first_rule}")
    assert "FAD7A0" in results and "F4B6B6" in results
    formulas = [check.cell(first_rule + k, 5).value for k in range(len(dvcq.rules))]
    for rule, formula in zip(dvcq.rules, formulas, strict=True):
        assert ('"SAI"' in formula) is (rule.severity == "error"), rule.id


def test_unit_sheet_names_the_form_in_vietnamese(wb: Any, dvcq: Form) -> None:
    values = {row[1]: row[2] for row in wb["Đơn vị"].iter_rows(values_only=True) if row[1]}
    assert values["Biểu mẫu"] == f"{dvcq.title} (phiên bản {dvcq.version})"
    assert dvcq.id not in values["Biểu mẫu"]


def test_prompts_are_whole_and_error_texts_state_the_length_limit(wb: Any, dvcq: Form) -> None:
    kinds = {ind.code: ind.kind for ind in dvcq.indicators}
    kinds.update({c.code: c.kind for t in dvcq.tables for c in t.columns})
    names = name_cells(wb)
    seen = 0
    for code, kind in kinds.items():
        sheet, coord = names.get(code, ("Dân vận khéo", ""))
        if not coord:  # a table column: its first row
            table = dvcq.tables[0]
            col = [c.code for c in table.columns].index(code)
            coord = f"{openpyxl.utils.get_column_letter(2 + col)}5"
        dv = validation_at(wb[sheet], coord)
        if dv is None:
            continue  # a computed figure
        seen += 1
        assert ".." not in dv.prompt, (code, dv.prompt)
        if kind is Kind.TEXT:
            assert "255 ký tự" in dv.error, code
        if kind is Kind.LONG_TEXT:
            assert "32.000 ký tự" in dv.error, code
    assert seen > 60


def test_figures_status_is_red_for_an_error_and_orange_for_a_warning(wb: Any, dvcq: Form) -> None:
    figures = wb["Số liệu"]
    names = name_cells(wb)
    for code, colour in (("pakn_tong", "F4B6B6"), ("tcd_nguoi", "FAD7A0")):
        (rule,) = [r for r in dvcq.rules if r.anchor == code]
        assert rule.severity == ("error" if colour == "F4B6B6" else "warning")
        status = "E" + names[code][1][1:]
        assert conditional_fills(figures, status) == [colour], code
        assert figures[status].font.color.type == "theme", code  # not a red font on orange


def test_a_year_column_shows_no_thousands_separator(wb: Any) -> None:
    """ "2.024" (or "2,024") for the year a model started is read by eye as a count."""
    ws = wb["Dân vận khéo"]
    assert ws["F5"].number_format == "0"  # Năm bắt đầu: min 2000, max 2100
    assert ws["C5"].number_format == "General"  # Lĩnh vực: a text


def test_the_code_map_stays_out_of_the_shared_strings(fresh_workbook: Path, dvcq: Form) -> None:
    """The ``_map`` rows are inline strings: a reader parses the shared strings on opening
    every returned file, and the map's codes and cells would add to them."""
    with zipfile.ZipFile(fresh_workbook) as z:
        shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    table = dvcq.tables[0]
    n = table.max_rows
    first, last = table.columns[0].code, table.columns[-1].code
    assert f"{table.code}[1..{n}].{first}" not in shared and ">B5:B104<" not in shared
    assert f"{table.code}[1..{n}].{table.columns[-2].code}" not in shared  # (the last row
    # is XlsxWriter's own, the one the others are written before)
    # …and the map is whole: every indicator and a row per table column, read back by a
    # reader that does not know the form (openpyxl here; calamine in tests/test_reader.py)
    rows = list(openpyxl.load_workbook(fresh_workbook)["_map"].iter_rows(values_only=True))
    codes = [r[0] for r in rows[1:] if r[0]]
    assert len(codes) == len(dvcq.indicators) + len(table.columns)
    assert codes[-1] == f"{table.code}[1..{n}].{last}"
    assert rows[-1][2:] == ("I5:I104", "choice", "table", table.code, n, last)
    assert rows[1][6] is None


def test_the_map_names_the_runs_of_cells_the_layout_gives(fresh_workbook: Path, dvcq: Form) -> None:
    """Format 3: the indicators' rows, then one row per table column naming its run of cells
    (B5:B104 … I5:I104: the table's columns B to I, its 100 rows on sheet rows 5 to 104)."""
    layout = build_layout(dvcq)
    rows = list(openpyxl.load_workbook(fresh_workbook)["_map"].iter_rows(values_only=True))[1:]
    assert len(rows) == len(dvcq.indicators) + 8
    ranges = [r for r in rows if ":" in r[2]]
    assert [r[2] for r in ranges] == [f"{c}5:{c}104" for c in "BCDEFGHI"]
    table = dvcq.tables[0]
    for row, col in zip(ranges, table.columns, strict=True):
        top = layout.table_cells[(table.code, 1, col.code)]
        bottom = layout.table_cells[(table.code, table.max_rows, col.code)]
        assert row == (
            f"dvk_mo_hinh[1..100].{col.code}",
            "Dân vận khéo",
            f"{top.a1}:{bottom.a1}",
            col.kind.value,
            "table",
            "dvk_mo_hinh",
            100,
            col.code,
        )
    assert [r[0] for r in rows[: len(dvcq.indicators)]] == [i.code for i in dvcq.indicators]
