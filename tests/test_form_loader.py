"""Tests for the form loader: the shipped ``dvcq`` form and every loader problem code.

Core codes and relations are typed by hand from /work/shared/domain.md ("The form
`dvcq` — indicator catalogue"); the seed-002 figures are written out by hand too.
Bad definitions are small YAML strings built from a minimal valid form, and the
assertions use ``Finding.code`` and ``Finding.where``, never whole message texts.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from helpers import CORE_CODES
from seed_replay import SEED_002_HS as SEED_002

from workbook_tools.errors import FormDefinitionError
from workbook_tools.findings import Finding
from workbook_tools.form import Form, Kind, get_form, load_form, shipped_forms
from workbook_tools.form import loader as form_loader
from workbook_tools.form.evaluate import RuleState, compute, rule_state
from workbook_tools.form.model import Aggregation, Rule

# "total = part + part + ..." relations stated in domain.md.
SUM_RELATIONS = (
    ("hs_nhan_giai_quyet", ("hs_ky_truoc", "hs_truc_tuyen", "hs_truc_tiep")),
    ("hs_da_giai_quyet", ("hs_truoc_han", "hs_dung_han", "hs_qua_han")),
    ("hs_dang_giai_quyet", ("hs_dang_trong_han", "hs_dang_qua_han")),
    ("pakn_tong", ("pakn_don_thu", "pakn_cong_dvc", "pakn_khac")),
    ("don_du_dieu_kien", ("don_khieu_nai", "don_to_cao", "don_kien_nghi")),
)

# "small ≤ big" relations stated in domain.md.
AT_MOST_RELATIONS = (
    ("pakn_da_xu_ly", "pakn_tong"),
    ("hl_luot_hai_long", "hl_luot_danh_gia"),
    ("don_du_dieu_kien", "don_tiep_nhan"),
    ("hg_thanh", "hg_vu_viec"),
    ("dvk_hieu_qua", "dvk_dang_ky"),
)


# Letters that only Vietnamese text carries (lower case is enough after .lower()).
VIETNAMESE_LETTERS = set("ăâđêôơưàáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ")


def is_vietnamese(text: str) -> bool:
    return any(ch in VIETNAMESE_LETTERS for ch in text.lower())


@pytest.fixture(scope="module")
def dvcq() -> Form:
    return get_form("dvcq")


# ---------------------------------------------------------------------------
# The shipped form


def test_dvcq_is_shipped_and_loads(dvcq: Form) -> None:
    assert "dvcq" in shipped_forms()
    assert dvcq.id == "dvcq"
    assert dvcq.version >= 1


def test_every_core_code_is_present_and_marked_core(dvcq: Form) -> None:
    assert len(CORE_CODES) == 46 == len(set(CORE_CODES))
    missing = [c for c in CORE_CODES if c not in dvcq.by_code]
    assert missing == []
    not_core = [c for c in CORE_CODES if not dvcq.indicator(c).core]
    assert not_core == []


def test_narrative_core_codes_are_long_texts(dvcq: Form) -> None:
    for code in CORE_CODES:
        if code.startswith("nd_"):
            assert dvcq.indicator(code).kind is Kind.LONG_TEXT, code


def test_seed_002_ho_so_totals_and_percentages(dvcq: Form) -> None:
    values = compute(dvcq, SEED_002)
    assert values["hs_nhan_giai_quyet"] == 4080  # 0 + 1242 + 2838
    assert values["hs_da_giai_quyet"] == 4040  # 3839 + 97 + 104
    assert values["hs_dang_giai_quyet"] == 11  # 11 + 0
    assert values["ty_le_dung_han"] == pytest.approx(3936 / 4040)  # (3839 + 97) / 4040
    assert values["ty_le_truc_tuyen"] == pytest.approx(1242 / 4080)  # 1242 / (1242 + 2838)


def test_seed_002_balances_received_against_resolved_in_progress_withdrawn(dvcq: Form) -> None:
    """nhan_giai_quyet = da_giai_quyet + dang_giai_quyet + rut: 4080 = 4040 + 11 + 29."""
    wanted = {"hs_nhan_giai_quyet", "hs_da_giai_quyet", "hs_dang_giai_quyet", "hs_rut"}
    rules = [r for r in dvcq.rules if wanted <= set(r.codes)]
    assert rules, "no rule relates hs_nhan_giai_quyet to da + dang + rut"
    good = compute(dvcq, SEED_002)
    bad = compute(dvcq, {**SEED_002, "hs_rut": 30})
    assert all(rule_state(r, good) is RuleState.PASSED for r in rules)
    assert any(r.severity == "error" and rule_state(r, bad) is RuleState.FAILED for r in rules)


def test_blank_is_not_zero_in_computed_totals(dvcq: Form) -> None:
    without_previous = {k: v for k, v in SEED_002.items() if k != "hs_ky_truoc"}
    values = compute(dvcq, without_previous)
    assert values["hs_nhan_giai_quyet"] is None
    assert values["hs_da_giai_quyet"] == 4040
    nothing_resolved = {**SEED_002, "hs_truoc_han": 0, "hs_dung_han": 0, "hs_qua_han": 0}
    assert compute(dvcq, nothing_resolved)["ty_le_dung_han"] is None  # 0 / 0


def _sum_rule_enforces(rule: Rule, total: str, parts: dict[str, int]) -> bool:
    right = sum(parts.values())
    ok = rule_state(rule, {**parts, total: right})
    wrong = rule_state(rule, {**parts, total: right + 1})
    return rule.severity == "error" and ok is RuleState.PASSED and wrong is RuleState.FAILED


@pytest.mark.parametrize(("total", "parts"), SUM_RELATIONS, ids=[t for t, _ in SUM_RELATIONS])
def test_each_sum_relation_is_computed_or_checked_by_a_rule(
    dvcq: Form, total: str, parts: tuple[str, ...]
) -> None:
    part_values = dict(zip(parts, (3, 5, 7), strict=False))
    expected = sum(part_values.values())  # 15 or 8, by hand
    if dvcq.indicator(total).computed:
        assert compute(dvcq, part_values)[total] == expected
    else:
        rules = [r for r in dvcq.rules if {total, *parts} <= set(r.codes)]
        assert any(_sum_rule_enforces(r, total, part_values) for r in rules), total


@pytest.mark.parametrize(("small", "big"), AT_MOST_RELATIONS, ids=[s for s, _ in AT_MOST_RELATIONS])
def test_each_at_most_relation_is_an_error_rule(dvcq: Form, small: str, big: str) -> None:
    rules = [r for r in dvcq.rules if {small, big} <= set(r.codes) and r.severity == "error"]
    assert any(
        rule_state(r, {small: 10, big: 10}) is RuleState.PASSED
        and rule_state(r, {small: 11, big: 10}) is RuleState.FAILED
        for r in rules
    ), f"{small} <= {big}"


def test_satisfaction_rate_is_satisfied_over_ratings(dvcq: Form) -> None:
    values = compute(dvcq, {"hl_luot_danh_gia": 200, "hl_luot_hai_long": 190})
    assert values["ty_le_hai_long"] == pytest.approx(0.95)


def test_cb_tong_so_is_a_stock_sum_over_units_last_over_time(dvcq: Form) -> None:
    assert dvcq.indicator("cb_tong_so").aggregation == Aggregation("sum", "last")


def test_every_percent_is_computed_and_recomputed_on_merge(dvcq: Form) -> None:
    percents = [ind for ind in dvcq.indicators if ind.kind is Kind.PERCENT]
    assert {"ty_le_dung_han", "ty_le_truc_tuyen", "ty_le_hai_long"} <= {p.code for p in percents}
    for ind in percents:
        assert ind.computed, ind.code
        assert ind.aggregation.units != "sum", ind.code
        assert "recompute" in (ind.aggregation.units, ind.aggregation.time), ind.code


def test_every_computed_indicator_has_a_why(dvcq: Form) -> None:
    without = [ind.code for ind in dvcq.indicators if ind.computed and not ind.why.strip()]
    assert without == []


def test_computed_core_indicators_have_a_why(dvcq: Form) -> None:
    without = [
        ind.code for ind in dvcq.indicators if ind.core and ind.computed and not ind.why.strip()
    ]
    assert without == []


def test_input_totals_checked_by_rules_have_a_why(dvcq: Form) -> None:
    for code in ("pakn_tong", "don_du_dieu_kien"):
        ind = dvcq.indicator(code)
        assert not ind.computed, code
        assert ind.why.strip(), code


def test_fingerprint_is_stable_and_follows_labels(tmp_path: Path) -> None:
    shipped = shipped_forms()["dvcq"]
    first, second = load_form(shipped), load_form(shipped)
    assert first.fingerprint == second.fingerprint
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(shipped, copy)
    assert load_form(copy).fingerprint == first.fingerprint  # not tied to the file's path
    text = shipped.read_text(encoding="utf-8")
    old = "label: Tổng số hồ sơ nhận giải quyết\n"
    assert text.count(old) == 1
    relabelled = tmp_path / "relabelled.yaml"
    relabelled.write_text(
        text.replace(old, "label: Tổng số hồ sơ đã nhận để giải quyết\n"), encoding="utf-8"
    )
    changed = load_form(relabelled)
    assert changed.indicator("hs_nhan_giai_quyet").label == "Tổng số hồ sơ đã nhận để giải quyết"
    assert changed.fingerprint != first.fingerprint


# ---------------------------------------------------------------------------
# Bad definitions, one per problem code

HEAD = """\
form: thu
version: 1
title: Biểu mẫu thử
agency: Sở Nội vụ
sections:
  - id: so_lieu
    title: Số liệu
    indicators:
"""

TWO_INDICATORS = """\
- code: a
  label: Chỉ tiêu A
- code: b
  label: Chỉ tiêu B
"""


def form_text(indicators: str = TWO_INDICATORS, more: str = "") -> str:
    """The minimal form with these indicators (a YAML list, dedented and put under the
    first section) followed by ``more`` exactly as given (more sections, rules)."""
    body = textwrap.indent(textwrap.dedent(indicators), " " * 6)
    return HEAD + body + more


def write(tmp_path: Path, text: str, name: str = "bieu-mau.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[Finding]:
    path = write(tmp_path, text)
    with pytest.raises(FormDefinitionError) as excinfo:
        load_form(path)
    found = excinfo.value.problems
    assert found, "FormDefinitionError without problems"
    assert all(p.file == str(path) for p in found)
    return found


def only(found: list[Finding]) -> Finding:
    assert len(found) == 1, [(p.code, p.where) for p in found]
    return found[0]


def test_minimal_form_loads(tmp_path: Path) -> None:
    form = load_form(write(tmp_path, form_text()))
    assert form.id == "thu"
    assert [ind.code for ind in form.indicators] == ["a", "b"]
    assert all(ind.kind is Kind.INTEGER for ind in form.indicators)


def test_minimal_form_with_rule_and_compute_loads(tmp_path: Path) -> None:
    text = form_text(
        TWO_INDICATORS + "- code: tong\n  label: Tổng\n  compute: a + b\n",
        "rules:\n  - id: a_toi_da\n    check: a <= b\n    message: A không lớn hơn B.\n",
    )
    form = load_form(write(tmp_path, text))
    assert form.indicator("tong").computed
    assert compute(form, {"a": 2, "b": 3})["tong"] == 5
    assert [r.id for r in form.rules] == ["a_toi_da"]


def test_unknown_code_in_compute_suggests_the_near_code(tmp_path: Path) -> None:
    text = form_text(
        """\
        - code: hs_truc_tuyen
          label: Hồ sơ trực tuyến
        - code: tinh
          label: Tính
          compute: hs_truc_tuyn + 1
        """
    )
    p = only(problems(tmp_path, text))
    assert p.code == "form-unknown-code"
    assert p.where == "sections[0].indicators[1].compute"
    assert "hs_truc_tuyn" in p.message
    assert "'hs_truc_tuyen'" in p.message  # the did-you-mean


def test_unknown_code_in_rule(tmp_path: Path) -> None:
    text = form_text(more="rules:\n  - id: r_a\n    check: a <= bb\n    message: Thử.\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-unknown-code", "rules[0].check")
    assert "bb" in p.message


def test_duplicate_code_in_two_sections(tmp_path: Path) -> None:
    second_section = (
        "  - id: khac\n"
        "    title: Khác\n"
        "    indicators:\n"
        "      - code: a\n"
        "        label: Chỉ tiêu A lần hai\n"
    )
    p = only(problems(tmp_path, form_text(more=second_section)))
    assert p.code == "form-duplicate-code"
    assert p.where == "sections[1].indicators[0].code"
    assert "sections[0].indicators[0]" in p.message  # where the first one is


def test_cycle_names_both_codes(tmp_path: Path) -> None:
    text = form_text(
        """\
        - code: a
          label: Chỉ tiêu A
          compute: b + 1
        - code: b
          label: Chỉ tiêu B
          compute: a + 1
        """
    )
    p = only(problems(tmp_path, text))
    assert p.code == "form-cycle"
    assert p.where in ("sections[0].indicators[0].compute", "sections[0].indicators[1].compute")
    # The codes named after the last colon ("... tính toán: a → b → a.").
    named = set(re.findall(r"[a-z_][a-z0-9_]*", p.message.rsplit(":", 1)[-1]))
    assert {"a", "b"} <= named


def test_self_reference_is_a_cycle(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: A\n  compute: a + 1\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-cycle", "sections[0].indicators[0].compute")


TYPE_MISMATCHES = {
    "arithmetic on a text indicator": (
        """\
        - code: a
          label: Tên
          kind: text
        - code: b
          label: Chỉ tiêu B
          compute: a + 1
        """,
        "",
        "sections[0].indicators[1].compute",
    ),
    "a rule that is a number": (
        TWO_INDICATORS,
        "rules:\n  - id: r_a\n    check: a + b\n    message: Thử.\n",
        "rules[0].check",
    ),
    "a computed expression that is a condition": (
        """\
        - code: a
          label: Chỉ tiêu A
        - code: b
          label: Chỉ tiêu B
          kind: decimal
          compute: a > 2
        """,
        "",
        "sections[0].indicators[1].compute",
    ),
    "required on a computed indicator": (
        """\
        - code: a
          label: Chỉ tiêu A
        - code: b
          label: Chỉ tiêu B
          required: true
          compute: a + 1
        """,
        "",
        "sections[0].indicators[1].required",
    ),
    "integer computed with a division": (
        """\
        - code: a
          label: Chỉ tiêu A
        - code: b
          label: Chỉ tiêu B
          compute: a / 2
        """,
        "",
        "sections[0].indicators[1].kind",
    ),
    "choices on an integer": (
        """\
        - code: a
          label: Chỉ tiêu A
          choices: [Một, Hai]
        """,
        "",
        "sections[0].indicators[0].choices",
    ),
    "min on a text indicator": (
        "- code: a\n  label: Tên\n  kind: text\n  min: 1\n",
        "",
        "sections[0].indicators[0].min",
    ),
    "a computed text indicator": (
        "- code: a\n  label: A\n- code: b\n  label: B\n  kind: text\n  compute: a + 1\n",
        "",
        "sections[0].indicators[1].kind",
    ),
}


@pytest.mark.parametrize("case", list(TYPE_MISMATCHES))
def test_type_mismatch(tmp_path: Path, case: str) -> None:
    indicators, more, where = TYPE_MISMATCHES[case]
    p = only(problems(tmp_path, form_text(indicators, more)))
    assert (p.code, p.where) == ("form-type-mismatch", where)


def choice_form(*choices: str) -> str:
    listed = json.dumps(list(choices), ensure_ascii=False)  # JSON is YAML: escapes kept
    return form_text(f"- code: a\n  label: Cấp công nhận\n  kind: choice\n  choices: {listed}\n")


def test_choices_with_commas_quotes_and_many_items_load(tmp_path: Path) -> None:
    """Dropdowns read their choices from cells: commas, quotes and long lists are fine."""
    choices = ["Cơ quan, đơn vị", 'Mô hình "Dân vận khéo"', "Q."] + [
        f"Lựa chọn thứ {i}, rất dài để vượt 255 ký tự khi nối bằng dấu phẩy" for i in range(8)
    ]
    form = load_form(write(tmp_path, choice_form(*choices)))
    assert form.indicator("a").choices == tuple(choices)


UNREPRESENTABLE_CHOICES = {
    "empty": "",
    "a line break": "Cấp\nxã",
    "a tab": "Cấp\txã",
    "a non-breaking space": "Cấp\u00a0xã",
    "a formula": "=1+2",
    "a leading dash": "- Khác",
    "a number": "2025",
    "a Vietnamese number": "1.234",
    "a percentage": "50%",
    "a date": "1/6/2025",
    "a truth value": "TRUE",
}


@pytest.mark.parametrize("case", list(UNREPRESENTABLE_CHOICES))
def test_choice_that_cannot_be_picked_as_written_is_refused(tmp_path: Path, case: str) -> None:
    text = choice_form("Chưa công nhận", UNREPRESENTABLE_CHOICES[case])
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-bad-choice", "sections[0].indicators[0].choices[1]")
    assert is_vietnamese(p.message) and is_vietnamese(p.fix)


def test_choices_equal_but_for_case_are_duplicates(tmp_path: Path) -> None:
    p = only(problems(tmp_path, choice_form("Cấp xã", "Cấp tỉnh", "cấp XÃ")))
    assert (p.code, p.where) == ("form-duplicate-code", "sections[0].indicators[0].choices[2]")


def test_help_of_300_characters_is_too_long(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: Chỉ tiêu A\n  help: " + "x" * 300 + "\n")
    p = only(problems(tmp_path, text))
    assert p.code == "form-text-too-long"
    assert p.where == "sections[0].indicators[0].help"
    assert p.where.endswith(".help")
    # Prompt: 41 characters before the help (see below) + 300 = 341 > 255.
    assert "341" in p.message and "255" in p.message


# The prompt of an integer indicator without unit, min 0 by default and no max, per
# validation_text.py: f"{label}. Nhập số nguyên từ 0 trở lên." + " " + help.
PROMPT_BEFORE_HELP = "Chỉ tiêu A. Nhập số nguyên từ 0 trở lên. "
PROMPT_BEFORE_HELP_LENGTH = 41  # counted by hand: 11 + 5 + 3 + 7 + 3 + 2 + 4 + 5 + 1


def test_prompt_of_exactly_255_characters_passes_and_256_fails(tmp_path: Path) -> None:
    assert len(PROMPT_BEFORE_HELP) == PROMPT_BEFORE_HELP_LENGTH
    fits = 255 - PROMPT_BEFORE_HELP_LENGTH  # 214
    ok = form_text("- code: a\n  label: Chỉ tiêu A\n  help: " + "x" * fits + "\n")
    form = load_form(write(tmp_path, ok, "vua-du.yaml"))
    assert len(form.indicator("a").help) == 214
    over = form_text("- code: a\n  label: Chỉ tiêu A\n  help: " + "x" * (fits + 1) + "\n")
    p = only(problems(tmp_path, over))
    assert (p.code, p.where) == ("form-text-too-long", "sections[0].indicators[0].help")
    assert "256" in p.message


def test_too_long_label_is_located_at_the_label(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: " + "x" * 300 + "\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-text-too-long", "sections[0].indicators[0].label")


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("hs1", "an Excel cell reference"),
        ("r1c1", "an R1C1 cell reference"),
        ("Hs_A", "upper case"),
        ("hs-a", "a hyphen"),
        ("1hs", "starts with a digit"),
        ("sum", "a function name"),
        ("and", "a keyword"),
        ("a" * 65, "longer than 64"),
    ],
)
def test_bad_code(tmp_path: Path, code: str, why: str) -> None:
    text = form_text(f"- code: {code}\n  label: Chỉ tiêu\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-bad-code", "sections[0].indicators[0].code"), why


def test_code_of_64_characters_is_accepted(tmp_path: Path) -> None:
    form = load_form(write(tmp_path, form_text(f"- code: {'a' * 64}\n  label: Dài\n")))
    assert form.indicators[0].code == "a" * 64


def test_unknown_key_suggests_the_near_key(tmp_path: Path) -> None:
    text = form_text("- code: a\n  lable: Chỉ tiêu A\n")
    found = problems(tmp_path, text)
    unknown = [p for p in found if p.code == "form-unknown-key"]
    assert len(unknown) == 1
    assert unknown[0].where == "sections[0].indicators[0].lable"
    assert "'label'" in unknown[0].message
    # The label itself is then missing.
    assert {(p.code, p.where) for p in found} == {
        ("form-unknown-key", "sections[0].indicators[0].lable"),
        ("form-missing-key", "sections[0].indicators[0].label"),
    }


def test_missing_key(tmp_path: Path) -> None:
    text = form_text("- code: a\n  kind: integer\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-missing-key", "sections[0].indicators[0].label")


def test_missing_top_level_title(tmp_path: Path) -> None:
    text = form_text().replace("title: Biểu mẫu thử\n", "")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-missing-key", "(gốc).title")


def test_missing_top_level_agency(tmp_path: Path) -> None:
    text = form_text().replace("agency: Sở Nội vụ\n", "")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-missing-key", "(gốc).agency")


def test_bad_kind_value(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: Chỉ tiêu A\n  kind: numbr\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-bad-value", "sections[0].indicators[0].kind")
    assert "numbr" in p.message


def test_near_kind_value_is_suggested(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: Chỉ tiêu A\n  kind: integr\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-bad-value", "sections[0].indicators[0].kind")
    assert "'integer'" in p.message


def test_expression_syntax(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: A\n- code: b\n  label: B\n  compute: a +\n")
    p = only(problems(tmp_path, text))
    assert (p.code, p.where) == ("form-expression-syntax", "sections[0].indicators[1].compute")
    assert "a +" in p.message


def test_bad_bounds(tmp_path: Path) -> None:
    text = form_text("- code: a\n  label: Chỉ tiêu A\n  min: 10\n  max: 5\n")
    p = only(problems(tmp_path, text))
    assert p.code == "form-bad-bounds"
    assert p.where.startswith("sections[0].indicators[0].")


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    # Line 11 (HEAD is 8 lines, indicator a is lines 9-10) is indented with a tab.
    text = HEAD + "      - code: a\n        label: Chỉ tiêu A\n\t- code: b\n"
    assert text.splitlines()[10].startswith("\t")
    p = only(problems(tmp_path, text))
    assert p.code == "form-yaml-syntax"
    assert "dòng" in p.where
    assert p.where.startswith("dòng 11")


def test_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "khong-co.yaml"
    with pytest.raises(FormDefinitionError) as excinfo:
        load_form(path)
    p = only(excinfo.value.problems)
    assert p.code == "form-file-missing"
    assert p.file == str(path)


def test_get_form_of_a_missing_yaml_path_is_file_missing(tmp_path: Path) -> None:
    with pytest.raises(FormDefinitionError) as excinfo:
        get_form(str(tmp_path / "khong-co.yaml"))
    assert excinfo.value.codes == ["form-file-missing"]


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = form_text(
        """\
        - code: a
          label: Chỉ tiêu A
          kind: numbr
        - code: hs1
          label: Chỉ tiêu B
        - code: tinh
          label: Chỉ tiêu C
          min: 10
          max: 5
        """
    )
    found = problems(tmp_path, text)
    assert sorted((p.code, p.where) for p in found) == [
        ("form-bad-bounds", "sections[0].indicators[2].min"),
        ("form-bad-code", "sections[0].indicators[1].code"),
        ("form-bad-value", "sections[0].indicators[0].kind"),
    ]


def test_two_indicators_without_code_report_only_missing_keys(tmp_path: Path) -> None:
    text = form_text("- label: Chỉ tiêu A\n- label: Chỉ tiêu B\n")
    found = problems(tmp_path, text)
    assert [(p.code, p.where) for p in found] == [
        ("form-missing-key", "sections[0].indicators[0].code"),
        ("form-missing-key", "sections[0].indicators[1].code"),
    ]


@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_duplicate_key_in_one_mapping_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str
) -> None:
    if parser == "python":
        monkeypatch.setattr(form_loader, "_StrictLoader", _pure_python_strict_loader())
    text = form_text(
        TWO_INDICATORS + "- code: tong\n  label: Tổng\n  compute: a + b\n  compute: a\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(FormDefinitionError) as caught:
        load_form(path)
    assert [p.code for p in caught.value.problems] == ["form-yaml-syntax"]
    assert caught.value.problems[0].where == "dòng 16, cột 9"  # the second compute: key


def _pure_python_strict_loader() -> type[yaml.SafeLoader]:
    """The loader's duplicate-key check on PyYAML's pure-Python parser."""
    return type("PurePythonStrictLoader", (form_loader._NoKeyTwice, yaml.SafeLoader), {})


def test_libyaml_parser_reads_the_shipped_form_as_the_pure_python_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The loader parses with libyaml when PyYAML has it: the same form either way."""
    assert yaml.__with_libyaml__
    assert issubclass(form_loader._StrictLoader, yaml.CSafeLoader)
    fast = get_form("dvcq")
    monkeypatch.setattr(form_loader, "_StrictLoader", _pure_python_strict_loader())
    assert get_form("dvcq") == fast


BAD_DEFINITIONS = {
    "unknown code": form_text("- code: a\n  label: A\n  compute: zz + 1\n"),
    "duplicate": form_text(TWO_INDICATORS + "- code: a\n  label: A hai\n"),
    "cycle": form_text("- code: a\n  label: A\n  compute: a + 1\n"),
    "type": form_text(TWO_INDICATORS, "rules:\n  - id: r_a\n    check: a + b\n    message: m\n"),
    "too long": form_text("- code: a\n  label: A\n  help: " + "x" * 300 + "\n"),
    "bad code": form_text("- code: Hs_A\n  label: A\n"),
    "unknown key": form_text("- code: a\n  lable: A\n"),
    "bad value": form_text("- code: a\n  label: A\n  kind: numbr\n"),
    "syntax": form_text("- code: a\n  label: A\n  compute: (1 +\n"),
    "bounds": form_text("- code: a\n  label: A\n  min: 3\n  max: 1\n"),
    "yaml": HEAD + "\t- code: a\n",
    "empty file": "",
    "not a mapping": "- một\n- hai\n",
}


@pytest.mark.parametrize("case", list(BAD_DEFINITIONS))
def test_every_problem_has_vietnamese_message_and_fix(tmp_path: Path, case: str) -> None:
    for p in problems(tmp_path, BAD_DEFINITIONS[case]):
        assert p.code.startswith("form-"), p
        assert p.where.strip(), p
        assert p.message.strip() and is_vietnamese(p.message), p
        assert p.fix.strip() and is_vietnamese(p.fix), p
        assert "Cách sửa" in str(p)


def test_missing_file_problem_is_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(FormDefinitionError) as excinfo:
        load_form(tmp_path / "khong-co.yaml")
    p = only(excinfo.value.problems)
    assert is_vietnamese(p.message) and is_vietnamese(p.fix)


def test_the_error_message_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, BAD_DEFINITIONS["bounds"].replace("code: a", "code: hs1"))
    with pytest.raises(FormDefinitionError) as excinfo:
        load_form(path)
    text = str(excinfo.value)
    assert "(2 lỗi)" in text
    assert text.count(str(path)) == 2


def test_every_rule_of_dvcq_can_fail(dvcq: Form) -> None:
    """A rule no non-negative figures can break ("a + b >= 0") only says "không hợp lệ"."""
    inputs = [i.code for i in dvcq.indicators if i.kind.numeric and not i.computed]
    trials = []
    for code in inputs:  # one figure 1 and the others 0, or one 0 and the others 1
        trials.append({c: (1 if c == code else 0) for c in inputs})
        trials.append({c: (0 if c == code else 1) for c in inputs})
    computed = [compute(dvcq, trial) for trial in trials]
    for rule in dvcq.rules:
        states = {rule_state(rule, values) for values in computed}
        assert RuleState.FAILED in states, rule.id


def test_a_part_is_listed_under_its_whole_not_under_a_rate(dvcq: Form) -> None:
    """A "Trong đó" row reads as part of the row above: never a rate."""
    for section in dvcq.sections:
        for above, ind in zip(section.indicators, section.indicators[1:], strict=False):
            if ind.label.startswith("Trong đó"):
                assert above.kind is not Kind.PERCENT, (above.code, ind.code)
    codes = [ind.code for ind in dvcq.indicators]
    assert codes[codes.index("hs_buu_chinh") - 1] == "hs_truc_tiep"
