"""The round: which periods are being collected, which units must report, which file counts.

``generate`` records each period's units in the registry
(:meth:`SubmissionStore.record_round`). From that record ``collect`` knows the
round it is collecting (the generated periods that end last, unless ``--period``
says otherwise), and ``status`` and ``merge`` know the units expected for a
period without the unit list being given again. Where nothing is known these
functions refuse with a message saying what to give: a wrong "0 missing" is
never an answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from workbook_tools.errors import PeriodError, WorkbookToolsError
from workbook_tools.periods import Period, PeriodKind, parse_period
from workbook_tools.registry.archive import sha256_of
from workbook_tools.registry.store import StoredSubmission, SubmissionStore
from workbook_tools.units import Unit, UnitRegistry

_HASH_PREFIX = re.compile(r"[0-9a-fA-F]{8,64}")


def round_registry(store: SubmissionStore, form_id: str, period: Period) -> UnitRegistry | None:
    """The units ``period``'s workbooks were generated for, or None if never generated.

    A multi-year period with no round of its own takes the units of its years' rounds.
    """
    units = store.round_units(form_id, period.code)
    if not units and period.kind is PeriodKind.MULTI_YEAR:
        merged: dict[str, Unit] = {}
        for year in period.annual_periods():
            for unit in store.round_units(form_id, year.code):
                merged.setdefault(unit.code.casefold(), unit)
        units = list(merged.values())
    if not units:
        return None
    return UnitRegistry(
        tuple(units),
        source=f"các đơn vị đã tạo biểu mẫu kỳ {period.code} (ghi trong {store.path.name})",
    )


def expected_units(
    store: SubmissionStore, form_id: str, period: Period, registry: UnitRegistry | None
) -> UnitRegistry:
    """The units that must report for ``period``: the list given, else the recorded round."""
    if registry is not None:
        return registry
    found = round_registry(store, form_id, period)
    if found is None:
        raise WorkbookToolsError(
            f"Chưa biết các đơn vị phải báo cáo {period.label} ({period.code}): cơ sở dữ liệu "
            f"{store.path} không ghi lần tạo biểu mẫu nào cho kỳ này. Hãy thêm --units "
            "danh-sach-don-vi.xlsx, hoặc tạo biểu mẫu của kỳ bằng 'workbook-tools generate' với "
            "cùng --db để công cụ ghi nhớ danh sách đơn vị."
        )
    return found


def collecting_periods(
    store: SubmissionStore, form_id: str, given: Sequence[Period]
) -> tuple[str, ...]:
    """The round ``collect`` works on: the periods given, else the latest generated ones.

    "Latest" is by the period's end, not by when it was generated: generating an old
    period again for one unit does not make it the round. Periods that end together
    (2025-Q2 and 2025-H1) are collected together.
    """
    if given:
        return tuple(sorted({p.code for p in given}))
    periods: list[Period] = []
    for found in store.rounds(form_id):
        try:
            periods.append(parse_period(found.period))
        except PeriodError:
            continue
    if not periods:
        raise WorkbookToolsError(
            f"Chưa biết kỳ đang thu: cơ sở dữ liệu {store.path} không ghi lần tạo biểu mẫu nào. "
            "Hãy ghi kỳ, ví dụ --period 2025-H1 (hoặc tạo biểu mẫu bằng 'workbook-tools generate' "
            "với cùng --db)."
        )
    last = max(p.cutoff_end for p in periods)
    return tuple(sorted(p.code for p in periods if p.cutoff_end == last))


def collecting_registry(
    store: SubmissionStore, form_id: str, periods: Sequence[str]
) -> UnitRegistry | None:
    """The units of the round's periods (their union, in list order), or None if unknown."""
    merged: dict[str, Unit] = {}
    for code in periods:
        for unit in store.round_units(form_id, code):
            merged.setdefault(unit.code.casefold(), unit)
    if not merged:
        return None
    return UnitRegistry(
        tuple(merged.values()),
        source=f"các đơn vị đã tạo biểu mẫu kỳ {', '.join(periods)} (ghi trong {store.path.name})",
    )


def find_submission(store: SubmissionStore, ref: str) -> StoredSubmission:
    """A recorded file named by its path (any copy of it) or by the start of its sha256."""
    path = Path(ref)
    if path.is_file():
        sha = sha256_of(path)
        found = store.by_sha256(sha)
        if found is None:
            raise WorkbookToolsError(
                f"Tệp {ref} chưa được ghi nhận trong {store.path}: hãy chạy 'workbook-tools "
                "collect' trước."
            )
        return found
    if not _HASH_PREFIX.fullmatch(ref):
        raise WorkbookToolsError(
            f"Không tìm thấy tệp {ref}. Hãy ghi đường dẫn tệp đơn vị đã gửi (trong hộp thư đến "
            "hoặc thư mục archive) hoặc ít nhất 8 ký tự đầu của mã băm sha256."
        )
    matches = store.by_sha256_prefix(ref.lower())
    if len(matches) != 1:
        raise WorkbookToolsError(
            f"Mã băm bắt đầu bằng {ref} "
            + (
                "không khớp tệp nào đã ghi nhận."
                if not matches
                else "khớp nhiều tệp: hãy ghi dài hơn."
            )
        )
    return matches[0]
