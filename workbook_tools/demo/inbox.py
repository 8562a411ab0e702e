"""The demo's inbox: the returns a Sở receives on deadline day, with their troubles.

Most units send a correct file on time; a few send late; some files have errors
(text in a number cell, parts that do not add up to their total, a required
figure left blank), one of which is corrected and sent again; one unit sends a
scanned PDF instead of the workbook; one first sends back last year's workbook
(the 2024-H1 one, new figures typed in), then the right one; and some units send
nothing.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from workbook_tools.contract import Request, layout_for
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import Return, realistic_return
from workbook_tools.periods import parse_period
from workbook_tools.text import format_number
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory, file_names


@dataclass(frozen=True)
class Scenario:
    """What happened to the units of the demo, by unit code."""

    missing: tuple[str, ...]
    late: tuple[str, ...]
    text_in_number: str
    parts_mismatch: str  # rejected first, then corrected and sent again
    blank_required: str
    number_as_text: str  # accepted with a warning
    pdf_instead: str
    other_period: str  # sends its 2024-H1 workbook first, then the 2025-H1 one


OTHER_PERIOD = "2024-H1"
"""The period of the workbook a unit reuses by mistake."""


def pick_scenario(units: Sequence[Unit]) -> Scenario:
    """Deterministic roles spread over sở and communes."""
    codes = [u.code for u in units]
    return Scenario(
        missing=(codes[9], codes[57]),
        late=(codes[4], codes[40], codes[88]),
        text_in_number=codes[23],
        parts_mismatch=codes[2],
        blank_required=codes[71],
        number_as_text=codes[31],
        pdf_instead=codes[101],
        other_period=codes[60],
    )


def _stamp(path: Path, when: datetime) -> None:
    """Set the file's time: the collector takes it as the time the file was received."""
    ts = when.timestamp()
    os.utime(path, (ts, ts))


def deadline_of(request: Request) -> date:
    """The request's deadline, or six days after the cut-off when it has none."""
    return request.deadline or request.period.cutoff_end + timedelta(days=6)


def build_inbox(
    request: Request, units: Sequence[Unit], inbox: Path, scenario: Scenario, seed: int = 0
) -> list[Path]:
    """Write the received files into ``inbox``; returns them in arrival order."""
    inbox.mkdir(parents=True, exist_ok=True)
    factory = WorkbookFactory(request)
    layout = layout_for(request.form)
    deadline = deadline_of(request)
    on_time = datetime.combine(deadline, time(9, 0)) - timedelta(days=3)
    written: list[tuple[datetime, Path]] = []
    names = dict(zip((u.code for u in units), file_names(units, request), strict=True))

    def put(unit: Unit, ret: Return, when: datetime, name: str | None = None) -> None:
        path = inbox / (name or names[unit.code])
        path.write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))
        _stamp(path, when)
        written.append((when, path))

    for k, unit in enumerate(units):
        if unit.code in scenario.missing:
            continue
        when = on_time + timedelta(hours=k % 48)
        if unit.code in scenario.late:
            when = datetime.combine(deadline + timedelta(days=1 + k % 3), time(15, 30))
        ret = realistic_return(unit, seed)
        if unit.code == scenario.pdf_instead:
            path = inbox / f"{names[unit.code][:-5]}_ban-scan.pdf"
            path.write_bytes(b"%PDF-1.4\n% scanned report\n" + b"0" * 2048)
            _stamp(path, when)
            written.append((when, path))
            continue
        if unit.code == scenario.text_in_number:
            ret.values["tcd_luot"] = "hơn 150"
        if unit.code == scenario.blank_required:
            ret.values["hs_rut"] = None
        if unit.code == scenario.number_as_text:
            ret.values["don_tiep_nhan"] = format_number(ret.values["don_tiep_nhan"] + 1000)
        if unit.code == scenario.other_period:
            old = replace(request, period=parse_period(OTHER_PERIOD))
            path = inbox / names[unit.code].replace(request.period.code.lower(), "2024-h1")
            path.write_bytes(
                fill_xlsx(WorkbookFactory(old).build(unit), layout, ret.values, ret.table)
            )
            _stamp(path, when - timedelta(days=1))
            written.append((when - timedelta(days=1), path))
        if unit.code == scenario.parts_mismatch:
            wrong = Return(dict(ret.values), dict(ret.table))
            wrong.values["don_kien_nghi"] += 102  # "120 285": a mistyped part, as in seed 000
            first = names[unit.code]
            put(unit, wrong, when - timedelta(days=2), first.replace(".xlsx", "_lan-1.xlsx"))
            put(unit, ret, when, first.replace(".xlsx", "_lan-2-da-sua.xlsx"))
            continue
        put(unit, ret, when)
    return [p for _, p in sorted(written)]
