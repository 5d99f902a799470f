"""sdkgen as its users get it: an sdist and a wheel built from the sources, installed into a
fresh virtualenv outside the repository, regenerating the flagship byte for byte."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sdkgen.output import diff_trees, read_tree

from .conftest import FLAGSHIP, ROOT

pytestmark = pytest.mark.slow

# What the sdist is built from: the files the pyproject names, nothing else of the checkout.
_SOURCES = ["pyproject.toml", "README.md", "generator", "templates"]


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, f"{args}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from an sdist (`python -m build`), as a release would be."""
    source = tmp_path_factory.mktemp("source")
    for name in _SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--outdir", dist, source, cwd=source)
    assert len(list(dist.glob("*.tar.gz"))) == 1
    (found,) = dist.glob("sdkgen-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `sdkgen` command of a fresh virtualenv holding only the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", venv, cwd=venv)
    _run(venv / "bin/python", "-m", "pip", "install", "--quiet", wheel, cwd=venv)
    return venv / "bin/sdkgen"


def test_wheel_ships_every_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "templates"
    wanted = {
        "sdkgen/templates/" + p.relative_to(templates).as_posix()
        for p in templates.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert wanted and not wanted - names, sorted(wanted - names)
    assert not [n for n in names if n.startswith("generator/")]  # the import name is sdkgen


def test_installed_wheel_regenerates_the_flagship_byte_for_byte(
    installed: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(FLAGSHIP.config.parent, work / "spec/openai-assistants")
    source = "openai-openapi-2026-05-13.yaml"
    (work / "spec/upstream").mkdir()
    shutil.copy2(ROOT / "spec/upstream" / source, work / "spec/upstream" / source)
    _run(installed, "import", cwd=work)
    _run(installed, "generate", cwd=work)
    assert (work / "spec/openai-assistants/spec.yaml").read_bytes() == FLAGSHIP.spec.read_bytes()
    diff = diff_trees(
        read_tree(FLAGSHIP.output), read_tree(work / "generated/openai-assistants"), "generated"
    )
    assert not diff, "\n".join(diff[:40])
    _run(installed, "check", cwd=work)


def test_installed_wheel_starts_a_new_api(installed: Path, tmp_path: Path) -> None:
    document = ROOT / "tests/fixtures/petstore/openapi.yaml"
    _run(installed, "init", "petstore", "--openapi", document, cwd=tmp_path)
    assert (tmp_path / "generated/petstore/python/src/petstore/_client.py").is_file()
    assert (tmp_path / ".github/workflows/spec-sync-petstore.yml").is_file()
    assert (tmp_path / ".github/scripts/spec-sync.sh").stat().st_mode & 0o100
    _run(installed, "check", "petstore", cwd=tmp_path)


def test_a_missing_target_renders_nothing_and_says_so(installed: Path, tmp_path: Path) -> None:
    """Delete one target's templates from the installed package: exit 2, output untouched."""
    docs = next(installed.parent.parent.glob("lib/python*/site-packages")) / "sdkgen/templates/docs"
    document = ROOT / "tests/fixtures/petstore/openapi.yaml"
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    shutil.move(docs, tmp_path / "docs-templates")
    try:
        result = subprocess.run(
            [str(installed), "generate", "--openapi", str(document), "--out", str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:  # other tests share the virtualenv
        shutil.move(tmp_path / "docs-templates", docs)
    assert result.returncode == 2
    assert result.stderr.startswith("error: templates/docs: no templates for target 'docs'")
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
