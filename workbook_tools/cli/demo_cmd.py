"""``workbook-tools demo``: the whole loop on the shipped samples, and where each output is."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from workbook_tools.cli.base import VnCommand
from workbook_tools.cli.options import help_option, out_folder_option
from workbook_tools.demo import DemoResult, run_demo
from workbook_tools.registry import summary_lines


@click.command(cls=VnCommand)
@out_folder_option("Thư mục kết quả (ghi đè nếu đã có).", default="demo-output")
@help_option
def demo(out_dir: str) -> None:
    """Chạy thử toàn bộ quy trình trên dữ liệu mẫu tỉnh Quảng Ngãi (kỳ 6 tháng đầu năm 2025)."""
    click.echo("Đang chạy thử: tạo biểu mẫu, nhận tệp, kiểm tra, ghi nhận, theo dõi…", err=True)
    click.echo(describe(run_demo(Path(out_dir)), invoked_as()))


def invoked_as(argv0: str | None = None) -> str:
    """How to type this command again in the same shell: ``workbook-tools`` when that name
    finds this very program on PATH, else the path it was run by (``make demo`` runs
    ``.venv/bin/workbook-tools`` without activating the environment)."""
    program = argv0 if argv0 is not None else sys.argv[0]
    if Path(program).stem != "workbook-tools":
        return "workbook-tools"  # python -m, a test runner: the installed name
    found = shutil.which("workbook-tools")
    if found is not None and os.path.realpath(found) == os.path.realpath(program):
        return "workbook-tools"
    return program


def describe(result: DemoResult, command: str = "workbook-tools") -> str:
    accepted = sum(1 for s in result.checked if s.accepted)
    rejected = len(result.checked) - accepted
    t = result.collected.totals
    lines = [
        "Kết quả chạy thử (dữ liệu mẫu tỉnh Quảng Ngãi, 6 tháng đầu năm 2025):",
        "",
        f"1. Biểu mẫu cho {len(result.generated.files)} đơn vị: {result.workbooks_dir}",
        f"   Danh sách gửi (đơn vị, email, tệp): {result.generated.manifest}",
        f"   Công văn đề nghị báo cáo (Word): {result.request_letter}",
        f"2. Tệp các đơn vị gửi về ({len(result.received)} tệp): {result.inbox}",
        f"3. Kiểm tra: {accepted} tệp hợp lệ, {rejected} tệp có lỗi. Tệp phản hồi cho đơn vị "
        "(có lỗi: …_can-sua.xlsx, ô lỗi tô màu, có ghi chú; chỉ có cảnh báo: …_ghi-chu.xlsx, "
        f"không phải gửi lại): {result.feedback_dir}",
        f"4. Ghi nhận vào {result.db}: {t['new_accepted']} tệp hợp lệ, {t['new_rejected']} tệp có lỗi "
        "(bản gốc hợp lệ lưu trong thư mục archive).",
        *[
            f"   {e.path.name}: {e.period_text(result.collected.periods)} — chỉ lưu, không thay "
            "bản nào (Sở chọn bằng lệnh choose nếu cần)."
            for e in result.collected.entries
            if e.held == "other-period"
        ],
        f"5. Danh sách theo dõi nộp báo cáo: {result.status_xlsx}",
        *[f"   {line}" for line in summary_lines(result.status)],
        f"   Công văn đôn đốc các đơn vị chưa gửi báo cáo hợp lệ (Word): {result.reminder_letter}",
        f"6. Bảng tổng hợp ({len(result.consolidation.units)} đơn vị có số liệu): {result.consolidated_xlsx}",
        f"   Sở viết đánh giá (ưu điểm, hạn chế, nhiệm vụ, kiến nghị) vào các ô thuyết minh "
        f"của bảng tổng hợp (mô phỏng): {result.assessed_xlsx}",
        f"7. Báo cáo tổng hợp của Sở (Word, viết từ bảng tổng hợp đã có đánh giá, như "
        f"report --from): {result.report}",
        f"   Bản PDF: {result.report_pdf}"
        if result.report_pdf
        else "   (Cài LibreOffice để có thêm bản PDF.)",
        f"8. Báo cáo của một đơn vị ({result.unit_report_of}): {result.unit_report}",
        "",
        "Mở một biểu mẫu để xem: " + str(result.generated.files[0].path),
        "Xem lại bằng lệnh (danh sách đơn vị đã ghi khi tạo biểu mẫu, không cần --units):",
        f"  {command} status --period 2025-H1 --db {result.db}",
        f"  {command} merge --period 2025-H1 --db {result.db} --out tong-hop.xlsx",
        f'  {command} choose TỆP --reason "lý do" --db {result.db}   (chọn tệp được dùng)',
    ]
    if command != "workbook-tools":
        folder = Path(command).parent
        activate = str(folder / "activate") if os.name == "nt" else f"source {folder}/activate"
        lines.append(
            f"(Lệnh workbook-tools được cài trong môi trường riêng: gõ {command} như trên, hoặc "
            f"kích hoạt môi trường trước bằng “{activate}” rồi gõ workbook-tools.)"
        )
    return "\n".join(lines)
