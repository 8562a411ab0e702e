"""LibreOffice headless: convert files and recalculate workbooks.

``soffice --convert-to`` only recalculates formulas when its profile says to
recalculate on load, so every run gets a fresh profile with that setting; a
separate profile per run also lets several conversions run side by side.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from workbook_tools.errors import WorkbookToolsError

_RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

INSTALL_HINT = (
    "Chưa cài LibreOffice. Trên Debian/Ubuntu: 'sudo apt-get install libreoffice-calc-nogui' "
    "(thêm 'libreoffice-writer-nogui' để chuyển báo cáo sang PDF); trên Windows: cài "
    "LibreOffice từ libreoffice.org rồi thêm thư mục chứa soffice.exe vào PATH."
)


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    ):
        if os.path.exists(candidate):
            return candidate
    return None


def convert(source: str | Path, out_dir: str | Path, target: str, timeout: float = 180) -> Path:
    """Convert ``source`` with LibreOffice (``target`` e.g. ``"xlsx"``, ``"ods"``, ``"pdf"``).

    Formulas are recalculated on load. Returns the path of the converted file.
    """
    return convert_many([source], out_dir, target, timeout)[0]


_FILTERS = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97"}


def convert_many(
    sources: Sequence[str | Path], out_dir: str | Path, target: str, timeout: float = 600
) -> list[Path]:
    """Convert several files in one LibreOffice start (much faster than one by one)."""
    soffice = find_soffice()
    if soffice is None:
        raise WorkbookToolsError(INSTALL_HINT)
    paths = [Path(s).resolve() for s in sources]
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wbt-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_RECALC_PROFILE, encoding="utf-8")
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            _FILTERS.get(target, target),
            "--outdir",
            str(out),
            *[str(p) for p in paths],
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    ext = target.split(":")[0]
    converted = [out / f"{p.stem}.{ext}" for p in paths]
    missing = [c.name for c in converted if not c.exists()]
    if result.returncode != 0 or missing:
        raise WorkbookToolsError(
            f"LibreOffice không chuyển được sang {ext}: {', '.join(missing) or '(không rõ)'}. "
            f"{(result.stderr or result.stdout).strip()[:500]}"
        )
    return converted
