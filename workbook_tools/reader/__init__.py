"""Reading returned workbooks: safety checks first, then the mapped cells."""

from workbook_tools.reader.safety import Limits
from workbook_tools.reader.workbook import RawWorkbook, ReadResult, read_file

__all__ = ["Limits", "RawWorkbook", "ReadResult", "read_file"]
