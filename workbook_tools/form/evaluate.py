"""The Python side of the form's formulas: an expression, then a whole form, evaluated.

:func:`evaluate` runs one expression tree of :mod:`workbook_tools.form.expr` over
values with the workbook's blank semantics; :func:`compute` and
:func:`rule_states` apply it to a form. The workbook writer uses it for the
cached values of a fresh workbook; the checks of returned files use it to
recompute everything from the inputs, trusting no cached value. Its twin, the
Excel side, is :mod:`workbook_tools.form.excel`; the tests prove they agree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from workbook_tools.form.expr import (
    TOLERANCE,
    Call,
    Compare,
    Logic,
    Neg,
    Node,
    Not,
    Num,
    Number,
    Ref,
    Value,
    codes,
)
from workbook_tools.form.model import Form, Rule
from workbook_tools.identity import ByIdentity


def _close(a: Number, b: Number) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def _excel_round(x: Number, digits: Number) -> Number:
    """Excel's ROUND: half away from zero, on the shortest decimal text of ``x``."""
    places = Decimal(1).scaleb(-int(digits))
    rounded = Decimal(repr(x)).quantize(places, rounding=ROUND_HALF_UP)
    return int(rounded) if int(digits) <= 0 else float(rounded)


def evaluate(node: Node, values: Mapping[str, Value], *, blank_as_zero: bool = False) -> Value:
    """Evaluate in Python with the workbook's blank semantics.

    A blank (``None``) in any referenced code makes the result ``None`` (the
    Excel side tests the same with ``COUNT``), as does a division by zero; with
    ``blank_as_zero`` a blank input counts as 0 instead. ``if`` only evaluates the
    branch it takes, as Excel's IF does.
    """
    if not blank_as_zero and any(values.get(code) is None for code in _refs(node)):
        return None
    return _evaluate(node, values, blank_as_zero)


_refs = ByIdentity(codes, 4096)
"""``codes(node)``, remembered per node: a form's expressions are evaluated for every file."""


def _evaluate(node: Node, values: Mapping[str, Value], blank_as_zero: bool) -> Value:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        value = values.get(node.code)
        if value is None and blank_as_zero:
            return 0
        return value

    def ev(n: Node) -> Value:
        return _evaluate(n, values, blank_as_zero)

    if isinstance(node, Neg):
        v = ev(node.operand)
        return None if v is None else -v
    if isinstance(node, Not):
        v = ev(node.operand)
        return None if v is None else not v
    if isinstance(node, Logic):
        items = [ev(item) for item in node.items]
        if any(item is None for item in items):
            return None
        return all(items) if node.op == "and" else any(items)
    if isinstance(node, Call) and node.name == "if":
        cond = ev(node.args[0])
        if cond is None:
            return None
        return ev(node.args[1] if cond else node.args[2])
    if isinstance(node, Call):
        args = [ev(a) for a in node.args]
        if any(a is None for a in args):
            return None
        nums: list[Number] = [a for a in args if a is not None]
        if node.name == "sum":
            return sum(nums)
        if node.name == "min":
            return min(nums)
        if node.name == "max":
            return max(nums)
        if node.name == "abs":
            return abs(nums[0])
        return _excel_round(nums[0], nums[1])
    left, right = ev(node.left), ev(node.right)
    if left is None or right is None:
        return None
    if isinstance(node, Compare):
        if node.op == "==":
            return _close(left, right)
        if node.op == "!=":
            return not _close(left, right)
        if node.op == "<":
            return left < right
        if node.op == "<=":
            return left <= right
        if node.op == ">":
            return left > right
        return left >= right
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        return None
    result = left / right
    return None if math.isinf(result) or math.isnan(result) else result


class RuleState(str, Enum):
    PASSED = "pass"
    FAILED = "fail"
    SKIPPED = "skip"  # not enough figures to evaluate: blanks under the "skip" policy

    @property
    def flag(self) -> int | str:
        """The value of the rule's flag cell in the workbook: 1, 0 or blank."""
        if self is RuleState.SKIPPED:
            return ""
        return 1 if self is RuleState.FAILED else 0


def compute(form: Form, inputs: Mapping[str, Value]) -> dict[str, Value]:
    """All values: the inputs given plus every computed indicator, in dependency order."""
    values: dict[str, Value] = dict(inputs)
    for ind in form.computed_order:
        assert ind.expression is not None
        values[ind.code] = evaluate(ind.expression, values)
    return values


def rule_state(rule: Rule, values: Mapping[str, Value]) -> RuleState:
    """Whether a rule holds, with its blank policy applied.

    ``skip``: a blank referenced figure leaves the rule unevaluated; ``zero``:
    blanks count as 0; ``fail``: a blank referenced figure fails the rule. A
    division by zero leaves it unevaluated (``fail`` policy: failed).
    """
    blank_as_zero = rule.blank == "zero"
    result = evaluate(rule.expression, values, blank_as_zero=blank_as_zero)
    if result is None:
        return RuleState.FAILED if rule.blank == "fail" else RuleState.SKIPPED
    return RuleState.PASSED if result else RuleState.FAILED


def rule_states(form: Form, values: Mapping[str, Value]) -> dict[str, RuleState]:
    return {rule.id: rule_state(rule, values) for rule in form.rules}
