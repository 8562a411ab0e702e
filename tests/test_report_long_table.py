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
from workbook_tools.report import Frame, long_text, render, splice
from workbook_tools.report.context import unit_context
from workbook_tools.report.frame import default_issuer
from workbook_tools.report.long_table import MARK, pattern, plain_loop, samples
from workbook_tools.report.long_text import SAMPLE
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


def spy_splices(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of splices of each document written outside docxtpl, in a list filled as it goes."""
    written: list[int] = []
    write = splice.write

    def spy(rendered: Any, target: Path, xml: str, splices: Any) -> None:
        written.append(len(splices))
        write(rendered, target, xml, splices)

    monkeypatch.setattr(splice, "write", spy)
    return written


def test_same_document_as_the_docxtpl_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    written = spy_splices(monkeypatch)
    template = docx_templates_dir() / "bao-cao.docx"
    context = appendix_context(appendix_rows(40))
    fast = render(context, tmp_path / "fast.docx")
    assert written == [1]  # the rows were written outside docxtpl
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


def edited_template(folder: Path, old: bytes, new: bytes) -> Path:
    """The shipped report template with ``old`` replaced by ``new`` in its body."""
    template = folder / "mau.docx"
    with (
        zipfile.ZipFile(docx_templates_dir() / "bao-cao.docx") as source,
        zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(old, new)
            out.writestr(info, data)
    return template


def test_a_template_numbering_rows_with_loop_index_goes_the_docxtpl_way(tmp_path: Path) -> None:
    template = edited_template(tmp_path, b"{{ r.stt }}", b"{{ loop.index }}")
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


def appendix_texts() -> list[dict[str, Any]]:
    """Phụ lục II as the consolidated report gives it: two khối, units, headings, texts."""
    return [
        {
            "title": f"{mark}. KHỐI {name.upper()}",
            "subsections": [
                {"title": f"{k}. {NAMES[k % len(NAMES)]}", "level": 2, "paragraphs": []},
                {
                    "title": "a) Tình hình chung",
                    "level": 3,
                    "paragraphs": [f"Đoạn {k}.1 & <chi tiết> “trích”", f"Đoạn {k}.2 'x'"],
                },
                {"title": "", "level": 2, "paragraphs": [f"Đoạn không đề mục {k}"]},
                {"title": "b) Kết quả", "level": 3, "paragraphs": ["99,5% hồ sơ đúng hạn."]},
            ],
        }
        for mark, name in (("I", "Sở, ban, ngành"), ("II", "Huyện"))
        for k in (1, 2, 3)
    ]


def test_the_units_texts_are_the_docxtpl_loops_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = spy_splices(monkeypatch)
    context = appendix_context(appendix_rows(5))
    context.update(thuyet_minh=appendix_texts(), thuyet_minh_so="PHỤ LỤC II")
    fast = render(context, tmp_path / "fast.docx")
    assert written == [2]  # Phụ lục I's rows and Phụ lục II's paragraphs, outside docxtpl
    template = docx_templates_dir() / "bao-cao.docx"
    assert body(fast) == body(docxtpl_loop(context, template, tmp_path / "ref.docx"))
    paragraphs = [p.text for p in Document(str(fast)).paragraphs]
    start = paragraphs.index("PHỤ LỤC II")
    assert paragraphs[start + 3 : start + 9] == [
        "I. KHỐI SỞ, BAN, NGÀNH",
        "1. " + NAMES[1],
        "a) Tình hình chung",
        "Đoạn 1.1 & <chi tiết> “trích”",
        "Đoạn 1.2 'x'",
        "Đoạn không đề mục 1",
    ]


def test_a_text_with_a_control_character_goes_the_docxtpl_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = spy_splices(monkeypatch)
    texts = appendix_texts()
    texts[1]["subsections"][1]["paragraphs"][0] = "Cột\tthứ hai"
    assert long_text.samples(texts) is None
    context = appendix_context(appendix_rows(3))
    context.update(thuyet_minh=texts, thuyet_minh_so="PHỤ LỤC II")
    out = render(context, tmp_path / "r.docx")
    assert written == [1]  # the rows only
    template = docx_templates_dir() / "bao-cao.docx"
    assert body(out) == body(docxtpl_loop(context, template, tmp_path / "ref.docx"))


def test_a_template_printing_more_than_the_texts_goes_the_docxtpl_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section's title printed with its number of subsections, which the sample cannot stand for."""
    written = spy_splices(monkeypatch)
    template = edited_template(
        tmp_path, b"{{ section.title }}", b"{{ section.title }} ({{ section.subsections|length }})"
    )
    context = appendix_context(appendix_rows(3))
    context.update(thuyet_minh=appendix_texts(), thuyet_minh_so="PHỤ LỤC II")
    out_file = render(context, tmp_path / "r.docx", template)
    assert written == [1]  # the rows only
    assert body(out_file) == body(docxtpl_loop(context, template, tmp_path / "ref.docx"))


def test_only_loops_printing_the_texts_as_they_are_are_written_outside() -> None:
    env = Environment()
    loop = "{%% for s in t %%}{{ s.title }}{%% for u in s.subsections %%}%s{%% endfor %%}{%% endfor %%}"
    assert long_text.plain_body(
        env.parse(loop % "{% if u.title and u.level == 3 %}x{% endif %}"), "t"
    )
    assert long_text.plain_body(
        env.parse(loop % "{% for p in u.paragraphs %}{{ p }}{% endfor %}"), "t"
    )
    assert not long_text.plain_body(env.parse(loop % "{{ u.paragraphs|length }}"), "t")
    assert not long_text.plain_body(env.parse(loop % "{% if u.title == 'A' %}x{% endif %}"), "t")
    assert not long_text.plain_body(env.parse(loop % "{% if u.level > s.level %}x{% endif %}"), "t")
    assert not long_text.plain_body(env.parse(loop % "{{ u.title.upper() }}"), "t")


def test_the_text_pattern_by_hand() -> None:
    def para(kind: str, text: str) -> str:
        return f'<w:p><w:pPr><w:{kind}/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    kinds = {"section": "b", "heading3": "i", "heading2": "u", "text": "t"}
    sample = "".join(para(kinds[kind], text) for kind, text in long_text.paragraphs(SAMPLE))
    xml = f"<w:body><w:p><w:t>PHỤ LỤC II</w:t></w:p>{sample}<w:sectPr/></w:body>"
    found = long_text.pattern(xml)
    assert found is not None
    assert xml[: found.start].endswith("PHỤ LỤC II</w:t></w:p>")
    assert xml[found.end :] == "<w:sectPr/></w:body>"
    assert found.paragraph("heading3", "a) A & B") == para("i", "a) A &amp; B")
    between = xml.replace("</w:p><w:p><w:pPr><w:t/>", "</w:p><w:p/><w:p><w:pPr><w:t/>", 1)
    assert long_text.pattern(between) is None
    first_text = next(t for k, t in long_text.paragraphs(SAMPLE) if k == "text")
    differing = xml.replace(f">{first_text}<", f">*{first_text}<")
    assert long_text.pattern(differing) is None
