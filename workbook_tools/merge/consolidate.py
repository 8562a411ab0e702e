"""Consolidate the accepted submissions of a period: exact, traceable, by kind of figure.

Counts are summed; computed indicators (percentages) are recomputed from the
summed parts, never averaged; stocks are summed over units but take the last
value over time; texts and Dân vận khéo rows are gathered with their unit. A
blank stays blank: a total is the sum of the units that reported the figure, and
the number of units behind every total is kept.

Only the registry's *current* submissions are read: accepted, not superseded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workbook_tools.bulk import collector_paused
from workbook_tools.catalogue import QUALITY_UNUSUAL
from workbook_tools.checks.validate import TableRow
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.findings import REVIEW_CODES, Finding
from workbook_tools.form.evaluate import compute
from workbook_tools.form.expr import Value
from workbook_tools.form.model import Form
from workbook_tools.periods import Period, PeriodKind
from workbook_tools.registry import StatusReport, StoredSubmission, SubmissionStore, status_report
from workbook_tools.units import UnitRegistry


@dataclass(frozen=True)
class Source:
    """Where a unit's figures come from: one accepted file (one per year for a multi-year build)."""

    submission_id: int
    period: str
    file_name: str
    sha256: str
    late: bool
    values: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class UnitFigures:
    """One unit's figures for the period (over its years, for a multi-year build)."""

    unit_code: str
    unit_name: str
    group: str
    parent: str | None
    values: dict[str, Any]
    rows: list[TableRow] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    missing_years: list[int] = field(default_factory=list)
    late: bool = False


@dataclass(frozen=True)
class Completeness:
    expected: int
    accepted: int
    late: int
    rejected_only: int
    missing: int
    missing_units: tuple[str, ...]
    late_units: tuple[str, ...]
    rejected_units: tuple[str, ...]


@dataclass(frozen=True)
class QualityCounts:
    """Data-quality warnings on the returns merged (see ``REVIEW_CODES``), for the report."""

    unusual: int = 0  # figures far from the unit's history or its khối
    copies: int = 0  # figures or files equal to another unit's, a file named for another unit
    narrative: int = 0  # impossible dates, far years, disagreeing fractions, stated figures
    units: int = 0  # units with any of them

    @property
    def total(self) -> int:
        return self.unusual + self.copies + self.narrative


@dataclass
class Consolidation:
    form: Form
    period: Period
    units: list[UnitFigures]
    totals: dict[str, Any]
    reported: dict[str, int]  # code → number of units with a value
    by_group: dict[str, dict[str, Any]]
    by_parent: dict[str, dict[str, Any]]
    completeness: Completeness
    status: StatusReport | None
    findings: list[tuple[str, str, Finding]]  # (unit, file name, finding)
    built_from_years: bool = False
    compare: Consolidation | None = None
    quality: QualityCounts = field(default_factory=QualityCounts)

    def texts(self, code: str) -> list[tuple[str, str]]:
        """(unit name, text) for a long-text indicator, in unit order."""
        return [(u.unit_name, str(u.values[code])) for u in self.units if u.values.get(code)]

    def models(self) -> list[tuple[UnitFigures, TableRow]]:
        return [(u, row) for u in self.units for row in u.rows]


def aggregate_units(
    form: Form, values: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, int]]:
    """Totals over units by each indicator's unit aggregation, and how many units reported each."""
    totals: dict[str, Any] = {}
    reported: dict[str, int] = {}
    columns: dict[str, list[Any]] = {ind.code: [] for ind in form.indicators}
    for unit in values:  # one pass over the units' values, in unit order
        for code, value in unit.items():
            column = columns.get(code)
            if column is not None and value is not None:
                column.append(value)
    for ind in form.indicators:
        present = columns[ind.code]
        reported[ind.code] = len(present)
        if ind.computed:
            continue
        if ind.aggregation.units == "sum" and ind.kind.numeric:
            totals[ind.code] = sum(present) if present else None
        else:
            totals[ind.code] = None  # texts are gathered per unit, not totalled
    recomputed = compute(form, {k: v for k, v in totals.items() if form.by_code[k].kind.numeric})
    for ind in form.computed_order:
        totals[ind.code] = recomputed[ind.code]
    return totals, reported


def aggregate_years(form: Form, years: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One unit's values over consecutive years, by each indicator's time aggregation."""
    out: dict[str, Any] = {}
    for ind in form.indicators:
        if ind.computed:
            continue
        present = [y[ind.code] for y in years if y.get(ind.code) is not None]
        how = ind.aggregation.time
        if not present or how == "none":
            out[ind.code] = None
        elif how == "sum":
            out[ind.code] = sum(present)
        elif how == "last":
            out[ind.code] = present[-1]
        else:  # list: the texts of each year, in order
            out[ind.code] = "\n".join(str(p) for p in present)
    return compute(form, out)


def _group_totals(form: Form, units: Iterable[UnitFigures], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for unit in units:
        name = getattr(unit, key) or "(không có)"
        groups.setdefault(name, []).append(unit.values)
    return {name: aggregate_units(form, vals)[0] for name, vals in groups.items()}


def _unit_info(
    registry: UnitRegistry | None, code: str, name: str
) -> tuple[str, str, str, str | None]:
    if registry is not None and code in registry:
        unit = registry.get(code)
        return unit.code, unit.name, unit.group, unit.parent
    return code, name, "(ngoài danh sách)" if registry is not None else "", None


def _from_submissions(
    store: SubmissionStore, subs: Sequence[StoredSubmission], registry: UnitRegistry | None
) -> list[UnitFigures]:
    all_values = store.values_of([s.id for s in subs])
    all_rows = store.rows_of([s.id for s in subs])
    units = []
    for sub in subs:
        code, name, group, parent = _unit_info(registry, sub.unit_code, sub.unit_name)
        values = all_values.get(sub.id, {})
        source = Source(sub.id, sub.period, sub.file_name, sub.sha256, sub.late, values)
        rows = all_rows.get(sub.id, [])
        units.append(UnitFigures(code, name, group, parent, values, rows, [source], late=sub.late))
    return _in_registry_order(units, registry)


def _in_registry_order(
    units: list[UnitFigures], registry: UnitRegistry | None
) -> list[UnitFigures]:
    if registry is None:
        return sorted(units, key=lambda u: u.unit_code)
    order = {u.code.casefold(): i for i, u in enumerate(registry)}
    return sorted(units, key=lambda u: (order.get(u.unit_code.casefold(), len(order)), u.unit_code))


def _from_years(
    store: SubmissionStore, form: Form, period: Period, registry: UnitRegistry | None
) -> list[UnitFigures]:
    """A multi-year period built from each unit's annual submissions."""
    years = period.annual_periods()
    per_unit: dict[str, dict[int, StoredSubmission]] = {}
    for year_period in years:
        for sub in store.current(form.id, year_period.code):
            per_unit.setdefault(sub.unit_code, {})[year_period.start_year] = sub
    ids = [s.id for by_year in per_unit.values() for s in by_year.values()]
    all_values, all_rows = store.values_of(ids), store.rows_of(ids)
    units = []
    for code, by_year in per_unit.items():
        ordered = [by_year[y.start_year] for y in years if y.start_year in by_year]
        yearly = [all_values.get(s.id, {}) for s in ordered]
        values = aggregate_years(form, yearly)
        rows = [row for s in ordered for row in all_rows.get(s.id, [])]
        unit_code, name, group, parent = _unit_info(registry, code, ordered[-1].unit_name)
        figures = UnitFigures(unit_code, name, group, parent, values, rows)
        figures.sources = [
            Source(s.id, s.period, s.file_name, s.sha256, s.late, v)
            for s, v in zip(ordered, yearly, strict=True)
        ]
        figures.missing_years = [y.start_year for y in years if y.start_year not in by_year]
        figures.late = any(s.late for s in ordered)
        units.append(figures)
    return _in_registry_order(units, registry)


def consolidate(
    store: SubmissionStore,
    form: Form,
    period: Period,
    registry: UnitRegistry | None = None,
    compare: Period | None = None,
) -> Consolidation:
    """The consolidation of ``period``; with ``compare``, the other period's alongside."""
    with collector_paused():
        return _consolidate(store, form, period, registry, compare)


def _consolidate(
    store: SubmissionStore,
    form: Form,
    period: Period,
    registry: UnitRegistry | None,
    compare: Period | None,
) -> Consolidation:
    subs = store.current(form.id, period.code)
    built = False
    status: StatusReport | None = None
    if subs or period.kind is not PeriodKind.MULTI_YEAR:
        units = _from_submissions(store, subs, registry)
        status = status_report(store, form.id, period, registry, current=subs)
    else:
        units = _from_years(store, form, period, registry)
        built = True
    totals, reported = aggregate_units(form, [u.values for u in units])
    completeness = _completeness(units, status, registry)
    findings = _findings(store, form, period, built)
    result = Consolidation(
        form=form,
        period=period,
        units=units,
        totals=totals,
        reported=reported,
        by_group=_group_totals(form, units, "group"),
        by_parent=_group_totals(form, [u for u in units if u.parent], "parent"),
        completeness=completeness,
        status=status,
        findings=findings,
        built_from_years=built,
        quality=_quality(store, units),
    )
    if compare is not None:
        result.compare = _consolidate(store, form, compare, registry, None)
    return result


def _quality(store: SubmissionStore, units: list[UnitFigures]) -> QualityCounts:
    """Count the data-quality warnings on the files the consolidation uses."""
    ids = [source.submission_id for u in units for source in u.sources]
    codes = store.finding_codes(ids)
    flagged = {
        u.unit_code
        for u in units
        for s in u.sources
        if REVIEW_CODES & set(codes.get(s.submission_id, []))
    }
    every = [c for sid in ids for c in codes.get(sid, []) if c in REVIEW_CODES]
    return QualityCounts(
        unusual=sum(c == QUALITY_UNUSUAL.code for c in every),
        copies=sum(c.startswith("quality-") and c != QUALITY_UNUSUAL.code for c in every),
        narrative=sum(c.startswith("narrative-") for c in every),
        units=len(flagged),
    )


def _completeness(
    units: list[UnitFigures], status: StatusReport | None, registry: UnitRegistry | None
) -> Completeness:
    if status is not None:
        t = status.totals
        states = status.units
        return Completeness(
            expected=t.expected,
            accepted=t.accepted,
            late=t.late,
            rejected_only=t.rejected_only,
            missing=t.missing,
            missing_units=tuple(u.unit_name for u in states if u.state == "missing"),
            late_units=tuple(u.unit_name for u in states if u.state == "accepted" and u.late),
            rejected_units=tuple(u.unit_name for u in states if u.state == "rejected_only"),
        )
    present = {u.unit_code.casefold() for u in units}
    expected = list(registry) if registry is not None else []
    missing = tuple(u.name for u in expected if u.code.casefold() not in present)
    return Completeness(
        expected=len(expected) if registry is not None else len(units),
        accepted=len(units),
        late=sum(1 for u in units if u.late),
        rejected_only=0,
        missing=len(missing),
        missing_units=missing,
        late_units=tuple(u.unit_name for u in units if u.late),
        rejected_units=(),
    )


def _findings(
    store: SubmissionStore, form: Form, period: Period, built: bool
) -> list[tuple[str, str, Finding]]:
    """The findings of every file received for the period (rejected and accepted)."""
    periods = [p.code for p in period.annual_periods()] if built else [period.code]
    return [found for code in periods for found in store.period_findings(form.id, code)]


def change(current: Value, previous: Value) -> tuple[float | None, float | None]:
    """(absolute change, relative change) — None where a side is blank or the base is 0."""
    if not isinstance(current, (int, float)) or not isinstance(previous, (int, float)):
        return None, None
    delta = current - previous
    return delta, (delta / previous if previous else None)


def require_data(c: Consolidation) -> None:
    """Refuse a consolidation that would say nothing: no accepted file, or an empty comparison.

    A report of "0/0 đơn vị", or a comparison with a period nothing was collected
    for, is almost always a mistyped period or a forgotten ``collect``.
    """
    if not c.units:
        raise WorkbookToolsError(
            f"Kỳ {c.period.label} ({c.period.code}) chưa có tệp hợp lệ nào của biểu mẫu "
            f"{c.form.id} trong cơ sở dữ liệu. Hãy kiểm tra lại --period và --db, hoặc thu nhận "
            "tệp của các đơn vị trước (workbook-tools collect)."
        )
    if c.compare is not None and not c.compare.units:
        raise WorkbookToolsError(
            f"Kỳ so sánh {c.compare.period.label} ({c.compare.period.code}) chưa có tệp hợp lệ "
            "nào trong cơ sở dữ liệu, nên không so sánh được. Hãy bỏ --compare, chọn kỳ khác "
            "hoặc thu nhận tệp của kỳ đó trước."
        )
