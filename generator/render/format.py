"""Formatting generated Python in black's style.

The engine is `ruff format`, and `black --check` is the test (tests/test_generated_quality.py).
Why not black itself: on this project's 2-core machine black took 0.41 s for the 3k lines
of the flagship SDK and 89 s for the 205k lines of the full OpenAI spec; ruff formats the
same in 0.02 s and 0.56 s (measured when this was decided). The two
disagree on a few constructs; the templates avoid them, and the black test keeps it so; the
one no template can avoid (an over-long line with nothing to split, from a long name) is
handed to black itself.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from ruff.__main__ import find_ruff_bin

_RUFF_OPTIONS = ["--isolated", "--no-cache", "--line-length", "88", "--target-version", "py310"]


class FormatError(Exception):
    """The formatter rejected generated code: a template produced invalid Python."""


def format_python(
    files: dict[str, bytes], preformatted: Callable[[str], bool] = lambda path: False
) -> dict[str, bytes]:
    """Every `.py` file formatted, unused imports removed; other files unchanged.
    Two ruff runs for all files together. Files `preformatted` says the templates already
    write in black's style are left alone: the thousands of one-import modules of a large
    API would otherwise cost more in temporary files than all the rest (2 s of 3 s)."""
    sources = {
        path: content
        for path, content in files.items()
        if path.endswith(".py") and not preformatted(path)
    }
    if not sources:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix="sdkgen-format-") as tmp:
        root = Path(tmp)
        for path, content in sources.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_bytes(content)
        ruff = find_ruff_bin()
        # Imports are written for the general case: drop those a small spec leaves unused
        # (and re-sort what remains).
        fix = [
            ruff,
            "check",
            *_RUFF_OPTIONS,
            "--fix-only",
            "--select",
            "F401,I001",
            # The SDK project's own code is first-party where its tests import it (as ruff
            # sees it when run in the project, src/ being one of its default source roots).
            "--config",
            'src = ["python/src"]',
            "--exit-zero",
            ".",
        ]
        subprocess.run(fix, cwd=root, capture_output=True, text=True, check=False)
        result = subprocess.run(
            [ruff, "format", *_RUFF_OPTIONS, "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            problems = [line for line in result.stderr.splitlines() if line.strip()]
            first = problems[0] if problems else f"ruff exited with {result.returncode}"
            raise FormatError(f"generated code is not valid Python: {first}")
        formatted = {path: (root / path).read_bytes() for path in sources}
    return {**files, **{path: _as_black_wraps(content) for path, content in formatted.items()}}


# Where ruff and black part: a line over the limit that holds nothing to split, a name or a
# call without arguments after `x =`, `return`, `if (not)` and the like
# (`raw = client.<a 70-letter resource>.with_raw_response`, `if not <a 75-letter name>:`):
# black wraps it in parentheses, ruff leaves it (found by the property test). Only files with
# such a line go through black itself (a general check, any code line over the limit, would
# send 38 files of the full OpenAI spec through black, 10 s, for nothing).
_UNSPLITTABLE = re.compile(
    rb"^ *(?:[\w.]+ = |(?:return|if|elif|while|assert|del|yield) )(?:not |await )?"
    rb"[\w.]+(?:\(\))?:?$"
)
_LINE_LENGTH = 88


def _as_black_wraps(content: bytes) -> bytes:
    # Line by line, the long ones only: a fifth of the time of one multi-line search.
    lines = content.split(b"\n")
    if not any(len(line) > _LINE_LENGTH and _UNSPLITTABLE.fullmatch(line) for line in lines):
        return content
    import black  # only here: a second formatter for a rare line

    mode = black.Mode(line_length=_LINE_LENGTH, target_versions={black.TargetVersion.PY310})
    try:
        return black.format_file_contents(content.decode("utf-8"), fast=False, mode=mode).encode()
    except black.NothingChanged:
        return content
