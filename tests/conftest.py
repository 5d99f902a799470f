"""Shared fixtures: the repository, the flagship's rendered output, and a way to import
a generated package from a temporary folder."""

from __future__ import annotations

import atexit
import functools
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdkgen.output import write_tree
from sdkgen.pipeline import Project, render_spec_file

ROOT = Path(__file__).resolve().parent.parent

# No cache unless a test asks for one (tests/test_cache.py): tests patch the importer's
# limits in-process, which a cached result would hide, and nothing may land in ~/.cache.
# Set here, not in a fixture, so the CLI subprocesses inherit it too.
os.environ["SDKGEN_CACHE_DIR"] = "off"
FLAGSHIP = Project(ROOT, "openai-assistants")

# mypy for the tests, with one cache per test process (each xdist worker its own: mypy's
# cache is not for concurrent writers). The standard library, pydantic and httpx are then
# checked once, not by every run: a second package took 0.25 s instead of 1.9 s.
_MYPY_CACHE = Path(tempfile.mkdtemp(prefix="sdkgen-tests-mypy-"))
atexit.register(shutil.rmtree, _MYPY_CACHE, True)
MYPY = [sys.executable, "-m", "mypy", "--cache-dir", str(_MYPY_CACHE)]

# The golden records hold generated SDKs with their own test suites (run against Prism by
# tests/test_generated_suite.py, never collected as ours).
collect_ignore_glob = ["golden/*"]


def sdkgen(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in this process, through click's test runner: the same code from the argument
    list to the exit code and the two streams, without the half second a new interpreter
    takes to start. An exception that escapes the CLI shows as a traceback on stderr."""
    from click.testing import CliRunner

    from sdkgen.cli import main

    previous = os.getcwd()
    try:
        os.chdir(cwd or previous)
        result = CliRunner().invoke(main, [str(a) for a in args], prog_name="sdkgen")
    finally:
        os.chdir(previous)
    stderr = result.stderr
    if result.exc_info is not None and not isinstance(result.exception, (SystemExit, type(None))):
        stderr += "Traceback (in process):\n" + "".join(
            traceback.format_exception(*result.exc_info)
        )
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, stderr)


def sdkgen_process(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as users run it, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A copy of the repository's spec/ and generated/ to edit freely."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    return tmp_path


@pytest.fixture(scope="session")
def flagship_files() -> dict[str, bytes]:
    """The flagship output rendered in memory from the committed spec.yaml."""
    return render_spec_file(FLAGSHIP.spec)


@pytest.fixture(scope="session")
def flagship_tree(
    flagship_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The rendered flagship written to a temporary folder (generated/<api>/ layout)."""
    out = tmp_path_factory.mktemp("flagship") / "openai-assistants"
    write_tree(out, flagship_files)
    return out


@pytest.fixture(scope="session")
def sdk(flagship_tree: Path) -> Iterator[object]:
    """The freshly rendered flagship package, imported."""
    yield from import_package(flagship_tree / "python" / "src", "openai_assistants")


def import_package(src: Path, package: str) -> Iterator[object]:
    """Import `package` from `src`, then forget it so other tests can import another copy.
    The runtime modules the package loads lazily are imported too, so tests reach them as
    `sdk._streaming` (tests/test_lazy_import.py checks the laziness in a fresh process)."""
    sys.path.insert(0, str(src))
    try:
        module = importlib.import_module(package)
        for name in ("types", "_models", "_params", "_streaming"):
            importlib.import_module(f"{package}.{name}")
        yield module
    finally:
        sys.path.remove(str(src))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def black_differences(project: Path, folder: str = ".", rendered_only: bool = False) -> str:
    """`black --check --diff` of `folder` in `project` (with the project's own [tool.black]
    settings), in this process: the diffs, empty when black would change nothing. A black
    process per check cost a second of start-up each. With `rendered_only`, files copied
    verbatim from the runtime templates are left out: every SDK has the same ones, and the
    flagship's are checked (tests/test_generated_quality.py)."""
    import difflib

    import black

    settings = project / "pyproject.toml"
    config = black.parse_pyproject_toml(str(settings)) if settings.is_file() else {}
    unknown = set(config) - {"line_length", "target_version"}
    assert not unknown, f"black_differences does not apply {sorted(unknown)}; use black itself"
    mode = black.Mode(
        line_length=config.get("line_length", black.DEFAULT_LINE_LENGTH),
        target_versions={black.TargetVersion[v.upper()] for v in config.get("target_version", [])},
    )
    diffs = []
    for path in sorted((project / folder).rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if rendered_only and source in _verbatim_runtime():
            continue
        try:
            formatted = black.format_file_contents(source, fast=False, mode=mode)
        except black.NothingChanged:
            continue
        name = str(path.relative_to(project))
        diffs += difflib.unified_diff(
            source.splitlines(True), formatted.splitlines(True), name, f"{name} (black)"
        )
    return "".join(diffs)


@functools.cache
def _verbatim_runtime() -> frozenset[str]:
    """The runtime modules every SDK copies unchanged from templates/python (no `.j2`)."""
    from sdkgen.render.environment import target_root

    root = target_root("python")
    return frozenset(p.read_text(encoding="utf-8") for p in root.rglob("*.py"))
