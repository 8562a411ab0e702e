"""The demo: the reporting loop on the shipped sample registry of Quảng Ngãi.

generate → the units' returns arrive (some late, some wrong, some never) →
check with feedback files → collect into the registry → status follow-up list.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.checks.feedback import write_feedback
from workbook_tools.contract import Request
from workbook_tools.contract.request import Citation
from workbook_tools.demo.assessment import write_assessment
from workbook_tools.demo.inbox import Scenario, build_inbox, pick_scenario
from workbook_tools.form import get_form
from workbook_tools.libreoffice import find_soffice
from workbook_tools.merge import Consolidation, consolidate
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.periods import parse_period
from workbook_tools.reader.manifest import read_manifest
from workbook_tools.reader.units import load_units
from workbook_tools.reader.workbook import workbook_owner
from workbook_tools.registry import (
    CollectReport,
    StatusReport,
    SubmissionStore,
    collect,
    status_report,
    write_status_xlsx,
)
from workbook_tools.registry.rounds import expected_units
from workbook_tools.report import Frame, consolidated_report, to_pdf, unit_report
from workbook_tools.report.assessment import read_assessment
from workbook_tools.report.frame import topic_of, unit_issuer
from workbook_tools.report.letters import Letter, reminder_context, request_context, write_letter
from workbook_tools.resources import samples_dir
from workbook_tools.units import Unit
from workbook_tools.writer import GenerationResult, generate

DEMO_PERIOD = "2025-H1"
DEMO_DEADLINE = date(2025, 6, 20)
DEMO_ISSUER = "Sở Nội vụ tỉnh Quảng Ngãi"
DEMO_CONTACT = "Phòng Xây dựng chính quyền và Công tác thanh niên, Sở Nội vụ"
UNITS_FILE = "units-quang-ngai.csv"
DEMO_SIGNER = Signer(preparer="Trần Thị Thu Hà", phone="0255 3822 123", signer="Nguyễn Văn Minh")
DEMO_CITATION = Citation(
    plan="Kế hoạch số 39/KH-UBND ngày 27/02/2025 của UBND tỉnh về thực hiện Quy chế dân chủ ở "
    "cơ sở và công tác dân vận chính quyền năm 2025",
    letter_number="1119/SNV-XDCQ",
    letter_date=date(2025, 5, 23),
    letter_issuer="Sở Nội vụ",
    letter_subject="báo cáo kết quả thực hiện công tác dân chủ ở cơ sở và công tác dân vận chính "
    "quyền 6 tháng đầu năm 2025, phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
)


@dataclass(frozen=True)
class DemoResult:
    out_dir: Path
    workbooks_dir: Path
    generated: GenerationResult
    inbox: Path
    received: list[Path]
    scenario: Scenario
    checked: list[Submission]
    feedback_dir: Path
    feedback: list[Path]
    db: Path
    collected: CollectReport
    status: StatusReport
    status_xlsx: Path
    consolidation: Consolidation
    consolidated_xlsx: Path
    report: Path
    report_pdf: Path | None
    unit_report: Path
    unit_report_of: str
    request_letter: Path
    reminder_letter: Path
    assessed_xlsx: Path | None = None  # the consolidated workbook with the Sở's assessment


OUTPUTS = (
    "1-bieu-mau",
    "2-hop-thu-den",
    "3-phan-hoi-don-vi",
    "archive",
    "4-theo-doi-nop-bao-cao.xlsx",
    "4-cong-van-don-doc.docx",
    "5-tong-hop-so-da-danh-gia.xlsx",
)
DB_NAME = "workbook-tools.sqlite"


def _clear_previous_run(out_dir: Path) -> None:
    """Remove what an earlier demo wrote (only the demo's own names), so runs do not mix."""
    for name in OUTPUTS:
        target = out_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for suffix in ("", "-wal", "-shm", "-journal"):
        (out_dir / f"{DB_NAME}{suffix}").unlink(missing_ok=True)


def collect_daily(
    received: list[Path], store: SubmissionStore, expect: Expectation, period: str
) -> CollectReport:
    """The Sở collects its inbox each day: each file is received shortly after it was saved."""
    days: dict[date, list[Path]] = {}
    for path in received:
        days.setdefault(datetime.fromtimestamp(path.stat().st_mtime).date(), []).append(path)
    report = CollectReport(periods=(period,))
    for files in days.values():
        last = max(datetime.fromtimestamp(p.stat().st_mtime) for p in files)
        run = collect(files, store, expect, periods=[period], now=last + timedelta(minutes=10))
        report.entries.extend(run.entries)
        report.received_at = run.received_at
    return report


def run_demo(out_dir: Path) -> DemoResult:
    _clear_previous_run(out_dir)
    units_path = samples_dir() / UNITS_FILE
    registry = load_units(units_path)
    form = get_form("dvcq")
    period = parse_period(DEMO_PERIOD)
    request = Request(
        form,
        period,
        DEMO_DEADLINE,
        issuer=DEMO_ISSUER,
        contact=DEMO_CONTACT,
        citation=DEMO_CITATION,
    )
    units = list(registry)

    workbooks = out_dir / "1-bieu-mau"
    generated = generate(request, units, workbooks, owner=workbook_owner, read_list=read_manifest)
    sender = Letter(
        unit_issuer(Unit("SNV", DEMO_ISSUER, "Sở, ban, ngành")),
        period,
        topic_of(form.title),
        DEMO_CITATION,
        DEMO_SIGNER.values(),
    )
    request_letter = write_letter(
        request_context(sender, units, form_title=form.title, files=len(generated.files),
                        deadline=DEMO_DEADLINE, contact=DEMO_CONTACT),
        workbooks / "cong-van-de-nghi-bao-cao.docx",
    )  # fmt: skip
    db = out_dir / DB_NAME
    with SubmissionStore.open(db) as store:  # as `generate --db`: the round is known
        store.record_round(
            form.id, period, units, deadline=DEMO_DEADLINE, source=registry.source,
            generated_at=request.generated_at,
        )  # fmt: skip

    inbox = out_dir / "2-hop-thu-den"
    scenario = pick_scenario(units)
    received = build_inbox(request, units, inbox, scenario)

    expect = Expectation(form, period, registry=registry)
    checked = [check_file(path, expect) for path in received]
    feedback_dir = out_dir / "3-phan-hoi-don-vi"
    feedback = [write_feedback(sub, feedback_dir) for sub in checked if sub.findings]

    with SubmissionStore.open(db) as store:
        collected = collect_daily(
            received, store, Expectation(form, registry=registry), period.code
        )
        expected = expected_units(store, form.id, period, None)  # as `status` without --units
        status = status_report(store, form.id, period, expected)
        consolidation = consolidate(store, form, period, expected)
    status_xlsx = write_status_xlsx(
        status,
        out_dir / "4-theo-doi-nop-bao-cao.xlsx",
        title=f"TÌNH HÌNH NỘP BÁO CÁO {period.label.upper()}",
    )
    reminder_letter = write_letter(
        reminder_context(sender, status, units, as_of=DEMO_DEADLINE + timedelta(days=3),
                         new_deadline=DEMO_DEADLINE + timedelta(days=7)),
        out_dir / "4-cong-van-don-doc.docx",
    )  # fmt: skip
    agency = Unit("SNV", "Sở Nội vụ tỉnh Quảng Ngãi", "Cơ quan tổng hợp", None, None, None, None)
    signer = DEMO_SIGNER
    consolidated = write_consolidated(
        consolidation,
        out_dir / "5-tong-hop.xlsx",
        Request(form, period, issuer="UBND tỉnh Quảng Ngãi"),
        agency,
        signer,
    )
    frame = Frame(
        unit_issuer(Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành")),
        Citation(plan=DEMO_CITATION.plan),
        recipients=("UBND tỉnh (b/c)", "Ban Dân vận Tỉnh ủy", "Bộ Nội vụ", "Lãnh đạo Sở"),
        archive="Lưu: VT, XDCQ.",
    )
    # the Sở writes its assessment in the consolidated workbook, then the report is
    # written from that workbook (as `report --from`)
    assessed = write_assessment(consolidated, form, out_dir / "5-tong-hop-so-da-danh-gia.xlsx")
    report = consolidated_report(
        consolidation,
        frame,
        signer.values(),
        out_dir / "6-bao-cao-tong-hop.docx",
        assessment=read_assessment(assessed, form, period),
    )
    report_pdf = to_pdf(report) if find_soffice() else None
    first = consolidation.units[0]
    unit_frame = Frame(recipients=("Sở Nội vụ",))
    with SubmissionStore.open(db) as store:
        own = unit_report(
            store,
            form,
            period,
            registry.get(first.unit_code),
            unit_frame,
            out_dir / "7-bao-cao-don-vi.docx",
        )
    return DemoResult(
        out_dir, workbooks, generated, inbox, received, scenario, checked, feedback_dir, feedback, db,
        collected, status, status_xlsx, consolidation, consolidated, report, report_pdf, own, first.unit_name,
        request_letter, reminder_letter, assessed,
    )  # fmt: skip
