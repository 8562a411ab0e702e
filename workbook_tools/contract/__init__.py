"""The workbook contract: what the writer writes and the reader reads, written once.

Sheet names and where every value sits (:mod:`.layout`), the hidden ``_meta`` and
``_map`` format (:mod:`.meta`), the request a workbook carries (:mod:`.request`),
the limits of values (:mod:`.limits`), the colour legend (:mod:`.legend`), how
a sheet's XML part is found in the package (:mod:`.parts`), and all a form
compiles to, cached once per form (:mod:`.compiled`). It stands on
:mod:`workbook_tools.form` and base modules only; ``writer`` and ``reader`` both
import it and never each other.
"""

from workbook_tools.contract.compiled import Compiled, compiled, layout_for
from workbook_tools.contract.layout import Layout, build_layout
from workbook_tools.contract.meta import MARKER, CodeMapEntry, code_map
from workbook_tools.contract.request import Citation, Request

__all__ = [
    "MARKER",
    "Citation",
    "CodeMapEntry",
    "Compiled",
    "Layout",
    "Request",
    "build_layout",
    "code_map",
    "compiled",
    "layout_for",
]
