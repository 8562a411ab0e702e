"""Every .docx and .xlsx the project writes is valid against ECMA-376 (issue 16).

Word and Excel answer an out-of-order or duplicated property element with a
repair prompt, where LibreOffice (which renders the other tests' pictures) says
nothing. The check is :mod:`ooxml_schema` (openxml-audit, with its waivers); each
kind of output is made by the real code path (the demo's loop), and each order
mistake fixed here is put back once to see the check reject it.
"""

from __future__ import annotations

import importlib.util
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree
from ooxml_schema import problems, raw_errors, rewrite

from workbook_tools.contract import Request
from workbook_tools.demo import DemoResult, run_demo
from workbook_tools.form import get_form
from workbook_tools.merge import consolidate, unit_rows
from workbook_tools.merge.workbook import write_consolidated
from workbook_tools.periods import parse_period
from workbook_tools.reader.units import load_units
from workbook_tools.registry import SubmissionStore
from workbook_tools.report import Frame, consolidated_report, render
from workbook_tools.report.context import unit_context
from workbook_tools.report.frame import default_issuer
from workbook_tools.resources import docx_templates_dir, samples_dir
from workbook_tools.units import Unit, write_units_xlsx
from workbook_tools.writer import writer

REPO = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
AGENCY = Unit("SNV", "Sở Nội vụ", "Cơ quan tổng hợp", None, None, None, None)
YEAR = parse_period("2025")
TOPIC = "công tác dân vận chính quyền"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo-schema"))


# Each kind of output the demo writes, and the files of it that are checked.
KINDS: dict[str, Callable[[DemoResult], list[Path]]] = {
    "unit workbook": lambda d: [d.generated.files[0].path, d.generated.files[-1].path],
    "feedback copy": lambda d: list(d.feedback),
    "tracking workbook": lambda d: [d.status_xlsx],
    "consolidated workbook": lambda d: [d.consolidated_xlsx],
    # the Sở's edit, as Excel saves it (the demo edits with openpyxl)
    "assessed consolidated workbook": lambda d: [d.assessed_xlsx] if d.assessed_xlsx else [],
    "consolidated report": lambda d: [d.report],
    "unit report": lambda d: [d.unit_report],
    "request letter": lambda d: [d.request_letter],
    "reminder letter": lambda d: [d.reminder_letter],
}


def kind_of(demo: DemoResult, path: Path) -> str | None:
    """The kind of a file in the demo's folder; None for the units' returns (not ours)."""
    folder = path.relative_to(demo.out_dir).parts[0]
    if folder in (demo.inbox.name, "archive"):
        return None
    if path == demo.request_letter:  # written beside the workbooks it goes out with
        return "request letter"
    if folder == demo.workbooks_dir.name:
        return "unit workbook"
    if folder == demo.feedback_dir.name:
        return "feedback copy"
    return next((k for k, files in KINDS.items() if path in files(demo)), "unknown")


def test_every_kind_of_output_is_checked(demo: DemoResult) -> None:
    written = [p for p in demo.out_dir.rglob("*") if p.suffix in (".docx", ".xlsx")]
    kinds = {kind_of(demo, p) for p in written} - {None}
    assert kinds == set(KINDS)  # a new kind of output gets its line in KINDS
    assert any("ban-scan" in p.name for p in demo.feedback)  # the copy with the list only


@pytest.mark.parametrize("kind", list(KINDS))
def test_output_is_schema_valid(demo: DemoResult, kind: str) -> None:
    files = KINDS[kind](demo)
    assert files
    assert {p.name: problems(p) for p in files} == {p.name: [] for p in files}


def test_outputs_the_demo_does_not_write_are_schema_valid(demo: DemoResult, tmp_path: Path) -> None:
    """A consolidation compared with another period (workbook and report), a units list."""
    c = demo.consolidation
    with SubmissionStore.open(demo.db) as store:
        compared = consolidate(store, c.form, c.period, compare=c.period)
    assert compared.compare is not None
    files = [
        write_consolidated(compared, tmp_path / "so-sanh.xlsx", Request(c.form, c.period), AGENCY),
        consolidated_report(
            compared, Frame(default_issuer("Sở Nội vụ")), {}, tmp_path / "so-sanh.docx"
        ),
        tmp_path / "don-vi.xlsx",
    ]
    write_units_xlsx(load_units(samples_dir() / "units-quang-ngai.csv"), files[-1])
    assert {p.name: problems(p) for p in files} == {p.name: [] for p in files}


def test_report_through_the_docxtpl_loop_is_schema_valid(tmp_path: Path) -> None:
    """An appendix value with a line break: docxtpl renders the rows itself."""
    context = unit_context(
        "Sở X", YEAR, {}, [], Frame(default_issuer("Sở X")), topic=TOPIC, form=get_form("dvcq")
    )
    context["phu_luc_tieu_de"] = "Kết quả theo đơn vị"
    row = {"stt": "1", "don_vi": "UBND xã A\nthôn B", "nhan": "3", "da_giai_quyet": "2",
           "dung_han": "2", "ty_le": "100", "tinh_trang": "Đã nhận"}  # fmt: skip
    context["phu_luc"] = [row]
    out = render(context, tmp_path / "r.docx")
    with zipfile.ZipFile(out) as package:
        assert b"<w:br" in package.read("word/document.xml")
    assert problems(out) == []


# ------------------------------------------------------------ the template and its script


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_docx_template", REPO / "scripts" / "build_docx_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def canonical(docx: Path, part: str) -> bytes:
    with zipfile.ZipFile(docx) as z:
        return bytes(etree.tostring(etree.fromstring(z.read(part)), method="c14n"))


@pytest.mark.parametrize("name", ["bao-cao.docx", "cong-van.docx"])
def test_template_is_schema_valid(name: str) -> None:
    assert problems(docx_templates_dir() / name) == []


@pytest.mark.parametrize(
    ("name", "builder"), [("bao-cao.docx", "build"), ("cong-van.docx", "build_letter")]
)
def test_the_script_builds_the_shipped_template(tmp_path: Path, name: str, builder: str) -> None:
    built = getattr(build_script(), builder)(tmp_path / name)
    shipped = docx_templates_dir() / name
    with zipfile.ZipFile(built) as a, zipfile.ZipFile(shipped) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert "word/stylesWithEffects.xml" not in a.namelist()
    for part in ("word/document.xml", "word/header1.xml", "word/_rels/document.xml.rels"):
        assert canonical(built, part) == canonical(shipped, part), part


# --------------------------------------------- each fixed mistake put back is rejected


def appended(parent: Any, child: Any) -> Any:
    """The script's old way: a property appended at the end of its parent."""
    parent.append(child)
    return child


def test_a_report_from_the_old_template_is_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = build_script()
    monkeypatch.setattr(script, "set_property", appended)
    template = script.build(tmp_path / "old.docx")
    context = unit_context(
        "Sở X", YEAR, {}, [], Frame(default_issuer("Sở X")), topic=TOPIC, form=get_form("dvcq")
    )
    report = render(context, tmp_path / "r.docx", template)
    found = {(p.part, p.node) for p in problems(report)}
    assert ("/word/document.xml", "pBdr") in found  # after w:spacing, w:ind, w:jc
    assert ("/word/document.xml", "tblBorders") in found  # after w:tblLook


def second_layout(root: Any) -> None:
    props = root.find(f".//{W}tblPr")
    props.append(etree.fromstring(etree.tostring(props.find(f"{W}tblLayout"))))


def paragraph_border_last(root: Any) -> None:
    border = root.find(f".//{W}pBdr")
    border.getparent().append(border)


@pytest.mark.parametrize(
    ("change", "node"), [(second_layout, "tblLayout"), (paragraph_border_last, "pBdr")]
)
def test_a_misordered_or_duplicated_property_is_rejected(
    demo: DemoResult, tmp_path: Path, change: Callable[[Any], None], node: str
) -> None:
    bad = rewrite(demo.unit_report, tmp_path / "bad.docx", {"word/document.xml": change})
    assert [(p.part, p.node) for p in problems(bad)] == [("/word/document.xml", node)]


def consolidated(demo: DemoResult, path: Path) -> Path:
    """The demo's consolidated workbook written again (with what the test changed)."""
    c = demo.consolidation
    return write_consolidated(c, path, Request(c.form, c.period), AGENCY)


def test_workbook_protection_after_the_book_views_is_rejected(
    demo: DemoResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # put back the mistake lock_structure avoids: <workbookProtection> anywhere but after <workbookPr>
    monkeypatch.setattr(writer, "_WORKBOOK_PR", re.compile(rb"(</bookViews>)"))
    path = consolidated(demo, tmp_path / "tong-hop.xlsx")
    assert ("/xl/workbook.xml", "workbookProtection") in {(p.part, p.node) for p in problems(path)}


def test_a_spliced_cell_out_of_order_is_rejected(
    demo: DemoResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def value_first(ref: str, style: int, formula_xml: str, cached: Any) -> str:
        return f'<c r="{ref}" s="{style}"><v>{cached}</v><f>{formula_xml}</f></c>'

    monkeypatch.setattr(unit_rows, "formula_cell", value_first)
    path = consolidated(demo, tmp_path / "tong-hop.xlsx")
    found = problems(path)
    assert found and {(p.node, p.description) for p in found} == {
        ("f", "Unexpected element 'f' found")
    }
    assert all(re.fullmatch(r"/xl/worksheets/sheet\d+\.xml", p.part) for p in found)


# ------------------------------------------------------------ the SDK stricter than the schema


def test_fonts_in_any_order_pass_and_an_unknown_font_child_does_not(
    demo: DemoResult, tmp_path: Path
) -> None:
    copy = demo.feedback[0]
    raw = [(e.part_uri, e.description) for e in raw_errors(copy)]
    assert ("/xl/styles.xml", "Unexpected element 'color' found") in raw  # openpyxl's font order
    assert problems(copy) == []

    def unknown_in_a_font(root: Any) -> None:
        font = root.find("{*}fonts/{*}font")
        etree.SubElement(font, f"{{{etree.QName(font).namespace}}}glow")

    bad = rewrite(copy, tmp_path / "bad.xlsx", {"xl/styles.xml": unknown_in_a_font})
    assert [(p.part, p.path, p.node) for p in problems(bad)] == [
        ("/xl/styles.xml", "/styleSheet[1]/fonts[1]/font[1]", "glow")
    ]
