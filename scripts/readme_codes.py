"""Refresh the catalogue of problem codes listed in README.md from the catalogue itself.

Run ``.venv/bin/python scripts/readme_codes.py`` after changing ``workbook_tools/catalogue.py``;
``tests/test_catalogue.py`` fails while the README's block differs from what this writes.
The block sits between the two marker comments :data:`BEGIN` and :data:`END`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from workbook_tools.catalogue import markdown

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = "<!-- codes:begin — tạo bằng workbook-tools codes --markdown, không sửa tay -->"
END = "<!-- codes:end -->"


def with_codes(text: str) -> str:
    """``text`` (the README) with the block between the markers replaced by the catalogue."""
    head, found, rest = text.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not found or not found_end:
        raise SystemExit(f"README.md has no block between {BEGIN!r} and {END!r}")
    return f"{head}{BEGIN}\n\n{markdown()}\n\n{END}{tail}"


if __name__ == "__main__":
    README.write_text(with_codes(README.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"{README}: catalogue block refreshed\n")
