"""The normalized spec: type grammar, loader validation with spec paths, YAML round trip."""

from __future__ import annotations

import pytest

from sdkgen.spec import SpecError, dump_spec, load_spec, parse_spec
from sdkgen.spec.model import (
    Alias,
    Api,
    Body,
    Encoding,
    Enum,
    Example,
    Field,
    Method,
    Model,
    Pagination,
    Param,
    Resource,
    SecurityScheme,
    Spec,
    Streaming,
    Union_,
)
from sdkgen.spec.types import TypeSyntaxError, parse_type

from .conftest import FLAGSHIP


@pytest.mark.parametrize(
    "text",
    ["string", "Assistant", "list[Assistant]", "map[string?]?", 'literal["a-b"]', "literal[1]",
     "literal[null]", 'literal["quote\\"d"]', "list[list[map[any]]]", "file?"],
)  # fmt: skip
def test_type_grammar_round_trips(text: str) -> None:
    assert str(parse_type(text)) == text


@pytest.mark.parametrize(
    "text", ["", "list[", "list[string", "map[]", "literal[x]", "literal[[1]]", "a b", "1abc"]
)
def test_type_grammar_rejects(text: str) -> None:
    with pytest.raises(TypeSyntaxError):
        parse_type(text)


def test_type_refs_lists_named_types() -> None:
    assert list(parse_type("map[list[Foo?]]").refs()) == ["Foo"]
    assert list(parse_type("string").refs()) == []


MINIMAL = """
api: {name: demo}
models:
  Pet:
    fields:
      id: {type: string, required: true}
      owner: {type: 'Person?'}
enums:
  Color: {values: [red, green]}
unions:
  Animal:
    discriminator: kind
    variants: [Pet]
    mapping: {pet: Pet}
"""


def test_loader_reports_every_problem_with_its_spec_path() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(MINIMAL, "spec.yaml")
    problems = dict(caught.value.problems)
    assert problems["models.Pet.fields.owner.type"] == "unknown type 'Person'"
    assert "unions.Animal.variants.0" in problems  # Pet has no field 'kind'
    assert str(caught.value).startswith("spec.yaml: ")


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("", "", "empty"),
        ("api: {name: x}\nmodels: [1]", "models", "mapping"),
        (
            "api: {name: x}\nmodels: {Pet: {fields: {id: {type: 'list['}}}}",
            "models.Pet.fields.id.type",
            "expected",
        ),
        ("api: {name: x}\nmodels: {Pet: {fieldz: {}}}", "models.Pet.fieldz", "unknown key"),
        ("api: {name: x}\nenums: {E: {values: [a, a]}}", "enums.E.values.1", "duplicate"),
        (
            "api: {name: x}\nmodels: {A: {fields: {}}}\nenums: {A: {values: [a, b]}}",
            "enums.A",
            "already used",
        ),
        ("api: {name: x}\naliases: {A: {type: B}, B: {type: 'list[A]'}}", "aliases.A", "itself"),
        (
            "api: {name: x}\nresources: {r: {methods: {get: {http: 'GET /x/{id}'}}}}",
            "resources.r.methods.get.path_params",
            "names",
        ),
        (
            "api: {name: x}\nresources: {r: {methods: {get: {http: 'FETCH /x'}}}}",
            "resources.r.methods.get.http",
            "VERB",
        ),
        ("api: [unclosed", "line 2", "YAML"),  # libyaml marks the end, where it gave up
    ],
)
def test_loader_rejects_with_path(text: str, path: str, words: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "spec.yaml")
    matching = [m for p, m in caught.value.problems if p == path]
    assert matching, caught.value.problems
    assert any(words in m for m in matching), matching


def test_flagship_spec_round_trips_through_yaml() -> None:
    spec = load_spec(FLAGSHIP.spec)
    text = dump_spec(spec)
    assert text == FLAGSHIP.spec.read_text(encoding="utf-8")
    assert parse_spec(text) == spec


def test_dump_writes_multiline_text_as_literal_blocks() -> None:
    text = FLAGSHIP.spec.read_text(encoding="utf-8")
    assert "description: |" in text
    assert "\\n" not in text.split("models:")[1][:20000]  # no escaped newlines in descriptions


def test_every_declared_field_reaches_the_file_and_back() -> None:
    """Loading and dumping come from the dataclasses' declaration: a spec that sets every
    field away from its default dumps each one and reads back equal."""
    t = parse_type
    form = Body(t("Form"), "multipart/form-data", False, {"f": Encoding("image/png", "base64")})
    field = Field("f", t("file"), True, "A file.", None, {"a": 1}, {"min_length": 1}, True, True)
    tag = Field("kind", t('literal["a"]'), required=True, write_only=True)
    param = Param("q", t("string"), True, "Q.", "x", "y", {"max_length": 3}, True,
                  style="pipeDelimited", explode=True, allow_reserved=True)  # fmt: skip
    method = Method(
        "make", "POST", "/things/{id}", "makeThing", "Make", "Make one.", "Long.", True,
        (Param("id", t("string"), required=True, style="label"),), (param,),
        (Param("h", t("string"), explode=True),), (Param("c", t("integer")),), form,
        t("Thing"), "application/json", Pagination("cursor", t("Thing"), "a", "b", "c", "d"),
        Streaming("f", t("Thing")), (), Example({"a": 1}, "x.yaml#/a"), Example(None),
    )  # fmt: skip
    spec = Spec(
        Api("demo", "Demo", "1", "2", "The API.", "https://x", "demo.sdk", "C", "AC",
            {"X-A": "1"}, {"key": "DEMO_KEY"}, {"org": "X-Org"}, "X-Request-Id", "https://d",
            (SecurityScheme("k", "api_key", "query", "key", "", "Key.", "s"),
             SecurityScheme("b", "bearer", origin="oauth2")), (("k",), ("b", "k"))),
        models=(Model("Form", (field,), "Form.", t("string"), True, "src"),
                Model("Other", (Field("kind", t("string")),)), Model("Thing", (tag,))),
        enums=(Enum("E", ("a", 1, 2.5, True), "E.", True, "src"),),
        unions=(Union_("U", (t("Thing"), t("Other")), "kind", {"a": "Thing", "b": "Other"},
                       "U.", True, "src"),),
        aliases=(Alias("A", t("map[E?]"), "A.", True, "src"),),
        resources=(Resource("things", (method,), (Resource("inner"),), "Things."),),
    )  # fmt: skip
    text = dump_spec(spec)
    assert parse_spec(text) == spec
    for key in ("read_only", "write_only", "in: query", "origin", "allow_reserved", "explode"):
        assert key in text
