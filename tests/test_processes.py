"""Issue 15 item 9: workers end with the main process, Ctrl-C ends cleanly, special files
in the inbox are skipped with a note instead of hanging check and collect."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbook_tools.cli import cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and fork")

# ``check`` on 64 files (enough for worker processes) whose check takes a minute each:
# the test acts while every worker is busy.
SLOW_CHECK = textwrap.dedent(
    """
    import sys, time
    import workbook_tools.checks.batch as batch
    from workbook_tools.cli import cli

    def slow(path, expect=None, limits=None):
        time.sleep(120)

    batch.check_file = slow
    cli.main(["check", sys.argv[1]])
    """
)


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for(condition: object, limit: float = 60) -> bool:
    """Poll ``condition`` until true or ``limit`` seconds have passed (a bound, not a timing)."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def start_slow_check(tmp_path: Path) -> tuple[subprocess.Popen[str], set[int]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(64):
        (inbox / f"{i:02d}.xlsx").write_bytes(b"x")
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_CHECK, str(inbox)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal job
    )
    assert wait_for(lambda: len(children(proc.pid)) >= 2), "no worker processes started"
    workers = children(proc.pid)
    return proc, workers


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_end_with_their_parent(tmp_path: Path, sig: int) -> None:
    proc, workers = start_slow_check(tmp_path)
    os.kill(proc.pid, sig)
    proc.wait(timeout=60)
    try:
        assert wait_for(lambda: not any(alive(w) for w in workers)), "workers outlived the run"
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)


def test_ctrl_c_ends_cleanly_in_vietnamese(tmp_path: Path) -> None:
    proc, workers = start_slow_check(tmp_path)
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C: the whole group
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
    assert proc.returncode == 1
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "Đã dừng" in err
    assert not any(alive(w) for w in workers)


def test_special_files_in_the_inbox_are_skipped_with_a_note(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    os.mkfifo(inbox / "pipe.xlsx")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(inbox / "sock.xlsx"))
    (inbox / "device.xlsx").symlink_to("/dev/zero")
    try:
        result = CliRunner().invoke(cli, ["check", str(inbox)])
        assert result.exit_code == 1
        for name in ("pipe.xlsx", "sock.xlsx", "device.xlsx"):
            assert f"{name} là tệp đặc biệt" in result.output
        db = tmp_path / "so.sqlite"
        result = CliRunner().invoke(
            cli, ["collect", str(inbox), "--period", "2025-H1", "--db", str(db), "--json"]
        )
        assert result.exit_code == 1
        items = json.loads(result.output[result.output.index("{") :])["items"]
        assert [i["verdict"] for i in items] == ["invalid"] * 3
        assert all("là tệp đặc biệt" in i["message"] for i in items)
    finally:
        server.close()
