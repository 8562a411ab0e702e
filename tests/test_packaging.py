"""The wheel carries the form definitions and samples and works outside the repository.

pyproject force-includes the top-level ``templates/`` and ``samples/`` folders as
``workbook_tools/templates`` and ``workbook_tools/samples``; an installed wheel must
find them through importlib.resources, not through the source checkout. The build
takes a couple of seconds (no network: ``--no-deps --no-build-isolation``); every
subprocess has a timeout so a stuck build fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 300
RUN_TIMEOUT = 120

PROBE = """
import json
import workbook_tools
from workbook_tools.form import get_form
from workbook_tools.resources import samples_dir, templates_dir
from workbook_tools.reader.units import load_units

form = get_form("dvcq")
units = load_units(samples_dir() / "units-quang-ngai.csv")
print(json.dumps({
    "package": workbook_tools.__file__,
    "templates": str(templates_dir()),
    "samples": str(samples_dir()),
    "form": form.id,
    "source": form.source,
    "indicators": len(form.indicators),
    "units": len(units),
}))
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            "-w",
            str(dist),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    wheels = list(dist.glob("workbook_tools-*.whl"))
    assert len(wheels) == 1, [p.name for p in dist.iterdir()]
    return wheels[0]


def test_wheel_contains_templates_and_samples(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert "workbook_tools/templates/xlsx/dvcq.yaml" in names
    assert "workbook_tools/samples/units-quang-ngai.csv" in names
    assert "workbook_tools/__init__.py" in names
    assert "workbook_tools/cli/__init__.py" in names
    # the portal's pages, style and script ship inside the package (no outside resources)
    for name in (
        "templates/unit.html",
        "templates/status.html",
        "static/portal.css",
        "static/portal.js",
    ):
        assert f"workbook_tools/web/{name}" in names


def test_wheel_templates_are_the_repository_files(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        packed = zf.read("workbook_tools/templates/xlsx/dvcq.yaml")
        sample = zf.read("workbook_tools/samples/units-quang-ngai.csv")
    assert packed == (REPO / "templates" / "xlsx" / "dvcq.yaml").read_bytes()
    assert sample == (REPO / "samples" / "units-quang-ngai.csv").read_bytes()


def test_wheel_works_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=elsewhere,
        capture_output=True,
        encoding="utf-8",
        timeout=RUN_TIMEOUT,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    site = site.resolve()
    for key in ("package", "templates", "samples", "source"):
        path = Path(seen[key]).resolve()
        assert path.is_relative_to(site), (key, path)
        assert not path.is_relative_to(REPO), (key, path)
    assert Path(seen["templates"]) == site / "workbook_tools" / "templates"
    assert seen["form"] == "dvcq"
    assert seen["indicators"] > 0
    assert seen["units"] == 110
