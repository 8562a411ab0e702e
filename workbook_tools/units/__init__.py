"""Reporting units (đơn vị): the list the Sở Nội vụ sends requests to and chases.

Everything downstream (workbooks per unit, the late/missing tracker, the
consolidated report) keys on the unit code, so the list is checked once here.
"""

from workbook_tools.units.registry import (
    COLUMNS,
    HEADERS,
    MAX_CODE_LENGTH,
    Unit,
    UnitRegistry,
    clean_value,
    load_units,
    suggest_code,
    write_units_csv,
    write_units_xlsx,
)
from workbook_tools.units.synthetic import synthetic_units

__all__ = [
    "COLUMNS",
    "HEADERS",
    "MAX_CODE_LENGTH",
    "Unit",
    "UnitRegistry",
    "clean_value",
    "load_units",
    "suggest_code",
    "synthetic_units",
    "write_units_csv",
    "write_units_xlsx",
]
