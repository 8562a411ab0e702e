"""A minimal zip writer that reuses already-compressed entries.

Every unit's workbook of one request is the same file but for a few strings, so
the factory compresses the shared parts once and, per unit, compresses only the
parts that carry the unit's strings. ``zipfile`` cannot copy an entry's
compressed bytes, hence this small writer (local headers, central directory,
end record; no zip64: a workbook is far below 4 GB).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_DATE = (2025 - 1980) << 9 | 1 << 5 | 1  # 1 January 2025, a fixed date: reproducible bytes


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes  # compressed (raw deflate) bytes
    crc: int
    size: int  # uncompressed


def deflate(name: str, raw: bytes, level: int = 6) -> Entry:
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    return Entry(name, data, zlib.crc32(raw), len(raw))


def read_entries(archive: bytes) -> tuple[list[str], dict[str, bytes]]:
    """Entry names in order and their uncompressed contents."""
    import io

    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        names = [i.filename for i in z.infolist()]
        return names, {n: z.read(n) for n in names}


def raw_entries(archive: bytes) -> list[Entry]:
    """The entries of ``archive`` in order, still compressed (deflated ones only)."""
    import io

    entries = []
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        for info in z.infolist():
            if info.compress_type != zipfile.ZIP_DEFLATED:
                raise ValueError(f"{info.filename} is not deflated")
            header = _LOCAL.unpack_from(archive, info.header_offset)
            start = info.header_offset + _LOCAL.size + header[-2] + header[-1]
            data = archive[start : start + info.compress_size]
            entries.append(Entry(info.filename, data, info.CRC, info.file_size))
    return entries


def inflate(entry: Entry) -> bytes:
    return zlib.decompress(entry.data, -15)


def write_zip(entries: list[Entry]) -> bytes:
    out = bytearray()
    central = bytearray()
    for e in entries:
        name = e.name.encode("utf-8")
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04", 20, 0, 0x0800, 8, 0, _DOS_DATE, e.crc, len(e.data), e.size, len(name), 0
        )
        out += name
        out += e.data
        central += _CENTRAL.pack(
            b"PK\x01\x02", 20, 0, 20, 0, 0x0800, 8, 0, _DOS_DATE, e.crc, len(e.data), e.size,
            len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)
