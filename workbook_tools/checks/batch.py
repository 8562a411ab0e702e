"""Checking many files: on every core, in order, one bad file never stopping the rest."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from workbook_tools.checks import Expectation, Submission, check_file
from workbook_tools.reader.safety import Limits

PARALLEL_MIN_FILES = 64

_WORKER_EXPECT: Expectation | None = None
_WORKER_LIMITS: Limits | None = None


def _worker_init(expect: Expectation, limits: Limits | None) -> None:
    global _WORKER_EXPECT, _WORKER_LIMITS
    _WORKER_EXPECT, _WORKER_LIMITS = expect, limits


def _check_job(path: Path) -> Submission | str:
    """Check one file in a worker; an unexpected error comes back as its message."""
    assert _WORKER_EXPECT is not None
    try:
        return check_file(path, _WORKER_EXPECT, _WORKER_LIMITS)
    except Exception as exc:  # one bad file must not stop the batch
        return unexpected_failure(path, exc)


def unexpected_failure(path: Path, exc: Exception) -> str:
    return (
        f"Không xử lý được tệp {path.name} ({type(exc).__name__}: {exc}). "
        "Tệp chưa được ghi nhận; hãy kiểm tra tệp rồi chạy lại."
    )


def check_files(
    todo: list[Path], expect: Expectation, limits: Limits | None, workers: int
) -> Iterator[Submission | str]:
    """Check files, yielding results in order, on ``workers`` processes for a large batch.

    Checking is pure (the slow part), so a caller that records (one database
    connection) can stay in its own process. If worker processes cannot start, or
    break, the remaining files are checked here. An unexpected error on one file
    comes back as a message, never as an exception.
    """
    done = 0
    if workers > 1 and len(todo) >= PARALLEL_MIN_FILES:
        try:
            with ProcessPoolExecutor(
                workers, initializer=_worker_init, initargs=(expect, limits)
            ) as pool:
                for result in pool.map(_check_job, todo, chunksize=16):
                    done += 1
                    yield result
            return
        except (OSError, BrokenProcessPool):
            pass  # the rest is checked here
    _worker_init(expect, limits)
    for path in todo[done:]:
        yield _check_job(path)
