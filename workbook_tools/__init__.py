"""workbook-tools: the reporting loop of công tác dân vận chính quyền, spreadsheet first.

The package follows the data's way: ``form`` (definitions and the expression
language) → ``workbook`` (per-unit Excel files) → reader → checks → registry →
merge → report. ``units`` and ``periods`` describe who reports and for when.
"""

__version__ = "0.1.0"
