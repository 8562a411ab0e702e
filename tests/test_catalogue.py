"""The one catalogue of problems (issue 12 item 4): stable codes, every place that reports a
problem uses an entry of it, ``workbook-tools codes`` prints it and the README lists it."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from workbook_tools import catalogue
from workbook_tools.catalogue import CATALOGUE, FAMILIES, PLACES, by_family, markdown
from workbook_tools.cli import cli
from workbook_tools.errors import Collector, Problem, UnitRegistryError
from workbook_tools.findings import REVIEW_CODES, Finding, finding
from workbook_tools.form import loader
from workbook_tools.reader.units import load_units

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
        Problem("unit-bogus", "u.csv", "tệp", "Lỗi.", "Sửa.")
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
    planted = 'finding("value-negative", "x")\nout.add("unit-made-up", "tệp", "x", "y")\n'
    assert literal_codes(planted) == [(1, "value-negative"), (2, "unit-made-up")]
    assert literal_codes("finding(VALUE_NEGATIVE, 'Số âm.')\nsheet = 'Số liệu'\n") == []


def test_no_code_is_written_as_a_string_outside_the_catalogue() -> None:
    found = {
        f"{path.relative_to(REPO)}:{line}: {text}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "catalogue.py"
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
        "== Danh sách đơn vị (tệp .xlsx, .csv): 15 mã ==",
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
