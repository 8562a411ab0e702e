"""The other sheets: instructions, unit, narrative, tables and the check sheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from workbook_tools.contract.layout import (
    COL_BAD_FLAG,
    FIGURES_FIRST_ROW,
    NARRATIVE_COL,
    SHEET_CHECK,
    SHEET_FIGURES,
    SHEET_GUIDE,
    SHEET_NARRATIVE,
    SHEET_UNIT,
    TABLE_FIRST_COL,
    TABLE_FIRST_ROW,
    TABLE_HEADER_ROW,
    UNIT_BAD_FLAG_COL,
    UNIT_LABEL_COL,
    UNIT_VALUE_COL,
    CellRef,
    Layout,
    quote_sheet,
)
from workbook_tools.contract.legend import (
    BLANK_FILL,
    COMPUTED_FILL,
    ERROR_FILL,
    INPUT_FILL,
    OK_FILL,
    WARNING_FILL,
)
from workbook_tools.contract.request import Request
from workbook_tools.form.evaluate import RuleState
from workbook_tools.form.model import Table
from workbook_tools.form.validation_text import is_year
from workbook_tools.writer.context import SheetContext, write_input
from workbook_tools.writer.printing import page_setup
from workbook_tools.writer.sizing import row_height
from workbook_tools.writer.styles import Styles
from workbook_tools.writer.validation import data_validation, invalid_test

READY = "✓ SẴN SÀNG GỬI"
NARRATIVE_WIDTH = 110  # characters: the narrative sheet's text column
NOT_READY = "✗ CHƯA SẴN SÀNG"
# The result of each rule on the check sheet: a broken warning is no error.
RULE_FAILED = {"error": "SAI", "warning": "Xem lại"}
RULE_HELD = "Đạt"
RULE_SKIPPED = "Chưa đủ số liệu"
CHECK_RULE_WIDTH = 56
CHECK_CODES_WIDTH = 36


def deadline_text(request: Request) -> str:
    if request.deadline is None:
        return "theo văn bản đề nghị báo cáo của " + request.issuer
    return f"{request.deadline:%d/%m/%Y}"


def write_guide(ctx: SheetContext) -> Any:
    wb, styles, layout, request, unit = ctx.wb, ctx.styles, ctx.layout, ctx.request, ctx.unit
    ws = wb.add_worksheet(SHEET_GUIDE)
    ws.set_column(0, 0, 4)
    ws.set_column(1, 1, 24)
    ws.set_column(2, 2, 80)
    ws.merge_range(0, 0, 0, 2, "HƯỚNG DẪN ĐIỀN BIỂU MẪU BÁO CÁO", styles.title())
    ws.merge_range(1, 0, 1, 2, layout.form.title, styles.subtitle())
    ws.set_row(1, 32)
    facts = [
        ("Đơn vị báo cáo", unit.name),
        ("Kỳ báo cáo", request.period.title_label),
        (
            "Thời gian chốt số liệu",
            f"từ {request.period.cutoff_start:%d/%m/%Y} đến {request.period.cutoff_end:%d/%m/%Y}",
        ),
        ("Hạn gửi báo cáo", deadline_text(request)),
        ("Nơi nhận", request.issuer),
        ("Liên hệ khi cần hỗ trợ", request.contact or request.issuer),
    ]
    row = _guide_lines(ws, styles, 3, facts) + 1
    ws.write(row, 1, "Các bước", styles.get(bold=True, font_size=13))
    row += 1
    steps = [
        f"Trang “{SHEET_UNIT}”: ghi họ tên, điện thoại người lập biểu và thông tin người ký. "
        "Tên đơn vị, kỳ báo cáo đã điền sẵn, không sửa.",
        f"Trang “{SHEET_FIGURES}”: nhập số liệu vào các ô màu xanh nhạt. Các ô màu xám "
        "(tổng số, tỷ lệ) tự tính, không nhập.",
        "Để trống nghĩa là “chưa báo cáo”. Nếu trong kỳ không phát sinh, nhập số 0. "
        "Chỉ nhập chữ số, không ghi chữ như “khoảng”, “hơn”.",
        *[f"Trang “{t.sheet}”: {t.help or t.title}" for t in layout.form.tables],
        f"Trang “{SHEET_NARRATIVE}”: viết phần thuyết minh của báo cáo; mỗi ý xuống dòng "
        "bằng Alt+Enter (Excel, WPS) hoặc Ctrl+Enter (LibreOffice).",
        f"Trang “{SHEET_CHECK}”: khi dòng KẾT LUẬN hiện “{READY}” thì lưu tệp và gửi. "
        "Nếu còn lỗi, trang này chỉ rõ quy tắc nào sai và còn bao nhiêu ô phải nhập.",
        "Khi sao chép số liệu từ tệp khác, dùng Dán giá trị (Paste Values) để không làm hỏng "
        "định dạng. Không đổi tên, thêm, xóa trang; không chèn, xóa dòng hay cột.",
        "Lưu tệp dạng .xlsx (Excel, WPS) hoặc giữ nguyên .xlsx khi dùng LibreOffice; có thể "
        "đổi tên tệp. In trang số liệu, ký, đóng dấu và gửi kèm tệp Excel.",
    ]
    numbered = [(f"Bước {i}", step) for i, step in enumerate(steps, start=1)]
    row = _guide_lines(ws, styles, row, numbered, valign="top") + 1
    ws.write(row, 1, "Chú giải màu", styles.get(bold=True, font_size=13))
    row += 1
    legend = [
        (INPUT_FILL, "Ô nhập liệu"),
        (COMPUTED_FILL, "Ô tự tính (công thức), không nhập"),
        (BLANK_FILL, "Ô bắt buộc còn trống"),
        (ERROR_FILL, "Giá trị không hợp lệ hoặc vi phạm quy tắc: phải sửa"),
        (WARNING_FILL, "Cảnh báo: nên xem lại"),
    ]
    for colour, text in legend:
        ws.write(row, 1, "", styles.get(bg_color=colour, border=1))
        ws.write(row, 2, text, styles.plain())
        row += 1
    ws.print_area(0, 0, row, 2)
    page_setup(ws)
    return ws


def _guide_lines(
    ws: Any, styles: Styles, row: int, lines: list[tuple[str, str]], **align: str
) -> int:
    """The guide's ``(label, text)`` lines from ``row``, each as tall as its text; the next row."""
    for label, text in lines:
        ws.write(row, 1, label, styles.get(bold=True, **align))
        ws.write(row, 2, text, styles.plain(**align))
        ws.set_row(row, row_height([(text, 80)]))
        row += 1
    return row


def write_unit(ctx: SheetContext) -> Any:
    wb, styles, layout, request, unit = ctx.wb, ctx.styles, ctx.layout, ctx.request, ctx.unit
    ws = wb.add_worksheet(SHEET_UNIT)
    ws.set_column(0, 0, 3)
    ws.set_column(UNIT_LABEL_COL, UNIT_LABEL_COL, 34)
    ws.set_column(UNIT_VALUE_COL, UNIT_VALUE_COL, 60)
    ws.set_column(UNIT_BAD_FLAG_COL, UNIT_BAD_FLAG_COL, 4, None, {"hidden": True})
    ws.merge_range(0, 1, 0, 2, "THÔNG TIN ĐƠN VỊ BÁO CÁO", styles.title())
    period = request.period
    identity = [
        ("Tên đơn vị", unit.name),
        ("Mã đơn vị", unit.code),
        ("Khối, loại", unit.group),
        ("Kỳ báo cáo", period.title_label),
        (
            "Thời gian chốt số liệu",
            f"từ {period.cutoff_start:%d/%m/%Y} đến {period.cutoff_end:%d/%m/%Y}",
        ),
        ("Hạn gửi báo cáo", deadline_text(request)),
        ("Cơ quan nhận báo cáo", request.issuer),
        ("Biểu mẫu", f"{layout.form.title} (phiên bản {layout.form.version})"),
    ]
    for i, (label, value) in enumerate(identity):
        ws.set_row(2 + i, row_height([(value, 58)]))
        ws.write(2 + i, UNIT_LABEL_COL, label, styles.label(bold=True))
        ws.write(2 + i, UNIT_VALUE_COL, value, styles.locked_value())
    heading = layout.unit_input_first_row - 1
    ws.merge_range(
        heading, 1, heading, 2, "NGƯỜI LẬP BIỂU VÀ NGƯỜI KÝ (đơn vị nhập)", styles.header()
    )
    form = layout.form
    for section in form.sections:
        if section.placement != "unit":
            continue
        for ind in section.indicators:
            cell = layout.cell(ind.code)
            label = ind.label + (" (*)" if ind.required else "")
            ws.set_row(cell.row, row_height([(label, 34)]))
            ws.write(cell.row, UNIT_LABEL_COL, label, styles.label())
            write_input(ws, cell.row, cell.col, ctx.values.get(ind.code), styles.input(ind.kind))
            choices = layout.choice_list(ind.code)
            ws.data_validation(
                cell.row, cell.col, cell.row, cell.col, data_validation(ind, choices)
            )
            bad = invalid_test(ind, cell.absolute, choices)
            _validity(ws, styles, cell, ind.required, bad, UNIT_BAD_FLAG_COL)
    last = max(layout.unit_rows.values(), default=heading)
    ws.write(last + 2, 1, "(*) Bắt buộc nhập.", styles.get(italic=True, font_size=11))
    ws.print_area(0, 0, last + 2, 2)
    page_setup(ws)
    return ws


def _validity(
    ws: Any, styles: Styles, cell: CellRef, required: bool, bad: str | None, flag_col: int
) -> None:
    if bad is not None:
        ws.write_formula(cell.row, flag_col, f"=IF({bad},1,0)", None, 0)
        ws.conditional_format(
            cell.a1,
            {
                "type": "formula",
                "criteria": f"={bad}",
                "format": styles.cf(ERROR_FILL),
                "stop_if_true": True,
            },
        )
    if required:
        ws.conditional_format(
            cell.a1,
            {
                "type": "formula",
                "criteria": f"=ISBLANK({cell.absolute})",
                "format": styles.cf(BLANK_FILL),
            },
        )


NARRATIVE_NOTE = (
    "Mỗi ô in vào báo cáo ngay dưới đề mục của nó, sau các câu viết từ số liệu; mỗi dòng "
    "(Alt+Enter) là một đoạn. Để trống ô không có nội dung. Một ô nhận tối đa 32.000 ký tự "
    "(Excel dừng ở 32.767): nội dung dài hơn, hãy tóm tắt trong ô và gửi toàn văn làm tài "
    "liệu kèm theo, ghi ở cuối ô “(chi tiết tại tài liệu kèm theo)”."
)


def write_narrative(ctx: SheetContext) -> Any:
    wb, styles, layout, request, unit = ctx.wb, ctx.styles, ctx.layout, ctx.request, ctx.unit
    ws = wb.add_worksheet(SHEET_NARRATIVE)
    ws.set_column(0, 0, 3)
    ws.set_column(NARRATIVE_COL, NARRATIVE_COL, NARRATIVE_WIDTH)
    ws.write(0, NARRATIVE_COL, "THUYẾT MINH BÁO CÁO", styles.title())
    ws.write(1, NARRATIVE_COL, f"{unit.name} — {request.period.label}", styles.subtitle())
    ws.set_row(2, row_height([(NARRATIVE_NOTE, 110)]))
    ws.write(2, NARRATIVE_COL, NARRATIVE_NOTE, styles.plain(italic=True))
    number = 0
    for section in layout.form.sections:
        if section.placement != "narrative":
            continue
        for ind in section.indicators:
            number += 1
            row = layout.narrative_rows[ind.code]
            title = f"{number}. {ind.label}" + (" (*)" if ind.required else "")
            if ind.help:
                title += f" — {ind.help}"
            ws.set_row(row, row_height([(title, NARRATIVE_WIDTH)]))
            ws.write(row, NARRATIVE_COL, title, styles.get(bold=True, text_wrap=True))
            cell = layout.cell(ind.code)
            value = ctx.values.get(ind.code)
            ws.set_row(cell.row, narrative_height(value))
            write_input(ws, cell.row, cell.col, value, styles.input(ind.kind, tall=True))
            ws.data_validation(cell.row, cell.col, cell.row, cell.col, data_validation(ind))
            _validity(ws, styles, cell, ind.required, None, 0)
    last = max(layout.narrative_rows.values(), default=2) + 1
    ws.print_area(0, 0, last, NARRATIVE_COL)
    page_setup(ws, header_rows=(0, 1))  # the title and the unit on every page
    return ws


NARRATIVE_HEIGHT = 160  # points: room to write in
MAX_ROW_HEIGHT = 409  # points: the tallest row a spreadsheet holds


def narrative_height(value: Any) -> float:
    """A narrative cell's row: room to write, or as tall as a pre-filled text (a
    consolidation's draft) needs, up to the tallest row."""
    if not isinstance(value, str):
        return NARRATIVE_HEIGHT
    needed = row_height([(value, NARRATIVE_WIDTH)])
    return max(NARRATIVE_HEIGHT, min(MAX_ROW_HEIGHT, needed))


def table_flag_col(table: Table) -> int:
    return TABLE_FIRST_COL + len(table.columns) + 1


def table_row_invalid_test(layout: Layout, table: Table, index: int) -> str:
    """TRUE when a filled table row lacks a required cell or holds a refused value."""
    cells = [layout.table_cells[(table.code, index, c.code)] for c in table.columns]
    first, last = cells[0].absolute, cells[-1].absolute
    pairs = list(zip(table.columns, cells, strict=True))
    problems = [f"ISBLANK({cell.absolute})" for col, cell in pairs if col.required]
    problems += [
        test
        for col, cell in pairs
        if (test := invalid_test(col, cell.absolute, layout.choice_list(col.code, table)))
        is not None
    ]
    return f"AND(COUNTA({first}:{last})>0,OR({','.join(problems)}))"


def write_table(ctx: SheetContext, table: Table) -> Any:
    wb, styles, layout, unit = ctx.wb, ctx.styles, ctx.layout, ctx.unit
    ws = wb.add_worksheet(table.sheet)
    ws.set_column(0, 0, 5)
    for j, col in enumerate(table.columns):
        ws.set_column(TABLE_FIRST_COL + j, TABLE_FIRST_COL + j, col.width)
    flag_col = table_flag_col(table)
    ws.set_column(flag_col, flag_col, 4, None, {"hidden": True})
    last_col = TABLE_FIRST_COL + len(table.columns) - 1
    ws.merge_range(0, 0, 0, last_col, table.title.upper(), styles.title())
    ws.merge_range(1, 0, 1, last_col, f"{unit.name}. {table.help}", styles.subtitle())
    ws.set_row(1, 30)
    ws.write(TABLE_HEADER_ROW, 0, "STT", styles.header())
    for j, col in enumerate(table.columns):
        label = col.label + (" (*)" if col.required else "")
        ws.write(TABLE_HEADER_ROW, TABLE_FIRST_COL + j, label, styles.header())
    ws.set_row(TABLE_HEADER_ROW, 32)
    for i in range(1, table.max_rows + 1):
        row = TABLE_FIRST_ROW + i - 1
        ws.write(row, 0, i, styles.label())
        for j, col in enumerate(table.columns):
            value = ctx.table.get((table.code, i, col.code))
            style = styles.input(col.kind, tall=True, year=is_year(col))
            write_input(ws, row, TABLE_FIRST_COL + j, value, style)
        bad = table_row_invalid_test(layout, table, i)
        ws.write_formula(row, flag_col, f"=IF({bad},1,0)", None, 0)
    first_row, last_row = TABLE_FIRST_ROW, TABLE_FIRST_ROW + table.max_rows - 1
    for j, col in enumerate(table.columns):
        c = TABLE_FIRST_COL + j
        choices = layout.choice_list(col.code, table)
        ws.data_validation(first_row, c, last_row, c, data_validation(col, choices))
    flag_range = f"${_col_letter(flag_col)}{first_row + 1}"
    ws.conditional_format(
        first_row,
        TABLE_FIRST_COL,
        last_row,
        last_col,
        {"type": "formula", "criteria": f"={flag_range}=1", "format": styles.cf(ERROR_FILL)},
    )
    ws.freeze_panes(TABLE_FIRST_ROW, 0)
    ws.repeat_rows(TABLE_HEADER_ROW)
    ws.print_area(0, 0, last_row, last_col)
    page_setup(ws, landscape=True)
    return ws


def _col_letter(col: int) -> str:
    return str(xl_col_to_name(col))


# ------------------------------------------------------------------ check sheet


def conclusion_text(blocking: int, warnings: int) -> str:
    """Python twin of the check sheet's conclusion formula."""
    if blocking:
        return f"{NOT_READY}: còn {blocking} vấn đề phải sửa"
    return READY if warnings == 0 else f"{READY} (còn {warnings} cảnh báo nên xem lại)"


def write_check(ctx: SheetContext) -> Any:
    wb, styles, layout, request, unit = ctx.wb, ctx.styles, ctx.layout, ctx.request, ctx.unit
    values, states = ctx.values, ctx.states
    form = layout.form
    ws = wb.add_worksheet(SHEET_CHECK)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, CHECK_RULE_WIDTH)
    ws.set_column(2, 2, CHECK_CODES_WIDTH)
    ws.set_column(3, 3, 11)
    ws.set_column(4, 4, 16)
    ws.merge_range(0, 0, 0, 4, "KIỂM TRA TRƯỚC KHI GỬI BÁO CÁO", styles.title())
    ws.merge_range(1, 0, 1, 4, f"{unit.name} — {request.period.label}", styles.subtitle())

    counts = _check_counts(layout, values, states)
    summary_first = 5
    ws.write(summary_first - 1, 1, "Nội dung", styles.header())
    ws.write(summary_first - 1, 2, "Số lượng", styles.header())
    count_cells: list[str] = []
    blocking_cells: list[str] = []
    for k, (label, formula, cached, blocking) in enumerate(counts):
        row = summary_first + k
        ws.set_row(row, row_height([(label, 62)]))
        ws.write(row, 1, label, styles.label())
        ws.write_formula(row, 2, formula, styles.get(border=1, bold=True, align="center"), cached)
        ref = f"$C${row + 1}"
        count_cells.append(ref)
        if blocking:
            blocking_cells.append(ref)
    for k, (_, _, _, blocking) in enumerate(counts):
        colour = ERROR_FILL if blocking else WARNING_FILL  # the legend: red must, orange may
        ws.conditional_format(
            summary_first + k,
            2,
            summary_first + k,
            2,
            {"type": "cell", "criteria": ">", "value": 0, "format": styles.cf(colour)},
        )

    conclusion_row = 3
    blocking_sum = "+".join(blocking_cells)
    warn_ref = count_cells[1]
    formula = (
        f'=IF({blocking_sum}=0,IF({warn_ref}=0,"{READY}","{READY} (còn "&{warn_ref}&'
        f'" cảnh báo nên xem lại)"),"{NOT_READY}: còn "&({blocking_sum})&" vấn đề phải sửa")'
    )
    blocking_total = sum(c[2] for c in counts if c[3])
    conclusion = conclusion_text(blocking_total, counts[1][2])
    ws.write(conclusion_row, 1, "KẾT LUẬN", styles.get(bold=True, font_size=13))
    ws.merge_range(conclusion_row, 2, conclusion_row, 4, "", styles.get(bold=True, font_size=13))
    ws.write_formula(conclusion_row, 2, formula, styles.get(bold=True, font_size=13), conclusion)
    ws.conditional_format(
        conclusion_row,
        2,
        conclusion_row,
        4,
        {"type": "text", "criteria": "begins with", "value": "✓", "format": styles.cf(OK_FILL)},
    )
    ws.conditional_format(
        conclusion_row,
        2,
        conclusion_row,
        4,
        {"type": "text", "criteria": "begins with", "value": "✗", "format": styles.cf(ERROR_FILL)},
    )

    rules_header = summary_first + len(counts) + 1
    for col, text in enumerate(
        ("STT", "Quy tắc kiểm tra", "Chỉ tiêu liên quan", "Mức độ", "Kết quả")
    ):
        ws.write(rules_header, col, text, styles.header())
    for k, rule in enumerate(form.rules, start=1):
        row = rules_header + k
        flag = layout.rule_flags[rule.id].ref(SHEET_CHECK)
        related = "\n".join(layout.indicator_reference(code) for code in rule.codes)
        ws.set_row(
            row,
            max(
                row_height([(rule.message, CHECK_RULE_WIDTH - 2)]),
                row_height([(related, CHECK_CODES_WIDTH - 2)], 10),
            ),
        )
        ws.write(row, 0, k, styles.label())
        ws.write(row, 1, rule.message, styles.label())
        ws.write(row, 2, related, styles.get(border=1, font_size=10, text_wrap=True))
        ws.write(row, 3, "Lỗi" if rule.severity == "error" else "Cảnh báo", styles.label())
        failed = RULE_FAILED[rule.severity]
        result = f'=IF({flag}="","{RULE_SKIPPED}",IF({flag}=1,"{failed}","{RULE_HELD}"))'
        state = states[rule.id]
        cached_result = {"skip": RULE_SKIPPED, "fail": failed, "pass": RULE_HELD}[state.value]
        ws.write_formula(
            row, 4, result, styles.get(border=1, align="center", bold=True), cached_result
        )
    last = rules_header + len(form.rules)
    for severity, colour in (("error", ERROR_FILL), ("warning", WARNING_FILL)):
        ws.conditional_format(
            rules_header + 1,
            4,
            last,
            4,
            {
                "type": "cell",
                "criteria": "==",
                "value": f'"{RULE_FAILED[severity]}"',
                "format": styles.cf(colour),
            },
        )
    ws.conditional_format(
        rules_header + 1,
        4,
        last,
        4,
        {"type": "cell", "criteria": "==", "value": f'"{RULE_HELD}"', "format": styles.cf(OK_FILL)},
    )
    ws.print_area(0, 0, last, 4)
    page_setup(ws)
    return ws


def _check_counts(
    layout: Layout, values: Mapping[str, Any], states: dict[str, RuleState]
) -> list[tuple[str, str, int, bool]]:
    """``(label, formula, value in the fresh state, blocks sending)`` for each count."""
    form = layout.form

    def flags(severity: str) -> tuple[str, int]:
        rules = [r for r in form.rules if r.severity == severity]
        refs = [layout.rule_flags[r.id].ref(SHEET_CHECK) for r in rules]
        value = sum(1 for r in rules if states[r.id] is RuleState.FAILED)
        return ("=SUM(" + ",".join(refs) + ")" if refs else "=0"), value

    errors_formula, errors = flags("error")
    warnings_formula, warnings = flags("warning")
    rows = [
        ("Quy tắc bị vi phạm (lỗi, phải sửa)", errors_formula, errors, True),
        ("Cảnh báo (nên xem lại, không bắt buộc sửa)", warnings_formula, warnings, False),
    ]
    for sheet in (SHEET_UNIT, SHEET_FIGURES, SHEET_NARRATIVE):
        required = [
            ind
            for ind in form.indicators
            if ind.required and not ind.computed and layout.cell(ind.code).sheet == sheet
        ]
        if not required:
            continue
        refs = [layout.cell(ind.code).ref(SHEET_CHECK) for ind in required]
        formula = "=" + "+".join(f"COUNTBLANK({r})" for r in refs)
        blank = sum(1 for ind in required if values.get(ind.code) is None)
        rows.append((f"Ô bắt buộc còn trống ở trang “{sheet}”", formula, blank, True))
    fig_col = _col_letter(COL_BAD_FLAG)
    fig_flags = f"SUM({quote_sheet(SHEET_FIGURES)}!${fig_col}${FIGURES_FIRST_ROW + 1}:"
    fig_flags += f"${fig_col}${layout.figures_last_row + 1})"
    unit_col = _col_letter(UNIT_BAD_FLAG_COL)
    unit_first = layout.unit_input_first_row + 1
    unit_last = max(layout.unit_rows.values(), default=layout.unit_input_first_row) + 1
    unit_flags = f"SUM({quote_sheet(SHEET_UNIT)}!${unit_col}${unit_first}:${unit_col}${unit_last})"
    rows.append(
        (
            "Ô có giá trị không hợp lệ (chữ trong ô số, số âm, số lẻ, ngoài danh sách)",
            f"={fig_flags}+{unit_flags}",
            0,
            True,
        )
    )
    for table in form.tables:
        col = _col_letter(table_flag_col(table))
        first, last = TABLE_FIRST_ROW + 1, TABLE_FIRST_ROW + table.max_rows
        rows.append(
            (
                f"Dòng chưa đủ hoặc sai thông tin ở trang “{table.sheet}”",
                f"=SUM({quote_sheet(table.sheet)}!${col}${first}:${col}${last})",
                0,
                True,
            )
        )
    return rows
