"""The portal in a real browser: Debian's chromium and chromedriver, driven by Selenium.

The server is the real one (uvicorn) on 127.0.0.1 and a free port. A unit uploads
a file with an error through the file input, reads the finding, downloads the
feedback copy, uploads the corrected file and sees HỢP LỆ; the Sở logs in and
sees the unit's file accepted and on time. Screenshots of both pages are kept in
``$WORKBOOK_TOOLS_SCREENSHOTS`` (or the test's temporary folder).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import uvicorn
from portal_support import PASSWORD, Portal, make_portal, unit_return

from workbook_tools.web.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REQUIRE_BROWSER = os.environ.get("WORKBOOK_TOOLS_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser_paths() -> tuple[str, str]:
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        message = "chromium and chromium-driver (Debian packages) are not installed"
        if REQUIRE_BROWSER:
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM, CHROMEDRIVER


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Portal, str]]:
    portal = make_portal(tmp_path / "so")
    portal.config = replace(portal.config, deadline=date.today() + timedelta(days=30))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(portal.config), log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    ready = threading.Event()
    while not server.started and thread.is_alive():
        ready.wait(0.05)
    assert server.started, "the portal did not start"
    try:
        yield portal, f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture
def driver(browser_paths: tuple[str, str], tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "tai-ve"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = browser_paths[0]
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    browser = webdriver.Chrome(service=Service(browser_paths[1]), options=options)
    browser.implicitly_wait(0)
    browser.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield browser
    finally:
        browser.quit()


def screenshots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("WORKBOOK_TOOLS_SCREENSHOTS") or tmp_path / "anh")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_unit_uploads_fixes_and_the_so_sees_it(
    served: tuple[Portal, str], driver: object, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.wait import WebDriverWait

    assert isinstance(driver, WebDriver)
    portal, base = served
    wait = WebDriverWait(driver, 60)
    unit = portal.unit("XA_AN")
    wrong = tmp_path / "an-phu_lan-1.xlsx"
    wrong.write_bytes(unit_return(unit, error=True))
    fixed = tmp_path / "an-phu_lan-2.xlsx"
    fixed.write_bytes(unit_return(unit))
    shots = screenshots_dir(tmp_path)

    driver.get(f"{base}/nop/{portal.tokens['XA_AN']}")
    assert "UBND xã An Phú" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.ID, "tep").send_keys(str(wrong))
    driver.find_element(By.ID, "gui").click()
    verdict = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "h2.verdict")))
    assert verdict.text == "CÓ LỖI — CHƯA ĐẠT"
    cells = [td.text for td in driver.find_elements(By.CSS_SELECTOR, "#ket-qua tr.err td")]
    assert "Lỗi" in cells and any(c for c in cells[2:4])  # sheet and cell named
    driver.save_screenshot(str(shots / "don-vi-co-loi.png"))

    driver.find_element(By.PARTIAL_LINK_TEXT, "Tải bản góp ý").click()
    wait.until(lambda _: any(p.name.endswith("_can-sua.xlsx") for p in driver.downloads.iterdir()))  # type: ignore[attr-defined]
    [copy] = [p for p in driver.downloads.iterdir() if p.name.endswith("_can-sua.xlsx")]  # type: ignore[attr-defined]
    assert copy.read_bytes()[:2] == b"PK"

    driver.find_element(By.ID, "tep").send_keys(str(fixed))
    driver.find_element(By.ID, "gui").click()
    wait.until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, "h2.verdict"), "HỢP LỆ"))
    assert driver.find_element(By.CSS_SELECTOR, "h2.verdict").text == "HỢP LỆ"
    driver.save_screenshot(str(shots / "don-vi-hop-le.png"))

    driver.get(f"{base}/so")
    password = wait.until(ec.presence_of_element_located((By.ID, "mat_khau")))
    password.send_keys(PASSWORD)
    password.submit()
    wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "table.grid")))
    rows = {
        r.find_elements(By.TAG_NAME, "td")[1].text: r.text
        for r in driver.find_elements(By.CSS_SELECTOR, "table.grid tbody tr")
    }
    assert "Đã nhận, hợp lệ" in rows["XA_AN"]  # accepted, on time
    assert "Chưa gửi" in rows["SO_TC"]
    driver.save_screenshot(str(shots / "so-tinh-hinh.png"))
