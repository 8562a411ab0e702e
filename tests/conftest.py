"""Shared fixtures: the dvcq form, a request, generated workbooks, LibreOffice."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest

from workbook_tools.contract import Request
from workbook_tools.form import Form, get_form
from workbook_tools.libreoffice import find_soffice
from workbook_tools.periods import parse_period
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

REPO = Path(__file__).resolve().parent.parent
REQUIRE_LO = os.environ.get("WORKBOOK_TOOLS_REQUIRE_LIBREOFFICE") == "1"


@pytest.fixture(scope="session")
def dvcq() -> Form:
    return get_form("dvcq")


@pytest.fixture(scope="session")
def request_h1(dvcq: Form) -> Request:
    return Request(
        dvcq,
        parse_period("2025-H1"),
        date(2025, 6, 20),
        issuer="Sở Nội vụ tỉnh Quảng Ngãi",
        contact="Phòng Xây dựng chính quyền",
        generated_at=datetime(2025, 6, 1, 8, 0, 0),
    )


@pytest.fixture(scope="session")
def unit() -> Unit:
    return Unit(
        code="XA_DONG_SON",
        name="UBND xã Đông Sơn & <Thử>",
        group="UBND xã",
        parent=None,
        email="dongson@quangngai.gov.vn",
        contact="Nguyễn Văn A",
        note=None,
    )


@pytest.fixture(scope="session")
def fresh_workbook(
    tmp_path_factory: pytest.TempPathFactory, request_h1: Request, unit: Unit
) -> Path:
    """A workbook as ``generate`` makes it: through the template factory."""
    path = tmp_path_factory.mktemp("fresh") / "dong-son.xlsx"
    path.write_bytes(WorkbookFactory(request_h1).build(unit))
    return path


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice, or a skip — a failure under WORKBOOK_TOOLS_REQUIRE_LIBREOFFICE=1 (CI)."""
    found = find_soffice()
    if found is None:
        if REQUIRE_LO:
            pytest.fail("LibreOffice (soffice) is required here but not installed")
        pytest.skip("LibreOffice (soffice) not installed")
    return found
