"""sdkgen's own code is held to the bar it sets for generated code."""

from __future__ import annotations

import subprocess
import sys

from ruff.__main__ import find_ruff_bin

from .conftest import ROOT

OWN_CODE = ["generator", "tests", "benchmarks"]


def test_black_accepts_our_code() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", *OWN_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_ruff_accepts_our_code() -> None:
    result = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", *OWN_CODE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
