"""Worker processes that never outlive the run and never print on Ctrl-C.

A pool's workers are the run's helpers, nothing more: they end when the main
process ends, however it ends (``kill -9``, SIGTERM, a crash), instead of
staying alive for minutes; they leave Ctrl-C to the main process, which stops
them and says so in one Vietnamese line, so no worker prints a traceback; and
when the main process stops early (Ctrl-C, an error) the work not yet started
is dropped and the workers are ended at once rather than waited for.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0
"""How often a worker looks whether its parent is still there (where the kernel cannot tell it)."""


@contextmanager
def worker_pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...] = ()
) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers run ``initializer(*initargs)`` and die with this process.

    Leaving the block normally waits for the work; leaving it by an exception
    (Ctrl-C, an error, the consumer of a generator going away) cancels what has not
    started and ends the workers now.
    """
    pool = ProcessPoolExecutor(
        workers, initializer=_start_worker, initargs=(os.getpid(), initializer, initargs)
    )
    try:
        with _holding_ctrl_c():
            pool.submit(os.getpid)  # starts the workers (all of them, with fork)
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


@contextmanager
def _holding_ctrl_c() -> Iterator[None]:
    """Ctrl-C held back while workers are forked, delivered when the block ends.

    A Ctrl-C arriving during a fork would otherwise be lost in the fork handlers
    (Python prints "Exception ignored" and goes on), or reach a new worker before it
    has set itself to ignore Ctrl-C.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not (
        threading.main_thread()
    ):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def stop(pool: ProcessPoolExecutor) -> None:
    """Drop the queued work and end the workers without waiting for their current file."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the pool has no public way to end busy workers: its process table.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        with suppress(OSError, ValueError):  # already gone
            process.terminate()
    # The pool's thread sees its workers gone, fails the pending futures and ends; waiting
    # for it here keeps it from racing the interpreter's exit ("Exception ignored … Bad file
    # descriptor"). No future is cancelled first: the thread would fail on a cancelled one.
    pool.shutdown(wait=True)


def ordered_map(
    pool: ProcessPoolExecutor, fn: Callable[[T], R], items: Sequence[T], chunksize: int
) -> Iterator[R]:
    """``fn`` over ``items`` on ``pool``, in order, ``chunksize`` items to a task.

    :meth:`ProcessPoolExecutor.map` cancels its futures when the caller stops early
    (Ctrl-C), which makes the pool's thread fail when :func:`stop` then ends the workers
    (Python before 3.14); these futures are left for the pool to fail instead.
    """
    chunks = [list(items[i : i + chunksize]) for i in range(0, len(items), chunksize)]
    futures = deque(pool.submit(_apply, fn, chunk) for chunk in chunks)
    while futures:  # each future let go once yielded: results are not all kept to the end
        yield from futures.popleft().result()


def map_in_order(
    make: Callable[..., Callable[[T], R]],
    args: tuple[Any, ...],
    items: Sequence[T],
    workers: int,
    chunksize: int,
) -> Iterator[R]:
    """The job ``make(*args)`` over ``items``, in order, on ``workers`` processes or here.

    The job is made once in each worker (``make`` and ``args`` must pickle; the job
    itself need not), which takes ``chunksize`` items to a task (:func:`ordered_map`).
    With ``workers`` at 1, or when worker processes cannot start or break, the job is
    made here and goes on from the first item whose result was not yielded. Nothing is
    kept in this process's globals, so two threads may each run a batch.
    """
    done = 0
    if workers > 1:
        try:
            with worker_pool(workers, _make_job, (make, args)) as pool:
                for result in ordered_map(pool, _run_job, items, chunksize):
                    done += 1
                    yield result
            return
        except (OSError, BrokenProcessPool):
            pass  # the rest is done here
    job = make(*args)
    for item in items[done:]:
        yield job(item)


_JOB: Callable[[Any], Any] | None = None
"""A worker process's job, made once by :func:`_make_job` when the worker starts."""


def _make_job(make: Callable[..., Callable[[Any], Any]], args: tuple[Any, ...]) -> None:
    global _JOB
    _JOB = make(*args)


def _run_job(item: Any) -> Any:
    assert _JOB is not None
    return _JOB(item)


def _apply(fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _start_worker(main: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    if hasattr(signal, "pthread_sigmask"):  # held back in the parent while forking
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with(main)
    initializer(*initargs)


def _die_with(main: int) -> None:
    """End this worker when the main process ends: at once on Linux, within a second elsewhere.

    The worker's parent is the main process (fork, spawn) or a fork server that
    itself ends with it (Python 3.14's default on Linux): the worker ends when its
    parent changes or, on POSIX, when ``main`` is gone.
    """
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = os.getppid()
    if not _alive(main):  # the main process died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, main), daemon=True, name="watch-main").start()


def _watch(parent: int, main: int) -> None:
    while os.getppid() == parent and _alive(main):
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # Windows' os.kill would end the process, not probe it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
