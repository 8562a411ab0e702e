"""Limits a value must respect, set by the writer's data validation and re-tested by the checks.

The workbook refuses a date outside ``DATE_MIN``..``DATE_MAX`` while a unit types
(:mod:`workbook_tools.writer.validation`); a pasted one passes Excel, so the checks
(:mod:`workbook_tools.checks.values`) apply the same limits to every received file.
"""

from __future__ import annotations

from datetime import date

DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
