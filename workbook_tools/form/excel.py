"""The Excel side of the form's formulas: an expression compiled, then indicators and rules.

:func:`to_excel` and :func:`excel_formula` compile one expression tree of
:mod:`workbook_tools.form.expr` to an Excel formula; :func:`computed_formula` and
:func:`rule_flag_formula` give a form's cells theirs. Its Python twin is
:mod:`workbook_tools.form.evaluate`; each formula here yields, in Excel and
LibreOffice, what the twin returns (``None`` ↔ ``""``), which the LibreOffice
tests check on random inputs.
"""

from __future__ import annotations

from collections.abc import Callable

from workbook_tools.form import expr
from workbook_tools.form.model import Indicator, Rule

RefFn = Callable[[str], str]

_EXCEL_CMP = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def to_excel(node: expr.Node, ref: RefFn, *, blank_as_zero: bool = False) -> str:
    """Compile to the body of an Excel formula (no leading ``=``, no blank guard).

    ``ref`` maps an indicator code to a cell reference such as ``'Số liệu'!$D$12``.
    Every operation is parenthesised so that Excel's precedence never differs
    from the language's. Use :func:`excel_formula` for a complete formula.
    """

    def go(n: expr.Node) -> str:
        if isinstance(n, expr.Num):
            return expr.number_text(n.value).removesuffix(".0")
        if isinstance(n, expr.Ref):
            return f"N({ref(n.code)})" if blank_as_zero else ref(n.code)
        if isinstance(n, expr.Neg):
            return f"(-{go(n.operand)})"
        if isinstance(n, expr.Not):
            return f"NOT({go(n.operand)})"
        if isinstance(n, expr.Logic):
            return f"{n.op.upper()}({','.join(go(i) for i in n.items)})"
        if isinstance(n, expr.Call):
            return f"{expr.FUNCTIONS[n.name][2]}({','.join(go(a) for a in n.args)})"
        left, right = go(n.left), go(n.right)
        if isinstance(n, expr.Compare):
            if n.op in ("==", "!="):
                test = f"ABS({left}-{right})<=1E-9*MAX(1,ABS({left}),ABS({right}))"
                return f"({test})" if n.op == "==" else f"NOT({test})"
            return f"({left}{_EXCEL_CMP[n.op]}{right})"
        return f"({left}{n.op}{right})"

    return go(node)


def excel_blank_test(node: expr.Node, ref: RefFn) -> str | None:
    """An Excel test that is TRUE when any referenced cell is blank (or not a number)."""
    refs = expr.codes(node)
    if not refs:
        return None
    return f"COUNT({','.join(ref(c) for c in refs)})<{len(refs)}"


def excel_formula(
    node: expr.Node,
    ref: RefFn,
    *,
    blank_as_zero: bool = False,
    blank_result: str = '""',
) -> str:
    """A complete formula that yields ``blank_result`` where Python yields ``None``."""
    body = f"IFERROR({to_excel(node, ref, blank_as_zero=blank_as_zero)},{blank_result})"
    guard = None if blank_as_zero else excel_blank_test(node, ref)
    return f"=IF({guard},{blank_result},{body})" if guard else f"={body}"


def computed_formula(indicator: Indicator, ref: RefFn) -> str:
    """``=IF(COUNT(...)<n,"",IFERROR(...,""))`` for a computed indicator."""
    assert indicator.expression is not None
    return excel_formula(indicator.expression, ref)


def rule_flag_formula(rule: Rule, ref: RefFn) -> str:
    """A formula giving 1 when the rule fails, 0 when it holds, "" when not evaluated."""
    body = f"IF({to_excel(rule.expression, ref, blank_as_zero=rule.blank == 'zero')},0,1)"
    if rule.blank == "zero":
        return f'=IFERROR({body},"")'
    blank_test = excel_blank_test(rule.expression, ref)
    on_blank = "1" if rule.blank == "fail" else '""'
    inner = f"IFERROR({body},{on_blank})"
    return f"=IF({blank_test},{on_blank},{inner})" if blank_test else f"={inner}"
