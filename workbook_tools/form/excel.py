"""The Excel side of the form's formulas: computed indicators and rule flags.

Its Python twin is :mod:`workbook_tools.form.evaluate`; each function here
returns a formula whose result, in Excel and LibreOffice, equals what the twin
returns (``None`` ↔ ``""``), which the LibreOffice tests check on random inputs.
"""

from __future__ import annotations

from collections.abc import Callable

from workbook_tools.form import expr
from workbook_tools.form.model import Indicator, Rule

RefFn = Callable[[str], str]


def computed_formula(indicator: Indicator, ref: RefFn) -> str:
    """``=IF(COUNT(...)<n,"",IFERROR(...,""))`` for a computed indicator."""
    assert indicator.expression is not None
    return expr.excel_formula(indicator.expression, ref)


def rule_flag_formula(rule: Rule, ref: RefFn) -> str:
    """A formula giving 1 when the rule fails, 0 when it holds, "" when not evaluated."""
    body = f"IF({expr.to_excel(rule.expression, ref, blank_as_zero=rule.blank == 'zero')},0,1)"
    if rule.blank == "zero":
        return f'=IFERROR({body},"")'
    blank_test = expr.excel_blank_test(rule.expression, ref)
    on_blank = "1" if rule.blank == "fail" else '""'
    inner = f"IFERROR({body},{on_blank})"
    return f"=IF({blank_test},{on_blank},{inner})" if blank_test else f"={inner}"
