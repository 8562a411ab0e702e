"""A received workbook opened for editing: the feedback copy the Sở sends back is made from it.

The copy starts from the very bytes that were checked: the file is read again
(never a pipe or a device), its hash compared with the one the checks recorded,
passed through the safety checks (:mod:`workbook_tools.reader.safety`: openpyxl
refuses less than they do), and only then handed to openpyxl, from memory. The
received file itself is never written.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from workbook_tools.reader.files import read_regular
from workbook_tools.reader.safety import Limits, inspect_file


def editable_copy(path: Path, sha256: str, limits: Limits | None = None) -> Any | None:
    """The workbook at ``path`` in openpyxl if its bytes are those checked (``sha256``).

    None when the file changed or went since, is no .xlsx/.xlsm the safety checks
    pass, or openpyxl cannot load it.
    """
    try:
        data, _ = read_regular(path)
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None
    if inspect_file(path, data, limits or Limits()).kind not in ("xlsx", "xlsm"):
        return None
    try:
        return openpyxl.load_workbook(io.BytesIO(data))
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        TypeError,
    ):
        return None
