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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

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
        yield pool
    except BaseException:
        stop(pool)
        raise
    pool.shutdown()


def stop(pool: ProcessPoolExecutor) -> None:
    """Drop the queued work and end the workers without waiting for their current file."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    # Before 3.14 the pool has no public way to end busy workers: its process table.
    processes = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        with suppress(OSError, ValueError):  # already gone
            process.terminate()


def _start_worker(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with(parent)
    initializer(*initargs)


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends: at once on Linux, within a second elsewhere."""
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="watch-parent").start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
