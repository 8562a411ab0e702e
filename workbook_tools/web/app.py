"""The portal's web application (Starlette): parses a request, calls the library, renders.

Units open ``/nop/<token>`` (their personal link) and upload their workbook; the
Sở logs in at ``/so`` and follows the period. Every page is server-rendered
Vietnamese HTML; the only script (drag-and-drop onto the file field) is a
static file of the package, so the pages work with no outside resources.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from workbook_tools.checks import Expectation
from workbook_tools.errors import WorkbookToolsError
from workbook_tools.portal import PortalStore, check_password, link_url
from workbook_tools.portal.intake import Receipt, feedback_file, original_file, receive
from workbook_tools.portal.links import LINK_PATH, Link
from workbook_tools.portal.outputs import OUTPUTS, build_outputs, output_file
from workbook_tools.portal.views import issue_links_csv, status_view, unit_history
from workbook_tools.registry import StoredSubmission, SubmissionStore
from workbook_tools.units import Unit
from workbook_tools.web.config import PortalConfig
from workbook_tools.web.security import (
    GuardMiddleware,
    LoginThrottle,
    Session,
    Sessions,
    new_csrf,
    same_secret,
)

SESSION_COOKIE = "wt_phien"
CSRF_COOKIE = "wt_csrf"
BULK_PATH = "/so/nhan-tep"

Handler = Callable[[Request], Awaitable[Response]]

HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Trang không xử lý được yêu cầu này. Hãy quay lại và làm lại."),
    404: ("Không có trang này", "Địa chỉ không đúng. Hãy kiểm tra lại đường dẫn."),
    405: ("Không có trang này", "Địa chỉ không đúng. Hãy kiểm tra lại đường dẫn."),
    413: ("Tệp quá lớn", "Yêu cầu quá lớn: hãy gửi đúng tệp biểu mẫu (khoảng 60 KB)."),
}

Refusal = Literal["csrf", "link", "unit_feedback", "so_feedback", "original", "unit", "merged"]

REFUSALS: dict[Refusal, tuple[int, str, str]] = {
    "csrf": (
        403,
        "Biểu mẫu đã hết hạn",
        "Trang này đã mở quá lâu hoặc không gửi từ cổng nộp báo cáo. Hãy tải lại trang rồi "
        "làm lại.",
    ),
    "link": (
        404,
        "Đường dẫn không dùng được",
        "Đường dẫn nộp báo cáo này không đúng, đã bị thu hồi hoặc không thuộc kỳ đang thu. "
        "Hãy liên hệ Sở Nội vụ để được cấp đường dẫn mới.",
    ),
    "unit_feedback": (
        404,
        "Không có bản góp ý",
        "Không có bản góp ý cho tệp này (tệp không có lỗi hay cảnh báo, hoặc không phải "
        "tệp của đơn vị).",
    ),
    "so_feedback": (
        404,
        "Không có bản góp ý",
        "Không có bản góp ý cho tệp này (tệp không có lỗi hay cảnh báo, hoặc không còn "
        "tệp gốc để đánh dấu).",
    ),
    "original": (404, "Không có tệp", "Không tìm thấy tệp gốc này (đã bị xóa hoặc di chuyển)."),
    "unit": (404, "Không có đơn vị", "Mã đơn vị không có trong danh sách."),
    "merged": (404, "Chưa có tệp", "Hãy bấm “Lập bản tổng hợp” trước."),
}
"""The portal's own refusals: kind → HTTP status, the page's title, what to do."""


def _package_dir(name: str) -> Path:
    return Path(str(resources.files("workbook_tools.web") / name))


def create_app(
    config: PortalConfig,
    sessions: Sessions | None = None,
    throttle: LoginThrottle | None = None,
    clock: Callable[[], datetime] | None = None,
) -> GuardMiddleware:
    """The portal as an ASGI application, wrapped in its body limits and security headers."""
    portal = Portal(config, sessions or Sessions(), throttle or LoginThrottle(), clock)
    app = Starlette(routes=portal.routes(), exception_handlers={HTTPException: portal.http_error})
    return GuardMiddleware(app, portal.body_limit)


class Portal:
    def __init__(
        self,
        config: PortalConfig,
        sessions: Sessions,
        throttle: LoginThrottle,
        clock: Callable[[], datetime] | None,
    ) -> None:
        self.config = config
        self.sessions = sessions
        self.throttle = throttle
        self.clock = clock or (lambda: datetime.now().astimezone())
        self.templates = Jinja2Templates(directory=str(_package_dir("templates")))
        self.templates.env.globals["period"] = config.period
        self.templates.env.globals["form"] = config.form

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/", self.home),
            Route(LINK_PATH + "{token}", self.unit_page, methods=["GET", "POST"]),
            Route(LINK_PATH + "{token}/gop-y/{sid:int}", self.unit_feedback),
            Route("/so/dang-nhap", self.login, methods=["GET", "POST"]),
            Route("/so/dang-xuat", self.so(self.logout), methods=["POST"]),
            Route("/so", self.so(self.status)),
            Route("/so/don-vi/{code}", self.so(self.unit_detail)),
            Route("/so/tep/{sid:int}", self.so(self.original)),
            Route("/so/gop-y/{sid:int}", self.so(self.so_feedback)),
            Route(BULK_PATH, self.so(self.bulk), methods=["GET", "POST"]),
            Route("/so/tong-hop", self.so(self.outputs), methods=["GET", "POST"]),
            Route("/so/tai/{kind}", self.so(self.download_output)),
            Route("/so/duong-dan", self.so(self.links), methods=["GET", "POST"]),
            Mount("/static", StaticFiles(directory=str(_package_dir("static"))), name="static"),
        ]

    def body_limit(self, path: str) -> int:
        if path.startswith(LINK_PATH):
            return self.config.upload_limit
        if path == BULK_PATH:
            return self.config.bulk_limit
        return self.config.form_limit

    # -- helpers -------------------------------------------------------------

    def page(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        status_code: int = 200,
        csrf: str | None = None,
    ) -> Response:
        """A rendered page; without a session, the form token lives in a cookie."""
        cookie_token = None
        if csrf is None:
            cookie_token = request.cookies.get(CSRF_COOKIE) or new_csrf()
            csrf = cookie_token
        response = self.templates.TemplateResponse(
            request, name, {**context, "csrf": csrf}, status_code=status_code
        )
        if cookie_token is not None and request.cookies.get(CSRF_COOKIE) != cookie_token:
            response.set_cookie(CSRF_COOKIE, cookie_token, httponly=True, samesite="strict")
        return response

    async def http_error(self, request: Request, exc: Exception) -> Response:
        """Starlette's refusals (no such page, wrong method, too large) as Vietnamese pages."""
        code = exc.status_code if isinstance(exc, HTTPException) else 500
        title, message = HTTP_ERRORS.get(code, HTTP_ERRORS[400])
        return self.error(request, code, title, message)

    def refuse(self, request: Request, kind: Refusal) -> Response:
        return self.error(request, *REFUSALS[kind])

    def error(self, request: Request, status_code: int, title: str, message: str) -> Response:
        return self.page(
            request, "error.html", {"title": title, "message": message}, status_code=status_code
        )

    async def read_form(self, request: Request, max_files: int = 0) -> FormData:
        return await request.form(max_files=max_files, max_fields=20, max_part_size=64 * 1024)

    def session_of(self, request: Request) -> Session | None:
        return self.sessions.get(request.cookies.get(SESSION_COOKIE))

    def so(self, handler: Callable[[Request, Session], Awaitable[Response]]) -> Handler:
        """A Sở page: redirect to the login without a live session."""

        async def guarded(request: Request) -> Response:
            session = self.session_of(request)
            if session is None:
                return RedirectResponse("/so/dang-nhap", status_code=303)
            return await handler(request, session)

        return guarded

    def so_page(
        self, request: Request, session: Session, name: str, context: dict[str, Any]
    ) -> Response:
        return self.page(request, name, context, csrf=session.csrf)

    def find_link(self, token: str) -> Link | None:
        with PortalStore.open(self.config.db_path) as store:
            link = store.find(token)
        if link is None:
            return None
        if link.form_id != self.config.form.id or link.period != self.config.period.code:
            return None
        return link

    async def take(
        self, upload: UploadFile, link: Link | None, now: datetime, sent_at: datetime | None = None
    ) -> tuple[Receipt | None, str]:
        """Receive one uploaded file (for ``link``'s unit, or any unit); the receipt, or why not."""
        data = await upload.read()
        unit = link.unit_code if link is not None else None
        expect = Expectation(self.config.form, self.config.period, unit, self.config.registry)
        try:
            receipt = await run_in_threadpool(
                receive,
                self.config.db_path,
                data,
                upload.filename,
                expect,
                now,
                link,
                self.config.limits,
                sent_at,
            )
        except WorkbookToolsError as exc:  # said in words the sender can act on
            return None, str(exc)
        return receipt, ""

    # -- units ---------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/so", status_code=303)

    async def unit_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        link = await run_in_threadpool(self.find_link, token)
        if link is None:
            return self.refuse(request, "link")
        receipt: Receipt | None = None
        problem = ""
        status_code = 200
        if request.method == "POST":
            form = await self.read_form(request, max_files=1)
            if not same_secret(_text(form, "csrf"), request.cookies.get(CSRF_COOKIE)):
                return self.refuse(request, "csrf")
            upload = form.get("tep")
            if not isinstance(upload, UploadFile) or not upload.filename:
                problem = "Chưa chọn tệp: hãy kéo tệp biểu mẫu vào ô bên dưới hoặc bấm “Chọn tệp”."
                status_code = 400
            else:
                receipt, problem = await self.take(upload, link, self.clock())
                status_code = 503 if problem else 200
        history = await run_in_threadpool(unit_history, self.config.db_path, link)
        return self.page(
            request,
            "unit.html",
            {
                "link": link,
                "token": token,
                "receipt": receipt,
                "problem": problem,
                "history": history,
                "deadline": self.config.deadline,
            },
            status_code=status_code,
        )

    async def unit_feedback(self, request: Request) -> Response:
        token = request.path_params["token"]
        link = await run_in_threadpool(self.find_link, token)
        if link is None:
            return self.refuse(request, "link")
        sid = int(request.path_params["sid"])
        found = await run_in_threadpool(self._feedback_of, sid, link)
        if found is None:
            return self.refuse(request, "unit_feedback")
        return _download(found)

    def _feedback_of(self, sid: int, link: Link | None) -> Path | None:
        with SubmissionStore.open(self.config.db_path) as store:
            try:
                stored = store.get(sid)
            except KeyError:
                return None
            if link is not None and (
                stored.unit_code.casefold() != link.unit_code.casefold()
                or stored.period != link.period
                or stored.form_id != link.form_id
            ):
                return None
            unit = link.unit_code if link is not None else None
            expect = Expectation(self.config.form, self.config.period, unit, self.config.registry)
            return feedback_file(self.config.db_path, store, stored, expect)

    # -- the Sở --------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        if request.method == "GET":
            return self.page(request, "login.html", {"problem": ""})
        client = request.client.host if request.client else "?"
        form = await self.read_form(request)
        if not same_secret(_text(form, "csrf"), request.cookies.get(CSRF_COOKIE)):
            return self.refuse(request, "csrf")
        wait = self.throttle.wait_seconds(client)
        if wait:
            minutes = (wait + 59) // 60
            return self.page(
                request,
                "login.html",
                {"problem": f"Đã nhập sai mật khẩu nhiều lần. Hãy thử lại sau {minutes} phút."},
                status_code=429,
            )
        password = _text(form, "mat_khau")
        stored = await run_in_threadpool(self._password_hash)
        if stored is None:
            return self.page(
                request,
                "login.html",
                {
                    "problem": "Chưa đặt mật khẩu cho cổng nộp. Trên máy chủ, hãy chạy: "
                    "workbook-tools portal password --db " + str(self.config.db_path)
                },
                status_code=403,
            )
        if not await run_in_threadpool(check_password, stored, password):
            self.throttle.failed(client)
            return self.page(
                request, "login.html", {"problem": "Mật khẩu không đúng."}, status_code=401
            )
        self.throttle.succeeded(client)
        session = self.sessions.start()
        response = RedirectResponse("/so", status_code=303)
        response.set_cookie(
            SESSION_COOKIE, session.id, httponly=True, samesite="strict", path="/so"
        )
        return response

    def _password_hash(self) -> str | None:
        with PortalStore.open(self.config.db_path) as store:
            return store.password_hash()

    async def logout(self, request: Request, session: Session) -> Response:
        form = await self.read_form(request)
        if not same_secret(_text(form, "csrf"), session.csrf):
            return self.refuse(request, "csrf")
        self.sessions.end(session.id)
        response = RedirectResponse("/so/dang-nhap", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/so")
        return response

    async def status(self, request: Request, session: Session) -> Response:
        view = request.query_params.get("loc", "")
        data = await run_in_threadpool(
            status_view,
            self.config.db_path,
            self.config.form,
            self.config.period,
            self.config.registry,
            self.config.deadline,
            view,
        )
        return self.so_page(request, session, "status.html", {"view": data})

    async def unit_detail(self, request: Request, session: Session) -> Response:
        code = request.path_params["code"]

        def history() -> list[StoredSubmission]:
            with SubmissionStore.open(self.config.db_path) as store:
                return store.history(self.config.form.id, self.config.period, code)

        unit = None
        if self.config.registry is not None and code in self.config.registry:
            unit = self.config.registry.get(code)
        return self.so_page(
            request,
            session,
            "so_unit.html",
            {"code": code, "unit": unit, "history": await run_in_threadpool(history)},
        )

    async def original(self, request: Request, session: Session) -> Response:
        sid = int(request.path_params["sid"])

        def find() -> tuple[Path, str] | None:
            with SubmissionStore.open(self.config.db_path) as store:
                try:
                    stored = store.get(sid)
                except KeyError:
                    return None
                path = original_file(store, stored)
                return None if path is None else (path, stored.file_name)

        found = await run_in_threadpool(find)
        if found is None:
            return self.refuse(request, "original")
        return _download(found[0], found[1])

    async def so_feedback(self, request: Request, session: Session) -> Response:
        found = await run_in_threadpool(self._feedback_of, int(request.path_params["sid"]), None)
        if found is None:
            return self.refuse(request, "so_feedback")
        return _download(found)

    async def bulk(self, request: Request, session: Session) -> Response:
        receipts: list[tuple[str, Receipt | None, str]] = []
        if request.method == "POST":
            form = await self.read_form(request, max_files=self.config.max_bulk_files)
            if not same_secret(_text(form, "csrf"), session.csrf):
                return self.refuse(request, "csrf")
            now = self.clock()
            sent_at, problem = _mail_day(_text(form, "ngay_nhan"), now)
            if problem:
                return self.so_page(
                    request, session, "bulk.html", {"receipts": [], "problem": problem}
                )
            for upload in form.getlist("tep"):
                if not isinstance(upload, UploadFile) or not upload.filename:
                    continue
                # a file that cannot be recorded is reported and the others go on
                taken, problem = await self.take(upload, None, now, sent_at)
                receipts.append((upload.filename, taken, problem))
        return self.so_page(request, session, "bulk.html", {"receipts": receipts, "problem": ""})

    async def outputs(self, request: Request, session: Session) -> Response:
        problem = ""
        if request.method == "POST":
            form = await self.read_form(request)
            if not same_secret(_text(form, "csrf"), session.csrf):
                return self.refuse(request, "csrf")
            try:
                await run_in_threadpool(
                    build_outputs,
                    self.config.db_path,
                    self.config.form,
                    self.config.period,
                    self.config.registry,
                )
            except WorkbookToolsError as exc:
                problem = str(exc)
        built = {
            kind: output_file(self.config.db_path, self.config.period, kind) for kind in OUTPUTS
        }
        return self.so_page(
            request,
            session,
            "outputs.html",
            {
                "built": {k: p for k, p in built.items() if p.is_file()},
                "labels": OUTPUTS,
                "problem": problem,
            },
        )

    async def download_output(self, request: Request, session: Session) -> Response:
        kind = request.path_params["kind"]
        if kind not in OUTPUTS:
            raise HTTPException(404)
        path = output_file(self.config.db_path, self.config.period, kind)
        if not path.is_file():
            return self.refuse(request, "merged")
        return _download(path)

    def _change_link(self, action: str, unit: Unit, base: str) -> tuple[str, str] | None:
        """Renew (``cap-lai``) or revoke (``thu-hoi``) a unit's link; the new link when renewed."""
        with PortalStore.open(self.config.db_path) as store:
            if action == "cap-lai":
                [issued] = store.issue(self.config.form.id, self.config.period, [unit], renew=True)
                return unit.name, link_url(base, issued.token)
            if action == "thu-hoi":
                store.revoke(self.config.form.id, self.config.period, unit.code)
        return None

    def _active_links(self) -> dict[str, Link]:
        with PortalStore.open(self.config.db_path) as store:
            return store.active_links(self.config.form.id, self.config.period)

    async def links(self, request: Request, session: Session) -> Response:
        registry = self.config.registry
        base = str(request.base_url).rstrip("/")
        renewed: tuple[str, str] | None = None
        if request.method == "POST":
            form = await self.read_form(request)
            if not same_secret(_text(form, "csrf"), session.csrf):
                return self.refuse(request, "csrf")
            action = _text(form, "viec")
            code = _text(form, "ma")
            if registry is None:
                raise HTTPException(400)
            if action == "cap":
                text = await run_in_threadpool(
                    issue_links_csv,
                    self.config.db_path,
                    self.config.form,
                    self.config.period,
                    registry,
                    base,
                )
                return Response(
                    text.encode("utf-8-sig"),
                    media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="danh-sach-gui.csv"'},
                )
            if code not in registry:
                return self.refuse(request, "unit")
            unit = registry.get(code)
            renewed = await run_in_threadpool(self._change_link, action, unit, base)
        active = await run_in_threadpool(self._active_links)
        units = list(registry) if registry is not None else []
        return self.so_page(
            request,
            session,
            "links.html",
            {
                "units": units,
                "active": {u.code: active.get(u.code.casefold()) for u in units},
                "renewed": renewed,
                "has_registry": registry is not None,
            },
        )


def _mail_day(text: str, now: datetime) -> tuple[datetime | None, str]:
    """The day the e-mails came (the date field, YYYY-MM-DD), as the start of that local day;
    none given: None. A day after today is refused."""
    if not text.strip():
        return None, ""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None, f"Ngày nhận “{text}” không hợp lệ: hãy chọn ngày trong ô lịch."
    if day > now.date():
        return None, "Ngày nhận thư không thể sau hôm nay."
    return datetime.combine(day, time(0, 0)).astimezone(now.tzinfo), ""


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _download(path: Path, shown_name: str | None = None) -> FileResponse:
    """A file as an attachment; the name offered is ours (or the stored display name), quoted."""
    name = shown_name or path.name
    fallback = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in name)
    return FileResponse(
        path,
        headers={
            "content-disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
        },
    )
