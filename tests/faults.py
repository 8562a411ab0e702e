"""Helpers for the fault tests (issue 15): an inbox of returns, and real small or read-only disks.

Tests run as root, where ``chmod`` does not stop a write: a read-only disk is a
read-only tmpfs mount, a full disk a small tmpfs. Where mounting is not allowed
(an unprivileged CI runner) the tests that need it skip, and their twin with the
error injected at the boundary still runs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from workbook_tools.contract import Request, build_layout
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import Form
from workbook_tools.units import Unit
from workbook_tools.writer.writer import WorkbookFactory


def units(count: int) -> list[Unit]:
    return [
        Unit(f"XA_{i:03d}", f"UBND xã Số {i}", "UBND xã", None, None, None, None)
        for i in range(count)
    ]


def make_inbox(folder: Path, request: Request, form: Form, people: list[Unit]) -> list[Path]:
    """One accepted return per unit in ``folder``, saved on 18/06/2025."""
    folder.mkdir(parents=True, exist_ok=True)
    factory = WorkbookFactory(request)
    layout = build_layout(form)
    paths = []
    for unit in people:
        ret = realistic_return(unit, 2)
        path = folder / f"{unit.code}.xlsx"
        path.write_bytes(fill_xlsx(factory.build(unit), layout, ret.values, ret.table))
        stamp = datetime(2025, 6, 18, 9).timestamp()
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths


def _mount(*args: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


@contextmanager
def tmpfs(where: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` KiB mounted at ``where`` (skips the test when it cannot be)."""
    where.mkdir(parents=True, exist_ok=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(where)):
        pytest.skip("cannot mount a tmpfs here (needs root); the injected twin covers it")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextmanager
def read_only(where: Path) -> Iterator[Path]:
    """``where`` remounted read-only in place (a bind mount), even for root."""
    if not _mount("--bind", str(where), str(where)):
        pytest.skip("cannot bind-mount here (needs root); the injected twin covers it")
    try:
        if not _mount("-o", "remount,bind,ro", str(where)):
            pytest.skip("cannot remount read-only here")
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill_up(folder: Path) -> None:
    """Fill the disk under ``folder`` to the last byte."""
    with open(folder / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
