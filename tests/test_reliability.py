"""Reliability (issue 10): every input gets a package or one located line, within seconds
and bounded memory; deep but legal documents generate; `$ref` stays in the document's
folder; an interrupted write is recovered by the next one.

The malformed documents of tests/hostile/malformed/18*-22* run through every CLI mode in
tests/test_hostile.py; here: exact lines, time and memory, and what the catalog cannot show
(generated documents, in-process limits, the writer killed at every step).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from sdkgen import cli, output
from sdkgen.config import default_config, load_config
from sdkgen.errors import InputError
from sdkgen.importers import documents
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import MOVED_MARKER, read_tree, recover, write_tree

from .conftest import sdkgen

HOSTILE = Path(__file__).resolve().parent / "hostile"
SDKGEN = [sys.executable, "-m", "sdkgen.cli"]

# Generous bounds: the refusals below take well under a second and 40 MB (measured).
SECONDS = 10.0
MEGABYTES = 300

# Runs a command and reports its exit code, output, seconds and peak memory (the peak of
# this wrapper's only child, so nothing else is counted); a hang is killed at 60 s.
_MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
try:
    run = subprocess.run(sys.argv[1:], capture_output=True, text=True, errors="replace", timeout=60)
    code, out, err = run.returncode, run.stdout, run.stderr
except subprocess.TimeoutExpired as exc:
    code, out, err = "timeout", "", str(exc)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"code": code, "out": out, "err": err, "seconds": seconds, "mb": peak}))
"""


@dataclass(frozen=True)
class Run:
    code: int | str
    out: str
    err: str
    seconds: float
    mb: float

    def describe(self) -> str:
        return (
            f"exit {self.code} in {self.seconds:.1f} s, {self.mb:.0f} MB\n--- stdout:\n"
            f"{self.out}\n--- stderr:\n{self.err}"
        )


def measured(*args: str | Path, cwd: Path) -> Run:
    wrapper = subprocess.run(
        [sys.executable, "-c", _MEASURE, *SDKGEN, *map(str, args)],
        capture_output=True, text=True, check=True, cwd=cwd, timeout=120,
    )  # fmt: skip
    return Run(**json.loads(wrapper.stdout))


def assert_one_line_error(run: Run, line: str) -> None:
    """Exit 2, exactly `line` on stderr, nothing on stdout, fast and small."""
    assert run.code == 2, run.describe()
    assert run.out == "", run.describe()
    assert run.err == line + "\n", run.describe()
    assert run.seconds < SECONDS, run.describe()
    assert run.mb < MEGABYTES, run.describe()


def generate(document: Path, out: Path) -> Run:
    return measured(
        "generate", "--openapi", document, "--out", out, "--package", "p", cwd=out.parent
    )


OPERATION = """\
openapi: 3.0.3
info: {title: T, version: "1.0"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
"""


def json_document(schemas: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(json.dumps(documents.parse_yaml(OPERATION, "x")))
    data["components"] = {"schemas": schemas}
    return data


# =====================================================================================
# YAML: alias bombs, recursive aliases, duplicate keys
# =====================================================================================


def nested_aliases(levels: int, width: int) -> str:
    """`levels` anchors, each a list of `width` aliases to the one before (width**levels)."""
    lines = ["x-bomb:", "  a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return OPERATION + "\n".join(lines) + "\ncomponents: {schemas: {Thing: {type: object}}}\n"


BOMB = "document expands YAML aliases beyond 100000 nodes (a YAML bomb?)"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nine_by_nine.yaml", nested_aliases(9, 9)),  # 387 million strings from 900 bytes
        ("sixteen_levels.yaml", nested_aliases(16, 4)),  # the issue's 1.5 KB, 16 levels
        ("forty_levels.yaml", nested_aliases(40, 2)),  # 2**40
    ],
)
def test_a_yaml_bomb_is_one_line_in_seconds_and_bounded_memory(
    tmp_path: Path, name: str, text: str
) -> None:
    document = tmp_path / name
    document.write_text(text, encoding="utf-8")
    run = generate(document, tmp_path / "out")
    assert_one_line_error(run, f"error: {document}: {BOMB}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_aliases_in_a_default_and_an_example_are_bounded(tmp_path: Path) -> None:
    source = HOSTILE / "malformed" / "18b_yaml_bomb_in_default" / "openapi.yaml"
    assert len(source.read_bytes()) < 1000
    document = tmp_path / "openapi.yaml"
    shutil.copy(source, document)
    assert_one_line_error(generate(document, tmp_path / "out"), f"error: {document}: {BOMB}")


def test_aliases_used_modestly_are_fine() -> None:
    """Two uses of a 4**6 tree, on top of the anchors' own: about 73,000 nodes added."""
    text = nested_aliases(7, 4) + "x-used: [*a6, *a6]\n"
    data = documents.parse_yaml(text, "ok.yaml")
    assert data["x-used"][0] is data["x-used"][1] is data["x-bomb"]["a6"]


def test_the_alias_limit_counts_expanded_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"  # 3 aliases of 4 nodes: 12 nodes added
    monkeypatch.setattr(documents, "MAX_ALIAS_NODES", 12)
    assert documents.parse_yaml(text, "x.yaml")["b"][2] == [1, 2, 3]
    monkeypatch.setattr(documents, "MAX_ALIAS_NODES", 11)
    with pytest.raises(InputError, match="beyond 11 nodes"):
        documents.parse_yaml(text, "x.yaml")


def test_a_recursive_alias_is_refused_with_its_line(tmp_path: Path) -> None:
    document = tmp_path / "openapi.yaml"
    document.write_text(
        OPERATION + "components:\n  schemas:\n    Thing: &t\n      properties: {me: *t}\n",
        encoding="utf-8",
    )
    assert_one_line_error(
        generate(document, tmp_path / "out"),
        f"error: {document}: line 15: this anchored node holds an alias to itself (endless)",
    )


@pytest.mark.parametrize(
    ("tail", "line", "key"),
    [
        ("components: {schemas: {Thing: {type: object}}}\npaths: {}\n", 14, "paths"),
        (
            (
                "components:\n  schemas:\n    Thing:\n      properties:\n"
                "        id: {type: string}\n        name: {type: string}\n        id: {type: integer}\n"
            ),
            19,
            "id",
        ),
        ("components: {schemas: {Thing: {type: object, type: string}}}\n", 13, "type"),
    ],
)
def test_a_duplicate_yaml_key_is_refused_with_its_line(
    tmp_path: Path, tail: str, line: int, key: str
) -> None:
    document = tmp_path / "openapi.yaml"
    document.write_text(OPERATION + tail, encoding="utf-8")
    assert_one_line_error(
        generate(document, tmp_path / "out"),
        f"error: {document}: line {line}: duplicate key {key!r}",
    )


def test_keys_that_differ_in_type_or_override_a_merge_are_not_duplicates() -> None:
    data = documents.parse_yaml(
        "base: &b {a: 1, b: 2}\nm: {<<: *b, b: 3}\nr: {200: int, '200': str}\n", "x.yaml"
    )
    assert data["m"] == {"a": 1, "b": 3}
    assert data["r"] == {200: "int", "200": "str"}


def test_the_checked_reader_reads_a_large_document_as_pyyaml_does() -> None:
    """(Its speed is a benchmark's business, `bash benchmarks/run`, not a timed test's.)"""
    items = "\n".join(
        f"  k{i}: {{type: string, description: 'field {i}', enum: [a, b]}}" for i in range(2_000)
    )
    text = f"root:\n{items}\n"
    import yaml

    assert documents.parse_yaml(text, "big.yaml") == yaml.load(text, Loader=documents._Loader)


# =====================================================================================
# JSON: depth, duplicate keys; any document: size; text that cannot be encoded
# =====================================================================================


def deep_json(depth: int) -> str:
    return json.dumps(json_document({"Thing": {"type": "object", "x-deep": "HOLE"}})).replace(
        '"HOLE"', "[" * depth + "]" * depth
    )


def test_json_nested_1500_deep_is_one_line(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(deep_json(1500), encoding="utf-8")
    assert_one_line_error(
        generate(document, tmp_path / "out"),
        f"error: {document}: document nests deeper than 1000 levels",
    )


@pytest.mark.parametrize("recursion_limit", [1000, 100_000])
def test_json_depth_is_refused_whatever_the_recursion_limit(
    tmp_path: Path, recursion_limit: int
) -> None:
    """Below the limit json raises RecursionError (reported as the depth), above it the
    loader's own depth check refuses: the same line either way, never a RecursionError."""
    document = tmp_path / "openapi.json"
    document.write_text(deep_json(1500), encoding="utf-8")
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(recursion_limit)
    try:
        with pytest.raises(InputError, match="^.*: document nests deeper than 1000 levels$"):
            documents.Documents(document).load(document)
    finally:
        sys.setrecursionlimit(previous)


def test_a_duplicate_json_key_is_refused_with_its_pointer(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    text = json.dumps(json_document({"Thing": {"type": "object"}, "Other": {}}))
    document.write_text(text.replace('"Other"', '"Thing"'), encoding="utf-8")
    assert_one_line_error(
        generate(document, tmp_path / "out"),
        f"error: {document}: #/components/schemas: duplicate key 'Thing'",
    )


def test_a_document_over_64_mb_is_refused_unread(tmp_path: Path) -> None:
    document = tmp_path / "openapi.yaml"
    with document.open("wb") as sparse:  # no disk or memory spent: a hole in the file
        sparse.truncate(64 * 1024 * 1024 + 1)
    assert_one_line_error(
        generate(document, tmp_path / "out"),
        f"error: {document}: document is larger than 64 MB",
    )


def test_all_documents_of_one_import_are_bounded_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = "Big: {type: string, description: '" + "x" * 1_100_000 + "'}\n"
    (tmp_path / "other.yaml").write_text(big, encoding="utf-8")
    document = tmp_path / "openapi.yaml"
    document.write_text(
        OPERATION + "components: {schemas: {Thing: {$ref: 'other.yaml#/Big'}}}\n", encoding="utf-8"
    )
    monkeypatch.setattr(documents, "MAX_TOTAL_BYTES", 1024 * 1024)
    with pytest.raises(InputError) as raised:
        import_openapi(default_config(document))
    assert str(raised.value) == (
        "openapi.yaml: #/components/schemas/Thing: $ref 'other.yaml#/Big': "
        "the documents of this import pass 1 MB"
    )


@pytest.mark.parametrize(
    ("schema", "pointer", "shown"),
    [
        ({"type": "object", "description": "a \ud800 b"}, "/description", "\\ud800"),
        ({"type": "object", "properties": {"x\udfff": {}}}, "/properties/x\\udfff", "\\udfff"),
        ({"type": "string", "enum": ["ok", "\udbff"]}, "/enum/1", "\\udbff"),
    ],
)
def test_a_lone_surrogate_is_refused_at_import_with_its_place(
    tmp_path: Path, schema: dict[str, Any], pointer: str, shown: str
) -> None:
    document = tmp_path / "openapi.json"
    document.write_text(json.dumps(json_document({"Thing": schema})), encoding="utf-8")
    assert "\\ud" in document.read_text(encoding="utf-8")  # an escape: the file is UTF-8
    assert_one_line_error(
        measured("import", "--openapi", document, "--out", tmp_path / "spec.yaml", cwd=tmp_path),
        f"error: {document}: #/components/schemas/Thing{pointer}: "
        f"text cannot be encoded as UTF-8 (lone surrogate {shown})",
    )
    assert not (tmp_path / "spec.yaml").exists()


def test_a_surrogate_pair_escape_is_text() -> None:
    data = documents._load_json('{"a": "\\ud83d\\ude00"}', "x.json")
    assert data == {"a": "\U0001f600"}


def test_a_lone_surrogate_in_yaml_is_refused_by_the_parser(tmp_path: Path) -> None:
    document = tmp_path / "openapi.yaml"
    document.write_text(
        OPERATION + 'components: {schemas: {Thing: {description: "\\ud800"}}}\n', encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"line 13: not valid YAML: .*Unicode"):
        documents.Documents(document).load(document)


# =====================================================================================
# $ref: only files inside the root document's folder
# =====================================================================================


def ref_document(folder: Path, ref: str) -> Path:
    document = folder / "api" / "openapi.yaml"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_text(
        OPERATION + f"components: {{schemas: {{Thing: {{$ref: {json.dumps(ref)}}}}}}}\n",
        encoding="utf-8",
    )
    return document


REFUSED = [
    ("/etc/passwd", "absolute paths are not followed; use a relative path"),
    ("/etc/passwd#/x", "absolute paths are not followed; use a relative path"),
    ("file:///etc/passwd", "only relative file paths are followed"),
    ("urn:x:y", "only relative file paths are followed"),
    (
        "https://example.com/s.yaml#/Thing",
        (
            "remote references are not followed unless allowed (the overlay's `refs: {remote:"
            " true}` or --remote-refs); or save the file beside the document and refer to it"
            " by a relative path"
        ),
    ),
    ("http://127.0.0.1:9/s.yaml", "remote references are not followed"),
    ("//example.com/s.yaml", "remote references are not followed"),
    ("../outside.yaml", "leads outside the folder"),
    ("sub/../../outside.yaml", "leads outside the folder"),
    ("../" * 30 + "etc/passwd", "leads outside the folder"),
    ("link/outside.yaml", "leads outside the folder"),  # a symlink out
    ("nul\x00.yaml", "not a usable file path"),
]


@pytest.mark.parametrize(("ref", "message"), REFUSED)
def test_a_ref_out_of_the_document_folder_is_refused(
    tmp_path: Path, ref: str, message: str
) -> None:
    (tmp_path / "outside.yaml").write_text("Thing: {type: string}\n", encoding="utf-8")
    document = ref_document(tmp_path, ref)
    (document.parent / "sub").mkdir()
    (document.parent / "link").symlink_to(tmp_path)
    with pytest.raises(InputError) as raised:
        import_openapi(default_config(document))
    prefix = f"openapi.yaml: #/components/schemas/Thing: $ref {ref!r}"
    assert str(raised.value).startswith(prefix), str(raised.value)
    assert message in str(raised.value)


def test_a_refused_ref_is_one_line_from_the_cli(tmp_path: Path) -> None:
    document = ref_document(tmp_path, "../../../../../../etc/passwd")
    run = generate(document, tmp_path / "out")
    assert_one_line_error(
        run,
        "error: openapi.yaml: #/components/schemas/Thing: $ref '../../../../../../etc/passwd' "
        f"leads outside the folder {document.parent}; only files in it or below it are "
        "followed (the overlay's `refs: {root: ...}` or --ref-root names a wider one)",
    )


@pytest.mark.parametrize(
    "ref",
    [
        "common.yaml#/Thing",
        "sub/nested.yaml#/Thing",
        "sub/../common.yaml#/Thing",
        "./common.yaml#/Thing",
    ],
)
def test_refs_inside_the_folder_are_followed(tmp_path: Path, ref: str) -> None:
    document = ref_document(tmp_path, ref)
    (document.parent / "sub").mkdir()
    (document.parent / "common.yaml").write_text(
        "Thing: {type: object, properties: {id: {type: string}}}\n", encoding="utf-8"
    )
    (document.parent / "sub" / "nested.yaml").write_text(
        "Thing: {$ref: '../common.yaml#/Thing'}\n", encoding="utf-8"  # up, still inside
    )
    spec = import_openapi(default_config(document))
    assert [[f.name for f in model.fields] for model in spec.models] == [["id"]]


def test_a_wider_ref_root_is_followed_from_the_overlay_or_the_cli(tmp_path: Path) -> None:
    document = ref_document(tmp_path, "../shared/common.yaml#/Thing")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "common.yaml").write_text(
        "Thing: {type: object, properties: {id: {type: string}}}\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match="leads outside the folder"):
        import_openapi(default_config(document))
    spec = import_openapi(default_config(document, ref_root=tmp_path))
    assert [[f.name for f in m.fields] for m in spec.models] == [["id"]]
    overlay = document.parent / "config.yaml"
    overlay.write_text("source: openapi.yaml\nrefs: {root: ..}\n", encoding="utf-8")
    assert len(import_openapi(load_config(overlay)).models) == 1
    run = sdkgen("import", "--openapi", document, "--ref-root", tmp_path)
    assert run.returncode == 0, run.stderr
    assert "id:" in run.stdout
    # still bounded: the wider folder's own parent is out
    escaping = ref_document(tmp_path / "deeper", "../../../outside.yaml")
    with pytest.raises(InputError, match="leads outside the folder"):
        import_openapi(default_config(escaping, ref_root=tmp_path / "deeper"))


class _Served:
    """A folder of documents served on 127.0.0.1, with the paths requested."""

    def __init__(self, files: dict[str, str]):
        served = self
        self.files = files
        self.requested: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served.requested.append(self.path)
                body = served.files.get(self.path.lstrip("/"))
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write((body or "").encode("utf-8"))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        serve = functools.partial(self.server.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served() -> Iterator[_Served]:
    server = _Served(
        {
            "schemas/thing.yaml": "Thing: {$ref: 'parts.yaml#/Part'}\n",  # relative to its URL
            "schemas/parts.yaml": "Part: {type: object, properties: {id: {type: string}}}\n",
            "schemas/escape.yaml": "Thing: {$ref: 'file:///etc/passwd'}\n",
        }
    )
    server.files["openapi.yaml"] = (
        OPERATION + "components: {schemas: {Thing: {$ref: 'schemas/thing.yaml#/Thing'}}}\n"
    )
    yield server
    server.close()


def test_remote_refs_are_fetched_only_when_allowed(tmp_path: Path, served: _Served) -> None:
    document = ref_document(tmp_path, served.url + "schemas/thing.yaml#/Thing")
    with pytest.raises(InputError, match="remote references are not followed unless allowed"):
        import_openapi(default_config(document))
    assert served.requested == []  # refused without a request
    spec = import_openapi(default_config(document, remote_refs=True))
    assert [[f.name for f in m.fields] for m in spec.models] == [["id"]]
    assert served.requested == ["/schemas/thing.yaml", "/schemas/parts.yaml"]  # once each
    overlay = document.parent / "config.yaml"
    overlay.write_text("source: openapi.yaml\nrefs: {remote: true}\n", encoding="utf-8")
    assert len(import_openapi(load_config(overlay)).models) == 1


def test_a_fetched_documents_relative_refs_start_at_its_url(
    tmp_path: Path, served: _Served
) -> None:
    refused = sdkgen("import", "--openapi", served.url + "openapi.yaml")
    assert refused.returncode == 2
    assert "'schemas/thing.yaml#/Thing': remote references are not followed" in refused.stderr
    assert served.requested == ["/openapi.yaml"]
    run = sdkgen("import", "--openapi", served.url + "openapi.yaml", "--remote-refs")
    assert run.returncode == 0, run.stderr
    assert "Thing:" in run.stdout and "id:" in run.stdout


def test_a_remote_document_cannot_reach_local_files(tmp_path: Path, served: _Served) -> None:
    document = ref_document(tmp_path, served.url + "schemas/escape.yaml#/Thing")
    with pytest.raises(InputError) as raised:
        import_openapi(default_config(document, remote_refs=True))
    message = str(raised.value)
    assert message.startswith(
        served.url + "schemas/escape.yaml: #/Thing: $ref 'file:///etc/passwd'"
    )
    assert "only relative paths and http(s) URLs are followed" in message


def test_ref_options_are_checked(tmp_path: Path) -> None:
    document = ref_document(tmp_path, "#/x")
    overlay = document.parent / "config.yaml"
    overlay.write_text("source: openapi.yaml\nrefs: {remote: 'yes'}\n", encoding="utf-8")
    with pytest.raises(InputError, match="refs.remote: must be true or false"):
        load_config(overlay)
    run = sdkgen("import", "--remote-refs")
    assert run.returncode == 2
    assert "--remote-refs goes with --openapi" in run.stderr


# =====================================================================================
# The CLI: no traceback, --debug, deep documents
# =====================================================================================


def _patched_cli(patch: str) -> list[str]:
    """The CLI with one line of Python run first (to make it fail in a chosen way)."""
    return [
        sys.executable,
        "-c",
        f"import sys, sdkgen.cli as cli\n{patch}\nsys.argv[0] = 'sdkgen'\ncli.main()",
    ]


def _boom(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    document = tmp_path / "openapi.yaml"
    document.write_text(OPERATION + "components: {schemas: {Thing: {}}}\n", encoding="utf-8")
    patch = (
        "def boom(*args, **kwargs):\n    raise KeyError('no such thing\\nsecond line')\n"
        "cli.import_cached = boom"
    )
    return subprocess.run(
        [*_patched_cli(patch), *flags, "import", "--openapi", str(document)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_an_internal_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _boom(tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "error: internal error: KeyError: 'no such thing\\nsecond line' "
        "(run with --debug for the traceback)\n"
    )


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = _boom(tmp_path, "--debug")
    assert result.returncode == 1, result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "KeyError: 'no such thing\\nsecond line'" in result.stderr
    assert "internal error" not in result.stderr


def test_a_multi_line_message_is_one_line() -> None:
    message = cli._internal_error(ValueError("first\nsecond\n\tthird"))
    assert message == (
        "internal error: ValueError: first second third (run with --debug for the traceback)"
    )
    assert len(cli._internal_error(ValueError("x" * 5000))) < 600


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("generate", "--no-such-option"), "Error: No such option '--no-such-option'."),
        (("no-such-command",), "Error: No such command 'no-such-command'."),
        (("import", "--openapi"), "Error: Option '--openapi' requires an argument."),
    ],
)
def test_click_usage_errors_keep_their_form(
    tmp_path: Path, args: tuple[str, ...], shown: str
) -> None:
    result = subprocess.run(
        [*SDKGEN, *args], capture_output=True, text=True, check=False, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == shown
    assert "Traceback" not in result.stderr


def _misuse(tmp_path: Path) -> list[tuple[str, ...]]:
    (tmp_path / "afile").write_text("x\n", encoding="utf-8")
    (tmp_path / "doc.yaml").write_text(OPERATION + "components: {schemas: {Thing: {}}}\n")
    return [
        ("import", "--openapi", "doc.yaml", "--out", "afile/spec.yaml"),
        ("import", "--openapi", "doc.yaml", "--out", "."),
        ("generate", "--openapi", "doc.yaml", "--out", "afile"),
        ("generate", "--openapi", "doc.yaml", "--out", "afile/x"),
        ("generate", "--openapi", ".", "--out", "x"),
        ("generate", "--openapi", "missing.yaml", "--out", "x"),
        ("generate", "--openapi", "/dev/null", "--out", "x"),
        ("generate", "--spec", ".", "--out", "x"),
        ("generate", "--openapi", "doc.yaml", "--out", "/proc/sdkgen-test"),
        ("import", "--root", "afile"),
        ("check", "--root", "missing"),
        ("sync", "--root", "."),
        ("init", "x", "--openapi", "missing.yaml", "--root", "."),
        ("generate", "--openapi", "doc.yaml", "--out", "x", "--package", "not a name"),
    ]


@pytest.mark.slow
def test_no_misuse_shows_a_traceback(tmp_path: Path) -> None:
    for args in _misuse(tmp_path):
        result = subprocess.run(
            [*SDKGEN, *args], capture_output=True, text=True, check=False, cwd=tmp_path, timeout=60
        )
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        first = result.stderr.splitlines()[0]
        assert first.startswith(("error: ", "Usage: ")), (args, result.stderr)
        if first.startswith("error: "):
            assert len(result.stderr.splitlines()) == 1, (args, result.stderr)


def deep(kind: str, depth: int) -> dict[str, Any]:
    """A legal document `depth` levels deep: a chain of $refs, inline nesting or allOf."""
    if kind == "ref_chain":
        schemas = {
            f"Link{i}": {
                "type": "object",
                "properties": {"next": {"$ref": f"#/components/schemas/Link{i + 1}"}},
            }
            for i in range(depth)
        }
        schemas[f"Link{depth}"] = {"type": "string"}
        return json_document({"Thing": {"$ref": "#/components/schemas/Link0"}, **schemas})
    if kind == "all_of_chain":
        schemas = {
            f"Layer{i}": {"allOf": [{"$ref": f"#/components/schemas/Layer{i + 1}"}]}
            for i in range(depth)
        }
        schemas[f"Layer{depth}"] = {"type": "object", "properties": {"z": {"type": "string"}}}
        return json_document({"Thing": {"$ref": "#/components/schemas/Layer0"}, **schemas})
    inner: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        inner = {"type": "object", "properties": {"inner": inner}}
    return json_document({"Thing": inner})


def write_deep(path: Path, data: dict[str, Any]) -> None:
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)  # json.dumps recurses too
    try:
        path.write_text(json.dumps(data), encoding="utf-8")
    finally:
        sys.setrecursionlimit(previous)


DEEP = [
    pytest.param("ref_chain", 200, id="ref_chain-200"),
    pytest.param("inline", 400, id="inline-400"),
    pytest.param("all_of_chain", 300, id="all_of_chain-300"),
    pytest.param("ref_chain", 1000, id="ref_chain-1000", marks=pytest.mark.slow),
    pytest.param("all_of_chain", 2000, id="all_of_chain-2000", marks=pytest.mark.slow),
    pytest.param("inline", 490, id="inline-490", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("kind", "depth"), DEEP)
def test_deep_legal_documents_generate(tmp_path: Path, kind: str, depth: int) -> None:
    """Each failed with a RecursionError at a quarter of these depths before the CLI ran
    commands under a raised recursion limit (measured: 200, 400 and 2,000 levels now take
    0.7, 1.6 and 4.8 s)."""
    document = tmp_path / "openapi.json"
    write_deep(document, deep(kind, depth))
    run = generate(document, tmp_path / "out")
    assert run.code == 0, run.describe()
    assert "Traceback" not in run.err
    models = tmp_path / "out" / "python" / "src" / "p" / "types" / "models.py"
    compile(models.read_bytes(), str(models), "exec")
    assert run.seconds < 60, run.describe()


def test_too_deep_for_the_recursion_limit_is_one_line(tmp_path: Path) -> None:
    document = tmp_path / "openapi.json"
    write_deep(document, deep("ref_chain", 400))
    result = subprocess.run(
        [*_patched_cli("cli.RECURSION_LIMIT = 1000"), "generate", "--openapi", str(document),
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(
        "error: internal error: RecursionError: the document nests or chains deeper than "
        "sdkgen can follow (maximum recursion depth exceeded"
    ), result.stderr
    assert result.stderr.endswith("(run with --debug for the traceback)\n")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_run_deep_returns_results_and_raises_what_the_command_raised() -> None:
    limit = sys.getrecursionlimit()
    assert cli._run_deep(lambda: sys.getrecursionlimit()) == cli.RECURSION_LIMIT
    assert sys.getrecursionlimit() == limit

    def exits() -> None:
        sys.exit(7)

    with pytest.raises(SystemExit) as raised:
        cli._run_deep(exits)
    assert raised.value.code == 7

    def recurse(n: int) -> int:
        return n if n == 0 else 1 + recurse(n - 1)

    assert cli._run_deep(lambda: recurse(30_000)) == 30_000
    with pytest.raises(RecursionError):
        recurse(30_000)


def test_ctrl_c_reaches_the_command_so_it_can_clean_up() -> None:
    started, seen = threading.Event(), []

    def command() -> None:
        started.set()
        try:
            for _ in range(500):
                time.sleep(0.01)
        except KeyboardInterrupt:
            seen.append("interrupted")
            raise

    def press_ctrl_c() -> None:
        started.wait(5)
        time.sleep(0.2)  # the calling thread is waiting for the command by now
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    helper = threading.Thread(target=press_ctrl_c)
    helper.start()
    started_at = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        cli._run_deep(command)
    helper.join()
    assert seen == ["interrupted"]
    assert time.perf_counter() - started_at < 4


# =====================================================================================
# The writer: killed at every step, then recovered by the next run
# =====================================================================================


def tree(files: dict[str, bytes]) -> dict[str, bytes]:
    """An sdkgen output: the files and their manifest."""
    return {**files, "manifest.json": output.manifest(files, "sdkgen test", {})}


OLD = tree({"a.txt": b"old a", "sub/b.txt": b"old b", "gone/c.txt": b"old c"})
NEW = tree({"a.txt": b"new a", "sub/b.txt": b"new b", "added/d.txt": b"new d"})
# What the user keeps in the output folder: sdkgen must never lose it.
USER = {"notes.txt": b"mine", "sub/user.txt": b"mine too", "gone/user.txt": b"mine three"}
GIT_HEAD = b"ref: refs/heads/main\n"

KILLED, FINISHED, FAILED = 37, 38, 39


def prepare(folder: Path) -> Path:
    target = folder / "out"
    write_tree(target, OLD)
    for relative, content in USER.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_bytes(content)
    (target / ".git").mkdir()
    (target / ".git" / "HEAD").write_bytes(GIT_HEAD)
    return target


def killed_at(step: int, action: Callable[[], object]) -> int:
    """Run `action` in a child process that dies (os._exit, no cleanup) at its `step`th
    file-system change; the child's exit code says whether it died, finished or failed."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        code = FAILED
        try:
            _die_at(step)
            action()
            code = FINISHED
        finally:
            os._exit(code)
    _, status = os.waitpid(child, 0)  # reaped: its pid is gone, as after a real kill
    return os.waitstatus_to_exitcode(status)


def _die_at(step: int) -> None:  # pragma: no cover - runs in the child
    count = [0]

    def counted(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            count[0] += 1
            if count[0] == step:
                os._exit(KILLED)
            return real(*args, **kwargs)

        return call

    for name in ("replace", "rename", "mkdir", "rmdir", "unlink", "chmod"):
        setattr(os, name, counted(getattr(os, name)))
    Path.write_bytes = counted(Path.write_bytes)  # type: ignore[method-assign]
    Path.write_text = counted(Path.write_text)  # type: ignore[method-assign]


def user_files_intact(target: Path) -> bool:
    return (
        all((target / p).read_bytes() == c for p, c in USER.items())
        and (target / ".git" / "HEAD").read_bytes() == GIT_HEAD
    )


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_write_killed_at_any_step_is_recovered_by_the_next(tmp_path: Path) -> None:
    outcomes: dict[str, int] = {"target missing": 0, "leftovers": 0, "old": 0, "new": 0}
    for step in range(1, 500):
        folder = tmp_path / f"step{step}"
        target = prepare(folder)
        code = killed_at(step, lambda: write_tree(target, NEW))  # noqa: B023
        if code == FINISHED:
            break
        assert code == KILLED, f"step {step}: the write failed instead"
        outcomes["target missing"] += not target.exists()
        outcomes["leftovers"] += len(os.listdir(folder)) > 1
        recover(target)
        assert sorted(os.listdir(folder)) == ["out"], f"step {step}: {os.listdir(folder)}"
        found = {k: v for k, v in read_tree(target).items() if k not in USER}
        assert found in (OLD, NEW), f"step {step}: neither the old nor the new tree"
        outcomes["old" if found == OLD else "new"] += 1
        assert user_files_intact(target), f"step {step}: a user's file was lost"
        write_tree(target, NEW)
        assert read_tree(target) == {**NEW, **USER}, f"step {step}"
        assert user_files_intact(target) and sorted(os.listdir(folder)) == ["out"]
    else:
        pytest.fail("the write never finished")
    assert step > 20  # every mkdir, write, rename and removal was a kill point
    assert outcomes["target missing"] >= 1  # the kill between the two renames was tried
    assert outcomes["leftovers"] >= step // 2
    assert outcomes["old"] >= 1 and outcomes["new"] >= 1, outcomes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_recovery_killed_at_any_step_is_finished_by_the_next(tmp_path: Path) -> None:
    """The state a kill between the renames leaves, recovered by a run that is killed too."""
    between = _between_renames(tmp_path / "probe")
    for step in range(1, 500):
        folder = tmp_path / f"step{step}"
        target = prepare(folder)
        killed_at(between, lambda: write_tree(target, NEW))  # noqa: B023
        assert not target.exists()
        code = killed_at(step, lambda: recover(target))  # noqa: B023
        if code == FINISHED:
            break
        assert code == KILLED
        write_tree(target, NEW)
        assert read_tree(target) == {**NEW, **USER}, f"step {step}"
        assert user_files_intact(target) and sorted(os.listdir(folder)) == ["out"]
    else:
        pytest.fail("the recovery never finished")
    assert step > 3


def _between_renames(folder: Path) -> int:
    """The kill step that leaves the target renamed away and the new tree not yet in."""
    for step in range(1, 500):
        target = prepare(folder)
        killed_at(step, lambda: write_tree(target, NEW))  # noqa: B023
        missing = not target.exists()
        shutil.rmtree(folder)
        if missing:
            return step
    raise AssertionError("no step leaves the target missing")


def leftover(target: Path, name: str, files: dict[str, bytes], age: float = 0) -> Path:
    folder = target.parent / f".{target.name}.{name}"
    for relative, content in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(content)
    folder.mkdir(exist_ok=True)
    if age:
        stamp = time.time() - age
        os.utime(folder, (stamp, stamp))
    return folder


def dead_pid() -> int:
    child = os.fork()
    if child == 0:  # pragma: no cover
        os._exit(0)
    os.waitpid(child, 0)
    return child


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_leftovers_of_gone_writers_are_removed_and_what_they_took_given_back(
    tmp_path: Path,
) -> None:
    target = tmp_path / "out"
    write_tree(target, OLD)
    gone = dead_pid()
    leftover(
        target,
        f"new-{gone}-abcd1234",
        {**NEW, "notes.txt": b"mine", MOVED_MARKER: b'["notes.txt"]'},
    )
    leftover(target, f"old-{gone}-abcd1234", OLD)
    leftover(target, f"old-{gone}", OLD)  # an earlier version's names
    leftover(target, "new-k3j_9x0a", {**NEW, ".git/HEAD": GIT_HEAD}, age=2 * 3600)
    unfinished = {k: v for k, v in NEW.items() if k != "manifest.json"}
    leftover(target, "new-zzzzzzzz", unfinished, age=2 * 3600)  # killed while writing
    write_tree(target, NEW)
    assert sorted(os.listdir(tmp_path)) == ["out"]
    assert read_tree(target) == {**NEW, "notes.txt": b"mine"}
    assert (target / ".git" / "HEAD").read_bytes() == GIT_HEAD


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_leftovers_of_running_writers_and_other_folders_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, OLD)
    running = os.getppid()  # alive: the process that started the tests
    kept = [
        leftover(target, f"new-{running}-abcd1234", NEW),
        leftover(target, f"old-{running}-abcd1234", OLD),
        leftover(target, f"old-{running}", OLD),
        leftover(target, f"new-{os.getpid()}-abcd1234", NEW),  # this very process
        leftover(target, "new-abcd1234", NEW),  # an earlier version's, only minutes old
        leftover(target, "backup", OLD),  # not a name sdkgen uses
        leftover(target, "new-notapid-x", OLD),
        leftover(target, "out.new-1-abcd1234", OLD),  # of another target, `out.out`
    ]
    a_file = tmp_path / f".out.old-{dead_pid()}-abcd1234"
    a_file.write_bytes(b"a file, not a folder")
    write_tree(target, NEW)
    assert sorted(os.listdir(tmp_path)) == sorted(["out", a_file.name, *(p.name for p in kept)])
    assert read_tree(target) == NEW


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_staging_folder_that_took_what_the_target_has_again_is_kept(tmp_path: Path) -> None:
    """Never delete the only copy: if both hold `notes.txt`, both are kept."""
    target = tmp_path / "out"
    write_tree(target, OLD)
    (target / "notes.txt").write_bytes(b"written since")
    folder = leftover(
        target,
        f"new-{dead_pid()}-abcd1234",
        {**NEW, "notes.txt": b"mine", MOVED_MARKER: b'["notes.txt"]'},
    )
    write_tree(target, NEW)
    assert (folder / "notes.txt").read_bytes() == b"mine"
    assert (target / "notes.txt").read_bytes() == b"written since"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_missing_target_is_restored_from_the_newest_complete_copy(tmp_path: Path) -> None:
    target = tmp_path / "out"
    gone = dead_pid()
    leftover(target, f"old-{gone}-aaaaaaaa", OLD)
    complete = leftover(target, f"new-{gone}-aaaaaaaa", {**NEW, **USER, MOVED_MARKER: b"[]"})
    partial = leftover(target, f"new-{gone}-bbbbbbbb", {"a.txt": b"half"})  # no marker
    os.utime(partial, (time.time() + 60, time.time() + 60))  # newer, but incomplete
    recover(target)
    assert not complete.exists()
    assert read_tree(target) == {**NEW, **USER}
    assert sorted(os.listdir(tmp_path)) == ["out"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_missing_target_with_only_an_old_tree_gets_it_back(tmp_path: Path) -> None:
    target = tmp_path / "out"
    leftover(target, f"old-{dead_pid()}", {**OLD})
    recover(target)
    assert read_tree(target) == OLD


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_with_the_target_missing_and_no_complete_copy_nothing_is_deleted(tmp_path: Path) -> None:
    target = tmp_path / "out"
    partial = leftover(target, f"new-{dead_pid()}-abcd1234", {"a.txt": b"half"})
    recover(target)
    assert not target.exists()
    assert (partial / "a.txt").read_bytes() == b"half"


def test_the_marker_of_a_kill_after_the_swap_is_not_output(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_tree(target, NEW)
    (target / MOVED_MARKER).write_text("[]", encoding="utf-8")
    assert read_tree(target) == NEW  # `sdkgen check` does not see it
    write_tree(target, NEW)
    assert not (target / MOVED_MARKER).exists()


def test_the_staging_folder_is_named_after_the_writing_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names: list[str] = []
    real_replace = os.replace

    def replace(source: Any, destination: Any) -> None:
        names.extend([Path(source).name, Path(destination).name])
        real_replace(source, destination)

    monkeypatch.setattr(output.os, "replace", replace)
    write_tree(tmp_path / "out", OLD)
    write_tree(tmp_path / "out", NEW)
    pid = os.getpid()
    assert any(n.startswith(f".out.new-{pid}-") for n in names), names
    assert any(n.startswith(f".out.old-{pid}-") for n in names), names


def test_the_cli_reports_a_folder_it_cannot_write_in_as_one_line(tmp_path: Path) -> None:
    document = tmp_path / "doc.yaml"
    document.write_text(OPERATION + "components: {schemas: {Thing: {}}}\n", encoding="utf-8")
    run = measured("generate", "--openapi", document, "--out", "/proc/sdkgen-test", cwd=tmp_path)
    assert run.code == 2 and run.err.startswith("error: /proc: cannot write here: "), run.describe()


# -- the overlay, the normalized spec and local documents get the same limits ------------


def test_duplicate_keys_in_an_overlay_or_a_normalized_spec_are_refused(tmp_path: Path) -> None:
    (tmp_path / "spec/x").mkdir(parents=True)
    (tmp_path / "spec/x/config.yaml").write_text("source: a.yaml\nsource: b.yaml\n")
    overlay = sdkgen("import", cwd=tmp_path)
    assert overlay.returncode == 2
    assert overlay.stderr == (
        f"error: {Path('spec/x/config.yaml')}: line 2: duplicate key 'source'\n"
    )
    (tmp_path / "spec.yaml").write_text("api: {name: a}\napi: {name: b}\n")
    spec = sdkgen("generate", "--spec", "spec.yaml", "--out", "out", cwd=tmp_path)
    assert spec.returncode == 2
    assert spec.stderr == "error: spec.yaml: line 2: duplicate key 'api'\n"
    assert not (tmp_path / "out").exists()


def test_an_endless_local_document_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = sdkgen("generate", "--openapi", "/dev/zero", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: /dev/zero: document is larger than 64 MB\n"
    assert time.perf_counter() - started < 10
