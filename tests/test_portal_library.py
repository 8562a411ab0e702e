"""The portal's library: links (hashed, revocable, renewable), the password, one upload."""

from __future__ import annotations

import errno
import hashlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from portal_support import PASSWORD, Portal, make_portal, unit_return

from workbook_tools.checks import Expectation, check_file
from workbook_tools.portal import PortalStore, check_password, hash_password, receive
from workbook_tools.portal.accounts import PasswordError
from workbook_tools.portal.intake import IntakeError, display_name, feedback_file, kept_suffix
from workbook_tools.portal.links import Link
from workbook_tools.registry import SubmissionStore

NOW = datetime(2025, 6, 18, 9, 30, tzinfo=timezone(timedelta(hours=7)))


def test_links_are_stored_hashed_only(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    token = portal.tokens["XA_AN"]
    assert len(token) >= 43  # 256 bits, URL-safe
    with sqlite3.connect(portal.db) as db:
        stored = [r[0] for r in db.execute("SELECT token_hash FROM portal_links")]
        dump = "\n".join(db.iterdump())
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    assert all(t not in dump for t in portal.tokens.values())


def test_find_revoke_renew(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    form, period = portal.config.form.id, portal.config.period
    with PortalStore.open(portal.db) as store:
        assert store.find(portal.tokens["XA_AN"]).unit_code == "XA_AN"  # type: ignore[union-attr]
        token = portal.tokens["XA_AN"]
        other = ("y" if token[0] == "x" else "x") + token[1:]  # one character changed
        assert store.find(other) is None
        assert store.revoke(form, period, "xa_an")
        assert store.find(portal.tokens["XA_AN"]) is None
        # a revoked unit gets no new link unless renewed
        assert store.issue(form, period, [portal.unit("XA_AN")]) == []
        renewed = store.issue(form, period, [portal.unit("XA_BINH")], renew=True)
        assert store.find(portal.tokens["XA_BINH"]) is None
        assert store.find(renewed[0].token).unit_code == "XA_BINH"  # type: ignore[union-attr]


def test_password_is_an_argon2id_hash(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    with PortalStore.open(portal.db) as store:
        stored = store.password_hash()
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert check_password(stored, PASSWORD)
    assert not check_password(stored, PASSWORD + "x")
    assert not check_password("not a hash", PASSWORD)
    with pytest.raises(PasswordError):
        hash_password("ngan")


@given(st.text(max_size=300))
def test_display_name_never_carries_a_folder(name: str) -> None:
    shown = display_name(name)
    assert "/" not in shown and "\\" not in shown
    assert 0 < len(shown) <= 120
    assert all(c.isprintable() for c in shown)


def test_kept_suffix_comes_from_a_fixed_table() -> None:
    assert kept_suffix("bao-cao.XLSX") == ".xlsx"
    assert kept_suffix("../../etc/passwd") == ".bin"
    assert kept_suffix("a.xlsx/..") == ".bin"
    assert kept_suffix("x.php") == ".bin"


def test_receive_records_with_server_time_under_the_link_unit(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    with PortalStore.open(portal.db) as store:
        link = store.find(portal.tokens["XA_AN"])
    assert link is not None
    expect = Expectation(portal.config.form, portal.config.period, "XA_AN", portal.registry)
    # another unit's file sent through XA_AN's link: rejected, recorded as XA_AN's
    other = receive(portal.db, unit_return(portal.unit("XA_BINH")), "b.xlsx", expect, NOW, link)
    assert not other.accepted
    assert "unit-unexpected" in [f.code for f in other.findings]
    data = unit_return(portal.unit("XA_AN"))
    good = receive(portal.db, data, "a.xlsx", expect, NOW, link)
    assert good.accepted and not good.duplicate
    again = receive(portal.db, data, "a2.xlsx", expect, NOW + timedelta(hours=1), link)
    assert again.duplicate and again.submission_id == good.submission_id
    with SubmissionStore.open(portal.db) as store:
        history = store.history("dvcq", "2025-H1", "XA_AN")
        assert [s.status for s in history] == ["rejected", "accepted"]
        assert store.history("dvcq", "2025-H1", "XA_BINH") == []
        assert history[1].received_at == NOW
        assert history[1].first_seen_at == NOW  # the Sở's receipt time: the server's clock
        assert history[1].file_name == "a.xlsx"
        kept = Path(history[1].source_path)
        assert kept.parent.name == good_sha(portal.db, good.submission_id)
        assert kept.name == "ubnd-xa-an-phu_2025-h1.xlsx"


def good_sha(db: Path, sid: int) -> str:
    with SubmissionStore.open(db) as store:
        return store.get(sid).sha256


def _link(portal: Portal, code: str) -> Link:
    with PortalStore.open(portal.db) as store:
        link = store.find(portal.tokens[code])
    assert link is not None
    return link


def _expect(portal: Portal, code: str) -> Expectation:
    return Expectation(portal.config.form, portal.config.period, code, portal.registry)


def test_two_uploads_for_one_unit_at_once_are_both_recorded_one_current(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    link = _link(portal, "XA_AN")
    files = [unit_return(portal.unit("XA_AN"), seed=k) for k in range(2)]
    with ThreadPoolExecutor(2) as pool:
        receipts = list(
            pool.map(
                lambda k: receive(
                    portal.db, files[k], f"{k}.xlsx", _expect(portal, "XA_AN"),
                    NOW + timedelta(seconds=k), link,
                ),
                range(2),
            )
        )  # fmt: skip
    assert all(r.accepted and not r.duplicate for r in receipts)
    with SubmissionStore.open(portal.db) as store:
        history = store.history("dvcq", "2025-H1", "XA_AN")
        assert len(history) == 2
        [current] = store.current("dvcq", "2025-H1")
    assert current.file_name == "1.xlsx"  # the later receipt time wins, whatever the order


def test_a_full_disk_while_keeping_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = make_portal(tmp_path)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("workbook_tools.portal.intake.os.fsync", full)
    with pytest.raises(IntakeError, match="CHƯA được ghi nhận"):
        receive(portal.db, unit_return(portal.unit("XA_AN")), "a.xlsx", _expect(portal, "XA_AN"),
                NOW, _link(portal, "XA_AN"))  # fmt: skip
    with SubmissionStore.open(portal.db) as store:
        assert list(store.iter_all()) == []
    incoming = portal.db.parent / "portal" / "incoming"
    assert not [p for p in incoming.rglob("*") if p.is_file()]  # no half-written file left


def test_a_full_disk_while_recording_records_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = make_portal(tmp_path)

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(SubmissionStore, "_insert_details", full)
    with pytest.raises(IntakeError, match="CHƯA được ghi nhận"):
        receive(portal.db, unit_return(portal.unit("XA_AN")), "a.xlsx", _expect(portal, "XA_AN"),
                NOW, _link(portal, "XA_AN"))  # fmt: skip
    with SubmissionStore.open(portal.db) as store:
        assert list(store.iter_all()) == []


def test_a_failed_feedback_copy_is_made_again_when_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = make_portal(tmp_path)

    def broken(sub: object, folder: Path) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("workbook_tools.portal.intake.write_feedback", broken)
        receipt = receive(
            portal.db, unit_return(portal.unit("XA_AN"), error=True), "a.xlsx",
            _expect(portal, "XA_AN"), NOW, _link(portal, "XA_AN"),
        )  # fmt: skip
    assert not receipt.accepted
    with SubmissionStore.open(portal.db) as store:
        stored = store.get(receipt.submission_id)
        copy = feedback_file(portal.db, store, stored, _expect(portal, "XA_AN"))
    assert copy is not None and copy.read_bytes()[:2] == b"PK"


def test_a_feedback_copy_for_a_file_collected_by_email(tmp_path: Path) -> None:
    portal = make_portal(tmp_path)
    inbox = tmp_path / "hop-thu"
    inbox.mkdir()
    sent = inbox / "bao-cao-an-phu.xlsx"
    content = unit_return(portal.unit("XA_AN"), error=True)
    sent.write_bytes(content)
    expect = _expect(portal, "XA_AN")
    with SubmissionStore.open(portal.db) as store:
        recorded = store.record(check_file(sent, expect), source_path=sent)
        stored = store.get(recorded.submission_id)
        copy = feedback_file(portal.db, store, stored, expect)
    assert copy is not None and copy.name.endswith("_can-sua.xlsx")
    assert copy.is_relative_to(portal.db.parent / "portal" / "feedback" / stored.sha256)
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames[0] == "Cần sửa"
    assert book["Số liệu"]["D45"].comment is not None  # the faulty cell is marked
    assert sent.read_bytes() == content  # the received file itself is untouched
