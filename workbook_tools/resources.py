"""Where the shipped templates are: inside the installed package, or in the repository.

A wheel carries ``templates/`` as ``workbook_tools/templates`` (see pyproject's
force-include); an editable install or a source checkout reads the top-level
``templates/`` folder directly, so there is one copy of every template.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def templates_dir() -> Path:
    packaged = Path(str(resources.files("workbook_tools"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def xlsx_templates_dir() -> Path:
    return templates_dir() / "xlsx"


def docx_templates_dir() -> Path:
    return templates_dir() / "docx"


def samples_dir() -> Path:
    """The shipped samples (the demo's unit registry): packaged, or in the repository."""
    packaged = Path(str(resources.files("workbook_tools"))) / "samples"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "samples"
