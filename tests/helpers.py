"""Test helpers: fill a generated workbook as a unit would, read values back."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

# The sheets of a dvcq workbook, in order (the last three hidden).
DVCQ_SHEETS = [
    "Hướng dẫn",
    "Đơn vị",
    "Số liệu",
    "Dân vận khéo",
    "Thuyết minh",
    "Kiểm tra",
    "_meta",
    "_map",
    "_lists",
]

# Every code in bold in domain.md ("core": a contract with other tools).
CORE_CODES = (
    "hs_ky_truoc",
    "hs_truc_tuyen",
    "hs_truc_tiep",
    "hs_nhan_giai_quyet",
    "hs_da_giai_quyet",
    "hs_truoc_han",
    "hs_dung_han",
    "hs_qua_han",
    "hs_dang_giai_quyet",
    "hs_dang_trong_han",
    "hs_dang_qua_han",
    "hs_rut",
    "ty_le_dung_han",
    "ty_le_truc_tuyen",
    "pakn_tong",
    "pakn_don_thu",
    "pakn_cong_dvc",
    "pakn_khac",
    "hl_luot_danh_gia",
    "hl_luot_hai_long",
    "ty_le_hai_long",
    "tcd_luot",
    "tcd_nguoi",
    "tcd_vu_viec",
    "tcd_doan",
    "tcd_doan_nguoi",
    "don_tiep_nhan",
    "don_du_dieu_kien",
    "don_khieu_nai",
    "don_to_cao",
    "don_kien_nghi",
    "don_thuoc_tham_quyen",
    "don_chuyen",
    "don_huong_dan",
    "hg_vu_viec",
    "hg_thanh",
    "cb_tong_so",
    "dvk_dang_ky",
    "dvk_hieu_qua",
    "nd_tinh_hinh",
    "nd_ket_qua_noi_bat",
    "nd_uu_diem",
    "nd_han_che",
    "nd_nguyen_nhan",
    "nd_nhiem_vu",
    "nd_kien_nghi",
)


def name_cells(wb: Any) -> dict[str, tuple[str, str]]:
    """Defined name → (sheet title, cell) for single-cell names."""
    found: dict[str, tuple[str, str]] = {}
    for name, defn in wb.defined_names.items():
        for sheet, coord in defn.destinations:
            if ":" not in coord:
                found[name] = (sheet, coord.replace("$", ""))
    return found


def listed_choices(wb: Any, formula: str) -> list[str]:
    """What a list validation's ``formula`` offers, as a spreadsheet program shows it.

    A literal (``"a,b"``) is split at every comma, as Excel and LibreOffice split
    it; a defined name or a range is read from its cells (openpyxl, ``wb`` loaded
    without ``data_only`` so names are kept).
    """
    formula = formula.lstrip("=")
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    target = formula
    if formula in wb.defined_names:
        (target,) = [f"{s}!{c}" for s, c in wb.defined_names[formula].destinations]
    sheet, cells = target.rsplit("!", 1)
    ws = wb[sheet.strip("'").replace("''", "'")]
    return [str(row[0].value) for row in ws[cells.replace("$", "")]]


def fill_workbook(
    source: Path,
    target: Path,
    values: dict[str, Any],
    table_rows: dict[tuple[str, int, str], tuple[str, str, Any]] | None = None,
) -> None:
    """Write ``values`` at the cells named by their codes (None leaves a cell blank).

    ``table_rows`` maps (table, row, column) to (sheet, cell, value).
    """
    wb = openpyxl.load_workbook(source)
    cells = name_cells(wb)
    for code, value in values.items():
        if value is None:
            continue
        sheet, coord = cells[code]
        wb[sheet][coord] = value
    for sheet, coord, value in (table_rows or {}).values():
        wb[sheet][coord] = value
    wb.save(target)


def read_cell(wb: Any, sheet: str, coord: str) -> Any:
    value = wb[sheet][coord].value
    return None if value == "" else value


def returned_file(
    path: Path,
    unit: Unit,
    period: str = "2025-H1",
    *,
    seed: int = 2,
    changes: dict[str, Any] | None = None,
    saved: datetime | None = None,
) -> Path:
    """A unit's return at ``path``: its workbook for ``period`` as ``generate`` makes it,
    filled with realistic figures (``seed``) changed by ``changes``, saved at ``saved``."""
    form = get_form("dvcq")
    request = Request(form, parse_period(period), date(2025, 6, 20), generated_at=_GENERATED)
    ret = realistic_return(unit, seed)
    ret.values.update(changes or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    built = WorkbookFactory(request).build(unit)
    path.write_bytes(fill_xlsx(built, build_layout(form), ret.values, ret.table))
    if saved is not None:
        os.utime(path, (saved.timestamp(), saved.timestamp()))
    return path


_GENERATED = datetime(2025, 6, 1, 8, 0, 0)


def record_return(
    store: Any,
    source: Path,
    unit_code: str,
    unit_name: str,
    period: str,
    values: dict[str, Any],
    received: datetime,
) -> int:
    """Record an accepted dvcq return with ``values`` into ``store``, as if from ``source``
    (written with bytes unique to the unit, period and values)."""
    from workbook_tools.checks import Submission

    source.write_bytes(f"{unit_code} {period} {sorted(values.items())}".encode())
    sub = Submission(
        path=source,
        sha256=hashlib.sha256(source.read_bytes()).hexdigest(),
        size=source.stat().st_size,
        form_id="dvcq",
        form_version=1,
        unit_code=unit_code,
        unit_name=unit_name,
        period=period,
        values=values,
    )
    return int(store.record(sub, received_at=received).submission_id)


def pdf_text(pdf: Path) -> str:
    """A PDF's text as pdftotext lays it out (pages separated by form feeds)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF")
    return subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
