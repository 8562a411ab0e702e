"""The figures sheet: indicators by section, live totals, live rule statuses.

Hidden helper columns carry one flag per rule (1 failed, 0 held, blank not
evaluated) and one flag per row for a value that validation would refuse; the
check sheet counts them, and conditional formats colour the cells they concern.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook_tools.contract.layout import (
    COL_BAD_FLAG,
    COL_CODE,
    COL_LABEL,
    COL_RULE_FLAG,
    COL_STATUS,
    COL_STT,
    COL_UNIT,
    COL_VALUE,
    FIGURES_FIRST_ROW,
    SHEET_FIGURES,
    SHEET_UNIT,
    CellRef,
    Layout,
)
from workbook_tools.contract.legend import BLANK_FILL, ERROR_FILL, WARNING_FILL
from workbook_tools.form.evaluate import RuleState
from workbook_tools.form.excel import computed_formula, rule_flag_formula
from workbook_tools.form.model import Indicator, Rule
from workbook_tools.writer.context import SheetContext, write_input
from workbook_tools.writer.printing import page_setup
from workbook_tools.writer.sizing import row_height
from workbook_tools.writer.styles import Styles
from workbook_tools.writer.validation import data_validation, invalid_test

SEVERITY_MARK = {"error": "✗", "warning": "⚠"}
WIDTHS = {COL_STT: 5, COL_LABEL: 52, COL_UNIT: 11, COL_VALUE: 15, COL_STATUS: 34, COL_CODE: 20}


def status_formula(rules: list[Rule], layout: Layout) -> str:
    """The status text beside an anchor figure: the message of each failed rule."""
    parts = []
    for rule in rules:
        flag = layout.rule_flags[rule.id].ref(SHEET_FIGURES)
        text = f"{SEVERITY_MARK[rule.severity]} {rule.message}".replace('"', '""')
        parts.append(f'IF({flag}=1,"{text} ","")')
    return "=TRIM(" + "&".join(parts) + ")"


def status_value(rules: list[Rule], states: dict[str, RuleState]) -> str:
    """Python twin of :func:`status_formula`."""
    texts = [
        f"{SEVERITY_MARK[r.severity]} {r.message}"
        for r in rules
        if states[r.id] is RuleState.FAILED
    ]
    return " ".join(" ".join(texts).split())


def write_figures(ctx: SheetContext) -> Any:
    wb, styles, layout, request, unit = ctx.wb, ctx.styles, ctx.layout, ctx.request, ctx.unit
    values, states = ctx.values, ctx.states
    form = layout.form
    ws = wb.add_worksheet(SHEET_FIGURES)
    for col, width in WIDTHS.items():
        ws.set_column(col, col, width)
    ws.set_column(COL_RULE_FLAG, COL_BAD_FLAG, 4, None, {"hidden": True})

    ws.merge_range(0, 0, 0, COL_STATUS, form.title.upper(), styles.title())
    ws.set_row(0, 36)
    ws.merge_range(
        1,
        0,
        1,
        COL_STATUS,
        f"Đơn vị: {unit.name} — Kỳ báo cáo: {request.period.label}",
        styles.subtitle(),
    )
    cut = request.period
    ws.merge_range(
        2,
        0,
        2,
        COL_STATUS,
        f"Thời gian chốt số liệu: từ {cut.cutoff_start:%d/%m/%Y} đến {cut.cutoff_end:%d/%m/%Y}",
        styles.subtitle(),
    )
    header_row = FIGURES_FIRST_ROW - 1
    for col, text in enumerate(("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Kiểm tra", "Mã")):
        ws.write(header_row, col, text, styles.header())

    for fr in layout.figure_rows:
        if fr.indicator is None:
            ws.write(fr.row, COL_STT, fr.section_number, styles.label(bold=True))
            ws.merge_range(
                fr.row, COL_LABEL, fr.row, COL_STATUS, fr.section_title, styles.label(bold=True)
            )
            continue
        _write_indicator_row(ws, styles, layout, fr.row, fr.stt, fr.indicator, values, states)

    for rule in form.rules:
        cell = layout.rule_flags[rule.id]
        flag = states[rule.id].flag
        ws.write_formula(
            cell.row, cell.col, rule_flag_formula(rule, layout.ref_from(SHEET_FIGURES)), None, flag
        )

    last = _write_signature(ws, styles, layout, layout.figures_last_row + 2, values)
    ws.freeze_panes(FIGURES_FIRST_ROW, 0)
    ws.repeat_rows(header_row)
    ws.print_area(0, 0, last, COL_STATUS)
    page_setup(ws)
    return ws


def _write_indicator_row(
    ws: Any,
    styles: Styles,
    layout: Layout,
    row: int,
    stt: int | None,
    ind: Indicator,
    values: Mapping[str, Any],
    states: dict[str, RuleState],
) -> None:
    anchored = layout.rules_anchored_at(ind.code)
    # Room for the longest status text a failed rule can show (11 pt), as for the label.
    statuses = [f"{SEVERITY_MARK[r.severity]} {r.message}" for r in anchored]
    ws.set_row(
        row,
        max(
            row_height([(ind.label, WIDTHS[COL_LABEL] - 2), (ind.unit, WIDTHS[COL_UNIT])]),
            row_height([(" ".join(statuses), WIDTHS[COL_STATUS] - 2)], 11),
        ),
    )
    ws.write(row, COL_STT, stt, styles.label())
    ws.write(row, COL_LABEL, ind.label, styles.label(indent=1))
    ws.write(row, COL_UNIT, ind.unit, styles.label())
    ws.write(row, COL_CODE, ind.code, styles.code())
    cell = layout.cell(ind.code)
    if ind.computed:
        cached = values.get(ind.code)
        ws.write_formula(
            row,
            COL_VALUE,
            computed_formula(ind, layout.ref_from(SHEET_FIGURES)),
            styles.computed(ind.kind, ind.precision),
            "" if cached is None else cached,
        )
    else:
        write_input(
            ws, row, COL_VALUE, values.get(ind.code), styles.input(ind.kind, decimals=ind.precision)
        )
        ws.data_validation(
            row, COL_VALUE, row, COL_VALUE, data_validation(ind, layout.choice_list(ind.code))
        )
    if anchored:
        ws.write_formula(
            row,
            COL_STATUS,
            status_formula(anchored, layout),
            styles.status(),
            status_value(anchored, states),
        )
        _severity_fills(ws, styles, layout, CellRef(SHEET_FIGURES, row, COL_STATUS).a1, anchored)
    else:
        ws.write_blank(row, COL_STATUS, None, styles.status())
    bad = None if ind.computed else invalid_test(ind, cell.absolute, layout.choice_list(ind.code))
    if bad is not None:
        ws.write_formula(row, COL_BAD_FLAG, f"=IF({bad},1,0)", None, 0)
    _conditional_formats(ws, styles, layout, cell, ind, bad)


def _conditional_formats(
    ws: Any, styles: Styles, layout: Layout, cell: CellRef, ind: Indicator, bad: str | None
) -> None:
    a1 = cell.a1
    if bad is not None:
        ws.conditional_format(
            a1,
            {
                "type": "formula",
                "criteria": f"={bad}",
                "format": styles.cf(ERROR_FILL),
                "stop_if_true": True,
            },
        )
    _severity_fills(ws, styles, layout, a1, layout.rules_involving(ind.code))
    if ind.required:
        ws.conditional_format(
            a1,
            {
                "type": "formula",
                "criteria": f"=ISBLANK({cell.absolute})",
                "format": styles.cf(BLANK_FILL),
            },
        )


def _severity_fills(ws: Any, styles: Styles, layout: Layout, a1: str, rules: list[Rule]) -> None:
    """Red while one of ``rules`` that is an error fails, else orange while a warning fails."""
    for severity, colour in (("error", ERROR_FILL), ("warning", WARNING_FILL)):
        flags = [layout.rule_flags[r.id].absolute for r in rules if r.severity == severity]
        if flags:
            test = "OR(" + ",".join(f"{f}=1" for f in flags) + ")"
            ws.conditional_format(
                a1,
                {
                    "type": "formula",
                    "criteria": f"={test}",
                    "format": styles.cf(colour),
                    "stop_if_true": True,
                },
            )


def _write_signature(
    ws: Any, styles: Styles, layout: Layout, row: int, values: Mapping[str, Any]
) -> int:
    """The signature block under the figures; names come from the unit sheet."""
    centre = styles.get(align="center", bold=True)
    note = styles.get(align="center", italic=True)
    ws.merge_range(row, 0, row, 2, "", styles.get())
    ws.merge_range(row, 3, row, COL_STATUS, "……, ngày … tháng … năm …", note)
    ws.merge_range(row + 1, 0, row + 1, 2, "NGƯỜI LẬP BIỂU", centre)
    ws.merge_range(row + 1, 3, row + 1, COL_STATUS, "THỦ TRƯỞNG ĐƠN VỊ", centre)
    ws.merge_range(row + 2, 0, row + 2, 2, "(Ký, ghi rõ họ tên)", note)
    ws.merge_range(row + 2, 3, row + 2, COL_STATUS, "(Ký tên, đóng dấu)", note)
    name_row = row + 7
    for first, last, code in ((0, 2, "nguoi_lap_bieu"), (3, COL_STATUS, "nguoi_ky")):
        if code in layout.cells and layout.cells[code].sheet == SHEET_UNIT:
            ref = layout.cells[code].ref(SHEET_FIGURES)
            cached = values.get(code)
            ws.merge_range(name_row, first, name_row, last, "", centre)
            ws.write_formula(
                name_row,
                first,
                f'=IF(ISBLANK({ref}),"",{ref})',
                centre,
                "" if cached is None else cached,
            )
    return name_row
