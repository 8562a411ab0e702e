"""``workbook-tools portal password``, ``portal links`` and ``serve`` (through click's runner)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from portal_support import UNITS_CSV

from workbook_tools.cli import cli
from workbook_tools.cli.serve_cmd import is_loopback
from workbook_tools.contract.manifest import MANIFEST_NAME
from workbook_tools.portal import PortalStore, check_password
from workbook_tools.portal.links import token_hash


def run(*args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=stdin)


def rows_of(path: Path) -> dict[str, list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    return {r[0]: r for r in csv.reader(io.StringIO(text))}


@pytest.fixture
def units(tmp_path: Path) -> Path:
    path = tmp_path / "don-vi.csv"
    path.write_text(UNITS_CSV, encoding="utf-8")
    return path


def test_password_is_asked_twice_and_stored_hashed(tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite"
    result = run(
        "portal", "password", "--db", str(db), stdin="mot-mat-khau-dai\nmot-mat-khau-dai\n"
    )
    assert result.exit_code == 0, result.output
    with PortalStore.open(db) as store:
        stored = store.password_hash()
    assert stored is not None and check_password(stored, "mot-mat-khau-dai")
    assert "mot-mat-khau-dai" not in result.output


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "so.sqlite"
    result = run("portal", "password", "--db", str(db), stdin="ngan\nngan\n")
    assert result.exit_code == 1
    with PortalStore.open(db) as store:
        assert store.password_hash() is None


def test_links_written_into_the_sending_list(tmp_path: Path, units: Path) -> None:
    db, out = tmp_path / "so.sqlite", tmp_path / "gui"
    common = ("--period", "2025-H1", "--units", str(units), "--db", str(db), "--out", str(out))
    first = run("portal", "links", *common, "--base-url", "http://10.0.0.5:8000")
    assert first.exit_code == 0, first.output
    rows = rows_of(out / MANIFEST_NAME)
    assert rows["Mã đơn vị"][-1] == "Đường dẫn nộp"
    links = {code: rows[code][-1] for code in ("XA_AN", "XA_BINH", "SO_TC")}
    assert all(link.startswith("http://10.0.0.5:8000/nop/") for link in links.values())
    with PortalStore.open(db) as store:
        for code, link in links.items():
            found = store.find(link.rsplit("/", 1)[-1])
            assert found is not None and found.unit_code == code
    # written again: active links are kept, a renewed one changes, a revoked one is said so
    again = run(
        "portal", "links", *common, "--base-url", "http://10.0.0.5:8000",
        "--renew", "XA_BINH", "--revoke", "SO_TC",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    rows = rows_of(out / MANIFEST_NAME)
    assert rows["XA_AN"][-1] == links["XA_AN"]
    assert rows["XA_BINH"][-1] != links["XA_BINH"]
    assert rows["XA_BINH"][-1].startswith("http://10.0.0.5:8000/nop/")
    assert "đã thu hồi" in rows["SO_TC"][-1]
    with PortalStore.open(db) as store:
        assert store.find(links["XA_BINH"].rsplit("/", 1)[-1]) is None
        assert store.find(links["SO_TC"].rsplit("/", 1)[-1]) is None
    # only hashes are stored
    token = rows["XA_AN"][-1].rsplit("/", 1)[-1]
    assert token_hash(token) != token


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False),
     ("192.168.1.10", False)],
)  # fmt: skip
def test_loopback_hosts(host: str, local: bool) -> None:
    assert is_loopback(host) is local


def test_serve_warns_when_open_to_the_network(
    tmp_path: Path, units: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.Server.run", lambda self, *a, **k: started.append(self.config))
    db = str(tmp_path / "so.sqlite")
    base = ("serve", "--period", "2025-H1", "--units", str(units), "--db", db)
    local = CliRunner().invoke(cli, [*base])
    assert local.exit_code == 0, local.output
    assert "CẢNH BÁO" not in local.output
    assert "portal password" in local.output  # no password yet: said how to set it
    opened = CliRunner().invoke(cli, [*base, "--host", "0.0.0.0", "--port", "8123"])
    assert opened.exit_code == 0, opened.output
    assert "CẢNH BÁO" in opened.output and "0.0.0.0:8123" in opened.output
    assert [(c.host, c.port) for c in started] == [("127.0.0.1", 8000), ("0.0.0.0", 8123)]


def test_links_without_a_unit_list_take_the_generated_round(tmp_path: Path, units: Path) -> None:
    db, out = tmp_path / "so.sqlite", tmp_path / "bieu-mau"
    made = run("generate", "--period", "2025-H1", "--units", str(units), "--db", str(db),
               "--out", str(out))  # fmt: skip
    assert made.exit_code == 0, made.output
    result = run("portal", "links", "--period", "2025-H1", "--db", str(db), "--out", str(out),
                 "--base-url", "http://127.0.0.1:8000")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = rows_of(out / MANIFEST_NAME)
    assert sorted(c for c in rows if c != "Mã đơn vị") == ["SO_TC", "XA_AN", "XA_BINH"]
    assert all(rows[c][-1].startswith("http://127.0.0.1:8000/nop/") for c in ("XA_AN", "SO_TC"))
    assert rows["XA_AN"][5] == "ubnd-xa-an-phu_2025-h1.xlsx"  # the file generate wrote
    assert (out / "ubnd-xa-an-phu_2025-h1.xlsx").is_file()


def test_links_without_a_unit_list_or_a_round_say_what_to_give(tmp_path: Path) -> None:
    result = run("portal", "links", "--period", "2025-H1", "--db", str(tmp_path / "so.sqlite"),
                 "--out", str(tmp_path), "--base-url", "http://127.0.0.1:8000")  # fmt: skip
    assert result.exit_code == 1
    assert "--units" in result.output
