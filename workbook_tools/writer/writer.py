"""Write one unit's input workbook, and the whole set for a reporting request."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import xlsxwriter

from workbook_tools import output
from workbook_tools.contract.compiled import layout_for
from workbook_tools.contract.layout import Layout
from workbook_tools.contract.manifest import MANIFEST_NAME, Row
from workbook_tools.contract.parts import sheet_parts
from workbook_tools.contract.request import Request
from workbook_tools.form.evaluate import compute, rule_states
from workbook_tools.text import nfc, slug
from workbook_tools.units import Unit
from workbook_tools.workers import map_in_order
from workbook_tools.writer.context import SheetContext
from workbook_tools.writer.figures import write_figures
from workbook_tools.writer.manifest import (
    manifest_bytes,
    manifest_row,
    merged,
    refuse_overwrites,
    unread_list,
)
from workbook_tools.writer.meta import write_lists, write_meta
from workbook_tools.writer.sheets import (
    write_check,
    write_guide,
    write_narrative,
    write_table,
    write_unit,
)
from workbook_tools.writer.sheetxml import SplicedRows, splice_rows
from workbook_tools.writer.styles import Styles
from workbook_tools.writer.zipkit import deflate, inflate, raw_entries, read_entries, write_zip

# Sheet-protection options: units may select cells and resize rows (long texts),
# nothing else; the hidden helper columns stay hidden.
PROTECT_OPTIONS = {
    "select_locked_cells": True,
    "select_unlocked_cells": True,
    "format_rows": True,
}


@dataclass(frozen=True)
class GeneratedFile:
    unit: Unit
    path: Path


@dataclass(frozen=True)
class GenerationResult:
    files: tuple[GeneratedFile, ...]
    manifest: Path


@dataclass(frozen=True)
class Filling:
    """Values to pre-fill: a consolidated workbook is a unit workbook filled with totals."""

    values: Mapping[str, Any] = field(default_factory=dict)
    table: Mapping[tuple[str, int, str], Any] = field(default_factory=dict)


ExtraSheets = Callable[[SheetContext], list[Any]]


def workbook_bytes(
    request: Request,
    unit: Unit,
    layout: Layout | None = None,
    *,
    filling: Filling | None = None,
    extra: ExtraSheets | None = None,
    hidden: Collection[str] = (),
) -> bytes:
    """The .xlsx content of one unit's workbook.

    ``filling`` pre-fills inputs (cached formula values follow them); ``extra`` adds
    sheets after the form's own (they are protected like the rest); the sheets named
    in ``hidden`` are hidden (neither shown nor printed), and the first other sheet
    opens.
    """
    layout = layout or layout_for(request.form)
    form = request.form
    filling = filling or Filling()
    inputs = {
        k: v
        for k, v in filling.values.items()
        if k in form.by_code and not form.by_code[k].computed
    }
    values: dict[str, Any] = {
        **inputs,
        **compute(form, {k: v for k, v in inputs.items() if form.by_code[k].kind.numeric}),
    }
    states = rule_states(form, values)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
    )
    wb.set_properties(
        {
            "title": f"{form.title} — {request.period.label}",
            "subject": unit.name,
            "author": request.issuer,
            "company": request.issuer,
            "comments": f"workbook-tools: {form.id} v{form.version}, {unit.code}, {request.period}",
        }
    )
    ctx = SheetContext(wb, Styles(wb), layout, request, unit, values, states, dict(filling.table))
    sheets = [
        write_guide(ctx),
        write_unit(ctx),
        write_figures(ctx),
        *[write_table(ctx, table) for table in form.tables],
        write_narrative(ctx),
        write_check(ctx),
        *(extra(ctx) if extra is not None else []),
    ]
    for ws in sheets:
        ws.protect(request.password, PROTECT_OPTIONS)
    write_meta(wb, layout, request, unit, request.password, ctx.spliced)
    write_lists(wb, layout, request.password)
    _define_names(wb, layout)
    for ws in sheets:
        if ws.name in hidden:
            ws.hide()
            ws.print_area_range = ""  # LibreOffice prints a hidden sheet that has a print area
    next(ws for ws in sheets if ws.name not in hidden).activate()
    wb.close()
    return lock_structure(buffer.getvalue(), request.password, ctx.spliced)


def _define_names(wb: xlsxwriter.Workbook, layout: Layout) -> None:
    """A workbook-level name per indicator code, and one per table over its rows."""
    for ind in layout.form.indicators:
        wb.define_name(ind.code, "=" + layout.cell(ind.code).ref())
    for table in layout.form.tables:
        first = layout.table_cells[(table.code, 1, table.columns[0].code)]
        last = layout.table_cells[(table.code, table.max_rows, table.columns[-1].code)]
        wb.define_name(table.code, f"={first.ref()}:{last.absolute}")


def password_hash(password: str) -> str:
    """Excel's legacy 16-bit password hash (ECMA-376 Part 1, §18.2.29)."""
    digest = 0
    for char in reversed(password):
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


_WORKBOOK_PR = re.compile(rb"(<workbookPr[^>]*/>)")


def lock_structure(xlsx: bytes, password: str, spliced: Sequence[SplicedRows] = ()) -> bytes:
    """Add workbook structure protection (no adding, renaming, deleting sheets).

    XlsxWriter cannot write ``<workbookProtection>``, so it is inserted into
    ``xl/workbook.xml`` after ``<workbookPr>``, where the schema wants it. The
    ``spliced`` rows go into their sheets on the way.
    """
    attrs = b'lockStructure="1"'
    if password:
        attrs += b' workbookPassword="' + password_hash(password).encode() + b'"'
    entries = raw_entries(xlsx)
    by_name = {e.name: e for e in entries}
    parts = sheet_parts(
        inflate(by_name["xl/workbook.xml"]), inflate(by_name["xl/_rels/workbook.xml.rels"])
    )
    edits: dict[str, list[SplicedRows]] = {"xl/workbook.xml": []}
    for splice in spliced:
        edits.setdefault(parts[splice.sheet], []).append(splice)
    out = []
    for entry in entries:  # the parts not edited keep XlsxWriter's compressed bytes
        if entry.name not in edits:
            out.append(entry)
            continue
        data = inflate(entry)
        for splice in edits[entry.name]:
            data = splice_rows(data, splice.before, splice.xml)
        if entry.name == "xl/workbook.xml":
            data, count = _WORKBOOK_PR.subn(
                lambda m: m.group(1) + b"<workbookProtection " + attrs + b"/>", data, count=1
            )
            if count != 1:
                raise RuntimeError("xl/workbook.xml has no <workbookPr> element")
        # a sheet with spliced rows is large (~10 MB at national scale): the fastest level
        # compresses it ~3x faster than the default, for ~25 % more bytes
        out.append(deflate(entry.name, data, level=1 if edits[entry.name] else 6))
    return write_zip(out)


# A stand-in unit whose strings cannot occur in any real text (private-use characters):
# the factory writes the workbook once for it, then swaps in each real unit's strings.
_PLACEHOLDER = Unit(
    code="\ue000CODE\ue001",
    name="\ue000NAME\ue001",
    group="\ue000GROUP\ue001",
    parent=None,
    email=None,
    contact=None,
    note=None,
)
_MARK = "\ue000".encode()


class WorkbookFactory:
    """Builds every unit's workbook of one request from a single template.

    Writing a workbook with XlsxWriter takes ~0.1 s; all of a request's workbooks
    are equal but for the unit's code, name and group, so the template is written
    once and, per unit, only the few XML parts holding those strings are changed
    and compressed again (see :mod:`zipkit`).
    """

    def __init__(self, request: Request, layout: Layout | None = None) -> None:
        template = workbook_bytes(request, _PLACEHOLDER, layout)
        order, parts = read_entries(template)
        self._order = order
        self._fixed = {n: deflate(n, d) for n, d in parts.items() if _MARK not in d}
        self._varying = {n: d for n, d in parts.items() if _MARK in d}

    def build(self, unit: Unit) -> bytes:
        swaps = [
            (_PLACEHOLDER.code, unit.code),
            (_PLACEHOLDER.name, unit.name),
            (_PLACEHOLDER.group, unit.group),
        ]
        entries = []
        for name in self._order:
            fixed = self._fixed.get(name)
            if fixed is not None:
                entries.append(fixed)
                continue
            raw = self._varying[name]
            for placeholder, value in swaps:
                raw = raw.replace(escape(placeholder).encode(), escape(nfc(value)).encode())
            entries.append(deflate(name, raw))
        return write_zip(entries)


def workbook_file_name(unit: Unit, request: Request) -> str:
    return f"{slug(unit.name)}_{str(request.period).lower()}.xlsx"


def file_names(units: Sequence[Unit], request: Request) -> list[str]:
    """Each unit's workbook file name, the same whatever the selection and its order.

    ``units`` is the whole list: every unit whose name slugs like another's gets its
    code added (all of them, not the second one met), so ``generate --unit X``
    names X's file as a full run does.
    """
    plain = [workbook_file_name(u, request) for u in units]
    taken = Counter(plain)
    names = [
        name if taken[name] == 1 else name.replace(".xlsx", f"_{slug(u.code)}.xlsx")
        for u, name in zip(units, plain, strict=True)
    ]
    clashes = Counter(name.casefold() for name in names)  # codes XA_1 and XA-1 slug alike
    return [
        name
        if clashes[name.casefold()] == 1
        else name.replace(".xlsx", f"_{hashlib.sha256(u.code.encode()).hexdigest()[:8]}.xlsx")
        for u, name in zip(units, names, strict=True)
    ]


def _builder(request: Request) -> Callable[[tuple[Unit, str]], str]:
    """The job of one process of :func:`generate`: ``(unit, path)`` → the file written."""
    return partial(_build, WorkbookFactory(request))


def _build(factory: WorkbookFactory, job: tuple[Unit, str]) -> str:
    unit, path = job
    output.write_bytes(path, factory.build(unit))
    return path


PARALLEL_MIN_UNITS = 400


def _unknown_owner(path: Path) -> str | None:
    return None


def generate(
    request: Request,
    units: Sequence[Unit],
    out_dir: str | Path,
    progress: Callable[[Unit], None] | None = None,
    workers: int | None = None,
    *,
    known: Sequence[Unit] | None = None,
    owner: Callable[[Path], str | None] = _unknown_owner,
    read_list: Callable[[Path], Sequence[Row]] = unread_list,
) -> GenerationResult:
    """One workbook per unit in ``out_dir``, plus the manifest of who gets which file.

    ``known``: the whole unit list ``units`` were selected from (default ``units``):
    file names depend on it, so a unit's file has the same name whatever the
    selection. A file in ``out_dir`` of another unit is never overwritten (nothing
    is written then), and the manifest already there is merged, not replaced. Each
    file is written whole or not at all (:mod:`workbook_tools.output`). ``owner``:
    the unit code of a file found at a target path that the manifest does not list
    (:func:`workbook_tools.reader.workbook.workbook_owner`: the writer opens no
    file it did not write); by default unknown, so such a file is never overwritten.
    ``read_list``: the rows of the list already in ``out_dir``, read through the reader
    (:func:`workbook_tools.reader.manifest.read_manifest`: a person may have edited it);
    by default a list there stops the run, as it cannot be merged unread.

    Large sets are built on every core (``workers``: default all, 1 to disable);
    if worker processes cannot start, the build goes on in this process.
    """
    out = Path(out_dir)
    everyone = list(known) if known is not None else list(units)
    name_of = dict(zip((u.code for u in everyone), file_names(everyone, request), strict=True))
    missing = [u for u in units if u.code not in name_of]
    if missing:
        name_of.update(zip((u.code for u in missing), file_names(missing, request), strict=True))
    paths = [out / name_of[u.code] for u in units]
    manifest = out / MANIFEST_NAME
    listed = read_list(manifest)
    refuse_overwrites(zip(units, paths, strict=True), listed, owner)
    count = workers if workers is not None else (os.cpu_count() or 1)
    if len(units) < PARALLEL_MIN_UNITS:
        count = 1
    jobs = [(u, str(p)) for u, p in zip(units, paths, strict=True)]
    built = map_in_order(_builder, (request,), jobs, count, 64)
    for unit, _ in zip(units, built, strict=True):
        if progress is not None:
            progress(unit)
    files = tuple(GeneratedFile(u, p) for u, p in zip(units, paths, strict=True))
    rows = merged(listed, (manifest_row(f.unit, f.path.name) for f in files))
    output.write_bytes(manifest, manifest_bytes(rows))
    return GenerationResult(files, manifest)
