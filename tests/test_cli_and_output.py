"""The CLI as users run it, and the all-or-nothing writer under it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sdkgen import output
from sdkgen.output import read_tree, write_tree

from .conftest import sdkgen


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
    assert "stray: generated/openai-assistants/python/stray.py (not generated; remove it)" in (
        result.stdout.splitlines()
    )


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


# A manifest that owns a.txt and sub/b.txt, as an earlier generation would have written.
OWNED = {"manifest.json": b'{"generator": "sdkgen 0", "files": {"a.txt": "", "sub/b.txt": ""}}'}


def test_write_tree_keeps_the_old_tree_when_writing_fails_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"old a", "sub/b.txt": b"old b", **OWNED})
    calls = {"n": 0}
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_tree(target, {"a.txt": b"new a", "sub/b.txt": b"new b", "c.txt": b"new c", **OWNED})
    monkeypatch.undo()
    assert read_tree(target) == {"a.txt": b"old a", "sub/b.txt": b"old b", **OWNED}
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_write_tree_keeps_the_old_tree_when_the_swap_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"old", **OWNED})
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        if str(src).startswith(str(tmp_path / ".out.new-")):
            raise OSError("rename refused")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename refused"):
        write_tree(target, {"a.txt": b"new", **OWNED})
    assert read_tree(target) == {"a.txt": b"old", **OWNED}
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_check_names_a_missing_file_in_one_line(repo: Path) -> None:
    (repo / "generated/openai-assistants/python/README.md").unlink()
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["missing: generated/openai-assistants/python/README.md"]


def test_check_ignores_build_artifacts_the_generated_gitignore_lists(repo: Path) -> None:
    project = repo / "generated/openai-assistants/python"
    for artifact in ["build/lib/x.py", "dist/x.whl", "src/x.egg-info/PKG-INFO", ".venv/bin/py"]:
        (project / artifact).parent.mkdir(parents=True, exist_ok=True)
        (project / artifact).write_text("artifact\n")
    result = sdkgen("check", cwd=repo)
    assert result.returncode == 0, result.stdout[-2000:]


def test_import_out_without_openapi_is_refused(repo: Path) -> None:
    before = (repo / "spec/openai-assistants/spec.yaml").read_bytes()
    result = sdkgen("import", "--out", "x.yaml", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("error: --out goes with --openapi")
    assert not (repo / "x.yaml").exists()
    assert (repo / "spec/openai-assistants/spec.yaml").read_bytes() == before


# -- the writer: ownership, umask, what is kept -----------------------------------------


def test_write_tree_refuses_a_folder_it_does_not_own(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    (target / ".git").mkdir(parents=True)
    (target / "notes.md").write_text("mine")
    with pytest.raises(output.InputError, match="holds no sdkgen output"):
        write_tree(target, {"a.txt": b"new"})
    assert sorted(os.listdir(target)) == [".git", "notes.md"]


def test_write_tree_with_force_keeps_git_and_files_it_does_not_write(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    (target / ".git").mkdir(parents=True)
    (target / ".git/HEAD").write_text("ref")
    (target / "notes.md").write_text("mine")
    (target / "a.txt").write_text("theirs")
    write_tree(target, {"a.txt": b"new", **OWNED}, force=True)
    assert (target / ".git/HEAD").read_text() == "ref"
    assert (target / "notes.md").read_text() == "mine"
    assert (target / "a.txt").read_bytes() == b"new"


def test_write_tree_replaces_only_what_the_manifest_owns(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"a", "sub/b.txt": b"b", **OWNED})
    (target / ".git").mkdir()
    (target / "sub/build").mkdir()
    (target / "sub/build/x.o").write_bytes(b"artifact")
    (target / "sub/notes.md").write_text("notes")
    summary = write_tree(target, {"a.txt": b"a2", "c.txt": b"c", **OWNED})
    assert read_tree(target) == {
        "a.txt": b"a2",
        "c.txt": b"c",
        "manifest.json": OWNED["manifest.json"],
        "sub/build/x.o": b"artifact",
        "sub/notes.md": b"notes",
    }
    assert (target / ".git").is_dir()
    assert (summary.written, summary.changed, summary.unchanged, summary.removed) == (3, 2, 1, 1)
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_write_tree_refuses_to_overwrite_an_unowned_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"a", **OWNED})
    (target / "c.txt").write_text("user's")
    with pytest.raises(output.InputError, match="manifest does not own it"):
        write_tree(target, {"a.txt": b"a", "c.txt": b"generated", **OWNED})
    assert (target / "c.txt").read_text() == "user's"


def test_write_tree_unchanged_output_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"a", **OWNED})
    stamp = (target / "a.txt").stat().st_mtime_ns
    summary = write_tree(target, {"a.txt": b"a", **OWNED})
    assert (summary.changed, summary.unchanged) == (0, 2)
    assert (target / "a.txt").stat().st_mtime_ns == stamp


def test_write_tree_returns_kept_files_when_the_swap_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out"
    write_tree(target, {"a.txt": b"old", **OWNED})
    (target / ".git").mkdir()
    real_replace = os.replace

    def failing_replace(src: object, dst: object) -> None:
        if Path(str(src)).parent == tmp_path and Path(str(src)).name.startswith(".out.new-"):
            raise OSError("rename refused")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", failing_replace)
    with pytest.raises(OSError, match="rename refused"):
        write_tree(target, {"a.txt": b"new", **OWNED})
    assert (target / ".git").is_dir()
    assert (target / "a.txt").read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["out"]


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_and_folders_follow_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_tree(tmp_path / "out", {"sub/a.txt": b"a"})
        output.write_file(tmp_path / "one.txt", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (tmp_path / "out/sub").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (tmp_path / "out/sub/a.txt").stat().st_mode & 0o777 == 0o666 & ~umask
    assert (tmp_path / "one.txt").stat().st_mode & 0o777 == 0o666 & ~umask


# -- staged writes (output.TreeWrite): files written while the render goes on -------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith("."))


def test_staged_files_and_the_rest_make_the_same_tree(tmp_path: Path) -> None:
    """What was staged and turned out different, or not in the end at all, is corrected."""
    final = {"types/a.py": b"a", "types/b.py": b"b", "docs/x.md": b"x", **OWNED}
    with output.TreeWrite(tmp_path / "out") as tree:
        tree.stage({"types/a.py": final["types/a.py"], "types/b.py": b"stale b"})
        tree.stage({"types/gone.py": b"rendered, then dropped"})
        summary = tree.finish(final)
    assert read_tree(tmp_path / "out") == final
    assert (summary.written, summary.changed) == (len(final), len(final))
    assert _leftovers(tmp_path) == []


def test_a_render_that_fails_after_staging_leaves_nothing(tmp_path: Path) -> None:
    with (
        pytest.raises(RuntimeError, match="render failed"),
        output.TreeWrite(tmp_path / "out") as tree,
    ):
        tree.stage({f"types/t{i}.py": b"x" * 100 for i in range(500)})
        raise RuntimeError("render failed")
    assert os.listdir(tmp_path) == []  # no half-written output, no staging folder


def test_over_an_earlier_output_nothing_is_staged(tmp_path: Path) -> None:
    """An unchanged tree is compared, not rewritten: staging would write it all for nothing."""
    target = tmp_path / "out"
    files = {"a.txt": b"a", **OWNED}
    write_tree(target, files)
    before = (target / "a.txt").stat().st_mtime_ns
    with output.TreeWrite(target) as tree:
        tree.stage({"a.txt": files["a.txt"]})
        assert _leftovers(tmp_path) == []
        summary = tree.finish(files)
    assert summary.changed == 0
    assert (target / "a.txt").stat().st_mtime_ns == before


def test_a_failure_while_staging_is_raised_by_finish_and_cleaned_up(tmp_path: Path) -> None:
    with output.TreeWrite(tmp_path / "out") as tree:
        tree.stage({"a": b"a file"})
        tree.stage({"a/b": b"under a file: cannot be written"})
        with pytest.raises(OSError):
            tree.finish({"a": b"a file", **OWNED})
    assert os.listdir(tmp_path) == []


def test_a_target_sdkgen_may_not_write_is_refused_by_finish_and_never_staged(
    tmp_path: Path,
) -> None:
    """Refused at the end, as an unstaged write is: a bad document is reported first."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with output.TreeWrite(tmp_path / "out") as tree:
        tree.stage({"a.txt": b"a"})
        assert _leftovers(tmp_path) == []
        with pytest.raises(output.InputError, match="holds no sdkgen output"):
            tree.finish({"a.txt": b"a", **OWNED})
    assert read_tree(tmp_path / "out") == {"notes.txt": b"mine"}


def test_generate_stages_a_first_generation_and_writes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the CLI: a first generation stages the SDK's files while the docs render, and
    its tree is the one an unstaged write gives."""
    document = Path(__file__).parent / "fixtures" / "petstore" / "openapi.yaml"
    staged: list[str] = []
    real_stage = output.TreeWrite.stage

    def spy(self: output.TreeWrite, files: dict[str, bytes]) -> None:
        staged.extend(files)
        real_stage(self, files)

    monkeypatch.setattr(output.TreeWrite, "stage", spy)
    first = sdkgen("generate", "--openapi", document, "--out", tmp_path / "a", "--quiet")
    assert first.returncode == 0, first.stderr
    assert any(p.startswith("python/src/") for p in staged)
    monkeypatch.setattr(output.TreeWrite, "stage", lambda self, files: None)
    unstaged = sdkgen("generate", "--openapi", document, "--out", tmp_path / "b", "--quiet")
    assert unstaged.returncode == 0, unstaged.stderr
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")
    assert _leftovers(tmp_path) == []
