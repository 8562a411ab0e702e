"""Read a returned workbook (.xlsx/.xlsm, .ods, .xls) into plain cleaned values.

The reader identifies the file from its hidden metadata sheet and reads every
mapped cell through the code map; it never guesses positions and never trusts a
cached formula value (the checks recompute). It returns findings instead of
raising: one bad file must not stop a batch.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from workbook_tools.catalogue import FILE_UNREADABLE, META_DAMAGED, NOT_OUR_WORKBOOK
from workbook_tools.contract.compiled import MapIndex, map_index, rowcol
from workbook_tools.contract.layout import SHEET_MAP as MAP_SHEET
from workbook_tools.contract.layout import SHEET_META as META_SHEET
from workbook_tools.contract.meta import MARKER, CodeMapEntry, MapRowError, expand_code_map
from workbook_tools.findings import Finding, finding
from workbook_tools.reader.clean import clean_value
from workbook_tools.reader.files import os_message, read_regular
from workbook_tools.reader.formulas import formula_cells
from workbook_tools.reader.safety import FileKind, Limits, inspect_file

REQUIRED_META = ("form_id", "form_version", "fingerprint", "unit_code", "period")
MAX_META_KEYS = 200


@dataclass
class RawWorkbook:
    """A received file's identity and its mapped cells, cleaned but not yet typed."""

    path: Path
    sha256: str
    size: int
    kind: FileKind
    sheet_names: list[str]
    meta: dict[str, str]
    code_map: list[CodeMapEntry]
    cells: dict[str, Grid] = field(default_factory=dict)  # the mapped sheets
    formulas: set[tuple[str, str]] = field(default_factory=set)

    def raw(self, sheet: str, row: int, col: int) -> Any:
        """The value as stored (None when empty), by 0-based row and column."""
        grid = self.cells.get(sheet)
        return None if grid is None else grid.get(row, col)

    def value(self, sheet: str, cell: str) -> Any:
        """The cleaned value at ``sheet!cell``; None for blank or outside the sheet."""
        grid = self.cells.get(sheet)
        value = None if grid is None else grid.get(*rowcol(cell))
        return None if value is None else clean_value(value)

    def row_empty(self, sheet: str, row: int, first: int, last: int) -> bool:
        """Whether columns ``first``..``last`` of ``row`` hold nothing at all (as stored)."""
        grid = self.cells.get(sheet)
        if grid is None or row >= len(grid.rows):
            return True
        cells = grid.rows[row][first : last + 1]
        return cells.count("") + cells.count(None) == len(cells)  # each is "" or None

    @property
    def index(self) -> MapIndex:
        return map_index(self.code_map)


@dataclass(frozen=True)
class ReadResult:
    workbook: RawWorkbook | None
    findings: tuple[Finding, ...]
    sha256: str
    size: int


class Grid:
    """One sheet's values as stored, from A1, by 0-based row and column."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows

    def get(self, row: int, col: int) -> Any:
        """The value at (row, col); None when empty or outside the sheet."""
        if row < len(self.rows):
            cells = self.rows[row]
            if col < len(cells):
                value = cells[col]
                return None if value == "" else value
        return None

    @property
    def height(self) -> int:
        return len(self.rows)


Loader = Callable[[str], Grid]


def _load(data: bytes, limits: Limits) -> tuple[list[str], Loader]:
    """Sheet names, and a loader of one sheet's values (python-calamine: xlsx, ods, xls)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))

    def load(sheet: str) -> Grid:
        sheet_data = book.get_sheet_by_name(sheet)
        return Grid(sheet_data.to_python(skip_empty_area=False, nrows=limits.max_rows))

    return list(book.sheet_names), load


def read_file(
    path: str | Path,
    limits: Limits | None = None,
    known: Mapping[str, list[CodeMapEntry]] | None = None,
    data: bytes | None = None,
) -> ReadResult:
    """Read one received file; never raises for bad content.

    ``known``: code maps by form fingerprint (see :func:`parse_meta`). ``data``: the
    file's bytes when the caller has read them already. The file is read once and
    everything (hash, safety, values) comes from those bytes, so a file saved over
    while it is being read cannot mix two versions.
    """
    path = Path(path)
    limits = limits or Limits()
    if data is None:
        try:
            data, _ = read_regular(path)
        except OSError as exc:
            return unreadable(path, exc)
    digest = hashlib.sha256(data).hexdigest()
    inspection = inspect_file(path, data, limits)
    if inspection.kind is None:
        return ReadResult(None, inspection.findings, digest, len(data))
    try:
        sheet_names, load = _load(data, limits)
        if META_SHEET not in sheet_names:
            return ReadResult(None, (*inspection.findings, _not_ours(path)), digest, len(data))
        meta, code_map, problem = parse_meta(
            load(META_SHEET),
            known,
            lambda: load(MAP_SHEET) if MAP_SHEET in sheet_names else Grid([]),
        )
        if problem is not None:
            return ReadResult(None, (*inspection.findings, problem), digest, len(data))
        cells = {
            sheet: load(sheet)
            for sheet in map_index(code_map).sheets  # built once per code map
            if sheet in sheet_names
        }
        formulas = formula_cells(inspection.kind, inspection.parts, set(cells))
    except Exception as exc:  # calamine and zip raise many kinds; any of them means unreadable
        return ReadResult(
            None,
            (
                *inspection.findings,
                finding(
                    FILE_UNREADABLE,
                    f"Không đọc được nội dung tệp ({type(exc).__name__}: {exc}). Hãy mở tệp, "
                    "lưu lại dạng .xlsx rồi gửi lại.",
                ),
            ),
            digest,
            len(data),
        )
    raw = RawWorkbook(
        path, digest, len(data), inspection.kind, sheet_names, meta, code_map, cells, formulas
    )
    return ReadResult(raw, inspection.findings, digest, len(data))


def workbook_owner(path: Path) -> str | None:
    """The unit code in the ``_meta`` sheet of one of our workbooks at ``path``, or None.

    A file found where a workbook is about to be written may be anything, so it is
    read like any received file, safety checks first.
    """
    found = read_file(path).workbook
    return (found.meta.get("unit_code") or None) if found is not None else None


def unreadable(path: Path, exc: OSError) -> ReadResult:
    """What reading gives for a file the system would not let us read."""
    return ReadResult(None, (finding(FILE_UNREADABLE, os_message(exc, path)),), "", 0)


def _not_ours(path: Path) -> Finding:
    return finding(
        NOT_OUR_WORKBOOK,
        f"Tệp {path.name} là bảng tính nhưng không phải biểu mẫu do Sở phát hành (không có "
        "trang thông tin ẩn của biểu mẫu). Hãy nhập số liệu vào đúng tệp biểu mẫu đã nhận, "
        "không tạo tệp mới hay sao chép sang tệp khác.",
    )


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


@lru_cache(maxsize=8)
def _code_map(rows: tuple[tuple[str, ...], ...]) -> list[CodeMapEntry]:
    """The code map rows as entries, range rows expanded; cached, as every file of one
    form version has the same. Raises :class:`MapRowError` for a damaged range row."""
    return expand_code_map(rows)


def _map_rows(grid: Grid, first: int) -> tuple[tuple[str, ...], ...]:
    """Rows ``first``… of a code map (8 columns each, as text)."""
    return tuple(tuple(_text(grid.get(r, c)) for c in range(8)) for r in range(first, grid.height))


def parse_meta(
    grid: Grid,
    known: Mapping[str, list[CodeMapEntry]] | None = None,
    load_map: Callable[[], Grid] | None = None,
) -> tuple[dict[str, str], list[CodeMapEntry], Finding | None]:
    """The metadata pairs and the code map, or a finding saying the sheet is damaged.

    ``grid``: the ``_meta`` sheet; ``load_map`` loads the ``_map`` sheet (empty
    when there is none). ``known`` maps a form fingerprint to its code map: a
    file carrying that fingerprint was made from that very definition, so its
    code map is that one and the few hundred rows of the map are not read again
    for every file. Format 1 workbooks keep the map in ``_meta`` below a
    ``code_map`` row. A range row that is not one (format 3,
    :func:`~workbook_tools.contract.meta.expand_code_map`) is damage, named by its row.
    """

    def text(row: int, col: int) -> str:
        return _text(grid.get(row, col))

    if text(0, 0) != MARKER:
        return (
            {},
            [],
            finding(
                NOT_OUR_WORKBOOK,
                "Trang thông tin ẩn không phải của biểu mẫu do Sở phát hành. Hãy dùng đúng tệp biểu mẫu đã nhận.",
                sheet=META_SHEET,
            ),
        )
    meta: dict[str, str] = {}
    index = 1
    while index < min(grid.height, MAX_META_KEYS) and text(index, 0) != "code_map":
        key = text(index, 0)
        if key:
            meta[key] = text(index, 1)
        index += 1
    fingerprint = meta.get("fingerprint", "")
    if known is not None and fingerprint in known:
        code_map = known[fingerprint]
    else:
        if text(index, 0) == "code_map":  # format 1
            source, first, map_grid = META_SHEET, index + 2, grid
        else:
            source, first = MAP_SHEET, 1
            map_grid = load_map() if load_map is not None else Grid([])
        try:
            code_map = _code_map(_map_rows(map_grid, first))
        except MapRowError as exc:
            row = first + exc.index + 1
            return (
                meta,
                [],
                _damaged(f"bảng vị trí các chỉ tiêu, dòng {row}: {exc.reason}", source, f"C{row}"),
            )
    missing = [k for k in REQUIRED_META if not meta.get(k)]
    if missing or not code_map:
        what = ", ".join(missing) if missing else "bảng vị trí các chỉ tiêu"
        return meta, code_map, _damaged(f"thiếu {what}", META_SHEET)
    return meta, code_map, None


def _damaged(what: str, sheet: str, cell: str = "") -> Finding:
    return finding(
        META_DAMAGED,
        f"Trang thông tin ẩn của biểu mẫu bị hỏng ({what}). Hãy tải lại biểu mẫu gốc Sở đã "
        "gửi, nhập lại số liệu và gửi lại.",
        sheet=sheet,
        cell=cell,
    )
