"""Say why a rule failed, with the values on both sides: ``62 ≠ 19 + 7 + 55 = 81``."""

from __future__ import annotations

from collections.abc import Mapping

from workbook_tools.form import expr
from workbook_tools.form.evaluate import evaluate
from workbook_tools.form.model import Rule
from workbook_tools.text import format_number

# The relation that holds when the comparison fails.
_FAILED = {"==": "≠", "!=": "=", "<=": ">", "<": "≥", ">=": "<", ">": "≤"}


def _number(value: expr.Value) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, bool):
        return "đúng" if value else "sai"
    if isinstance(value, float) and not value.is_integer():
        return format_number(round(value, 4))
    return format_number(value)


def _side(node: expr.Node, values: Mapping[str, expr.Value], blank_as_zero: bool) -> str:
    result = _number(evaluate(node, values, blank_as_zero=blank_as_zero))
    if isinstance(node, (expr.Ref, expr.Num)):
        return result

    def value_of(code: str) -> str:
        value = values.get(code)
        return "0" if value is None and blank_as_zero else _number(value)

    return f"{expr.render(node, value_of)} = {result}"


def explain(rule: Rule, values: Mapping[str, expr.Value]) -> str:
    """Both sides of a failed comparison with their values, or each code's value."""
    node = rule.expression
    zero = rule.blank == "zero"
    if isinstance(node, expr.Compare):
        left = _side(node.left, values, zero)
        right = _side(node.right, values, zero)
        return f"{left} {_FAILED[node.op]} {right}"
    return "; ".join(f"{code} = {_number(values.get(code))}" for code in rule.codes)
