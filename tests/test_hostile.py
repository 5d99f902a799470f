"""The hostile-input catalog: inputs that must fail cleanly, and inputs that must work.

Fixtures live in tests/hostile/:

- malformed/<case>/: an OpenAPI document (plus an overlay config.yaml, or a hand-edited
  spec.yaml, where the case needs one). Every run of the CLI on it must exit 2 with one
  line `error: <file>: <location>: <message>` on stderr, no traceback, nothing on stdout,
  and nothing written: a previous spec.yaml and generated/<api>/ stay byte for byte.
- tricky/<case>/openapi.yaml: legal but awkward documents. `sdkgen import` and
  `sdkgen generate` must succeed, `sdkgen check` must find the output current, the
  generated package must pass `black --check` and `ruff check`, import, and keep names,
  values and text exactly.

The CLI runs in this process through click's test runner (the same code from the argument
list to the exit code and the two streams, without the half second an interpreter takes to
start), and, in the slow tier, every malformed case again as users run it: the `sdkgen`
entry point next to sys.executable (or `python -m sdkgen.cli` when there is none), in a
subprocess.
"""

from __future__ import annotations

import ast
import collections.abc
import html
import importlib
import inspect
import itertools
import json
import re
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
import yaml
from ruff.__main__ import find_ruff_bin
from typing_extensions import is_typeddict  # typing's misses it before 3.13

from .conftest import black_differences, sdkgen

HOSTILE = Path(__file__).resolve().parent / "hostile"
MALFORMED = HOSTILE / "malformed"
TRICKY = HOSTILE / "tricky"
API = "hostile"  # the spec/<api>/ folder name used in the repo-root runs

_ENTRY_POINT = Path(sys.executable).with_name("sdkgen")
SDKGEN = [str(_ENTRY_POINT)] if _ENTRY_POINT.is_file() else [sys.executable, "-m", "sdkgen.cli"]

PREVIOUS_SPEC = b"""\
# The spec.yaml of a previous run: a failed run must leave it alone.
api:
  name: hostile
  package: hostile_previous
models:
  Previous:
    fields:
      id: {type: string, required: true}
"""
PREVIOUS_OUTPUT = {
    "SENTINEL": b"output of a previous run: a failed run must leave it alone\n",
    "python/src/previous/__init__.py": b"PREVIOUS = True\n",
}


def sdkgen_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as users run it, in a subprocess."""
    return subprocess.run(
        [*SDKGEN, *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        errors="replace",
        cwd=cwd,
        timeout=120,
    )


def describe(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\n--- stdout:\n{result.stdout}\n--- stderr:\n{result.stderr}"


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) under root."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
        if "__pycache__" not in p.parts
    }


def write_files(root: Path, files: dict[str, bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


# =====================================================================================
# Malformed input: exit 2, one clean line, nothing written
# =====================================================================================

OPENAPI, ROOT_IMPORT, ROOT_CHECK, SPEC_GENERATE, ROOT_GENERATE = (
    "openapi", "root-import", "root-check", "spec-generate", "root-generate",
)  # fmt: skip
IMPORT_MODES = (OPENAPI, ROOT_IMPORT, ROOT_CHECK)


@dataclass(frozen=True)
class Malformed:
    case: str  # folder under tests/hostile/malformed/
    files: tuple[str, ...]  # the error line must name one of these files (by base name)
    location: str | None  # regex the location must match in full; None: a whole-file problem
    words: tuple[str, ...]  # regexes, each must occur in the message (case-insensitive)
    source: str = "openapi.yaml"  # the OpenAPI document of the case
    modes: tuple[str, ...] = IMPORT_MODES
    mentions: tuple[str, ...] = ()  # plain text the whole line must contain

    @property
    def folder(self) -> Path:
        return MALFORMED / self.case


_MISSING = r"not found|does not exist|no such|missing|cannot (read|open|find)"

MALFORMED_CASES = [
    Malformed(
        "01_dangling_ref", ("openapi.yaml",), r"#/components/schemas/Thing/properties/other",
        (r"#/components/schemas/Nope", r"points to nothing|dangling|unresolv|undefined|unknown|" + _MISSING),
    ),
    Malformed(
        "02_missing_external_file", ("openapi.yaml",), r"#/components/schemas/Thing/properties/ext",
        (r"other\.yaml", _MISSING),
    ),
    Malformed(
        "03_duplicate_operation_id", ("openapi.yaml",), r"#/paths/~1(a/get|b/post)",
        (r"getThing", r"duplicate|already|twice|more than once"),
    ),
    Malformed(
        "04_unknown_type", ("openapi.yaml",), r"#/components/schemas/Thing/properties/name(/type)?",
        (r"strnig", r"unknown|invalid|unsupported|not a (valid|known)"),
    ),
    Malformed("06a_empty_file", ("openapi.yaml",), None, (r"empty",)),
    Malformed(
        "06b_only_comments", ("openapi.yaml",), None,
        (r"empty|not an OpenAPI|expected a mapping|no content",),
    ),
    Malformed("07a_unclosed_bracket", ("openapi.yaml",), r"line \d+", (r"YAML|syntax|pars",)),
    Malformed(
        "07b_binary_junk", ("openapi.yaml",), None,
        (r"UTF-?8|binary|decode|encoding|not (valid )?text|cannot read",),
    ),
    Malformed("07c_invalid_json", ("openapi.json",), r"line \d+", (r"JSON",), source="openapi.json"),
    Malformed(
        "08_missing_source", ("nowhere.yaml", "config.yaml"), None,
        (r"not found|does not exist|no such|cannot (read|open|find)",), source="nowhere.yaml",
        mentions=("nowhere.yaml",),
    ),
    Malformed(
        "09_overlay_unknown_operation", ("config.yaml",), r"resources\.things\.nope(\.operation)?",
        (r"listNope", r"no operation|not found|unknown|does not exist|no such"), modes=(ROOT_IMPORT, ROOT_CHECK),
    ),
    Malformed(
        "10_spec_unknown_type", ("spec.yaml",), r"models\.Thing\.fields\.owner\.type",
        (r"Nope", r"unknown|undefined|not defined|no (such )?(type|definition)"),
        modes=(SPEC_GENERATE, ROOT_GENERATE, ROOT_CHECK),
    ),
    Malformed(
        "11a_swagger_2", ("openapi.yaml",), r"#(/openapi|/swagger)?",
        (r"OpenAPI", r"3\.0|3\.1|2\.0|swagger"),
    ),
    Malformed("11b_not_a_mapping", ("openapi.yaml",), None, (r"OpenAPI|mapping|object",)),
    Malformed(
        "12a_ref_cycle", ("openapi.yaml",), r"#/components/schemas/(A|B)",
        (r"cycle|circular|itself|recursi|loop",),
    ),
    Malformed(
        "12b_self_ref", ("openapi.yaml",), r"#/components/schemas/Ouroboros",
        (r"cycle|circular|itself|recursi|loop",),
    ),
    # Reliability (issue 10): bounded reading, duplicate keys, $refs kept in the folder.
    Malformed("18a_yaml_bomb", ("openapi.yaml",), None, (r"YAML aliases", r"100000 nodes", r"bomb")),
    Malformed(
        "18b_yaml_bomb_in_default", ("openapi.yaml",), None,
        (r"YAML aliases", r"100000 nodes", r"bomb"),
    ),
    Malformed("18c_recursive_alias", ("openapi.yaml",), r"line 16", (r"alias to itself",)),
    Malformed("19a_duplicate_key", ("openapi.yaml",), r"line 17", (r"duplicate key 'paths'",)),
    Malformed(
        "19b_duplicate_key_json", ("openapi.json",), r"#/components/schemas/Thing/properties",
        (r"duplicate key 'id'",), source="openapi.json",
    ),
    Malformed(
        "20_deep_json", ("openapi.json",), None, (r"nests deeper than 1000 levels",),
        source="openapi.json",
    ),
    Malformed(
        "21a_ref_absolute_path", ("openapi.yaml",), r"#/components/schemas/Thing/properties/other",
        (r"'/etc/passwd'", r"absolute paths are not followed"),
    ),
    Malformed(
        "21b_ref_file_url", ("openapi.yaml",), r"#/components/schemas/Thing/properties/other",
        (r"'file:///etc/passwd'", r"only relative file paths"),
    ),
    Malformed(
        "21c_ref_escapes_folder", ("openapi.yaml",), r"#/components/schemas/Thing/properties/other",
        (r"'(\.\./)+etc/passwd#/root'", r"leads outside the folder"),
    ),
    Malformed(
        "21d_ref_remote", ("openapi.yaml",), r"#/components/schemas/Thing/properties/other",
        (r"'https://example\.com/schemas\.yaml#/Thing'", r"remote references are not followed"),
    ),
    Malformed(
        "22_lone_surrogate", ("openapi.json",), r"#/components/schemas/Thing/description",
        (r"cannot be encoded as UTF-8", r"lone surrogate \\ud800"), source="openapi.json",
    ),
    # Shapes (issue 10): every node the importer reads is checked against one table, and
    # the first of the wrong kind is named with its pointer (importers/shapes.py).
    Malformed(
        "24a_shape_response_string", ("openapi.yaml",), r"#/paths/~1pets/get/responses/200",
        (r"^expected a mapping, got a string$",),
    ),
    Malformed(
        "24b_shape_properties_list", ("openapi.yaml",), r"#/components/schemas/Pet/properties",
        (r"^expected a mapping, got a list$",),
    ),
    Malformed(
        "24c_shape_parameters_mapping", ("openapi.yaml",), r"#/paths/~1pets/get/parameters",
        (r"^expected a list, got a mapping$",),
    ),
    Malformed(
        "24d_shape_operation_list", ("openapi.yaml",), r"#/paths/~1pets/get",
        (r"^expected a mapping, got a list$",),
    ),
    Malformed(
        "24e_shape_required_string", ("openapi.yaml",), r"#/components/schemas/Pet/required",
        (r"^expected a list, got a string$",),
    ),
    Malformed(
        "24f_shape_servers_mapping", ("openapi.yaml",), r"#/servers",
        (r"^expected a list, got a mapping$",),
    ),
    Malformed(
        "24g_shape_in_external_file", ("schemas.yaml",), r"#/Pet/properties/tags/items",
        (r"^expected a schema \(a mapping or true/false\), got a list$",),
    ),
    Malformed(
        "24h_shape_enum_mapping", ("openapi.yaml",), r"#/components/schemas/Mood/enum",
        (r"^expected a list, got a mapping$",),
    ),
    Malformed(
        "24i_shape_security_scheme_string", ("openapi.yaml",),
        r"#/components/securitySchemes/token", (r"^expected a mapping, got a string$",),
    ),
    Malformed(
        "24j_shape_tags_string", ("openapi.yaml",), r"#/paths/~1pets/get/tags",
        (r"^expected a list, got a string$",),
    ),
]  # fmt: skip


def make_repo(root: Path, case: Malformed) -> Path:
    """A repository root with the case under spec/hostile/ and a previous run's output."""
    api_dir = root / "spec" / API
    shutil.copytree(case.folder, api_dir)
    if not (api_dir / "config.yaml").exists():
        (api_dir / "config.yaml").write_text(
            f"source: {case.source}\npython: {{package: hostile_{case.case}}}\n", encoding="utf-8"
        )
    if not (api_dir / "spec.yaml").exists():
        (api_dir / "spec.yaml").write_bytes(PREVIOUS_SPEC)
    write_files(root / "generated" / API, PREVIOUS_OUTPUT)
    return root


def assert_clean_error(result: subprocess.CompletedProcess[str], case: Malformed) -> None:
    assert result.returncode == 2, describe(result)
    assert "Traceback" not in result.stderr, describe(result)
    assert result.stdout == "", describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected exactly one line on stderr\n{describe(result)}"
    line = lines[0]
    assert line.startswith("error: "), line
    file, sep, rest = line[len("error: ") :].partition(": ")
    assert sep, f"no `<file>: ` in {line!r}"
    named = Path(file).name
    assert named in case.files, f"names {file!r}, expected one of {case.files}: {line!r}"
    if case.location is not None:
        location, sep, message = rest.partition(": ")
        assert sep, f"no `<location>: ` in {line!r}"
        where = re.fullmatch(case.location, location)
        assert where, f"location {location!r} !~ {case.location!r}: {line!r}"
    else:
        message = rest
    for word in case.words:
        assert re.search(word, message, re.IGNORECASE), f"{word!r} not in the message {message!r}"
    for text in case.mentions:
        assert text in line, f"{text!r} not in {line!r}"


def _malformed_params() -> list[Any]:
    return [
        pytest.param(case, mode, id=f"{case.case}-{mode}")
        for case in MALFORMED_CASES
        for mode in case.modes
    ]


@pytest.mark.parametrize(("case", "mode"), _malformed_params())
def test_malformed_input_fails_cleanly(case: Malformed, mode: str, tmp_path: Path) -> None:
    _fails_cleanly(case, mode, tmp_path, sdkgen)


@pytest.mark.slow
@pytest.mark.parametrize(("case", "mode"), _malformed_params())
def test_malformed_input_fails_cleanly_in_a_process(
    case: Malformed, mode: str, tmp_path: Path
) -> None:
    _fails_cleanly(case, mode, tmp_path, sdkgen_process)


def _fails_cleanly(
    case: Malformed,
    mode: str,
    tmp_path: Path,
    run: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    if mode in (OPENAPI, SPEC_GENERATE):
        work = tmp_path / "work"
        shutil.copytree(case.folder, work / "in")
        if mode == OPENAPI:
            args: tuple[str | Path, ...] = (
                "import",
                "--openapi",
                work / "in" / case.source,
                "--out",
                work / "out" / "spec.yaml",
            )
        else:
            write_files(work / "out", PREVIOUS_OUTPUT)
            args = ("generate", "--spec", work / "in" / "spec.yaml", "--out", work / "out")
    else:
        work = make_repo(tmp_path / "repo", case)
        command = {ROOT_IMPORT: "import", ROOT_CHECK: "check", ROOT_GENERATE: "generate"}[mode]
        args = (command, "--root", work)
    before = snapshot(work)
    result = run(*args, cwd=tmp_path)
    assert_clean_error(result, case)
    after = snapshot(work)
    assert after == before, (
        "a failed run changed files: "
        f"added {sorted(set(after) - set(before))}, removed {sorted(set(before) - set(after))}, "
        f"modified {sorted(k for k in set(after) & set(before) if after[k] != before[k])}"
    )


def test_10_spec_is_valid_but_for_the_hand_edit(tmp_path: Path) -> None:
    """Case 10 fails because of the unknown type, not because the fixture is stale."""
    text = (MALFORMED / "10_spec_unknown_type" / "spec.yaml").read_text(encoding="utf-8")
    assert text.count("type: Nope") == 1
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.replace("type: Nope", "type: string"), encoding="utf-8")
    from sdkgen.spec import load_spec

    assert [m.name for m in load_spec(spec).models] == ["Thing"]


def test_every_malformed_fixture_is_in_the_catalog() -> None:
    assert sorted(p.name for p in MALFORMED.iterdir() if p.is_dir()) == sorted(
        c.case for c in MALFORMED_CASES
    )


# =====================================================================================
# Tricky but legal input: generated, formatted, importable, exact
# =====================================================================================

TRICKY_CASES = sorted(p.name for p in TRICKY.iterdir() if p.is_dir())


def package_name(case: str) -> str:
    return "hostile_" + case


def fixture_document(case: str) -> dict[str, Any]:
    data = yaml.safe_load((TRICKY / case / "openapi.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def schema_of(case: str, name: str) -> dict[str, Any]:
    schema = fixture_document(case)["components"]["schemas"][name]
    assert isinstance(schema, dict)
    return schema


@dataclass
class Built:
    case: str
    root: Path
    steps: list[tuple[str, subprocess.CompletedProcess[str]]] = field(default_factory=list)
    _modules: dict[str, ModuleType] | None = None

    @property
    def output(self) -> Path:
        return self.root / "generated" / API

    @property
    def python(self) -> Path:
        return self.output / "python"

    @property
    def src(self) -> Path:
        return self.python / "src"

    @property
    def package(self) -> str:
        return package_name(self.case)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(r.returncode == 0 for _, r in self.steps)

    def require(self) -> None:
        """Fail (not skip) a test that needs the generated package when generation failed."""
        if not self.ok:
            name, result = next((n, r) for n, r in self.steps if r.returncode != 0)
            pytest.fail(f"sdkgen {name} failed for {self.case}\n{describe(result)}", pytrace=False)

    def modules(self) -> dict[str, ModuleType]:
        """The generated package, imported in this process under its unique name."""
        self.require()
        if self._modules is None:
            if str(self.src) not in sys.path:
                sys.path.insert(0, str(self.src))
            importlib.invalidate_caches()
            self._modules = {
                "package": importlib.import_module(self.package),
                "types": importlib.import_module(f"{self.package}.types"),
                "models": importlib.import_module(f"{self.package}.types.models"),
                "params": importlib.import_module(f"{self.package}.types.params"),
            }
        return self._modules

    def parse(self, type_: Any, data: Any) -> Any:
        """Parse with the generated runtime, strictly: nothing may slip into extras."""
        return self.modules()["package"].parse(type_, data, strict=True)


def _build(case: str, tmp: Path) -> Built:
    root = tmp / "repo"
    api_dir = root / "spec" / API
    api_dir.mkdir(parents=True)
    shutil.copy(TRICKY / case / "openapi.yaml", api_dir / "openapi.yaml")
    (api_dir / "config.yaml").write_text(
        f"source: openapi.yaml\npython: {{package: {package_name(case)}}}\n", encoding="utf-8"
    )
    built = Built(case, root)
    for command in ("import", "generate"):
        result = sdkgen(command, "--root", root, cwd=tmp)
        built.steps.append((command, result))
        if result.returncode != 0:
            break
    return built


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> typing.Iterator[Callable[[str], Built]]:
    """Each tricky case is imported and generated once per module, on first use."""
    cache: dict[str, Built] = {}

    def get(case: str) -> Built:
        if case not in cache:
            cache[case] = _build(case, tmp_path_factory.mktemp(case))
        return cache[case]

    yield get
    for built in cache.values():
        if str(built.src) in sys.path:
            sys.path.remove(str(built.src))
        for name in [
            m for m in sys.modules if m == built.package or m.startswith(built.package + ".")
        ]:
            del sys.modules[name]


tricky = pytest.mark.parametrize("case", TRICKY_CASES)


@tricky
def test_tricky_import_and_generate_succeed(case: str, build: Callable[[str], Built]) -> None:
    built = build(case)
    for name, result in built.steps:
        assert result.returncode == 0, f"sdkgen {name}\n{describe(result)}"
        assert "Traceback" not in result.stderr, describe(result)
    assert [name for name, _ in built.steps] == ["import", "generate"]
    assert (built.src / built.package / "types" / "models.py").is_file()


@tricky
def test_tricky_check_finds_output_current(case: str, build: Callable[[str], Built]) -> None:
    built = build(case)
    built.require()
    result = sdkgen("check", "--root", built.root)
    assert result.returncode == 0, describe(result)


@tricky
def test_tricky_output_compiles(case: str, build: Callable[[str], Built]) -> None:
    built = build(case)
    built.require()
    sources = sorted(built.python.rglob("*.py"))
    assert sources
    for path in sources:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)


# black takes 1.5 s a case (in process): the fast tier checks the cases richest in text and
# names, the full suite every one.
_FORMAT_CHECKED_FAST = ("13a_identifiers", "15a_descriptions", "25c_injection_in_every_text_field")
assert set(_FORMAT_CHECKED_FAST) <= set(TRICKY_CASES)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=() if case in _FORMAT_CHECKED_FAST else pytest.mark.slow)
        for case in TRICKY_CASES
    ],
)
def test_tricky_output_passes_black_and_ruff(case: str, build: Callable[[str], Built]) -> None:
    built = build(case)
    built.require()
    differences = black_differences(built.python, rendered_only=True)
    assert not differences, f"black --check:\n{differences}"
    ruff = subprocess.run(
        [find_ruff_bin(), "check", "--no-cache", str(built.python)],
        check=False, capture_output=True, text=True, cwd=built.python, timeout=120,
    )  # fmt: skip
    assert ruff.returncode == 0, f"ruff check:\n{ruff.stdout}{ruff.stderr}"


@tricky
def test_tricky_output_imports_and_every_annotation_resolves(
    case: str, build: Callable[[str], Built]
) -> None:
    modules = build(case).modules()
    models, params, types = modules["models"], modules["params"], modules["types"]
    for name in models.__all__:
        value = getattr(models, name)
        if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
            value.model_rebuild(force=True)
            typing.get_type_hints(value, include_extras=True)
        else:
            pydantic.TypeAdapter(value)
    for name in params.__all__:
        value = getattr(params, name)
        if is_typeddict(value):
            typing.get_type_hints(value, include_extras=True)
        pydantic.TypeAdapter(value)
    for name in types.__all__:
        assert getattr(types, name) is getattr(models, name, None) or getattr(
            types, name
        ) is getattr(params, name)


# -- 13: identifiers ------------------------------------------------------------------


def _wire_names(model: type[pydantic.BaseModel]) -> dict[str, str]:
    return {(name if f.alias is None else f.alias): name for name, f in model.model_fields.items()}


def test_13a_identifiers_round_trip(build: Callable[[str], Built]) -> None:
    built = build("13a_identifiers")
    models = built.modules()["models"]
    keys = list(schema_of("13a_identifiers", "Weird")["properties"])
    assert set(_wire_names(models.Weird)) == set(keys)
    data = {key: index for index, key in enumerate(keys)}
    weird = built.parse(models.Weird, data)
    assert weird.model_extra == {}
    for wire, attribute in _wire_names(models.Weird).items():
        assert attribute.isidentifier() and not attribute.startswith("_"), attribute
        assert getattr(weird, attribute) == data[wire], wire
    assert weird.model_dump(exclude_unset=True) == data
    assert json.loads(weird.model_dump_json(exclude_unset=True)) == data
    # The pydantic API the field names would shadow still works.
    assert isinstance(models.Weird.model_config, dict)
    assert callable(weird.model_dump) and isinstance(models.Weird.model_fields, dict)


def test_13a_identifiers_each_key_alone(build: Callable[[str], Built]) -> None:
    """A wire name that equals another field's Python name must not feed that field too."""
    built = build("13a_identifiers")
    models = built.modules()["models"]
    schema = schema_of("13a_identifiers", "Weird")
    base = {key: 100 + i for i, key in enumerate(schema["required"])}
    wrong = {}
    for key in schema["properties"]:
        data = {**base, key: 7}
        dumped = built.parse(models.Weird, data).model_dump(exclude_unset=True)
        if dumped != data:
            wrong[key] = dumped
    assert not wrong, f"parsing one key gave back other keys too: {wrong}"


def test_13a_identifiers_typed_dict(build: Callable[[str], Built]) -> None:
    modules = build("13a_identifiers").modules()
    schema = schema_of("13a_identifiers", "Weird")
    param = modules["params"].WeirdParam
    assert modules["types"].WeirdParam is param
    assert is_typeddict(param)
    assert param.__required_keys__ | param.__optional_keys__ == set(schema["properties"])
    assert param.__required_keys__ == set(schema["required"])


def _shadow_sample() -> dict[str, Any]:
    sample = {"string": "s", "integer": 1, "number": 1.5, "boolean": True}
    data: dict[str, Any] = {}
    for key, prop in schema_of("13b_shadowed_field_names", "Shadow")["properties"].items():
        kind = prop.get("type")
        if "enum" in prop:
            data[key] = prop["enum"][0]
        elif kind == "array":
            data[key] = ["a", "b"]
        elif kind == "object":
            data[key] = {"k": "v"}
        elif kind is None:
            data[key] = {"anything": [1, None]}
        else:
            data[key] = sample[kind]
    return data


def test_13b_shadowed_field_names_round_trip(build: Callable[[str], Built]) -> None:
    built = build("13b_shadowed_field_names")
    models = built.modules()["models"]
    data = _shadow_sample()
    assert set(_wire_names(models.Shadow)) == set(data)
    shadow = built.parse(models.Shadow, data)
    assert shadow.model_extra == {}
    assert shadow.model_dump(exclude_unset=True) == data
    # Annotations after the shadowing fields still mean the builtins.
    for bad in ({"tail": 123}, {"int": "not a number"}, {"kind": "c"}):
        with pytest.raises(pydantic.ValidationError):
            built.parse(models.Shadow, bad)


def test_13b_shadowed_field_names_typed_dict(build: Callable[[str], Built]) -> None:
    modules = build("13b_shadowed_field_names").modules()
    param = modules["params"].ShadowParam
    assert param.__required_keys__ | param.__optional_keys__ == set(_shadow_sample())
    hints = typing.get_type_hints(param)
    assert hints["tail"] is str and hints["int"] is int


def test_13c_shadowed_class_names(build: Callable[[str], Built]) -> None:
    built = build("13c_shadowed_class_names")
    modules = built.modules()
    models, params = modules["models"], modules["params"]
    response = next(getattr(models, n) for n in models.__all__ if n.endswith("Response"))
    # Each model has exactly its own fields (none inherited from a model named BaseModel).
    for name in ("BaseModel", "Field", "Tag"):
        properties = schema_of("13c_shadowed_class_names", name)["properties"]
        assert set(_wire_names(getattr(models, name))) == set(properties), name
    assert set(_wire_names(response)) == {"a", "b", "c", "d"}
    data = {"a": {"x": "1"}, "b": {"my-name": "n"}, "c": "x", "d": {"t": "t"}}
    value = built.parse(response, data)
    assert isinstance(value.a, models.BaseModel) and isinstance(value.b, models.Field)
    assert isinstance(value.d, models.Tag) and value.b.model_dump(exclude_unset=True) == {
        "my-name": "n"
    }
    assert value.model_dump(exclude_unset=True) == data
    assert _literal_values(models.Literal) == ("x", "y")
    with pytest.raises(pydantic.ValidationError):
        built.parse(response, {"c": "z"})
    iterable = params.Iterable
    assert is_typeddict(iterable)
    assert iterable.__optional_keys__ == {"items", "mode"}
    hints = typing.get_type_hints(iterable)
    assert typing.get_origin(hints["items"]) is collections.abc.Iterable, hints["items"]
    sent = {"items": ["a", "b"], "mode": "y"}
    checked = pydantic.TypeAdapter(iterable).validate_python(sent)
    # pydantic validates an Iterable lazily: consume it to compare.
    assert {**checked, "items": list(checked["items"])} == sent


# -- 14: enum values ------------------------------------------------------------------


def _literal_values(alias: Any) -> tuple[Any, ...]:
    if typing.get_origin(alias) is typing.Annotated:
        alias = typing.get_args(alias)[0]
    assert typing.get_origin(alias) is typing.Literal, alias
    return typing.get_args(alias)


@pytest.mark.parametrize(
    ("alias", "schema", "field_name"),
    [("Mood", "Mood", "mood"), ("Level", "Level", "level"), ("HolderInline", None, "inline")],
)
def test_14_enum_values(
    alias: str, schema: str | None, field_name: str, build: Callable[[str], Built]
) -> None:
    built = build("14_enum_values")
    models = built.modules()["models"]
    holder = schema_of("14_enum_values", "Holder")
    values = (schema_of("14_enum_values", schema) if schema else holder["properties"][field_name])[
        "enum"
    ]
    args = _literal_values(getattr(models, alias))
    assert list(args) == values
    assert [type(a) for a in args] == [type(v) for v in values]
    for value in values:
        data = {"mood": "", field_name: value}
        parsed = built.parse(models.Holder, data)
        assert getattr(parsed, field_name) == value and type(getattr(parsed, field_name)) is type(
            value
        )
        assert parsed.model_dump(exclude_unset=True) == data
    with pytest.raises(pydantic.ValidationError):
        built.parse(models.Holder, {"mood": "", field_name: "definitely not a value"})


# -- 15: descriptions -----------------------------------------------------------------


def _attribute_docs(tree: ast.Module, class_name: str | None) -> dict[str, str]:
    """Docstrings after assignments, in a class body or (None) at module level."""
    if class_name is None:
        body = tree.body
    else:
        body = next(
            n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name
        ).body
    docs = {}
    for statement, following in itertools.pairwise(body):
        target = statement.target if isinstance(statement, ast.AnnAssign) else None
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        if (
            isinstance(target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


def _source_tree(built: Built, module: str) -> ast.Module:
    return ast.parse(
        (built.src / built.package / "types" / f"{module}.py").read_text(encoding="utf-8")
    )


def test_15a_class_docstrings(build: Callable[[str], Built]) -> None:
    built = build("15a_descriptions")
    modules = built.modules()
    expected = schema_of("15a_descriptions", "Doc")["description"]
    assert inspect.cleandoc(expected) == expected  # the fixture's text survives cleandoc
    assert inspect.cleandoc(modules["models"].Doc.__doc__) == expected
    assert inspect.getdoc(modules["models"].Doc) == expected
    assert inspect.cleandoc(modules["params"].DocParam.__doc__) == expected


@pytest.mark.parametrize("module", ["models", "params"])
def test_15a_field_docstrings(module: str, build: Callable[[str], Built]) -> None:
    built = build("15a_descriptions")
    models = built.modules()["models"]
    class_name = "Doc" if module == "models" else "DocParam"
    docs = _attribute_docs(_source_tree(built, module), class_name)
    attribute = {wire: name for wire, name in _wire_names(models.Doc).items()}
    properties = schema_of("15a_descriptions", "Doc")["properties"]
    expected = {k: p["description"] for k, p in properties.items() if "description" in p}
    assert expected
    names = attribute if module == "models" else {k: k for k in properties}
    found = {wire: docs.get(names[wire]) for wire in expected}
    assert found == expected


def test_15a_enum_and_union_docstrings(build: Callable[[str], Built]) -> None:
    built = build("15a_descriptions")
    built.modules()
    docs = _attribute_docs(_source_tree(built, "models"), None)
    for name in ("Mood", "Shape"):
        assert docs.get(name) == schema_of("15a_descriptions", name)["description"], name


def test_15b_title_and_version(build: Callable[[str], Built]) -> None:
    built = build("15b_title_and_version")
    modules = built.modules()
    info = fixture_document("15b_title_and_version")["info"]
    title, version = info["title"], info["version"]
    for module in modules.values():
        assert module.__doc__ is not None and title in module.__doc__, module.__name__
    readme = _markdown_as_text((built.python / "README.md").read_text(encoding="utf-8"))
    assert title in readme and version in readme
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((built.python / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    assert project["description"] == f"Python SDK for {title}"
    # info.version is free text; the distribution's version must still be installable.
    packaging_version = pytest.importorskip("packaging.version")
    packaging_version.Version(project["version"])
    assert isinstance(modules["package"].__version__, str)


# -- 16: recursion --------------------------------------------------------------------


def test_16_self_recursion(build: Callable[[str], Built]) -> None:
    built = build("16_recursion")
    models = built.modules()["models"]
    data = {
        "name": "1",
        "children": [{"name": "2", "children": [{"name": "3", "children": []}]}, {"name": "2b"}],
    }
    node = built.parse(models.Node, data)
    assert isinstance(node.children[0], models.Node)
    assert isinstance(node.children[0].children[0], models.Node)
    assert node.children[0].children[0].name == "3"
    assert node.model_dump(exclude_unset=True) == data


def test_16_mutual_recursion(build: Callable[[str], Built]) -> None:
    built = build("16_recursion")
    models = built.modules()["models"]
    data = {"label": "a1", "b": {"label": "b1", "a": {"label": "a2", "b": {"label": "b2"}}}}
    a = built.parse(models.A, data)
    assert (
        isinstance(a.b, models.B) and isinstance(a.b.a, models.A) and isinstance(a.b.a.b, models.B)
    )
    assert a.b.a.b.label == "b2"
    assert a.model_dump(exclude_unset=True) == data


def test_16_recursive_tagged_union(build: Callable[[str], Built]) -> None:
    built = build("16_recursion")
    models = built.modules()["models"]
    data = {
        "kind": "branch",
        "children": [
            {"kind": "branch", "children": [{"kind": "leaf", "value": 3}]},
            {"kind": "leaf", "value": 1},
        ],
    }
    tree = built.parse(models.Tree, data)
    assert isinstance(tree, models.Branch)
    assert isinstance(tree.children[0], models.Branch) and isinstance(tree.children[1], models.Leaf)
    assert (
        isinstance(tree.children[0].children[0], models.Leaf)
        and tree.children[0].children[0].value == 3
    )
    assert tree.model_dump(exclude_unset=True) == data


def test_16_recursive_untagged_union(build: Callable[[str], Built]) -> None:
    built = build("16_recursion")
    models = built.modules()["models"]
    data = {"left": {"left": 1, "right": {"left": 2, "right": 3}}, "right": 4}
    expr = built.parse(models.Expr, data)
    assert isinstance(expr, models.Pair)
    assert isinstance(expr.left, models.Pair) and isinstance(expr.left.right, models.Pair)
    assert expr.left.right.right == 3 and expr.right == 4
    assert expr.model_dump(exclude_unset=True) == data


def test_16_recursion_in_one_response(build: Callable[[str], Built]) -> None:
    built = build("16_recursion")
    models = built.modules()["models"]
    data = {
        "node": {"name": "1", "children": [{"name": "2", "children": [{"name": "3"}]}]},
        "a": {"label": "a", "b": {"label": "b", "a": {"label": "a2"}}},
        "tree": {
            "kind": "branch",
            "children": [{"kind": "branch", "children": [{"kind": "leaf", "value": 0}]}],
        },
        "expr": {"left": {"left": 1, "right": 2}, "right": {"left": 3, "right": 4}},
    }
    assert built.parse(models.Graph, data).model_dump(exclude_unset=True) == data
    node_param = built.modules()["params"].NodeParam
    assert typing.get_type_hints(node_param)["name"] is str
    pydantic.TypeAdapter(node_param).validate_python(data["node"])


# -- 17: shapes -----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.model_dump(exclude_unset=True) if isinstance(value, pydantic.BaseModel) else value


@pytest.mark.parametrize("name", ["Empty", "EmptyProps"])
def test_17a_zero_properties(name: str, build: Callable[[str], Built]) -> None:
    built = build("17a_shapes")
    models = built.modules()["models"]
    assert name in models.__all__
    for data in ({}, {"anything": [1, {"deep": None}], "n": 2}):
        assert _plain(built.modules()["package"].parse(getattr(models, name), data)) == data


def test_17a_all_of(build: Callable[[str], Built]) -> None:
    built = build("17a_shapes")
    models = built.modules()["models"]
    fields = models.Extended.model_fields
    assert set(fields) == {"id", "created", "extra"}
    assert {n for n, f in fields.items() if f.is_required()} == {"id", "extra"}
    data = {"id": "x", "created": 1, "extra": True}
    assert built.parse(models.Extended, data).model_dump(exclude_unset=True) == data
    with pytest.raises(pydantic.ValidationError):
        built.parse(models.Extended, {"id": "x"})


def test_17a_nullable_both_spellings(build: Callable[[str], Built]) -> None:
    built = build("17a_shapes")
    models = built.modules()["models"]
    properties = schema_of("17a_shapes", "Nullables")["properties"]
    hints = typing.get_type_hints(models.Nullables)
    for name in properties:
        assert type(None) in typing.get_args(hints[name]), f"{name}: {hints[name]}"
    nulls = {name: None for name in properties}
    parsed = built.parse(models.Nullables, nulls)
    assert parsed.model_dump(exclude_unset=True) == nulls
    values = {
        "old_style": "a",
        "new_style": "b",
        "ref_old_style": {"id": "1"},
        "ref_new_style": {"id": "2", "created": 3},
        "multi": 5,
        "items": [1, None, 2],
    }
    assert set(values) == set(properties)
    parsed = built.parse(models.Nullables, values)
    assert isinstance(parsed.ref_old_style, models.Base) and isinstance(
        parsed.ref_new_style, models.Base
    )
    assert (
        parsed.multi == 5 and built.parse(models.Nullables, {**values, "multi": "s"}).multi == "s"
    )
    assert parsed.model_dump(exclude_unset=True) == values


# -- 25: names that meet, reserved names, injection --------------------------------------


def test_25a_names_that_meet_are_numbered_by_the_documented_rules(
    build: Callable[[str], Built],
) -> None:
    built = build("25a_names_meet_after_normalization")
    modules = built.modules()
    models = modules["models"]
    # Components: the key spelled like the name keeps it; the others by code point.
    assert set(models.PetOwner.model_fields) == {"second"}
    assert set(models.PetOwner2.model_fields) == {"third"}  # "pet-owner" < "pet_owner"
    assert set(models.PetOwner3.model_fields) == {"first"}
    # Inline schemas: in document order; properties keep their wire names.
    assert set(_wire_names(models.Props)) == {"a_b", "aB", "a-b", "mood"}
    assert set(models.PropsAB.model_fields) == {"x"} and set(models.PropsAB2.model_fields) == {"y"}
    data = {"a_b": {"x": "1"}, "aB": {"y": 2}, "a-b": "s", "mood": "A B"}
    assert built.parse(models.Props, data).model_dump(exclude_unset=True) == data
    # Operations: the same short name falls back to the operationId, then numbers.
    resource = modules["package"].Client(base_url="http://x").pets
    assert {"list_pets", "list_pets_2", "list_pets_3"} <= set(dir(resource))


def test_25b_reserved_names_keep_every_scope_working(build: Callable[[str], Built]) -> None:
    built = build("25b_reserved_names_every_scope")
    modules = built.modules()
    package, models = modules["package"], modules["models"]
    client = package.Client(base_url="http://x")
    assert callable(client.request)  # the runtime member, not the `request` resource
    assert callable(client.request_.self_) and callable(client.none.with_raw_response_)
    assert hasattr(client.none, "with_raw_response")  # the runtime member is still there
    fields = _wire_names(models.Request)
    assert set(fields) == {"schema", "json", "model_config", "validate", "copy", "def"}
    assert fields["schema"] == "schema_" and fields["def"] == "def_"
    data = {"schema": "s", "json": "j", "model_config": "m", "validate": True, "copy": 1,
            "def": "d"}  # fmt: skip
    assert built.parse(models.Request, data).model_dump(exclude_unset=True) == data
    assert isinstance(models.Request.model_config, dict)
    assert _literal_values(models.Styled) == ("class", "def", "None", "True")
    assert set(_wire_names(models.BaseModel)) == {"NotGiven", "Field"}


def test_25c_injected_text_stays_text(build: Callable[[str], Built]) -> None:
    built = build("25c_injection_in_every_text_field")
    modules = built.modules()
    models = modules["models"]
    thing = schema_of("25c_injection_in_every_text_field", "Thing")
    assert inspect.getdoc(models.Thing) == thing["description"]
    assert _literal_values(models.ThingKind) == tuple(thing["properties"]["kind"]["enum"])
    assert set(_wire_names(models.Thing)) == {"kind", "note"}
    client = modules["package"].Client()
    server = fixture_document("25c_injection_in_every_text_field")["servers"][0]["url"]
    assert str(client.base_url).rstrip("/") == str(httpx.URL(server)).rstrip("/")
    docs = (built.output / "docs").rglob("*.html")
    for page in docs:
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8"), page


def _markdown_as_text(markdown: str) -> str:
    """What a reader sees of a Markdown page: rendered, tags dropped, entities decoded."""
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


# What the templates themselves write as HTML in Markdown: the header comment, anchors, and
# the empty comment that ends a list before a code block.
_OWN_HTML = re.compile(
    r'<!-- Generated by sdkgen [^<>]*-->\n?|(<a id="[\w.-]+">|</a>)+\n?|<!-- -->\n?'
)


@tricky
def test_markdown_carries_no_raw_html_from_the_document(
    case: str, build: Callable[[str], Built]
) -> None:
    """Every Markdown file of the output, read as GitHub reads it (raw HTML on), holds no HTML
    but the templates' own: text from the document stays text, as in the HTML docs."""
    from markdown_it import MarkdownIt

    built = build(case)
    built.require()
    reader = MarkdownIt("commonmark", {"html": True})
    pages = sorted(built.output.rglob("*.md"))
    assert pages
    for page in pages:
        tokens = reader.parse(page.read_text(encoding="utf-8"))
        for token in tokens:
            for inner in [token, *(token.children or [])]:
                if inner.type in ("html_block", "html_inline"):
                    assert _OWN_HTML.fullmatch(inner.content), (page, inner.content)
                if inner.type == "link_open":
                    assert not str(inner.attrs.get("href", "")).startswith("javascript:"), page


def test_26_markdown_text_reads_as_the_document_wrote_it(build: Callable[[str], Built]) -> None:
    """Escaped, not dropped: a reader of the rendered pages sees each text as written."""
    built = build("26_raw_html_in_markdown")
    built.require()
    document = fixture_document("26_raw_html_in_markdown")
    operation = document["paths"]["/items/{id}"]["get"]
    item = document["components"]["schemas"]["Item"]
    pages = {
        page.name: _markdown_as_text(page.read_text(encoding="utf-8"))
        for page in built.output.rglob("*.md")
    }
    expected = {
        "README.md": [document["info"]["title"], document["info"]["version"], "X-Key<img"],
        "api.md": [document["info"]["title"], operation["summary"]],
        "items.md": [
            operation["summary"],
            operation["description"],
            document["tags"][0]["description"],
            *item["properties"]["kind"]["enum"],
            json.dumps(item["properties"]["note"]["default"]),
            json.dumps(item["properties"]["note"]["pattern"]),
        ],
    }
    for name, texts in expected.items():
        for text in texts:
            assert text in pages[name], (name, text)
