"""A corpus of bad received files: each one becomes findings, never an exception.

Every file is built here from one valid filling of dvcq (see ``corpus.py``) and
checked with ``check_file`` against what the Sở expects (form, period, unit,
registry). For each kind of bad input the test names the finding codes it must
produce and where (sheet, cell, indicators), whether the file is accepted, and,
for broken rules, the values on both sides as a reader of the message sees them.
Expected cells come from the form's layout; the corpus writes values through the
workbook's defined names, so the two meet only if the checker reports the cell
that was actually broken.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from corpus import (
    FILLING,
    TABLE,
    TABLE_CODE,
    Corpus,
    billion_laughs,
    delete_meta,
    encrypted_ole,
    lying_crc,
    lying_zip_bomb,
    set_meta,
    zip_bomb,
)

from workbook_tools.catalogue import CATALOGUE
from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.contract.layout import build_layout
from workbook_tools.form import Form, get_form
from workbook_tools.libreoffice import convert_many
from workbook_tools.periods import parse_period
from workbook_tools.reader.safety import Limits
from workbook_tools.units import Unit

LAYOUT = build_layout(get_form("dvcq"))
H1 = parse_period("2025-H1")

# Letters only Vietnamese uses (beyond ASCII): a message without one is not Vietnamese.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)


@dataclass(frozen=True)
class Want:
    """A finding that must be present: code, where, and (when given) its indicators."""

    code: str
    sheet: str = ""
    cell: str = ""
    indicators: tuple[str, ...] | None = None
    severity: str | None = None  # when not the catalogue's (rules carry their own)


def file_level(code: str) -> Want:
    return Want(code)


def at(finding_code: str, indicator: str) -> Want:
    """A finding on the input cell of ``indicator``."""
    cell = LAYOUT.cell(indicator)
    return Want(finding_code, cell.sheet, cell.a1, (indicator,))


def rule_at(anchor: str, indicators: tuple[str, ...], severity: str) -> Want:
    """A failed rule, shown at its anchor's cell, naming every code it involves."""
    cell = LAYOUT.cell(anchor)
    return Want("rule-failed", cell.sheet, cell.a1, indicators, severity)


def in_table(finding_code: str, row: int, column: str) -> Want:
    cell = LAYOUT.table_cells[(TABLE_CODE, row, column)]
    return Want(finding_code, cell.sheet, cell.a1, (TABLE_CODE,))


def standard(corpus: Corpus) -> Expectation:
    """What the Sở expects of this unit's file for 6 tháng đầu năm 2025."""
    return Expectation(corpus.form, period=H1, unit=corpus.unit.code, registry=corpus.registry)


Build = Callable[[Corpus, Path], None]


VALID = "valid.xlsx"  # the valid filling itself, checked under other expectations or limits


@dataclass(frozen=True)
class Case:
    kind: str
    name: str  # file name in the corpus
    build: Build | None  # None: the valid file, as it is
    wants: tuple[Want, ...]
    accepted: bool
    expect: Callable[[Corpus], Expectation] = standard
    limits: Limits | None = None
    message_has: tuple[str, ...] = ()  # in the message of the first wanted finding
    values: dict[str, Any] = field(default_factory=dict)  # read back, as typed values


def bytes_of(data: bytes) -> Build:
    return lambda corpus, path: path.write_bytes(data)


def filled(rows: list[dict[str, Any]] | None = None, **changes: Any) -> Build:
    return lambda corpus, path: corpus.fill(path, rows, **changes)


def edited(change: Callable[[Any], None]) -> Build:
    return lambda corpus, path: corpus.edit(path, change)


def meta(key: str, value: Any) -> Build:
    return edited(set_meta(key, value))


def truncated(corpus: Corpus, path: Path) -> None:
    data = corpus.valid.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def rename_sheet(wb: Any) -> None:
    wb["Số liệu"].title = "So lieu"


def insert_figure_rows(wb: Any) -> None:
    wb["Số liệu"].insert_rows(7, 2)  # above vb_chi_dao, the first indicator (row 7)


def insert_table_rows(wb: Any) -> None:
    wb["Dân vận khéo"].insert_rows(2)  # above the header row


def marker_wrong(wb: Any) -> None:
    wb["_meta"]["A1"] = "bang_tinh_khac"


def plain_workbook(corpus: Corpus, path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws.append(["Chỉ tiêu", "Số liệu"])
    ws.append(["Số hồ sơ mới tiếp nhận trực tuyến", 1242])
    wb.save(path)


def macros(corpus: Corpus, path: Path) -> None:
    corpus.zip_parts(path, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)})


def xml_bomb(corpus: Corpus, path: Path) -> None:
    # The generated workbook (XlsxWriter keeps its strings in xl/sharedStrings.xml;
    # openpyxl, which fills the valid one, writes them inline).
    corpus.zip_parts(path, {"xl/sharedStrings.xml": billion_laughs}, source=corpus.fresh)


def xml_bomb_after_comment(corpus: Corpus, path: Path) -> None:
    """The same DTD, after a 5 KB comment: still in the prolog, past its first 4 KB."""

    def change(data: bytes) -> bytes:
        bomb = billion_laughs(data)
        head, rest = bomb.split(b"?>", 1)
        return head + b"?>\n<!--" + b" " * 5000 + b"-->" + rest

    corpus.zip_parts(path, {"xl/sharedStrings.xml": change}, source=corpus.fresh)


def bomb(corpus: Corpus, path: Path) -> None:
    zip_bomb(corpus.valid, path, megabytes=300)


def wrong_crc(corpus: Corpus, path: Path) -> None:
    lying_crc(corpus.valid, path)


def lying_bomb(corpus: Corpus, path: Path) -> None:
    lying_zip_bomb(corpus.valid, path, megabytes=40)


# Small ceilings, so that the lying bomb stays fast: its 40 MB are well above them.
SMALL_LIMITS = Limits(max_uncompressed_bytes=20 * 1024 * 1024, ratio_floor=1024 * 1024)


def csv_text(corpus: Corpus, path: Path) -> None:
    path.write_text("Mã đơn vị,Số hồ sơ\nXA_DONG_SON,1242\n", encoding="utf-8-sig")


def random_bytes(corpus: Corpus, path: Path) -> None:
    data = random.Random(20250620).randbytes(4096)
    assert not data.startswith((b"PK", b"\xd0\xcf"))
    path.write_bytes(data)


def docx_like(corpus: Corpus, path: Path) -> None:
    corpus.docx_like(path)


def v1_against_v2(corpus: Corpus) -> Expectation:
    return Expectation(corpus.form_v2, period=H1, unit=corpus.unit.code, registry=corpus.registry)


def other_period(corpus: Corpus) -> Expectation:
    return Expectation(
        corpus.form, period=parse_period("2025-H2"), unit=corpus.unit.code, registry=corpus.registry
    )


def other_unit(corpus: Corpus) -> Expectation:
    return Expectation(corpus.form, period=H1, unit="OTHER", registry=corpus.registry)


def registry_without_unit(corpus: Corpus) -> Expectation:
    return Expectation(
        corpus.form, period=H1, unit=corpus.unit.code, registry=corpus.registry_without_unit
    )


# A third Dân vận khéo row with a name and a unit but no lĩnh vực.
ROW_WITHOUT_FIELD = {**TABLE[1], "ten_mo_hinh": "Tổ tự quản đường làng", "linh_vuc": None}

CASES: list[Case] = [
    Case("valid", VALID, None, (), True),
    # the file itself
    Case("empty-file", "rong.xlsx", bytes_of(b""), (file_level("file-empty"),), False),
    Case("csv-renamed", "csv-doi-duoi.xlsx", csv_text, (file_level("file-csv"),), False),
    Case(
        "random-bytes", "ngau-nhien.xlsx", random_bytes, (file_level("file-not-workbook"),), False
    ),
    Case("docx-like-zip", "van-ban.xlsx", docx_like, (file_level("file-word"),), False),
    Case("truncated-zip", "tai-do-dang.xlsx", truncated, (file_level("file-unreadable"),), False),
    Case(
        "password-encrypted",
        "mat-khau.xlsx",
        bytes_of(encrypted_ole()),
        (file_level("file-encrypted"),),
        False,
    ),
    Case("zip-bomb", "zip-bomb.xlsx", bomb, (file_level("file-zip-bomb"),), False),
    Case("billion-laughs", "xml-bomb.xlsx", xml_bomb, (file_level("file-xml-bomb"),), False),
    Case(
        "too-large",
        VALID,
        None,
        (file_level("file-too-large"),),
        False,
        limits=Limits(max_file_bytes=1000),
    ),
    Case("macros-xlsm", "co-macro.xlsm", macros, (file_level("file-has-macros"),), True),
    # identity
    Case(
        "plain-openpyxl",
        "bang-tinh-moi.xlsx",
        plain_workbook,
        (file_level("not-our-workbook"),),
        False,
    ),
    Case(
        "meta-marker-wrong",
        "meta-sai-dau.xlsx",
        edited(marker_wrong),
        (Want("not-our-workbook", "_meta"),),
        False,
    ),
    Case(
        "meta-damaged",
        "meta-hong.xlsx",
        edited(delete_meta("fingerprint")),
        (Want("meta-damaged", "_meta"),),
        False,
    ),
    Case(
        "another-form",
        "bieu-khac.xlsx",
        meta("form_id", "ccvc"),
        (Want("form-unknown", "_meta"),),
        False,
    ),
    Case(
        "version-outdated",
        VALID,
        None,
        (Want("form-version-outdated", "_meta"),),
        False,
        expect=v1_against_v2,
    ),
    Case(
        "version-newer",
        "phien-ban-9.xlsx",
        meta("form_version", "9"),
        (Want("form-version-unknown", "_meta"),),
        False,
    ),
    Case(
        "fingerprint-mismatch",
        "dau-van-tay.xlsx",
        meta("fingerprint", "0" * 64),
        (Want("form-fingerprint-mismatch", "_meta"),),
        False,
    ),
    Case(
        "period-invalid",
        "ky-sai.xlsx",
        meta("period", "2025-H3"),
        (Want("period-invalid", "_meta"),),
        False,
    ),
    Case(
        "wrong-period",
        VALID,
        None,
        (Want("period-unexpected", "Đơn vị"),),
        False,
        expect=other_period,
    ),
    Case(
        "wrong-unit",
        VALID,
        None,
        (Want("unit-unexpected", "Đơn vị"),),
        False,
        expect=other_unit,
    ),
    Case(
        "unit-not-in-registry",
        VALID,
        None,
        (Want("unit-not-in-registry", "Đơn vị"),),
        False,
        expect=registry_without_unit,
    ),
    # structure
    Case(
        "sheet-renamed",
        "doi-ten-trang.xlsx",
        edited(rename_sheet),
        (Want("sheet-missing", "Số liệu"),),
        False,
    ),
    Case(
        "rows-inserted-figures",
        "chen-dong.xlsx",
        edited(insert_figure_rows),
        (
            Want("structure-moved", "Số liệu", "D7", ("vb_chi_dao",)),
            Want("structure-moved", "Số liệu", "D8", ("hn_tuyen_truyen",)),
        ),
        False,
    ),
    Case(
        "rows-inserted-table",
        "chen-dong-bang.xlsx",
        edited(insert_table_rows),
        (Want("structure-moved", "Dân vận khéo", "B5", (f"{TABLE_CODE}.ten_mo_hinh",)),),
        False,
    ),
    # values
    Case(
        "text-hon-150",
        "hon-150.xlsx",
        filled(hs_truc_tuyen="hơn 150"),
        (at("value-text-in-number", "hs_truc_tuyen"),),
        False,
        message_has=("“hơn 150”",),
    ),
    Case(
        "text-khoang-55000",
        "khoang.xlsx",
        filled(hs_truc_tiep="khoảng 55.000"),
        (at("value-text-in-number", "hs_truc_tiep"),),
        False,
        message_has=("“khoảng 55.000”",),
    ),
    Case(
        "text-1.5.3",
        "1-5-3.xlsx",
        filled(vb_chi_dao="1.5.3"),
        (at("value-text-in-number", "vb_chi_dao"),),
        False,
    ),
    Case(
        "number-as-text-1.234",
        "so-dang-chu.xlsx",
        filled(tt_giao_dich="1.234"),
        (at("value-number-as-text", "tt_giao_dich"),),
        True,
        message_has=("“1.234”", "1234"),
        values={"tt_giao_dich": 1234},
    ),
    Case(
        "negative",
        "so-am.xlsx",
        filled(hs_buu_chinh=-3),
        (at("value-negative", "hs_buu_chinh"),),
        False,
        message_has=("-3",),
    ),
    Case(
        "not-integer",
        "so-le.xlsx",
        filled(dvk_kt_ca_nhan=2.5),
        (at("value-not-integer", "dvk_kt_ca_nhan"),),
        False,
        message_has=("2,5",),
    ),
    Case(
        "year-1990-in-table",
        "nam-1990.xlsx",
        filled([{**TABLE[0], "nam_bat_dau": 1990}, TABLE[1]]),
        (in_table("value-out-of-range", 1, "nam_bat_dau"),),
        False,
    ),
    Case(
        "choice-not-in-list",
        "uy-quyen.xlsx",
        filled(hinh_thuc_ky="Ủy quyền"),
        (at("value-not-in-list", "hinh_thuc_ky"),),
        False,
        message_has=("“Ủy quyền”",),
    ),
    Case(
        "text-too-long",
        "qua-dai.xlsx",
        filled(nguoi_ky="Trần Văn Bình " * 30),
        (at("value-text-too-long", "nguoi_ky"),),
        False,
    ),
    Case(
        "required-blank",
        "bo-trong.xlsx",
        filled(tcd_luot=None),
        (at("value-required-missing", "tcd_luot"),),
        False,
    ),
    Case(
        "required-whitespace",
        "dau-cach.xlsx",
        filled(nguoi_lap_bieu="   \u00a0 "),
        (at("value-required-missing", "nguoi_lap_bieu"),),
        False,
    ),
    Case(
        "required-zero",
        "so-0.xlsx",
        filled(kl_vi_pham=0),
        (),
        True,
        values={"kl_vi_pham": 0},
    ),
    Case(
        "formula-in-input",
        "cong-thuc.xlsx",
        filled(hs_truc_tuyen="=19+7"),
        (at("value-formula-in-input", "hs_truc_tuyen"),),
        False,
    ),
    # rules and tables
    Case(
        "rule-failed-don",
        "don-lech.xlsx",
        filled(don_du_dieu_kien=285),
        (
            rule_at(
                "don_du_dieu_kien",
                ("don_khieu_nai", "don_to_cao", "don_kien_nghi", "don_du_dieu_kien"),
                "error",
            ),
        ),
        False,
        message_has=("28 + 35 + 120 = 183 ≠ 285",),
    ),
    Case(
        "rule-warning-only",
        "canh-bao.xlsx",
        filled(tcd_nguoi=40),
        (rule_at("tcd_nguoi", ("tcd_nguoi", "tcd_luot"), "warning"),),
        True,
        message_has=("40 < 45",),
    ),
    Case(
        "table-row-incomplete",
        "dong-thieu.xlsx",
        filled([*TABLE, ROW_WITHOUT_FIELD]),
        (in_table("table-row-incomplete", 3, "linh_vuc"),),
        False,
    ),
    Case(
        "zip-bomb-lying-sizes",
        "zip-bomb-khai-sai.xlsx",
        lying_bomb,
        (file_level("file-zip-bomb"),),
        False,
        limits=SMALL_LIMITS,
    ),
    Case(
        "zip-crc-lying",
        "crc-sai.xlsx",
        wrong_crc,
        (file_level("file-unreadable"),),
        False,
    ),
    Case(
        "xml-bomb-after-comment",
        "xml-bomb-chu-thich.xlsx",
        xml_bomb_after_comment,
        (file_level("file-xml-bomb"),),
        False,
    ),
]

BY_KIND = {case.kind: case for case in CASES}
assert len(BY_KIND) == len(CASES), "two cases share a kind"
_BUILT = [case.name for case in CASES if case.build is not None]
assert len(set(_BUILT)) == len(_BUILT) and VALID not in _BUILT, "two cases share a file"


def params() -> list[Any]:
    out = []
    for case in CASES:
        out.append(pytest.param(case, id=case.kind))
    return out


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory, fresh_workbook: Path, dvcq: Form, unit: Unit
) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("corpus"), fresh_workbook, dvcq, unit)


def built(corpus: Corpus, case: Case) -> Path:
    """The case's file, built once per module (the batch test reuses it)."""
    if case.build is None:
        return corpus.valid
    path = corpus.file(case.name)
    if not path.exists():
        case.build(corpus, path)
    return path


def assert_findings(sub: Submission, path: Path, wants: tuple[Want, ...]) -> None:
    got = [(f.code, f.sheet, f.cell) for f in sub.findings]
    for want in wants:
        assert (want.code, want.sheet, want.cell) in got, f"{path.name}: {want} not in {got}"
        if want.indicators is not None:
            found = [
                f.indicators
                for f in sub.findings
                if (f.code, f.sheet, f.cell) == (want.code, want.sheet, want.cell)
            ]
            assert want.indicators in found, f"{path.name}: {want} has indicators {found}"
    assert {f.code for f in sub.findings} == {w.code for w in wants}, (
        f"{path.name}: other findings too: {got}"
    )
    for f in sub.findings:
        assert f.file == str(path)
        assert f.message.strip() and VIETNAMESE.search(f.message), f"not Vietnamese: {f.message!r}"
        if f.code != "rule-failed":  # a rule carries its own severity
            assert f.severity == CATALOGUE[f.code].severity
    for want in wants:
        if want.severity is not None:
            severities = {
                f.severity
                for f in sub.findings
                if (f.code, f.sheet, f.cell) == (want.code, want.sheet, want.cell)
            }
            assert severities == {want.severity}, f"{path.name}: {want}: {severities}"


@pytest.mark.parametrize("case", params())
def test_bad_input(corpus: Corpus, case: Case) -> None:
    path = built(corpus, case)
    sub = check_file(path, case.expect(corpus), case.limits)  # (1) nothing escapes
    assert_findings(sub, path, case.wants)  # (2)
    assert sub.accepted is case.accepted  # (3)
    assert sub.accepted is not any(f.is_error for f in sub.findings)
    if case.message_has:
        first = case.wants[0]
        message = next(
            f.message
            for f in sub.findings
            if (f.code, f.sheet, f.cell) == (first.code, first.sheet, first.cell)
        )
        for text in case.message_has:
            assert text in message, message
    for code, value in case.values.items():
        assert sub.values[code] == value


def test_year_out_of_range_message_shows_the_year_as_typed(corpus: Corpus) -> None:
    case = BY_KIND["year-1990-in-table"]
    path = built(corpus, case)
    sub = check_file(path, standard(corpus))
    (found,) = [f for f in sub.findings if f.code == "value-out-of-range"]
    assert "1990" in found.message and "2000" in found.message, found.message


def assert_read_back(sub: Submission, label: str) -> None:
    """Every value filled is read back equal, every computed one recomputed by hand."""
    for code, value in FILLING.items():
        assert sub.values[code] == value, f"{label}: {code}: {sub.values[code]!r} ≠ {value!r}"
    # 0 + 1.242 + 2.838; 3.839 + 97 + 104; 8 + 3; (3.839 + 97) / 4.040; 1.242 / 4.080
    assert sub.values["hs_nhan_giai_quyet"] == 4080, label
    assert sub.values["hs_da_giai_quyet"] == 4040, label
    assert sub.values["hs_dang_giai_quyet"] == 11, label
    assert sub.values["ty_le_dung_han"] == pytest.approx(3936 / 4040), label
    assert sub.values["ty_le_truc_tuyen"] == pytest.approx(1242 / 4080), label
    assert sub.values["ty_le_pakn_xu_ly"] == pytest.approx(60 / 62), label
    rows = [(r.table, r.index, r.values) for r in sub.rows]
    assert rows == [(TABLE_CODE, i, row) for i, row in enumerate(TABLE, start=1)], label


def test_valid_filling_is_clean(corpus: Corpus) -> None:
    """The base of every bad variant: accepted, no finding at all, every value read back."""
    sub = check_file(corpus.valid, standard(corpus))
    assert sub.findings == []
    assert sub.accepted and sub.status == "accepted"
    assert (sub.form_id, sub.form_version, sub.unit_code, sub.period) == (
        "dvcq",
        corpus.form.version,
        "XA_DONG_SON",
        "2025-H1",
    )
    assert_read_back(sub, corpus.valid.name)


def test_one_bad_file_never_stops_a_batch(corpus: Corpus) -> None:
    """Every corpus file in one loop, the valid one last: each gets its verdict."""
    batch = [(case, built(corpus, case)) for case in CASES if case.kind != "valid"]
    batch.append((BY_KIND["valid"], corpus.valid))
    verdicts: dict[str, bool] = {}
    for case, path in batch:
        sub = check_file(path, case.expect(corpus), case.limits)
        verdicts[case.kind] = sub.accepted
        assert {f.code for f in sub.findings} == {w.code for w in case.wants}, case.kind
    assert verdicts == {case.kind: case.accepted for case in CASES}
    assert verdicts["valid"] is True
    assert sum(not ok for ok in verdicts.values()) >= 30


# --- saved again by LibreOffice ----------------------------------------------------------


@pytest.fixture(scope="module")
def resaved(
    soffice: str, corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Path]]:
    """The valid filling saved by LibreOffice as .xlsx, .ods, .xls (and, as .ods, a
    filling with a formula typed into an input cell): one LibreOffice run per format."""
    formula = built(corpus, BY_KIND["formula-in-input"])
    sources = {"xlsx": [corpus.valid], "ods": [corpus.valid, formula], "xls": [corpus.valid]}
    out: dict[str, dict[str, Path]] = {}
    for target, files in sources.items():
        converted = convert_many(files, tmp_path_factory.mktemp(f"lo-{target}"), target)
        out[target] = {src.stem: path for src, path in zip(files, converted, strict=True)}
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx", "ods", "xls"])
def test_resaved_by_libreoffice_is_accepted_and_reads_back(
    corpus: Corpus, resaved: dict[str, dict[str, Path]], target: str
) -> None:
    path = resaved[target]["valid"]
    assert path.suffix == f".{target}"
    sub = check_file(path, standard(corpus))
    assert sub.findings == [], [(f.code, f.sheet, f.cell, f.message) for f in sub.findings]
    assert sub.accepted
    assert_read_back(sub, path.name)


@pytest.mark.libreoffice
def test_ods_with_formula_in_input(corpus: Corpus, resaved: dict[str, dict[str, Path]]) -> None:
    path = resaved["ods"][Path(BY_KIND["formula-in-input"].name).stem]
    sub = check_file(path, standard(corpus))
    assert_findings(sub, path, (at("value-formula-in-input", "hs_truc_tuyen"),))
    assert not sub.accepted
