"""Issue 15 item 10: merge --phone, a model pushed past the table, thin spaces in numbers,
``check -rf.xlsx`` in Vietnamese, ``check --json`` listing valid files too."""

from __future__ import annotations

import json
from pathlib import Path

import faults
import openpyxl
import pytest
from click.testing import CliRunner

from workbook_tools.checks import Expectation, check_file
from workbook_tools.checks.values import type_value
from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.contract.layout import TABLE_FIRST_ROW
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.reader.clean import clean_value
from workbook_tools.units import write_units_csv
from workbook_tools.writer.writer import WorkbookFactory


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_merge_phone_is_written_and_the_consolidated_workbook_passes_its_check(
    tmp_path: Path, request_h1: Request, dvcq: Form
) -> None:
    faults.make_inbox(tmp_path / "inbox", request_h1, dvcq, faults.units(2))
    write_units_csv(faults.units(2), tmp_path / "units.csv")
    db = tmp_path / "so.sqlite"
    assert run("collect", str(tmp_path / "inbox"), "--period", "2025-H1", "--db", str(db))[0] == 0
    out = tmp_path / "tong-hop.xlsx"
    code, text = run(
        "merge", "--period", "2025-H1", "--db", str(db), "--out", str(out),
        "--units", str(tmp_path / "units.csv"),
        "--signer", "Nguyễn Văn B", "--phone", "0255 3822 123",
    )  # fmt: skip
    assert code == 0, text
    sub = check_file(out, Expectation(dvcq))
    assert sub.values["dien_thoai"] == "0255 3822 123"
    assert "dien_thoai" not in {i for f in sub.findings for i in f.indicators}
    assert sub.accepted, [f.message for f in sub.errors]


def test_a_model_pushed_past_the_tables_last_row_is_reported(
    tmp_path: Path, request_h1: Request, dvcq: Form, unit: object
) -> None:
    table = dvcq.tables[0]
    ret = realistic_return(faults.units(1)[0], 2)
    first = {k[2]: v for k, v in ret.table.items() if k[1] == 1}
    rows = {
        (table.code, i, col): v for i in range(1, table.max_rows + 1) for col, v in first.items()
    }
    rows[(table.code, table.max_rows, "ten_mo_hinh")] = "Mô hình cuối"
    data = fill_xlsx(
        WorkbookFactory(request_h1).build(faults.units(1)[0]), build_layout(dvcq), ret.values, rows
    )
    path = tmp_path / "chen-dong.xlsx"
    path.write_bytes(data)
    assert check_file(path, Expectation(dvcq)).accepted
    wb = openpyxl.load_workbook(path)
    wb[table.sheet].insert_rows(TABLE_FIRST_ROW + 2)  # one row inserted inside the table
    wb.save(path)
    sub = check_file(path, Expectation(dvcq))
    (outside,) = [f for f in sub.findings if f.code == "table-row-outside"]
    last_sheet_row = TABLE_FIRST_ROW + table.max_rows + 1  # 1-based: the pushed-out row
    assert (outside.sheet, outside.cell) == (table.sheet, f"B{last_sheet_row}")
    assert not sub.accepted


@pytest.mark.parametrize("space", ["\u2009", "\u202f", "\u00a0", " "])
def test_thousands_with_a_thin_or_narrow_space_read_like_a_plain_space(space: str) -> None:
    from workbook_tools.form import get_form

    field = get_form("dvcq").by_code["don_tiep_nhan"]
    typed = type_value(field, clean_value(f"1{space}234"))
    assert typed.value == 1234
    assert [i.kind.code for i in typed.issues] == ["value-number-as-text"]


def test_check_with_an_option_like_file_name_answers_in_vietnamese(tmp_path: Path) -> None:
    code, out = run("check", "-rf.xlsx")
    assert code == 2
    assert "No such option" not in out and "Usage" not in out
    assert "Không có tùy chọn" in out and "--" in out  # says how to name such a file


def test_check_json_lists_valid_files_too(tmp_path: Path, request_h1: Request, dvcq: Form) -> None:
    (good,) = faults.make_inbox(tmp_path / "inbox", request_h1, dvcq, faults.units(1))
    bad = tmp_path / "inbox" / "rong.xlsx"
    bad.write_bytes(b"")
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "inbox"), "--json"])
    assert result.exit_code == 1
    files = {Path(entry["file"]).name: entry for entry in json.loads(result.stdout)["items"]}
    assert files[good.name]["accepted"] is True and files[good.name]["unit_code"] == "XA_000"
    assert files["rong.xlsx"]["accepted"] is False
    assert [f["code"] for f in files["rong.xlsx"]["findings"]] == ["file-empty"]
