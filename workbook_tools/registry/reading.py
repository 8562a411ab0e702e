"""Reading the registry: the recorded files, their values, rows and findings."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from workbook_tools.checks.validate import TableRow
from workbook_tools.findings import Finding
from workbook_tools.periods import Period
from workbook_tools.registry.codec import decode_values, period_code
from workbook_tools.registry.connection import SqliteStore
from workbook_tools.registry.records import COLUMNS, RECEIPT_ORDER, StoredSubmission, stored_row
from workbook_tools.registry.schema import TABLES

DEFAULT_DB_NAME = "workbook-tools.sqlite"
ARCHIVE_DIR_NAME = "archive"
PARAMS_PER_STATEMENT = 999
"""SQLite may be built with a limit of 999 parameters per statement (before 3.32)."""
_IDS_PER_QUERY = 500  # ids in one query, leaving room under the limit for its other parameters


SAVE_INPUTS = (
    "INSERT OR REPLACE INTO quality_inputs (submission_id, form_key, vector) VALUES (?, ?, ?)"
)
_FINDING_COLUMNS = "code, severity, message, file, unit, sheet, cell, indicators"


def _finding(row: Sequence[Any]) -> Finding:
    """A finding from the columns :data:`_FINDING_COLUMNS` of its row."""
    code, severity, message, file, unit, sheet, cell, codes = row
    return Finding(code, severity, message, file, unit, sheet, cell, tuple(json.loads(codes)))


K = TypeVar("K")


def id_chunks(ids: Sequence[K]) -> Iterator[list[K]]:
    """``ids`` in lists of at most :data:`_IDS_PER_QUERY`: one query's parameters each."""
    for start in range(0, len(ids), _IDS_PER_QUERY):
        yield list(ids[start : start + _IDS_PER_QUERY])


class Reading(SqliteStore):
    """What :class:`~workbook_tools.registry.store.SubmissionStore` answers about the files
    it has recorded."""

    @property
    def default_archive_dir(self) -> Path:
        """``archive`` beside the database: originals live with the record of them."""
        return self.path.parent / ARCHIVE_DIR_NAME

    def archive_file(self, sub: StoredSubmission) -> Path | None:
        """Where the archived original of ``sub`` is (None for rejected files)."""
        if sub.archive_path is None:
            return None
        stored = Path(sub.archive_path)
        return stored if stored.is_absolute() else self.path.parent / stored

    def finding_codes(self, ids: Sequence[int]) -> dict[int, list[str]]:
        """The finding codes of each submission (id → codes in order; none: absent)."""
        out: dict[int, list[str]] = {}
        for chunk in id_chunks(ids):
            for sid, code in self._db.execute(
                "SELECT submission_id, code FROM findings "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY submission_id, seq",
                chunk,
            ):
                out.setdefault(int(sid), []).append(str(code))
        return out

    def by_sha256_prefix(self, prefix: str) -> list[StoredSubmission]:
        """The files whose sha256 starts with ``prefix`` (hex digits), at most two."""
        if not all(c in "0123456789abcdef" for c in prefix):
            return []
        return self._select("sha256 >= ? AND sha256 < ?", (prefix, prefix + "g"), "id LIMIT 2")

    def _select(self, where: str, params: Sequence[Any], order: str) -> list[StoredSubmission]:
        rows = self._db.execute(
            f"SELECT {COLUMNS} FROM submissions WHERE {where} ORDER BY {order}", params
        ).fetchall()
        return [stored_row(r) for r in rows]

    def get(self, submission_id: int) -> StoredSubmission:
        found = self._select("id = ?", (submission_id,), "id")
        if not found:
            raise KeyError(submission_id)
        return found[0]

    def get_many(self, ids: Sequence[int]) -> list[StoredSubmission]:
        """:meth:`get` of many submissions, in id order (unknown ids left out)."""
        found: list[StoredSubmission] = []
        for chunk in id_chunks(ids):
            found += self._select(f"id IN ({','.join('?' * len(chunk))})", chunk, "id")
        return sorted(found, key=lambda s: s.id)

    def by_sha256(self, sha256: str) -> StoredSubmission | None:
        found = self._select("sha256 = ?", (sha256,), "id")
        return found[0] if found else None

    def current(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """The submission of each unit a merge uses: the only input of a merge.

        The accepted, not superseded, not held one, unless the Sở decided otherwise
        on a return (:mod:`workbook_tools.registry.approval`): a locked return stays
        the unit's until unlocked, even when a newer file came; a return sent back
        for correction is used by no merge.
        """
        code = period_code(period)
        found = self._select(
            "form_id = ? AND period = ? AND status = 'accepted' AND superseded_by IS NULL "
            "AND held IS NULL",
            (form_id, code),
            "unit_code, id",
        )
        decided = self._db.execute(
            "SELECT s.id, s.unit_code, d.state FROM submissions s JOIN approvals d "
            "ON d.submission_id = s.id WHERE s.form_id = ? AND s.period = ? "
            "AND d.id = (SELECT max(id) FROM approvals WHERE submission_id = s.id) ORDER BY d.id",
            (form_id, code),
        ).fetchall()
        if not decided:
            return found
        by_unit = {s.unit_code.casefold(): s for s in found}
        for sid, unit, state in decided:
            if state == "locked":
                by_unit[str(unit).casefold()] = self.get(int(sid))
        returned = {int(sid) for sid, _, state in decided if state == "returned"}
        kept = [s for s in by_unit.values() if s.id not in returned]
        return sorted(kept, key=lambda s: (s.unit_code, s.id))

    def current_inputs(
        self, form_id: str
    ) -> list[tuple[int, str, str, str, str | None, bytes | None]]:
        """(id, unit code, unit name, period, form key, vector) of every current return
        of the form (accepted, not superseded), for the data-quality comparison; the last two
        None when not yet saved (:meth:`save_inputs`)."""
        return [
            (int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4], r[5])
            for r in self._db.execute(
                "SELECT s.id, s.unit_code, s.unit_name, s.period, q.form_key, q.vector "
                "FROM submissions s LEFT JOIN quality_inputs q ON q.submission_id = s.id "
                "WHERE s.form_id = ? AND s.status = 'accepted' AND s.superseded_by IS NULL "
                "ORDER BY s.period, s.unit_code, s.id",
                (form_id,),
            )
        ]

    def numbers_of(self, ids: Sequence[int], codes: Sequence[str]) -> dict[int, dict[str, Any]]:
        """The values of ``codes`` only (id → code → value), for :meth:`save_inputs`."""
        out: dict[int, dict[str, Any]] = {}
        marks = ",".join("?" * len(codes))
        for chunk in id_chunks(ids):
            found = self._db.execute(
                "SELECT submission_id, code, value FROM submission_values "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) AND code IN ({marks})",
                [*chunk, *codes],
            ).fetchall()
            for (sid, code, _), value in zip(
                found, decode_values([r[2] for r in found]), strict=True
            ):
                out.setdefault(int(sid), {})[code] = value
        return out

    def save_inputs(self, rows: Sequence[tuple[int, str, bytes]]) -> None:
        """Keep (id, form key, vector) of returns: a derived copy, replaced freely."""
        with self._transaction() as db:
            db.executemany(SAVE_INPUTS, rows)

    def current_all(self, form_id: str) -> list[StoredSubmission]:
        """:meth:`current` of every period of the form: the history units are compared with."""
        return self._select(
            "form_id = ? AND status = 'accepted' AND superseded_by IS NULL",
            (form_id,),
            "period, unit_code, id",
        )

    def all_for(self, form_id: str, period: str | Period) -> list[StoredSubmission]:
        """Every recorded file of this form and period, by unit then time received."""
        return self._select(
            "form_id = ? AND period = ?",
            (form_id, period_code(period)),
            "unit_code, " + RECEIPT_ORDER,
        )

    def history(self, form_id: str, period: str | Period, unit_code: str) -> list[StoredSubmission]:
        """One unit's files for this form and period, oldest first."""
        return self._select(
            "form_id = ? AND period = ? AND unit_code = ?",
            (form_id, period_code(period), unit_code),
            RECEIPT_ORDER,
        )

    def values(self, submission_id: int) -> dict[str, Any]:
        return self.values_of([submission_id]).get(submission_id, {})

    def rows(self, submission_id: int) -> list[TableRow]:
        return self.rows_of([submission_id]).get(submission_id, [])

    def values_of(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """:meth:`values` of many submissions (id → values; none recorded: absent), in few queries.

        A merge reads ~3·10⁵ values: they are taken column by column as the query yields
        them, not kept as a row tuple each (which costs the garbage collector a pass
        over all of them, several times), and decoded in one JSON parse per chunk.
        """
        out: dict[int, dict[str, Any]] = {}
        for chunk in id_chunks(ids):
            sids: list[int] = []
            codes: list[str] = []
            texts: list[str] = []
            for sid, code, text in self._db.execute(
                "SELECT submission_id, code, value FROM submission_values "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY submission_id, seq",
                chunk,
            ):
                sids.append(sid)
                codes.append(code)
                texts.append(text)
            for sid, code, value in zip(sids, codes, decode_values(texts), strict=True):
                out.setdefault(int(sid), {})[code] = value
        return out

    def rows_of(self, ids: Sequence[int]) -> dict[int, list[TableRow]]:
        """:meth:`rows` of many submissions (id → rows; none recorded: absent), in few queries."""
        out: dict[int, list[TableRow]] = {}
        for sid, table, index, data in self._details(
            "table_code, row_index, data", "table_rows", "table_code, row_index", ids
        ):
            out.setdefault(sid, []).append(TableRow(table, int(index), data))
        return out

    def _details(
        self, columns: str, table: str, order: str, ids: Sequence[int]
    ) -> Iterator[tuple[Any, ...]]:
        """(submission id, *columns) of ``table`` for ``ids``; the last column JSON-decoded.

        A query and a decoding per chunk of ids: memory stays that of one chunk's rows.
        """
        for chunk in id_chunks(ids):
            found = self._db.execute(
                f"SELECT submission_id, {columns} FROM {table} "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) "
                f"ORDER BY submission_id, {order}",
                chunk,
            ).fetchall()
            decoded = decode_values([r[-1] for r in found])
            for r, v in zip(found, decoded, strict=True):
                yield (int(r[0]), *r[1:-1], v)

    def findings(self, submission_id: int) -> list[Finding]:
        return self.findings_of([submission_id]).get(submission_id, [])

    def findings_of(self, ids: Sequence[int]) -> dict[int, list[Finding]]:
        """:meth:`findings` of many submissions (id → findings in order; none: absent)."""
        out: dict[int, list[Finding]] = {}
        for chunk in id_chunks(ids):
            for sid, *row in self._db.execute(
                f"SELECT submission_id, {_FINDING_COLUMNS} FROM findings "
                f"WHERE submission_id IN ({','.join('?' * len(chunk))}) ORDER BY submission_id, seq",
                chunk,
            ):
                out.setdefault(int(sid), []).append(_finding(row))
        return out

    def period_findings(self, form_id: str, period: str | Period) -> list[tuple[str, str, Finding]]:
        """(unit code, file name, finding) of every file of this form and period, rejected and
        accepted, by unit then time received (as :meth:`all_for`): one query."""
        return [
            (str(unit), str(file_name), _finding(row))
            for unit, file_name, *row in self._db.execute(
                f"SELECT s.unit_code, s.file_name, {_FINDING_COLUMNS} FROM submissions s "
                "JOIN findings ON findings.submission_id = s.id WHERE s.form_id = ? AND "
                f"s.period = ? ORDER BY s.unit_code, {RECEIPT_ORDER}, findings.seq",
                (form_id, period_code(period)),
            )
        ]

    def table_counts(self) -> dict[str, int]:
        """Rows per table: for diagnostics, and to prove a re-run changed nothing."""
        return {
            table: int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in TABLES
        }

    def iter_all(self) -> Iterator[StoredSubmission]:
        """Every recorded file, in the order recorded."""
        yield from self._select("1 = 1", (), "id")
