"""The expression language: parsing, types, Python evaluation, Excel text.

That the Excel side computes what the Python side computes is proven against
LibreOffice in test_libreoffice.py; here each side is checked on its own.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.form import expr
from workbook_tools.form.evaluate import evaluate
from workbook_tools.form.excel import excel_formula, to_excel
from workbook_tools.form.expr import Arith, Call, Compare, ExprError, Logic, Neg, Not, Num, Ref


def ev(text: str, **values: expr.Value) -> expr.Value:
    return evaluate(expr.parse(text), values)


# ------------------------------------------------------------------ parsing


def test_precedence_and_associativity() -> None:
    assert expr.parse("a - b - c") == Arith("-", Arith("-", Ref("a"), Ref("b")), Ref("c"))
    assert expr.parse("a + b * c") == Arith("+", Ref("a"), Arith("*", Ref("b"), Ref("c")))
    assert expr.parse("a <= b + 1 and not c == 2 or d > 0") == Logic(
        "or",
        (
            Logic(
                "and",
                (
                    Compare("<=", Ref("a"), Arith("+", Ref("b"), Num(1))),
                    Not(Compare("==", Ref("c"), Num(2))),
                ),
            ),
            Compare(">", Ref("d"), Num(0)),
        ),
    )
    assert expr.parse("-a * 2") == Arith("*", Neg(Ref("a")), Num(2))
    assert expr.parse("round(a / b, 1)") == Call("round", (Arith("/", Ref("a"), Ref("b")), Num(1)))


def test_render_keeps_needed_parentheses() -> None:
    assert expr.render(expr.parse("a - (b - c)")) == "a - (b - c)"
    assert expr.render(expr.parse("(a + b) / c")) == "(a + b) / c"
    assert expr.render(expr.parse("((a))+((b))")) == "a + b"
    assert expr.render(expr.parse("not (a < b and c < d)")) == "not (a < b and c < d)"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "rỗng"),
        ("a +", "hết biểu thức"),
        ("a < b < c", "'and'"),
        ("foo(a)", "không được hỗ trợ"),
        ("a ^ 2", "'^'"),
        ("(a + b", "')'"),
        ("a b", "thừa"),
        ("round(a)", "cần 2 đối số"),
        ("a and", "hết biểu thức"),
        ("__import__(a)", "không được hỗ trợ"),
        ("open('x')", "ký tự không hợp lệ"),
    ],
)
def test_syntax_errors_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        expr.parse(text)
    assert fragment in str(info.value)


def test_codes_in_order_of_first_use() -> None:
    assert expr.codes(expr.parse("b + a + b * c")) == ["b", "a", "c"]


# ------------------------------------------------------------------- types

TYPES: dict[str, expr.ExprType | None] = {"a": "number", "b": "number", "t": None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b", "number"),
        ("a <= b", "bool"),
        ("a < 1 and b > 2", "bool"),
        ("if(a > 0, a, b)", "number"),
    ],
)
def test_infer_type(text: str, expected: str) -> None:
    assert expr.infer_type(expr.parse(text), TYPES) == expected


@pytest.mark.parametrize(
    "text", ["a + t", "a + (a > b)", "not a", "a and b", "if(a, a, b)", "-(a < b)"]
)
def test_type_mismatch(text: str) -> None:
    with pytest.raises(ExprError):
        expr.infer_type(expr.parse(text), TYPES)


# ------------------------------------------------------------- evaluation


def test_arithmetic_by_hand() -> None:
    assert ev("a + b + c", a=19, b=7, c=55) == 81
    assert ev("a - b - c", a=10, b=3, c=2) == 5
    assert ev("(a + b) / c", a=3839, b=97, c=4040) == pytest.approx(3936 / 4040)
    assert ev("sum(a, b, 3)", a=1, b=2) == 6
    assert ev("max(a, b) - min(a, b)", a=4, b=9) == 5
    assert ev("abs(a - b)", a=4, b=9) == 5


def test_blank_is_not_zero() -> None:
    assert ev("a + b", a=1, b=None) is None
    assert ev("a <= b", a=None, b=3) is None
    assert evaluate(expr.parse("a + b"), {"a": 1}, blank_as_zero=True) == 1
    # A blank anywhere blanks the result, even in the branch IF does not take,
    # because the Excel side guards with COUNT over every referenced cell.
    assert ev("if(a > 0, a, b)", a=5, b=None) is None


def test_division_by_zero_is_blank() -> None:
    assert ev("a / b", a=1, b=0) is None
    assert ev("a / b > 0.5 or c > 1", a=1, b=0, c=5) is None


def test_if_takes_one_branch() -> None:
    assert ev("if(a > 0, b / a, 0)", a=0, b=5) == 0
    assert ev("if(a > 0, b / a, 0)", a=2, b=5) == 2.5


def test_equality_tolerance() -> None:
    assert ev("0.1 + 0.2 == 0.3") is True
    assert ev("a == b", a=62, b=81) is False
    assert ev("a != b", a=62, b=81) is True
    assert ev("a == b", a=1e12, b=1e12 + 1e-4) is True


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (2.5, 0, 3),
        (-2.5, 0, -3),
        (0.125, 2, 0.13),
        (1.005, 2, 1.01),
        (1234.5, -1, 1230),
        (99.95, 1, 100.0),
    ],
)
def test_round_is_excel_round(x: float, digits: int, expected: float) -> None:
    assert evaluate(expr.parse(f"round(x, {digits})"), {"x": x}) == expected


# ------------------------------------------------------------------ Excel


def test_excel_text_by_hand() -> None:
    def ref(code: str) -> str:
        return code.upper()

    assert to_excel(expr.parse("a + b * 2"), ref) == "(A+(B*2))"
    assert to_excel(expr.parse("a <= b"), ref) == "(A<=B)"
    assert (
        to_excel(expr.parse("not a != b"), ref) == "NOT(NOT(ABS(A-B)<=1E-9*MAX(1,ABS(A),ABS(B))))"
    )
    assert excel_formula(expr.parse("a / b"), ref) == '=IF(COUNT(A,B)<2,"",IFERROR((A/B),""))'
    assert excel_formula(expr.parse("a + 1"), ref, blank_as_zero=True) == '=IFERROR((N(A)+1),"")'
    assert to_excel(expr.parse("round(a, 1)"), ref) == "ROUND(A,1)"


# --------------------------------------------------------------- properties

CODES = ["a", "b", "c"]
numbers = st.integers(0, 10_000).map(lambda n: Num(n)) | st.integers(0, 10_000).map(
    lambda n: Num(n / 100)
)


def number_trees() -> st.SearchStrategy[expr.Node]:
    leaves = numbers | st.sampled_from([Ref(c) for c in CODES])
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.builds(Arith, st.sampled_from(["+", "-", "*", "/"]), inner, inner),
            st.builds(Neg, inner),
            st.builds(lambda a, b: Call("max", (a, b)), inner, inner),
            st.builds(lambda a, b: Call("round", (a, b)), inner, st.integers(0, 2).map(Num)),
        ),
        max_leaves=8,
    )


def bool_trees() -> st.SearchStrategy[expr.Node]:
    comparisons = st.builds(
        Compare, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), number_trees(), number_trees()
    )
    return st.recursive(
        comparisons,
        lambda inner: st.one_of(
            st.builds(Not, inner),
            st.builds(lambda a, b: Logic("and", (a, b)), inner, inner),
            st.builds(lambda a, b: Logic("or", (a, b)), inner, inner),
        ),
        max_leaves=4,
    )


@given(number_trees() | bool_trees())
@settings(max_examples=300)
def test_render_parse_round_trip(tree: expr.Node) -> None:
    assert expr.parse(expr.render(tree)) == tree


@given(
    number_trees(),
    st.dictionaries(
        st.sampled_from(CODES), st.integers(0, 1000) | st.none(), min_size=3, max_size=3
    ),
)
@settings(max_examples=300)
def test_any_blank_makes_the_result_blank(tree: expr.Node, values: dict[str, int | None]) -> None:
    used = expr.codes(tree)
    result = evaluate(tree, values)
    if any(values[c] is None for c in used):
        assert result is None


def test_by_identity_computes_once_per_object_and_never_mixes_equal_objects() -> None:
    from workbook_tools.identity import ByIdentity

    calls: list[list[int]] = []

    def total(items: list[int]) -> int:
        calls.append(items)
        return sum(items)

    remembered = ByIdentity(total, size=2)
    first, equal = [1, 2], [1, 2]
    assert remembered(first) == 3 and remembered(first) == 3
    assert calls == [first]  # once for the same object
    assert remembered(equal) == 3 and len(calls) == 2  # an equal object is another key
    first.append(4)  # the value belongs to the object as it was first seen
    assert remembered(first) == 3
    remembered([5])  # a third key: the full table is forgotten
    assert remembered(first) == 7 and len(calls) == 4
