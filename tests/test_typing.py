"""The generated SDK's types, as a user's type checker sees them: `mypy --strict` and pyright
in strict mode accept tests/typing/usage.py (with its assert_type checks) and reject every
line of tests/typing/misuse.py marked `# E`, against the freshly rendered package.

Each checker runs once, on both files; the two run side by side.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import MYPY, ROOT

pytestmark = pytest.mark.slow

TYPING = ROOT / "tests" / "typing"
FILES = ("usage.py", "misuse.py")


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Outcome:
    returncode: int
    output: str
    errors: list[Diagnostic]

    def errors_in(self, file: str) -> list[Diagnostic]:
        return [e for e in self.errors if e.file == file]


def parse_mypy(output: str) -> list[Diagnostic]:
    found = []
    for line in output.splitlines():
        match = re.match(r"^(?P<file>.+?):(?P<line>\d+): error: (?P<message>.*)$", line)
        if match:
            file = Path(match["file"]).name if match["file"] in FILES else match["file"]
            found.append(Diagnostic(file, int(match["line"]), match["message"]))
    return found


def parse_pyright(output: str, workdir: Path) -> list[Diagnostic]:
    report = json.loads(output)
    found = []
    for diagnostic in report.get("generalDiagnostics", []):
        if diagnostic.get("severity") != "error":
            continue
        path = Path(diagnostic.get("file", ""))
        file = path.name if path.parent == workdir else str(path)
        line = int(diagnostic.get("range", {}).get("start", {}).get("line", -1)) + 1
        message = " ".join(diagnostic.get("message", "").split())
        rule = diagnostic.get("rule", "")
        found.append(Diagnostic(file, line, f"{message} ({rule})"))
    return found


@pytest.fixture(scope="module")
def checked(
    flagship_tree: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Outcome]]:
    """mypy and pyright, run once each (concurrently) on copies of both files."""
    pytest.importorskip("mypy")
    src = flagship_tree / "python" / "src"
    workdir = tmp_path_factory.mktemp("typing")
    for name in FILES:
        shutil.copy(TYPING / name, workdir / name)
    config = {
        "typeCheckingMode": "strict",
        "pythonVersion": "3.10",
        "extraPaths": [str(src)],
        "include": list(FILES),
    }
    (workdir / "pyrightconfig.json").write_text(json.dumps(config))
    mypy_command = [
        *MYPY, "--strict", "--python-version", "3.10",
        "--no-color-output", "--no-error-summary", "--hide-error-context", *FILES,
    ]  # fmt: skip
    pyright_command = [
        sys.executable, "-m", "pyright", "--outputjson",
        "--pythonpath", sys.executable, "-p", str(workdir / "pyrightconfig.json"),
    ]  # fmt: skip
    processes: dict[str, subprocess.Popen[str]] = {
        "mypy": subprocess.Popen(
            mypy_command,
            cwd=workdir,
            env={**os.environ, "MYPYPATH": str(src)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ),
    }
    if importlib.util.find_spec("pyright") is not None:  # the PyPI wrapper of the node tool
        processes["pyright"] = subprocess.Popen(
            pyright_command,
            cwd=workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    outcomes: dict[str, Outcome] = {}
    try:
        out, _ = processes["mypy"].communicate(timeout=300)
        outcomes["mypy"] = Outcome(processes["mypy"].returncode, out, parse_mypy(out))
        if "pyright" in processes:
            out, err = processes["pyright"].communicate(timeout=300)
            try:
                errors = parse_pyright(out, workdir)
            except json.JSONDecodeError:
                errors = [
                    Diagnostic("<pyright>", 0, f"no JSON report: {out[-2000:]} {err[-2000:]}")
                ]
            outcomes["pyright"] = Outcome(processes["pyright"].returncode, out, errors)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    yield outcomes


def outcome_of(checked: dict[str, Outcome], checker: str) -> Outcome:
    if checker not in checked:
        pytest.skip(f"{checker} is not installed (pip install {checker})")
    return checked[checker]


def marked_lines(name: str) -> set[int]:
    lines = (TYPING / name).read_text().splitlines()
    return {n for n, line in enumerate(lines, 1) if re.search(r"\S  # E\b", line)}


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_strict_type_checking_accepts_the_usage_file(
    checked: dict[str, Outcome], checker: str
) -> None:
    outcome = outcome_of(checked, checker)
    assert outcome.returncode in (0, 1), outcome.output[-3000:]  # 2 and up: it did not run
    unexpected = [e for e in outcome.errors if e.file != "misuse.py"]
    assert unexpected == [], "\n".join(map(str, unexpected))


@pytest.mark.parametrize("checker", ["mypy", "pyright"])
def test_strict_type_checking_rejects_every_misuse(
    checked: dict[str, Outcome], checker: str
) -> None:
    outcome = outcome_of(checked, checker)
    assert outcome.returncode == 1, outcome.output[-3000:]
    expected = marked_lines("misuse.py")
    assert len(expected) >= 10
    flagged = {e.line for e in outcome.errors_in("misuse.py")}
    missed = sorted(expected - flagged)
    assert missed == [], f"{checker} accepted misuse.py lines {missed}"
    stray = [e for e in outcome.errors_in("misuse.py") if e.line not in expected]
    assert stray == [], "\n".join(map(str, stray))
