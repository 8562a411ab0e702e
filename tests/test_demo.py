"""The demo's loop on the samples: counts worked out by hand from its scenario."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.demo import DemoResult, run_demo


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo"))


def test_generates_one_workbook_per_sample_unit(result: DemoResult) -> None:
    # samples/units-quang-ngai.csv: 14 sở, ban, ngành + 96 commune-level units
    assert len(result.generated.files) == 110
    assert len(list(result.workbooks_dir.glob("*.xlsx"))) == 110  # names never collide


def test_inbox_as_scenario_says(result: DemoResult) -> None:
    # 110 units - 2 that send nothing + 1 unit that sends twice (rejected, then corrected)
    # + 1 unit that first sends its 2024-H1 workbook
    assert len(result.received) == 110
    assert len({p.name for p in result.received}) == 110
    assert sum(p.suffix == ".pdf" for p in result.received) == 1


def test_checks_feedback_and_registry(result: DemoResult) -> None:
    rejected = sorted(s.unit_code for s in result.checked if not s.accepted)
    s = result.scenario
    # text in a number cell, a blank required figure, parts that do not add up (first
    # version), the scanned PDF (its unit read from its file name), and, checked against
    # the period being collected, the 2024-H1 workbook
    assert rejected == sorted(
        [s.pdf_instead, s.text_in_number, s.blank_required, s.parts_mismatch, s.other_period]
    )
    warned = [x for x in result.checked if x.accepted and x.warnings]
    assert [x.unit_code for x in warned] == [s.number_as_text]
    assert len(result.feedback) == 6  # every file with a finding gets one
    assert len({p.name for p in result.feedback}) == 6
    t = result.collected.totals
    # collect keeps the 2024-H1 file (valid for its own period) without using it
    assert (t["new_accepted"], t["new_rejected"], t["failed"]) == (106, 4, 0)
    held = [e for e in result.collected.entries if e.held]
    assert [(e.unit_code, e.period, e.held) for e in held] == [
        (s.other_period, "2024-H1", "other-period")
    ]


def test_status_by_hand(result: DemoResult) -> None:
    totals = result.status.totals
    assert totals.expected == 110
    assert totals.accepted == 105  # 110 - 2 missing - the PDF - 2 only-rejected
    assert totals.late == 3
    assert totals.rejected_only == 3  # 2 with errors, and the PDF's unit
    assert totals.unreadable == 1
    assert totals.missing == 2  # the 2 silent units: the PDF's unit sent something
    states = {u.unit_code: u.state for u in result.status.units}
    s = result.scenario
    pdf_unit = next(u for u in result.status.units if u.unit_code == s.pdf_instead)
    assert pdf_unit.state_text == "Đã gửi tệp không đọc được (PDF)"
    assert states[s.parts_mismatch] == "accepted"  # the corrected file superseded the wrong one
    assert {states[c] for c in s.missing} == {"missing"}
    other = next(u for u in result.status.units if u.unit_code == s.other_period)
    assert other.state == "accepted" and other.other_period_files[0][1] == "2024-H1"
    # received by the Sở shortly after being saved (the demo collects once a day)
    assert all(
        u.first_seen_at is not None and u.received_at is not None
        and timedelta(0) < u.first_seen_at - u.received_at <= timedelta(days=1)
        for u in result.status.units if u.state == "accepted"
    )  # fmt: skip
    wb = openpyxl.load_workbook(result.status_xlsx)
    assert wb.worksheets[0].max_row >= 110


def test_cli_demo_prints_where_everything_is(tmp_path: Path) -> None:
    run = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "d")])
    assert run.exit_code == 0, run.output
    for part in (
        "1-bieu-mau",
        "2-hop-thu-den",
        "3-phan-hoi-don-vi",
        "workbook-tools.sqlite",
        "4-theo-doi-nop-bao-cao.xlsx",
    ):
        assert part in run.stdout
    again = CliRunner().invoke(cli, ["demo", "--out", str(tmp_path / "d")])
    assert again.exit_code == 0 and again.stdout == run.stdout  # a re-run starts afresh
    assert "tệp của kỳ 2024-H1" in run.stdout
    # the printed follow-up commands work as printed, without --units
    for line in run.stdout.splitlines():
        words = line.split()
        if words[:2] in (["workbook-tools", "status"], ["workbook-tools", "merge"]):
            args = [w.replace("tong-hop.xlsx", str(tmp_path / "th.xlsx")) for w in words[1:]]
            follow = CliRunner().invoke(cli, args)
            assert follow.exit_code == 0, follow.output
            # the 2 silent units; the PDF's unit sent a file (issue 11, item 3)
            assert "Chưa gửi: 2" in follow.stdout or "chưa gửi 2" in follow.stdout


def test_consolidated_workbook_is_itself_a_valid_return(result: DemoResult) -> None:
    from workbook_tools.checks import Expectation, check_file

    sub = check_file(result.consolidated_xlsx, Expectation(result.consolidation.form))
    assert sub.accepted, [f.message for f in sub.errors]
    assert sub.values["hs_truc_tuyen"] == sum(
        u.values["hs_truc_tuyen"] for u in result.consolidation.units
    )


# ---------------------------------------------------------------- issue 11, item 10


def test_follow_up_command_names_the_program_that_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``make demo`` runs .venv/bin/workbook-tools without activating the environment:
    the printed command must be one the same shell can run."""
    from workbook_tools.cli.demo_cmd import invoked_as

    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    program = venv_bin / "workbook-tools"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert invoked_as(".venv/bin/workbook-tools") == ".venv/bin/workbook-tools"
    monkeypatch.setenv("PATH", str(venv_bin))
    assert invoked_as(str(program)) == "workbook-tools"  # activated: the plain name works
    assert invoked_as("/usr/lib/python3/pytest") == "workbook-tools"


def test_printed_follow_up_command_works(result: DemoResult) -> None:
    from workbook_tools.cli.demo_cmd import describe

    text = describe(result, ".venv/bin/workbook-tools")
    lines = text.splitlines()
    after = lines[lines.index(next(x for x in lines if x.startswith("Xem lại bằng lệnh"))) + 1 :]
    commands = [x.split() for x in after if x.startswith("  ")]
    assert commands and all(c[0] == ".venv/bin/workbook-tools" for c in commands)
    assert "source .venv/bin/activate" in text
    status = next(c for c in commands if c[1] == "status")
    run = CliRunner().invoke(cli, status[1:])
    assert run.exit_code == 0, run.output
    assert "Tình hình nộp báo cáo" in run.stdout


@pytest.mark.parametrize(
    ("name", "group", "titles"),
    [
        (
            "Văn phòng UBND tỉnh",
            "Sở, ban, ngành",
            ("KT.", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
        ),
        ("Sở Nội vụ", "Sở, ban, ngành", ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
        ("Thanh tra tỉnh", "Sở, ban, ngành", ("KT.", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA")),
        (
            "Ban Quản lý Khu kinh tế Dung Quất",
            "Sở, ban, ngành",
            ("KT.", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
        ),
        ("UBND xã Tịnh Khê", "UBND xã", ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("UBND phường Cẩm Thành", "UBND phường", ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
        ("UBND đặc khu Lý Sơn", "UBND đặc khu", ("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    ],
)
def test_filler_signs_with_titles_that_fit_the_unit(
    name: str, group: str, titles: tuple[str, str, str]
) -> None:
    from workbook_tools.demo.returns import realistic_return
    from workbook_tools.units import Unit

    v = realistic_return(Unit("X", name, group, None, None, None, None)).values
    assert (v["hinh_thuc_ky"], v["chuc_danh_thu_truong"], v["chuc_vu_nguoi_ky"]) == titles


# ---------------------------------------------------------------- issue 10, item 5


def test_consolidated_report_is_written_from_the_sos_assessment(result: DemoResult) -> None:
    """The demo plays the Sở's part: its assessment, written in the consolidated workbook,
    is what sections III–V of the report say; the units' texts are in the appendix."""
    from docx import Document

    from workbook_tools.demo.assessment import DEMO_ASSESSMENT

    assert result.assessed_xlsx is not None and result.assessed_xlsx.is_file()
    paragraphs = [p.text.strip() for p in Document(str(result.report)).paragraphs]
    body = paragraphs[: next(k for k, p in enumerate(paragraphs) if p.startswith("Trên đây"))]
    headings = [p.split(" ", 1)[0] for p in body if p[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert headings == ["I.", "II.", "III.", "IV.", "V."]
    strengths = body.index("1. Ưu điểm")
    assert body[strengths + 1] == DEMO_ASSESSMENT["nd_uu_diem"]
    for line in DEMO_ASSESSMENT["nd_nhiem_vu"].splitlines():
        assert line in body
    # the merge's drafts of the other cells were cleared by the Sở: no unit's text in the body
    first = result.consolidation.units[0].unit_name
    assert not any(p.startswith(f"- {first}:") for p in body)
