"""Writing rendered files: all or nothing, with a manifest; and comparing without writing.

A generation is rendered completely in memory first. Writing goes to a temporary sibling
folder that then replaces the target in two renames, so a failure at any point leaves the
previous output as it was.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

MANIFEST = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, bytes], generator: str, inputs: dict[str, bytes]) -> bytes:
    """What produced the output, and a hash of every file, for reviewers and CI."""
    data = {
        "generator": generator,
        "inputs": {name: sha256(content) for name, content in sorted(inputs.items())},
        "files": {path: sha256(content) for path, content in sorted(files.items())},
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` with exactly `files`; on any error the old tree stays."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    try:
        for relative, content in files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            os.replace(target, retired)
        try:
            os.replace(staging, target)
        except BaseException:
            if retired.exists():
                os.replace(retired, target)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(retired, ignore_errors=True)


def write_file(path: Path, content: bytes) -> None:
    """Replace one file atomically (write a sibling, then rename over)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and ".egg-info" not in str(p)
    }


def diff_trees(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> list[str]:
    """Unified diffs (actual on disk -> expected) for every file that differs."""
    lines: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        want, have = expected.get(path), actual.get(path)
        if want == have:
            continue
        old = _lines(have) if have is not None else []
        new = _lines(want) if want is not None else []
        name = f"{label}/{path}"
        header = [f"--- {name}" + ("" if have is not None else " (missing)")]
        header.append(
            f"+++ {name}"
            + (" (regenerated)" if want is not None else " (not generated: remove it)")
        )
        body = list(difflib.unified_diff(old, new, lineterm="", n=2))[2:]
        lines += header + (body or ["(binary or whitespace-only difference)"])
    return lines


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()
