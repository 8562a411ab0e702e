"""The appendix rows written outside docxtpl: the same document as docxtpl's loop, or its way."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined
from lxml import etree

from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.report import Frame, long_table, render
from workbook_tools.report.context import unit_context
from workbook_tools.report.frame import default_issuer
from workbook_tools.report.long_table import MARK, pattern, plain_loop, samples
from workbook_tools.resources import docx_templates_dir

YEAR = parse_period("2025")
TOPIC = "công tác dân vận chính quyền"

NAMES = ["UBND xã Mỹ Hòa", 'Sở A & B <thử> "x"', "Phường Đông Hải 'số 2'", "Ủy ban > 5"]


def appendix_context(rows: list[dict[str, str]]) -> dict[str, Any]:
    context = unit_context(
        "Sở X", YEAR, {}, [], Frame(default_issuer("Sở X")), form=get_form("dvcq"), topic=TOPIC
    )
    context["phu_luc"] = rows
    context["phu_luc_tieu_de"] = "Kết quả theo đơn vị"
    return context


def appendix_rows(n: int) -> list[dict[str, str]]:
    return [
        {
            "stt": str(k),
            "don_vi": NAMES[k % len(NAMES)],
            "nhan": f"{k}.000",
            "da_giai_quyet": str(k),
            "dung_han": str(k),
            "ty_le": "99,5",
            "tinh_trang": "Đã nhận, hợp lệ",
        }
        for k in range(1, n + 1)
    ]


def docxtpl_loop(context: dict[str, Any], template: Path, out: Path) -> Path:
    """The reference: docxtpl renders the loop itself."""
    doc = DocxTemplate(str(template))
    env = Environment(undefined=StrictUndefined, autoescape=True)
    doc.render(dict(context), jinja_env=env, autoescape=True)
    doc.save(str(out))
    return out


def body(docx: Path) -> bytes:
    with zipfile.ZipFile(docx) as z:
        return bytes(etree.tostring(etree.fromstring(z.read("word/document.xml")), method="c14n"))


def test_same_document_as_the_docxtpl_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written: list[bool] = []
    write = long_table.write

    def spy(*args: Any) -> bool:
        written.append(write(*args))
        return written[-1]

    monkeypatch.setattr(long_table, "write", spy)
    template = docx_templates_dir() / "bao-cao.docx"
    context = appendix_context(appendix_rows(40))
    fast = render(context, tmp_path / "fast.docx")
    assert written == [True]  # the rows were written outside docxtpl
    assert body(fast) == body(docxtpl_loop(context, template, tmp_path / "ref.docx"))
    table = Document(str(fast)).tables[-1]
    assert len(table.rows) == 41
    assert [c.text for c in table.rows[1].cells] == [
        "1",
        'Sở A & B <thử> "x"',
        "1.000",
        "1",
        "1",
        "99,5",
        "Đã nhận, hợp lệ",
    ]


def test_a_value_with_a_line_break_goes_the_docxtpl_way(tmp_path: Path) -> None:
    rows = appendix_rows(3)
    rows[1]["don_vi"] = "UBND xã A\nthôn B"
    assert samples(rows) is None
    context = appendix_context(rows)
    out = render(context, tmp_path / "r.docx")
    reference = docxtpl_loop(context, docx_templates_dir() / "bao-cao.docx", tmp_path / "ref.docx")
    assert body(out) == body(reference)
    assert b"<w:br" in body(out)


def test_a_template_numbering_rows_with_loop_index_goes_the_docxtpl_way(tmp_path: Path) -> None:
    template = tmp_path / "mau.docx"
    with (
        zipfile.ZipFile(docx_templates_dir() / "bao-cao.docx") as source,
        zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"{{ r.stt }}", b"{{ loop.index }}")
            out.writestr(info, data)
    rows = appendix_rows(5)
    for row in rows:
        row["stt"] = "không dùng"
    doc = Document(str(render(appendix_context(rows), tmp_path / "r.docx", template)))
    assert [r.cells[0].text for r in doc.tables[-1].rows[1:]] == ["1", "2", "3", "4", "5"]


def test_only_a_plain_loop_is_written_outside() -> None:
    env = Environment()
    assert plain_loop(env.parse("{% if t %}{% for r in t %}{{ r.a }}{% endfor %}{% endif %}"), "t")
    assert not plain_loop(env.parse("{% for r in t %}{{ loop.index }}{% endfor %}"), "t")
    assert not plain_loop(env.parse("{% for r in t %}{{ r.a }}{% endfor %}{{ t|length }}"), "t")
    assert not plain_loop(env.parse("{% for r in t if r.a %}{{ r.a }}{% endfor %}"), "t")
    assert not plain_loop(env.parse("{{ t }}"), "t")


def test_the_row_pattern_by_hand() -> None:
    row = "<w:tr><w:t>{}</w:t><w:t>{}</w:t></w:tr>"
    xml = (
        "<w:tbl><w:tr><w:t>head</w:t></w:tr>"
        + row.format(f"{MARK}0.a{MARK}", f"{MARK}0.b{MARK}")
        + row.format(f"{MARK}1.a{MARK}", f"{MARK}1.b{MARK}")
        + "</w:tbl>"
    )
    found = pattern(xml)
    assert found is not None
    assert found.head == "<w:tbl><w:tr><w:t>head</w:t></w:tr>"
    assert found.fields == ("a", "b") and found.tail == "</w:tbl>"
    assert found.row({"a": "x & y", "b": "<z>"}) == row.format("x &amp; y", "&lt;z&gt;")
    apart = xml.replace(f"</w:tr><w:tr><w:t>{MARK}1", f"</w:tr><w:p/><w:tr><w:t>{MARK}1")
    assert pattern(apart) is None
    differing = xml.replace(f"<w:t>{MARK}1.b", f"<w:t>2{MARK}1.b")
    assert pattern(differing) is None


@pytest.mark.parametrize(
    "rows",
    [[], [{"a": 1}], [{"a": "x"}, {"b": "y"}], [{"a": f"x{MARK}"}], [{"a": "tab\there"}]],
)
def test_rows_that_are_not_plain_text_have_no_samples(rows: list[dict[str, Any]]) -> None:
    assert samples(rows) is None
