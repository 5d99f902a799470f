"""Golden record: the committed generated/ tree is exactly what the generator makes now.

After a deliberate change to templates or the spec, regenerate with
`sdkgen import && sdkgen generate` and review the diff of generated/ like code.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sdkgen.output import diff_trees, read_tree, sha256

from .conftest import FLAGSHIP, ROOT


def test_generated_tree_matches_a_fresh_render(flagship_files: dict[str, bytes]) -> None:
    diff = diff_trees(flagship_files, read_tree(FLAGSHIP.output), "generated/openai-assistants")
    assert not diff, "generated/ is stale; run `sdkgen generate` and review:\n" + "\n".join(
        diff[:80]
    )


def test_manifest_records_spec_generator_and_every_file(flagship_files: dict[str, bytes]) -> None:
    manifest = json.loads(flagship_files["manifest.json"])
    assert manifest["generator"].startswith("sdkgen ")
    assert manifest["inputs"]["spec.yaml"] == sha256(FLAGSHIP.spec.read_bytes())
    others = {path: content for path, content in flagship_files.items() if path != "manifest.json"}
    assert manifest["files"] == {path: sha256(content) for path, content in sorted(others.items())}


def test_output_has_no_absolute_paths(flagship_files: dict[str, bytes]) -> None:
    for path, content in flagship_files.items():
        assert str(ROOT).encode() not in content, path
        assert b"/tmp/" not in content, path


@pytest.mark.slow
@pytest.mark.parametrize("seed", ["0", "1", "4242"])
def test_import_and_render_are_deterministic_under_any_hash_seed(seed: str) -> None:
    """`sdkgen check` re-imports and re-renders in a new process: any set-order leak shows."""
    result = subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", "check"],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": seed},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
