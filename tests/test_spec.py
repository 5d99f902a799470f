"""The normalized spec: type grammar, loader validation with spec paths, YAML round trip."""

from __future__ import annotations

import pytest

from sdkgen.spec import SpecError, dump_spec, load_spec, parse_spec
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
