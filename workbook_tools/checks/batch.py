"""Work on many files: on every core, in order, one bad file never stopping the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TypeVar

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.reader.safety import Limits
from workbook_tools.workers import map_in_order

PARALLEL_MIN_FILES = 64
CHUNK_SIZE = 16

T = TypeVar("T")


def _guarded(job: Callable[[Path], T]) -> Callable[[Path], T | str]:
    """``job`` with an unexpected error on one file coming back as its message."""
    return partial(_run, job)


def _run(job: Callable[[Path], T], path: Path) -> T | str:
    try:
        return job(path)
    except Exception as exc:  # one bad file must not stop the batch
        return unexpected_failure(path, exc)


def unexpected_failure(path: Path, exc: Exception) -> str:
    return (
        f"Không xử lý được tệp {path.name} ({type(exc).__name__}: {exc}). "
        "Tệp chưa được ghi nhận; hãy kiểm tra tệp rồi chạy lại."
    )


def map_files(job: Callable[[Path], T], todo: list[Path], workers: int) -> Iterator[T | str]:
    """``job`` on every file, yielding results in order, on ``workers`` processes for a large batch.

    ``job`` must be picklable (a module-level function, a ``partial`` of one, or an
    instance of a module-level class); it is sent to each worker once. If worker
    processes cannot start, or break, the remaining files are done here. An
    unexpected error on one file comes back as a message, never as an exception.
    """
    count = workers if len(todo) >= PARALLEL_MIN_FILES else 1
    return map_in_order(_guarded, (job,), todo, count, CHUNK_SIZE)


def check_files(
    todo: list[Path], expect: Expectation, limits: Limits | None, workers: int
) -> Iterator[Submission | str]:
    """Check files (pure: the slow part of collecting) on ``workers`` processes, in order."""
    return map_files(partial(check_file, expect=expect, limits=limits), todo, workers)
