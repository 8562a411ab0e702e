"""The layer rules of the package are enforced: ``make lint`` runs import-linter on them.

Each forbidden import is added to a copy of the package, and ``lint-imports`` run with
the project's own configuration (``[tool.importlinter]`` in pyproject.toml) must fail
naming the contract it breaks; the real tree must pass.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package below ``root``, with ``root``'s pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def broken(output: str) -> set[str]:
    """The names of the contracts the run reports broken (a long name wraps over lines)."""
    names, pending = set(), ""
    for line in output.splitlines():
        pending = f"{pending} {line.strip()}".strip()
        if pending.endswith((" KEPT", " BROKEN")):
            if pending.endswith(" BROKEN"):
                names.add(pending.removesuffix(" BROKEN"))
            pending = ""
        elif not line.strip() or set(line.strip()) == {"-"}:
            pending = ""
    return names


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    shutil.copytree(
        REPO / "workbook_tools",
        root / "workbook_tools",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "samples"),
    )
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


def add_import(root: Path, module: str, line: str) -> None:
    path = root / "workbook_tools" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_make_lint_runs_the_layer_rules() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(BIN)/lint-imports" in lint


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("form/model.py", "import workbook_tools.cli", "Nothing imports cli"),
        ("form/model.py", "import workbook_tools.cli", "Layers"),
        ("checks/values.py", "import workbook_tools.registry", "Layers"),
        ("contract/layout.py", "import workbook_tools.writer.styles", "Layers"),
        ("form/model.py", "import openpyxl", "Form reads no file format"),
        ("form/expr.py", "import xlsxwriter", "Form reads no file format"),
        (
            "reader/clean.py",
            "import workbook_tools.writer.sizing",
            "Reader and writer are independent",
        ),
        (
            "writer/meta.py",
            "import workbook_tools.reader.clean",
            "Reader and writer are independent",
        ),
        ("units/registry.py", "import openpyxl", "Only reader parses the spreadsheets"),
        ("writer/manifest.py", "import python_calamine", "Only reader parses the spreadsheets"),
        ("checks/feedback.py", "import python_calamine", "Checks and demo edit copies"),
    ],
)
def test_a_forbidden_import_fails_lint_naming_its_contract(
    tree: Path, module: str, line: str, contract: str
) -> None:
    assert lint_imports(tree).returncode == 0  # the copy itself is clean
    add_import(tree, module, line)
    result = lint_imports(tree)
    assert result.returncode != 0
    names = broken(result.stdout)
    assert any(name.startswith(contract) for name in names), result.stdout
