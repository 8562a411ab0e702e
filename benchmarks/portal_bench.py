"""The portal under load: concurrent uploads against the real server, and the status page.

Run with ``make bench`` (after ``bench.py``) or ``python benchmarks/portal_bench.py``.
A synthetic registry of ``--units`` units (default 3,321) gets its links; ``--uploads``
distinct units (default 200) each upload their own filled return at the same moment
to ``workbook-tools serve``'s application under uvicorn on 127.0.0.1. Checked: every
upload answered HỢP LỆ and recorded exactly once. Measured: the time to answer one
upload on a quiet server, and within the burst (median, 95th percentile: the checks share
the server's one process), and the Sở's status page over all units. Writes
``bench-output/portal.json``.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import shutil
import socket
import statistics
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import uvicorn

from workbook_tools.contract import Request
from workbook_tools.contract.compiled import layout_for
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.portal import PortalStore, hash_password
from workbook_tools.registry import SubmissionStore
from workbook_tools.units import UnitRegistry, synthetic_units
from workbook_tools.web.app import create_app
from workbook_tools.web.config import PortalConfig
from workbook_tools.writer.writer import WorkbookFactory

OUT = Path("bench-output")
PASSWORD = "mat-khau-do-tai-2025"


def multipart(fields: dict[str, str], name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="tep"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


def upload(base: str, token: str, name: str, data: bytes, start: threading.Event) -> float:
    """One unit's whole visit: open its page, then (at the start signal) upload; answer time."""
    browser = opener()
    page = browser.open(f"{base}/nop/{token}").read().decode()
    body, kind = multipart({"csrf": csrf(page)}, name, data)
    request = urllib.request.Request(
        f"{base}/nop/{token}", data=body, headers={"Content-Type": kind}, method="POST"
    )
    start.wait()
    began = time.perf_counter()
    answer = browser.open(request, timeout=600).read().decode()
    took = time.perf_counter() - began
    assert '<h2 class="verdict">HỢP LỆ</h2>' in answer, name
    return took


def status_page(base: str, rounds: int = 5) -> float:
    browser = opener()
    page = browser.open(f"{base}/so/dang-nhap").read().decode()
    form = urllib.parse.urlencode({"csrf": csrf(page), "mat_khau": PASSWORD}).encode()
    browser.open(f"{base}/so/dang-nhap", data=form).read()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        html = browser.open(f"{base}/so").read().decode()
        times.append(time.perf_counter() - began)
        assert "Tình hình nộp báo cáo" in html
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--uploads", type=int, default=200)
    args = parser.parse_args()
    work = OUT / "portal"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    form, period = get_form("dvcq"), parse_period("2025-H1")
    units = synthetic_units(args.units)
    registry = UnitRegistry(tuple(units), source="synthetic")
    config = PortalConfig(work / "workbook-tools.sqlite", form, period, registry, date(2099, 1, 1))
    with PortalStore.open(config.db_path) as store:
        tokens = {i.link.unit_code: i.token for i in store.issue(form.id, period, units)}
        store.set_password_hash(hash_password(PASSWORD))
    factory, layout = WorkbookFactory(Request(form, period)), layout_for(form)
    senders = units[: args.uploads]
    alone = units[args.uploads]  # uploads first, on a quiet server
    files = {}
    for unit in [*senders, alone]:
        ret = realistic_return(unit)
        files[unit.code] = fill_xlsx(factory.build(unit), layout, ret.values, ret.table)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(
        uvicorn.Config(create_app(config), log_level="warning", access_log=False, backlog=1024)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        go = threading.Event()
        go.set()
        single = upload(base, tokens[alone.code], "alone.xlsx", files[alone.code], go)
        start = threading.Event()
        with ThreadPoolExecutor(len(senders)) as pool:
            futures = [
                pool.submit(upload, base, tokens[u.code], f"{u.code}.xlsx", files[u.code], start)
                for u in senders
            ]
            time.sleep(2)  # every sender has its page and form token
            began = time.perf_counter()
            start.set()
            times = sorted(f.result() for f in futures)
            wall = time.perf_counter() - began
        page = status_page(base)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
    with SubmissionStore.open(config.db_path) as store:
        recorded = [s for s in store.all_for(form.id, period) if s.unit_code != alone.code]
    per_unit: dict[str, int] = {}
    for sub in recorded:
        per_unit[sub.unit_code] = per_unit.get(sub.unit_code, 0) + 1
    exactly_once = len(recorded) == len(senders) and set(per_unit.values()) == {1}
    result: dict[str, Any] = {
        "units": args.units,
        "uploads": len(senders),
        "recorded": len(recorded),
        "each_exactly_once": exactly_once,
        "all_answered_valid": len(times) == len(senders),
        "answer_alone_s": round(single, 3),
        "wall_seconds": round(wall, 2),
        "answer_median_s": round(statistics.median(times), 3),
        "answer_p95_s": round(times[int(0.95 * (len(times) - 1))], 3),
        "status_page_s": round(page, 3),
    }
    (OUT / "portal.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("portal:", json.dumps(result, indent=2))
    return 0 if exactly_once else 1


if __name__ == "__main__":
    raise SystemExit(main())
