"""Per-unit Excel input workbooks: layout, writer and the metadata sheet."""

from workbook_tools.workbook.layout import Layout, build_layout
from workbook_tools.workbook.request import Request
from workbook_tools.workbook.writer import GeneratedFile, GenerationResult, generate, workbook_bytes

__all__ = [
    "GeneratedFile",
    "GenerationResult",
    "Layout",
    "Request",
    "build_layout",
    "generate",
    "workbook_bytes",
]
