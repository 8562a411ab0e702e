"""The CSV lists the tool writes beside its output (``danh-sach-gui.csv``), read back.

The tool wrote them, but they lie on a user's disk, where a person may open and
save them in Excel or edit them by hand: so they are read like every file that
comes back. Never a pipe or a device (:func:`~workbook_tools.reader.files.read_regular`);
decoded and split as a unit list is (:mod:`~workbook_tools.reader.csvfile`: UTF-8 with
or without a BOM or Excel's UTF-16, the separator told by the header); columns found
by their heading, wherever they moved; every cell cleaned by the reader's one rule
(:func:`~workbook_tools.reader.clean.clean_line`), after the apostrophe that kept a
formula-like text from being evaluated is taken off (:func:`~workbook_tools.text.csv_text`).

A list that cannot be used raises :class:`SendingListError`: its one problem from the
catalogue (``sending-list-*``: not text in UTF-8, empty, a required column missing, the
same unit on two lines) with the file, the line and how to fix it. What the rows mean
is the caller's business.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from workbook_tools.catalogue import (
    SENDING_LIST_DUPLICATE_UNIT,
    SENDING_LIST_EMPTY,
    SENDING_LIST_FORMAT,
    SENDING_LIST_MISSING_COLUMN,
    Entry,
)
from workbook_tools.contract.manifest import (
    CODE_COLUMN,
    FILE_COLUMN,
    LINK_HEADER,
    MANIFEST_HEADER,
    Row,
)
from workbook_tools.errors import ProblemsError
from workbook_tools.findings import finding
from workbook_tools.reader.clean import clean_line
from workbook_tools.reader.csvfile import best_delimiter, decode_csv, line_of
from workbook_tools.reader.files import read_regular
from workbook_tools.text import csv_text

MAX_LIST_BYTES = 20 * 1024 * 1024
"""A list of every commune in the country is a few megabytes."""


class SendingListError(ProblemsError):
    """A list that cannot be used: its one problem, with the file and the line."""

    heading = "Danh sách gửi không dùng được, chưa ghi tệp nào"


def _refuse(path: Path, line: int | None, kind: Entry, message: str, fix: str = "") -> NoReturn:
    where = f"dòng {line}" if line is not None else ""
    raise SendingListError([finding(kind, message, file=str(path), where=where, fix=fix)])


@dataclass(frozen=True)
class ListedRow:
    """A row of a list: its line in the file (from 1) and its cells by column heading
    (a column the file does not have reads as "")."""

    line: int
    cells: Mapping[str, str]


def read_manifest(path: Path) -> list[Row]:
    """The rows of the list of who gets which workbook at ``path`` (none when there is no
    list yet), in :data:`MANIFEST_HEADER` order; a unit code and a file name each."""
    listed = read_list(path, MANIFEST_HEADER, (CODE_COLUMN, FILE_COLUMN))
    return [tuple(row.cells[name] for name in MANIFEST_HEADER) for row in listed or []]


def read_links(path: Path) -> dict[str, str]:
    """Unit code (case-folded) → the upload link the list at ``path`` gives it ("" for
    none; nothing when there is no list yet or it has no link column)."""
    listed = read_list(path, (CODE_COLUMN, LINK_HEADER), (CODE_COLUMN,))
    return {row.cells[CODE_COLUMN].casefold(): row.cells[LINK_HEADER] for row in listed or []}


def read_list(
    path: Path, columns: Sequence[str], required: Sequence[str]
) -> list[ListedRow] | None:
    """The rows of the list at ``path`` (None when there is none yet), by ``columns``.

    The first of ``required`` is the key: one row per unit code (compared without case).
    A blank line, or a row without a key, is left out.
    """
    try:
        data, _ = read_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        why = f"Không đọc được danh sách gửi ({exc.strerror or exc})."
        _refuse(path, None, SENDING_LIST_FORMAT, why,
                "Đóng tệp nếu đang mở, hoặc chuyển nó sang chỗ khác rồi chạy lại.")  # fmt: skip
    if len(data) > MAX_LIST_BYTES:
        _refuse(path, None, SENDING_LIST_FORMAT, "Danh sách gửi lớn bất thường.")
    try:
        text = decode_csv(data)
    except UnicodeDecodeError as exc:
        _refuse(path, line_of(data, exc.start), SENDING_LIST_FORMAT,
                "Danh sách gửi không phải văn bản UTF-8 (thường do lưu bằng "
                '"CSV (Comma delimited)" của Excel), nên chữ tiếng Việt không đọc được.')  # fmt: skip
    if not text.strip():
        _refuse(path, 1, SENDING_LIST_EMPTY, "Danh sách gửi trống, không có cả dòng tiêu đề.")
    return _rows(path, text, columns, required)


def _rows(
    path: Path, text: str, columns: Sequence[str], required: Sequence[str]
) -> list[ListedRow]:
    def known(row: list[str]) -> int:
        return len(_at(row, columns))

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best_delimiter(text, known, 1))
    try:
        at = _at(next(reader), columns)
        missing = [name for name in required if name not in at]
        if missing:
            names = ", ".join(f"“{name}”" for name in missing)
            _refuse(path, 1, SENDING_LIST_MISSING_COLUMN, f"Dòng tiêu đề thiếu cột {names}.")
        rows: list[ListedRow] = []
        seen: dict[str, int] = {}  # a unit code (case-folded) → its line
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            cells = {name: _cell(row, at.get(name)) for name in columns}
            key = cells[required[0]]
            if not key:
                continue
            if key.casefold() in seen:
                _refuse(path, start, SENDING_LIST_DUPLICATE_UNIT,
                        f"{required[0]} “{key}” đã có ở dòng {seen[key.casefold()]}.")  # fmt: skip
            seen[key.casefold()] = start
            rows.append(ListedRow(start, cells))
    except csv.Error as exc:
        _refuse(path, reader.line_num, SENDING_LIST_FORMAT,
                f"Danh sách gửi bị lỗi cấu trúc CSV ({exc}).")  # fmt: skip
    return rows


def _at(header: list[str], columns: Sequence[str]) -> dict[str, int]:
    """Where each of ``columns`` is in ``header`` (headings compared cleaned, without case)."""
    wanted = {name.casefold(): name for name in columns}
    at: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = wanted.get((clean_line(csv_text(cell)) or "").casefold())
        if name is not None and name not in at:
            at[name] = index
    return at


def _cell(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return clean_line(csv_text(row[index])) or ""
