"""Build templates/docx/bao-cao.docx: the report template in the format of Nghị định 30/2020.

The template is a Word file with Jinja tags (docxtpl); users may edit it in Word.
This script is how it was made, so that the format can be rebuilt and reviewed:
A4, margins 20/20/30/15 mm, Times New Roman, the header table (cơ quan chủ quản /
cơ quan ban hành with its rule; Quốc hiệu / Tiêu ngữ with its rule), "Số:" and
the place-date line, BÁO CÁO and the trích yếu, justified body with a 1.27 cm
first-line indent and 6 pt after paragraphs, headings "I." / "1." bold and "a)" plain,
each kept with the paragraph after it, the appendices
(the figures by unit; the units' own texts), the Nơi nhận block and the signature block (one row that never breaks across
pages), page numbers centred at the top from page 2.

It also builds templates/docx/cong-van.docx, the Sở's letter (công văn) with the
same header and footer, its V/v line under the number and the "Kính gửi:" block.

Every property goes where ECMA-376 wants it (Word asks to repair a document whose
w:pPr or w:tblPr children are out of order, LibreOffice does not): through
python-docx's own setters, or :func:`workbook_tools.report.oxml.set_property` for
those it lacks (borders). tests/test_schema.py checks the template and the reports.

    .venv/bin/python scripts/build_docx_template.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from workbook_tools.report.oxml import borders, element, set_property

OUT = Path(__file__).resolve().parent.parent / "templates" / "docx" / "bao-cao.docx"
LETTER_OUT = OUT.with_name("cong-van.docx")
FONT = "Times New Roman"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def font(run, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def para(container, text: str = "", size: float = 14, *, bold: bool = False, italic: bool = False,
         align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = False, after: float = 6, before: float = 0):  # fmt: skip
    p = container.add_paragraph()
    p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(after)
    fmt.space_before = Pt(before)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def rule(p, left_cm: float, right_cm: float) -> None:
    """A horizontal rule under a paragraph, shortened by indents (the lines under headers)."""
    p.paragraph_format.left_indent = Cm(left_cm)
    p.paragraph_format.right_indent = Cm(right_cm)
    line = {"val": "single", "sz": "6", "space": "1", "color": "000000"}
    set_property(p._element.get_or_add_pPr(), borders("w:pBdr", {"bottom": line}))


def fixed_widths(table, widths_cm: list[float]) -> None:
    """Column widths Word and LibreOffice both keep: fixed layout, grid and cell widths."""
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> in its place
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def no_borders(table) -> None:
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    set_property(table._element.tblPr, borders("w:tblBorders", {e: {"val": "nil"} for e in edges}))


def cell_para(cell, text: str, size: float, *, bold: bool = False, italic: bool = False,
              align=WD_ALIGN_PARAGRAPH.CENTER, first: bool = False):  # fmt: skip
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if text:
        font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def page_number_header(section) -> None:
    """PAGE field centred in the header, not on page 1."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    font(run, 13)
    instruction = element("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = "PAGE"
    for part in (element("w:fldChar", fldCharType="begin"), instruction,
                 element("w:fldChar", fldCharType="end")):  # fmt: skip
        run._element.append(part)  # a run's content after its w:rPr is in any order


def drop_styles_with_effects(doc) -> None:
    """Drop python-docx's stale Word 2010 copy of the styles (stylesWithEffects.xml).

    Word 2013 and later do not write it and Word opens a document without it; the
    copy in python-docx's default template disagrees with styles.xml (its defaults,
    and the Header/Footer styles python-docx adds), which openxml-audit reports as
    content Word may find unreadable.
    """
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rid)


def keep_row_together(table) -> None:
    """Rows that never break across pages (w:cantSplit): the signature block stays whole."""
    for row in table.rows:
        set_property(row._tr.get_or_add_trPr(), element("w:cantSplit"))


def new_document() -> Document:
    """An empty A4 document: Times New Roman 14, the margins, page numbers from page 2."""
    doc = Document()
    drop_styles_with_effects(doc)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    page_number_header(section)
    return doc


def header_table(doc, *, subject_line: bool = False) -> None:
    """Cơ quan chủ quản / cơ quan ban hành, rule, Số; Quốc hiệu / Tiêu ngữ, rule, place-date.

    The line above is left out when empty (a commune has none); the issuer may take two
    lines ("ỦY BAN NHÂN DÂN" / "XÃ BÌNH SƠN"). A letter (công văn) has its V/v line under
    the number.
    """
    header = doc.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(header)
    fixed_widths(header, [6.3, 10.2])
    left, right = header.rows[0].cells
    cell_para(left, "{%p if co_quan_chu_quan %}", 13, first=True)
    cell_para(left, "{{ co_quan_chu_quan }}", 13)
    cell_para(left, "{%p endif %}", 13)
    cell_para(left, "{%p for line in co_quan_ban_hanh_dong %}", 13)
    cell_para(left, "{{ line }}", 13, bold=True)
    cell_para(left, "{%p endfor %}", 13)
    rule(cell_para(left, "", 13), 2.2, 2.2)
    cell_para(left, "Số: {{ so_van_ban }}", 13).paragraph_format.space_before = Pt(6)
    if subject_line:
        cell_para(left, "V/v {{ trich_yeu }}", 12).paragraph_format.space_before = Pt(3)
    cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True, first=True)
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    rule(cell_para(right, "", 13), 1.7, 1.7)
    cell_para(right, "{{ dia_danh_ngay }}", 14, italic=True).paragraph_format.space_before = Pt(6)


def footer_table(doc) -> None:
    """Nơi nhận (left) and the signature block (right), in one row that never splits."""
    footer = doc.add_table(rows=1, cols=2)
    no_borders(footer)
    fixed_widths(footer, [7.5, 8.5])
    keep_row_together(footer)
    left, right = footer.rows[0].cells
    cell_para(left, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    cell_para(left, "{%p for place in noi_nhan %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(left, "- {{ place }}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(left, "{%p endfor %}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(right, "{{ quyen_han }}", 14, bold=True, first=True)
    cell_para(right, "{%p if chuc_vu %}", 14)
    cell_para(right, "{{ chuc_vu }}", 14, bold=True)
    cell_para(right, "{%p endif %}", 14)
    for _ in range(4):
        cell_para(right, "", 14)
    cell_para(right, "{{ nguoi_ky }}", 14, bold=True)


def build_letter(out: Path = LETTER_OUT) -> Path:
    """templates/docx/cong-van.docx: the Sở's letter (công văn) of Nghị định 30/2020."""
    doc = new_document()
    header_table(doc, subject_line=True)
    para(doc, "", 14, after=0)
    to = doc.add_table(rows=1, cols=2)
    no_borders(to)
    fixed_widths(to, [4.5, 11.5])
    label, names = to.rows[0].cells
    cell_para(label, "Kính gửi:", 14, align=WD_ALIGN_PARAGRAPH.RIGHT, first=True)
    cell_para(names, "{%p for name in kinh_gui %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    cell_para(names, "{{ name }}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    cell_para(names, "{%p endfor %}", 14, align=WD_ALIGN_PARAGRAPH.LEFT)
    para(doc, "", 14, after=0)
    para(doc, "{%p for text in noi_dung %}")
    para(doc, "{{ text }}", 14, indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for item in danh_sach %}")
    para(doc, "{{ item }}", 14, indent=True, after=0)
    para(doc, "{%p endfor %}")
    para(doc, "{%p for text in ket_luan %}")
    para(doc, "{{ text }}", 14, indent=True).paragraph_format.keep_with_next = True
    para(doc, "{%p endfor %}")
    footer_table(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


def heading(doc, text: str, *, bold: bool) -> None:
    """A heading that never stays alone at a page's foot (keep with next)."""
    para(doc, text, 14, bold=bold, indent=True).paragraph_format.keep_with_next = True


def headed_body(doc, key: str) -> None:
    """The loop over ``key`` = ``[{title, subsections: [{title, level, paragraphs}]}]``.

    Nghị định 30: "I. …" (the titles are in capitals) and "1. …" bold, "a) …" plain.
    """
    para(doc, f"{{%p for section in {key} %}}")
    heading(doc, "{{ section.title }}", bold=True)
    para(doc, "{%p for sub in section.subsections %}")
    para(doc, "{%p if sub.title and sub.level == 3 %}")
    heading(doc, "{{ sub.title }}", bold=False)
    para(doc, "{%p elif sub.title %}")
    heading(doc, "{{ sub.title }}", bold=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p for text in sub.paragraphs %}")
    para(doc, "{{ text }}", 14, indent=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")


def appendix_title(doc, number: str, subject: str) -> None:
    """The title "PHỤ LỤC I" on a new page, its subject and the report it goes with."""
    title = para(doc, number, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    title.paragraph_format.page_break_before = True
    title.paragraph_format.keep_with_next = True
    para(doc, subject, 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    para(doc, "(Kèm theo Báo cáo số {{ so_van_ban }} của {{ co_quan_ban_hanh_thuong }})", 13,
         italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)  # fmt: skip


def build(out: Path = OUT) -> Path:
    """templates/docx/bao-cao.docx: the report."""
    doc = new_document()
    header_table(doc)

    para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=0)
    para(doc, "{{ trich_yeu }}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=0)
    rule(para(doc, "", 14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12), 6.0, 6.0)

    para(doc, "{{ mo_dau }}", 14, indent=True)
    headed_body(doc, "sections")
    para(doc, "{{ ket_thuc }}", 14, indent=True).paragraph_format.keep_with_next = True
    footer_table(doc)

    para(doc, "{%p if phu_luc %}")
    appendix_title(doc, "{{ phu_luc_so }}", "{{ phu_luc_tieu_de }}")
    columns = ["STT", "Đơn vị", "Hồ sơ nhận giải quyết", "Đã giải quyết", "Trước hạn, đúng hạn",
               "Tỷ lệ (%)", "Tình trạng nộp báo cáo"]  # fmt: skip
    table = doc.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    fixed_widths(table, [1.2, 4.6, 2.0, 2.0, 2.0, 1.6, 3.1])  # 16.5 cm: the text width
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell_para(cell, text, 11, bold=True, first=True)
    loop = table.rows[1].cells
    cell_para(loop[0], "{%tr for r in phu_luc %}", 11, first=True)
    fields = ["{{ r.stt }}", "{{ r.don_vi }}", "{{ r.nhan }}", "{{ r.da_giai_quyet }}", "{{ r.dung_han }}",
              "{{ r.ty_le }}", "{{ r.tinh_trang }}"]  # fmt: skip
    row = table.rows[2].cells
    for k, (cell, text) in enumerate(zip(row, fields, strict=True)):
        align = WD_ALIGN_PARAGRAPH.LEFT if k in (1, 6) else WD_ALIGN_PARAGRAPH.RIGHT
        cell_para(cell, text, 11, align=align, first=True)
    end_row = table.add_row().cells
    cell_para(end_row[0], "{%tr endfor %}", 11, first=True)
    para(doc, "{%p if bieu_do %}")
    para(doc, "{{ bieu_do }}", 14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if thuyet_minh %}")
    appendix_title(doc, "{{ thuyet_minh_so }}", "{{ thuyet_minh_tieu_de }}")
    headed_body(doc, "thuyet_minh")
    para(doc, "{%p endif %}")
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    print(build())
    print(build_letter())
