"""The demo's loop on the samples: counts worked out by hand from its scenario."""

from __future__ import annotations

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
    assert len(result.received) == 109
    assert len({p.name for p in result.received}) == 109
    assert sum(p.suffix == ".pdf" for p in result.received) == 1


def test_checks_feedback_and_registry(result: DemoResult) -> None:
    rejected = sorted(s.unit_code for s in result.checked if not s.accepted)
    s = result.scenario
    # text in a number cell, a blank required figure, parts that do not add up (first
    # version), and the scanned PDF (no unit can be read from it)
    assert rejected == sorted(["", s.text_in_number, s.blank_required, s.parts_mismatch])
    warned = [x for x in result.checked if x.accepted and x.warnings]
    assert [x.unit_code for x in warned] == [s.number_as_text]
    assert len(result.feedback) == 5  # every file with a finding gets one
    t = result.collected.totals
    assert (t["new_accepted"], t["new_rejected"], t["failed"]) == (105, 4, 0)


def test_status_by_hand(result: DemoResult) -> None:
    totals = result.status.totals
    assert totals.expected == 110
    assert totals.accepted == 105  # 110 - 2 missing - the PDF - 2 only-rejected
    assert totals.late == 3
    assert totals.rejected_only == 2
    assert totals.missing == 3  # the 2 silent units and the PDF's unit
    states = {u.unit_code: u.state for u in result.status.units}
    s = result.scenario
    assert states[s.parts_mismatch] == "accepted"  # the corrected file superseded the wrong one
    assert {states[c] for c in s.missing} == {"missing"}
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


def test_consolidated_workbook_is_itself_a_valid_return(result: DemoResult) -> None:
    from workbook_tools.checks import Expectation, check_file

    sub = check_file(result.consolidated_xlsx, Expectation(result.consolidation.form))
    assert sub.accepted, [f.message for f in sub.errors]
    assert sub.values["hs_truc_tuyen"] == sum(
        u.values["hs_truc_tuyen"] for u in result.consolidation.units
    )
