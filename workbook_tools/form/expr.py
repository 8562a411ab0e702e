"""The one expression language of the forms: its grammar, tree, parser and types.

Computed indicators and validation rules are written once, as text such as
``hs_truoc_han + hs_dung_han + hs_qua_han`` or ``don_du_dieu_kien <= don_tiep_nhan``.
The text is tokenised and parsed into a small tree (no ``eval``); the tree is then

* compiled to an Excel formula by :mod:`workbook_tools.form.excel`, so the workbook
  recomputes live in Excel and LibreOffice, and
* evaluated in Python by :mod:`workbook_tools.form.evaluate`, so a returned file is
  checked without trusting any cached value.

Both sides follow the same blank semantics, which the tests prove against
LibreOffice: a blank input makes the result blank (``None`` in Python, ``""`` in
Excel) unless the caller asks for blanks to count as zero, and a division by zero
makes the result blank instead of ``#DIV/0!``. ``==`` and ``!=`` compare with a
relative tolerance of 1e-9 so that 0.1 + 0.2 == 0.3 on both sides.

Grammar (lowest precedence first)::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("==" | "!=" | "<=" | ">=" | "<" | ">") sum)?
    sum     := term (("+" | "-") term)*
    term    := unary (("*" | "/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | CODE | FUNC "(" expr ("," expr)* ")" | "(" expr ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Number = int | float
Value = int | float | bool | None
ExprType = Literal["number", "bool"]

TOLERANCE = 1e-9

# Function name → (minimum arguments, maximum arguments or None, Excel name).
FUNCTIONS: dict[str, tuple[int, int | None, str]] = {
    "sum": (1, None, "SUM"),
    "min": (1, None, "MIN"),
    "max": (1, None, "MAX"),
    "abs": (1, 1, "ABS"),
    "round": (2, 2, "ROUND"),
    "if": (3, 3, "IF"),
}
KEYWORDS = {"and", "or", "not"}
_COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")


class ExprError(ValueError):
    """A syntax or type error in an expression; ``position`` is a 0-based offset."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.position = position
        super().__init__(message)


# --------------------------------------------------------------------------- tree


@dataclass(frozen=True)
class Num:
    value: Number


@dataclass(frozen=True)
class Ref:
    code: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Neg:
    operand: Node


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Arith:
    op: Literal["+", "-", "*", "/"]
    left: Node
    right: Node


@dataclass(frozen=True)
class Compare:
    op: Literal["==", "!=", "<", "<=", ">", ">="]
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic:
    op: Literal["and", "or"]
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Num | Ref | Neg | Not | Arith | Compare | Logic | Call


# ---------------------------------------------------------------------- tokenise

_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|,)"
    r")"
)


@dataclass(frozen=True)
class _Token:
    kind: Literal["num", "name", "op", "end"]
    text: str
    position: int


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            bad = text[pos:].lstrip()[:1]
            where = len(text) - len(text[pos:].lstrip())
            raise ExprError(f"ký tự không hợp lệ {bad!r} tại vị trí {where + 1}", where)
        kind = match.lastgroup
        assert kind in ("num", "name", "op")
        start = match.start(kind)
        tokens.append(_Token(kind, match.group(kind), start))  # type: ignore[arg-type]
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


# ------------------------------------------------------------------------- parse


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.i = 0

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self) -> _Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            found = tok.text or "hết biểu thức"
            raise ExprError(
                f"cần {text!r} tại vị trí {tok.position + 1} nhưng gặp {found!r}", tok.position
            )

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise ExprError("biểu thức rỗng", 0)
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ExprError(f"thừa {tok.text!r} tại vị trí {tok.position + 1}", tok.position)
        return node

    def logic(self, op: Literal["and", "or"], operand: Callable[[], Node]) -> Node:
        """``operand (op operand)*``: one operand alone, or a :class:`Logic` of them all."""
        items = [operand()]
        while self.peek().text == op:
            self.take()
            items.append(operand())
        return items[0] if len(items) == 1 else Logic(op, tuple(items))

    def arith(self, ops: tuple[str, str], operand: Callable[[], Node]) -> Node:
        """``operand (op operand)*`` with any of ``ops``, grouped from the left."""
        node = operand()
        while self.peek().text in ops:
            op = self.take().text
            node = Arith(op, node, operand())  # type: ignore[arg-type]
        return node

    def or_(self) -> Node:
        return self.logic("or", self.and_)

    def and_(self) -> Node:
        return self.logic("and", self.not_)

    def not_(self) -> Node:
        if self.peek().text == "not":
            self.take()
            return Not(self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.sum_()
        tok = self.peek()
        if tok.text in _COMPARISONS:
            self.take()
            right = self.sum_()
            if self.peek().text in _COMPARISONS:
                nxt = self.peek()
                raise ExprError(
                    f"không được nối hai phép so sánh (vị trí {nxt.position + 1}); hãy dùng 'and'",
                    nxt.position,
                )
            return Compare(tok.text, left, right)  # type: ignore[arg-type]
        return left

    def sum_(self) -> Node:
        return self.arith(("+", "-"), self.term)

    def term(self) -> Node:
        return self.arith(("*", "/"), self.unary)

    def unary(self) -> Node:
        if self.peek().text == "-":
            self.take()
            return Neg(self.unary())
        return self.atom()

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return Num(float(tok.text) if "." in tok.text else int(tok.text))
        if tok.kind == "name":
            if tok.text in KEYWORDS:
                raise ExprError(
                    f"từ khóa {tok.text!r} đặt sai chỗ tại vị trí {tok.position + 1}",
                    tok.position,
                )
            if self.peek().text == "(":
                return self.call(tok)
            return Ref(tok.text, tok.position)
        if tok.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        found = tok.text or "hết biểu thức"
        raise ExprError(f"cần một số, một mã chỉ tiêu hoặc '(' nhưng gặp {found!r}", tok.position)

    def call(self, name: _Token) -> Node:
        if name.text not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExprError(
                f"hàm {name.text!r} không được hỗ trợ (các hàm dùng được: {known})",
                name.position,
            )
        self.expect("(")
        args = [self.or_()]
        while self.peek().text == ",":
            self.take()
            args.append(self.or_())
        self.expect(")")
        low, high, _ = FUNCTIONS[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            want = str(low) if low == high else f"ít nhất {low}"
            raise ExprError(f"hàm {name.text} cần {want} đối số, có {len(args)}", name.position)
        return Call(name.text, tuple(args))


def parse(text: str) -> Node:
    """Parse expression text into a tree; raise :class:`ExprError` on bad syntax."""
    return _Parser(text).parse()


# ---------------------------------------------------------------- inspect / type


def codes(node: Node) -> list[str]:
    """Indicator codes the expression refers to, in order of first appearance."""
    seen: dict[str, None] = {}

    def walk(n: Node) -> None:
        if isinstance(n, Ref):
            seen.setdefault(n.code, None)
        elif isinstance(n, (Neg, Not)):
            walk(n.operand)
        elif isinstance(n, (Arith, Compare)):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, Logic):
            for item in n.items:
                walk(item)
        elif isinstance(n, Call):
            for arg in n.args:
                walk(arg)

    walk(node)
    return list(seen)


def infer_type(node: Node, types: Mapping[str, ExprType | None]) -> ExprType:
    """The type of an expression; ``types`` maps codes to ``"number"`` or ``None`` (text).

    Raises :class:`ExprError` for a type mismatch such as adding a text indicator
    or writing ``a + (b > c)``.
    """

    def need(n: Node, want: ExprType, what: str) -> None:
        got = infer_type(n, types)
        if got != want:
            kind = "số" if want == "number" else "điều kiện đúng/sai"
            raise ExprError(f"{what} phải là {kind}: {render(n)}")

    if isinstance(node, Num):
        return "number"
    if isinstance(node, Ref):
        kind = types.get(node.code)
        if kind is None:
            raise ExprError(
                f"chỉ tiêu {node.code!r} không phải số nên không dùng được trong biểu thức",
                node.position,
            )
        return kind
    if isinstance(node, Neg):
        need(node.operand, "number", "đối số của dấu trừ")
        return "number"
    if isinstance(node, Not):
        need(node.operand, "bool", "đối số của 'not'")
        return "bool"
    if isinstance(node, Arith):
        need(node.left, "number", f"vế trái của '{node.op}'")
        need(node.right, "number", f"vế phải của '{node.op}'")
        return "number"
    if isinstance(node, Compare):
        need(node.left, "number", f"vế trái của '{node.op}'")
        need(node.right, "number", f"vế phải của '{node.op}'")
        return "bool"
    if isinstance(node, Logic):
        for item in node.items:
            need(item, "bool", f"đối số của '{node.op}'")
        return "bool"
    if node.name == "if":
        need(node.args[0], "bool", "điều kiện của if")
        need(node.args[1], "number", "giá trị thứ hai của if")
        need(node.args[2], "number", "giá trị thứ ba của if")
        return "number"
    for arg in node.args:
        need(arg, "number", f"đối số của {node.name}")
    return "number"


_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "+": 5, "-": 5, "*": 6, "/": 6, "neg": 7}


def render(node: Node, name: Callable[[str], str] | None = None) -> str:
    """Canonical text of an expression (used in ``form show`` and the fingerprint).

    ``name`` replaces each code by another text, e.g. its value: ``19 + 7 + 55``.
    """

    def prec(n: Node) -> int:
        if isinstance(n, Logic):
            return _PRECEDENCE[n.op]
        if isinstance(n, Not):
            return _PRECEDENCE["not"]
        if isinstance(n, Compare):
            return _PRECEDENCE["cmp"]
        if isinstance(n, Arith):
            return _PRECEDENCE[n.op]
        if isinstance(n, Neg):
            return _PRECEDENCE["neg"]
        return 9

    def wrap(n: Node, minimum: int) -> str:
        text = render(n, name)
        return f"({text})" if prec(n) < minimum else text

    if isinstance(node, Num):
        return number_text(node.value)
    if isinstance(node, Ref):
        return node.code if name is None else name(node.code)
    if isinstance(node, Neg):
        return "-" + wrap(node.operand, 7)
    if isinstance(node, Not):
        return "not " + wrap(node.operand, 3)
    if isinstance(node, Arith):
        p = _PRECEDENCE[node.op]
        right_min = p + 1  # keeps the tree: a + (b + c) stays as written
        return f"{wrap(node.left, p)} {node.op} {wrap(node.right, right_min)}"
    if isinstance(node, Compare):
        return f"{wrap(node.left, 5)} {node.op} {wrap(node.right, 5)}"
    if isinstance(node, Logic):
        p = _PRECEDENCE[node.op]
        return f" {node.op} ".join(wrap(item, p + 1) for item in node.items)
    return f"{node.name}({', '.join(render(a, name) for a in node.args)})"


def number_text(value: Number) -> str:
    """A number as the language writes it: ``2``, ``0.5``, ``3.0`` for a whole float."""
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return repr(value)
