"""The content-hash cache: an unchanged run is served from it, any changed input, template
or code is not, a damaged entry is ignored, and `check` still sees a hand-edited file."""

from __future__ import annotations

import copy
import pickle
import shutil
from importlib import resources
from pathlib import Path

import pytest

import sdkgen.cache as cache_module
from sdkgen import pipeline
from sdkgen.cache import Cache, Entry, fingerprint_of
from sdkgen.config import default_config, load_config
from sdkgen.output import read_tree
from sdkgen.pipeline import import_cached, render_cached
from sdkgen.spec import parse_spec
from sdkgen.spec.model import MISSING, Spec

from .conftest import sdkgen as sdkgen_in_process
from .conftest import sdkgen_process as sdkgen
from .corpus import CORPUS

PETSTORE = (CORPUS / "security_bearer" / "openapi.yaml").read_text(encoding="utf-8")

# A document split over two files: a change in the `$ref`ed one must reach the import.
SPLIT_ROOT = """\
openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /items:
    get:
      operationId: listItems
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas.yaml#/Item"}
"""
SPLIT_SCHEMAS = """\
Item:
  type: object
  properties:
    id: {type: string}
"""


class Counting:
    """A spec loader that counts its calls: a render that hits the cache never loads."""

    def __init__(self, text: str):
        self.text, self.calls = text, 0

    def __call__(self) -> Spec:
        self.calls += 1
        return parse_spec(self.text)


def _spec_text(tmp_path: Path, cache: Cache, document: str = PETSTORE) -> str:
    source = tmp_path / "openapi.yaml"
    if not source.exists() or source.read_text(encoding="utf-8") != document:
        source.write_text(document, encoding="utf-8")
    return import_cached(default_config(source, package="pets"), cache).text


def test_an_unchanged_render_is_served_from_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    text = _spec_text(tmp_path, Cache(None))
    first, load = Cache(folder), Counting(text)
    files = render_cached(text.encode(), None, load, first)
    assert (first.misses, load.calls) == ({"render": 1}, 1)

    again, load_again = Cache(folder), Counting(text)  # a new process, the same folder
    assert render_cached(text.encode(), None, load_again, again) == files
    assert (again.hits, again.misses, load_again.calls) == ({"render": 1}, {}, 0)


def test_any_changed_byte_of_the_render_inputs_misses(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    text = _spec_text(tmp_path, Cache(None))
    render_cached(text.encode(), None, Counting(text), Cache(folder))
    changed = text.replace("title: ", "title: Changed ", 1)
    assert changed != text
    variants = [
        (changed, None, ""),  # the spec
        (text, b"# Changelog\n", ""),  # the changelog shipped beside it
        (text, None, '["other", null]'),  # names given on the command line
    ]
    for spec_text, changelog, variant in variants:
        cache, load = Cache(folder), Counting(spec_text)
        files = render_cached(spec_text.encode(), changelog, load, cache, variant)
        assert (cache.misses, load.calls) == ({"render": 1}, 1), (changelog, variant)
        if spec_text is changed:
            assert b"Changed" in b"".join(files.values())


def test_a_changed_template_or_code_file_changes_the_fingerprint(tmp_path: Path) -> None:
    code = tmp_path / "code"
    templates = tmp_path / "templates"
    shutil.copytree(Path(cache_module.__file__).parent, code)
    shutil.copytree(Path(str(resources.files("sdkgen.templates"))), templates)
    before = fingerprint_of(code, templates)
    assert fingerprint_of(code, templates) == before  # stable: a pure function of the files

    template = next(p for p in sorted(templates.rglob("*.j2")))
    template.write_bytes(template.read_bytes() + b" ")
    after_template = fingerprint_of(code, templates)
    (code / "naming.py").write_bytes((code / "naming.py").read_bytes() + b"\n")
    after_code = fingerprint_of(code, templates)
    assert len({before, after_template, after_code}) == 3


def test_a_changed_fingerprint_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    text = _spec_text(tmp_path, Cache(None))
    render_cached(text.encode(), None, Counting(text), Cache(folder))
    monkeypatch.setattr(cache_module, "fingerprint", lambda: "another sdkgen")
    cache, load = Cache(folder), Counting(text)
    render_cached(text.encode(), None, load, cache)
    assert (cache.misses, load.calls) == ({"render": 1}, 1)


def test_an_import_misses_when_any_file_it_read_changes(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    (tmp_path / "schemas.yaml").write_text(SPLIT_SCHEMAS, encoding="utf-8")
    first = Cache(folder)
    text = _spec_text(tmp_path, first, SPLIT_ROOT)
    assert first.misses == {"import": 1}

    warm = Cache(folder)
    assert _spec_text(tmp_path, warm, SPLIT_ROOT) == text
    assert warm.hits == {"import": 1}

    (tmp_path / "schemas.yaml").write_text(
        SPLIT_SCHEMAS + "    nickname: {type: string}\n", encoding="utf-8"
    )
    changed = Cache(folder)
    new_text = _spec_text(tmp_path, changed, SPLIT_ROOT)
    assert changed.hits == {} and "nickname" in new_text and "nickname" not in text

    root_changed = Cache(folder)
    _spec_text(tmp_path, root_changed, SPLIT_ROOT.replace("listItems", "listThings"))
    assert root_changed.hits == {}


def test_an_import_misses_when_the_overlay_changes(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    shutil.copy(CORPUS / "security_bearer" / "openapi.yaml", tmp_path / "openapi.yaml")
    config = tmp_path / "spec" / "pets" / "config.yaml"
    config.parent.mkdir(parents=True)
    overlay = "source: ../../openapi.yaml\npython: {package: pets, client: Pets}\n"
    config.write_text(overlay, encoding="utf-8")
    first = import_cached(load_config(config), Cache(folder)).text
    warm = Cache(folder)
    assert import_cached(load_config(config), warm).text == first and warm.hits

    config.write_text(overlay.replace("Pets}", "Petstore}"), encoding="utf-8")
    changed = Cache(folder)
    assert "Petstore" in import_cached(load_config(config), changed).text
    assert changed.hits == {}


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_ignored_and_replaced(tmp_path: Path, damage: str) -> None:
    folder = tmp_path / "cache"
    text = _spec_text(tmp_path, Cache(None))
    files = render_cached(text.encode(), None, Counting(text), Cache(folder))
    (entry,) = (folder / "render").iterdir()
    data = entry.read_bytes()
    damaged = {
        "truncate": data[: len(data) // 2],  # a write cut short
        "flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],  # one bit of one file
        "garbage": b"not an entry",
        "empty": b"",
    }[damage]
    entry.write_bytes(damaged)

    cache, load = Cache(folder), Counting(text)
    assert render_cached(text.encode(), None, load, cache) == files
    assert (cache.misses, load.calls) == ({"render": 1}, 1)
    healed = Cache(folder)
    render_cached(text.encode(), None, Counting(text), healed)
    assert healed.hits == {"render": 1}


def test_an_unwritable_cache_folder_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    text = _spec_text(tmp_path, Cache(None))
    cache = Cache(blocker / "cache")
    assert render_cached(text.encode(), None, Counting(text), cache)
    assert cache.misses == {"render": 1}


def test_only_the_newest_entries_are_kept(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    for number in range(cache_module.KEEP + 3):
        cache.put("render", f"{number:064x}", Entry({"n": number}, {"f": b"x"}))
    assert len(list((tmp_path / "render").iterdir())) == cache_module.KEEP


def _cache_lines(stderr: str) -> list[str]:
    return [line.split(" (")[0] for line in stderr.splitlines() if line.startswith("cache ")]


@pytest.mark.slow
def test_generate_and_check_share_the_cache_and_check_sees_hand_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    document = CORPUS / "security_bearer" / "openapi.yaml"
    root.mkdir()
    init = sdkgen("init", "pets", "--openapi", document, "--package", "pets", cwd=root)
    assert init.returncode == 0, init.stderr

    again = sdkgen("--timings", "generate", cwd=root)
    assert again.returncode == 0, again.stderr
    assert _cache_lines(again.stderr) == ["cache render: 1 hit, 0 miss"]
    assert "0 changed" in again.stderr

    current = sdkgen("--timings", "check", cwd=root)
    assert current.returncode == 0, current.stderr
    assert _cache_lines(current.stderr) == [
        "cache import: 1 hit, 0 miss",
        "cache render: 1 hit, 0 miss",
    ]

    edited = next((root / "generated" / "pets" / "python").rglob("_client.py"))
    edited.write_text(edited.read_text(encoding="utf-8") + "# a hand edit\n", encoding="utf-8")
    stale = sdkgen("--timings", "check", cwd=root)
    assert stale.returncode == 1
    assert "-# a hand edit" in stale.stdout
    assert _cache_lines(stale.stderr) == [
        "cache import: 1 hit, 0 miss",
        "cache render: 1 hit, 0 miss",
    ]

    off = sdkgen("--no-cache", "--timings", "check", cwd=root)
    assert off.returncode == 1 and "-# a hand edit" in off.stdout
    assert "miss (off)" in off.stderr


def test_generate_openapi_gives_one_output_with_or_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest names the source document either way (no cache: the spec is never
    written as YAML); with the cache, the second run is served from it."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    document = tmp_path / "split" / "openapi.yaml"
    document.parent.mkdir()
    document.write_text(SPLIT_ROOT, encoding="utf-8")
    (document.parent / "schemas.yaml").write_text(SPLIT_SCHEMAS, encoding="utf-8")
    outputs = {}
    for name, flags in (("cold", ["--no-cache"]), ("first", []), ("again", [])):
        out = tmp_path / name
        run = sdkgen(
            *flags, "--timings", "generate", "--openapi", document, "--out", out, cwd=tmp_path
        )
        assert run.returncode == 0, run.stderr
        outputs[name] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        if name == "again":
            assert "cache render: 1 hit, 0 miss" in run.stderr
    assert outputs["cold"] == outputs["first"] == outputs["again"]
    manifest = outputs["cold"][Path("manifest.json")].decode()
    assert '"source/openapi.yaml"' in manifest and '"spec.yaml"' not in manifest
    # a change in the file the source's ref reaches is a new render, not a stale hit
    (document.parent / "schemas.yaml").write_text(SPLIT_SCHEMAS + "    name: {type: string}\n")
    out = tmp_path / "changed"
    run = sdkgen("--timings", "generate", "--openapi", document, "--out", out, cwd=tmp_path)
    assert "cache render: 0 hit, 1 miss" in run.stderr
    assert "name" in (out / "python/src/openapi/types/models.py").read_text()


def test_generate_openapi_caches_the_spec_pickled_never_as_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache on, `generate --openapi` still never writes the spec as YAML (the
    emitter was most of a cold run); a render that misses beside an import that hits
    renders the pickled spec, to the same files."""
    monkeypatch.setenv("SDKGEN_CACHE_DIR", str(tmp_path / "cache"))
    document = tmp_path / "openapi.yaml"
    document.write_text(PETSTORE, encoding="utf-8")
    dumped: list[Spec] = []
    real_dump = pipeline.dump_spec

    def spy(spec: Spec) -> str:
        dumped.append(spec)
        return real_dump(spec)

    monkeypatch.setattr(pipeline, "dump_spec", spy)
    first = sdkgen_in_process("generate", "--openapi", document, "--out", tmp_path / "a")
    assert first.returncode == 0, first.stderr
    assert dumped == []
    (entry,) = (tmp_path / "cache" / "import").iterdir()
    assert b"spec.pickle" in entry.read_bytes() and b"spec.yaml" not in entry.read_bytes()
    shutil.rmtree(tmp_path / "cache" / "render")
    again = sdkgen_in_process(
        "--timings", "generate", "--openapi", document, "--out", tmp_path / "b"
    )
    assert "cache import: 1 hit, 0 miss" in again.stderr
    assert "cache render: 0 hit, 1 miss" in again.stderr
    assert read_tree(tmp_path / "a") == read_tree(tmp_path / "b")


def test_a_pickled_spec_is_the_spec_with_its_absent_defaults() -> None:
    """`MISSING` marks an absent default by identity: it stays the one instance through
    pickle and copy."""
    spec = parse_spec(
        (Path(__file__).parent.parent / "spec/openai-assistants/spec.yaml").read_text()
    )
    again = pickle.loads(pickle.dumps(spec, pickle.HIGHEST_PROTOCOL))
    assert again == spec
    fields = [f for m in again.models for f in m.fields]
    assert any(f.default is MISSING for f in fields)
    assert copy.deepcopy(MISSING) is MISSING
