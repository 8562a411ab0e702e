"""``danh-sach-gui.csv`` read back through the reader: a list a person has edited.

Each bad kind is a catalogue code with the file and the line (asserted on those,
not on wording), through the library and through ``generate`` and ``portal links``
(click's runner): a Vietnamese message, no traceback, nothing written.
"""

from __future__ import annotations

import string
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from portal_support import UNITS_CSV

from workbook_tools.cli import cli
from workbook_tools.contract.manifest import MANIFEST_HEADER, MANIFEST_NAME
from workbook_tools.reader.manifest import SendingListError, read_links, read_manifest
from workbook_tools.writer.manifest import manifest_bytes

HEADER = ",".join(MANIFEST_HEADER)


def nfd(text: str) -> str:
    """As Excel's "CSV (Comma delimited)" writes Vietnamese in Windows-1258: tones apart."""
    return unicodedata.normalize("NFD", text)


ROW_AN = "XA_AN,UBND xã An,Xã,an@x.vn,Chị Lan,ubnd-xa-an_2025-h1.xlsx"
ROW_BINH = "XA_BINH,UBND xã Bình,Xã,,,ubnd-xa-binh_2025-h1.xlsx"

BAD_LISTS: dict[str, tuple[bytes, str, int]] = {
    # kind: (file content, code, line); lines counted by hand, the header is line 1
    "not UTF-8": (
        f"{HEADER}\n{ROW_AN}\n".encode()
        + nfd("XA_BINH,UBND xã Bình,Xã,,,b.xlsx\n").encode("cp1258"),
        "sending-list-format",
        3,
    ),
    "missing column": (
        "Mã đơn vị,Tên đơn vị,Khối, loại\nXA_AN,UBND xã An,Xã\n".encode(),
        "sending-list-missing-column",
        1,
    ),
    "duplicate unit": (
        f"{HEADER}\n{ROW_AN}\n{ROW_BINH}\n\nxa_an,UBND xã An (2),Xã,,,khac.xlsx\n".encode(),
        "sending-list-duplicate-unit",
        5,
    ),
    "empty file": (b"", "sending-list-empty", 1),
}


def write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / MANIFEST_NAME
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("kind", BAD_LISTS)
def test_a_bad_list_names_the_file_and_line(tmp_path: Path, kind: str) -> None:
    content, code, line = BAD_LISTS[kind]
    path = write(tmp_path, content)
    for read in (read_manifest, read_links):
        if read is read_links and code == "sending-list-missing-column":
            continue  # the link list needs the unit codes only
        with pytest.raises(SendingListError) as caught:
            read(path)
        [problem] = caught.value.problems
        assert (problem.code, problem.where, problem.file) == (code, f"dòng {line}", str(path))


def test_the_list_excel_saved_with_semicolons_and_moved_columns_reads_the_same(
    tmp_path: Path,
) -> None:
    """Excel in a Vietnamese locale saves with ";"; a person may move a column."""
    text = (
        "\ufeffTệp;Mã đơn vị;Tên đơn vị;Khối, loại;Email;Người liên hệ\n"
        "ubnd-xa-an_2025-h1.xlsx;XA_AN; UBND xã  An ;Xã;an@x.vn;Chị Lan\n"
    )
    path = write(tmp_path, text.encode())
    assert read_manifest(path) == [
        ("XA_AN", "UBND xã An", "Xã", "an@x.vn", "Chị Lan", "ubnd-xa-an_2025-h1.xlsx")
    ]


def test_no_list_yet_is_no_rows(tmp_path: Path) -> None:
    assert read_manifest(tmp_path / MANIFEST_NAME) == []
    assert read_links(tmp_path / MANIFEST_NAME) == {}


_TEXT = st.text(string.ascii_letters + string.digits + "ĐđƯươ=+-@,;\"' ", max_size=12).map(
    lambda text: " ".join(text.split())  # as the reader cleans a one-line cell
)
_ROWS = st.lists(
    st.tuples(st.from_regex(r"[A-Z][A-Z0-9_]{0,8}", fullmatch=True), *[_TEXT] * 5),
    max_size=8,
    unique_by=lambda row: row[0].casefold(),
)


@settings(max_examples=60, deadline=None)
@given(_ROWS)
def test_the_list_written_reads_back_the_same(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]]
) -> None:
    path = tmp_path_factory.mktemp("list") / MANIFEST_NAME
    path.write_bytes(manifest_bytes(rows))
    assert read_manifest(path) == rows


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("kind", BAD_LISTS)
def test_generate_stops_on_a_bad_list_before_writing(tmp_path: Path, kind: str) -> None:
    content, _, line = BAD_LISTS[kind]
    units, out = tmp_path / "don-vi.csv", tmp_path / "gui"
    units.write_text(UNITS_CSV, encoding="utf-8")
    out.mkdir()
    listed = write(out, content)
    result = run(
        "generate", "--period", "2025-H1", "--units", str(units), "--unit", "XA_AN",
        "--out", str(out), "--db", str(tmp_path / "so.sqlite"),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"{listed}: dòng {line}:" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME]  # nothing written
    assert listed.read_bytes() == content  # the list left as it was


def test_portal_links_stop_on_a_list_with_a_unit_twice(tmp_path: Path) -> None:
    content, _, line = BAD_LISTS["duplicate unit"]
    units, out = tmp_path / "don-vi.csv", tmp_path / "gui"
    units.write_text(UNITS_CSV, encoding="utf-8")
    out.mkdir()
    listed = write(out, content)
    result = run(
        "portal", "links", "--period", "2025-H1", "--units", str(units),
        "--db", str(tmp_path / "so.sqlite"), "--out", str(out), "--base-url", "http://10.0.0.5:8000",
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert f"{listed}: dòng {line}:" in result.output
    assert listed.read_bytes() == content
