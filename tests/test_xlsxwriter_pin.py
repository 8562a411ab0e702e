"""Issue 12: the rows spliced into XlsxWriter's sheets (writer/sheetxml.py) rely on how
XlsxWriter numbers styles and writes text; XlsxWriter is pinned to the versions checked here.

An upgrade that changes either fails these tests: the installed version must be within the
pin, the private method the splice calls must exist and give the ``s=`` index XlsxWriter
itself writes, and the splice's text must be the text XlsxWriter writes.
"""

from __future__ import annotations

import re
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import example, given, settings
from hypothesis import strategies as st
from packaging.requirements import Requirement
from xlsxwriter.format import Format

from workbook_tools.writer.sheetxml import style_index, text_xml

ROOT = Path(__file__).resolve().parents[1]


def pinned(name: str) -> Requirement:
    """The requirement on ``name`` in pyproject.toml's dependencies (one quoted line)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (line,) = re.findall(rf'^\s*"({re.escape(name)}\b[^"]*)",', text, re.M | re.I)
    return Requirement(line)


def test_xlsxwriter_is_pinned_to_a_bounded_range_holding_the_installed_version() -> None:
    req = pinned("xlsxwriter")
    assert any(spec.operator == "<" for spec in req.specifier), "an upper bound is required"
    assert req.specifier.contains(version("xlsxwriter")), (
        f"XlsxWriter {version('xlsxwriter')} is outside {req.specifier}: check the splice "
        "(writer/sheetxml.py) against it, then move the pin"
    )


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_style_index_is_the_index_xlsxwriter_writes(tmp_path: Path) -> None:
    assert callable(getattr(Format, "_get_xf_index", None))
    path = tmp_path / "styles.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    bold = wb.add_format({"bold": True})
    red = wb.add_format({"font_color": "#FF0000"})
    spliced_only = wb.add_format({"italic": True})  # numbered before any cell uses it
    first = style_index(spliced_only)
    assert style_index(spliced_only) == first  # fixed once given
    ws.write(0, 0, "a", red)
    ws.write(1, 0, "b", bold)
    ws.write(2, 0, "c", spliced_only)
    wb.close()
    styles = dict(re.findall(r'<c r="(A\d)" s="(\d+)"', sheet_xml(path)))
    assert styles == {"A1": str(style_index(red)), "A2": str(style_index(bold)), "A3": str(first)}
    assert len(set(styles.values())) == 3


texts = st.text(
    alphabet=st.sampled_from(
        [*"ab_x0F9<&>\"' ", "\x00", "\x01", "\t", "\n", "\r", "\x1f", "\ufffe", "\uffff"]
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(texts)
@example("_x0041_ a\x01b <&> \ufffe")
def test_text_xml_is_what_xlsxwriter_writes(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """XlsxWriter's in-line strings (constant-memory mode) are what the splice writes."""
    folder = tmp_path_factory.mktemp("text")
    path = folder / "text.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    wb.add_worksheet().write_string(0, 0, text)
    wb.close()
    written = re.search(r"<is><t(?: [^>]*)?>(.*?)</t></is>", sheet_xml(path), re.S)
    assert written is not None
    assert written.group(1) == text_xml(text)
