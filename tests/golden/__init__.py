"""Golden records of the general case: one small document per feature, rendered with no
overlay, committed under tests/golden/<record>/ (the SDK and the Markdown reference) and
compared by tests/test_golden_records.py. A change to them is reviewed like code.

Regenerate them all with:

    .venv/bin/python -m tests.golden
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.render.environment import target_root
from sdkgen.spec import dump_spec

GOLDEN = Path(__file__).resolve().parent
TESTS = GOLDEN.parent

# Record name -> the document it renders (the record name is also the package name).
RECORDS = {
    "petstore": TESTS / "fixtures/petstore/openapi.yaml",
    "security_multiple_alternatives": TESTS / "corpus/security_multiple_alternatives/openapi.yaml",
    "union_allof_inheritance": TESTS / "corpus/union_allof_inheritance/openapi.yaml",
    "params_path_styles": TESTS / "corpus/params_path_styles/openapi.yaml",
    "body_multipart_files": TESTS / "corpus/body_multipart_files/openapi.yaml",
    "response_sse": TESTS / "corpus/response_sse/openapi.yaml",
}

# Left out: the HTML reference (large; the Markdown carries the same content), the runtime
# core copied verbatim into every SDK, and the exceptions module, the same in every record
# but for the error class's name (tests/test_golden.py holds the flagship's of all three).
_LEFT_OUT = ("docs/html/",)
_RUNTIME = frozenset(
    p.name for p in (target_root("python") / "src/package").iterdir() if p.suffix != ".j2"
) | {"_exceptions.py"}


def _recorded(path: str) -> bool:
    parts = path.split("/")
    in_package_root = parts[:2] == ["python", "src"] and parts[-1] in _RUNTIME
    return not path.startswith(_LEFT_OUT) and not in_package_root


def render_record(name: str) -> dict[str, bytes]:
    spec = import_openapi(default_config(RECORDS[name], package=name))
    files = render(spec, dump_spec(spec).encode("utf-8"))
    return {path: content for path, content in files.items() if _recorded(path)}


def regenerate() -> None:
    for name in sorted(RECORDS):
        target = GOLDEN / name
        shutil.rmtree(target, ignore_errors=True)  # a record holds nothing but its render
        write_tree(target, render_record(name))
        print(f"wrote {target.relative_to(TESTS.parent)}")
