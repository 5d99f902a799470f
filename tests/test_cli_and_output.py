"""The CLI as users run it, and the all-or-nothing writer under it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sdkgen import output
from sdkgen.output import read_tree, write_tree

from .conftest import ROOT


def sdkgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A copy of the flagship's spec/ and generated/ to edit freely."""
    shutil.copytree(ROOT / "spec", tmp_path / "spec")
    shutil.copytree(ROOT / "generated", tmp_path / "generated")
    return tmp_path


def test_check_passes_on_the_committed_tree(repo: Path) -> None:
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stderr


def test_check_shows_a_hand_edit_as_a_diff(repo: Path) -> None:
    models = repo / "generated/openai-assistants/python/src/openai_assistants/types/models.py"
    models.write_text(
        models.read_text().replace(
            "class Assistant(BaseModel):", "class Assistant(BaseModel):  # edited"
        )
    )
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 1
    assert (
        "--- generated/openai-assistants/python/src/openai_assistants/types/models.py"
        in result.stdout
    )
    assert "-class Assistant(BaseModel):  # edited" in result.stdout
    assert "+class Assistant(BaseModel):" in result.stdout


def test_check_shows_a_stale_spec_and_an_extra_file(repo: Path) -> None:
    spec = repo / "spec/openai-assistants/spec.yaml"
    spec.write_text(spec.read_text().replace("The identifier, which", "An identifier, which", 1))
    (repo / "generated/openai-assistants/python/stray.py").write_text("x = 1\n")
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 1
    assert "+++ spec/openai-assistants/spec.yaml (regenerated)" in result.stdout
    assert "stray.py (not generated: remove it)" in result.stdout


def test_check_exits_2_on_bad_input_without_traceback(repo: Path) -> None:
    config = repo / "spec/openai-assistants/config.yaml"
    config.write_text(
        config.read_text().replace("create: createAssistant", "create: createAssistantt")
    )
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"error: {Path('spec/openai-assistants/config.yaml')}: resources.beta.assistants.create.operation: "
        "no operation 'createAssistantt' in the document"
    )


def test_import_and_generate_rewrite_the_same_bytes(repo: Path) -> None:
    before = read_tree(repo / "generated") | {
        "spec.yaml": (repo / "spec/openai-assistants/spec.yaml").read_bytes()
    }
    assert sdkgen("import", cwd=repo).returncode == 0
    assert sdkgen("generate", cwd=repo).returncode == 0
    after = read_tree(repo / "generated") | {
        "spec.yaml": (repo / "spec/openai-assistants/spec.yaml").read_bytes()
    }
    assert after == before
    leftovers = [p.name for p in (repo / "generated").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_generate_leaves_the_previous_output_when_the_spec_is_bad(repo: Path) -> None:
    before = read_tree(repo / "generated")
    spec = repo / "spec/openai-assistants/spec.yaml"
    spec.write_text(
        spec.read_text().replace("type: list[AssistantTool]", "type: list[AssistantTol]", 1)
    )
    result = sdkgen("generate", cwd=repo)
    assert result.returncode == 2
    assert "models.Assistant.fields.tools.type: unknown type 'AssistantTol'" in result.stderr
    assert read_tree(repo / "generated") == before


def test_write_tree_keeps_the_old_tree_when_writing_fails_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"old a", "sub/b.txt": b"old b"})
    calls = {"n": 0}
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_tree(target, {"a.txt": b"new a", "sub/b.txt": b"new b", "c.txt": b"new c"})
    monkeypatch.undo()
    assert read_tree(target) == {"a.txt": b"old a", "sub/b.txt": b"old b"}
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_write_tree_keeps_the_old_tree_when_the_swap_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"old"})
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        if str(src).startswith(str(tmp_path / ".out.new-")):
            raise OSError("rename refused")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename refused"):
        write_tree(target, {"a.txt": b"new"})
    assert read_tree(target) == {"a.txt": b"old"}
    assert sorted(os.listdir(tmp_path)) == ["out"]
