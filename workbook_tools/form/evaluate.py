"""A form evaluated over one set of values: computed indicators and rule states.

This is the Python side of the form's formulas. The workbook writer uses it for
the cached values of a fresh workbook; the checks of returned files use it to
recompute everything from the inputs, trusting no cached value. Its twin, the
Excel side, is :mod:`workbook_tools.form.excel`; the tests prove they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from workbook_tools.form import expr
from workbook_tools.form.model import Form, Rule


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


def compute(form: Form, inputs: Mapping[str, expr.Value]) -> dict[str, expr.Value]:
    """All values: the inputs given plus every computed indicator, in dependency order."""
    values: dict[str, expr.Value] = dict(inputs)
    for ind in form.computed_order:
        assert ind.expression is not None
        values[ind.code] = expr.evaluate(ind.expression, values)
    return values


def rule_state(rule: Rule, values: Mapping[str, expr.Value]) -> RuleState:
    """Whether a rule holds, with its blank policy applied.

    ``skip``: a blank referenced figure leaves the rule unevaluated; ``zero``:
    blanks count as 0; ``fail``: a blank referenced figure fails the rule. A
    division by zero leaves it unevaluated (``fail`` policy: failed).
    """
    blank_as_zero = rule.blank == "zero"
    result = expr.evaluate(rule.expression, values, blank_as_zero=blank_as_zero)
    if result is None:
        return RuleState.FAILED if rule.blank == "fail" else RuleState.SKIPPED
    return RuleState.PASSED if result else RuleState.FAILED


def rule_states(form: Form, values: Mapping[str, expr.Value]) -> dict[str, RuleState]:
    return {rule.id: rule_state(rule, values) for rule in form.rules}
