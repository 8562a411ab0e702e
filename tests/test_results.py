"""One report shape for every ``--json`` (issue 12 item 5): per file or unit a verdict,
counts and findings, then totals and a top-level ``valid``.

The fixture's files are known by construction, and every count below is worked out by
hand from what was put in them:

- ``warn.xlsx``: XA_TINH_KHE's return with a number typed as text (``don_tiep_nhan``
  “1.045”) and fewer people than visits (``tcd_nguoi`` 5): 0 errors, 2 warnings, accepted;
- ``bad.xlsx``: the same unit's return with “hơn 150” in the number cell ``tcd_luot``:
  1 error (``value-text-in-number``), 0 warnings, rejected;
- ``notes.txt``: not a workbook: 1 error (``file-not-workbook``), rejected.

The unit list has XA_TINH_KHE and XA_BA_TO; XA_BA_TO sends nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli
from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.findings import Finding
from workbook_tools.form import Form
from workbook_tools.results import Counts, Item, Report
from workbook_tools.units import Unit, write_units_csv
from workbook_tools.writer.writer import WorkbookFactory

UNIT = Unit("XA_TINH_KHE", "UBND xã Tịnh Khê", "UBND xã")
OTHER = Unit("XA_BA_TO", "UBND xã Ba Tơ", "UBND xã")
VERDICTS = {"valid", "invalid", "missing", "skipped"}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory, request_h1: Request, dvcq: Form) -> Path:
    folder = tmp_path_factory.mktemp("results")
    factory, layout = WorkbookFactory(request_h1), build_layout(dvcq)
    warn, bad = realistic_return(UNIT, 1), realistic_return(UNIT, 1)
    warn.values["don_tiep_nhan"] = "1.045"
    warn.values["tcd_nguoi"] = 5
    bad.values["tcd_luot"] = "hơn 150"
    files = folder / "inbox"
    files.mkdir()
    (files / "bad.xlsx").write_bytes(fill_xlsx(factory.build(UNIT), layout, bad.values, bad.table))
    (files / "warn.xlsx").write_bytes(
        fill_xlsx(factory.build(UNIT), layout, warn.values, warn.table)
    )
    (files / "notes.txt").write_text("mã đơn vị;số liệu\n", encoding="utf-8")
    # bad.xlsx first, warn.xlsx later: the accepted file is the unit's latest
    os.utime(files / "bad.xlsx", (1_750_000_000, 1_750_000_000))
    os.utime(files / "warn.xlsx", (1_750_100_000, 1_750_100_000))
    write_units_csv([UNIT, OTHER], folder / "units.csv")
    return files


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, json.loads(result.stdout)


def assert_shape(data: dict[str, Any], command: str) -> None:
    """The shape every ``--json`` report has: keys, types, and totals that add up."""
    assert (data["command"], type(data["valid"])) == (command, bool)
    assert set(data["totals"]) == {
        "items", "valid", "invalid", "missing", "skipped", "errors", "warnings"
    }  # fmt: skip
    assert all(type(n) is int for n in data["totals"].values())
    for item in data["items"]:
        assert item["kind"] in ("file", "unit") and isinstance(item["name"], str)
        assert item["verdict"] in VERDICTS
        assert item["valid"] is (item["verdict"] == "valid")
        assert set(item["counts"]) == {"errors", "warnings"}
        assert all(type(n) is int and n >= 0 for n in item["counts"].values())
        for f in item["findings"]:
            assert {"code", "severity", "message", "file", "sheet", "cell"} <= set(f)
    items, totals = data["items"], data["totals"]
    assert totals["items"] == len(items)
    for verdict in VERDICTS:
        assert totals[verdict] == sum(i["verdict"] == verdict for i in items)
    for kind in ("errors", "warnings"):
        assert totals[kind] == sum(i["counts"][kind] for i in items)
    assert data["valid"] is not any(i["verdict"] in ("invalid", "missing") for i in items)


def by_name(data: dict[str, Any]) -> dict[str, tuple[str, int, int, list[str]]]:
    return {
        Path(i["name"]).name: (
            i["verdict"],
            i["counts"]["errors"],
            i["counts"]["warnings"],
            sorted(f["code"] for f in i["findings"]),
        )
        for i in data["items"]
    }


def test_check_json(inbox: Path) -> None:
    code, data = run("check", str(inbox), "--json", "--period", "2025-H1")
    assert_shape(data, "check")
    assert code == 1 and data["valid"] is False
    assert by_name(data) == {
        "bad.xlsx": ("invalid", 1, 0, ["value-text-in-number"]),
        "notes.txt": ("invalid", 1, 0, ["file-not-workbook"]),
        "warn.xlsx": ("valid", 0, 2, ["rule-failed", "value-number-as-text"]),
    }
    assert data["totals"] == {
        "items": 3, "valid": 1, "invalid": 2, "missing": 0, "skipped": 0,
        "errors": 2, "warnings": 2,
    }  # fmt: skip
    assert (data["form"], data["period"]) == ("dvcq", "2025-H1")


def test_check_json_valid_file_exits_zero(inbox: Path) -> None:
    code, data = run("check", str(inbox / "warn.xlsx"), "--json")
    assert_shape(data, "check")
    assert code == 0 and data["valid"] is True
    assert data["totals"]["warnings"] == 2 and data["totals"]["errors"] == 0


def test_collect_status_and_merge_json(inbox: Path, tmp_path: Path) -> None:
    db, units = str(tmp_path / "so.sqlite"), str(inbox.parent / "units.csv")
    code, data = run("collect", str(inbox), "--db", db, "--units", units, "--period", "2025-H1",
                     "--json")  # fmt: skip
    assert_shape(data, "collect")
    assert code == 1 and data["valid"] is False
    assert by_name(data) == {
        "bad.xlsx": ("invalid", 1, 0, ["value-text-in-number"]),
        "notes.txt": ("invalid", 1, 0, ["file-not-workbook"]),
        "warn.xlsx": ("valid", 0, 2, ["rule-failed", "value-number-as-text"]),
    }
    assert data["outcomes"] == {
        "new_accepted": 1, "new_rejected": 2, "duplicate": 0, "unchanged": 0, "failed": 0
    }  # fmt: skip

    # again: nothing new is judged, the files keep the counts recorded, and the exit is 0
    code, again = run("collect", str(inbox), "--db", db, "--units", units, "--period",
                      "2025-H1", "--json")  # fmt: skip
    assert_shape(again, "collect")
    assert code == 0 and again["valid"] is True
    assert {name: v[:3] for name, v in by_name(again).items()} == {
        "bad.xlsx": ("skipped", 1, 0),
        "notes.txt": ("skipped", 1, 0),
        "warn.xlsx": ("skipped", 0, 2),
    }

    code, status = run("status", "--period", "2025-H1", "--db", db, "--units", units, "--json")
    assert_shape(status, "status")
    assert code == 0 and status["valid"] is False  # XA_BA_TO has sent nothing
    assert by_name(status) == {
        "XA_TINH_KHE": ("valid", 0, 2, ["rule-failed", "value-number-as-text"]),
        "XA_BA_TO": ("missing", 0, 0, []),
    }
    assert status["states"]["accepted"] == 1 and status["states"]["missing"] == 1

    code, merged = run("merge", "--period", "2025-H1", "--db", db, "--units", units, "--out",
                       str(tmp_path / "th.xlsx"), "--json")  # fmt: skip
    assert_shape(merged, "merge")
    assert code == 0 and merged["valid"] is False
    assert by_name(merged) == {
        "XA_TINH_KHE": ("valid", 0, 2, ["rule-failed", "value-number-as-text"]),
        "XA_BA_TO": ("missing", 0, 0, []),
    }
    assert merged["completeness"]["missing_units"] == ["UBND xã Ba Tơ"]
    assert merged["figures"]["don_tiep_nhan"] == 1045


def test_status_lists_the_errors_of_a_unit_that_sent_only_bad_files(
    inbox: Path, tmp_path: Path
) -> None:
    db, units = str(tmp_path / "so.sqlite"), str(inbox.parent / "units.csv")
    code, _ = run("collect", str(inbox / "bad.xlsx"), "--db", db, "--units", units,
                  "--period", "2025-H1", "--json")  # fmt: skip
    assert code == 1
    code, status = run("status", "--period", "2025-H1", "--db", db, "--units", units, "--json")
    assert_shape(status, "status")
    assert by_name(status)["XA_TINH_KHE"] == ("invalid", 1, 0, ["value-text-in-number"])
    assert status["totals"]["invalid"] == 1 and status["totals"]["errors"] == 1


def test_the_report_refuses_details_that_hide_its_own_keys() -> None:
    found = Finding("value-negative", "error", "Số âm.")
    item = Item("file", "a.xlsx", "invalid", Counts.of([found]), (found,), {"verdict": "x"})
    with pytest.raises(ValueError, match="verdict"):
        item.to_dict()
    with pytest.raises(ValueError, match="totals"):
        Report("check", (), {"totals": 1}).to_dict()
    assert Counts.of([found, Finding("file-has-macros", "warning", "Có macro.")]) == Counts(1, 1)
