"""The generated SDK passes black --check, ruff and mypy --strict, as a user's CI would run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruff.__main__ import find_ruff_bin


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def test_black_accepts_the_generated_code(flagship_tree: Path) -> None:
    result = run(
        [sys.executable, "-m", "black", "--check", "--diff", "."], flagship_tree / "python"
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ruff_finds_nothing_in_the_generated_code(flagship_tree: Path) -> None:
    result = run([find_ruff_bin(), "check", "--no-cache", "."], flagship_tree / "python")
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.slow
def test_mypy_strict_accepts_the_generated_package(flagship_tree: Path) -> None:
    src = flagship_tree / "python" / "src"
    result = run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "openai_assistants"],
        src,
    )
    assert result.returncode == 0, result.stdout[-4000:]
