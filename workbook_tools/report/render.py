"""Render a report from a Word template (docxtpl) and convert it to PDF (LibreOffice).

Before rendering, every tag the template uses is checked against the data and
the missing ones are reported by name (the Jinja environment is strict: a
missing value is an error, never a blank). Text is XML-escaped (autoescape), so
a unit name with "&" or "<" cannot break the document.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError, meta, nodes

from workbook_tools import output
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.libreoffice import convert
from workbook_tools.report import long_table, long_text, splice
from workbook_tools.resources import docx_templates_dir

DEFAULT_TEMPLATE = "bao-cao.docx"
IMAGE_KEYS = ("bieu_do",)
LONG_TABLE = "phu_luc"
LONG_TEXT = "thuyet_minh"


def template_path(template: str | Path | None) -> Path:
    path = Path(template) if template else docx_templates_dir() / DEFAULT_TEMPLATE
    if not path.exists():
        raise WorkbookToolsError(
            f"Không tìm thấy mẫu báo cáo {path}. Hãy kiểm tra đường dẫn tệp .docx."
        )
    return path


def template_source(doc: DocxTemplate) -> str:
    """The Jinja source docxtpl renders: the body, then the headers and footers."""
    doc.get_docx()
    source: str = doc.patch_xml(doc.get_xml())
    for uri in (doc.HEADER_URI, doc.FOOTER_URI):
        for _, part in doc.get_headers_footers(uri):
            source += doc.patch_xml(doc.get_part_xml(part))
    return source


def missing_tags(template: nodes.Template, context: Mapping[str, Any]) -> list[str]:
    """Top-level names the template uses that the data does not provide."""
    return sorted(name for name in meta.find_undeclared_variables(template) if name not in context)


def _environment() -> Environment:
    return Environment(undefined=StrictUndefined, autoescape=True)


def render(context: Mapping[str, Any], out: str | Path, template: str | Path | None = None) -> Path:
    """Write the report to ``out`` (.docx); ``context`` may hold an image path under ``bieu_do``.

    The appendix rows (``phu_luc``) are written by :mod:`long_table` and the units' texts
    (``thuyet_minh``) by :mod:`long_text` when the template allows it: the same document as
    docxtpl's loops in far less time and memory.
    """
    path = template_path(template)
    try:
        doc = DocxTemplate(str(path))
        parsed = _environment().parse(template_source(doc))
    except (TemplateError, KeyError, ValueError) as exc:
        raise WorkbookToolsError(
            f"Mẫu báo cáo {path.name} có thẻ Jinja sai cú pháp: {exc}"
        ) from exc
    lacking = missing_tags(parsed, context)
    if lacking:
        raise WorkbookToolsError(
            f"Mẫu báo cáo {path.name} dùng các thẻ không có trong dữ liệu: {', '.join(lacking)}. "
            "Hãy sửa tên thẻ trong mẫu (ví dụ {{ so_van_ban }}) hoặc dùng mẫu gốc."
        )
    target = Path(out)
    rows = context.get(LONG_TABLE) or []
    texts = context.get(LONG_TEXT) or []
    sampled: dict[str, Any] = {}
    if long_table.plain_loop(parsed, LONG_TABLE):
        sampled[LONG_TABLE] = long_table.samples(rows)
    if long_table.plain_loop(parsed, LONG_TEXT) and long_text.plain_body(parsed, LONG_TEXT):
        sampled[LONG_TEXT] = long_text.samples(texts)
    sampled = {key: sample for key, sample in sampled.items() if sample is not None}
    with output.replacing(target) as temp:
        if sampled:
            rendered = BytesIO()
            _fill(doc, {**context, **sampled}, path).save(rendered)
            if _stream(
                rendered,
                temp,
                rows if LONG_TABLE in sampled else None,
                texts if LONG_TEXT in sampled else None,
            ):
                return target
        _fill(doc, context, path).save(str(temp))
    return target


def _stream(
    rendered: BytesIO,
    temp: Path,
    rows: Sequence[Mapping[str, str]] | None,
    texts: Sequence[Mapping[str, Any]] | None,
) -> bool:
    """Write ``rendered`` (made with the samples) to ``temp`` with the real rows and texts
    in place of the samples; False, writing nothing, when a sample is not where expected."""
    xml = splice.document_xml(rendered)
    splices = []
    if rows is not None:
        table = long_table.pattern(xml)
        if table is None:
            return False
        splices.append(table.splice(rows, len(xml)))
    if texts is not None:
        paragraphs = long_text.pattern(xml)
        if paragraphs is None:
            return False
        splices.append(paragraphs.splice(texts))
    splice.write(rendered, temp, xml, splices)
    return True


def _fill(doc: DocxTemplate, context: Mapping[str, Any], path: Path) -> DocxTemplate:
    data = dict(context)
    for key in IMAGE_KEYS:
        image = data.get(key)
        data[key] = InlineImage(doc, str(image), width=Mm(160)) if image else ""
    try:
        doc.render(data, jinja_env=_environment(), autoescape=True)
    except TemplateError as exc:
        raise WorkbookToolsError(f"Không điền được mẫu báo cáo {path.name}: {exc}") from exc
    return doc


def to_pdf(docx: Path) -> Path:
    """The PDF beside the .docx, through LibreOffice; a clear message when it is missing."""
    target = docx.with_suffix(".pdf")
    with (
        output.replacing(target) as temp,
        tempfile.TemporaryDirectory(prefix=".~pdf-", dir=docx.parent) as folder,
    ):
        os.replace(convert(docx, folder, "pdf"), temp)
    return target
