"""The one catalogue of problems (issue 12 item 4): stable codes, every place that reports a
problem uses an entry of it, ``workbook-tools codes`` prints it and the README lists it; and the
one model of what is reported: a form definition's, a unit list's and a returned file's
problems are all :class:`Finding` values."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from helpers import returned_file

from workbook_tools import catalogue
from workbook_tools.catalogue import CATALOGUE, FAMILIES, PLACES, by_family, markdown
from workbook_tools.checks import Expectation, check_file
from workbook_tools.cli import cli
from workbook_tools.contract import build_layout
from workbook_tools.errors import Collector, FormDefinitionError, UnitRegistryError
from workbook_tools.findings import REVIEW_CODES, Finding, finding
from workbook_tools.form import get_form, load_form, loader
from workbook_tools.periods import parse_period
from workbook_tools.reader.units import load_units
from workbook_tools.units import Unit

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "workbook_tools"
VIETNAMESE = re.compile(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]")

# Every code the tool reported before the catalogue, typed here by hand: tests, the
# registry's findings table and tools outside match on them, so none may change.
FORM_CODES = {
    "form-bad-bounds", "form-bad-choice", "form-bad-code", "form-bad-value", "form-cycle",
    "form-duplicate-code", "form-expression-syntax", "form-file-missing", "form-missing-key",
    "form-outline", "form-text-too-long", "form-type-mismatch", "form-unknown-code",
    "form-unknown-key", "form-yaml-syntax",
}  # fmt: skip
UNITS_CODES = {
    "unit-bad-code", "unit-bad-email", "unit-bad-symbol", "unit-duplicate-code",
    "unit-duplicate-column", "unit-empty", "unit-file-format", "unit-file-missing",
    "unit-formula-text", "unit-missing-code", "unit-missing-column", "unit-missing-group",
    "unit-missing-name", "unit-parent-cycle", "unit-unknown-parent",
    # the list of who gets which workbook, which the tool writes and reads back
    "sending-list-format", "sending-list-empty", "sending-list-missing-column",
    "sending-list-duplicate-unit",
}  # fmt: skip
RETURN_CODES = {
    "file-empty", "file-too-large", "file-not-workbook", "file-pdf", "file-image", "file-word",
    "file-csv", "file-archive", "file-encrypted", "file-zip-bomb", "file-xml-bomb",
    "file-unreadable", "file-has-macros", "not-our-workbook", "meta-damaged", "form-unknown",
    "form-version-outdated", "form-version-unknown", "form-fingerprint-mismatch",
    "unit-unexpected", "unit-not-in-registry", "unit-name-mismatch", "period-unexpected",
    "period-invalid", "sheet-missing", "structure-moved", "value-number-as-text",
    "value-text-in-number", "value-negative", "value-not-integer", "value-out-of-range",
    "value-percent-range", "value-not-in-list", "value-bad-date", "value-text-too-long",
    "value-required-missing", "value-formula-in-input", "rule-failed", "table-row-incomplete",
    "table-row-outside", "quality-unusual", "quality-copy-inputs", "quality-copy-file",
    "quality-unit-file-name", "narrative-bad-date", "narrative-far-year",
    "narrative-fraction-percent", "narrative-figure-differs",
}  # fmt: skip
WARNINGS = {"file-has-macros", "value-number-as-text"} | {
    c for c in RETURN_CODES if c.startswith(("quality-", "narrative-"))
}


def test_codes_are_kept_and_each_in_its_family() -> None:
    families = {code: e.family for code, e in CATALOGUE.items()}
    assert families == {
        **dict.fromkeys(FORM_CODES, "form"),
        **dict.fromkeys(UNITS_CODES, "units"),
        **dict.fromkeys(RETURN_CODES, "return"),
    }
    # a definition's problems and a return's findings are apart even where names look alike
    assert CATALOGUE["form-unknown-key"].family == "form"
    assert CATALOGUE["form-unknown"].family == "return"


def test_every_entry_is_complete() -> None:
    assert len(catalogue._ENTRIES) == len(CATALOGUE)  # no code defined twice
    for code, e in CATALOGUE.items():
        assert e.code == code and re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", code)
        assert e.family in FAMILIES and e.where in PLACES
        assert e.severity == ("warning" if code in WARNINGS else "error"), code
        for text in (e.what, e.fix):
            assert text.strip() and text.rstrip()[-1] in ".?)", (code, text)
            assert VIETNAMESE.search(text), (code, text)
    places = {e.where for e in CATALOGUE.values() if e.family == "units"}
    assert places == {"units-file", "units-row"}
    assert REVIEW_CODES and all(CATALOGUE[c].severity == "warning" for c in REVIEW_CODES)


def test_an_unknown_code_cannot_be_made() -> None:
    with pytest.raises(KeyError, match="no-such-code"):
        Finding("no-such-code", "error", "Lỗi.")
    with pytest.raises(KeyError, match="unit-bogus"):
        Finding("unit-bogus", "error", "Lỗi.", file="u.csv", where="tệp", fix="Sửa.")
    with pytest.raises(KeyError, match="form-bogus"):
        Collector("f.yaml").add(
            catalogue.Entry("form-bogus", "form", "error", "form-key", "Lỗi.", "Sửa."),
            "a",
            "b",
            "c",
        )
    made = finding(catalogue.VALUE_NEGATIVE, "Số âm.", sheet="Số liệu", cell="D5")
    assert (made.code, made.severity) == ("value-negative", "error")
    ruled = finding(catalogue.RULE_FAILED, "Không khớp.", severity="warning")
    assert ruled.severity == "warning"  # a rule's own severity wins


PREFIXES = "|".join(sorted({code.split("-")[0] for code in CATALOGUE}))
CODE_SHAPE = re.compile(rf"(?:{PREFIXES})(?:-[a-z0-9]+)+")


def literal_codes(source: str) -> list[tuple[int, str]]:
    """(line, text) of every string constant in ``source`` shaped like a problem code
    (the pieces of an f-string, such as an XML tag after its namespace, are not codes)."""
    tree = ast.parse(source)
    pieces = {
        id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for v in node.values
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and id(node) not in pieces
        and isinstance(node.value, str)
        and (node.value in CATALOGUE or CODE_SHAPE.fullmatch(node.value))
    ]


def test_the_scan_finds_a_written_code() -> None:
    planted = (
        'finding("value-negative", "x")\nout.add("unit-made-up", "tệp", "x", "y")\n'
        'finding("form-cycle", "x", file="f.yaml", where="indicators[3].expression", fix="y")\n'
    )
    assert literal_codes(planted) == [
        (1, "value-negative"),
        (2, "unit-made-up"),
        (3, "form-cycle"),
    ]
    written = (
        "finding(VALUE_NEGATIVE, 'Số âm.')\nsheet = 'Số liệu'\n"
        "finding(FORM_CYCLE, 'x', where='indicators[3].expression', fix='Sửa công thức.')\n"
    )
    assert literal_codes(written) == []


def test_no_code_is_written_as_a_string_outside_the_catalogue() -> None:
    scanned = [path for path in PACKAGE.rglob("*.py") if path.name != "catalogue.py"]
    reporting = {
        "errors.py",
        "findings.py",
        "form/loader.py",
        "form/outline.py",
        "units/registry.py",
    }
    assert reporting <= {path.relative_to(PACKAGE).as_posix() for path in scanned}
    found = {
        f"{path.relative_to(REPO)}:{line}: {text}"
        for path in scanned
        for line, text in literal_codes(path.read_text(encoding="utf-8"))
    }
    assert not found, "use the catalogue's entry, not a string:\n" + "\n".join(sorted(found))


def test_form_definitions_and_unit_lists_share_one_collector(tmp_path: Path) -> None:
    assert issubclass(loader._FieldReader, Collector)
    path = tmp_path / "u.csv"
    path.write_text("Mã đơn vị,Tên đơn vị,Khối\nA,,X\n,B,X\n", encoding="utf-8")
    with pytest.raises(UnitRegistryError) as caught:
        load_units(path)
    assert [(p.code, p.file, p.where.split(",")[0]) for p in caught.value.problems] == [
        ("unit-missing-name", "u.csv", "dòng 2"),
        ("unit-missing-code", "u.csv", "dòng 3"),
    ]
    col = Collector("f.csv")
    col.add(catalogue.UNIT_EMPTY, "dòng 9", "b.", "c.")
    col.add(catalogue.UNIT_EMPTY, "tệp", "a.", "c.")
    assert [p.where for p in col.in_file_order()] == ["tệp", "dòng 9"]


def test_a_form_problem_and_a_returned_file_finding_are_one_type(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.yaml"
    with pytest.raises(FormDefinitionError) as caught:
        load_form(missing)
    [problem] = caught.value.problems
    rendered = (
        f"{missing}: (tệp): không tìm thấy tệp. "
        "Cách sửa: Kiểm tra lại đường dẫn tệp định nghĩa biểu mẫu (.yaml)."
    )
    assert str(problem) == rendered
    assert str(caught.value) == f"Định nghĩa biểu mẫu không hợp lệ (1 lỗi):\n  - {rendered}"

    path = returned_file(tmp_path / "so-am.xlsx", Unit("XA_AN", "UBND xã An", "UBND xã"),
                         changes={"hs_buu_chinh": -3})  # fmt: skip
    checked = check_file(path, Expectation(get_form("dvcq"), parse_period("2025-H1")))
    [negative] = [f for f in checked.findings if f.code == "value-negative"]
    cell = build_layout(get_form("dvcq")).cell("hs_buu_chinh")

    assert type(problem) is type(negative) is Finding
    assert (problem.code, problem.severity, problem.where) == (
        "form-file-missing",
        "error",
        "(tệp)",
    )
    assert (negative.severity, negative.location) == ("error", f"{cell.sheet}!{cell.a1}")
    # no fix of its own (its message says what to do): the catalogue's general one
    assert negative.fix == "" and negative.how_to_fix == "Nhập số từ 0 trở lên."
    assert str(negative) == (
        f"{negative.file}: {cell.sheet}!{cell.a1}: {negative.message} Cách sửa: Nhập số từ 0 trở lên."
    )
    own = finding(catalogue.VALUE_NEGATIVE, "Số âm.", file="a.xlsx", sheet="Số liệu", cell="D5",
                  fix="Nhập 3 thay cho -3.")  # fmt: skip
    assert str(own) == "a.xlsx: Số liệu!D5: Số âm. Cách sửa: Nhập 3 thay cho -3."
    # one JSON shape: a returned file's finding gains an empty place and fix
    assert set(problem.to_dict()) == set(negative.to_dict()) == {
        "code", "severity", "message", "file", "unit", "sheet", "cell", "indicators", "where",
        "fix",
    }  # fmt: skip
    assert (negative.to_dict()["where"], negative.to_dict()["fix"]) == ("", "")


def _readme_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_codes", REPO / "scripts/readme_codes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_lists_the_catalogue() -> None:
    script = _readme_script()
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert script.with_codes(text) == text, (
        "README.md's list of codes differs from the catalogue: run "
        ".venv/bin/python scripts/readme_codes.py"
    )
    block = text.split(script.BEGIN)[1].split(script.END)[0]
    assert all(f"| `{code}` |" in block for code in CATALOGUE)
    assert block.count("| `") == len(CATALOGUE)


def test_the_readme_check_fails_on_a_stale_list() -> None:
    script = _readme_script()
    stale = f"x\n{script.BEGIN}\n| `value-negative` | lỗi | … |\n{script.END}\ny\n"
    fresh = script.with_codes(stale)
    assert fresh != stale and fresh.startswith("x\n") and fresh.endswith("\ny\n")
    assert script.with_codes(fresh) == fresh


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["codes", *args])
    return result.exit_code, result.output


def test_codes_prints_every_code_by_family() -> None:
    code, out = invoke()
    assert code == 0
    headings = [line for line in out.splitlines() if line.startswith("==")]
    assert headings == [
        "== Định nghĩa biểu mẫu (tệp YAML): 15 mã ==",
        "== Danh sách đơn vị (tệp .xlsx, .csv): 19 mã ==",
        "== Tệp đơn vị gửi về: 48 mã ==",
    ]
    listed = re.findall(r"^([a-z-]+) \(", out, re.M)
    assert listed == [e.code for entries in by_family().values() for e in entries]
    assert out.index("unit-bad-email (lỗi; dòng, cột của danh sách đơn vị)") < out.index(
        "== Tệp đơn vị gửi về"
    )


def test_codes_one_code_with_its_fix() -> None:
    code, out = invoke("value-negative")
    assert code == 0
    assert out.splitlines() == [
        "value-negative (lỗi; trang tính, ô của tệp gửi về)",
        "  Số âm.",
        "  Cách sửa: Nhập số từ 0 trở lên.",
    ]
    assert invoke("  Value-Negative ")[1] == out


def test_codes_unknown_code_suggests_the_close_one() -> None:
    code, out = invoke("value-negativ")
    assert code == 1
    assert "Không có mã 'value-negativ'" in out and "value-negative" in out
    assert "Traceback" not in out


def test_codes_json_and_markdown() -> None:
    code, out = invoke("--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["form", "units", "return"]
    assert sum(len(v) for v in data.values()) == len(CATALOGUE)
    first = data["units"][0]
    assert set(first) == {"code", "family", "severity", "where", "what", "fix"}
    one = json.loads(invoke("unit-parent-cycle", "--json")[1])
    assert (one["family"], one["where"]) == ("units", "units-row")
    assert invoke("--markdown")[1] == markdown() + "\n"
