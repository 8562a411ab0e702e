"""Whose a file is when it cannot say so itself: from its name.

A scanned PDF or a photo carries no metadata sheet, yet it was sent by a unit
and must not vanish from the follow-up list as "Chưa gửi". Workbooks are sent
out named ``<unit name slug>_<period>.xlsx`` (``ubnd-phuong-cam-thanh_2025-h1.xlsx``)
and units usually keep that name when they scan or export
(``ubnd-phuong-cam-thanh_2025-h1_ban-scan.pdf``); the unit code works too
(``XA_BINH_SON.pdf``). A name is attributed only when it is unambiguous: the
longest unit name or code that starts it, followed by nothing, a number (the year,
the period) or a word that is no part of a place name (``bao-cao``, ``scan``,
``ban``…), so ``ubnd-xa-an-phu.pdf`` is never given to "UBND xã An".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from workbook_tools.errors import PeriodError
from workbook_tools.periods import Period, parse_period
from workbook_tools.text import slug
from workbook_tools.units import Unit, UnitRegistry

_LONG = 400  # slug length limit: the whole name, not the 60 characters of a file name
_AFTER_NAME = frozenset(
    {"bao", "bc", "scan", "ban", "anh", "gui", "lan", "dvcq", "bieu", "file", "tep"}
)
"""Words that may follow a unit's name in a file name ("báo cáo", "bản scan", "ảnh", "lần 2"…)."""


@dataclass(frozen=True)
class Attribution:
    unit: Unit
    period: Period | None  # from the expectation, else from the name; None: neither says


def attribute(path: Path, registry: UnitRegistry, period: Period | None) -> Attribution | None:
    """The unit (and period) ``path``'s name designates in ``registry``, or None.

    ``period``: the period being collected, if known; a name that says another is None.
    """
    stem = slug(path.stem, _LONG)
    best: list[tuple[int, Unit, str]] = []
    for key, unit in _keys(registry.units):
        rest = stem[len(key) :]
        if stem.startswith(key) and _ends_name(rest):
            best.append((len(key), unit, rest))
    if not best:
        return None
    longest = max(length for length, _, _ in best)
    chosen = {(u.code, rest) for length, u, rest in best if length == longest}
    units = {code for code, _ in chosen}
    if len(units) != 1:
        return None  # two units fit the name equally well: do not guess
    unit = next(u for length, u, _ in best if length == longest)
    rest = next(rest for _, rest in chosen)
    named = _period_in(rest)
    if period is not None and named is not None and named != period:
        return None  # the name says another period: not this collection's file
    return Attribution(unit, period if period is not None else named)


def _ends_name(rest: str) -> bool:
    """Whether what follows a unit's name in a file name cannot be more of a place name."""
    if not rest:
        return True
    word = rest[1:].split("-", 1)[0]
    return rest[0] == "-" and (word[:1].isdigit() or word in _AFTER_NAME)


@lru_cache(maxsize=4)
def _keys(units: tuple[Unit, ...]) -> tuple[tuple[str, Unit], ...]:
    """Every (name or code slug, unit): computed once per registry (slugs are slow)."""
    return tuple(
        (key, unit)
        for unit in units
        for key in {slug(unit.name), slug(unit.name, _LONG), slug(unit.code, _LONG)}
    )


def _period_in(rest: str) -> Period | None:
    """The first period a name's remainder holds (``-ban-scan-2025-h1`` → 2025-H1)."""
    tokens = rest.strip("-").split("-")
    for start, token in enumerate(tokens):
        if len(token) != 4 or not token.isdigit():
            continue  # a period code starts with its year
        for count in (2, 1):
            try:
                return parse_period("-".join(tokens[start : start + count]))
            except PeriodError:
                continue
    return None
