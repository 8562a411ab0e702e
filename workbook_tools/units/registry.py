"""The unit registry: who the Sở Nội vụ sends a reporting request to.

The list is kept by people in Excel or as a CSV, so it arrives with Vietnamese
headers in any spelling, stray spaces, numbers where text was meant and the odd
mistake. Loading checks the whole file and reports every problem at once, in
Vietnamese and with the row it is on, so the person who keeps the list can fix
it in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from workbook_tools import output
from workbook_tools.catalogue import (
    UNIT_BAD_CODE,
    UNIT_BAD_EMAIL,
    UNIT_BAD_SYMBOL,
    UNIT_DUPLICATE_CODE,
    UNIT_DUPLICATE_COLUMN,
    UNIT_EMPTY,
    UNIT_FORMULA_TEXT,
    UNIT_MISSING_CODE,
    UNIT_MISSING_COLUMN,
    UNIT_MISSING_GROUP,
    UNIT_MISSING_NAME,
    UNIT_PARENT_CYCLE,
    UNIT_UNKNOWN_PARENT,
    Entry,
)
from workbook_tools.errors import Collector, UnitRegistryError, WorkbookToolsError
from workbook_tools.findings import Finding, finding
from workbook_tools.text import csv_bytes, formula_like, slug

MAX_CODE_LENGTH = 40
"""Codes end up in file names and Excel names; 40 keeps both comfortable."""

_CODE_RE = re.compile(r"[A-Za-z0-9_-]+")
# A ký hiệu is letters (Vietnamese ones too: SGDĐT) and digits, parts joined by "-".
_SYMBOL_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Deliberately simple: catches typos and "two addresses in one cell", not RFC 5322.
_EMAIL_RE = re.compile(r"[^@\s,;<>()]+@[^@\s,;<>().]+(?:\.[^@\s,;<>().]+)+")

# A header is looked for among the first rows only, so that a title such as
# "DANH SÁCH ĐƠN VỊ" above it is tolerated without scanning a whole data file.
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class Unit:
    """One reporting unit (đơn vị): a sở, ban, ngành or a UBND xã, phường, đặc khu."""

    code: str
    name: str
    group: str
    parent: str | None = None
    email: str | None = None
    contact: str | None = None
    note: str | None = None
    # The frame of the unit's documents (Nghị định 30/2020); blank: a default by khối
    # (see workbook_tools.report.frame).
    above: str | None = None  # cơ quan chủ quản, e.g. "UBND tỉnh Quảng Ngãi"
    header_name: str | None = None  # the name as printed in the header, e.g. "Văn phòng"
    symbol: str | None = None  # ký hiệu, e.g. "VP" in "Số: 05/BC-VP"
    place: str | None = None  # địa danh of the date line
    signer_title: str | None = None  # the head's title, e.g. "CHÁNH VĂN PHÒNG"


@dataclass(frozen=True)
class _Column:
    field: str
    header: str
    aliases: tuple[str, ...]
    required: bool


# Order here is the column order written by write_units_csv / write_units_xlsx.
COLUMNS: tuple[_Column, ...] = (
    _Column("code", "Mã đơn vị", ("mã đơn vị", "ma_don_vi", "code", "mã", "mã đv"), True),
    _Column("name", "Tên đơn vị", ("tên đơn vị", "ten_don_vi", "name", "tên", "đơn vị"), True),
    _Column(
        "group",
        "Khối/loại",
        ("khối", "khối/loại", "loại", "khoi", "group", "loại đơn vị", "khối đơn vị"),
        True,
    ),
    _Column("parent", "Đơn vị cấp trên", ("đơn vị cấp trên", "don_vi_cap_tren", "parent"), False),
    _Column("email", "Email", ("email", "e-mail", "thư điện tử"), False),
    _Column("contact", "Người liên hệ", ("người liên hệ", "nguoi_lien_he", "contact"), False),
    _Column("note", "Ghi chú", ("ghi chú", "ghi_chu", "note"), False),
    _Column(
        "above",
        "Cơ quan chủ quản",
        ("cơ quan chủ quản", "co_quan_chu_quan", "chủ quản", "above"),
        False,
    ),
    _Column(
        "header_name",
        "Tên trên văn bản",
        ("tên trên văn bản", "ten_tren_van_ban", "tên in trên văn bản", "tên cơ quan ban hành"),
        False,
    ),
    _Column("symbol", "Ký hiệu", ("ký hiệu", "ky_hieu", "ký hiệu văn bản", "symbol"), False),
    _Column("place", "Địa danh", ("địa danh", "dia_danh", "place"), False),
    _Column(
        "signer_title",
        "Chức danh thủ trưởng",
        ("chức danh thủ trưởng", "chuc_danh_thu_truong", "chức danh người ký", "signer_title"),
        False,
    ),
)
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)


def _fold(text: str) -> str:
    """Key for matching what people type: no case, no diacritics, no spaces or punctuation.

    ``đ`` has no decomposition in Unicode, so it is mapped to ``d`` by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum() and ch.isascii())


_ALIASES: dict[str, str] = {
    _fold(alias): column.field for column in COLUMNS for alias in column.aliases
}
_BY_FIELD: dict[str, _Column] = {column.field: column for column in COLUMNS}

Rows = list[list[str | None]]
"""A unit list's cells, row by row, as the reader cleaned them (:mod:`workbook_tools.reader.units`)."""


def column_of(header: str | None) -> str | None:
    """The field a header cell names, in any spelling people use ("Mã ĐV", "ma_don_vi"), or None."""
    return _ALIASES.get(_fold(header)) if header else None


def file_problem(kind: Entry, file: str, message: str, fix: str) -> Finding:
    """A problem with a unit list as a whole (it cannot be read), not with one of its rows."""
    return finding(kind, message, file=file, where="tệp", fix=fix)


def suggest_code(text: str) -> str:
    """A code people can adopt for a name or malformed code: "Xã Bình Sơn" → XA_BINH_SON."""
    return slug(text, max_length=MAX_CODE_LENGTH).replace("-", "_").upper() or "DON_VI"


def _close_codes(query: str, entries: Sequence[tuple[str, str | None]]) -> list[str]:
    """Codes the user probably meant: by code spelling, or by the unit's name."""
    folded = _fold(query)
    if not folded:
        return []
    code_keys: dict[str, str] = {}
    name_keys: dict[str, str] = {}
    for code, name in entries:
        code_keys.setdefault(_fold(code), code)
        if name:
            name_keys.setdefault(_fold(name), code)
    found: list[str] = []
    if folded in name_keys:
        found.append(name_keys[folded])
    found += [code_keys[k] for k in difflib.get_close_matches(folded, code_keys, n=3, cutoff=0.6)]
    found += [name_keys[k] for k in difflib.get_close_matches(folded, name_keys, n=3, cutoff=0.75)]
    return list(dict.fromkeys(found))[:3]


def _format_suggestions(codes: Sequence[str], names: dict[str, str | None]) -> str:
    def one(code: str) -> str:
        name = names.get(code)
        return f'"{code}" ({name})' if name else f'"{code}"'

    return ", ".join(one(code) for code in codes)


@dataclass(frozen=True)
class UnitRegistry:
    """The checked list of units, looked up by code without regard to letter case.

    Case is ignored because codes are typed by hand on the command line and in
    Excel, and because two codes differing only in case would collide as file
    names on Windows.
    """

    units: tuple[Unit, ...]
    source: str = ""
    _index: dict[str, Unit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        units = tuple(self.units)
        index: dict[str, Unit] = {}
        for unit in units:
            key = unit.code.casefold()
            if key in index:
                raise ValueError(f"duplicate unit code {unit.code!r} in UnitRegistry")
            index[key] = unit
        object.__setattr__(self, "units", units)
        object.__setattr__(self, "_index", index)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().casefold() in self._index

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def _where(self) -> str:
        return f" ({self.source})" if self.source else ""

    def _hint(self, code: str) -> str:
        entries = [(unit.code, unit.name) for unit in self.units]
        close = _close_codes(code, entries)
        if not close:
            return ""
        names: dict[str, str | None] = {c: self._index[c.casefold()].name for c in close}
        return f"có phải ý bạn là {_format_suggestions(close, names)}?"

    def get(self, code: str) -> Unit:
        """The unit with this code; an unknown code is a user error, not a KeyError."""
        unit = self._index.get(code.strip().casefold())
        if unit is not None:
            return unit
        hint = self._hint(code)
        message = f'Không có đơn vị mã "{code}" trong danh sách đơn vị{self._where()}.'
        if hint:
            message += f" {hint[0].upper()}{hint[1:]}"
        else:
            message += ' Xem các mã trong cột "Mã đơn vị" của danh sách.'
        raise WorkbookToolsError(message)

    def select(self, codes: Sequence[str]) -> list[Unit]:
        """The units for these codes, in the order given, each once.

        Every unknown code is reported together so a long list typed by hand is
        fixed in one go.
        """
        if isinstance(codes, str):  # a lone code would otherwise be read letter by letter
            codes = [codes]
        unknown = [c for c in dict.fromkeys(codes) if c not in self]
        if unknown:
            parts = []
            for code in unknown:
                hint = self._hint(code)
                parts.append(f'"{code}" – {hint}' if hint else f'"{code}"')
            raise WorkbookToolsError(
                f"Có {len(unknown)} mã không có trong danh sách đơn vị{self._where()}:\n"
                + "".join(f"  - {part}\n" for part in parts)
                + 'Kiểm tra lại các mã theo cột "Mã đơn vị" của danh sách.'
            )
        selected: dict[str, Unit] = {}
        for code in codes:
            unit = self._index[code.strip().casefold()]
            selected.setdefault(unit.code, unit)
        return list(selected.values())

    def groups(self) -> list[str]:
        """Groups (khối/loại) in the order the list introduces them, which is the
        order the person keeping it chose for reports."""
        return list(dict.fromkeys(unit.group for unit in self.units))


# ---------------------------------------------------------------------------
# Loading


def _find_header(rows: list[list[str | None]]) -> int | None:
    """Index of the header row: the first row naming two known columns, else the
    first non-blank row (so missing columns can be reported against it)."""
    first: int | None = None
    seen = 0
    for i, row in enumerate(rows):
        if not any(row):
            continue
        if first is None:
            first = i
        known = {column_of(cell) for cell in row} - {None}
        if len(known) >= 2:
            return i
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return first


@dataclass
class _Row:
    line: int
    values: dict[str, str | None]


def _at(line: int, header: dict[str, str], name: str) -> str:
    return f'dòng {line}, cột "{header.get(name, _BY_FIELD[name].header)}"'


def _check_row(row: _Row, header: dict[str, str], out: Collector) -> bool:
    """Report what is wrong with one row; True if its code is usable for lookups."""
    code = row.values["code"]
    code_ok = False
    if code is None:
        out.add(
            UNIT_MISSING_CODE,
            _at(row.line, header, "code"),
            f"Dòng {row.line} chưa có mã đơn vị.",
            "Nhập mã gồm chữ cái không dấu, chữ số, dấu gạch dưới hoặc gạch ngang, "
            'ví dụ "XA_BINH_SON".',
        )
    elif not _CODE_RE.fullmatch(code) or len(code) > MAX_CODE_LENGTH:
        bad = dict.fromkeys(ch for ch in code if not _CODE_RE.fullmatch(ch))
        shown = ", ".join("dấu cách" if ch == " " else f'"{ch}"' for ch in bad)
        reason = (
            f"có ký tự không được dùng: {shown}"
            if bad
            else f"dài {len(code)} ký tự, quá {MAX_CODE_LENGTH} ký tự"
        )
        out.add(
            UNIT_BAD_CODE,
            _at(row.line, header, "code"),
            f'Mã đơn vị "{code}" ở dòng {row.line} {reason}.',
            f'Chỉ dùng chữ cái không dấu, chữ số, "_" hoặc "-", tối đa {MAX_CODE_LENGTH} '
            f'ký tự, ví dụ "{suggest_code(code)}".',
        )
    else:
        code_ok = True
    if row.values["name"] is None:
        out.add(
            UNIT_MISSING_NAME,
            _at(row.line, header, "name"),
            f"Dòng {row.line} chưa có tên đơn vị.",
            'Nhập tên đầy đủ của đơn vị, ví dụ "UBND xã Bình Sơn".',
        )
    if row.values["group"] is None:
        out.add(
            UNIT_MISSING_GROUP,
            _at(row.line, header, "group"),
            f"Dòng {row.line} chưa ghi khối/loại của đơn vị.",
            'Nhập khối/loại, ví dụ "Sở, ban, ngành", "UBND xã", "UBND phường" hoặc "UBND đặc khu".',
        )
    for name in ("name", "group"):
        text = row.values[name]
        if text is not None and formula_like(text):
            out.add(
                UNIT_FORMULA_TEXT,
                _at(row.line, header, name),
                f'Ô "{text}" ở dòng {row.line} bắt đầu bằng "{text[0]}": Excel sẽ hiểu là công '
                "thức, không phải chữ.",
                f'Bỏ ký tự "{text[0]}" ở đầu (tên và khối/loại chỉ gồm chữ), ví dụ "UBND xã Bình Sơn".',
            )
    email = row.values["email"]
    if email is not None and not _EMAIL_RE.fullmatch(email):
        out.add(
            UNIT_BAD_EMAIL,
            _at(row.line, header, "email"),
            f'Địa chỉ email "{email}" ở dòng {row.line} không hợp lệ.',
            "Ghi một địa chỉ dạng ten@coquan.gov.vn; nếu đơn vị có nhiều địa chỉ, "
            "chỉ ghi địa chỉ nhận báo cáo.",
        )
    symbol = row.values["symbol"]
    if symbol is not None and not _SYMBOL_RE.fullmatch(symbol):
        out.add(
            UNIT_BAD_SYMBOL,
            _at(row.line, header, "symbol"),
            f'Ký hiệu "{symbol}" ở dòng {row.line} không dùng được trong số văn bản '
            "(có dấu cách, dấu “/” hoặc ký tự khác chữ, số và “-”).",
            'Ghi chữ viết tắt tên cơ quan ban hành, ví dụ "VP", "UBND", "SNV", "SGDĐT"; '
            "để trống để dùng ký hiệu mặc định theo khối.",
        )
    return code_ok


def _check_parents(
    rows: list[_Row], known: dict[str, _Row], header: dict[str, str], out: Collector
) -> dict[str, str]:
    """Resolve parent codes to their spelling in the list and report unknown ones.

    Returns child code → parent code for the parents that exist.
    """
    entries = [(r.values["code"] or "", r.values["name"]) for r in known.values()]
    names = dict(entries)
    suggestions: dict[str, list[str]] = {}  # the same wrong parent is often repeated
    parents: dict[str, str] = {}
    for row in rows:
        parent = row.values["parent"]
        code = row.values["code"]
        if parent is None:
            continue
        target = known.get(parent.casefold())
        if target is not None:
            if code is not None and known.get(code.casefold()) is row:
                parents[code] = target.values["code"] or parent
            continue
        if parent not in suggestions:
            suggestions[parent] = _close_codes(parent, entries)
        close = suggestions[parent]
        message = f'Đơn vị cấp trên "{parent}" ở dòng {row.line} không có trong danh sách.'
        if close:
            message += f" Có phải ý bạn là {_format_suggestions(close, names)}?"
        out.add(
            UNIT_UNKNOWN_PARENT,
            _at(row.line, header, "parent"),
            message,
            'Ghi mã (không phải tên) của một đơn vị có trong cột "Mã đơn vị", '
            "hoặc để trống nếu đơn vị không có cấp trên trong danh sách.",
        )
    return parents


def _check_cycles(
    parents: dict[str, str], known: dict[str, _Row], header: dict[str, str], out: Collector
) -> None:
    """Report each loop in the parent chain once, against its first row in the file."""
    done: set[str] = set()
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        code: str | None = start
        while code is not None and code not in done and code not in on_path:
            path.append(code)
            on_path.add(code)
            code = parents.get(code)
        if code is not None and code in on_path:
            cycle = path[path.index(code) :]
            first = min(cycle, key=lambda c: known[c.casefold()].line)
            ordered = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
            chain = " → ".join([*ordered, first])
            line = known[first.casefold()].line
            lines = ", ".join(str(known[c.casefold()].line) for c in ordered)
            if len(ordered) == 1:
                message = f'Đơn vị "{first}" ở dòng {line} ghi chính nó là đơn vị cấp trên.'
            else:
                message = (
                    f'Đơn vị "{first}" ở dòng {line} là cấp trên của chính nó qua chuỗi '
                    f"{chain} (các dòng {lines})."
                )
            out.add(
                UNIT_PARENT_CYCLE,
                _at(line, header, "parent"),
                message,
                'Sửa cột "Đơn vị cấp trên" của một trong các dòng trên để chuỗi cấp trên '
                "không quay vòng.",
            )
        done.update(path)


def _parse(cells: Rows, out: Collector) -> list[Unit]:
    header_index = _find_header(cells)
    if header_index is None:
        out.add(
            UNIT_EMPTY,
            "tệp",
            "Tệp trống: không có dòng tiêu đề và không có đơn vị nào.",
            "Dòng đầu ghi tiêu đề các cột (" + ", ".join(HEADERS) + "), mỗi dòng sau là một "
            "đơn vị.",
        )
        return []
    header_line = header_index + 1
    columns: dict[str, int] = {}
    header: dict[str, str] = {}
    for i, text in enumerate(cells[header_index]):
        name = column_of(text)
        if name is None:
            continue
        if name in columns:
            out.add(
                UNIT_DUPLICATE_COLUMN,
                f'dòng {header_line}, cột "{text}"',
                f'Cột "{text}" lặp lại cột "{header[name]}" (cùng là '
                f'"{_BY_FIELD[name].header}"); chỉ cột đầu tiên được đọc.',
                "Xóa hoặc đổi tên một trong hai cột.",
            )
            continue
        columns[name] = i
        header[name] = text or ""
    found = [text for text in cells[header_index] if text]
    missing = [c for c in COLUMNS if c.required and c.field not in columns]
    for column in missing:
        listed = ", ".join(f'"{text}"' for text in found) or "(không có)"
        out.add(
            UNIT_MISSING_COLUMN,
            f"dòng {header_line}",
            f'Không tìm thấy cột bắt buộc "{column.header}" ở dòng tiêu đề (dòng '
            f"{header_line}). Các cột đã có: {listed}.",
            f'Thêm cột có tiêu đề "{column.header}" (hoặc '
            + ", ".join(f'"{alias}"' for alias in column.aliases[1:3])
            + ").",
        )
    if missing:
        return []

    rows: list[_Row] = []
    for i in range(header_index + 1, len(cells)):
        line_cells = cells[i]
        values: dict[str, str | None] = dict.fromkeys(_BY_FIELD)
        for name, index in columns.items():
            if index < len(line_cells):
                values[name] = line_cells[index]
        if any(v is not None for v in values.values()):
            rows.append(_Row(i + 1, values))
    if not rows:
        out.add(
            UNIT_EMPTY,
            f"dòng {header_line}",
            f"Danh sách chưa có đơn vị nào: bên dưới dòng tiêu đề (dòng {header_line}) "
            "không có dữ liệu.",
            "Nhập mỗi đơn vị trên một dòng, bên dưới dòng tiêu đề.",
        )
        return []

    known: dict[str, _Row] = {}
    for row in rows:
        if not _check_row(row, header, out):
            continue
        code = row.values["code"] or ""
        first = known.get(code.casefold())
        if first is not None:
            other = first.values["code"]
            out.add(
                UNIT_DUPLICATE_CODE,
                _at(row.line, header, "code"),
                f'Mã đơn vị "{code}" ở dòng {row.line} trùng với mã "{other}" ở dòng '
                f"{first.line} (không phân biệt chữ hoa, chữ thường).",
                "Mỗi đơn vị phải có một mã riêng: sửa mã hoặc xóa dòng lặp lại.",
            )
            continue
        known[code.casefold()] = row

    parents = _check_parents(rows, known, header, out)
    _check_cycles(parents, known, header, out)

    units = []
    for row in known.values():
        v = row.values
        parent = v["parent"]
        if parent is not None and parent.casefold() in known:
            parent = known[parent.casefold()].values["code"]
        units.append(
            Unit(
                code=v["code"] or "",
                name=v["name"] or "",
                group=v["group"] or "",
                parent=parent,
                email=v["email"],
                contact=v["contact"],
                note=v["note"],
                above=v["above"],
                header_name=v["header_name"],
                symbol=v["symbol"],
                place=v["place"],
                signer_title=v["signer_title"],
            )
        )
    return units


def units_from_rows(
    rows: Rows | None, source: str, problems: Sequence[Finding] = ()
) -> UnitRegistry:
    """The checked list from a file's cleaned rows; every problem is reported at once.

    ``rows``: None when the file could not be read, ``problems`` then saying why.
    Reading the file is the reader's (:func:`workbook_tools.reader.units.load_units`).
    """
    out = Collector(source)
    out.problems.extend(problems)
    units = _parse(rows, out) if rows is not None else []
    if out.problems:
        raise UnitRegistryError(out.in_file_order())
    return UnitRegistry(tuple(units), source)


# ---------------------------------------------------------------------------
# Writing


def _row(unit: Unit) -> list[str]:
    return [str(getattr(unit, column.field) or "") for column in COLUMNS]


def write_units_csv(units: Iterable[Unit], path: str | Path) -> None:
    """Write the list as CSV with a BOM, because Excel on Windows reads a BOM-less
    UTF-8 file in the legacy code page and garbles every Vietnamese letter.

    Text that a spreadsheet would take for a formula is neutralised (:func:`csv_cell`)."""
    output.write_bytes(path, csv_bytes(HEADERS, (_row(unit) for unit in units)))


_WIDTHS = (22, 50, 18, 18, 30, 26, 18, 24, 24, 10, 16, 22)


def write_units_xlsx(units: Iterable[Unit], path: str | Path) -> None:
    """Write the list as an .xlsx people can edit and send back.

    Cells are text-formatted so that Excel keeps a code such as "001" as typed.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
    head = workbook.add_format(
        {**base, "bold": True, "text_wrap": True, "border": 1, "bg_color": "#D9E1F2"}
    )
    text = workbook.add_format({**base, "num_format": "@", "text_wrap": True})
    sheet = workbook.add_worksheet("Đơn vị")
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width, text)
    sheet.write_row(0, 0, HEADERS, head)
    last = 0
    for last, unit in enumerate(units, start=1):
        for col, value in enumerate(_row(unit)):
            if value:
                sheet.write_string(last, col, value, text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last, 1), len(HEADERS) - 1)
    workbook.close()
    output.write_bytes(path, buffer.getvalue())
