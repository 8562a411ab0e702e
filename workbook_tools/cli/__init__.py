"""The ``workbook-tools`` command: a thin layer that parses, calls the library, prints."""

from __future__ import annotations

import click

from workbook_tools import __version__
from workbook_tools.cli.base import HELP_TEXT, RootGroup
from workbook_tools.cli.check_cmd import check
from workbook_tools.cli.choose_cmd import choose
from workbook_tools.cli.codes_cmd import codes
from workbook_tools.cli.collect_cmd import collect, status
from workbook_tools.cli.demo_cmd import demo
from workbook_tools.cli.form_cmd import form
from workbook_tools.cli.generate_cmd import generate
from workbook_tools.cli.letter_cmd import letter
from workbook_tools.cli.merge_cmd import merge
from workbook_tools.cli.registry_cmd import registry
from workbook_tools.cli.report_cmd import report
from workbook_tools.cli.review_cmd import review
from workbook_tools.cli.serve_cmd import portal, serve
from workbook_tools.cli.units_cmd import units


@click.group(cls=RootGroup, context_settings={"max_content_width": 100})
@click.option("--debug", is_flag=True, help="Hiện chi tiết kỹ thuật (traceback) khi có lỗi.")
@click.version_option(
    __version__, "--version", help="Hiện phiên bản rồi thoát.", message="workbook-tools %(version)s"
)
@click.help_option("-h", "--help", help=HELP_TEXT)
def cli(debug: bool) -> None:
    """Công cụ báo cáo công tác dân vận chính quyền và dân chủ ở cơ sở.

    Sở Nội vụ tạo biểu mẫu Excel cho từng đơn vị (generate), kiểm tra tệp đơn vị gửi về
    (check), ghi nhận chúng (collect), theo dõi ai đã nộp (status), chọn tệp được dùng (choose),
    viết công văn đề nghị, đôn đốc (letter), tổng hợp (merge), viết báo cáo Word (report), đối
    chiếu hoặc dựng lại cơ sở dữ liệu từ lưu trữ (registry), mở cổng nộp trên web (serve,
    portal); xem định nghĩa biểu mẫu (form), danh sách đơn vị (units), các mã lỗi và cách sửa
    (codes) và chạy thử trên dữ liệu mẫu (demo).
    """


cli.add_command(form)
cli.add_command(units)
cli.add_command(generate)
cli.add_command(check)
cli.add_command(collect)
cli.add_command(status)
cli.add_command(choose)
cli.add_command(letter)
cli.add_command(merge)
cli.add_command(review)
cli.add_command(report)
cli.add_command(registry)
cli.add_command(demo)
cli.add_command(serve)
cli.add_command(portal)
cli.add_command(codes)


def main() -> None:
    cli.main()
