"""A Python API for analysts: the registry's figures as pandas DataFrames.

    from workbook_tools.api import open_period
    data = open_period("workbook-tools.sqlite", "2025-H1", units="don-vi.xlsx")
    data.unit_values()      # a row per unit, a column per indicator code
    data.totals()           # a Series: indicator code → total (rates recomputed)
    data.subtotals("group") # a row per khối ("parent": per parent unit)
    data.completeness()     # a row per expected unit: state, late, file
    data.findings()         # every finding of every file received for the period

Only accepted, current submissions are counted; nothing is averaged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from workbook_tools.form import Form, get_form
from workbook_tools.merge import Consolidation, consolidate
from workbook_tools.periods import Period, parse_period
from workbook_tools.reader.units import load_units
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.rounds import expected_units


@dataclass
class PeriodData:
    """One period's consolidation, with DataFrame views."""

    consolidation: Consolidation

    @property
    def form(self) -> Form:
        return self.consolidation.form

    def unit_values(self) -> pd.DataFrame:
        rows = []
        for unit in self.consolidation.units:
            row: dict[str, object] = {
                "unit_code": unit.unit_code,
                "unit_name": unit.unit_name,
                "group": unit.group,
            }
            row.update({ind.code: unit.values.get(ind.code) for ind in self.form.indicators})
            rows.append(row)
        columns = ["unit_code", "unit_name", "group", *[ind.code for ind in self.form.indicators]]
        return pd.DataFrame(rows, columns=columns).set_index("unit_code")

    def totals(self) -> pd.Series:
        numeric = [ind.code for ind in self.form.indicators if ind.kind.numeric]
        return pd.Series(
            {code: self.consolidation.totals.get(code) for code in numeric},
            name="total",
            dtype="object",
        )

    def subtotals(self, by: Literal["group", "parent"] = "group") -> pd.DataFrame:
        groups = self.consolidation.by_group if by == "group" else self.consolidation.by_parent
        numeric = [ind.code for ind in self.form.indicators if ind.kind.numeric]
        frame = pd.DataFrame.from_dict(
            {name: {c: t.get(c) for c in numeric} for name, t in groups.items()}, orient="index"
        )
        frame.index.name = by
        return frame

    def completeness(self) -> pd.DataFrame:
        status = self.consolidation.status
        if status is None:
            return pd.DataFrame(
                [{"unit_code": u.unit_code, "unit_name": u.unit_name, "state": "accepted", "late": u.late,
                  "missing_years": u.missing_years} for u in self.consolidation.units]
            ).set_index("unit_code")  # fmt: skip
        rows = [u.to_dict() for u in (*status.units, *status.unexpected)]
        return pd.DataFrame(rows).set_index("unit_code")

    def findings(self) -> pd.DataFrame:
        rows = [
            {"unit": unit, "file_name": name, **f.to_dict()}
            for unit, name, f in self.consolidation.findings
        ]
        columns = [
            "unit",
            "file_name",
            "code",
            "severity",
            "sheet",
            "cell",
            "indicators",
            "message",
            "file",
        ]
        return pd.DataFrame(rows, columns=columns)


def open_period(
    db: str | Path,
    period: str | Period,
    *,
    form: str | Form = "dvcq",
    units: str | Path | None = None,
    compare: str | Period | None = None,
) -> PeriodData:
    """The consolidation of ``period`` from the registry at ``db``.

    The expected units are ``units`` (a unit list), else those recorded when the
    period's workbooks were generated; with neither, a :class:`WorkbookToolsError`
    says what to give (a wrong "nobody missing" is never an answer).
    """
    the_form = form if isinstance(form, Form) else get_form(form)
    the_period = period if isinstance(period, Period) else parse_period(period)
    other = compare if isinstance(compare, Period) or compare is None else parse_period(compare)
    given = load_units(units) if units is not None else None
    with SubmissionStore.open(Path(db)) as store:
        registry = expected_units(store, the_form.id, the_period, given)
        return PeriodData(consolidate(store, the_form, the_period, registry, other))
