"""The registry's tables, their version, and the steps that bring an older file up to date."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workbook_tools.registry.codec import micros
from workbook_tools.registry.connection import run_script

SCHEMA_VERSION = 3
"""Kept in ``PRAGMA user_version``; a database from a newer tool is refused, not guessed at.
An older one is migrated in place, in one transaction, keeping every row (:data:`_MIGRATIONS`)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT    NOT NULL UNIQUE,
    file_name     TEXT    NOT NULL,
    source_path   TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    received_at   TEXT    NOT NULL,          -- ISO 8601 with offset: the file's mtime
    received_us   INTEGER NOT NULL,          -- the same instant, µs since the epoch, for ordering
    collected_at  TEXT    NOT NULL,
    unit_code     TEXT    NOT NULL COLLATE NOCASE,
    unit_name     TEXT    NOT NULL,
    form_id       TEXT    NOT NULL,
    form_version  INTEGER,
    period        TEXT    NOT NULL,
    deadline      TEXT,                      -- ISO date from the workbook, or NULL
    status        TEXT    NOT NULL CHECK (status IN ('accepted', 'rejected')),
    error_count   INTEGER NOT NULL,
    warning_count INTEGER NOT NULL,
    superseded_by INTEGER REFERENCES submissions(id),
    archive_path  TEXT,
    CHECK (status = 'accepted' OR superseded_by IS NULL)
);
CREATE INDEX IF NOT EXISTS submissions_slot ON submissions (form_id, period, unit_code);
CREATE UNIQUE INDEX IF NOT EXISTS submissions_one_current
    ON submissions (form_id, period, unit_code)
    WHERE status = 'accepted' AND superseded_by IS NULL;
CREATE TABLE IF NOT EXISTS findings (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    severity      TEXT    NOT NULL,
    file          TEXT    NOT NULL,
    unit          TEXT    NOT NULL,
    sheet         TEXT    NOT NULL,
    cell          TEXT    NOT NULL,
    indicators    TEXT    NOT NULL,          -- JSON list of codes
    message       TEXT    NOT NULL,
    PRIMARY KEY (submission_id, seq)
);
CREATE TABLE IF NOT EXISTS submission_values (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    code          TEXT    NOT NULL,
    value         TEXT    NOT NULL,          -- JSON, a date as {"$date": "YYYY-MM-DD"}
    PRIMARY KEY (submission_id, code)
);
CREATE TABLE IF NOT EXISTS table_rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
    table_code    TEXT    NOT NULL,
    row_index     INTEGER NOT NULL,
    data          TEXT    NOT NULL,          -- JSON object column → value, as above
    PRIMARY KEY (submission_id, table_code, row_index)
);
CREATE TABLE IF NOT EXISTS seen_files (
    path     TEXT    PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT    NOT NULL
);
"""

# Version 1 → 2: the Sở's receipt time, held files, the rounds and the Sở's choices.
_SCHEMA_2 = """
ALTER TABLE submissions ADD COLUMN first_seen_us INTEGER NOT NULL DEFAULT 0;  -- first collected
ALTER TABLE submissions ADD COLUMN held TEXT CHECK (held IN ('other-period', 'decided'));
ALTER TABLE submissions ADD COLUMN collected_for TEXT;  -- the round's periods, space-separated
DROP INDEX submissions_one_current;
CREATE UNIQUE INDEX submissions_one_current
    ON submissions (form_id, period, unit_code)
    WHERE status = 'accepted' AND superseded_by IS NULL AND held IS NULL;
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY,
    form_id       TEXT    NOT NULL,
    period        TEXT    NOT NULL,
    unit_code     TEXT    NOT NULL COLLATE NOCASE,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    previous_id   INTEGER REFERENCES submissions(id),
    reason        TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL
);
CREATE INDEX decisions_slot ON decisions (form_id, period, unit_code);
CREATE TABLE received_paths (
    path          TEXT    PRIMARY KEY,      -- as seen_files.path
    first_seen_us INTEGER NOT NULL          -- when collect first saw a file at this path
);
CREATE TABLE rounds (
    form_id      TEXT NOT NULL,
    period       TEXT NOT NULL,
    generated_at TEXT NOT NULL,             -- the latest generate of this period
    generated_us INTEGER NOT NULL,
    deadline     TEXT,
    units_source TEXT NOT NULL,
    PRIMARY KEY (form_id, period)
);
CREATE TABLE round_units (
    form_id    TEXT    NOT NULL,
    period     TEXT    NOT NULL,
    position   INTEGER NOT NULL,
    unit_code  TEXT    NOT NULL COLLATE NOCASE,
    unit_name  TEXT    NOT NULL,
    unit_group TEXT    NOT NULL,
    parent     TEXT,
    email      TEXT,
    PRIMARY KEY (form_id, period, unit_code)
);
"""

# Version 2 → 3 (issue 13): the Sở's approval of each return, each return's figures in a row.
_SCHEMA_3 = """
CREATE TABLE approvals (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    action        TEXT    NOT NULL CHECK (action IN
                      ('accept', 'return', 'reopen', 'lock', 'unlock')),
    state         TEXT    NOT NULL,          -- the return's approval state after it
    reason        TEXT    NOT NULL,
    decided_by    TEXT    NOT NULL,
    decided_at    TEXT    NOT NULL           -- ISO 8601 with offset
);
CREATE INDEX approvals_submission ON approvals (submission_id, id);
CREATE TABLE quality_inputs (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    form_key      TEXT    NOT NULL,          -- the form's fingerprint: which codes, in order
    vector        BLOB    NOT NULL           -- the typed-in figures, float64 (NaN: blank)
);
"""

TABLES = (
    "submissions",
    "findings",
    "submission_values",
    "table_rows",
    "seen_files",
    "decisions",
    "received_paths",
    "rounds",
    "round_units",
    "approvals",
    "quality_inputs",
)


def user_version(db: sqlite3.Connection) -> int:
    row = db.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def upgrade_schema(db: sqlite3.Connection) -> None:
    """Create the schema, or migrate an older one step by step (inside a transaction).

    The version is read again under the write lock: another process may have
    created or migrated the database meanwhile.
    """
    version = user_version(db)
    if version == 0:
        run_script(db, _SCHEMA)
        version = 1
    while version < SCHEMA_VERSION:
        _MIGRATIONS[version](db)
        version += 1
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _migrate_1_to_2(db: sqlite3.Connection) -> None:
    """Version 1 had no receipt time: a file's first collect is its ``collected_at``."""
    run_script(db, _SCHEMA_2)
    rows = db.execute("SELECT id, collected_at FROM submissions").fetchall()
    db.executemany(
        "UPDATE submissions SET first_seen_us = ? WHERE id = ?",
        [(micros(datetime.fromisoformat(at)), sid) for sid, at in rows],
    )
    db.execute(
        "INSERT INTO received_paths (path, first_seen_us) "
        "SELECT source_path, min(first_seen_us) FROM submissions GROUP BY source_path"
    )


def _migrate_2_to_3(db: sqlite3.Connection) -> None:
    """Version 2 → 3 (issue 13): the Sở's approval of each return (``registry.approval``)
    and each return's typed-in figures as one row, read fast by ``registry.quality``."""
    run_script(db, _SCHEMA_3)


_MIGRATIONS = {1: _migrate_1_to_2, 2: _migrate_2_to_3}
"""Version → the step that brings a database of that version to the next one."""
