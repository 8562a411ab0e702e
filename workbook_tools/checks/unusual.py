"""Unusual figures: a value far from the unit's own earlier returns or from its peers.

The rules catch parts that do not add up; they cannot see "120 285 đơn" typed for
"120" and "285", which adds up perfectly. What gives it away is that the unit
reported 41 the half-year before and the other sở about 12. Robust statistics
say "far" without letting one absurd value move the yardstick: the median and
the median absolute deviation (MAD), as the modified z-score of Iglewicz and
Hoaglin, ``0.6745 · (x − median) / MAD``, flagged above 3.5.

Two guards keep it quiet where it should be: a difference smaller than
:data:`MIN_DIFFERENCE` never alarms (a commune going from 2 to 9 đơn is not news),
and the MAD is never taken below :data:`MAD_FLOOR` of the median (a unit that
reported exactly 40 three times would otherwise be "unusual" at 41). So against a
steady history a value is flagged from about 3.6 times (or a quarter of) the
usual figure on. These are warnings, never errors: a real change must go through.

Pure: the caller (:mod:`workbook_tools.registry.quality`) gathers the history and
the peers from the registry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import median

from workbook_tools.catalogue import QUALITY_UNUSUAL
from workbook_tools.contract.compiled import layout_for
from workbook_tools.findings import Finding, finding
from workbook_tools.form.model import Form, Indicator, Kind
from workbook_tools.identity import ByIdentity
from workbook_tools.text import format_number

Z_LIMIT = 3.5
"""Modified z-score above which a figure is unusual (Iglewicz and Hoaglin's cut-off)."""
MIN_DIFFERENCE = 100
"""An absolute difference from the median below this never alarms: small counts move a lot."""
MAD_FLOOR = 0.5
"""The MAD used is at least this share of the median (and at least 1)."""
MIN_PEERS = 5
"""Fewer peers than this say nothing about what is usual for the khối."""


@dataclass(frozen=True)
class Spread:
    """The median and the median absolute deviation of a set of figures."""

    median: float
    mad: float
    count: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        mid = median(values)
        return cls(mid, median(abs(v - mid) for v in values), len(values))

    def z(self, value: float) -> float:
        """The modified z-score of ``value``, with the MAD floored (see the module notes)."""
        scale = max(self.mad, MAD_FLOOR * abs(self.median), 1.0)
        return 0.6745 * (value - self.median) / scale

    def unusual(self, value: float) -> bool:
        return abs(value - self.median) >= MIN_DIFFERENCE and abs(self.z(value)) > Z_LIMIT


@dataclass(frozen=True)
class Earlier:
    """One of the unit's earlier figures for an indicator, with its period's label."""

    period_label: str
    value: float


def _typed_in(form: Form) -> tuple[Indicator, ...]:
    return tuple(
        ind
        for ind in form.indicators
        if ind.kind in (Kind.INTEGER, Kind.DECIMAL) and not ind.computed
    )


_TYPED_IN = ByIdentity(_typed_in, 8)


def checked_indicators(form: Form) -> tuple[Indicator, ...]:
    """Counts and amounts the unit types in: rates and computed totals follow from them.

    Found once per form object (every recorded return asks for them).
    """
    return _TYPED_IN(form)


def unusual_findings(
    form: Form,
    values: Mapping[str, object],
    history: Mapping[str, Sequence[Earlier]],
    peers: Mapping[str, Spread],
    peer_label: str,
) -> list[Finding]:
    """One warning per figure far from the unit's own history or from its peers.

    ``history``: code → the unit's earlier figures for periods of the same length,
    oldest first. ``peers``: code → the spread of the figures of the units of the
    khối for the same period (``Spread.of``). ``peer_label`` names them in the
    message (“đơn vị khối “Sở, ban, ngành””, after the count).
    """
    layout = layout_for(form)
    found: list[Finding] = []
    for ind in checked_indicators(form):
        value = values.get(ind.code)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        earlier = list(history.get(ind.code, ()))
        own = Spread.of([e.value for e in earlier]) if earlier else None
        last = earlier[-1] if earlier else None
        cell = layout.cell(ind.code)
        flagged = unusual_finding(
            ind, cell.sheet, cell.a1, value, last, own, peers.get(ind.code), peer_label
        )
        if flagged is not None:
            found.append(flagged)
    return found


def unusual_finding(
    ind: Indicator,
    sheet: str,
    cell: str,
    value: float,
    last: Earlier | None,
    own: Spread | None,
    group: Spread | None,
    peer_label: str,
) -> Finding | None:
    """The warning on one figure, or None when it is usual against both yardsticks.

    ``last``: the unit's latest earlier figure; ``own``: the spread of its earlier
    figures; ``group``: the spread of the khối's figures (ignored below
    :data:`MIN_PEERS`).
    """
    if group is not None and group.count < MIN_PEERS:
        group = None
    if not ((own and own.unusual(value)) or (group and group.unusual(value))):
        return None
    unit = f" {ind.unit}" if ind.unit and ind.unit != "%" else ""
    against: list[str] = []
    if last is not None:
        against.append(
            f"trong khi {last.period_label} đơn vị báo cáo {format_number(last.value)}{unit}"
            + (
                f" (trung vị {own.count} kỳ trước: {format_number(own.median)})"
                if own is not None and own.count > 1
                else ""
            )
        )
    if group is not None:
        against.append(
            f"trung vị của {group.count} {peer_label}: {format_number(group.median)}{unit}"
        )
    return finding(
        QUALITY_UNUSUAL,
        f"“{ind.label}” là {format_number(value)}{unit}, " + "; ".join(against) + ". "
        "Số liệu khác thường: hãy kiểm tra lại (gõ thừa, thiếu chữ số, nhập nhầm ô); "
        "nếu đúng, ghi rõ lý do trong phần thuyết minh.",
        sheet=sheet,
        cell=cell,
        indicators=[ind.code],
    )
