"""The list of who gets which workbook (``danh-sach-gui.csv``), kept whole across runs.

``generate --unit X`` into a folder that already holds a full run must not cut
the list to one row nor write over another unit's workbook: the list is merged
(rows of the units generated now replaced, the others kept), and a file already
in the folder is only replaced when it is the same unit's (by the list, or by the
unit code in the workbook's hidden ``_meta`` sheet).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from workbook_tools.contract.manifest import MANIFEST_HEADER, Row
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.text import csv_bytes
from workbook_tools.units import Unit


def unread_list(path: Path) -> list[Row]:
    """No rows when there is no list at ``path``; a list there cannot be merged unread (the
    writer parses no file a person may have edited: the caller passes the reader's)."""
    if path.exists():
        raise WorkbookToolsError(
            f"Thư mục {path.parent} đã có danh sách gửi {path.name}; chưa ghi tệp nào. "
            "Hãy tạo vào thư mục khác (--out)."
        )
    return []


def manifest_row(unit: Unit, file_name: str) -> Row:
    return (unit.code, unit.name, unit.group, unit.email or "", unit.contact or "", file_name)


def merged(old: Sequence[Row], new: Iterable[Row]) -> list[Row]:
    """``old`` with each unit's row replaced by its ``new`` one (in place), new units appended."""
    rows = list(old)
    at = {row[0].casefold(): i for i, row in enumerate(rows)}
    for row in new:
        i = at.get(row[0].casefold())
        if i is None:
            at[row[0].casefold()] = len(rows)
            rows.append(row)
        else:
            rows[i] = row
    return rows


def manifest_bytes(rows: Iterable[Row]) -> bytes:
    return csv_bytes(MANIFEST_HEADER, rows)


def refuse_overwrites(
    targets: Iterable[tuple[Unit, Path]],
    listed: Sequence[Row],
    owner: Callable[[Path], str | None],
) -> None:
    """Raise, before anything is written, if a target file belongs to another unit.

    A file the list does not name is asked its ``owner`` (the unit code its
    ``_meta`` carries, read by the reader; None: unknown, never overwritten).
    """
    owner_of = {row[5].casefold(): row[0] for row in listed if row[5]}
    clashes = []
    for unit, path in targets:
        if not path.exists():
            continue
        found = owner_of.get(path.name.casefold()) or owner(path)
        if found is None or found.casefold() != unit.code.casefold():
            whose = f"của đơn vị {found}" if found else "không rõ của đơn vị nào"
            clashes.append(f"  - {path.name} ({whose}; lần này cần cho {unit.code})")
    if clashes:
        raise WorkbookToolsError(
            f"Thư mục {path.parent} đã có tệp trùng tên nhưng không phải của đơn vị đang tạo; "
            "không ghi đè, chưa tạo tệp nào:\n"
            + "\n".join(clashes)
            + "\nHãy tạo vào thư mục khác (--out), hoặc chuyển các tệp đó đi nếu chắc chắn "
            "không còn cần."
        )
