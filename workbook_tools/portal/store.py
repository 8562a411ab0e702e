"""The portal's tables, in the registry's SQLite file.

Opening a :class:`PortalStore` first opens the registry itself
(:meth:`SubmissionStore.open`: schema created or checked), then adds the
portal's tables when missing. Every write is one ``BEGIN IMMEDIATE``
transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from workbook_tools.errors import WorkbookToolsError
from workbook_tools.periods import Period
from workbook_tools.portal.links import IssuedLink, Link, new_token, same_hash, token_hash
from workbook_tools.registry import SubmissionStore
from workbook_tools.registry.codec import period_code
from workbook_tools.registry.connection import SqliteStore, connect, run_script, transaction
from workbook_tools.units import Unit

SO_ACCOUNT = "so"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS portal_links (
    id          INTEGER PRIMARY KEY,
    form_id     TEXT NOT NULL,
    period      TEXT NOT NULL,
    unit_code   TEXT NOT NULL COLLATE NOCASE,
    unit_name   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,        -- SHA-256 of the token, never the token itself
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS portal_links_one_active
    ON portal_links (form_id, period, unit_code) WHERE revoked_at IS NULL;
CREATE TABLE IF NOT EXISTS portal_accounts (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
"""

_LINK_COLUMNS = "id, form_id, period, unit_code, unit_name, created_at, revoked_at"


class PortalError(WorkbookToolsError):
    """The portal's tables cannot be used."""


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _link(row: Sequence[Any]) -> Link:
    lid, form_id, period, code, name, created, revoked = row
    return Link(
        int(lid),
        form_id,
        period,
        code,
        name,
        datetime.fromisoformat(created),
        None if revoked is None else datetime.fromisoformat(revoked),
    )


class PortalStore(SqliteStore):
    """The portal's side of the registry; one object is one connection (one per thread)."""

    @classmethod
    def open(cls, db_path: str | os.PathLike[str]) -> PortalStore:
        path = Path(db_path)
        SubmissionStore.open(path).close()  # creates or checks the registry's own schema
        connection = None
        try:
            connection = connect(path)
            with transaction(connection):
                run_script(connection, _SCHEMA)
        except sqlite3.Error as exc:
            if connection is not None:
                connection.close()
            raise PortalError(
                f"Không mở được các bảng của cổng nộp trong {path} ({exc}). Hãy kiểm tra quyền "
                "ghi thư mục chứa cơ sở dữ liệu."
            ) from exc
        return cls(path, connection)

    def _write(self, statements: Iterable[tuple[str, Sequence[Any]]]) -> list[int]:
        """Run ``statements`` in one transaction; the last row ids."""
        with self._transaction() as db:
            return [int(db.execute(sql, params).lastrowid or 0) for sql, params in statements]

    # -- links ---------------------------------------------------------------

    def links(self, form_id: str, period: str | Period) -> list[Link]:
        """Every link of this form and period, active or revoked, by unit then age."""
        rows = self._db.execute(
            f"SELECT {_LINK_COLUMNS} FROM portal_links WHERE form_id = ? AND period = ? "
            "ORDER BY unit_code, id",
            (form_id, period_code(period)),
        ).fetchall()
        return [_link(r) for r in rows]

    def active_links(self, form_id: str, period: str | Period) -> dict[str, Link]:
        """Unit code (case-folded) → its active link."""
        return {
            link.unit_code.casefold(): link for link in self.links(form_id, period) if link.active
        }

    def issue(
        self, form_id: str, period: str | Period, units: Iterable[Unit], *, renew: bool = False
    ) -> list[IssuedLink]:
        """A new link for each unit that never had one (``renew``: for each unit, revoking its
        active link if any). A unit whose link was revoked gets none until renewed.

        One transaction: either every unit gets its link or none does.
        """
        code = period_code(period)
        known = self.links(form_id, code)
        active = {link.unit_code.casefold(): link for link in known if link.active}
        ever = {link.unit_code.casefold() for link in known}
        now = _now()
        todo: list[tuple[Unit, str]] = []
        statements: list[tuple[str, Sequence[Any]]] = []
        for unit in units:
            old = active.get(unit.code.casefold())
            if not renew and unit.code.casefold() in ever:
                continue
            if old is not None:
                statements.append(
                    ("UPDATE portal_links SET revoked_at = ? WHERE id = ?", (now, old.id))
                )
            token = new_token()
            todo.append((unit, token))
            statements.append(
                (
                    "INSERT INTO portal_links (form_id, period, unit_code, unit_name, token_hash, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (form_id, code, unit.code, unit.name, token_hash(token), now),
                )
            )
        ids = [i for i, (sql, _) in zip(self._write(statements), statements, strict=True)
               if sql.startswith("INSERT")]  # fmt: skip
        created = datetime.fromisoformat(now)
        return [
            IssuedLink(Link(lid, form_id, code, unit.code, unit.name, created, None), token)
            for lid, (unit, token) in zip(ids, todo, strict=True)
        ]

    def revoke(self, form_id: str, period: str | Period, unit_code: str) -> bool:
        """Revoke the unit's active link; False when it had none."""
        link = self.active_links(form_id, period).get(unit_code.casefold())
        if link is None:
            return False
        self._write([("UPDATE portal_links SET revoked_at = ? WHERE id = ?", (_now(), link.id))])
        return True

    def find(self, token: str) -> Link | None:
        """The active link whose token this is, or None (unknown or revoked)."""
        wanted = token_hash(token)
        row = self._db.execute(
            f"SELECT {_LINK_COLUMNS}, token_hash FROM portal_links WHERE token_hash = ?",
            (wanted,),
        ).fetchone()
        if row is None or not same_hash(row[-1], wanted):
            return None
        link = _link(row[:-1])
        return link if link.active else None

    # -- the Sở's password ---------------------------------------------------

    def set_password_hash(self, encoded: str) -> None:
        self._write(
            [
                (
                    "INSERT INTO portal_accounts (name, password_hash, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, "
                    "updated_at = excluded.updated_at",
                    (SO_ACCOUNT, encoded, _now()),
                )
            ]
        )

    def password_hash(self) -> str | None:
        row = self._db.execute(
            "SELECT password_hash FROM portal_accounts WHERE name = ?", (SO_ACCOUNT,)
        ).fetchone()
        return None if row is None else str(row[0])
