"""Unions honored as the document says: explicit discriminators (mapping or implicit, pinned
or not, several values for one member), the allOf inheritance pattern, and unions told apart
by shape, where a tie or no fit is the marked `*Unknown` member and never a guess. Corpus
documents with no overlay, generated, imported and exercised through httpx.MockTransport."""

from __future__ import annotations

import inspect
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
from ruff.__main__ import find_ruff_bin

from sdkgen.errors import InputError
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.spec import SpecError, dump_spec, parse_spec
from sdkgen.spec.model import Union_

from .conftest import MYPY
from .corpus import CORPUS, generated_sdk, import_document, json_response, recording_client

UNION_DOCUMENTS = sorted(p.name for p in CORPUS.glob("union_*"))


def client(sdk: ModuleType, seen: list[httpx.Request], body: Any) -> Any:
    """The generated client answering `body`, given an api_key only if it still wants one."""
    options: dict[str, Any] = {"max_retries": 0}
    if "api_key" in inspect.signature(sdk.Client).parameters:
        options["api_key"] = "k"
    return sdk.Client(http_client=recording_client(seen, json_response(body)), **options)


def union(document: str, name: str, tmp_path: Path) -> Union_:
    spec = import_document(CORPUS / document, tmp_path)
    found = spec.definitions()[name]
    assert isinstance(found, Union_)
    return found


def strict_rejects(sdk: ModuleType, type_: Any, data: Any) -> str:
    with pytest.raises(pydantic.ValidationError) as caught:
        sdk.parse(type_, data, strict=True)
    return str(caught.value)


# --------------------------------------------------------------------------------------
# Explicit discriminators
# --------------------------------------------------------------------------------------


def test_a_mapping_selects_members_that_do_not_pin_the_tag(tmp_path: Path) -> None:
    shape = union("union_mapping_no_pin", "Shape", tmp_path)
    assert (shape.discriminator, shape.mapping) == (
        "kind",
        {"circle": "Circle", "square": "Square"},
    )
    seen: list[httpx.Request] = []
    circle = {"kind": "circle", "radius": 1.5}
    with generated_sdk(CORPUS / "union_mapping_no_pin", tmp_path / "sdk") as sdk:
        types = sdk.types
        got = client(sdk, seen, circle).shapes.retrieve("s1")
        assert type(got) is types.Circle and (got.kind, got.radius) == ("circle", 1.5)
        square = sdk.parse(types.Shape, {"kind": "square", "side": 2})
        assert type(square) is types.Square and square.side == 2
        # the mapped value decides, not the shape: a circle carrying a square's fields
        odd = sdk.parse(types.Shape, {"kind": "circle", "radius": 1, "side": 3})
        assert type(odd) is types.Circle and odd.radius == 1
        listed = client(sdk, seen, [circle, {"kind": "square", "side": 1}]).shapes.list()
        assert [type(s).__name__ for s in listed] == ["Circle", "Square"]
        unknown = sdk.parse(types.Shape, {"kind": "hexagon", "sides": 6})
        assert type(unknown) is types.ShapeUnknown and isinstance(unknown, sdk.UnknownVariant)
        assert unknown.raw == {"kind": "hexagon", "sides": 6} and unknown.kind == "hexagon"
        # strict: Circle's `kind` is declared (the importer adds it), the unknown is not
        assert type(sdk.parse(types.Shape, circle, strict=True)) is types.Circle
        assert "unknown union variant" in strict_rejects(sdk, types.Shape, {"kind": "hexagon"})
    assert [r.url.path for r in seen] == ["/v1/shapes/s1", "/v1/shapes"]


def test_without_a_mapping_pins_then_schema_names_select(tmp_path: Path) -> None:
    pet = union("union_implicit_mapping", "Pet", tmp_path)
    assert pet.mapping == {"Cat": "Cat", "Dog": "Dog", "bird": "Bird"}
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "union_implicit_mapping", tmp_path / "sdk") as sdk:
        types = sdk.types
        cat = client(sdk, seen, {"petType": "Cat", "name": "Tom", "lives": 9}).pets.retrieve("p")
        assert type(cat) is types.Cat and (cat.name, cat.lives) == ("Tom", 9)
        dog = sdk.parse(types.Pet, {"petType": "Dog", "name": "Rex", "bark": "woof"})
        assert type(dog) is types.Dog and (dog.petType, dog.bark) == ("Dog", "woof")
        bird = sdk.parse(types.Pet, {"petType": "bird", "name": "Tweety"})
        assert type(bird) is types.Bird and bird.name == "Tweety"
        # Bird pins `bird`: its schema name is not a value of it; names are case-sensitive
        for value in ("Bird", "cat"):
            unknown = sdk.parse(types.Pet, {"petType": value, "name": "x"})
            assert type(unknown) is types.PetUnknown
            assert unknown.raw == {"petType": value, "name": "x"}
        assert type(sdk.parse(types.Pet, {"petType": "Dog", "name": "R"}, strict=True)) is types.Dog
        strict_rejects(sdk, types.Pet, {"petType": "Bird", "name": "x"})


def test_several_mapping_values_select_one_member(tmp_path: Path) -> None:
    source = union("union_shared_member", "Source", tmp_path)
    assert source.mapping == {
        "card": "Card",
        "credit_card": "Card",
        "debit_card": "Card",
        "bank": "Bank",
    }
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "union_shared_member", tmp_path / "sdk") as sdk:
        types = sdk.types
        for value in ("card", "credit_card", "debit_card"):
            card = client(sdk, seen, {"type": value, "last4": "4242"}).sources.retrieve("s")
            assert type(card) is types.Card and (card.type, card.last4) == (value, "4242")
            strict = sdk.parse(types.Source, {"type": value, "last4": "1"}, strict=True)
            assert type(strict) is types.Card
        bank = sdk.parse(types.Source, {"type": "bank", "account": "DE00"})
        assert type(bank) is types.Bank and bank.account == "DE00"
        unknown = sdk.parse(types.Source, {"type": "crypto", "wallet": "0xabc"})
        assert type(unknown) is types.SourceUnknown
        assert (unknown.type, unknown.raw) == ("crypto", {"type": "crypto", "wallet": "0xabc"})
        strict_rejects(sdk, types.Source, {"type": "crypto"})
    assert len(seen) == 3


# --------------------------------------------------------------------------------------
# allOf inheritance
# --------------------------------------------------------------------------------------


def test_a_discriminated_base_is_the_union_of_the_schemas_extending_it(tmp_path: Path) -> None:
    pet = union("union_allof_inheritance", "Pet", tmp_path)
    assert [str(v) for v in pet.variants] == ["Dog", "Cat"]
    assert (pet.discriminator, pet.mapping) == ("petType", {"dog": "Dog", "Cat": "Cat"})
    assert pet.description == "A pet of some kind."
    seen: list[httpx.Request] = []
    cat_data = {"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"}
    with generated_sdk(CORPUS / "union_allof_inheritance", tmp_path / "sdk") as sdk:
        types = sdk.types
        cat = client(sdk, seen, cat_data).pets.retrieve("p1")
        assert type(cat) is types.Cat and (cat.name, cat.petType, cat.huntingSkill) == (
            "Tom",
            "Cat",
            "lazy",
        )
        pets = client(sdk, seen, [{"petType": "dog", "name": "Rex", "packSize": 3}, cat_data])
        listed = pets.pets.list()
        assert [type(p).__name__ for p in listed] == ["Dog", "Cat"]
        assert listed[0].packSize == 3
        unknown = sdk.parse(types.Pet, {"petType": "Lizard", "name": "Liz"})
        assert type(unknown) is types.PetUnknown
        assert (unknown.name, unknown.raw) == ("Liz", {"petType": "Lizard", "name": "Liz"})
        # a child's own required field left out: lenient keeps the Cat, strict says so
        drifted = sdk.parse(types.Pet, {"petType": "Cat", "name": "Tom"})
        assert type(drifted) is types.Cat and drifted.name == "Tom"
        strict_rejects(sdk, types.Pet, {"petType": "Cat", "name": "Tom"})
        strict_rejects(sdk, types.Pet, {"petType": "Lizard", "name": "Liz"})
        assert type(sdk.parse(types.Pet, cat_data, strict=True)) is types.Cat
    # the docs' example of a Pet carries the value that selects its first member
    example = '{\n  "name": "My dog",\n  "petType": "dog",\n  "packSize": 1\n}'
    assert example in (tmp_path / "sdk/out/docs/pets.md").read_text()


RECURSIVE = """
openapi: 3.0.3
info: {title: R, version: "1"}
paths:
  /cats/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Cat"}}}
components:
  schemas:
    Pet:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        friends: {type: array, items: {$ref: "#/components/schemas/Pet"}}
      discriminator: {propertyName: petType}
    Cat:
      allOf: [{$ref: "#/components/schemas/Pet"}, {properties: {meow: {type: string}}}]
    Dog:
      allOf: [{$ref: "#/components/schemas/Pet"}, {properties: {bark: {type: string}}}]
"""


def test_a_subtype_reached_first_still_gets_a_discriminated_base(tmp_path: Path) -> None:
    """Cat (reached first) mentions Pet, whose union needs Cat while Cat is being defined:
    the discriminator is decided once Cat is done."""
    pet = import_document(RECURSIVE, tmp_path).definitions()["Pet"]
    assert isinstance(pet, Union_)
    assert (pet.discriminator, pet.mapping) == ("petType", {"Cat": "Cat", "Dog": "Dog"})
    with generated_sdk(RECURSIVE, tmp_path) as sdk:
        cat = sdk.parse(sdk.types.Cat, {"petType": "Cat", "friends": [{"petType": "Dog"}]})
        assert [type(f).__name__ for f in cat.friends] == ["Dog"]


# --------------------------------------------------------------------------------------
# Unions told apart by shape
# --------------------------------------------------------------------------------------


def test_members_are_told_apart_by_required_and_constant_fields(tmp_path: Path) -> None:
    payment = union("union_anyof_no_discriminator", "Payment", tmp_path)
    assert payment.discriminator == "" and len(payment.variants) == 4
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "union_anyof_no_discriminator", tmp_path / "sdk") as sdk:
        types = sdk.types
        bank = client(sdk, seen, {"iban": "DE89", "bic": "COBADEFF"}).payments.retrieve("p1")
        assert type(bank) is types.BankPayment and (bank.iban, bank.bic) == ("DE89", "COBADEFF")
        body = [
            {"card_number": "4242", "expiry": "12/30", "amount": 5},
            {"method": "cash", "amount": 7},
            "tok_123",
            {"iban": "DE89"},
        ]
        listed = client(sdk, seen, body).payments.list()
        assert [type(p).__name__ for p in listed] == [
            "CardPayment",
            "CashPayment",
            "str",
            "BankPayment",
        ]
        assert (listed[0].amount, listed[1].amount, listed[2]) == (5, 7, "tok_123")
        # both satisfied: the member declaring more of the data's keys wins
        both = sdk.parse(types.Payment, {"card_number": "1", "expiry": "x", "iban": "DE"})
        assert type(both) is types.CardPayment
        assert type(sdk.parse(types.Payment, {"method": "cash"}, strict=True)) is types.CashPayment


@pytest.mark.parametrize(
    "data",
    [
        {"method": "cheque", "amount": 3},  # the constant differs
        {"amount": 3},  # no member's required fields
        {"card_number": "4242"},  # a required field left out
    ],
    ids=["constant-differs", "nothing-required", "partly-required"],
)
def test_data_that_fits_no_member_is_unknown_keeping_the_raw_data(
    tmp_path: Path, data: dict[str, Any]
) -> None:
    with generated_sdk(CORPUS / "union_anyof_no_discriminator", tmp_path) as sdk:
        types = sdk.types
        unknown = sdk.parse(types.Payment, data)
        assert type(unknown) is types.PaymentUnknown and isinstance(unknown, sdk.UnknownVariant)
        assert unknown.raw == data and unknown.amount == data.get("amount")
        assert "unknown union variant" in strict_rejects(sdk, types.Payment, data)


def test_members_of_one_shape_are_never_guessed(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "union_ambiguous", tmp_path) as sdk:
        types = sdk.types
        for data in ({"name": "Rex"}, {"name": "Rex", "age": 3}):
            animal = client(sdk, seen, data).animals.retrieve("a1")
            assert type(animal) is types.AnimalUnknown and animal.raw == data
            assert animal.name == "Rex"  # a field every member declares is readable
            assert "unknown union variant" in strict_rejects(sdk, types.Animal, data)
        # each member on its own still parses
        assert type(sdk.parse(types.Cat, {"name": "Tom"}, strict=True)) is types.Cat


def test_the_shape_decision_is_made_up_front_then_one_member_validates(tmp_path: Path) -> None:
    """A tagged union in pydantic's terms: the chooser names one member; no member is tried
    and discarded."""
    with generated_sdk(CORPUS / "union_anyof_no_discriminator", tmp_path) as sdk:
        schema = pydantic.TypeAdapter(sdk.types.Payment).core_schema
        kinds = []

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                kinds.append(node.get("type"))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(schema)
        assert "tagged-union" in kinds
        payments = [{"iban": "1"}, {"card_number": "1", "expiry": "2"}] * 3
        parsed = sdk.parse(list[sdk.types.Payment], payments)
        assert [type(p).__name__ for p in parsed] == ["BankPayment", "CardPayment"] * 3


def test_unions_of_primitives_keep_their_plain_form(tmp_path: Path) -> None:
    document = """
openapi: 3.1.0
info: {title: Values, version: "1"}
paths:
  /values/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Value"}
components:
  schemas:
    Value:
      oneOf:
        - {type: string}
        - {type: integer}
        - {type: array, items: {type: string}}
        - {$ref: "#/components/schemas/Box"}
    Box:
      type: object
      properties: {size: {type: integer}}
"""
    with generated_sdk(document, tmp_path) as sdk:
        types = sdk.types
        assert sdk.parse(types.Value, "a") == "a"
        assert sdk.parse(types.Value, 3) == 3
        assert sdk.parse(types.Value, ["x", "y"]) == ["x", "y"]
        box = sdk.parse(types.Value, {"size": 2})
        assert type(box) is types.Box and box.size == 2
        assert not hasattr(types, "ValueUnknown")  # one model: nothing to tell apart


# --------------------------------------------------------------------------------------
# The flagship: its one shape union (response_format) now has a fallback too
# --------------------------------------------------------------------------------------


def test_flagship_response_format_picks_by_constant_and_keeps_unknown_formats(sdk: Any) -> None:
    types = sdk.types
    option = types.AssistantResponseFormatOption
    assert sdk.parse(option, "auto") == "auto"
    for data, name in (
        ({"type": "text"}, "ResponseFormatText"),
        ({"type": "json_object"}, "ResponseFormatJSONObject"),
        ({"type": "json_schema", "json_schema": {"name": "x"}}, "ResponseFormatJSONSchema"),
    ):
        assert type(sdk.parse(option, data, strict=True)).__name__ == name
    unknown = sdk.parse(option, {"type": "xml", "xml": {"root": "a"}})
    assert type(unknown) is types.AssistantResponseFormatOptionUnknown
    assert (unknown.type, unknown.raw) == ("xml", {"type": "xml", "xml": {"root": "a"}})
    with pytest.raises(pydantic.ValidationError):
        sdk.parse(option, {"type": "xml"}, strict=True)


# --------------------------------------------------------------------------------------
# Contradictions: located errors
# --------------------------------------------------------------------------------------

PINNED = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /sources:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Source"}
components:
  schemas:
    Source:
      oneOf: [{$ref: "#/components/schemas/Bank"}, {$ref: "#/components/schemas/Card"}]
      discriminator:
        propertyName: type
        mapping: {MAPPED: "TARGET"}
    Bank:
      type: object
      properties:
        type: {const: bank}
    Card:
      type: object
      properties:
        type: {type: string}
"""


@pytest.mark.parametrize(
    ("value", "target", "message"),
    [
        (
            "wire",
            "Bank",
            (
                "#/components/schemas/Source/discriminator/mapping/wire: 'wire' selects"
                " Bank, whose 'type' can only be 'bank'"
            ),
        ),
        (
            "bank",
            "Nowhere",
            (
                "#/components/schemas/Source/discriminator/mapping/bank: $ref"
                " '#/components/schemas/Nowhere' points to nothing"
            ),
        ),
    ],
    ids=["value-against-a-constant", "missing-schema"],
)
def test_a_mapping_that_contradicts_the_document_is_a_located_error(
    tmp_path: Path, value: str, target: str, message: str
) -> None:
    document = PINNED.replace("MAPPED", value).replace("TARGET", target)
    with pytest.raises(InputError) as caught:
        import_document(document, tmp_path)
    assert message in str(caught.value)


SPEC = """
api: {{name: t, package: t}}
models:
  Card:
    fields:
      type: {{type: '{card_type}', required: true}}
  Bank:
    fields:
      type: {{type: 'literal["bank"]', required: true}}
enums:
  CardKind: {{values: [card, credit_card]}}
unions:
  Source:
    discriminator: type
    variants: [Card, Bank]
    mapping: {{{mapping}}}
"""


@pytest.mark.parametrize(
    ("card_type", "mapping"),
    [
        ("string", "card: Card, credit_card: Card, debit_card: Card, bank: Bank"),
        ("CardKind", "card: Card, credit_card: Card, bank: Bank"),
        ('literal["card"]', "card: Card, bank: Bank"),
    ],
    ids=["string", "enum", "literal"],
)
def test_the_loader_accepts_several_values_for_a_string_or_enum_tag(
    card_type: str, mapping: str
) -> None:
    spec = parse_spec(SPEC.format(card_type=card_type, mapping=mapping))
    assert spec.unions[0].mapping["card"] == "Card"


@pytest.mark.parametrize(
    ("card_type", "mapping", "problem"),
    [
        (
            'literal["card"]',
            "card: Card, credit_card: Card, bank: Bank",
            "unions.Source.mapping.credit_card: Card.type can only be 'card'",
        ),
        (
            "CardKind",
            "card: Card, debit_card: Card, bank: Bank",
            "unions.Source.mapping.debit_card: Card.type can only be 'card', 'credit_card'",
        ),
        (
            "integer",
            "card: Card, bank: Bank",
            "unions.Source.variants.0: Card.type is integer: a discriminator is a string",
        ),
        (
            "string",
            "card: Card, bank: Wallet",
            "unions.Source.mapping.bank: 'Wallet' is not one of the variants",
        ),
    ],
    ids=["literal", "enum", "not-a-string", "not-a-variant"],
)
def test_the_loader_names_each_contradiction(card_type: str, mapping: str, problem: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(SPEC.format(card_type=card_type, mapping=mapping))
    assert problem in str(caught.value)


def test_the_loader_names_a_variant_without_the_tag_field() -> None:
    text = SPEC.format(card_type="string", mapping="card: Card, bank: Bank")
    text = text.replace(
        "      type: {type: 'string', required: true}", "      last4: {type: string}"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    assert "unions.Source.variants.0: Card has no field 'type'" in str(caught.value)


def test_every_union_document_round_trips_through_the_loader(tmp_path: Path) -> None:
    for name in UNION_DOCUMENTS:
        spec = import_document(CORPUS / name, tmp_path)
        assert parse_spec(dump_spec(spec)) == spec, name


# --------------------------------------------------------------------------------------
# The generated code as a user's CI sees it
# --------------------------------------------------------------------------------------

USER_CODE = """
from union_allof_inheritance.types import Cat, Pet, PetUnknown
from union_anyof_no_discriminator.types import CardPayment, Payment, PaymentUnknown


def describe_payment(payment: Payment) -> str:
    if isinstance(payment, CardPayment):
        return payment.card_number
    if isinstance(payment, PaymentUnknown):
        return str(payment.raw)
    if isinstance(payment, str):
        return payment
    return payment.model_dump_json()


def describe_pet(pet: Pet) -> str:
    if isinstance(pet, Cat):
        return pet.huntingSkill
    if isinstance(pet, PetUnknown):
        return str(pet.raw)
    return pet.name
"""


@pytest.mark.slow
def test_the_generated_union_packages_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for name in UNION_DOCUMENTS:
        spec = import_document(CORPUS / name, tmp_path, package=name)
        out = tmp_path / name
        write_tree(out, render(spec, dump_spec(spec).encode()), force=True)
        shutil.copytree(out / "python" / "src" / name, src / name)
    (src / "user_code.py").write_text(USER_CODE, encoding="utf-8")
    mypy = subprocess.run(
        [*MYPY, "--strict", *UNION_DOCUMENTS, "user_code.py"],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    assert mypy.returncode == 0, mypy.stdout[-4000:]
    for name in UNION_DOCUMENTS:  # as the generated project configures them
        project = tmp_path / name / "python"
        ruff = subprocess.run(
            [find_ruff_bin(), "check", "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert ruff.returncode == 0, ruff.stdout[-4000:]
        models = f"src/{name}/types/models.py"
        black = subprocess.run(
            [sys.executable, "-m", "black", "--check", "--diff", models, f"src/{name}/_models.py"],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert black.returncode == 0, black.stdout[-4000:] + black.stderr[-2000:]
