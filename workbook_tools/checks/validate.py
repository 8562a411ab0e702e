"""Check a read workbook against its form: identity, structure, values, rules, tables.

The result is a :class:`Submission`: every value typed, every computed indicator
recomputed in Python from the inputs (cached formula values are never used),
every table row, and every finding. A submission with an error finding is
rejected and never counts in a merge.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_tools.catalogue import (
    FORM_FINGERPRINT_MISMATCH,
    FORM_UNKNOWN,
    FORM_VERSION_OUTDATED,
    FORM_VERSION_UNKNOWN,
    PERIOD_INVALID,
    PERIOD_UNEXPECTED,
    RULE_FAILED,
    SHEET_MISSING,
    STRUCTURE_MOVED,
    TABLE_ROW_INCOMPLETE,
    TABLE_ROW_OUTSIDE,
    UNIT_NAME_MISMATCH,
    UNIT_NOT_IN_REGISTRY,
    UNIT_UNEXPECTED,
    VALUE_FORMULA_IN_INPUT,
    VALUE_NUMBER_AS_TEXT,
    VALUE_REQUIRED_MISSING,
    Entry,
)
from workbook_tools.checks.attribute import attribute
from workbook_tools.checks.copies import file_name_finding, named_unit
from workbook_tools.checks.explain import explain
from workbook_tools.checks.narrative import narrative_findings
from workbook_tools.checks.values import type_value
from workbook_tools.contract.compiled import MapIndex, TableCells, layout_for, rowcol
from workbook_tools.contract.layout import (
    COL_CODE,
    NARRATIVE_COL,
    SHEET_FIGURES,
    SHEET_NARRATIVE,
    SHEET_UNIT,
    TABLE_HEADER_ROW,
    UNIT_LABEL_COL,
    UNIT_VALUE_COL,
)
from workbook_tools.contract.meta import CodeMapEntry
from workbook_tools.errors import PeriodError
from workbook_tools.findings import Finding, Severity, finding
from workbook_tools.form.evaluate import RuleState, compute, rule_states
from workbook_tools.form.expr import Value
from workbook_tools.form.model import Form, Indicator
from workbook_tools.identity import ByIdentity
from workbook_tools.periods import Period, parse_period
from workbook_tools.reader.clean import clean_value
from workbook_tools.reader.workbook import RawWorkbook, ReadResult
from workbook_tools.units import UnitRegistry


@dataclass(frozen=True)
class Expectation:
    """What the Sở expects of a file: which form, and optionally period, unit, registry."""

    form: Form
    period: Period | None = None
    unit: str | None = None
    registry: UnitRegistry | None = None


@dataclass
class TableRow:
    table: str
    index: int
    values: dict[str, Any]


@dataclass
class Submission:
    """A received file, checked: identity, typed values, table rows, findings."""

    path: Path
    sha256: str
    size: int
    form_id: str = ""
    form_version: int | None = None
    unit_code: str = ""
    unit_name: str = ""
    period: str = ""
    deadline: date | None = None
    values: dict[str, Value | str | date] = field(default_factory=dict)
    rows: list[TableRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unit_from_name: bool = False  # the unit was read from the file's name (an unreadable file)
    # The file passed the safety checks and was opened as a workbook: only then may
    # another parser (the feedback writer's openpyxl) be handed it.
    opened: bool = False
    # Cells whose text was read as a number or a date (value-number-as-text), by
    # (sheet, cell): the value accepted, which the feedback copy writes back.
    read_as: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def status(self) -> str:
        return "accepted" if self.accepted else "rejected"


def check_read(result: ReadResult, path: Path, expect: Expectation) -> Submission:
    """Check what the reader returned; file-level findings come first."""
    sub = Submission(path=path, sha256=result.sha256, size=result.size)
    sub.findings.extend(result.findings)
    if result.workbook is not None:
        sub.opened = True
        _check_workbook(result.workbook, expect, sub)
        sub.findings.extend(_file_name(path, expect, sub))
    else:
        _attribute(path, expect, sub)
    located = [
        Finding(
            f.code, f.severity, f.message, str(path), sub.unit_code, f.sheet, f.cell, f.indicators
        )
        for f in sub.findings
    ]
    sub.findings = located
    return sub


def _attribute(path: Path, expect: Expectation, sub: Submission) -> None:
    """A file that could not be read as a workbook, given to the unit its name designates.

    It is filed under the expected form and period (or the period in its name), so the
    follow-up list shows what the unit sent instead of "Chưa gửi".
    """
    if expect.registry is None:
        return
    found = attribute(path, expect.registry, expect.period)
    if found is None or (expect.unit is not None and found.unit.code != expect.unit):
        return
    sub.unit_code, sub.unit_name = found.unit.code, found.unit.name
    sub.unit_from_name = True
    if found.period is not None:
        sub.form_id, sub.period = expect.form.id, found.period.code


def _check_workbook(raw: RawWorkbook, expect: Expectation, sub: Submission) -> None:
    meta = raw.meta
    sub.form_id = meta["form_id"]
    sub.unit_code = meta["unit_code"]
    sub.unit_name = meta.get("unit_name", "")
    sub.period = meta["period"]
    try:
        sub.form_version = int(meta["form_version"])
    except ValueError:
        sub.form_version = None
    deadline = meta.get("deadline", "")
    sub.deadline = date.fromisoformat(deadline) if _is_iso_date(deadline) else None
    if not _identity(raw, expect, sub):
        return
    form = expect.form
    _structure(raw, form, sub)
    if any(f.code in (SHEET_MISSING.code, STRUCTURE_MOVED.code) for f in sub.findings):
        return  # values read through a broken structure would be wrong figures
    inputs = _inputs(raw, form, sub)
    values = compute(form, {k: v for k, v in inputs.items() if form.by_code[k].kind.numeric})
    sub.values = {**inputs, **values}
    _rules(form, values, sub, raw)
    sub.findings.extend(narrative_findings(form, sub.values, parse_period(sub.period)))
    _tables(raw, form, sub)


def _file_name(path: Path, expect: Expectation, sub: Submission) -> list[Finding]:
    """The unit the file's name points to, when it is another than the workbook's."""
    if expect.registry is None or not sub.unit_code:
        return []
    pointed = named_unit(path, expect.registry, sub.period)
    if pointed is None or pointed.casefold() == sub.unit_code.casefold():
        return []
    name = expect.registry.get(pointed).name
    return [file_name_finding(path, pointed, name, f"{sub.unit_code} ({sub.unit_name})")]


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _identity(raw: RawWorkbook, expect: Expectation, sub: Submission) -> bool:
    """Form, version, fingerprint, period and unit; False stops the check."""
    form = expect.form
    meta = raw.meta
    if sub.form_id != form.id:
        sub.findings.append(
            finding(
                FORM_UNKNOWN,
                f"Tệp là biểu mẫu “{sub.form_id}”, không phải biểu mẫu “{form.id}” ({form.title}) "
                "đang thu. Hãy nhập số liệu vào đúng biểu mẫu Sở đã gửi cho kỳ này.",
                sheet="_meta",
            )
        )
        return False
    if sub.form_version is None or sub.form_version > form.version:
        sub.findings.append(
            finding(
                FORM_VERSION_UNKNOWN,
                f"Biểu mẫu ghi phiên bản “{meta['form_version']}”, hệ thống chỉ có đến phiên bản "
                f"{form.version}. Hãy dùng biểu mẫu Sở đã gửi cho kỳ này.",
                sheet="_meta",
            )
        )
        return False
    if sub.form_version < form.version:
        sub.findings.append(
            finding(
                FORM_VERSION_OUTDATED,
                f"Biểu mẫu phiên bản {sub.form_version} đã cũ; kỳ này dùng phiên bản {form.version}. "
                "Hãy chép số liệu sang biểu mẫu mới Sở đã gửi rồi gửi lại.",
                sheet="_meta",
            )
        )
        return False
    if meta["fingerprint"] != form.fingerprint:
        sub.findings.append(
            finding(
                FORM_FINGERPRINT_MISMATCH,
                "Biểu mẫu không khớp với bản Sở đã phát hành (đã bị sửa định nghĩa hoặc tạo từ "
                "một bản khác cùng phiên bản). Hãy dùng đúng tệp biểu mẫu Sở đã gửi.",
                sheet="_meta",
            )
        )
        return False
    try:
        period = parse_period(sub.period)
    except PeriodError:
        sub.findings.append(
            finding(
                PERIOD_INVALID,
                f"Kỳ báo cáo “{sub.period}” trong biểu mẫu không hợp lệ. Hãy dùng đúng tệp Sở đã gửi.",
                sheet="_meta",
            )
        )
        return False
    if expect.period is not None and period.code != expect.period.code:
        sub.findings.append(
            finding(
                PERIOD_UNEXPECTED,
                f"Biểu mẫu của kỳ {period.label}, nhưng Sở đang thu kỳ {expect.period.label}. "
                "Hãy nhập số liệu vào biểu mẫu của đúng kỳ.",
                sheet=SHEET_UNIT,
            )
        )
    if expect.unit is not None and sub.unit_code.casefold() != expect.unit.casefold():
        sub.findings.append(
            finding(
                UNIT_UNEXPECTED,
                f"Biểu mẫu của đơn vị {sub.unit_code} ({sub.unit_name}), không phải của đơn vị "
                f"{expect.unit}. Có thể đã chép nhầm tệp của đơn vị khác: hãy dùng biểu mẫu mang tên đơn vị mình.",
                sheet=SHEET_UNIT,
            )
        )
    if expect.registry is not None and sub.unit_code not in expect.registry:
        sub.findings.append(
            finding(
                UNIT_NOT_IN_REGISTRY,
                f"Đơn vị {sub.unit_code} ({sub.unit_name}) không có trong danh sách đơn vị "
                f"{expect.registry.source}. Hãy kiểm tra danh sách đơn vị hoặc mã đơn vị trong biểu mẫu.",
                sheet=SHEET_UNIT,
            )
        )
    if expect.registry is not None and sub.unit_code in expect.registry:
        _unit_name(expect.registry, sub)
    return True


UNIT_NAME_CELL = xl_rowcol_to_cell(2, UNIT_VALUE_COL)
"""Where the Đơn vị sheet shows the unit's name (the first identity row)."""


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _unit_name(registry: UnitRegistry, sub: Submission) -> None:
    """The name written in the file must be the listed name of the unit its code names."""
    listed = registry.get(sub.unit_code)
    written = _name_key(sub.unit_name)
    if written == _name_key(listed.name):
        return
    owner = next((u for u in registry if _name_key(u.name) == written), None)
    whose = f" (tên của đơn vị {owner.code} trong danh sách)" if owner is not None else ""
    sub.findings.append(
        finding(
            UNIT_NAME_MISMATCH,
            f"Tệp ghi mã đơn vị {sub.unit_code} nhưng tên đơn vị “{sub.unit_name}”{whose}; trong "
            f"danh sách đơn vị, {listed.code} là “{listed.name}”. Có thể mã đơn vị trong tệp đã bị "
            "sửa hoặc tệp là của đơn vị khác: hãy dùng đúng biểu mẫu Sở đã gửi cho đơn vị mình. "
            "Nếu đơn vị vừa đổi tên, Sở cập nhật danh sách đơn vị.",
            sheet=SHEET_UNIT,
            cell=UNIT_NAME_CELL,
        )
    )


@dataclass(frozen=True)
class _Label:
    """Text the form puts at a place beside a value: a moved row or column shows there."""

    sheet: str
    row: int
    col: int
    text: str
    cell: str  # the value's cell, named in the finding
    code: str


def _labels(form: Form) -> tuple[_Label, ...]:
    """Each indicator's code or label beside its cell, then each table column's heading."""
    layout = layout_for(form)
    labels: list[_Label] = []
    for ind in form.indicators:
        cell = layout.cell(ind.code)
        if cell.sheet == SHEET_FIGURES:
            expected, at = ind.code, (cell.row, COL_CODE)
        elif cell.sheet == SHEET_UNIT:
            expected, at = ind.label, (cell.row, UNIT_LABEL_COL)
        elif cell.sheet == SHEET_NARRATIVE:
            expected, at = ind.label, (layout.narrative_rows[ind.code], NARRATIVE_COL)
        else:
            continue
        labels.append(_Label(cell.sheet, *at, expected, cell.a1, ind.code))
    for table in form.tables:
        for j, column in enumerate(table.columns):
            first = layout.table_cells[(table.code, 1, column.code)]
            code = f"{table.code}.{column.code}"
            labels.append(
                _Label(table.sheet, TABLE_HEADER_ROW, 1 + j, column.label, first.a1, code)
            )
    return tuple(labels)


def _misplaced(form: Form, index: MapIndex) -> tuple[tuple[str, str, str], ...]:
    """Indicators the code map puts elsewhere than the form's layout: (sheet, cell, code)."""
    layout = layout_for(form)
    found = []
    for ind in form.indicators:
        cell = layout.cell(ind.code)
        entry = index.by_code.get(ind.code)
        if entry is None or (entry.sheet, entry.cell) != (cell.sheet, cell.a1):
            found.append((cell.sheet, cell.a1, ind.code))
    return tuple(found)


@dataclass(frozen=True)
class _Plan:
    """What checking a file of one form through one code map looks at, worked out once."""

    labels: tuple[_Label, ...]
    misplaced: tuple[tuple[str, str, str], ...]
    inputs: tuple[tuple[Indicator, CodeMapEntry, int, int], ...]  # with 0-based row, column


_PLANS: ByIdentity[MapIndex, dict[str, _Plan]] = ByIdentity(lambda index: {}, 16)


def _plan(form: Form, index: MapIndex) -> _Plan:
    """The plan for ``form`` and ``index`` (every file of a form shares its map's index)."""
    by_form = _PLANS(index)
    found = by_form.get(form.fingerprint)
    if found is None:
        misplaced = _misplaced(form, index)
        inputs = tuple(  # none is read through a map that misplaces any (see _structure)
            (ind, entry, *rowcol(entry.cell))
            for ind in ([] if misplaced else form.indicators)
            if not ind.computed
            for entry in (index.inputs[ind.code],)
        )
        found = by_form[form.fingerprint] = _Plan(_labels(form), misplaced, inputs)
    return found


def _structure(raw: RawWorkbook, form: Form, sub: Submission) -> None:
    """Sheets present, and every input where the code map says: labels beside it."""
    for sheet in raw.index.sheets:
        if sheet not in raw.sheet_names:
            sub.findings.append(
                finding(
                    SHEET_MISSING,
                    f"Thiếu trang “{sheet}” (bị xóa hoặc đổi tên). Hãy dùng lại biểu mẫu gốc, "
                    "không đổi tên hay xóa trang.",
                    sheet=sheet,
                )
            )
    if any(f.code == SHEET_MISSING.code for f in sub.findings):
        return
    plan = _plan(form, raw.index)
    moved = [
        (label.sheet, label.cell, label.code)
        for label in plan.labels
        if label.text not in _grid_text(raw, label.sheet, label.row, label.col)
    ]
    moved.extend(plan.misplaced)
    for sheet, cell_a1, code in moved[:10]:
        sub.findings.append(
            finding(
                STRUCTURE_MOVED,
                f"Cấu trúc biểu mẫu bị thay đổi ở trang “{sheet}” gần ô {cell_a1} (chỉ tiêu {code}): "
                "có dòng hoặc cột bị chèn, xóa hay di chuyển nên không đọc đúng được số liệu. "
                "Hãy chép số liệu sang biểu mẫu gốc, không chèn hay xóa dòng, cột.",
                sheet=sheet,
                cell=cell_a1,
                indicators=[code],
            )
        )


def _grid_text(raw: RawWorkbook, sheet: str, row: int, col: int) -> str:
    value = raw.raw(sheet, row, col)
    return "" if value is None else str(value)


def _inputs(raw: RawWorkbook, form: Form, sub: Submission) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for ind, entry, row, col in _plan(form, raw.index).inputs:
        grid = raw.cells.get(entry.sheet)
        stored = None if grid is None else grid.get(row, col)
        cleaned = None if stored is None else clean_value(stored)
        value = values[ind.code] = _read_field(raw, entry, ind, sub, cleaned)
        if value is None and ind.required and _blank(raw, entry, cleaned):
            hint = " Nếu trong kỳ không phát sinh, nhập 0." if ind.kind.numeric else ""
            message = f"“{ind.label}” là ô bắt buộc nhưng còn trống. Hãy nhập.{hint}"
            sub.findings.append(_in_cell(entry, VALUE_REQUIRED_MISSING, message, [ind.code]))
    return values


def _in_cell(
    entry: CodeMapEntry,
    kind: Entry,
    message: str,
    indicators: tuple[str, ...] | list[str],
    severity: Severity | None = None,
) -> Finding:
    """A finding on the cell the code map gives for ``entry``, about ``indicators``."""
    return finding(
        kind, message, sheet=entry.sheet, cell=entry.cell, indicators=indicators, severity=severity
    )


def _blank(raw: RawWorkbook, entry: CodeMapEntry, cleaned: Any) -> bool:
    """Nothing in the cell: no value (``cleaned``, as read) and no formula."""
    return cleaned is None and (entry.sheet, entry.cell) not in raw.formulas


def _read_field(
    raw: RawWorkbook, entry: CodeMapEntry, field_def: Any, sub: Submission, cleaned: Any
) -> Any:
    """The typed value of ``cleaned``, the cell's value as read; findings on the way."""
    code = entry.code
    if (entry.sheet, entry.cell) in raw.formulas:
        message = (
            f"Ô {entry.cell} chứa công thức; ô nhập liệu chỉ nhận số liệu. Hãy nhập trực tiếp "
            "kết quả (hoặc Dán giá trị — Paste Values)."
        )
        sub.findings.append(_in_cell(entry, VALUE_FORMULA_IN_INPUT, message, [code.split("[")[0]]))
        return None
    typed = type_value(field_def, cleaned)
    if not typed.issues:  # the common case
        return typed.value
    if typed.value is not None and any(i.kind is VALUE_NUMBER_AS_TEXT for i in typed.issues):
        sub.read_as[(entry.sheet, entry.cell)] = typed.value
    label = getattr(field_def, "label", code)
    for issue in typed.issues:
        message = f"{label}: {issue.message}"
        sub.findings.append(_in_cell(entry, issue.kind, message, [code.split("[")[0]]))
    return typed.value


def _rules(form: Form, values: dict[str, Value], sub: Submission, raw: RawWorkbook) -> None:
    mapped = raw.index.by_code
    states = rule_states(form, values)
    for rule in form.rules:
        if states[rule.id] is not RuleState.FAILED:
            continue
        anchor = mapped[rule.anchor]
        message = f"{rule.message} ({explain(rule, values)})"
        sub.findings.append(_in_cell(anchor, RULE_FAILED, message, rule.codes, rule.severity))


def _tables(raw: RawWorkbook, form: Form, sub: Submission) -> None:
    for table in form.tables:
        for table_row in raw.index.table_rows.get(table.code, []):
            index, cells = table_row.index, table_row.entries
            unused = (
                table_row.span is not None
                and raw.row_empty(*table_row.span)
                and raw.formulas.isdisjoint(table_row.keys)
            )
            if unused:  # the common case, decided without cleaning a cell
                continue
            cleaned = [raw.value(e.sheet, e.cell) for e in cells]
            if all(_blank(raw, e, v) for e, v in zip(cells, cleaned, strict=True)):
                continue
            row_values: dict[str, Any] = {}
            for e, value in zip(cells, cleaned, strict=True):
                row_values[e.column] = _read_field(raw, e, table.column(e.column), sub, value)
            for e, value in zip(cells, cleaned, strict=True):
                column = table.column(e.column)
                if not (column.required and _blank(raw, e, value)):
                    continue
                message = (
                    f"Dòng {index} của bảng “{table.title}” thiếu “{column.label}”. Hãy ghi đủ "
                    "các cột bắt buộc, hoặc xóa hết nội dung dòng nếu không dùng."
                )
                sub.findings.append(_in_cell(e, TABLE_ROW_INCOMPLETE, message, [table.code]))
            sub.rows.append(TableRow(table.code, index, row_values))
        _below_table(raw, table.title, table.code, raw.index.table_rows.get(table.code, []), sub)


def _below_table(
    raw: RawWorkbook, title: str, code: str, rows: list[TableCells], sub: Submission
) -> None:
    """Content under a table's last row: a row inserted in the table pushed it out of reach."""
    span = rows[-1].span if rows else None
    if span is None:
        return
    sheet, last, first_col, last_col = span
    grid = raw.cells.get(sheet)
    height = 0 if grid is None else len(grid.rows)
    for row in range(last + 1, height):
        if raw.row_empty(sheet, row, first_col, last_col):
            continue
        sub.findings.append(
            finding(
                TABLE_ROW_OUTSIDE,
                f"Dòng {row + 1} ở dưới bảng “{title}” ({len(rows)} dòng) có nội dung: bảng bị chèn "
                "dòng nên nội dung bị đẩy ra ngoài, không được đọc. Hãy chép số liệu sang biểu "
                "mẫu gốc, không chèn dòng.",
                sheet=sheet,
                cell=xl_rowcol_to_cell(row, first_col),
                indicators=[code],
            )
        )
        return
