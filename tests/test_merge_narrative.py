"""The consolidated workbook's narrative draft, edited by the Sở, and the report written
from it (``report --from``)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document
from helpers import name_cells
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_merge import REGISTRY, db  # noqa: F401  (the module's registry of known returns)

from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.merge import Consolidation, consolidate
from workbook_tools.merge.consolidate import UnitFigures
from workbook_tools.merge.narrative import CELL_LIMIT, draft, narrative_values
from workbook_tools.merge.workbook import Signer, write_consolidated
from workbook_tools.periods import parse_period
from workbook_tools.registry import SubmissionStore
from workbook_tools.units import Unit, write_units_csv

H1 = parse_period("2025-H1")


def consolidation(db_path: Path, form: Form) -> Consolidation:
    with SubmissionStore.open(db_path) as store:
        return consolidate(store, form, H1, REGISTRY)


def test_draft_opens_with_the_facts_and_groups_every_unit_text(db: Path, dvcq: Form) -> None:  # noqa: F811
    c = consolidation(db, dvcq)
    values = narrative_values(c)
    situation = values["nd_tinh_hinh"] or ""
    # 4 units expected (the registry's "Cụm xã" sends nothing), 3 accepted
    assert situation.startswith(
        "Có 3/4 cơ quan, đơn vị gửi báo cáo hợp lệ; 1 đơn vị chưa gửi (Cụm xã)."
    )
    # 850 of 860 resolved early or on time (hand-chosen figures of test_merge), at the
    # rate's one display precision, as the workbook and the report show it
    assert "tỷ lệ giải quyết trước hạn và đúng hạn: 98,8%" in situation
    proposals = values["nd_kien_nghi"] or ""
    lines = proposals.splitlines()
    assert lines.index("UBND xã:") < lines.index("Sở, ban, ngành:")  # grouped by khối, list order
    for unit in c.units:
        text = unit.values.get("nd_kien_nghi")
        if text:
            assert f"- {unit.unit_name}: {str(text).strip()}" in proposals


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 15_000), min_size=1, max_size=8))
def test_a_unit_text_is_whole_or_named_never_cut(dvcq: Form, sizes: list[int]) -> None:
    c = Consolidation(dvcq, H1, [], {}, {}, {}, {}, None, None, [])  # type: ignore[arg-type]
    c.units = [
        UnitFigures(f"U{k}", f"Đơn vị {k}", "Khối", None, {"nd_kien_nghi": f"{k}" + "ý" * n})
        for k, n in enumerate(sizes)
    ]
    text = draft(c, dvcq.by_code["nd_kien_nghi"]) or ""
    assert len(text) <= CELL_LIMIT
    lines = text.splitlines()
    note = lines[-1] if lines[-1].startswith("(Nội dung của") else ""
    for k, n in enumerate(sizes):
        whole = f"- Đơn vị {k}: {k}" + "ý" * n in lines
        assert whole != (f"Đơn vị {k}" in note)  # each unit: its whole text, or named


def _edit(path: Path, changes: dict[str, str]) -> None:
    wb = openpyxl.load_workbook(path)
    cells = name_cells(wb)
    for code, value in changes.items():
        sheet, cell = cells[code]
        wb[sheet][cell].value = value
    wb.save(path)


@pytest.fixture()
def edited(db: Path, dvcq: Form, tmp_path: Path) -> tuple[Path, Path, Consolidation]:  # noqa: F811
    c = consolidation(db, dvcq)
    agency = Unit("SNV", "Sở Nội vụ", "Sở, ban, ngành")
    out = write_consolidated(c, tmp_path / "tong-hop.xlsx", Request(dvcq, H1), agency,
                             Signer(phone="0255 3822 123", signer="Nguyễn Văn Minh"))  # fmt: skip
    units = tmp_path / "don-vi.csv"
    write_units_csv(REGISTRY, units)
    return out, units, c


def run_report(db_path: Path, units: Path, edited_path: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [
        "report", "--period", "2025-H1", "--db", str(db_path), "--units", str(units),
        "--from", str(edited_path), "--out", str(out),
    ])  # fmt: skip
    return result.exit_code, result.stdout + result.stderr


def test_report_takes_the_sos_edited_assessment_and_cuts_no_unit_text(
    db: Path,  # noqa: F811
    edited: tuple[Path, Path, Consolidation],
    tmp_path: Path,
) -> None:
    path, units, c = edited
    _edit(
        path,
        {
            "nd_uu_diem": "Các cơ quan, đơn vị quan tâm chỉ đạo.\nKỷ luật, kỷ cương được giữ vững.",
            "nd_nhiem_vu": "Tiếp tục thực hiện Chỉ thị số 33/CT-TTg.",
        },
    )
    code, output = run_report(db, units, path, tmp_path / "bao-cao.docx")
    assert code == 0, output
    paragraphs = [p.text for p in Document(str(tmp_path / "bao-cao.docx")).paragraphs]
    start = paragraphs.index("1. Ưu điểm")
    assert paragraphs[start + 1 : start + 3] == [
        "Các cơ quan, đơn vị quan tâm chỉ đạo.",
        "Kỷ luật, kỷ cương được giữ vững.",
    ]
    assert "Tiếp tục thực hiện Chỉ thị số 33/CT-TTg." in paragraphs
    # the units' ưu điểm are no longer pasted under the Sở's heading
    assert not any(p.startswith("- ") and "ưu điểm" in p.casefold() for p in paragraphs)
    # the kiến nghị kept as drafted: every unit's text whole, under its name
    for unit in c.units:
        text = unit.values.get("nd_kien_nghi")
        for line in str(text or "").splitlines():
            if line.strip():
                assert any(line.strip() in p for p in paragraphs), line
    assert not any(p.startswith("(Và ") for p in paragraphs)


def test_a_workbook_broken_by_the_edit_is_refused_with_its_cell(
    db: Path,  # noqa: F811
    edited: tuple[Path, Path, Consolidation],
    tmp_path: Path,
) -> None:
    path, units, _ = edited
    _edit(path, {"nguoi_ky": ""})
    code, output = run_report(db, units, path, tmp_path / "bao-cao.docx")
    assert code == 1
    assert "Không dùng được bảng tổng hợp tong-hop.xlsx" in output
    assert "Đơn vị!C19" in output and "Traceback" not in output
    assert not (tmp_path / "bao-cao.docx").exists()


def test_report_cli_keeps_every_recipient_and_heads_a_commune_by_its_khoi(
    db: Path,  # noqa: F811
    edited: tuple[Path, Path, Consolidation],
    tmp_path: Path,
) -> None:
    _, units, _ = edited
    out = tmp_path / "xa-a.docx"
    result = CliRunner().invoke(cli, [
        "report", "--period", "2025-H1", "--db", str(db), "--units", str(units), "--unit", "XA_A",
        "--recipient", "Sở Nội vụ", "--recipient", "Phòng Nội vụ", "--recipient", "Đảng ủy xã",
        "--out", str(out),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    left, right = doc.tables[0].rows[0].cells
    # "UBND xã A" of the registry: no line above, the commune's name, BC-UBND, its place
    assert [p.text for p in left.paragraphs if p.text] == [
        "ỦY BAN NHÂN DÂN",
        "XÃ A",
        "Số:       /BC-UBND",
    ]
    assert any(p.text.startswith("A, ngày") for p in right.paragraphs)
    places = [p.text for p in doc.tables[1].rows[0].cells[0].paragraphs if p.text]
    assert places == ["Nơi nhận:", "- Sở Nội vụ;", "- Phòng Nội vụ;", "- Đảng ủy xã;", "- Lưu: VT."]
    closing = next(p.text for p in doc.paragraphs if p.text.startswith("Trên đây"))
    assert closing.endswith("kính gửi Sở Nội vụ tổng hợp./.")
