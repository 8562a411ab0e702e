"""Issue 12: one process-pool-with-fallback loop (workers.map_in_order) for check and generate.

Results come in order and once each, whether the workers run, cannot start, or break
half-way (the rest is then done in this process).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest

from workbook_tools.workers import map_in_order

_MAIN = os.getpid()
_SEEN: list[str] = []


def _setup(tag: str) -> None:
    _SEEN.append(tag)


def _square(x: int) -> int:
    return x * x


def _square_or_die(x: int) -> int:
    """Ends its worker process at 40 (a crash); in the main process it just squares."""
    if x == 40 and os.getpid() != _MAIN:
        os._exit(1)
    return x * x


class NoProcesses:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise OSError("no processes here")


def test_on_two_processes_in_order() -> None:
    _SEEN.clear()
    items = list(range(100))
    assert list(map_in_order(_square, items, 2, 7, _setup, ("w",))) == [x * x for x in items]
    assert _SEEN == []  # the initializer ran in the workers only


def test_one_worker_runs_here_after_the_initializer() -> None:
    _SEEN.clear()
    assert list(map_in_order(_square, [3, 1, 2], 1, 16, _setup, ("here",))) == [9, 1, 4]
    assert _SEEN == ["here"]


def test_workers_that_cannot_start_leave_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    _SEEN.clear()
    monkeypatch.setattr(
        importlib.import_module("workbook_tools.workers"), "ProcessPoolExecutor", NoProcesses
    )
    items = list(range(50))
    assert list(map_in_order(_square, items, 2, 4, _setup, ("here",))) == [x * x for x in items]
    assert _SEEN == ["here"]


def test_a_broken_pool_goes_on_here_from_where_it_stopped() -> None:
    _SEEN.clear()
    items = list(range(100))
    results = list(map_in_order(_square_or_die, items, 2, 5, _setup, ("here",)))
    assert results == [x * x for x in items]  # in order, none twice, none missing
    assert _SEEN == ["here"]


def test_generate_without_processes_builds_every_file(
    tmp_path: Path, request_h1: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbook_tools.units import synthetic_units
    from workbook_tools.writer.writer import PARALLEL_MIN_UNITS, generate

    monkeypatch.setattr(
        importlib.import_module("workbook_tools.workers"), "ProcessPoolExecutor", NoProcesses
    )
    units = synthetic_units(PARALLEL_MIN_UNITS)
    seen: list[str] = []
    result = generate(
        request_h1, units, tmp_path, workers=2, progress=lambda u: seen.append(u.code)
    )
    assert seen == [u.code for u in units]  # each unit reported once, in order
    assert all(f.path.exists() for f in result.files) and len(result.files) == len(units)
