"""What a document says that the generated SDK cannot honor is named in a warning with its
place, one line each; the SDK is still generated."""

from __future__ import annotations

from pathlib import Path

from sdkgen.config import default_config
from sdkgen.importers.openapi import import_openapi

from .conftest import sdkgen
from .corpus import CORPUS

DOCUMENT = CORPUS / "warnings_dropped_features" / "openapi.yaml"
PROPERTIES = "#/paths/~1a/get/responses/200/content/application~1json/schema/properties"
SERVERS = "operation servers are not supported; the client's base_url is used"
CALLBACKS = "callbacks are requests the server makes; the client generates nothing for them"
EXPECTED = [
    f"openapi.yaml: #/paths/~1a/get/servers: {SERVERS}",
    f"openapi.yaml: #/paths/~1a/get/callbacks: {CALLBACKS}",
    f"openapi.yaml: {PROPERTIES}/x/not: `not` is not supported; the type ignores it",
    f"openapi.yaml: {PROPERTIES}/y/prefixItems: `prefixItems` is not supported; the type ignores it",
]


def test_the_importer_names_each_unsupported_feature_where_it_is() -> None:
    warnings: list[str] = []
    spec = import_openapi(default_config(DOCUMENT), warnings=warnings)
    assert warnings == EXPECTED
    assert [m.name for _, m in spec.methods()] == ["get"]


def test_the_cli_prints_them_and_quiet_does_not(tmp_path: Path) -> None:
    loud = sdkgen("generate", "--openapi", DOCUMENT, "--out", "sdk", cwd=tmp_path)
    assert loud.returncode == 0
    assert loud.stderr.splitlines()[:-1] == [f"warning: {w}" for w in EXPECTED]
    quiet = sdkgen("generate", "--openapi", DOCUMENT, "--out", "sdk", "--quiet", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
