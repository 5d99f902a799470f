"""The whole public OpenAI spec (both pinned snapshots) through the pipeline with no overlay:
the general case, far beyond the flagship's 23 operations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruff.__main__ import find_ruff_bin

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import dump, dump_spec, parse_spec

from .conftest import MYPY, ROOT, import_package
from .test_yaml_fast_paths import _dumped, _pyyamls, needs_libyaml

pytestmark = pytest.mark.slow

SNAPSHOTS = sorted((ROOT / "spec" / "upstream").glob("openai-openapi-*.yaml"))


@pytest.fixture(scope="module", params=SNAPSHOTS, ids=lambda p: p.stem)
def full(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, Path]:
    source: Path = request.param
    spec = import_openapi(default_config(source))
    text = dump_spec(spec)
    out = tmp_path_factory.mktemp(source.stem) / "out"
    write_tree(out, render(parse_spec(text), text.encode()))
    return spec, out


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@needs_libyaml
def test_libyaml_writes_the_spec_as_pyyaml_writes_it(full: tuple[Any, Path]) -> None:
    if full[0].api.name != SNAPSHOTS[-1].stem:
        pytest.skip("PyYAML's emitter takes 3 s: one snapshot keeps the suite short")
    data = dump.spec_to_data(full[0])
    assert dump._libyaml_writes_alike(data)  # the fast path is taken
    assert _dumped(data, dump._LibYAMLDumper) == _pyyamls(data)


def test_every_operation_comes_through(full: tuple[Any, Path]) -> None:
    spec, _ = full
    source = next(p for p in SNAPSHOTS if p.stem == spec.api.name)
    document = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    verbs = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
    operations = [
        op for item in document["paths"].values() for verb, op in item.items() if verb in verbs
    ]
    assert len(operations) >= 240
    assert len(spec.methods()) == len(operations)
    assert len(spec.definitions()) >= 900


def test_the_generated_package_passes_ruff_and_imports(full: tuple[Any, Path]) -> None:
    spec, out = full
    python = out / "python"
    ruff = run([find_ruff_bin(), "check", "--no-cache", "."], python)
    assert ruff.returncode == 0, ruff.stdout[-2000:]
    for package in import_package(python / "src", spec.api.package):
        client = package.Client(api_key="k")
        assert hasattr(client, "chat") and hasattr(client, "assistants")
        assert len(package.types.__all__) >= 900


def test_black_and_mypy_strict_accept_the_newest_snapshot(full: tuple[Any, Path]) -> None:
    spec, out = full
    if spec.api.name != SNAPSHOTS[-1].stem:
        pytest.skip("black and mypy run on one snapshot to keep the suite short")
    black = run([sys.executable, "-m", "black", "--check", "-q", "."], out / "python")
    assert black.returncode == 0, black.stderr[-2000:]
    result = run([*MYPY, "--strict", "-p", spec.api.package], out / "python" / "src")
    assert result.returncode == 0, result.stdout[-3000:]
