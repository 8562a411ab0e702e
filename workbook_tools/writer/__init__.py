"""Per-unit Excel input workbooks: the writer and its sheets (the format is the contract's)."""

from workbook_tools.writer.writer import GeneratedFile, GenerationResult, generate, workbook_bytes

__all__ = [
    "GeneratedFile",
    "GenerationResult",
    "generate",
    "workbook_bytes",
]
