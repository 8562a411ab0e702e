"""What the portal's pages show, as data: the status table filtered, a unit's files, the links."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from workbook_tools.contract import Request
from workbook_tools.form import Form
from workbook_tools.periods import Period
from workbook_tools.portal.links import Link, link_url
from workbook_tools.portal.manifest import manifest_text
from workbook_tools.portal.store import PortalStore
from workbook_tools.registry import (
    StatusReport,
    StatusTotals,
    StoredSubmission,
    SubmissionStore,
    UnitStatus,
    status_report,
)
from workbook_tools.units import UnitRegistry
from workbook_tools.writer.writer import file_names

FILTERS: dict[str, str] = {
    "": "Tất cả",
    "da-nop": "Đã nộp hợp lệ",
    "muon": "Gửi muộn",
    "chua-gui": "Chưa gửi",
    "can-xem": "Cần xem lại",
}
"""The status page's filters (query ``?loc=``): code → label."""


def _keep(unit: UnitStatus, view: str) -> bool:
    if view == "da-nop":
        return unit.state == "accepted"
    if view == "muon":
        return unit.state == "accepted" and unit.late
    if view == "chua-gui":
        return unit.state == "missing"
    if view == "can-xem":
        return unit.state == "rejected_only" or not unit.in_registry
    return True


@dataclass(frozen=True)
class StatusView:
    report: StatusReport
    view: str
    units: tuple[UnitStatus, ...]
    counts: Mapping[str, int]

    @property
    def totals(self) -> StatusTotals:
        return self.report.totals

    @property
    def filters(self) -> Mapping[str, str]:
        return FILTERS


def status_view(
    db_path: str | os.PathLike[str],
    form: Form,
    period: Period,
    registry: UnitRegistry | None,
    deadline: date | None,
    view: str,
) -> StatusView:
    """The follow-up list, only the units of filter ``view`` (unknown filter: all)."""
    with SubmissionStore.open(db_path) as store:
        report = status_report(store, form.id, period, registry, deadline)
    chosen = view if view in FILTERS else ""
    everyone = (*report.units, *report.unexpected)
    counts = {code: sum(_keep(u, code) for u in everyone) for code in FILTERS}
    return StatusView(report, chosen, tuple(u for u in everyone if _keep(u, chosen)), counts)


def unit_history(db_path: str | os.PathLike[str], link: Link) -> list[StoredSubmission]:
    """The files of the link's unit for its form and period, newest first: all a unit sees."""
    with SubmissionStore.open(db_path) as store:
        return list(reversed(store.history(link.form_id, link.period, link.unit_code)))


def issue_links_csv(
    db_path: str | os.PathLike[str],
    form: Form,
    period: Period,
    registry: UnitRegistry,
    base_url: str,
    earlier: Mapping[str, str] | None = None,
    renew: Sequence[str] = (),
) -> str:
    """Issue a link to every unit that never had one (and a new one to each unit of ``renew``);
    the sending list with the links.

    ``earlier``: unit code (case-folded) → the link in a list written before (kept
    while still active: a token is only in clear when issued). A revoked link is
    not replaced unless renewed.
    """
    units = list(registry)
    with PortalStore.open(db_path) as store:
        issued = store.issue(form.id, period, registry.select(renew), renew=True) if renew else []
        issued += store.issue(form.id, period, units)
        active = store.active_links(form.id, period)
        text = manifest_text(
            units,
            {
                u.code.casefold(): name
                for u, name in zip(units, file_names(units, Request(form, period)), strict=True)
            },
            {i.link.unit_code.casefold(): link_url(base_url, i.token) for i in issued},
            earlier or {},
            lambda token: store.find(token) is not None,
            set(active),
        )
    return text
