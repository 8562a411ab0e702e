"""The report outline as form data (issue 10): checks, prose rules, a second form, seed replay."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from corpus import table_cells
from docx import Document
from helpers import fill_workbook, name_cells
from hypothesis import given, settings
from hypothesis import strategies as st
from seed_replay import SEED_002, SEED_003, SeedReturn

from workbook_tools.checks import Expectation, check_file
from workbook_tools.cli import cli
from workbook_tools.contract import Request
from workbook_tools.errors import FormDefinitionError
from workbook_tools.form import Form, get_form, load_form, parse_form
from workbook_tools.form.model import Kind
from workbook_tools.form.outline import unprinted
from workbook_tools.periods import parse_period
from workbook_tools.report import Frame, render, to_pdf
from workbook_tools.report.context import unit_context
from workbook_tools.report.frame import default_issuer
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory

REPO = Path(__file__).resolve().parent.parent
ARTEFACTS = REPO / "test-artifacts"
DVCQ = get_form("dvcq")
H1 = parse_period("2025-H1")


def body(context: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) pairs of a report context, in order."""
    out = []
    for section in context["sections"]:
        out.append((section["title"], []))
        for sub in section["subsections"]:
            if sub["title"]:
                out.append((sub["title"], []))
            out[-1][1].extend(sub["paragraphs"])
    return out


def unit_body(values: dict[str, Any], form: Form = DVCQ, rows: list[Any] | None = None) -> str:
    context = unit_context("Sở X", H1, values, rows or [], Frame(default_issuer("Sở X")), form=form)
    return "\n".join(p for _, paras in body(context) for p in paras)


# ------------------------------------------------------------------ the design


# What report/context.py still reads by name: the signature block and the hồ sơ appendix
# table, the document frame (issue 10 items 4 and 5, another branch). Nothing else may
# be added: every sentence comes from the form's outline.
FRAME_CODES = {"hinh_thuc_ky", "chuc_danh_thu_truong", "chuc_vu_nguoi_ky", "nguoi_ky",
               "hs_nhan_giai_quyet", "hs_truoc_han", "hs_dung_han", "hs_da_giai_quyet",
               "ty_le_dung_han"}  # fmt: skip


def test_the_report_package_names_no_indicator_code() -> None:
    """report/ renders the form's outline; a renamed code cannot silently print "chưa báo cáo"."""
    codes = [ind.code for ind in DVCQ.indicators] + [t.code for t in DVCQ.tables]
    found: dict[str, set[str]] = {}
    for path in (REPO / "workbook_tools" / "report").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        named = {c for c in codes if re.search(rf"\b{c}\b", source)}
        if named:
            found[path.name] = named
    assert set(found) <= {"context.py"}, found
    assert found.get("context.py", set()) <= FRAME_CODES


def test_every_dvcq_input_is_printed_by_the_outline() -> None:
    assert DVCQ.outline is not None
    assert unprinted(DVCQ.outline, DVCQ.inputs) == []
    for code in ("hs_buu_chinh", "tt_giao_dich", "tt_so_tien", "hs_so_hoa", "dt_hoi_nghi",
                 "dt_y_kien", "kt_van_de"):  # fmt: skip
        assert code in DVCQ.outline.printed(), code


def test_the_core_narrative_codes_stay_and_every_narrative_has_a_help() -> None:
    narrative = [i for i in DVCQ.indicators if i.kind is Kind.LONG_TEXT]
    core = ["nd_tinh_hinh", "nd_ket_qua_noi_bat", "nd_uu_diem", "nd_han_che", "nd_nguyen_nhan",
            "nd_nhiem_vu", "nd_kien_nghi"]  # fmt: skip
    assert all(DVCQ.indicator(c).core for c in core)
    new = [i for i in narrative if not i.core]
    assert len(new) >= 10 and all(i.help and not i.required for i in new)


def test_required_only_with_a_reason() -> None:
    """Each figure a unit must give says why every unit has it; the seeds' gaps are optional."""
    for ind in DVCQ.indicators:
        if ind.required and DVCQ.indicator(ind.code).section != "don_vi":
            assert ind.why.strip(), ind.code
    for code in ("cb_tong_so", "don_tiep_nhan", "don_khieu_nai", "tcd_vu_viec", "tcd_nguoi"):
        assert not DVCQ.indicator(code).required, code
    assert DVCQ.tables[0].max_rows >= 100


def test_rates_share_one_precision_in_workbook_and_report() -> None:
    rate = DVCQ.indicator("ty_le_dung_han")
    assert rate.precision == 1
    text = unit_body({"hs_truoc_han": 998, "hs_dung_han": 1, "hs_qua_han": 1,
                      "hs_da_giai_quyet": 1000, "ty_le_dung_han": 0.999})  # fmt: skip
    assert "Tỷ lệ giải quyết trước hạn và đúng hạn đạt 99,9%." in text


# ------------------------------------------------------------------ form check


SMALL = """\
form: nho
version: 1
title: Báo cáo công tác hòa giải
agency: Phòng Tư pháp
sections:
  - id: so_lieu
    title: Số liệu
    indicators:
      - {code: hg_vu, label: Số vụ việc hòa giải, unit: vụ việc}
      - {code: hg_thanh_cong, label: Số vụ hòa giải thành, unit: vụ việc}
      - {code: tl_thanh, label: Tỷ lệ hòa giải thành, kind: percent, compute: hg_thanh_cong / hg_vu}
  - id: loi_van
    title: Thuyết minh
    placement: narrative
    indicators:
      - {code: nd_hoa_giai, label: Kết quả hòa giải, kind: long_text, help: Vụ việc tiêu biểu.}
outline:
  - title: KẾT QUẢ HÒA GIẢI
    sentences:
      - lead: "{{ trong_ky }}, hòa giải {{ hg_vu | count }}"
        open: ", "
        parts: ["thành {{ hg_thanh_cong | count }}", "đạt {{ tl_thanh | rate }}"]
        zero: "{{ trong_ky }}, không phát sinh vụ việc hòa giải"
    narrative: nd_hoa_giai
"""


def test_a_second_form_renders_its_own_report(tmp_path: Path) -> None:
    form = parse_form(yaml.safe_load(SMALL), "nho.yaml")
    values = {
        "hg_vu": 12,
        "hg_thanh_cong": 9,
        "tl_thanh": 0.75,
        "nd_hoa_giai": "Dòng một.\nDòng hai.",
    }
    context = unit_context(
        "Phòng Tư pháp", H1, values, [], Frame(default_issuer("Phòng Tư pháp")), form=form
    )
    assert body(context) == [
        ("I. KẾT QUẢ HÒA GIẢI",
         ["Trong 6 tháng đầu năm 2025, hòa giải 12 vụ việc, thành 09 vụ việc, đạt 75%.",
          "Dòng một.", "Dòng hai."]),
    ]  # fmt: skip
    doc = Document(str(render(context, tmp_path / "nho.docx")))
    assert "Trong 6 tháng đầu năm 2025, hòa giải 12 vụ việc, thành 09 vụ việc, đạt 75%." in [
        p.text for p in doc.paragraphs
    ]
    zero = unit_context("X", H1, {"hg_vu": 0}, [], Frame(default_issuer("X")), form=form)
    assert body(zero)[0][1] == ["Trong 6 tháng đầu năm 2025, không phát sinh vụ việc hòa giải."]


def test_form_check_refuses_an_unknown_code(tmp_path: Path) -> None:
    path = tmp_path / "sai.yaml"
    path.write_text(
        SMALL.replace("{{ hg_vu | count }}", "{{ hg_vu_sai | count }}"), encoding="utf-8"
    )
    with pytest.raises(FormDefinitionError) as info:
        load_form(path)
    assert [(p.code, p.where) for p in info.value.problems] == [
        ("form-unknown-code", "outline[0].sentences[0].lead")
    ]
    result = CliRunner().invoke(cli, ["form", "check", str(path)])
    assert result.exit_code != 0 and "hg_vu_sai" in result.output


def test_form_check_lists_the_inputs_no_sentence_prints(tmp_path: Path) -> None:
    path = tmp_path / "thieu.yaml"
    path.write_text(SMALL.replace('["thành {{ hg_thanh_cong | count }}", ', "["), encoding="utf-8")
    assert unprinted(load_form(path).outline, load_form(path).inputs) == ["hg_thanh_cong"]
    result = CliRunner().invoke(cli, ["form", "check", str(path)])
    assert result.exit_code == 1 and "hg_thanh_cong" in result.output
    ok = CliRunner().invoke(cli, ["form", "check", str(REPO / "templates" / "xlsx" / "dvcq.yaml")])
    assert ok.exit_code == 0, ok.output


# ------------------------------------------------------------------ prose rules

FORBIDDEN = re.compile(r"chưa báo cáo|\b00\b|None|\{\{|  |, ,|\(\s*\)|\.\.(?!\.)")
NUMERIC = [i.code for i in DVCQ.indicators if i.kind.numeric and not i.computed]


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_no_unit_report_says_what_it_should_not(data: st.DataObject) -> None:
    values: dict[str, Any] = {}
    for code in NUMERIC:
        kind = DVCQ.indicator(code).kind
        value = data.draw(
            st.one_of(st.none(), st.just(0), st.integers(1, 9), st.integers(10, 99_999)), label=code
        )
        values[code] = value if value is None or kind is not Kind.DECIMAL else value / 10
    values["hn_cbccvc"] = data.draw(st.sampled_from([None, "Có", "Không"]))
    from workbook_tools.form.evaluate import compute

    values.update({k: v for k, v in compute(DVCQ, values).items() if k not in values})
    text = unit_body(values)
    for line in text.splitlines():
        assert not FORBIDDEN.search(line), line
        assert line.strip() == line and line.endswith((".", ":", ";")), line


def test_period_kinds_open_their_sentences() -> None:
    five = parse_period("2021-2025")
    context = unit_context(
        "UBND xã Hành Dũng", five, {"vb_chi_dao": 3}, [], Frame(default_issuer("X")), form=DVCQ
    )
    assert any(p.startswith("Trong giai đoạn 2021 – 2025, UBND xã Hành Dũng đã ban hành 03 văn bản")
               for _, ps in body(context) for p in ps)  # fmt: skip


# ------------------------------------------------------------------ seed replay


def replay(seed: SeedReturn, tmp: Path) -> tuple[dict[str, Any], Path]:
    """Fill a fresh workbook with the seed's figures and passages, check it, write the report."""
    unit = Unit(seed.unit_code, seed.unit_name, seed.group)
    period = parse_period(seed.period)
    request = Request(form=DVCQ, period=period)
    fresh = tmp / "fresh.xlsx"
    fresh.write_bytes(WorkbookFactory(request).build(unit))
    filled = tmp / f"{seed.unit_code}.xlsx"
    fill_workbook(fresh, filled, seed.values(), table_cells(DVCQ, seed.models))
    sub = check_file(filled, Expectation(DVCQ))
    assert sub.accepted, [(f.code, f.message) for f in sub.errors]
    rows = [r.values for r in sub.rows]
    context = unit_context(
        seed.unit_name,
        period,
        sub.values,
        rows,
        Frame(default_issuer(seed.unit_name, seed.group)),
        form=DVCQ,
    )
    return context, render(context, tmp / f"{seed.unit_code}.docx")


def headings_of(doc: Any, titles: set[str]) -> list[tuple[str, list[str]]]:
    """The document's paragraphs under each of the report's headings, read back from Word."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for p in doc.paragraphs:
        if p.text in titles:
            out.append((p.text, []))
        elif p.text.strip():
            out[-1][1].append(p.text)
    return out


@pytest.mark.parametrize("seed", [SEED_002, SEED_003], ids=["seed-002", "seed-003"])
def test_seed_replay_prints_every_figure_and_passage_in_place(
    seed: SeedReturn, tmp_path: Path
) -> None:
    context, docx = replay(seed, tmp_path)
    sections = headings_of(Document(str(docx)), {title for title, _ in body(context)})
    whole = "\n".join(p for _, ps in sections for p in ps)
    for phrase in seed.printed:
        assert phrase in whole, phrase
    for code, heading, lines in seed.passages_by_heading():
        under = next((ps for title, ps in sections if title.endswith(heading)), None)
        assert under is not None, (code, heading)
        for line in lines:
            assert line in under, (code, line[:40])
    assert not FORBIDDEN.search(whole.replace("...", ""))
    ARTEFACTS.mkdir(exist_ok=True)
    shutil.copy(docx, ARTEFACTS / f"{seed.name}.docx")


@pytest.mark.parametrize("seed", [SEED_002, SEED_003], ids=["seed-002", "seed-003"])
def test_seed_report_pages_as_pictures(seed: SeedReturn, tmp_path: Path, soffice: str) -> None:
    _, docx = replay(seed, tmp_path)
    pdf = to_pdf(docx)
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm (poppler-utils) is needed to render the pages")
    ARTEFACTS.mkdir(exist_ok=True)
    prefix = ARTEFACTS / f"{seed.name}-trang"
    for old in ARTEFACTS.glob(f"{seed.name}-trang*.png"):
        old.unlink()
    subprocess.run([pdftoppm, "-png", "-r", "60", str(pdf), str(prefix)], check=True)
    pages = sorted(ARTEFACTS.glob(f"{seed.name}-trang*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 5_000 for p in pages)


def test_form_show_prints_the_outline_with_its_narrative_cells() -> None:
    result = CliRunner().invoke(cli, ["form", "show", "dvcq"])
    assert result.exit_code == 0
    assert "  KIẾN NGHỊ, ĐỀ XUẤT → nd_kien_nghi" in result.output
    assert "    Hạn chế, khó khăn và nguyên nhân → nd_han_che, nd_nguyen_nhan" in result.output


def test_a_model_row_lists_only_what_the_unit_filled() -> None:
    rows = [{"ten_mo_hinh": "Tổ hòa giải", "linh_vuc": "Văn hóa – xã hội", "nam_bat_dau": 2021}]
    text = unit_body({"dvk_dang_ky": 1}, rows=rows)
    assert "- Mô hình “Tổ hòa giải”: lĩnh vực văn hóa – xã hội; thực hiện từ năm 2021." in text


def test_the_workbook_says_where_narratives_go_and_shows_the_reports_precision(
    fresh_workbook: Path,
) -> None:

    wb = openpyxl.load_workbook(fresh_workbook)
    names = name_cells(wb)
    sheet, coord = names["nd_lanh_dao"]
    ws = wb[sheet]
    note = "\n".join(str(c.value) for row in ws.iter_rows(max_row=3) for c in row if c.value)
    assert "32.000 ký tự" in note and "tài liệu kèm theo" in note
    row = int(coord[1:])
    label = ws.cell(row=row - 1, column=ws[coord].column).value
    assert label.startswith("3. Công tác lãnh đạo, chỉ đạo, tuyên truyền — Văn bản đã ban hành")
    sheet, coord = names["ty_le_dung_han"]
    assert wb[sheet][coord].number_format == "0.0%"
    sheet, coord = names["tt_so_tien"]
    assert wb[sheet][coord].number_format == "#,##0.00"


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("{{ hg_vu | count }}", "{{ hg_vu | count }", "form-expression-syntax"),
        ("{{ hg_vu | count }}", "{{ hg_vu | dem }}", "form-unknown-code"),
        ("narrative: nd_hoa_giai", "narrative: hg_vu", "form-unknown-code"),
        (
            "  - title: KẾT QUẢ HÒA GIẢI",
            "  - title: KẾT QUẢ HÒA GIẢI\n    level: 4",
            "form-outline",
        ),
    ],
    ids=["jinja-syntax", "unknown-filter", "narrative-not-a-text", "bad-level"],
)
def test_a_bad_outline_is_refused_with_its_place(old: str, new: str, code: str) -> None:
    assert old in SMALL
    with pytest.raises(FormDefinitionError) as info:
        parse_form(yaml.safe_load(SMALL.replace(old, new, 1)), "nho.yaml")
    assert [p.code for p in info.value.problems] == [code]
    assert info.value.problems[0].where.startswith("outline[0]")
