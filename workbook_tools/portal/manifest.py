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
from workbook_tools.contract.manifest import LINK_HEADER, MANIFEST_HEADER, MANIFEST_NAME
from workbook_tools.portal.links import LINK_PATH
from workbook_tools.text import csv_cell
from workbook_tools.units import Unit

NOT_SHOWN = "(đã cấp trước đây, không hiện lại được: cấp lại nếu đơn vị không còn giữ)"
REVOKED = "(đã thu hồi: cấp lại khi cần)"


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
