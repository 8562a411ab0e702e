"""The colour legend a unit reads on the instructions sheet, and the workbooks' font.

Light blue for input cells, grey for computed ones, yellow for a required cell
still blank, red for a wrong value or a broken rule, orange for a warning. The
writer paints the generated workbooks with it and the checks' feedback copies
mark a received file's cells with the same colours, so a unit reads both alike.
"""

from __future__ import annotations

FONT = "Times New Roman"
INPUT_FILL = "#E8F1FB"
COMPUTED_FILL = "#EDEDED"
BLANK_FILL = "#FFF2B3"
ERROR_FILL = "#F4B6B6"
WARNING_FILL = "#FAD7A0"
OK_FILL = "#D5EFD5"
HEADER_FILL = "#D9E2F3"
