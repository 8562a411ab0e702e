"""Issue 12 item 3: every byte a person sends goes through ``reader/``, cleaned by one rule.

Returned workbooks, the copies the Sở marks for the units, unit lists and files found
where a workbook is about to be written are all read by the reader; a cell is cleaned
the same way in each (a zero-width space vanishes, other spaces are plain spaces).
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from helpers import returned_file
from hypothesis import given
from hypothesis import strategies as st

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.feedback import FEEDBACK_SHEET, write_feedback
from workbook_tools.contract.layout import SHEET_FIGURES
from workbook_tools.errors import UnitRegistryError
from workbook_tools.form import get_form
from workbook_tools.reader.clean import ZERO_WIDTH, clean_line, clean_value
from workbook_tools.reader.copy import editable_copy
from workbook_tools.reader.units import load_units
from workbook_tools.reader.workbook import workbook_owner
from workbook_tools.units import Unit

# ------------------------------------------------------------- one cleaning rule


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("1\u200b234", "1234"),  # a zero-width space shows nothing: it vanishes
        ("Xã\u200b Bình\u2060 Sơn\ufeff", "Xã Bình Sơn"),
        ("1\u00a0234", "1 234"),  # a non-breaking space is a space
        ("1\u2009234", "1 234"),
        ("\tdòng một\r\ndòng hai ", "dòng một\ndòng hai"),
        ("\u200b \u00a0", None),
        (3.0, 3),
    ],
)
def test_a_cell_is_cleaned_by_one_rule(raw: object, clean: object) -> None:
    assert clean_value(raw) == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  UBND\u00a0xã\u200b   Hòa\tPhú\n", "UBND xã Hòa Phú"),
        ("X\u200b1", "X1"),
        (3.0, "3"),
        (1e16, "10000000000000000"),
        ("a\x00b\x85c", "a b c"),
        (" \u200b ", None),
    ],
)
def test_a_one_line_field_is_that_rule_with_its_spaces_collapsed(raw: object, clean: str) -> None:
    assert clean_line(raw) == clean


@given(st.text())
def test_a_one_line_field_holds_no_invisible_character_nor_double_space(raw: str) -> None:
    line = clean_line(raw)
    if line is None:
        return
    assert not set(line) & set(ZERO_WIDTH)
    assert not any(unicodedata.category(ch) == "Cc" for ch in line)
    assert "  " not in line and line == line.strip()
    assert line == unicodedata.normalize("NFC", line)
    assert clean_line(line) == line


# ------------------------------------------------------------- unit lists


def test_a_unit_list_is_cleaned_by_the_readers_rule(tmp_path: Path) -> None:
    path = tmp_path / "don-vi.csv"
    path.write_text(
        "Mã đơn vị,Tên đơn vị,Khối/loại\nX\u200b1,UBND xã\u200b Hòa\u00a0Phú,UBND xã\n",
        encoding="utf-8",
    )
    assert load_units(path).units == (Unit("X1", "UBND xã Hòa Phú", "UBND xã"),)


def _unit_xlsx(tmp_path: Path, doctype: bool) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["Mã đơn vị", "Tên đơn vị", "Khối/loại"])
    book.active.append(["A", "UBND xã A", "UBND xã"])
    plain = io.BytesIO()
    book.save(plain)
    path = tmp_path / "don-vi.xlsx"
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if doctype and info.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE worksheet [<!ENTITY a "b">]>' + data
            target.writestr(info.filename, data)
    return path


def test_a_unit_list_xlsx_passes_the_readers_safety_checks(tmp_path: Path) -> None:
    assert [u.code for u in load_units(_unit_xlsx(tmp_path, doctype=False))] == ["A"]
    with pytest.raises(UnitRegistryError) as refused:
        load_units(_unit_xlsx(tmp_path, doctype=True))
    assert refused.value.codes == ["unit-file-format"]


# ------------------------------------------------------------- feedback copies


def test_a_feedback_copy_is_made_from_the_very_bytes_checked(tmp_path: Path, unit: Unit) -> None:
    path = returned_file(tmp_path / "in" / "bao-cao.xlsx", unit, changes={"don_tiep_nhan": -5})
    sub = check_file(path, Expectation(get_form("dvcq")))
    assert not sub.accepted
    marked = write_feedback(sub, tmp_path / "first")
    assert SHEET_FIGURES in openpyxl.load_workbook(marked).sheetnames
    returned_file(path, unit, seed=7)  # saved over after the check: not the file checked
    listed = write_feedback(sub, tmp_path / "again")
    assert openpyxl.load_workbook(listed).sheetnames == [FEEDBACK_SHEET]


def test_a_copy_is_not_opened_when_the_safety_checks_refuse_it(tmp_path: Path) -> None:
    path = _unit_xlsx(tmp_path, doctype=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert editable_copy(path, digest) is None
    (tmp_path / "ok").mkdir()
    good = _unit_xlsx(tmp_path / "ok", doctype=False)
    assert editable_copy(good, hashlib.sha256(good.read_bytes()).hexdigest()) is not None


# ------------------------------------------------------------- files in generate's way


def test_the_owner_of_a_file_in_generates_way_is_read_by_the_reader(
    tmp_path: Path, unit: Unit
) -> None:
    ours = returned_file(tmp_path / "ours.xlsx", unit)
    assert workbook_owner(ours) == unit.code
    other = tmp_path / "other.xlsx"
    other.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert workbook_owner(other) is None
