"""The portal's guards: body limits, security headers, sessions, CSRF, login throttling.

Everything here is in memory: one server process serves the portal (sessions
end when it restarts, which only means logging in again).
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # the unit's link carries its token: no page may pass its address on
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class BodyTooLarge(HTTPException):
    """The request body went past its limit while being received (answered 413)."""

    def __init__(self) -> None:
        super().__init__(413, "Yêu cầu quá lớn: hãy gửi đúng tệp biểu mẫu (khoảng 60 KB).")


def _too_large(limit: int) -> HTMLResponse:
    megabytes = max(1, limit // (1024 * 1024))
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><title>Tệp quá lớn</title>"
        f"<p>Yêu cầu quá lớn (giới hạn {megabytes} MB). Biểu mẫu đúng chỉ khoảng 60 KB: "
        "hãy gửi đúng tệp biểu mẫu.</p>",
        status_code=413,
    )


class GuardMiddleware:
    """Refuses a body over its path's limit (from Content-Length, before reading it, or while
    streaming when there is none) and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in {name for name, _ in SECURITY_HEADERS}
                ]
                message = {**message, "headers": [*headers, *SECURITY_HEADERS]}
            await send(message)

        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send_guarded)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        try:
            await self.app(scope, receive_limited, send_guarded)
        except BodyTooLarge:
            if started:
                raise
            await _too_large(limit)(scope, receive, send_guarded)


@dataclass
class Session:
    id: str
    csrf: str
    created: float
    seen: float


@dataclass
class Sessions:
    """The Sở's logged-in sessions: expire after ``idle`` seconds unused or ``lifetime`` in all."""

    idle: float = 30 * 60
    lifetime: float = 8 * 3600
    clock: Callable[[], float] = time.monotonic
    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Session:
        now = self.clock()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), now, now)
        with self._lock:
            self._purge(now)
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        now = self.clock()
        with self._lock:
            self._purge(now)
            session = self._by_id.get(session_id)
            if session is not None:
                session.seen = now
            return session

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._by_id.pop(session_id or "", None)

    def _purge(self, now: float) -> None:
        for sid in [
            sid
            for sid, s in self._by_id.items()
            if now - s.seen > self.idle or now - s.created > self.lifetime
        ]:
            del self._by_id[sid]


@dataclass
class LoginThrottle:
    """At most ``attempts`` failed logins per client per ``window`` seconds, and
    ``attempts * 4`` from everyone together (a guess spread over many addresses)."""

    attempts: int = 5
    window: float = 15 * 60
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, client: str) -> int:
        """0 when ``client`` may try now; else how long until it may."""
        now = self.clock()
        with self._lock:
            waits = [
                self._wait(self._failures.get(client, deque()), self.attempts, now),
                self._wait(self._all, self.attempts * 4, now),
            ]
        return max(waits)

    def _wait(self, times: deque[float], limit: int, now: float) -> int:
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < limit:
            return 0
        return int(self.window - (now - times[0])) + 1

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            self._failures.setdefault(client, deque()).append(now)
            self._all.append(now)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def new_csrf() -> str:
    return secrets.token_urlsafe(32)


def same_secret(given: str | None, expected: str | None) -> bool:
    """Constant-time equality of two secrets; an empty or missing one never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


_TOKEN_IN_PATH = re.compile(r"(/nop/)[^/?\s\"]+")


def redact(text: str) -> str:
    """A path or log line with every unit token replaced by ``***``."""
    return _TOKEN_IN_PATH.sub(r"\1***", text)


class RedactTokens(logging.Filter):
    """Keeps tokens out of the server's logs (uvicorn's access log names each path)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True
