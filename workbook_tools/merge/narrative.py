"""The consolidated workbook's narrative cells: a draft the Sở edits in Excel.

``merge`` fills each long-text cell of the form's own sheets with a draft: the first
(the general situation) opens with the facts (who reported, the key totals); every
cell then gathers the units' texts for that heading, grouped by khối, each under its
unit's name and whole. The Sở rewrites them into its own assessment, and ``report
--from`` writes the consolidated report from the edited workbook. A unit's text is
never cut: a draft stays short enough to print whole in its row (a row is at most
409 pt, about 3,500 characters at the sheet's width), and the units that do not fit are
named (or, when their names alone would not fit, counted) and left in the sheet
"Thuyết minh đơn vị", where every text is kept and prints paragraph by paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbook_tools.form.model import Indicator, Kind
from workbook_tools.merge.consolidate import Consolidation
from workbook_tools.text import format_number, format_percent
from workbook_tools.writer.sheets import NARRATIVE_WIDTH
from workbook_tools.writer.sizing import LINE_HEIGHT
from workbook_tools.writer.sizing import lines as wrapped_lines

CELL_LIMIT = 32_767  # Excel's limit on the characters of one cell
TEXTS_SHEET = "Thuyết minh đơn vị"
ROW_LINES = int((409 - 2) // LINE_HEIGHT)  # the wrapped lines a row of at most 409 pt shows
NOTE_LINES = 5  # kept for the note naming the units that do not fit


def _names(names: Sequence[str]) -> str:
    return ", ".join(names)


def facts(c: Consolidation) -> list[str]:
    """Who reported and the key totals: the form's computed figures (totals and rates)."""
    done = c.completeness
    who = f"Có {done.accepted}/{done.expected} cơ quan, đơn vị gửi báo cáo hợp lệ"
    if done.late_units:
        who += f", trong đó {len(done.late_units)} đơn vị gửi muộn ({_names(done.late_units)})"
    if done.missing_units:
        who += f"; {len(done.missing_units)} đơn vị chưa gửi ({_names(done.missing_units)})"
    if done.rejected_units:
        who += (
            f"; {len(done.rejected_units)} đơn vị gửi báo cáo có lỗi, chưa đạt "
            f"({_names(done.rejected_units)})"
        )
    lines = [who + "."]
    figures = []
    for ind in c.form.indicators:
        value = c.totals.get(ind.code)
        if not ind.computed or not ind.kind.numeric or not isinstance(value, (int, float)):
            continue
        if ind.kind is Kind.PERCENT:
            shown = format_percent(value, ind.precision)
        else:
            shown = format_number(value) + (f" {ind.unit}" if ind.unit else "")
        figures.append(f"{ind.label[:1].lower()}{ind.label[1:]}: {shown}")
    if figures:
        lines.append("Số liệu chính: " + "; ".join(figures) + ".")
    return lines


def _by_group(c: Consolidation, code: str) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in c.units:
        text = unit.values.get(code)
        if text and str(text).strip():
            groups.setdefault(unit.group, []).append((unit.unit_name, str(text).strip()))
    return list(groups.items())


def draft(c: Consolidation, ind: Indicator, *, with_facts: bool = False) -> str | None:
    """The draft of one narrative cell; None when there is nothing to say."""
    lines = facts(c) if with_facts else []
    groups = _by_group(c, ind.code)
    headed = len(groups) > 1
    left_out: list[str] = []
    for group, items in groups:
        block = [f"{group}:"] if headed and group else []
        for name, text in items:
            entry = f"- {name}: {text}"
            if left_out or not _fits([*lines, *block, entry], ROW_LINES - NOTE_LINES):
                left_out.append(name)
                continue
            block.append(entry)
        if len(block) > (1 if headed and group else 0):
            lines.extend(block)
    if left_out:
        note = (
            f"(Nội dung của {len(left_out)} đơn vị sau không đủ chỗ trong ô này, xem trang "
            f"“{TEXTS_SHEET}”: {_names(left_out)}.)"
        )
        if not _fits([note], NOTE_LINES):
            note = (
                f"(Nội dung của {len(left_out)} đơn vị khác không đủ chỗ trong ô này: xem trang "
                f"“{TEXTS_SHEET}”.)"
            )
        lines.append(note)
    return "\n".join(lines) or None


def _fits(lines: Sequence[str], budget: int) -> bool:
    """Whether ``lines`` print in at most ``budget`` wrapped lines of the narrative cell."""
    return wrapped_lines("\n".join(lines), NARRATIVE_WIDTH) <= budget


def narrative_values(c: Consolidation) -> dict[str, str | None]:
    """Every long-text input of the form, drafted; the first one opens with the facts."""
    narrative = [i for i in c.form.indicators if i.kind is Kind.LONG_TEXT and not i.computed]
    return {ind.code: draft(c, ind, with_facts=k == 0) for k, ind in enumerate(narrative)}
