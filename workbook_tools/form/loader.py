"""Load a form definition (YAML) into a checked :class:`Form`.

The loader is the only door into the model: it collects every problem in the
file — unknown keys, duplicate or malformed codes, unknown codes in expressions,
type mismatches, cycles among computed indicators, validation texts over Excel's
limits — and raises one :class:`FormDefinitionError` naming the file, the key and
the fix for each.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from workbook_tools.catalogue import (
    FORM_BAD_BOUNDS,
    FORM_BAD_CHOICE,
    FORM_BAD_CODE,
    FORM_BAD_VALUE,
    FORM_CYCLE,
    FORM_DUPLICATE_CODE,
    FORM_EXPRESSION_SYNTAX,
    FORM_FILE_MISSING,
    FORM_MISSING_KEY,
    FORM_OUTLINE,
    FORM_TEXT_TOO_LONG,
    FORM_TYPE_MISMATCH,
    FORM_UNKNOWN_CODE,
    FORM_UNKNOWN_KEY,
    FORM_YAML_SYNTAX,
)
from workbook_tools.errors import Collector, FormDefinitionError, WorkbookToolsError
from workbook_tools.findings import finding
from workbook_tools.form import expr
from workbook_tools.form.model import (
    Aggregation,
    BlankPolicy,
    Column,
    Field,
    Form,
    Indicator,
    Kind,
    Placement,
    Rule,
    Section,
    Severity,
    Table,
    TimeAggregation,
    UnitAggregation,
)
from workbook_tools.form.outline import Outline, OutlineParser
from workbook_tools.form.validation_text import validation_text
from workbook_tools.resources import xlsx_templates_dir
from workbook_tools.text import nfc

FORM_KEYS = (
    "form",
    "version",
    "title",
    "agency",
    "description",
    "sections",
    "rules",
    "tables",
    "outline",
)
SECTION_KEYS = ("id", "title", "placement", "indicators")
INDICATOR_KEYS = (
    "code",
    "label",
    "unit",
    "kind",
    "required",
    "min",
    "max",
    "choices",
    "help",
    "compute",
    "aggregate",
    "core",
    "why",
    "decimals",
)
RULE_KEYS = ("id", "check", "severity", "message", "blank", "anchor")
TABLE_KEYS = ("code", "title", "sheet", "max_rows", "help", "columns")
COLUMN_KEYS = ("code", "label", "kind", "required", "min", "max", "choices", "help", "width")

PLACEMENTS = ("unit", "figures", "narrative")
SEVERITIES = ("error", "warning")
BLANK_POLICIES = ("skip", "zero", "fail")
UNIT_AGGREGATIONS = ("sum", "recompute", "list", "none")
TIME_AGGREGATIONS = ("sum", "last", "recompute", "list", "none")

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
CODE_MAX = 64
# Excel reads these as cell references (A1 or R1C1 style), so they cannot be names.
CELL_LIKE = re.compile(r"^([a-z]{1,3}[0-9]+|r[0-9]*c[0-9]*|r[0-9]*|c[0-9]*)$")
SHEET_TITLE_MAX = 31


def _suggest(word: str, choices: Any) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Có phải ý bạn là {match[0]!r}?" if match else ""


class _FieldReader(Collector):
    """The problems of a definition, gathered while it is walked so all are reported at once,
    with the readers of its YAML values that report a value of the wrong shape."""

    def mapping(self, value: Any, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            self.add(
                FORM_BAD_VALUE,
                where,
                f"cần một bảng khóa: giá trị (mapping), gặp {type(value).__name__}.",
                f"Viết {where} dưới dạng các dòng 'khóa: giá trị'.",
            )
            return {}
        for key in value:
            if key not in allowed:
                self.add(
                    FORM_UNKNOWN_KEY,
                    f"{where}.{key}",
                    f"khóa {key!r} không được hỗ trợ.{_suggest(str(key), allowed)}",
                    f"Dùng một trong các khóa: {', '.join(allowed)}.",
                )
        return dict(value)

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(
                FORM_BAD_VALUE,
                where,
                "cần một danh sách.",
                f"Viết mỗi phần tử của {where} trên một dòng bắt đầu bằng '- '.",
            )
            return []
        return value

    def text(self, data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(
                    FORM_MISSING_KEY,
                    f"{where}.{key}",
                    f"thiếu khóa bắt buộc {key!r}.",
                    f"Thêm dòng '{key}: ...' vào {where}.",
                )
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(FORM_BAD_VALUE, f"{where}.{key}", "cần một chuỗi văn bản.", "Sửa giá trị.")
            return ""
        return nfc(str(value).strip())

    def choice(
        self, data: Mapping[str, Any], key: str, where: str, options: tuple[str, ...], default: str
    ) -> str:
        value = data.get(key, default)
        if value not in options:
            self.add(
                FORM_BAD_VALUE,
                f"{where}.{key}",
                f"giá trị {value!r} không hợp lệ.{_suggest(str(value), options)}",
                f"Dùng một trong: {', '.join(options)}.",
            )
            return default
        return str(value)

    def flag(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.add(
                FORM_BAD_VALUE,
                f"{where}.{key}",
                f"cần true hoặc false, gặp {value!r}.",
                f"Viết '{key}: true' hoặc '{key}: false'.",
            )
            return False
        return value

    def number(self, data: Mapping[str, Any], key: str, where: str) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(
                FORM_BAD_VALUE,
                f"{where}.{key}",
                f"cần một số, gặp {value!r}.",
                f"Viết một số, ví dụ '{key}: 0'.",
            )
            return None
        return float(value)

    def code(self, data: Mapping[str, Any], where: str, key: str = "code") -> str:
        code = self.text(data, key, where)
        if not code:
            return ""
        if not CODE_PATTERN.match(code) or len(code) > CODE_MAX:
            self.add(
                FORM_BAD_CODE,
                f"{where}.{key}",
                f"mã {code!r} không hợp lệ.",
                "Mã chỉ gồm chữ thường không dấu, chữ số và '_', bắt đầu bằng chữ, "
                f"tối đa {CODE_MAX} ký tự (ví dụ hs_truc_tuyen).",
            )
        elif CELL_LIKE.match(code) or code in expr.KEYWORDS or code in expr.FUNCTIONS:
            self.add(
                FORM_BAD_CODE,
                f"{where}.{key}",
                f"mã {code!r} trùng với địa chỉ ô, từ khóa hoặc tên hàm nên không dùng "
                "làm tên (defined name) trong Excel được.",
                "Đặt mã có dấu '_', ví dụ 'hs_1' thay cho 'hs1'.",
            )
        return code


def _kind(col: _FieldReader, data: Mapping[str, Any], where: str) -> Kind:
    value = data.get("kind", "integer")
    try:
        return Kind(value)
    except ValueError:
        options = tuple(k.value for k in Kind)
        col.add(
            FORM_BAD_VALUE,
            f"{where}.kind",
            f"kiểu {value!r} không hợp lệ.{_suggest(str(value), options)}",
            f"Dùng một trong: {', '.join(options)}.",
        )
        return Kind.INTEGER


def _field_common(
    col: _FieldReader, data: Mapping[str, Any], where: str, kind: Kind
) -> tuple[float | None, float | None, tuple[str, ...]]:
    """Bounds and choices shared by indicators and table columns, with their checks."""
    low, high = col.number(data, "min", where), col.number(data, "max", where)
    if kind.numeric:
        if low is None:
            low = 0.0
        if high is None and kind is Kind.PERCENT:
            high = 1.0
        if high is not None and low > high:
            col.add(
                FORM_BAD_BOUNDS,
                f"{where}.min",
                f"giới hạn dưới ({low:g}) lớn hơn giới hạn trên ({high:g}).",
                "Sửa min hoặc max cho min ≤ max.",
            )
    elif "min" in data or "max" in data:
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.min",
            f"kiểu {kind.value} không có giới hạn số.",
            "Bỏ min/max, hoặc đổi kind thành integer, decimal hoặc percent.",
        )
    raw_choices = col.items(data.get("choices"), f"{where}.choices")
    choices = tuple(nfc(str(c).strip()) for c in raw_choices)
    if kind is Kind.CHOICE and not choices:
        col.add(
            FORM_MISSING_KEY,
            f"{where}.choices",
            "kiểu choice cần danh sách lựa chọn.",
            "Thêm 'choices:' với các lựa chọn, mỗi dòng một giá trị.",
        )
    elif kind is not Kind.CHOICE and choices:
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.choices",
            f"chỉ kiểu choice mới có danh sách lựa chọn (đây là {kind.value}).",
            "Bỏ 'choices' hoặc đổi kind thành choice.",
        )
    for i, choice in enumerate(choices):
        why = _unrepresentable(choice)
        if why:
            col.add(
                FORM_BAD_CHOICE,
                f"{where}.choices[{i}]",
                f"lựa chọn {choice!r} {why[0]}",
                why[1],
            )
    seen: dict[str, str] = {}
    for i, choice in enumerate(choices):
        key = choice.casefold()
        if key in seen:
            col.add(
                FORM_DUPLICATE_CODE,
                f"{where}.choices[{i}]",
                f"lựa chọn {choice!r} trùng với {seen[key]!r} (Excel và LibreOffice không phân "
                "biệt chữ hoa, chữ thường khi đối chiếu danh sách).",
                "Bỏ giá trị trùng.",
            )
        seen.setdefault(key, choice)
    return low, high, choices


# What a spreadsheet turns into something else than the text when it is entered: a
# number ("2025", "1.234", "50%"), a date ("1/6"), a truth value, or a formula.
_LOOKS_LIKE_NUMBER = re.compile(r"^[+-]?[\d.,\s]*\d[\d.,\s]*%?$")
_LOOKS_LIKE_DATE = re.compile(r"^\d{1,4}[/-]\d{1,2}([/-]\d{1,4})?$")
_TRUTH_VALUES = {"true", "false"}


def _unrepresentable(choice: str) -> tuple[str, str] | None:
    """Why a choice cannot be offered and read back exactly as written, and the fix.

    Dropdowns list each choice from its own cell (so commas and quotes are fine),
    but what the unit picks is entered as if typed, and the reader cleans it as any
    cell (spaces, line breaks); a choice must survive both unchanged.
    """
    if not choice:
        return "rỗng: ô để trống nghĩa là chưa chọn.", "Bỏ lựa chọn rỗng."
    if not choice.isprintable():
        return (
            "chứa ký tự xuống dòng, tab hoặc khoảng trắng đặc biệt, không hiện được đúng trong "
            "danh sách thả xuống và bị đổi khi đọc lại.",
            "Viết lựa chọn trên một dòng, chỉ dùng dấu cách thường.",
        )
    if choice[0] in "=+-@":
        return (
            f"bắt đầu bằng {choice[0]!r}: Excel và LibreOffice hiểu đó là công thức.",
            "Bắt đầu lựa chọn bằng chữ (ví dụ viết 'Khác' thay cho '- Khác').",
        )
    if _LOOKS_LIKE_NUMBER.match(choice) or _LOOKS_LIKE_DATE.match(choice):
        return (
            "là một số hoặc ngày: khi chọn, bảng tính lưu thành số hoặc ngày chứ không giữ "
            "nguyên chữ.",
            "Thêm chữ vào lựa chọn (ví dụ 'Năm 2025' thay cho '2025'), hoặc dùng kiểu integer.",
        )
    if choice.casefold() in _TRUTH_VALUES:
        return (
            "là giá trị đúng/sai, bảng tính lưu thành TRUE/FALSE.",
            "Dùng kiểu yes_no (Có/Không) hoặc viết lựa chọn khác đi.",
        )
    return None


def _default_aggregation(kind: Kind, computed: bool) -> Aggregation:
    if computed:
        return Aggregation("recompute", "recompute")
    if kind in (Kind.INTEGER, Kind.DECIMAL):
        return Aggregation("sum", "sum")
    if kind is Kind.PERCENT:
        return Aggregation("none", "none")
    return Aggregation("list", "list")


def _aggregation(
    col: _FieldReader, data: Mapping[str, Any], where: str, kind: Kind, computed: bool
) -> Aggregation:
    default = _default_aggregation(kind, computed)
    raw = data.get("aggregate")
    if raw is None:
        return default
    spec = col.mapping(raw, f"{where}.aggregate", ("units", "time"))
    units = col.choice(spec, "units", f"{where}.aggregate", UNIT_AGGREGATIONS, default.units)
    time = col.choice(spec, "time", f"{where}.aggregate", TIME_AGGREGATIONS, default.time)
    if computed and "recompute" not in (units, time):
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.aggregate",
            "chỉ tiêu tính toán phải được tính lại từ các thành phần khi tổng hợp.",
            "Bỏ 'aggregate' (mặc định recompute) hoặc đặt units: recompute, time: recompute.",
        )
    if not computed and "recompute" in (units, time):
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.aggregate",
            "'recompute' chỉ dùng cho chỉ tiêu có 'compute'.",
            "Dùng sum, last, list hoặc none.",
        )
    if (units == "sum" or time in ("sum", "last")) and not kind.numeric:
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.aggregate",
            f"không cộng được chỉ tiêu kiểu {kind.value}.",
            "Dùng 'list' cho văn bản hoặc 'none'.",
        )
    if kind is Kind.PERCENT and not computed and units == "sum":
        col.add(
            FORM_TYPE_MISMATCH,
            f"{where}.aggregate",
            "không được cộng hay lấy trung bình tỷ lệ phần trăm giữa các đơn vị.",
            "Khai báo tỷ lệ là chỉ tiêu tính toán (compute: tử_số / mẫu_số) để tổng hợp "
            "tính lại từ tử số và mẫu số.",
        )
    return Aggregation(cast(UnitAggregation, units), cast(TimeAggregation, time))


def _decimals(col: _FieldReader, data: Mapping[str, Any], where: str, kind: Kind) -> int | None:
    """The display precision shared by the workbook and the report (None: the kind's default)."""
    value = data.get("decimals")
    if value is None:
        return None
    if (
        not kind.numeric
        or isinstance(value, bool)
        or not isinstance(value, int)
        or not 0 <= value <= 4
    ):
        col.add(
            FORM_BAD_VALUE,
            f"{where}.decimals",
            f"số chữ số thập phân {value!r} không hợp lệ.",
            "Đặt 'decimals:' là số nguyên từ 0 đến 4, chỉ cho chỉ tiêu kiểu số.",
        )
        return None
    return value


def _outline(col: _FieldReader, raw: Any, form: Form) -> Outline | None:
    """The report outline: inline (a list of headings) or a file beside the form definition."""
    if raw is None:
        return None
    source = col.file
    if isinstance(raw, str):
        path = Path(col.file).parent / raw
        source = str(path)
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            col.add(FORM_OUTLINE, "outline", f"không đọc được dàn ý báo cáo {path.name}: {exc}.",
                    "Kiểm tra đường dẫn trong khóa 'outline:' (tương đối với tệp biểu mẫu).")  # fmt: skip
            return None
    known = {ind.code: ind.kind.value for ind in form.indicators}
    parser = OutlineParser(known, {t.code: [c.code for c in t.columns] for t in form.tables})
    outline = parser.parse(raw)
    col.problems.extend(replace(p, file=source) for p in parser.problems)
    return outline


def _check_text_limits(col: _FieldReader, field: Field, where: str) -> None:
    for name, length, limit in validation_text(field).too_long():
        col.add(
            FORM_TEXT_TOO_LONG,
            f"{where}.help" if name == "lời gợi ý" and field.help else f"{where}.label",
            f"{name} của ô nhập liệu dài {length} ký tự, Excel chỉ nhận tối đa {limit} "
            "(nếu vượt, Excel bỏ qua kiểm tra dữ liệu của ô).",
            f"Rút gọn nhãn hoặc lời hướng dẫn (help) ít nhất {length - limit} ký tự.",
        )


def _entries(
    col: _FieldReader, value: Any, where: str, allowed: tuple[str, ...]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each mapping of the list ``value`` at ``where``, with its own place: ``where[i]``."""
    for i, item in enumerate(col.items(value, where)):
        place = f"{where}[{i}]"
        yield place, col.mapping(item, place, allowed)


def _first_use(
    col: _FieldReader, seen: set[str], code: str, where: str, what: str, fix: str
) -> None:
    """Note ``code`` as used; if it was already, the ``what`` (a section, a rule...) is a
    ``form-duplicate-code`` at ``where``."""
    if code in seen:
        col.add(FORM_DUPLICATE_CODE, where, f"{what} {code!r} khai báo hai lần.", fix)
    seen.add(code)


def _parse_expression(col: _FieldReader, text: str, where: str) -> expr.Node | None:
    try:
        return expr.parse(text)
    except expr.ExprError as exc:
        col.add(
            FORM_EXPRESSION_SYNTAX,
            where,
            f"biểu thức {text!r} sai cú pháp: {exc}.",
            "Biểu thức dùng mã chỉ tiêu, số, + - * /, so sánh == != < <= > >=, "
            "and/or/not, ngoặc và các hàm sum, min, max, abs, round, if.",
        )
        return None


def _indicators(
    col: _FieldReader, raw_form: Mapping[str, Any]
) -> Iterator[tuple[str, str, Placement, list[tuple[Indicator, str]]]]:
    seen_sections: set[str] = set()
    for where, data in _entries(col, raw_form.get("sections"), "sections", SECTION_KEYS):
        sid = col.code(data, where, "id")
        _first_use(col, seen_sections, sid, f"{where}.id", "mục", "Đặt id khác cho mỗi mục.")
        title = col.text(data, "title", where)
        placement = cast(Placement, col.choice(data, "placement", where, PLACEMENTS, "figures"))
        inds: list[tuple[Indicator, str]] = []
        listed = data.get("indicators")
        for iw, idata in _entries(col, listed, f"{where}.indicators", INDICATOR_KEYS):
            code = col.code(idata, iw)
            kind = _kind(col, idata, iw)
            low, high, choices = _field_common(col, idata, iw, kind)
            compute_text = col.text(idata, "compute", iw, required=False)
            node = _parse_expression(col, compute_text, f"{iw}.compute") if compute_text else None
            required = col.flag(idata, "required", iw)
            if compute_text and required:
                col.add(
                    FORM_TYPE_MISMATCH,
                    f"{iw}.required",
                    "chỉ tiêu tính toán không nhập tay nên không thể bắt buộc nhập.",
                    "Bỏ 'required' ở chỉ tiêu có 'compute'.",
                )
            if compute_text and not kind.numeric:
                col.add(
                    FORM_TYPE_MISMATCH,
                    f"{iw}.kind",
                    f"chỉ tiêu tính toán phải là số, không thể là {kind.value}.",
                    "Đổi kind thành integer, decimal hoặc percent.",
                )
            if placement != "figures" and compute_text:
                col.add(
                    FORM_TYPE_MISMATCH,
                    f"{iw}.compute",
                    "chỉ tiêu tính toán chỉ đặt được ở mục có placement: figures.",
                    "Chuyển chỉ tiêu sang một mục số liệu.",
                )
            ind = Indicator(
                code=code,
                label=col.text(idata, "label", iw),
                kind=kind,
                section=sid,
                unit=col.text(idata, "unit", iw, required=False),
                required=required,
                minimum=low,
                maximum=high,
                choices=choices,
                help=col.text(idata, "help", iw, required=False),
                expression=node,
                aggregation=_aggregation(col, idata, iw, kind, node is not None),
                core=col.flag(idata, "core", iw),
                why=col.text(idata, "why", iw, required=False),
                decimals=_decimals(col, idata, iw, kind),
            )
            if not ind.computed:
                _check_text_limits(col, ind, iw)
            inds.append((ind, iw))
        yield sid, title, placement, inds


def _check_expressions(col: _FieldReader, found: list[tuple[Indicator, str]]) -> None:
    by_code = {ind.code: ind for ind, _ in found}
    types: dict[str, expr.ExprType | None] = {
        ind.code: ("number" if ind.kind.numeric else None) for ind, _ in found
    }
    for ind, where in found:
        if ind.expression is None:
            continue
        if not _known_codes(col, ind.expression, by_code, f"{where}.compute"):
            continue
        try:
            result = expr.infer_type(ind.expression, types)
        except expr.ExprError as exc:
            col.add(
                FORM_TYPE_MISMATCH,
                f"{where}.compute",
                f"sai kiểu: {exc}.",
                "Chỉ dùng chỉ tiêu kiểu số trong phép tính.",
            )
            continue
        if result != "number":
            col.add(
                FORM_TYPE_MISMATCH,
                f"{where}.compute",
                "công thức của chỉ tiêu tính toán cho kết quả đúng/sai, không phải số.",
                "Chuyển điều kiện này sang mục 'rules'.",
            )
        if ind.kind is Kind.INTEGER:
            refs = [by_code[c] for c in expr.codes(ind.expression)]
            if "/" in expr.render(ind.expression) or any(r.kind is not Kind.INTEGER for r in refs):
                col.add(
                    FORM_TYPE_MISMATCH,
                    f"{where}.kind",
                    "chỉ tiêu kiểu integer nhưng công thức có phép chia hoặc dùng chỉ tiêu "
                    "không nguyên.",
                    "Đổi kind thành decimal hoặc percent.",
                )
    _check_cycles(col, found, by_code)


def _known_codes(col: _FieldReader, node: expr.Node, known: Mapping[str, Any], where: str) -> bool:
    ok = True
    for code in expr.codes(node):
        if code not in known:
            ok = False
            col.add(
                FORM_UNKNOWN_CODE,
                where,
                f"mã {code!r} không có trong biểu mẫu.{_suggest(code, known)}",
                "Sửa mã cho đúng hoặc khai báo chỉ tiêu đó.",
            )
    return ok


def _check_cycles(
    col: _FieldReader, found: list[tuple[Indicator, str]], by_code: Mapping[str, Indicator]
) -> None:
    where_of = {ind.code: where for ind, where in found}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(code: str, path: list[str]) -> None:
        ind = by_code.get(code)
        if ind is None or ind.expression is None or state.get(code) == 2:
            return
        if state.get(code) == 1:
            cycle = [*path[path.index(code) :], code]
            key = frozenset(cycle)
            if key not in reported:
                reported.add(key)
                col.add(
                    FORM_CYCLE,
                    f"{where_of[code]}.compute",
                    f"vòng lặp giữa các chỉ tiêu tính toán: {' → '.join(cycle)}.",
                    "Một chỉ tiêu không được tính (trực tiếp hay gián tiếp) từ chính nó; "
                    "nhập tay một chỉ tiêu trong vòng và kiểm tra bằng 'rules'.",
                )
            return
        state[code] = 1
        for dep in expr.codes(ind.expression):
            visit(dep, [*path, code])
        state[code] = 2

    for ind, _ in found:
        visit(ind.code, [])


def _rules(
    col: _FieldReader,
    raw_form: Mapping[str, Any],
    by_code: Mapping[str, Indicator],
    figures: set[str],
) -> list[Rule]:
    rules: list[Rule] = []
    seen: set[str] = set()
    types: dict[str, expr.ExprType | None] = {
        c: ("number" if i.kind.numeric else None) for c, i in by_code.items()
    }
    for where, data in _entries(col, raw_form.get("rules"), "rules", RULE_KEYS):
        rid = col.code(data, where, "id")
        _first_use(col, seen, rid, f"{where}.id", "quy tắc", "Đặt id khác cho mỗi quy tắc.")
        text = col.text(data, "check", where)
        message = col.text(data, "message", where)
        severity = cast(Severity, col.choice(data, "severity", where, SEVERITIES, "error"))
        blank = cast(BlankPolicy, col.choice(data, "blank", where, BLANK_POLICIES, "skip"))
        node = _parse_expression(col, text, f"{where}.check") if text else None
        if node is None or not _known_codes(col, node, by_code, f"{where}.check"):
            continue
        try:
            kind = expr.infer_type(node, types)
        except expr.ExprError as exc:
            col.add(
                FORM_TYPE_MISMATCH,
                f"{where}.check",
                f"sai kiểu: {exc}.",
                "Chỉ dùng chỉ tiêu kiểu số trong quy tắc.",
            )
            continue
        if kind != "bool":
            col.add(
                FORM_TYPE_MISMATCH,
                f"{where}.check",
                "quy tắc phải là một điều kiện đúng/sai (có ==, <=, ...), không phải một số.",
                "Viết quy tắc dạng 'a <= b' hoặc 'a == b + c'.",
            )
            continue
        refs = tuple(expr.codes(node))
        anchor = data.get("anchor") or next((c for c in refs if c in figures), "")
        if anchor not in figures:
            col.add(
                FORM_UNKNOWN_CODE,
                f"{where}.anchor",
                f"quy tắc phải gắn với một chỉ tiêu số liệu, gặp {anchor!r}.",
                "Đặt 'anchor' là mã một chỉ tiêu ở mục placement: figures.",
            )
            continue
        rules.append(Rule(rid, node, severity, message, blank, str(anchor), refs))
    return rules


def _tables(col: _FieldReader, raw_form: Mapping[str, Any], taken: set[str]) -> list[Table]:
    tables: list[Table] = []
    for where, data in _entries(col, raw_form.get("tables"), "tables", TABLE_KEYS):
        code = col.code(data, where)
        _first_use(col, taken, code, f"{where}.code", "mã", "Đặt mã bảng khác với mọi mã chỉ tiêu.")
        max_rows = data.get("max_rows", 20)
        if not isinstance(max_rows, int) or isinstance(max_rows, bool) or not 1 <= max_rows <= 500:
            col.add(
                FORM_BAD_VALUE,
                f"{where}.max_rows",
                f"số dòng {max_rows!r} không hợp lệ.",
                "Đặt max_rows là số nguyên từ 1 đến 500.",
            )
            max_rows = 20
        columns: list[Column] = []
        seen: set[str] = set()
        for cw, cdata in _entries(col, data.get("columns"), f"{where}.columns", COLUMN_KEYS):
            ccode = col.code(cdata, cw)
            _first_use(col, seen, ccode, f"{cw}.code", "cột", "Đặt mã khác cho mỗi cột.")
            kind = _kind(col, cdata, cw)
            low, high, choices = _field_common(col, cdata, cw, kind)
            width = col.number(cdata, "width", cw) or 18.0
            column = Column(
                code=ccode,
                label=col.text(cdata, "label", cw),
                kind=kind,
                required=col.flag(cdata, "required", cw),
                minimum=low,
                maximum=high,
                choices=choices,
                help=col.text(cdata, "help", cw, required=False),
                width=width,
            )
            _check_text_limits(col, column, cw)
            columns.append(column)
        if not columns:
            col.add(
                FORM_MISSING_KEY,
                f"{where}.columns",
                "bảng phải có ít nhất một cột.",
                "Thêm 'columns:'.",
            )
        title = col.text(data, "title", where)
        sheet = col.text(data, "sheet", where, required=False) or title
        if len(sheet) > SHEET_TITLE_MAX or any(ch in sheet for ch in "[]:*?/\\'"):
            col.add(
                FORM_BAD_VALUE,
                f"{where}.sheet",
                f"tên trang tính {sheet!r} dài quá {SHEET_TITLE_MAX} ký tự hoặc có ký tự "
                "Excel không cho phép ([ ] : * ? / \\ ').",
                "Đặt khóa 'sheet:' là một tên ngắn, ví dụ 'Dân vận khéo'.",
            )
        tables.append(
            Table(
                code=code,
                title=title,
                sheet=sheet,
                columns=tuple(columns),
                max_rows=max_rows,
                help=col.text(data, "help", where, required=False),
            )
        )
    return tables


def parse_form(raw: Any, source: str) -> Form:
    """Check a parsed YAML document and build the :class:`Form`, or raise with all problems."""
    col = _FieldReader(source)
    data = col.mapping(raw, "(gốc)", FORM_KEYS)
    form_id = col.code(data, "(gốc)", "form")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        col.add(
            FORM_BAD_VALUE,
            "version",
            f"phiên bản {version!r} không hợp lệ.",
            "Đặt 'version:' là số nguyên dương; tăng nó mỗi khi sửa biểu mẫu.",
        )
        version = 1
    sections: list[Section] = []
    found: list[tuple[Indicator, str]] = []
    seen_codes: dict[str, str] = {}
    for sid, title, placement, inds in _indicators(col, data):
        for ind, where in inds:
            if not ind.code:  # already reported as missing
                continue
            if ind.code in seen_codes:
                col.add(
                    FORM_DUPLICATE_CODE,
                    f"{where}.code",
                    f"mã {ind.code!r} đã khai báo ở {seen_codes[ind.code]}.",
                    "Mỗi chỉ tiêu phải có một mã riêng.",
                )
            else:
                seen_codes[ind.code] = where
        found.extend(inds)
        sections.append(Section(sid, title, placement, tuple(i for i, _ in inds)))
    if not found:
        col.add(
            FORM_MISSING_KEY,
            "sections",
            "biểu mẫu chưa có chỉ tiêu nào.",
            "Thêm ít nhất một mục có 'indicators'.",
        )
    _check_expressions(col, found)
    by_code = {ind.code: ind for ind, _ in found}
    figures = {ind.code for ind, _ in found if _placement_of(sections, ind.section) == "figures"}
    rules = _rules(col, data, by_code, figures)
    tables = _tables(col, data, set(by_code))
    title = col.text(data, "title", "(gốc)")
    agency = col.text(data, "agency", "(gốc)")
    description = col.text(data, "description", "(gốc)", required=False)
    form = Form(
        id=form_id,
        version=version,
        title=title,
        agency=agency,
        description=description,
        sections=tuple(sections),
        rules=tuple(rules),
        tables=tuple(tables),
        source=source,
    )
    outline = _outline(col, data.get("outline"), form)
    if col.problems:
        raise FormDefinitionError(col.problems)
    return replace(form, outline=outline)


def _placement_of(sections: list[Section], sid: str) -> str:
    return next((s.placement for s in sections if s.id == sid), "")


if TYPE_CHECKING or not yaml.__with_libyaml__:
    from yaml import SafeLoader as _SafeLoader
else:  # the same loader on libyaml's parser (~8x faster), when PyYAML was built with it
    from yaml import CSafeLoader as _SafeLoader


class _NoKeyTwice(yaml.constructor.SafeConstructor):
    """A YAML constructor refusing a key written twice in one mapping.

    Plain ``safe_load`` keeps the last of two equal keys, so a typo that repeats
    ``compute:`` would silently drop the first formula.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"khóa {key!r} được viết hai lần trong cùng một mục",
                    key_node.start_mark,
                )  # fmt: skip
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _StrictLoader(_NoKeyTwice, _SafeLoader):
    """PyYAML's safe loader, refusing a key written twice in one mapping (:class:`_NoKeyTwice`)."""


def load_form(path: str | Path) -> Form:
    """Load and check a form definition file."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormDefinitionError(
            [
                finding(
                    FORM_FILE_MISSING,
                    "không tìm thấy tệp.",
                    file=source,
                    where="(tệp)",
                    fix="Kiểm tra lại đường dẫn tệp định nghĩa biểu mẫu (.yaml).",
                )
            ]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(
            [
                finding(
                    FORM_YAML_SYNTAX,
                    f"không đọc được tệp ({exc}).",
                    file=source,
                    where="(tệp)",
                    fix="Lưu tệp dưới dạng văn bản UTF-8.",
                )
            ]
        ) from None
    try:
        raw = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(tệp)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormDefinitionError(
            [
                finding(
                    FORM_YAML_SYNTAX,
                    f"lỗi cú pháp YAML: {problem}.",
                    file=source,
                    where=where,
                    fix="Kiểm tra thụt lề (dùng dấu cách, không dùng tab) và dấu ':' sau mỗi khóa.",
                )
            ]
        ) from None
    return parse_form(raw, source)


def shipped_forms() -> dict[str, Path]:
    """Form definitions shipped with the package, by file stem."""
    return {p.stem: p for p in sorted(xlsx_templates_dir().glob("*.yaml"))}


def get_form(name_or_path: str) -> Form:
    """A shipped form by id (``dvcq``) or a definition file by path."""
    forms = shipped_forms()
    if name_or_path in forms:
        return load_form(forms[name_or_path])
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return load_form(path)
    raise WorkbookToolsError(
        f"Không có biểu mẫu {name_or_path!r}.{_suggest(name_or_path, forms)} "
        f"Các biểu mẫu có sẵn: {', '.join(forms) or '(không có)'}; "
        "hoặc đưa đường dẫn tới tệp .yaml."
    )
