"""The Sở's own assessment, read from the consolidated workbook it edited in Excel.

``merge`` drafts the narrative cells of the consolidated workbook (see
:mod:`workbook_tools.merge.narrative`); the Sở rewrites them; the consolidated report
then takes its evaluative parts from there. The file is read like any returned
workbook (reader and checks: safety limits, identity, every value typed), never
parsed by hand, so an edited file that broke the form is refused with its findings.
"""

from __future__ import annotations

from pathlib import Path

from workbook_tools.checks import Expectation, check_file
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.form.model import Form, Kind
from workbook_tools.periods import Period

MAX_SHOWN = 5


def evaluative_codes(form: Form) -> list[str]:
    """The narrative inputs the Sở writes itself: every long text but the first, the
    general situation, which the report states from the figures (who reported, totals)."""
    narrative = [i.code for i in form.indicators if i.kind is Kind.LONG_TEXT and not i.computed]
    return narrative[1:]


def read_assessment(path: str | Path, form: Form, period: Period) -> dict[str, str]:
    """The evaluative texts of the edited consolidated workbook, by code ("" when cleared)."""
    path = Path(path)
    sub = check_file(path, Expectation(form, period))
    if sub.errors:
        shown = "\n".join(
            f"  - {f.sheet or 'tệp'}{'!' + f.cell if f.cell else ''}: {f.message}"
            for f in sub.errors[:MAX_SHOWN]
        )
        more = (
            f"\n  (và {len(sub.errors) - MAX_SHOWN} lỗi khác)"
            if len(sub.errors) > MAX_SHOWN
            else ""
        )
        raise WorkbookToolsError(
            f"Không dùng được bảng tổng hợp {path.name} để viết báo cáo: tệp có "
            f"{len(sub.errors)} lỗi:\n{shown}{more}\nHãy sửa các ô trên (hoặc chạy lại "
            "'workbook-tools merge' rồi chỉ sửa các ô thuyết minh) và chạy lại lệnh."
        )
    return {code: str(sub.values.get(code) or "").strip() for code in evaluative_codes(form)}
