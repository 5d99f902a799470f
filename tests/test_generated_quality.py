"""The generated SDK passes black --check, ruff and mypy --strict, as a user's CI would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin

from .conftest import MYPY, black_differences


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_black_accepts_the_generated_code(flagship_tree: Path) -> None:
    differences = black_differences(flagship_tree / "python")
    assert not differences, differences[-4000:]


def test_ruff_finds_nothing_in_the_generated_code(flagship_tree: Path) -> None:
    result = run([find_ruff_bin(), "check", "--no-cache", "."], flagship_tree / "python")
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.slow
def test_mypy_strict_accepts_the_generated_package(flagship_tree: Path) -> None:
    src = flagship_tree / "python" / "src"
    result = run(
        [*MYPY, "--strict", "-p", "openai_assistants"],
        src,
    )
    assert result.returncode == 0, result.stdout[-4000:]


# Names that sort differently by code point, case-insensitively, and by ruff's rules.
AWKWARD_NAMES = [
    "IgmaN123", "IgmaN1st", "IgmaN1stZ", "IgmaZ", "Item10", "Item2", "ItemA", "Itema",
    "item_b", "ITEM_C", "A1b2", "A1b10", "X", "x1", "X_1", "Z9z", "Z10",
]  # fmt: skip


def test_imported_and_exported_names_are_in_ruffs_order(tmp_path: Path) -> None:
    """The generator orders `from x import (...)` and `__all__` itself; ruff (isort, RUF022)
    must have nothing to reorder."""
    from sdkgen.render.python import _all_order, import_order

    imported = sorted(AWKWARD_NAMES, key=import_order)
    exported = sorted(AWKWARD_NAMES, key=_all_order)
    module = tmp_path / "m.py"
    module.write_text(
        "from x import (\n"
        + "".join(f"    {name},\n" for name in imported)
        + ")\n\n__all__ = [\n"
        + "".join(f'    "{name}",\n' for name in exported)
        + "]\n",
        encoding="utf-8",
    )
    run = subprocess.run(
        [find_ruff_bin(), "check", "--isolated", "--select", "I,RUF022", "--no-cache", str(module)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout


def test_the_in_process_black_check_finds_what_black_would_change(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 40\n")
    (tmp_path / "ok.py").write_text("x = 1\n")
    (tmp_path / "bad.py").write_text("x = [1111111111, 2222222222, 33333333333333]\n")
    differences = black_differences(tmp_path)
    assert "+++ bad.py (black)" in differences and "ok.py" not in differences
    black = subprocess.run(
        [sys.executable, "-m", "black", "--check", "-q", "bad.py"], cwd=tmp_path, check=False
    )
    assert black.returncode == 1  # black itself agrees
