"""Reporting units (đơn vị): the list the Sở Nội vụ sends requests to and chases.

Everything downstream (workbooks per unit, the late/missing tracker, the
consolidated report) keys on the unit code, so the list is checked once here.
The file's bytes are read by :mod:`workbook_tools.reader.units` (``load_units``).
"""

from workbook_tools.units.registry import (
    COLUMNS,
    HEADERS,
    MAX_CODE_LENGTH,
    Unit,
    UnitRegistry,
    suggest_code,
    units_from_rows,
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
    "suggest_code",
    "synthetic_units",
    "units_from_rows",
    "write_units_csv",
    "write_units_xlsx",
]
