"""Consolidation: totals, subtotals, completeness and provenance, and the consolidated workbook."""

from workbook_tools.merge.consolidate import (
    Completeness,
    Consolidation,
    QualityCounts,
    Source,
    UnitFigures,
    aggregate_units,
    aggregate_years,
    change,
    consolidate,
    require_data,
)

__all__ = [
    "Completeness",
    "Consolidation",
    "QualityCounts",
    "Source",
    "UnitFigures",
    "aggregate_units",
    "aggregate_years",
    "change",
    "consolidate",
    "require_data",
]
