"""``workbook-tools form``: list, show and check form definitions."""

from __future__ import annotations

import json

import click

from workbook_tools.cli.base import VnGroup
from workbook_tools.cli.options import help_option, json_option
from workbook_tools.cli.types import file_path
from workbook_tools.form import Form, get_form, load_form, shipped_forms
from workbook_tools.form.outline import unprinted


@click.group(cls=VnGroup)
@help_option
def form() -> None:
    """Xem và kiểm tra định nghĩa biểu mẫu."""


@form.command("list")
@help_option
def list_forms() -> None:
    """Liệt kê các biểu mẫu có sẵn."""
    for name, path in shipped_forms().items():
        f = load_form(path)
        click.echo(
            f"{name}\tphiên bản {f.version}\t{len(f.indicators)} chỉ tiêu, "
            f"{len(f.rules)} quy tắc\t{f.title}"
        )


@form.command("show")
@click.argument("name", metavar="BIỂU_MẪU")
@json_option("In dạng JSON cho các công cụ khác.")
@help_option
def show(name: str, as_json: bool) -> None:
    """Hiện các chỉ tiêu và quy tắc kiểm tra của BIỂU_MẪU (mã hoặc tệp .yaml)."""
    f = get_form(name)
    if as_json:
        data = f.to_dict()
        data["fingerprint"] = f.fingerprint
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(describe(f))


def describe(f: Form) -> str:
    lines = [
        f"{f.title}",
        f"Biểu mẫu {f.id}, phiên bản {f.version}, dấu vân tay {f.fingerprint}",
        f"Cơ quan nhận: {f.agency}",
        "",
    ]
    for section in f.sections:
        lines.append(f"[{section.id}] {section.title}")
        for ind in section.indicators:
            unit = f" ({ind.unit})" if ind.unit else ""
            role = f" = {ind.expression_text}" if ind.computed else ""
            req = " *" if ind.required else ""
            lines.append(f"  {ind.code:<24} {ind.kind.value:<9} {ind.label}{unit}{req}{role}")
        lines.append("")
    lines.append("Quy tắc kiểm tra:")
    for rule in f.rules:
        level = "lỗi" if rule.severity == "error" else "cảnh báo"
        lines.append(f"  {rule.id:<28} [{level}] {rule.text}")
    for table in f.tables:
        cols = ", ".join(c.code for c in table.columns)
        lines.append(f"\nBảng {table.code} ({table.title}, tối đa {table.max_rows} dòng): {cols}")
    if f.outline is not None:
        lines.append("\nDàn ý báo cáo (đề mục → ô thuyết minh):")
        for heading in f.outline.headings:
            cells = f" → {', '.join(heading.narrative)}" if heading.narrative else ""
            lines.append(f"  {'  ' * (heading.level - 1)}{heading.title}{cells}")
    lines.append("\n(*) bắt buộc nhập.")
    return "\n".join(lines)


@form.command("check")
@click.argument("path", metavar="TỆP", type=file_path(exists=True))
@help_option
def check(path: str) -> None:
    """Kiểm tra một tệp định nghĩa biểu mẫu (.yaml); báo mọi lỗi kèm cách sửa.

    Cũng liệt kê mọi ô nhập liệu mà không câu nào của dàn ý báo cáo in ra: đơn vị
    được hỏi một số liệu mà báo cáo không bao giờ nhắc đến.
    """
    f = load_form(path)
    click.echo(
        f"Hợp lệ: biểu mẫu {f.id} phiên bản {f.version}, {len(f.indicators)} chỉ tiêu, "
        f"{len(f.rules)} quy tắc, {len(f.tables)} bảng."
    )
    if f.outline is None:
        raise click.ClickException(
            "Biểu mẫu chưa có dàn ý báo cáo (khóa 'outline:'), nên không viết được báo cáo. "
            "Thêm dàn ý: danh sách đề mục, mỗi đề mục có các câu và ô thuyết minh."
        )
    missing = unprinted(f.outline, f.inputs)
    if missing:
        raise click.ClickException(
            f"Dàn ý báo cáo không in {len(missing)} ô nhập liệu: {', '.join(missing)}. "
            "Thêm một câu có {{ mã | count }} (hoặc ghi mã vào 'narrative:' nếu là ô "
            "thuyết minh) ở đề mục phù hợp, hoặc bỏ ô nhập liệu đó khỏi biểu mẫu."
        )
    click.echo(f"Dàn ý báo cáo: {len(f.outline.headings)} đề mục, in mọi ô nhập liệu.")
