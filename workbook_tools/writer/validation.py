"""Data validation and live validity tests for input cells.

Two views of the same constraint: the data validation Excel applies while typing
(``data_validation``), and a formula that is TRUE when a cell holds a value that
validation would have refused (``invalid_test``) — pasting bypasses validation, so
the workbook re-tests every value live and counts the bad ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workbook_tools.contract.layout import ChoiceList
from workbook_tools.contract.limits import DATE_MAX, DATE_MIN
from workbook_tools.form.model import Field, Kind
from workbook_tools.form.validation_text import text_limit, validation_text


class ValidationTextTooLong(ValueError):
    """Raised instead of letting XlsxWriter drop a validation silently."""


def data_validation(field: Field, choices: ChoiceList | None = None) -> dict[str, Any]:
    """The XlsxWriter data-validation options of an input cell (``choices``: its list)."""
    texts = validation_text(field)
    too_long = texts.too_long()
    if too_long:
        name, length, limit = too_long[0]
        raise ValidationTextTooLong(
            f"{field.code}: {name} dài {length} ký tự, vượt giới hạn {limit} của Excel."
        )
    options: dict[str, Any] = {
        "input_title": texts.input_title,
        "input_message": texts.input_message,
        "error_title": texts.error_title,
        "error_message": texts.error_message,
        "error_type": "stop",
        "ignore_blank": True,
    }
    kind = field.kind
    if kind.numeric:
        options["validate"] = "integer" if kind is Kind.INTEGER else "decimal"
        low = field.minimum if field.minimum is not None else -1e15
        if field.maximum is None:
            options.update(criteria=">=", value=_num(low))
        else:
            options.update(criteria="between", minimum=_num(low), maximum=_num(field.maximum))
    elif kind is Kind.DATE:
        options.update(validate="date", criteria="between", minimum=DATE_MIN, maximum=DATE_MAX)
    elif kind in (Kind.CHOICE, Kind.YES_NO):
        options.update(validate="list", source="=" + _list_of(field, choices).name)
    else:
        options.update(validate="length", criteria="<=", value=text_limit(field))
    return options


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _list_of(field: Field, choices: ChoiceList | None) -> ChoiceList:
    if choices is None:
        raise ValueError(f"{field.code}: a choice field needs its list of the layout")
    return choices


def invalid_test(field: Field, cell: str, choices: ChoiceList | None = None) -> str | None:
    """An Excel test, TRUE when a non-blank ``cell`` holds a value validation refuses.

    ``None`` for free texts, which accept anything within their length.
    """
    kind = field.kind
    if kind.numeric or kind is Kind.DATE:
        conds = [f"ISNUMBER({cell})"]
        if kind is Kind.DATE:
            conds.append(f"{cell}>={(DATE_MIN - date(1899, 12, 30)).days}")
            conds.append(f"{cell}<={(DATE_MAX - date(1899, 12, 30)).days}")
        else:
            if field.minimum is not None:
                conds.append(f"{cell}>={_num(field.minimum)}")
            if field.maximum is not None:
                conds.append(f"{cell}<={_num(field.maximum)}")
            if kind is Kind.INTEGER:
                conds.append(f"{cell}=INT({cell})")
        # AND() evaluates every argument, so a text value must not reach the
        # comparisons: test ISNUMBER first, in its own IF.
        rest = conds[1:]
        valid = f"IF(ISNUMBER({cell}),AND({','.join(rest)}),FALSE)" if rest else conds[0]
        return f"AND(NOT(ISBLANK({cell})),NOT({valid}))"
    if kind in (Kind.CHOICE, Kind.YES_NO):
        listed = _list_of(field, choices).name
        return f"AND(NOT(ISBLANK({cell})),ISNA(MATCH({cell},{listed},0)))"
    return None
