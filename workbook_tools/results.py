"""One report shape for every machine-readable output (``check``, ``collect``, ``status``,
``merge`` with ``--json``), after the way frictionless reports a validation.

A :class:`Report` has one :class:`Item` per file (``check``, ``collect``) or per unit
(``status``, ``merge``): its verdict, its counts of errors and warnings, its findings
and the command's own fields; then the :class:`Totals` over the items; and a top-level
``valid``, true when no item is ``invalid`` or ``missing``. ``check`` and ``collect``
exit 1 exactly when ``valid`` is false. The builders below turn each command's result
into a report; :meth:`Report.to_dict` gives the JSON-able data. The README's developer
part documents the shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from workbook_tools.catalogue import FILE_UNREADABLE
from workbook_tools.checks import Submission
from workbook_tools.findings import Finding, finding
from workbook_tools.merge import Consolidation
from workbook_tools.periods import Period
from workbook_tools.registry import CollectReport, StatusReport, SubmissionStore
from workbook_tools.registry.collect import CollectEntry, Outcome
from workbook_tools.registry.status import State, UnitStatus

Verdict = Literal["valid", "invalid", "missing", "skipped"]
"""``valid``: accepted; ``invalid``: has errors (or could not be processed); ``missing``: a
unit with no return; ``skipped``: a file already recorded, not judged again in this run."""
VERDICTS: tuple[Verdict, ...] = ("valid", "invalid", "missing", "skipped")
Kind = Literal["file", "unit"]


def _beside(common: dict[str, Any], details: Mapping[str, Any], whose: str) -> dict[str, Any]:
    """``common`` then a command's own ``details``, which may never hide a common key."""
    clash = set(common) & set(details)
    if clash:
        raise ValueError(f"details reuse the {whose}'s keys: {sorted(clash)}")
    return {**common, **details}


@dataclass(frozen=True)
class Counts:
    errors: int = 0
    warnings: int = 0

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Counts:
        found = list(findings)
        errors = sum(f.is_error for f in found)
        return cls(errors, len(found) - errors)

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Item:
    """One file or one unit: the verdict, its counts, its findings, the command's own fields.

    ``counts`` are the file's own (for a file already recorded they are those recorded,
    while ``findings`` lists only what this run found).
    """

    kind: Kind
    name: str
    verdict: Verdict
    counts: Counts
    findings: tuple[Finding, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.verdict == "valid"

    def to_dict(self) -> dict[str, Any]:
        common = {
            "kind": self.kind,
            "name": self.name,
            "verdict": self.verdict,
            "valid": self.valid,
            "counts": self.counts.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }
        return _beside(common, self.details, "item")


@dataclass(frozen=True)
class Totals:
    items: int
    valid: int
    invalid: int
    missing: int
    skipped: int
    errors: int
    warnings: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Report:
    command: str
    items: tuple[Item, ...]
    details: Mapping[str, Any] = field(default_factory=dict)

    @property
    def totals(self) -> Totals:
        verdicts = [item.verdict for item in self.items]
        return Totals(
            items=len(self.items),
            valid=verdicts.count("valid"),
            invalid=verdicts.count("invalid"),
            missing=verdicts.count("missing"),
            skipped=verdicts.count("skipped"),
            errors=sum(item.counts.errors for item in self.items),
            warnings=sum(item.counts.warnings for item in self.items),
        )

    @property
    def valid(self) -> bool:
        return not any(item.verdict in ("invalid", "missing") for item in self.items)

    def to_dict(self) -> dict[str, Any]:
        common = {
            "command": self.command,
            "valid": self.valid,
            "totals": self.totals.to_dict(),
            "items": [item.to_dict() for item in self.items],
        }
        return _beside(common, self.details, "report")

    def to_json(self) -> str:
        """The JSON text the commands print (dates as ISO text)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, default=str)


# --- check ---------------------------------------------------------------------------------


def check_report(results: Sequence[Submission], form_id: str, period: Period | None) -> Report:
    """``check --json``: one item per file, valid files too."""
    items = tuple(
        Item(
            "file",
            str(sub.path),
            "valid" if sub.accepted else "invalid",
            Counts(len(sub.errors), len(sub.warnings)),
            tuple(sub.findings),
            {
                "file": str(sub.path),
                "unit_code": sub.unit_code,
                "unit_name": sub.unit_name,
                "period": sub.period,
                "accepted": sub.accepted,
            },
        )
        for sub in results
    )
    return Report("check", items, {"form": form_id, "period": period and period.code})


# --- collect -------------------------------------------------------------------------------

_COLLECT_VERDICTS: dict[Outcome, Verdict] = {
    "new_accepted": "valid",
    "new_rejected": "invalid",
    "failed": "invalid",
    "duplicate": "skipped",
    "unchanged": "skipped",
}


def _collect_item(entry: CollectEntry) -> Item:
    findings = entry.findings
    counts = Counts(entry.error_count, entry.warning_count)
    if entry.outcome == "failed":  # its one error is why it could not be processed
        findings = (replace(finding(FILE_UNREADABLE, entry.message), file=str(entry.path)),)
        counts = Counts.of(findings)
    details = entry.to_dict()
    del details["findings"]
    return Item(
        "file", str(entry.path), _COLLECT_VERDICTS[entry.outcome], counts, findings, details
    )


def collect_report(report: CollectReport) -> Report:
    """``collect --json``: one item per file; a file already recorded is ``skipped``."""
    return Report(
        "collect",
        tuple(_collect_item(entry) for entry in report.entries),
        {
            "periods": None if report.periods is None else list(report.periods),
            "received_at": None if report.received_at is None else report.received_at.isoformat(),
            "outcomes": dict(report.totals),
        },
    )


# --- status --------------------------------------------------------------------------------

_STATE_VERDICTS: dict[State, Verdict] = {
    "accepted": "valid",
    "rejected_only": "invalid",
    "missing": "missing",
}


def status_findings(store: SubmissionStore, report: StatusReport) -> dict[str, list[Finding]]:
    """Unit code (casefolded) → the findings of the file its state rests on: the accepted
    file in use, or the latest file with errors of a unit that sent only those."""
    latest_rejected: dict[str, int] = {}
    for sub in store.all_for(report.form_id, report.period):  # by unit, then time received
        if not sub.accepted:
            latest_rejected[sub.unit_code.casefold()] = sub.id
    out: dict[str, list[Finding]] = {}
    for unit in (*report.units, *report.unexpected):
        key = unit.unit_code.casefold()
        if unit.state == "accepted" and unit.submission_id is not None:
            out[key] = store.findings(unit.submission_id)
        elif unit.state == "rejected_only" and key in latest_rejected:
            out[key] = store.findings(latest_rejected[key])
    return out


def _unit_item(unit: UnitStatus, found: Mapping[str, list[Finding]]) -> Item:
    findings = tuple(found.get(unit.unit_code.casefold(), ()))
    return Item(
        "unit",
        unit.unit_code,
        _STATE_VERDICTS[unit.state],
        Counts.of(findings),
        findings,
        unit.to_dict(),
    )


def status_report_data(report: StatusReport, found: Mapping[str, list[Finding]]) -> Report:
    """``status --json``: one item per expected unit, then per unit outside the list
    (``in_registry`` false); ``found`` is :func:`status_findings`."""
    return Report(
        "status",
        tuple(_unit_item(unit, found) for unit in (*report.units, *report.unexpected)),
        {
            "form_id": report.form_id,
            "period": report.period.code,
            "period_label": report.period.label,
            "deadline": None if report.deadline is None else report.deadline.isoformat(),
            "registry": report.registry_source,
            "states": report.totals.to_dict(),
        },
    )


# --- merge ---------------------------------------------------------------------------------


def merge_report(c: Consolidation) -> Report:
    """``merge --json``: one item per unit merged (the findings of the files used), then one
    per expected unit without an accepted return."""
    files: dict[str, set[str]] = {u.unit_code: {s.file_name for s in u.sources} for u in c.units}
    if c.status is not None:  # a unit that sent only files with errors: its latest one
        for unit in c.status.units:
            if unit.state == "rejected_only" and unit.last_rejected_file:
                files[unit.unit_code] = {unit.last_rejected_file}
    by_unit: dict[str, list[Finding]] = {}
    for unit_code, file_name, f in c.findings:
        if file_name in files.get(unit_code, ()):
            by_unit.setdefault(unit_code, []).append(f)
    items = [
        Item(
            "unit",
            u.unit_code,
            "valid",
            Counts.of(by_unit.get(u.unit_code, ())),
            tuple(by_unit.get(u.unit_code, ())),
            {
                "unit_code": u.unit_code,
                "unit_name": u.unit_name,
                "group": u.group,
                "late": u.late,
                "files": [s.file_name for s in u.sources],
                "missing_years": list(u.missing_years),
            },
        )
        for u in c.units
    ]
    if c.status is not None:
        folded = {code.casefold(): found for code, found in by_unit.items()}
        items += [_unit_item(u, folded) for u in c.status.units if u.state != "accepted"]
    else:
        items += [
            Item("unit", name, "missing", Counts(), (), {"unit_name": name})
            for name in c.completeness.missing_units
        ]
    done = c.completeness
    return Report(
        "merge",
        tuple(items),
        {
            "form": c.form.id,
            "period": c.period.code,
            "figures": c.totals,
            "units_reported": c.reported,
            "completeness": {
                "expected": done.expected,
                "accepted": done.accepted,
                "late": done.late,
                "rejected_only": done.rejected_only,
                "missing": done.missing,
                "missing_units": list(done.missing_units),
                "late_units": list(done.late_units),
            },
            "missing_years": {u.unit_code: u.missing_years for u in c.units if u.missing_years},
        },
    )
