"""Render a report from a Word template (docxtpl) and convert it to PDF (LibreOffice).

Before rendering, every tag the template uses is checked against the data and
the missing ones are reported by name (the Jinja environment is strict: a
missing value is an error, never a blank). Text is XML-escaped (autoescape), so
a unit name with "&" or "<" cannot break the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateError

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.libreoffice import convert
from workbook_tools.resources import docx_templates_dir

DEFAULT_TEMPLATE = "bao-cao.docx"
IMAGE_KEYS = ("bieu_do",)


def template_path(template: str | Path | None) -> Path:
    path = Path(template) if template else docx_templates_dir() / DEFAULT_TEMPLATE
    if not path.exists():
        raise WorkbookToolsError(
            f"Không tìm thấy mẫu báo cáo {path}. Hãy kiểm tra đường dẫn tệp .docx."
        )
    return path


def missing_tags(template: DocxTemplate, context: Mapping[str, Any]) -> list[str]:
    """Top-level names the template uses that the data does not provide."""
    env = Environment(undefined=StrictUndefined, autoescape=True)
    needed = template.get_undeclared_template_variables(env)
    return sorted(name for name in needed if name not in context)


def render(context: Mapping[str, Any], out: str | Path, template: str | Path | None = None) -> Path:
    """Write the report to ``out`` (.docx); ``context`` may hold an image path under ``bieu_do``."""
    path = template_path(template)
    try:
        doc = DocxTemplate(str(path))
        lacking = missing_tags(doc, context)
    except (TemplateError, KeyError, ValueError) as exc:
        raise WorkbookToolsError(
            f"Mẫu báo cáo {path.name} có thẻ Jinja sai cú pháp: {exc}"
        ) from exc
    if lacking:
        raise WorkbookToolsError(
            f"Mẫu báo cáo {path.name} dùng các thẻ không có trong dữ liệu: {', '.join(lacking)}. "
            "Hãy sửa tên thẻ trong mẫu (ví dụ {{ so_van_ban }}) hoặc dùng mẫu gốc."
        )
    data = dict(context)
    for key in IMAGE_KEYS:
        image = data.get(key)
        data[key] = InlineImage(doc, str(image), width=Mm(160)) if image else ""
    env = Environment(undefined=StrictUndefined, autoescape=True)
    try:
        doc.render(data, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise WorkbookToolsError(f"Không điền được mẫu báo cáo {path.name}: {exc}") from exc
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target


def to_pdf(docx: Path) -> Path:
    """The PDF beside the .docx, through LibreOffice; a clear message when it is missing."""
    return convert(docx, docx.parent, "pdf")
