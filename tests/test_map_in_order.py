"""Issue 12: one process-pool-with-fallback loop (workers.map_in_order) for check and generate.

Results come in order and once each, whether the workers run, cannot start, or break
half-way (the rest is then done in this process).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workbook_tools.workers import map_in_order

_MAIN = os.getpid()
_SEEN: list[str] = []


def _squarer(tag: str) -> Callable[[int], int]:
    """Makes the job; ``_SEEN`` records where (only this process's list is looked at)."""
    _SEEN.append(tag)
    return _square


def _crasher(tag: str) -> Callable[[int], int]:
    _SEEN.append(tag)
    return _square_or_die


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
    assert list(map_in_order(_squarer, ("w",), items, 2, 7)) == [x * x for x in items]
    assert _SEEN == []  # the job was made in the workers only


def test_one_worker_makes_the_job_here() -> None:
    _SEEN.clear()
    assert list(map_in_order(_squarer, ("here",), [3, 1, 2], 1, 16)) == [9, 1, 4]
    assert _SEEN == ["here"]


def test_workers_that_cannot_start_leave_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    _SEEN.clear()
    monkeypatch.setattr(
        importlib.import_module("workbook_tools.workers"), "ProcessPoolExecutor", NoProcesses
    )
    items = list(range(50))
    assert list(map_in_order(_squarer, ("here",), items, 2, 4)) == [x * x for x in items]
    assert _SEEN == ["here"]


def test_a_broken_pool_goes_on_here_from_where_it_stopped() -> None:
    _SEEN.clear()
    items = list(range(100))
    results = list(map_in_order(_crasher, ("here",), items, 2, 5))
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


def _adder(step: int) -> Callable[[int], int]:
    return lambda x: x + step


def test_two_batches_in_one_process_keep_their_own_job() -> None:
    """The job lives in the batch, not in a global: interleaved batches do not mix."""
    ones = map_in_order(_adder, (1,), [0, 10, 20], 1, 16)
    hundreds = map_in_order(_adder, (100,), [0, 10, 20], 1, 16)
    assert next(ones) == 1 and next(hundreds) == 100
    assert list(ones) == [11, 21] and list(hundreds) == [110, 120]


class Box:
    """A result a weak reference can follow (an int cannot)."""

    def __init__(self, value: int) -> None:
        self.value = value


def _boxer(tag: str) -> Callable[[int], Box]:
    return Box


def test_results_already_yielded_are_let_go() -> None:
    """A batch of thousands of files must not keep every file's result to its end (memory
    flat in the number of files): once the caller has dropped a result, nothing holds it."""
    import gc
    import weakref

    items = list(range(200))
    results = map_in_order(_boxer, ("w",), items, 2, 10)
    early = [weakref.ref(next(results)) for _ in range(100)]  # each dropped at once
    gc.collect()
    held = sum(ref() is not None for ref in early)  # the batch still running
    rest = [box.value for box in results]
    assert rest == list(range(100, 200))
    assert held <= 10  # at most the chunk being yielded (chunks of 10), not all 100
