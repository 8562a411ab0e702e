"""The form model: what a loaded, validated form definition is.

Everything here is immutable and already checked by :mod:`workbook_tools.form.loader`;
the workbook writer, the reader and the merge trust it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import Any, Literal

from workbook_tools.form.expr import Node, codes, render
from workbook_tools.form.outline import Outline


class Kind(str, Enum):
    """What an indicator holds; it decides validation, formatting and aggregation."""

    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"

    @property
    def numeric(self) -> bool:
        return self in (Kind.INTEGER, Kind.DECIMAL, Kind.PERCENT)


YES_NO_CHOICES = ("Có", "Không")

Placement = Literal["unit", "figures", "narrative"]
Severity = Literal["error", "warning"]
BlankPolicy = Literal["skip", "zero", "fail"]
UnitAggregation = Literal["sum", "recompute", "list", "none"]
TimeAggregation = Literal["sum", "last", "recompute", "list", "none"]


@dataclass(frozen=True)
class Aggregation:
    """How a figure combines over units (merge) and over time (multi-period builds).

    ``recompute`` means the value is computed again from the aggregated parts
    (percentages are never averaged); ``list`` gathers texts with their unit.
    """

    units: UnitAggregation
    time: TimeAggregation


@dataclass(frozen=True, kw_only=True)
class Field:
    """What a unit fills in: an indicator's cell or a table's column.

    The workbook's validation, the checks' typing of a value and the loader's text
    limits read only these fields, whichever of the two they are given.
    """

    code: str
    label: str
    kind: Kind
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""

    @property
    def list_choices(self) -> tuple[str, ...]:
        return YES_NO_CHOICES if self.kind is Kind.YES_NO else self.choices


@dataclass(frozen=True, kw_only=True)
class Indicator(Field):
    section: str
    unit: str = ""
    expression: Node | None = None
    aggregation: Aggregation = field(default_factory=lambda: Aggregation("sum", "sum"))
    core: bool = False
    why: str = ""
    decimals: int | None = None

    @property
    def precision(self) -> int:
        """Decimals shown, the same in the workbook and the report: rates one (99,9%)."""
        if self.decimals is not None:
            return self.decimals
        return {Kind.DECIMAL: 2, Kind.PERCENT: 1}.get(self.kind, 0)

    @property
    def computed(self) -> bool:
        return self.expression is not None

    @property
    def role(self) -> Literal["input", "computed"]:
        return "computed" if self.computed else "input"

    @property
    def expression_text(self) -> str | None:
        return None if self.expression is None else render(self.expression)


@dataclass(frozen=True)
class Rule:
    id: str
    expression: Node
    severity: Severity
    message: str
    blank: BlankPolicy
    anchor: str
    codes: tuple[str, ...]

    @property
    def text(self) -> str:
        return render(self.expression)


@dataclass(frozen=True, kw_only=True)
class Column(Field):
    """A column of a repeating table (one row per Dân vận khéo model)."""

    width: float = 18.0


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    sheet: str
    columns: tuple[Column, ...]
    max_rows: int
    help: str = ""

    def column(self, code: str) -> Column:
        for col in self.columns:
            if col.code == code:
                return col
        raise KeyError(code)


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    placement: Placement
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Form:
    id: str
    version: int
    title: str
    agency: str
    description: str
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    tables: tuple[Table, ...]
    source: str = ""
    # The report outline; not part of the fingerprint (rewording a report sentence does
    # not change what a returned workbook holds).
    outline: Outline | None = field(default=None, compare=False)

    @cached_property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for section in self.sections for ind in section.indicators)

    @cached_property
    def by_code(self) -> dict[str, Indicator]:
        return {ind.code: ind for ind in self.indicators}

    def indicator(self, code: str) -> Indicator:
        return self.by_code[code]

    @cached_property
    def inputs(self) -> tuple[str, ...]:
        """What a unit types in: figures and narratives (not the signer's details), and tables."""
        placed = {s.id: s.placement for s in self.sections}
        found = [
            ind.code
            for ind in self.indicators
            if not ind.computed and placed[ind.section] != "unit"
        ]
        return (*found, *(t.code for t in self.tables))

    @cached_property
    def computed_order(self) -> tuple[Indicator, ...]:
        """Computed indicators in dependency order (the loader has ruled out cycles)."""
        done: dict[str, Indicator] = {}

        def visit(ind: Indicator) -> None:
            if ind.code in done or ind.expression is None:
                return
            for dep in codes(ind.expression):
                visit(self.by_code[dep])
            done[ind.code] = ind

        for ind in self.indicators:
            visit(ind)
        return tuple(done.values())

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``form show --json``; also the input of the fingerprint."""
        return {
            "form": self.id,
            "version": self.version,
            "title": self.title,
            "agency": self.agency,
            "description": self.description,
            "sections": [
                {"id": s.id, "title": s.title, "placement": s.placement} for s in self.sections
            ],
            "indicators": [
                {
                    "code": ind.code,
                    "label": ind.label,
                    "unit": ind.unit,
                    "kind": ind.kind.value,
                    "role": ind.role,
                    "expression": ind.expression_text,
                    "section": ind.section,
                    "required": ind.required,
                    "minimum": ind.minimum,
                    "maximum": ind.maximum,
                    "choices": list(ind.list_choices),
                    "aggregation": {"units": ind.aggregation.units, "time": ind.aggregation.time},
                    "core": ind.core,
                    "why": ind.why,
                    "decimals": ind.precision,
                }
                for ind in self.indicators
            ],
            "rules": [
                {
                    "id": r.id,
                    "expression": r.text,
                    "severity": r.severity,
                    "message": r.message,
                    "blank": r.blank,
                    "codes": list(r.codes),
                }
                for r in self.rules
            ],
            "tables": [
                {
                    "code": t.code,
                    "title": t.title,
                    "max_rows": t.max_rows,
                    "columns": [
                        {
                            "code": c.code,
                            "label": c.label,
                            "kind": c.kind.value,
                            "required": c.required,
                            "choices": list(c.list_choices),
                        }
                        for c in t.columns
                    ],
                }
                for t in self.tables
            ],
        }

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of the definition: a returned workbook must carry the same one."""
        data = self.to_dict()
        canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
