"""What one running portal serves: the registry, the form, the period, the units."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workbook_tools.form import Form
from workbook_tools.periods import Period
from workbook_tools.reader.safety import Limits
from workbook_tools.units import UnitRegistry

MB = 1024 * 1024


@dataclass(frozen=True)
class PortalConfig:
    """``upload_limit``/``bulk_limit``: the largest request body of a unit's upload and of the
    Sở's bulk upload (a form body carries some bytes beside the file); other requests get
    ``form_limit``."""

    db_path: Path
    form: Form
    period: Period
    registry: UnitRegistry | None = None
    deadline: date | None = None
    limits: Limits = field(default_factory=Limits)
    upload_limit: int = 21 * MB
    bulk_limit: int = 200 * MB
    form_limit: int = 64 * 1024
    max_bulk_files: int = 500
