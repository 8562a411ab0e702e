"""The portal over HTTP (Starlette's test client): every route and every refusal."""

from __future__ import annotations

import asyncio
import csv
import errno
import io
import logging
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from corpus import zip_bomb
from portal_support import PASSWORD, Portal, make_portal, unit_return
from starlette.testclient import TestClient

from workbook_tools.portal import PortalStore
from workbook_tools.registry import SubmissionStore
from workbook_tools.web.app import CSRF_COOKIE, SESSION_COOKIE, create_app
from workbook_tools.web.security import LoginThrottle, RedactTokens, Sessions

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=7)))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    return make_portal(tmp_path)


def client_for(portal: Portal, **kwargs: Any) -> TestClient:
    app = create_app(portal.config, clock=lambda: NOW, **kwargs)
    return TestClient(app, follow_redirects=False)


@pytest.fixture
def client(portal: Portal) -> TestClient:
    return client_for(portal)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def upload(
    client: TestClient, token: str, data: bytes, name: str = "bao-cao.xlsx", csrf: str | None = None
) -> Any:
    page = client.get(f"/nop/{token}")
    assert page.status_code == 200
    field = csrf_of(page.text) if csrf is None else csrf
    return client.post(f"/nop/{token}", data={"csrf": field}, files={"tep": (name, data, XLSX)})


def verdict(html: str) -> str:
    """The verdict heading of an upload's answer ("" when there is none)."""
    found = re.search(r'<h2 class="verdict">([^<]*)</h2>', html)
    return found.group(1) if found else ""


def history(portal: Portal, code: str) -> list[Any]:
    with SubmissionStore.open(portal.db) as store:
        return store.history("dvcq", "2025-H1", code)


def login(client: TestClient, password: str = PASSWORD) -> Any:
    page = client.get("/so/dang-nhap")
    return client.post("/so/dang-nhap", data={"csrf": csrf_of(page.text), "mat_khau": password})


# -- units -----------------------------------------------------------------


def test_unit_page_names_the_unit_and_sends_security_headers(
    portal: Portal, client: TestClient
) -> None:
    page = client.get(f"/nop/{portal.tokens['XA_AN']}")
    assert page.status_code == 200
    assert "UBND xã An Phú" in page.text and "UBND xã Bình Sơn" not in page.text
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert CSRF_COOKIE in page.cookies
    assert '<script src="/static/portal.js"' in page.text
    assert client.get("/static/portal.js").status_code == 200
    assert client.get("/static/portal.css").status_code == 200


def test_valid_upload_is_accepted_at_the_server_time(portal: Portal, client: TestClient) -> None:
    answer = upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN")))
    assert answer.status_code == 200
    assert verdict(answer.text) == "HỢP LỆ"
    [stored] = history(portal, "XA_AN")
    assert stored.current and stored.received_at == NOW
    assert stored.file_name == "bao-cao.xlsx"


def test_upload_with_an_error_shows_sheet_and_cell_and_the_feedback(
    portal: Portal, client: TestClient
) -> None:
    token = portal.tokens["XA_AN"]
    answer = upload(client, token, unit_return(portal.unit("XA_AN"), error=True))
    assert answer.status_code == 200
    assert verdict(answer.text) == "CÓ LỖI — CHƯA ĐẠT"
    [stored] = history(portal, "XA_AN")
    with SubmissionStore.open(portal.db) as store:
        [finding] = [f for f in store.findings(stored.id) if f.is_error]
    # the finding's sheet and cell are in the row of the table shown
    row = re.search(rf"<td>{re.escape(finding.sheet)}</td>\s*<td>{finding.cell}</td>", answer.text)
    assert row, (finding.sheet, finding.cell)
    link = f"/nop/{token}/gop-y/{stored.id}"
    assert link in answer.text
    copy = client.get(link)
    assert copy.status_code == 200
    assert copy.content[:2] == b"PK"
    assert "attachment" in copy.headers["content-disposition"]


def test_another_units_data_is_invisible(portal: Portal, client: TestClient) -> None:
    upload(
        client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN"), error=True), "cua-an.xlsx"
    )
    [theirs] = history(portal, "XA_AN")
    other = client.get(f"/nop/{portal.tokens['XA_BINH']}")
    assert "cua-an.xlsx" not in other.text and "An Phú" not in other.text
    assert client.get(f"/nop/{portal.tokens['XA_BINH']}/gop-y/{theirs.id}").status_code == 404


def test_another_units_file_through_a_link_is_refused_and_kept_with_the_sender(
    portal: Portal, client: TestClient
) -> None:
    answer = upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_BINH")))
    assert verdict(answer.text) == "CÓ LỖI — CHƯA ĐẠT"
    assert [s.status for s in history(portal, "XA_AN")] == ["rejected"]
    assert history(portal, "XA_BINH") == []


def test_a_file_for_another_period_is_refused(portal: Portal, client: TestClient) -> None:
    answer = upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN"), "2025-H2"))
    assert verdict(answer.text) == "CÓ LỖI — CHƯA ĐẠT"
    [stored] = history(portal, "XA_AN")
    with SubmissionStore.open(portal.db) as store:
        assert "period-unexpected" in [f.code for f in store.findings(stored.id)]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"%PDF-1.4\n% scanned\n" + b"0" * 2048, "file-pdf"),
        (b"", "file-empty"),
    ],
)
def test_not_a_workbook_is_refused_with_the_checks_finding(
    portal: Portal, client: TestClient, content: bytes, code: str
) -> None:
    answer = upload(client, portal.tokens["XA_AN"], content, "ban-scan.pdf")
    assert answer.status_code == 200 and verdict(answer.text) == "CÓ LỖI — CHƯA ĐẠT"
    [stored] = history(portal, "XA_AN")
    with SubmissionStore.open(portal.db) as store:
        assert [f.code for f in store.findings(stored.id)] == [code]
    kept = Path(stored.source_path)
    assert kept.suffix == ".bin" and kept.is_relative_to(portal.db.parent / "portal" / "incoming")


def test_a_zip_bomb_is_refused(portal: Portal, client: TestClient, tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(unit_return(portal.unit("XA_AN")))
    bomb = tmp_path / "bomb.xlsx"
    zip_bomb(good, bomb, megabytes=300)
    answer = upload(client, portal.tokens["XA_AN"], bomb.read_bytes())
    assert verdict(answer.text) == "CÓ LỖI — CHƯA ĐẠT"
    [stored] = history(portal, "XA_AN")
    with SubmissionStore.open(portal.db) as store:
        assert [f.code for f in store.findings(stored.id)] == ["file-zip-bomb"]


def test_no_file_chosen(portal: Portal, client: TestClient) -> None:
    token = portal.tokens["XA_AN"]
    page = client.get(f"/nop/{token}")
    answer = client.post(f"/nop/{token}", data={"csrf": csrf_of(page.text)})
    assert answer.status_code == 400 and "Chưa chọn tệp" in answer.text
    assert history(portal, "XA_AN") == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_wrong_and_revoked_tokens_are_refused(
    portal: Portal, client: TestClient, method: str
) -> None:
    token = portal.tokens["XA_AN"]
    with PortalStore.open(portal.db) as store:
        store.revoke("dvcq", "2025-H1", "XA_AN")
    for bad in (token, token[:-1] + ("A" if token[-1] != "A" else "B"), "khong-dung"):
        answer = getattr(client, method)(f"/nop/{bad}")
        assert answer.status_code == 404
        assert "thu hồi" in answer.text
    assert history(portal, "XA_AN") == []


def test_a_link_of_another_period_is_refused(portal: Portal, tmp_path: Path) -> None:
    with PortalStore.open(portal.db) as store:
        [other] = store.issue("dvcq", "2025-H2", [portal.unit("XA_AN")])
    assert client_for(portal).get(f"/nop/{other.token}").status_code == 404


def test_upload_without_csrf_is_refused(portal: Portal, client: TestClient) -> None:
    token = portal.tokens["XA_AN"]
    client.get(f"/nop/{token}")
    data = unit_return(portal.unit("XA_AN"))
    for fields in ({}, {"csrf": "gia-mao"}):
        answer = client.post(f"/nop/{token}", data=fields, files={"tep": ("a.xlsx", data, XLSX)})
        assert answer.status_code == 403
    assert history(portal, "XA_AN") == []


def test_oversized_upload_is_refused(portal: Portal) -> None:
    small = replace(portal.config, upload_limit=10_000)
    client = TestClient(create_app(small, clock=lambda: NOW), follow_redirects=False)
    token = portal.tokens["XA_AN"]
    answer = upload(client, token, unit_return(portal.unit("XA_AN")))
    assert answer.status_code == 413
    assert history(portal, "XA_AN") == []


def _call(app: Any, headers: list[tuple[bytes, bytes]], body: list[bytes]) -> tuple[int, int]:
    """Run one POST through the ASGI app; (status, body chunks the app pulled)."""
    pulled = 0
    chunks = list(body)
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        if not chunks:
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.request", "body": chunks.pop(0), "more_body": bool(chunks)}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/so/dang-nhap",
        "raw_path": b"/so/dang-nhap",
        "query_string": b"",
        "headers": headers,
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "http_version": "1.1",
    }
    asyncio.run(app(scope, receive, send))
    return status, pulled


def test_oversize_is_refused_before_the_body_is_read(portal: Portal) -> None:
    app = create_app(portal.config)
    declared = [
        (b"content-length", b"999999999"),
        (b"content-type", b"application/x-www-form-urlencoded"),
    ]
    status, pulled = _call(app, declared, [b"x" * 100])
    assert (status, pulled) == (413, 0)


def test_oversize_without_a_length_is_cut_while_streaming(portal: Portal) -> None:
    app = create_app(portal.config)
    chunked = [(b"content-type", b"application/x-www-form-urlencoded")]
    limit = portal.config.form_limit
    status, pulled = _call(app, chunked, [b"a=" + b"x" * 1024] * (limit // 1024 + 10))
    assert status == 413
    assert pulled <= limit // 1024 + 2


# -- the Sở ----------------------------------------------------------------


def test_so_pages_need_a_session(portal: Portal, client: TestClient) -> None:
    for path in ("/so", "/so/nhan-tep", "/so/tong-hop", "/so/duong-dan", "/so/don-vi/XA_AN",
                 "/so/tep/1", "/so/gop-y/1", "/so/tai/tong-hop"):  # fmt: skip
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/so/dang-nhap", path
    for path in ("/so/nhan-tep", "/so/tong-hop", "/so/duong-dan", "/so/dang-xuat"):
        answer = client.post(path, data={"viec": "thu-hoi", "ma": "XA_AN"})
        assert answer.status_code == 303 and answer.headers["location"] == "/so/dang-nhap", path
    assert client.get(f"/nop/{portal.tokens['XA_AN']}").status_code == 200  # nothing revoked


def test_login_and_status_with_filters(portal: Portal, client: TestClient) -> None:
    upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN")))
    upload(client, portal.tokens["XA_BINH"], unit_return(portal.unit("XA_BINH"), error=True))
    assert login(client, "sai-mat-khau-roi").status_code == 401
    answer = login(client)
    assert answer.status_code == 303
    assert SESSION_COOKIE in answer.cookies
    page = client.get("/so")
    assert page.status_code == 200
    assert all(u in page.text for u in ("UBND xã An Phú", "UBND xã Bình Sơn", "Sở Tài chính"))
    missing = client.get("/so?loc=chua-gui").text
    assert "Sở Tài chính" in missing and "An Phú" not in missing and "Bình Sơn" not in missing
    review = client.get("/so?loc=can-xem").text
    assert "Bình Sơn" in review and "An Phú" not in review
    returned = client.get("/so?loc=da-nop").text
    assert "An Phú" in returned and "Bình Sơn" not in returned
    assert "An Phú" not in client.get("/so?loc=muon").text  # received 18/6, due 20/6
    detail = client.get("/so/don-vi/XA_BINH")
    [stored] = history(portal, "XA_BINH")
    assert f"/so/gop-y/{stored.id}" in detail.text
    assert client.get(f"/so/tep/{stored.id}").content[:2] == b"PK"
    assert client.get(f"/so/gop-y/{stored.id}").content[:2] == b"PK"


def test_a_late_upload_is_late_by_the_server_clock(portal: Portal) -> None:
    late = datetime(2025, 6, 23, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    client = TestClient(create_app(portal.config, clock=lambda: late), follow_redirects=False)
    upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN")))
    login(client)
    assert "An Phú" in client.get("/so?loc=muon").text


def test_login_attempts_are_rate_limited(portal: Portal) -> None:
    client = client_for(portal, throttle=LoginThrottle(attempts=3))
    for _ in range(3):
        assert login(client, "doan-sai-mat-khau").status_code == 401
    blocked = login(client)  # even the right password, while blocked
    assert blocked.status_code == 429
    assert SESSION_COOKIE not in blocked.cookies


def test_login_without_csrf_is_refused(portal: Portal, client: TestClient) -> None:
    client.get("/so/dang-nhap")
    answer = client.post("/so/dang-nhap", data={"mat_khau": PASSWORD})
    assert answer.status_code == 403
    assert SESSION_COOKIE not in answer.cookies


def test_sessions_expire(portal: Portal) -> None:
    clock = Clock()
    client = client_for(portal, sessions=Sessions(idle=600, lifetime=3600, clock=clock))
    login(client)
    assert client.get("/so").status_code == 200
    clock.now += 601
    assert client.get("/so").status_code == 303


def test_logout_needs_csrf_and_ends_the_session(portal: Portal, client: TestClient) -> None:
    login(client)
    page = client.get("/so")
    assert client.post("/so/dang-xuat", data={}).status_code == 403
    assert client.get("/so").status_code == 200
    assert client.post("/so/dang-xuat", data={"csrf": csrf_of(page.text)}).status_code == 303
    assert client.get("/so").status_code == 303


def test_bulk_upload_checks_each_file_like_collect(portal: Portal, client: TestClient) -> None:
    login(client)
    page = client.get("/so/nhan-tep")
    files = [
        ("tep", ("an-phu.xlsx", unit_return(portal.unit("XA_AN")), XLSX)),
        ("tep", ("scan.pdf", b"%PDF-1.4\n" + b"0" * 100, "application/pdf")),
        ("tep", ("tai-chinh.xlsx", unit_return(portal.unit("SO_TC"), error=True), XLSX)),
    ]
    answer = client.post("/so/nhan-tep", data={"csrf": csrf_of(page.text)}, files=files)
    assert answer.status_code == 200
    assert [s.status for s in history(portal, "XA_AN")] == ["accepted"]
    assert [s.status for s in history(portal, "SO_TC")] == ["rejected"]
    with SubmissionStore.open(portal.db) as store:  # the PDF: recorded, of no unit or period
        assert [(s.file_name, s.status) for s in store.iter_all() if not s.unit_code] == [
            ("scan.pdf", "rejected")
        ]
    assert history(portal, "XA_AN")[0].received_at == NOW
    refused = client.post("/so/nhan-tep", data={"csrf": "x"}, files=files[:1])
    assert refused.status_code == 403


def test_links_renew_and_revoke(portal: Portal, client: TestClient) -> None:
    login(client)
    page = client.get("/so/duong-dan")
    assert page.status_code == 200 and "Sở Tài chính" in page.text
    field = csrf_of(page.text)
    renewed = client.post("/so/duong-dan", data={"csrf": field, "viec": "cap-lai", "ma": "XA_AN"})
    new_link = re.search(r"http://testserver/nop/([A-Za-z0-9_-]+)", renewed.text)
    assert new_link
    assert client.get(f"/nop/{portal.tokens['XA_AN']}").status_code == 404
    assert client.get(f"/nop/{new_link.group(1)}").status_code == 200
    client.post("/so/duong-dan", data={"csrf": field, "viec": "thu-hoi", "ma": "XA_AN"})
    assert client.get(f"/nop/{new_link.group(1)}").status_code == 404
    refused = client.post("/so/duong-dan", data={"csrf": "x", "viec": "thu-hoi", "ma": "XA_BINH"})
    assert refused.status_code == 403
    assert client.get(f"/nop/{portal.tokens['XA_BINH']}").status_code == 200


def test_links_list_for_sending(tmp_path: Path) -> None:
    fresh = make_portal(tmp_path, issue=False)
    with PortalStore.open(fresh.db) as store:
        store.issue("dvcq", "2025-H1", [fresh.unit("SO_TC")])
        store.revoke("dvcq", "2025-H1", "SO_TC")
    client = client_for(fresh)
    login(client)
    field = csrf_of(client.get("/so/duong-dan").text)
    answer = client.post("/so/duong-dan", data={"csrf": field, "viec": "cap"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = {r[0]: r for r in csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))}
    assert rows["Mã đơn vị"][-1] == "Đường dẫn nộp"
    for code in ("XA_AN", "XA_BINH"):
        token = rows[code][-1].removeprefix("http://testserver/nop/")
        assert client.get(f"/nop/{token}").status_code == 200
    assert rows["XA_AN"][5] == "ubnd-xa-an-phu_2025-h1.xlsx"  # generate's file name
    assert "đã thu hồi" in rows["SO_TC"][-1]
    again = client.post("/so/duong-dan", data={"csrf": field, "viec": "cap"})
    shown = again.content.decode("utf-8-sig")
    assert "/nop/" not in shown and "không hiện lại được" in shown


def test_outputs_are_built_and_downloaded(portal: Portal, client: TestClient) -> None:
    upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN")))
    login(client)
    page = client.get("/so/tong-hop")
    built = client.post("/so/tong-hop", data={"csrf": csrf_of(page.text)})
    assert built.status_code == 200
    for kind in ("tong-hop", "bao-cao", "theo-doi"):
        assert f"/so/tai/{kind}" in built.text
        answer = client.get(f"/so/tai/{kind}")
        assert answer.status_code == 200 and answer.content[:2] == b"PK", kind
    assert client.get("/so/tai/..%2F..%2Fetc").status_code == 404


def test_tokens_never_reach_the_log(portal: Portal, caplog: pytest.LogCaptureFixture) -> None:
    token = portal.tokens["XA_AN"]
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/nop/{token}/gop-y/3", "1.1", 200), None,
    )  # fmt: skip
    RedactTokens().filter(record)
    assert token not in record.getMessage()
    assert "/nop/***/gop-y/3" in record.getMessage()


def test_the_unit_is_told_when_the_server_could_not_keep_the_file(
    portal: Portal, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("workbook_tools.portal.intake.os.fsync", full)
    answer = upload(client, portal.tokens["XA_AN"], unit_return(portal.unit("XA_AN")))
    assert answer.status_code == 503
    assert "CHƯA được ghi nhận" in answer.text and verdict(answer.text) == ""
    assert history(portal, "XA_AN") == []


def test_unknown_pages_answer_in_vietnamese(client: TestClient) -> None:
    missing = client.get("/khong-co")
    assert missing.status_code == 404 and "Không có trang này" in missing.text
    assert client.put("/so/dang-nhap").status_code == 405
    assert missing.headers["x-frame-options"] == "DENY"


def test_bulk_upload_takes_the_day_the_mail_came(portal: Portal) -> None:
    late = datetime(2025, 6, 25, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    client = TestClient(create_app(portal.config, clock=lambda: late), follow_redirects=False)
    login(client)
    field = csrf_of(client.get("/so/nhan-tep").text)
    sent = [("tep", ("an-phu.xlsx", unit_return(portal.unit("XA_AN")), XLSX))]
    for day in ("2025-06-26", "hom-qua"):  # after today; not a date
        refused = client.post("/so/nhan-tep", data={"csrf": field, "ngay_nhan": day}, files=sent)
        assert "msg bad" in refused.text
    assert history(portal, "XA_AN") == []
    client.post("/so/nhan-tep", data={"csrf": field, "ngay_nhan": "2025-06-19"}, files=sent)
    [stored] = history(portal, "XA_AN")
    assert stored.received_at.date().isoformat() == "2025-06-19"
    assert stored.first_seen_at == late  # the Sở's receipt stays the server's clock
    assert "An Phú" not in client.get("/so?loc=muon").text  # the mail came before 20/6
    other = [("tep", ("binh-son.xlsx", unit_return(portal.unit("XA_BINH")), XLSX))]
    client.post("/so/nhan-tep", data={"csrf": field, "ngay_nhan": ""}, files=other)
    assert "Bình Sơn" in client.get("/so?loc=muon").text  # no day given: today, late
