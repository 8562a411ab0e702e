"""The demo: the reporting loop on the shipped sample registry of Quảng Ngãi."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.resources import samples_dir
from workbook_tools.units import load_units
from workbook_tools.workbook import GenerationResult, Request, generate

DEMO_PERIOD = "2025-H1"
DEMO_DEADLINE = date(2025, 6, 20)
DEMO_ISSUER = "Sở Nội vụ tỉnh Quảng Ngãi"
DEMO_CONTACT = "Phòng Xây dựng chính quyền và Công tác thanh niên, Sở Nội vụ"


@dataclass(frozen=True)
class DemoResult:
    workbooks_dir: Path
    generated: GenerationResult


def run_demo(out_dir: Path) -> DemoResult:
    registry = load_units(samples_dir() / "units-quang-ngai.csv")
    request = Request(
        get_form("dvcq"),
        parse_period(DEMO_PERIOD),
        DEMO_DEADLINE,
        issuer=DEMO_ISSUER,
        contact=DEMO_CONTACT,
    )
    workbooks = out_dir / "1-bieu-mau"
    generated = generate(request, list(registry), workbooks)
    return DemoResult(workbooks, generated)
