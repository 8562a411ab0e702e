"""A small portal for tests: a registry of three units, their links, filled returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbook_tools.contract import Request
from workbook_tools.contract.compiled import layout_for
from workbook_tools.demo.fill import fill_xlsx
from workbook_tools.demo.returns import realistic_return
from workbook_tools.form import get_form
from workbook_tools.periods import parse_period
from workbook_tools.portal import PortalStore, hash_password
from workbook_tools.reader.units import load_units
from workbook_tools.units import Unit, UnitRegistry
from workbook_tools.web.config import PortalConfig
from workbook_tools.writer.writer import WorkbookFactory

PASSWORD = "mat-khau-cua-so-2025"
UNITS_CSV = (
    "Mã đơn vị,Tên đơn vị,Khối/loại,Đơn vị cấp trên,Email,Người liên hệ,Ghi chú\n"
    "XA_AN,UBND xã An Phú,UBND xã,,anphu@example.vn,,\n"
    "XA_BINH,UBND xã Bình Sơn,UBND xã,,binhson@example.vn,,\n"
    'SO_TC,Sở Tài chính,"Sở, ban, ngành",,stc@example.vn,,\n'
)


@dataclass
class Portal:
    config: PortalConfig
    registry: UnitRegistry
    tokens: dict[str, str]  # unit code → token

    @property
    def db(self) -> Path:
        return self.config.db_path

    def unit(self, code: str) -> Unit:
        return self.registry.get(code)


def make_portal(
    folder: Path, period: str = "2025-H1", password: bool = True, issue: bool = True
) -> Portal:
    """A portal over a new registry; ``issue``: every unit already has its link."""
    folder.mkdir(parents=True, exist_ok=True)
    units_file = folder / "don-vi.csv"
    units_file.write_text(UNITS_CSV, encoding="utf-8")
    registry = load_units(units_file)
    config = PortalConfig(
        folder / "db" / "workbook-tools.sqlite",
        get_form("dvcq"),
        parse_period(period),
        registry,
        date(2025, 6, 20),
    )
    with PortalStore.open(config.db_path) as store:
        issued = store.issue(config.form.id, config.period, list(registry)) if issue else []
        if password:
            store.set_password_hash(hash_password(PASSWORD))
    return Portal(config, registry, {i.link.unit_code: i.token for i in issued})


def unit_return(
    unit: Unit, period: str = "2025-H1", *, error: bool = False, seed: int = 0
) -> bytes:
    """A filled return of ``unit`` (``seed``: other figures); ``error``: with text in a
    number cell (one error)."""
    form = get_form("dvcq")
    request = Request(form, parse_period(period), date(2025, 6, 20))
    ret = realistic_return(unit, seed)
    if error:
        ret.values["tcd_luot"] = "hơn 150"
    return fill_xlsx(WorkbookFactory(request).build(unit), layout_for(form), ret.values, ret.table)
