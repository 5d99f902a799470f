"""The overlay (config.yaml): every field declared once on `Config`, read from its key."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from sdkgen.config import Config, load_config
from sdkgen.errors import InputError

FULL = """
api: pets
source: openapi.yaml
upstream: https://example.com/openapi.yaml
version: 1.2
title: Pets
select: {tags: [a], paths: [/p], operations: [op]}
include_schemas: [S]
python: {package: acme.pets, client: Pets, async_client: AsyncPets, types: {Pet: pets}}
client:
  base_url: https://pets.example.com
  default_headers: {X-A: "1"}
  environment: {api_key: PETS_KEY}
  option_headers: {tenant: X-Tenant}
  request_id_header: x-req
  credentials: {TokenAuth: token}
renames: {Old: New}
docs: {base_url: https://docs.example.com}
"""


def _load(tmp_path: Path, text: str) -> Config:
    (tmp_path / "config.yaml").write_text(text)
    return load_config(tmp_path / "config.yaml")


def test_every_declared_field_is_read_from_its_key(tmp_path: Path) -> None:
    config = _load(tmp_path, FULL)
    declared = {f.name for f in fields(Config) if "key" in f.metadata}
    defaults = Config(path=config.path, api="x", source=config.source)
    unset = [name for name in declared if getattr(config, name) == getattr(defaults, name)]
    assert unset == []  # FULL sets every declared field away from its default
    assert config.version == "1.2"  # a YAML number read as text
    assert config.tags == ("a",) and config.environment == {"api_key": "PETS_KEY"}
    assert (config.package, config.client, config.request_id_header) == (
        "acme.pets",
        "Pets",
        "x-req",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source: a.yaml\npython: {pakage: x}\n", "python.pakage: unknown key (expected one of"),
        ("source: a.yaml\nclients: {}\n", "clients: unknown key (expected one of"),
        ("source: a.yaml\nselect: {tags: a}\n", "select.tags: expected a list of strings"),
        ("source: a.yaml\nclient: {environment: {api_key: 1}}\n", "client.environment.api_key"),
        ("source: a.yaml\npython: [x]\n", "python: expected a mapping"),
        ("api: x\n", "source: missing"),
    ],
)
def test_a_bad_overlay_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _load(tmp_path, text)
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "config.yaml"))
