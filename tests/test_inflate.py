"""The safety checks inflate every part of a received zip: exactly, boundedly, or refuse it.

A part whose whole stream cannot inflate past the size limit is inflated in one call; a
larger one is streamed under a ceiling. Both ways must give the part's bytes, refuse a
part that inflates past its declared size, and turn damaged data into a finding.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from corpus import lying_zip_bomb
from helpers import returned_file
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_tools.reader.safety import MAX_DEFLATE_RATIO, Limits, inspect_file
from workbook_tools.reader.workbook import read_file
from workbook_tools.units import Unit

PART = "xl/worksheets/sheet1.xml"


def _zip(content: bytes, level: int = 6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr(PART, content)
    return buffer.getvalue()


def _one_call_and_streamed(data: bytes) -> tuple[Limits, Limits]:
    """Limits under which PART is inflated in one call, and under which it is streamed."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        compressed = z.getinfo(PART).compress_size
    one_call = Limits()
    assert compressed * MAX_DEFLATE_RATIO <= one_call.max_uncompressed_bytes
    # just under the worst case of the stream, still far above the part's real size
    streamed = Limits(max_uncompressed_bytes=compressed * MAX_DEFLATE_RATIO - 1)
    return one_call, streamed


@settings(max_examples=40, deadline=None)
@given(
    st.binary(max_size=4000) | st.text(max_size=3000).map(str.encode),
    st.integers(min_value=0, max_value=9),
)
def test_both_ways_give_the_bytes_zipfile_reads(content: bytes, level: int) -> None:
    xml = b"<worksheet>" + content + b"</worksheet>"
    data = _zip(xml, level)
    for limits in _one_call_and_streamed(data):
        inspection = inspect_file(Path("a.xlsx"), data, limits)
        assert inspection.findings == ()
        assert inspection.parts[PART] == xml


def test_a_part_inflating_past_its_declared_size_is_refused_both_ways(tmp_path: Path) -> None:
    source = tmp_path / "source.xlsx"
    returned_file(source, Unit("X1", "UBND xã Thử", "Xã"))
    bomb = tmp_path / "bomb.xlsx"
    lying_zip_bomb(source, bomb, megabytes=8)
    data = bomb.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        compressed = z.getinfo("xl/worksheets/sheet3.xml").compress_size
    one_call = Limits()  # 8 MB of padding: its worst case fits under the 200 MB limit
    streamed = Limits(max_uncompressed_bytes=compressed * MAX_DEFLATE_RATIO - 1)
    for limits in (one_call, streamed):
        found = inspect_file(bomb, data, limits).findings
        assert [f.code for f in found] == ["file-zip-bomb"]
        assert "xl/worksheets/sheet3.xml" in found[0].message


def test_damaged_compressed_data_is_a_finding_not_an_exception(tmp_path: Path) -> None:
    source = tmp_path / "source.xlsx"
    returned_file(source, Unit("X1", "UBND xã Thử", "Xã"))
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    name_len, extra_len = struct.unpack_from("<2H", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(200, 260):  # garble the middle of the deflate stream
        data[start + k] ^= 0xFF
    damaged = tmp_path / "hong.xlsx"
    damaged.write_bytes(bytes(data))
    result = read_file(damaged)  # used to raise the inflater's own error
    assert result.workbook is None
    assert [f.code for f in result.findings] == ["file-unreadable"]
    assert "xl/worksheets/sheet3.xml" in result.findings[0].message
