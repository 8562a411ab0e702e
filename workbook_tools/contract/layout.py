"""Where every value of a form sits in its workbook.

The layout is computed from the form alone, so every unit's workbook of one form
version has the same cells; the writer follows it and records it, cell by cell,
in the metadata sheet, which is what a reader uses (never positions guessed from
the layout of the current version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from xlsxwriter.utility import xl_rowcol_to_cell

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form.model import Column, Form, Indicator, Rule, Table

SHEET_GUIDE = "Hướng dẫn"
SHEET_UNIT = "Đơn vị"
SHEET_FIGURES = "Số liệu"
SHEET_NARRATIVE = "Thuyết minh"
SHEET_CHECK = "Kiểm tra"
SHEET_META = "_meta"
SHEET_MAP = "_map"
SHEET_LISTS = "_lists"
FIXED_SHEETS = (
    SHEET_GUIDE,
    SHEET_UNIT,
    SHEET_FIGURES,
    SHEET_NARRATIVE,
    SHEET_CHECK,
    SHEET_META,
    SHEET_MAP,
    SHEET_LISTS,
)

# Figures sheet columns (0-based).
COL_STT, COL_LABEL, COL_UNIT, COL_VALUE, COL_STATUS, COL_CODE = range(6)
COL_RULE_FLAG = 7  # hidden: one flag per rule, 1 = failed, 0 = held, "" = not evaluated
COL_BAD_FLAG = 8  # hidden: 1 when the value on that row is not a valid value
FIGURES_FIRST_ROW = 5

# Unit sheet: label in B, value in C.
UNIT_LABEL_COL, UNIT_VALUE_COL = 1, 2
UNIT_BAD_FLAG_COL = 5

# Narrative sheet: label row, then a tall input row, per section text.
NARRATIVE_COL = 1

# Table sheets.
TABLE_HEADER_ROW = 3
TABLE_FIRST_ROW = 4


TABLE_FIRST_COL = 1


@dataclass(frozen=True)
class CellRef:
    sheet: str
    row: int  # 0-based
    col: int  # 0-based

    @cached_property
    def a1(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col))

    @property
    def absolute(self) -> str:
        return str(xl_rowcol_to_cell(self.row, self.col, row_abs=True, col_abs=True))

    def ref(self, from_sheet: str | None = None) -> str:
        """A reference usable in a formula on ``from_sheet``."""
        if from_sheet == self.sheet:
            return self.absolute
        return f"{quote_sheet(self.sheet)}!{self.absolute}"


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class FigureRow:
    """A row of the figures sheet: a section heading or an indicator."""

    row: int
    section_title: str | None = None
    section_number: str | None = None
    indicator: Indicator | None = None
    stt: int | None = None


@dataclass(frozen=True)
class ChoiceList:
    """A field's choices, one per cell down a column of the hidden lists sheet.

    A dropdown reads its choices from these cells (through the workbook-level
    ``name``), never from a comma-separated list literal, in which a choice such as
    "Cơ quan, đơn vị" would split in two.
    """

    name: str
    choices: tuple[str, ...]
    column: int  # 0-based, on SHEET_LISTS, from row 1

    @property
    def cells(self) -> list[CellRef]:
        return [CellRef(SHEET_LISTS, i, self.column) for i in range(len(self.choices))]

    @property
    def range(self) -> str:
        first, last = self.cells[0], self.cells[-1]
        return f"{first.ref()}:{last.absolute}"


def choice_key(code: str, table: Table | None = None) -> str:
    """The key of a field's choice list: the indicator code, or ``table.column``."""
    return code if table is None else f"{table.code}.{code}"


@dataclass
class Layout:
    form: Form
    cells: dict[str, CellRef] = field(default_factory=dict)
    table_cells: dict[tuple[str, int, str], CellRef] = field(default_factory=dict)
    figure_rows: list[FigureRow] = field(default_factory=list)
    rule_flags: dict[str, CellRef] = field(default_factory=dict)
    unit_rows: dict[str, int] = field(default_factory=dict)
    narrative_rows: dict[str, int] = field(default_factory=dict)
    unit_input_first_row: int = 0
    figures_last_row: int = 0
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)

    def cell(self, code: str) -> CellRef:
        return self.cells[code]

    def ref_from(self, sheet: str) -> Callable[[str], str]:
        """A code → reference function for formulas written on ``sheet``."""
        return lambda code: self.cells[code].ref(sheet)

    def figure_number(self, code: str) -> str | None:
        """Where an indicator is numbered on the figures sheet: ``"II.9"`` (section, STT)."""
        section = None
        for fr in self.figure_rows:
            if fr.indicator is None:
                section = fr.section_number
            elif fr.indicator.code == code:
                return f"{section}.{fr.stt}"
        return None

    def indicator_reference(self, code: str) -> str:
        """An indicator as a unit finds it: ``"II.9. Tổng số hồ sơ nhận giải quyết"``."""
        label = self.form.by_code[code].label
        number = self.figure_number(code)
        if number is not None:
            return f"{number}. {label}"
        return f"{label} (trang “{self.cells[code].sheet}”)"

    def rules_anchored_at(self, code: str) -> list[Rule]:
        return [r for r in self.form.rules if r.anchor == code]

    def rules_involving(self, code: str) -> list[Rule]:
        return [r for r in self.form.rules if code in r.codes]

    def choice_list(self, code: str, table: Table | None = None) -> ChoiceList | None:
        """The choice list of an indicator (or of ``table``'s column ``code``), if it has one."""
        return self.choice_lists.get(choice_key(code, table))

    def table_column_cells(self, table: Table, column: Column) -> list[CellRef]:
        return [
            self.table_cells[(table.code, i, column.code)] for i in range(1, table.max_rows + 1)
        ]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")

UNIT_IDENTITY_ROWS = 8  # rows 2..9 hold the pre-filled identity block


def build_layout(form: Form) -> Layout:
    clashing = [t.sheet for t in form.tables if t.sheet in FIXED_SHEETS]
    if clashing:
        raise WorkbookToolsError(
            f"Biểu mẫu {form.source or form.id}: bảng đặt tên trang {', '.join(clashing)} trùng với trang cố định "
            f"của biểu mẫu ({', '.join(FIXED_SHEETS)}). Hãy đổi khóa 'sheet:' của bảng."
        )
    layout = Layout(form)
    # Unit sheet: identity block, then a heading row, then the unit inputs.
    row = 2 + UNIT_IDENTITY_ROWS + 1
    layout.unit_input_first_row = row + 1
    row += 1
    for section in form.sections:
        if section.placement != "unit":
            continue
        for ind in section.indicators:
            layout.cells[ind.code] = CellRef(SHEET_UNIT, row, UNIT_VALUE_COL)
            layout.unit_rows[ind.code] = row
            row += 1
    # Figures sheet.
    row = FIGURES_FIRST_ROW
    number = 0
    for section in form.sections:
        if section.placement != "figures":
            continue
        number += 1
        layout.figure_rows.append(
            FigureRow(row, section_title=section.title, section_number=ROMAN[number - 1])
        )
        row += 1
        for stt, ind in enumerate(section.indicators, start=1):
            layout.figure_rows.append(FigureRow(row, indicator=ind, stt=stt))
            layout.cells[ind.code] = CellRef(SHEET_FIGURES, row, COL_VALUE)
            row += 1
    layout.figures_last_row = row - 1
    for k, rule in enumerate(form.rules):
        layout.rule_flags[rule.id] = CellRef(SHEET_FIGURES, FIGURES_FIRST_ROW + k, COL_RULE_FLAG)
    # Narrative sheet: heading row then input row for each text.
    row = 3
    for section in form.sections:
        if section.placement != "narrative":
            continue
        for ind in section.indicators:
            layout.narrative_rows[ind.code] = row
            layout.cells[ind.code] = CellRef(SHEET_NARRATIVE, row + 1, NARRATIVE_COL)
            row += 3
    # Table sheets.
    for table in form.tables:
        for i in range(1, table.max_rows + 1):
            for j, column in enumerate(table.columns):
                layout.table_cells[(table.code, i, column.code)] = CellRef(
                    table.sheet, TABLE_FIRST_ROW + i - 1, TABLE_FIRST_COL + j
                )
    # Lists sheet: a column per field with choices.
    fields: list[tuple[str, tuple[str, ...]]] = [
        (choice_key(ind.code), ind.list_choices) for ind in form.indicators if ind.list_choices
    ]
    fields += [
        (choice_key(col.code, table), col.list_choices)
        for table in form.tables
        for col in table.columns
        if col.list_choices
    ]
    for k, (key, choices) in enumerate(fields):
        name = f"_ds{k + 1}_{key.replace('.', '_')}"
        layout.choice_lists[key] = ChoiceList(name, choices, k)
    return layout
