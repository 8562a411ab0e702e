"""The submission registry: received files, checked, recorded, followed up.

:mod:`store` keeps every received file (SQLite, one transaction per file),
:mod:`collect` finds, checks and records files from an inbox, and :mod:`status`
says which units have reported, late, with errors only, or not at all.
"""

from workbook_tools.registry.archive import ArchiveError, archive_copy
from workbook_tools.registry.collect import (
    OUTCOME_LABELS,
    OUTCOMES,
    CollectEntry,
    CollectReport,
    Outcome,
    collect,
    collect_one,
)
from workbook_tools.registry.faults import StoreError
from workbook_tools.registry.status import (
    HEADERS,
    StatusReport,
    StatusTotals,
    UnitStatus,
    action_line,
    status_report,
    status_rows,
    summary_lines,
    write_status_xlsx,
)
from workbook_tools.registry.store import (
    ARCHIVE_DIR_NAME,
    DEFAULT_DB_NAME,
    SCHEMA_VERSION,
    RecordOutcome,
    StoredSubmission,
    SubmissionStore,
    file_time,
)

__all__ = [
    "ARCHIVE_DIR_NAME",
    "DEFAULT_DB_NAME",
    "HEADERS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "SCHEMA_VERSION",
    "ArchiveError",
    "CollectEntry",
    "CollectReport",
    "Outcome",
    "RecordOutcome",
    "StatusReport",
    "StatusTotals",
    "StoreError",
    "StoredSubmission",
    "SubmissionStore",
    "UnitStatus",
    "action_line",
    "archive_copy",
    "collect",
    "collect_one",
    "file_time",
    "status_report",
    "status_rows",
    "summary_lines",
    "write_status_xlsx",
]
