"""Data quality against the registry: unusual figures and copied figures.

A return is compared with what the registry already holds: the unit's own
earlier returns (same form, periods of the same length: a half-year with the
half-years, a year with the years) and the other units' returns for the same
period (of the same khối for "usual", of any khối for "copied"). Only current
returns count (accepted, not superseded). The decision on each figure is
:func:`workbook_tools.checks.unusual.unusual_finding`; this module gathers the
figures once per run (:class:`Baseline`) as one matrix per period (units ×
typed-in figures), so that the spreads of 3,321 units over six periods are a few
array operations, and only the figures that cross the line get a message.

Each return's figures are also kept as one row (``quality_inputs``, written by
``collect``), so loading the history does not decode every value of every return.

``check --db`` shows these warnings; ``collect`` records them with the return,
after the whole batch is in (so the units of one batch are each other's peers).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from workbook_tools.checks import Submission
from workbook_tools.checks.copies import MIN_NON_ZERO, same_inputs_finding
from workbook_tools.checks.unusual import (
    MAD_FLOOR,
    MIN_DIFFERENCE,
    MIN_PEERS,
    Z_LIMIT,
    Earlier,
    Spread,
    checked_indicators,
    unusual_finding,
)
from workbook_tools.contract.compiled import layout_for
from workbook_tools.errors import PeriodError
from workbook_tools.findings import Finding
from workbook_tools.form.model import Form, Indicator
from workbook_tools.periods import Period, PeriodKind, parse_period
from workbook_tools.registry.store import SubmissionStore
from workbook_tools.units import UnitRegistry

Matrix = npt.NDArray[np.float64]


@dataclass
class _PeriodData:
    """The current returns of one period: a row of typed-in figures per unit (NaN: blank)."""

    period: Period
    keys: list[str]  # unit code, casefolded, per row
    names: list[tuple[str, str]]  # (unit code, unit name) per row
    ids: list[int]  # submission id per row
    matrix: Matrix
    rows: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rows = {key: i for i, key in enumerate(self.keys)}


_NUMBERS = (int, float)


def _vector(indicators: Sequence[Indicator], values: Mapping[str, Any]) -> Matrix:
    """A return's typed-in figures in ``indicators`` order (NaN: blank: not a number, or bool).

    Recorded for every return in ``collect``'s main process, hence the plain int and float
    asked first by their exact type (what nearly every figure is), the subclasses after.
    """
    figures: Iterator[Any] = map(values.get, [ind.code for ind in indicators])
    return np.array(
        [
            float(v)
            if type(v) in _NUMBERS or (isinstance(v, _NUMBERS) and not isinstance(v, bool))
            else np.nan
            for v in figures
        ],
        dtype=np.float64,
    )


def input_vector(form: Form, values: Mapping[str, Any]) -> bytes:
    """What ``quality_inputs`` keeps of a return (see :meth:`SubmissionStore.save_inputs`)."""
    return _vector(checked_indicators(form), values).tobytes()


def _median0(block: Matrix) -> Matrix:
    """The median along the first axis, ignoring NaN (NaN where all are): as
    :func:`statistics.median` (the mean of the two middle figures), without the slow
    masked-array path :func:`numpy.nanmedian` takes for a short first axis."""
    ordered = np.sort(block, axis=0)  # NaN sorts last
    count = np.sum(~np.isnan(block), axis=0)
    low = np.take_along_axis(ordered, np.maximum((count - 1) // 2, 0)[np.newaxis], axis=0)[0]
    high = np.take_along_axis(ordered, np.maximum(count // 2, 0)[np.newaxis], axis=0)[0]
    return np.where(count > 0, (low + high) / 2, np.nan)


def _spreads(block: Matrix) -> tuple[Matrix, Matrix, npt.NDArray[np.int64]]:
    """Median, MAD and count along the first axis, ignoring blanks."""
    if block.shape[0] == 0:
        empty = np.full(block.shape[1:], np.nan)
        return empty, empty, np.zeros(block.shape[1:], dtype=np.int64)
    median = _median0(block)
    return median, _median0(np.abs(block - median)), np.sum(~np.isnan(block), axis=0)


def _crosses(values: Matrix, median: Matrix, mad: Matrix) -> npt.NDArray[np.bool_]:
    """:meth:`Spread.unusual`, on arrays (NaN anywhere: False)."""
    scale = np.maximum(np.maximum(mad, MAD_FLOOR * np.abs(median)), 1.0)
    diff = np.abs(values - median)
    with np.errstate(invalid="ignore"):
        return (diff >= MIN_DIFFERENCE) & (0.6745 * diff / scale > Z_LIMIT)


@dataclass
class Baseline:
    """The current returns of a form, by period, to compare a return with."""

    form: Form
    registry: UnitRegistry | None
    periods: dict[str, _PeriodData]
    indicators: tuple[Indicator, ...] = ()
    _groups: dict[tuple[str, str], tuple[Matrix, Matrix, npt.NDArray[np.int64]]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        self.indicators = checked_indicators(self.form)

    @classmethod
    def load(
        cls,
        store: SubmissionStore,
        form: Form,
        registry: UnitRegistry | None = None,
        kinds: Iterable[PeriodKind] | None = None,
        save: bool = False,
    ) -> Baseline:
        """Every current return of ``form`` (of periods of ``kinds`` only, when given).

        ``save``: keep the figures of returns not kept yet as one row each (``collect``).
        """
        wanted = set(kinds) if kinds is not None else None
        indicators = checked_indicators(form)
        parsed: dict[str, Period | None] = {}
        chosen = []
        for row in store.current_inputs(form.id):
            code = row[3]
            if code not in parsed:
                try:
                    parsed[code] = parse_period(code)
                except PeriodError:
                    parsed[code] = None
            period = parsed[code]
            if period is not None and (wanted is None or period.kind in wanted):
                chosen.append(row)
        missing = [r[0] for r in chosen if r[4] != form.fingerprint or r[5] is None]
        fresh: dict[int, Matrix] = {}
        if missing:
            found = store.numbers_of(missing, [ind.code for ind in indicators])
            fresh = {sid: _vector(indicators, found.get(sid, {})) for sid in missing}
            if save:
                store.save_inputs(
                    [(sid, form.fingerprint, v.tobytes()) for sid, v in fresh.items()]
                )
        by_period: dict[str, list[tuple[Any, ...]]] = {}
        for row in chosen:
            by_period.setdefault(row[3], []).append(row)
        periods: dict[str, _PeriodData] = {}
        for code, rows in by_period.items():
            vectors = [
                fresh[r[0]] if r[0] in fresh else np.frombuffer(r[5], dtype=np.float64)
                for r in rows
            ]
            matrix = np.vstack(vectors) if vectors else np.zeros((0, len(indicators)))
            period = parsed[code]
            assert period is not None
            periods[code] = _PeriodData(
                period,
                [r[1].casefold() for r in rows],
                [(r[1], r[2]) for r in rows],
                [r[0] for r in rows],
                matrix,
            )
        return cls(form, registry, periods)

    # -- the yardsticks -----------------------------------------------------------------

    def _group(self, unit_code: str) -> str | None:
        if self.registry is None or unit_code not in self.registry:
            return None
        return self.registry.get(unit_code).group

    def _group_spread(
        self, period: str, group: str
    ) -> tuple[Matrix, Matrix, npt.NDArray[np.int64]] | None:
        """The khối's spread per figure (the unit's own among them: the median is robust)."""
        data = self.periods.get(period)
        if data is None:
            return None
        if (period, group) not in self._groups:
            members = [i for i, (code, _) in enumerate(data.names) if self._group(code) == group]
            self._groups[(period, group)] = _spreads(data.matrix[members])
        return self._groups[(period, group)]

    def _earlier(self, period: Period) -> list[_PeriodData]:
        return sorted(
            (
                d
                for d in self.periods.values()
                if d.period.kind is period.kind and d.period < period
            ),
            key=lambda d: d.period,
        )

    def _history(self, period: Period, keys: Sequence[str]) -> Matrix:
        """Earlier periods × ``keys`` × figures (NaN where the unit did not report)."""
        earlier = self._earlier(period)
        stack = np.full((len(earlier), len(keys), len(self.indicators)), np.nan)
        for j, data in enumerate(earlier):
            pairs = [(i, data.rows[k]) for i, k in enumerate(keys) if k in data.rows]
            if pairs:
                mine, theirs = zip(*pairs, strict=True)
                stack[j, list(mine)] = data.matrix[list(theirs)]
        return stack

    # -- findings --------------------------------------------------------------------------

    def _unit_findings(
        self,
        period: Period,
        unit_code: str,
        values: Matrix,
        history: Matrix,
        candidates: Iterable[int],
    ) -> list[Finding]:
        """The messages for one unit's candidate figures (``history``: periods × figures)."""
        layout = layout_for(self.form)
        earlier = self._earlier(period)
        group = self._group(unit_code)
        spread = self._group_spread(period.code, group) if group is not None else None
        found = []
        for c in candidates:
            ind = self.indicators[c]
            column = history[:, c]
            known = [(j, v) for j, v in enumerate(column) if not np.isnan(v)]
            own = Spread.of([v for _, v in known]) if known else None
            last = Earlier(earlier[known[-1][0]].period.label, known[-1][1]) if known else None
            peers = None
            if spread is not None and spread[2][c] > 0:
                peers = Spread(float(spread[0][c]), float(spread[1][c]), int(spread[2][c]))
            cell = layout.cell(ind.code)
            flagged = unusual_finding(
                ind,
                cell.sheet,
                cell.a1,
                _plain(values[c]),
                last,
                own,
                peers,
                f"đơn vị khối “{group}”",
            )
            if flagged is not None:
                found.append(flagged)
        return found

    def _candidates(
        self, period: Period, codes: Sequence[str], values: Matrix
    ) -> npt.NDArray[np.bool_]:
        """Units × figures: True where a figure crosses either yardstick (to be confirmed)."""
        stack = self._history(period, [c.casefold() for c in codes])
        if len(stack):
            median, mad, count = _spreads(stack)
            flags = _crosses(values, median, mad) & (count >= 1)
        else:
            flags = np.zeros(values.shape, dtype=bool)
        groups = [self._group(c) for c in codes]
        for group in set(groups):
            if group is None:
                continue
            spread = self._group_spread(period.code, group)
            if spread is None:
                continue
            rows = [i for i, g in enumerate(groups) if g == group]
            g_median, g_mad, g_count = spread
            flags[rows] |= _crosses(values[rows], g_median, g_mad) & (g_count >= MIN_PEERS)
        return flags

    def findings(self, unit_code: str, period: Period, values: Mapping[str, Any]) -> list[Finding]:
        """The quality warnings of one return (unusual figures, figures equal to another's)."""
        row = _vector(self.indicators, values)[np.newaxis, :]
        flags = self._candidates(period, [unit_code], row)
        history = self._history(period, [unit_code.casefold()])[:, 0]
        found = self._unit_findings(
            period, unit_code, row[0], history, np.flatnonzero(flags[0]).tolist()
        )
        copied = self._copies(period.code, unit_code, row[0])
        if copied:
            found.append(same_inputs_finding(copied))
        return found

    def review(self, period: str, only: set[int] | None = None) -> dict[int, list[Finding]]:
        """The warnings of the returns of ``period`` (all, or those of ids ``only``)."""
        data = self.periods[period]
        codes = [code for code, _ in data.names]
        flags = self._candidates(data.period, codes, data.matrix)
        out: dict[int, list[Finding]] = {}
        flagged_rows = set(np.flatnonzero(flags.any(axis=1)).tolist())
        history = self._history(data.period, data.keys) if flagged_rows else None
        copies = self._copy_sets(period)
        for i, sid in enumerate(data.ids):
            if only is not None and sid not in only:
                continue
            found: list[Finding] = []
            if i in flagged_rows and history is not None:
                found = self._unit_findings(
                    data.period,
                    codes[i],
                    data.matrix[i],
                    history[:, i],
                    np.flatnonzero(flags[i]).tolist(),
                )
            others = [data.names[j] for j in copies.get(i, [])]
            if others:
                found.append(same_inputs_finding(others))
            if found:
                out[sid] = found
        return out

    # -- copies ---------------------------------------------------------------------------

    def _copy_sets(self, period: str) -> dict[int, list[int]]:
        """Row → the other rows of the period with the same figures (enough of them non-zero)."""
        data = self.periods[period]
        by_key: dict[bytes, list[int]] = {}
        for i, key in enumerate(_keys(data.matrix)):
            if key is not None:
                by_key.setdefault(key, []).append(i)
        return {
            i: [j for j in same if j != i]
            for same in by_key.values()
            if len(same) > 1
            for i in same
        }

    def _copies(self, period: str, unit_code: str, row: Matrix) -> list[tuple[str, str]]:
        data = self.periods.get(period)
        key = _keys(row[np.newaxis, :])[0]
        if data is None or key is None:
            return []
        unit = unit_code.casefold()
        return [
            data.names[i]
            for i, other in enumerate(_keys(data.matrix))
            if other == key and data.keys[i] != unit
        ]


def _keys(matrix: Matrix) -> list[bytes | None]:
    """Each row's figures as comparable bytes; None for rows with too few non-zero figures."""
    filled = np.nan_to_num(matrix, nan=-1.0)  # a blank differs from every figure
    enough = np.sum((matrix != 0) & ~np.isnan(matrix), axis=1) >= MIN_NON_ZERO
    return [filled[i].tobytes() if enough[i] else None for i in range(len(matrix))]


def _plain(value: float) -> float:
    """A figure as the unit typed it: 41.0 → 41 (for the message)."""
    number = float(value)
    return int(number) if number.is_integer() else number


def review_recorded(
    store: SubmissionStore,
    form: Form,
    registry: UnitRegistry | None,
    submission_ids: Sequence[int],
    files: Mapping[int, str] | None = None,
) -> dict[int, list[Finding]]:
    """Compare newly recorded returns with the registry and record the warnings with them.

    Returns submission id → the warnings added. ``files``: id → the file path to
    put in the findings (default: the recorded file name).
    """
    if not submission_ids:
        return {}
    subs = store.get_many(submission_ids)
    kinds = set()
    for code in {sub.period for sub in subs}:  # a batch is mostly of one period
        try:
            kinds.add(parse_period(code).kind)
        except PeriodError:
            continue
    baseline = Baseline.load(store, form, registry, kinds, save=True)
    wanted = {sub.id: sub for sub in subs if sub.current}
    added: dict[int, list[Finding]] = {}
    for period in sorted({sub.period for sub in wanted.values()}):
        if period not in baseline.periods:
            continue
        for sid, found in baseline.review(period, set(wanted)).items():
            new = wanted[sid]
            where = (files or {}).get(sid, new.file_name)
            added[sid] = [replace(f, file=where, unit=new.unit_code) for f in found]
    with store.batch():
        for sid, found in added.items():
            store.add_findings(sid, found)
    return added


def review_checked(
    store: SubmissionStore,
    form: Form,
    registry: UnitRegistry | None,
    subs: Sequence[Submission],
) -> None:
    """Add the registry comparison's warnings to checked files (``check --db``), in place.

    Files with errors are compared too: the unit fixes everything in one go.
    """
    periods: dict[str, Period] = {}
    for sub in subs:
        if sub.values and sub.period not in periods:
            try:
                periods[sub.period] = parse_period(sub.period)
            except PeriodError:
                continue
    if not periods:
        return
    baseline = Baseline.load(store, form, registry, {p.kind for p in periods.values()})
    for sub in subs:
        if sub.values and sub.period in periods:
            found = baseline.findings(sub.unit_code, periods[sub.period], sub.values)
            sub.findings.extend(replace(f, file=str(sub.path), unit=sub.unit_code) for f in found)
