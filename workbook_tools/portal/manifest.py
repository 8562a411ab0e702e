"""``danh-sach-gui.csv`` with each unit's upload link.

``generate`` writes the list of who gets which file; once the portal is set up
for the period a column "Đường dẫn nộp" gives each unit its link. A token exists
in clear only when it is issued, so a link issued earlier is kept from the
list being rewritten as long as it is still active, and otherwise the column
says to renew it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from workbook_tools import output
from workbook_tools.portal.links import LINK_PATH
from workbook_tools.text import csv_cell, csv_text
from workbook_tools.units import Unit
from workbook_tools.writer.manifest import MANIFEST_HEADER, MANIFEST_NAME

LINK_HEADER = "Đường dẫn nộp"
NOT_SHOWN = "(đã cấp trước đây, không hiện lại được: cấp lại nếu đơn vị không còn giữ)"
REVOKED = "(đã thu hồi: cấp lại khi cần)"


def read_links(path: Path) -> dict[str, str]:
    """Unit code (case-folded) → the link written in an existing list, if it has the column."""
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or LINK_HEADER not in rows[0]:
        return {}
    at = rows[0].index(LINK_HEADER)
    return {csv_text(r[0]).casefold(): r[at] for r in rows[1:] if len(r) > at and r[0]}


def token_of(url: str) -> str | None:
    at = url.find(LINK_PATH)
    return url[at + len(LINK_PATH) :] if at >= 0 else None


def manifest_text(
    units: Iterable[Unit],
    files: Mapping[str, str],
    issued: Mapping[str, str],
    earlier: Mapping[str, str],
    still_active: Callable[[str], bool],
    active_codes: set[str],
) -> str:
    """The list as CSV text (UTF-8 with BOM when written, for Excel).

    ``files``: unit code (case-folded) → workbook file name; ``issued``: code → link
    issued now; ``earlier``: code → link from the list before; ``active_hashes``: the
    whether an earlier link's token is still active (only then is it kept);
    ``active_codes``: the units (case-folded codes) with an active link.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((*MANIFEST_HEADER, LINK_HEADER))
    for u in units:
        key = u.code.casefold()
        link = issued.get(key)
        if link is None:
            old = earlier.get(key, "")
            token = token_of(old)
            if token and still_active(token):
                link = old
            else:
                link = NOT_SHOWN if key in active_codes else REVOKED
        row = (u.code, u.name, u.group, u.email or "", u.contact or "", files.get(key, ""), link)
        writer.writerow([csv_cell(cell) for cell in row])  # unit-list text never a formula
    return out.getvalue()


def write_manifest(folder: Path, text: str) -> Path:
    return output.write_bytes(folder / MANIFEST_NAME, text.encode("utf-8-sig"))
