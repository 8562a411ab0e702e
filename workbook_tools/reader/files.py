"""Which files a batch covers: the paths given, with folders walked.

Every file counts — a PDF or a photo sent instead of the workbook gets its own
finding — except hidden files, Office lock files (``~$…``) and paths the caller
excludes (the registry's own database and archive).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path


def _skipped(path: Path) -> bool:
    return path.name.startswith((".", "~$")) or path.name in ("Thumbs.db", "desktop.ini")


def walk(paths: Sequence[str | Path], exclude: Iterable[Path] = ()) -> list[Path]:
    """Files under ``paths`` in a stable order, each once."""
    excluded = [p.resolve() for p in exclude]

    def outside(path: Path) -> bool:
        resolved = path.resolve()
        return not any(resolved == e or e in resolved.parents for e in excluded)

    found: dict[Path, None] = {}
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden_folder = any(_skipped(Path(p)) for p in child.relative_to(path).parts[:-1])
                if child.is_file() and not _skipped(child) and not hidden_folder and outside(child):
                    found.setdefault(child, None)
        elif outside(path):
            found.setdefault(path, None)
    return list(found)
