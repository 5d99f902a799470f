"""Authentication from the document: securitySchemes and security requirements (the
document's and each operation's) become client options, environment variables and exactly
the headers, query parameters and cookies on the wire; corpus documents with no overlay,
exercised through httpx.MockTransport."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import importlib
import inspect
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from ruff.__main__ import find_ruff_bin

from sdkgen.config import default_config
from sdkgen.errors import InputError
from sdkgen.importers.openapi import import_openapi
from sdkgen.output import write_tree
from sdkgen.pipeline import render
from sdkgen.render.python import error_class_name
from sdkgen.spec import SpecError, dump_spec, parse_spec
from sdkgen.spec.model import SecurityScheme
from sdkgen.sync import ADDITION, BREAKING, compare

from .conftest import MYPY, black_differences
from .corpus import CORPUS, generated_sdk, import_document, json_response, recording_client

SECURITY_DOCUMENTS = sorted(p.name for p in CORPUS.glob("security_*"))
ENV = ("SDK_API_KEY", "SDK_USERNAME", "SDK_PASSWORD", "SDK_TOKEN", "SDK_APP_KEY")
ENV += ("SDK_TENANT_KEY", "SDK_ACCESS_TOKEN", "PETS_TOKEN")
SECRET = "sk-secret-123"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def client(sdk: ModuleType, seen: list[httpx.Request], body: Any = None, **options: Any) -> Any:
    http = recording_client(seen, json_response({} if body is None else body))
    return sdk.Client(http_client=http, max_retries=0, **options)


def blog(request: httpx.Request) -> httpx.Response:
    """The answers of security_per_operation_override's operations."""
    if request.url.path == "/v2/posts" and request.method == "GET":
        return httpx.Response(200, json=["p1"])
    return httpx.Response(200, json={"ok": True, "id": "p1"})


def options_of(sdk: ModuleType) -> list[str]:
    return list(inspect.signature(sdk.Client.__init__).parameters)[1:]


# ---------------------------------------------------------------------------------------------
# The wire, one scheme at a time


def test_no_security_needs_no_credentials_and_sends_none(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_none", tmp_path) as sdk:
        assert options_of(sdk)[0] == "base_url"  # no credential option at all
        forecast = client(sdk, seen, {"city": "Oslo", "celsius": 3}).forecast.get(city="Oslo")
        assert forecast.celsius == 3
        doc = sdk.Client.__doc__
    assert doc == "Synchronous client for Open Weather."
    (request,) = seen
    assert str(request.url) == "https://weather.invalid/v1/forecast?city=Oslo"
    # the operation's Accept and the httpx client's own headers; no credential
    assert sorted(request.headers) == [
        "accept",
        "accept-encoding",
        "connection",
        "host",
        "user-agent",
    ]


def test_bearer_from_the_argument_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_bearer", tmp_path) as sdk:
        assert options_of(sdk)[:2] == ["api_key", "base_url"]
        pets = client(sdk, seen, {"id": "p1"}, api_key=SECRET)
        assert pets.pets.get("p1").id == "p1"
        assert pets.auth_headers == {"Authorization": f"Bearer {SECRET}"}
        monkeypatch.setenv("SDK_API_KEY", "from-env")
        client(sdk, seen, {"id": "p1"}).pets.get("p1")
        assert "`api_key` from SDK_API_KEY." in sdk.Client.__doc__
    assert [r.headers["Authorization"] for r in seen] == [f"Bearer {SECRET}", "Bearer from-env"]
    assert str(seen[0].url) == "https://pets.invalid/v1/pets/p1"
    assert "cookie" not in seen[0].headers


def test_a_credential_every_operation_needs_is_required_at_construction(
    tmp_path: Path,
) -> None:
    with generated_sdk(CORPUS / "security_bearer", tmp_path) as sdk:
        with pytest.raises(sdk.ClientError) as raised:
            sdk.Client()
        assert type(raised.value) is sdk.ClientError
        assert str(raised.value) == (
            "The api_key client option must be set either by passing api_key to the client"
            " or by setting the SDK_API_KEY environment variable"
        )


def test_basic_sends_username_and_password_base64(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_basic", tmp_path) as sdk:
        assert options_of(sdk)[:3] == ["username", "password", "base_url"]
        client(sdk, seen, ["a1"], username="alice", password="s3cret:x").accounts.list()
        monkeypatch.setenv("SDK_USERNAME", "bob")
        with pytest.raises(sdk.ClientError, match="^The password client option must be set"):
            sdk.Client()
        monkeypatch.setenv("SDK_PASSWORD", "")  # an empty password is a password
        client(sdk, seen, ["a1"]).accounts.list()
    assert [r.headers["Authorization"] for r in seen] == [
        "Basic " + base64.b64encode(b"alice:s3cret:x").decode(),
        "Basic Ym9iOg==",
    ]
    assert seen[0].headers["Authorization"] == "Basic YWxpY2U6czNjcmV0Ong="


def test_api_key_in_a_header(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_apikey_header", tmp_path) as sdk:
        client(sdk, seen, {"text": "hi"}, api_key=SECRET).quotes.random()
    (request,) = seen
    assert request.headers["X-API-Key"] == SECRET
    assert "authorization" not in request.headers
    assert str(request.url) == "https://quotes.invalid/quotes/random"


def test_api_key_in_the_query_beside_the_operations_parameters(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_apikey_query", tmp_path) as sdk:
        maps = client(sdk, seen, ["Paris, FR"], api_key="k&1")
        maps.geo.geocode(q="Paris")
        maps.geo.geocode(q="Lyon", extra_query={"appid": "override"})  # the caller's word wins
    assert sorted(seen[0].url.params.multi_items()) == [("appid", "k&1"), ("q", "Paris")]
    assert sorted(seen[1].url.params.multi_items()) == [("appid", "override"), ("q", "Lyon")]
    assert seen[0].url.path == "/api/geocode"
    assert "authorization" not in seen[0].headers


def test_api_key_in_a_cookie(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_apikey_cookie", tmp_path) as sdk:
        client(sdk, seen, {"name": "Ada"}, api_key="tok").account.who_am_i()
    (request,) = seen
    assert request.headers.get_list("Cookie") == ["session=tok"]
    assert "authorization" not in request.headers


def test_oauth2_sends_the_access_token_as_a_bearer_token(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_oauth2", tmp_path) as sdk:
        assert options_of(sdk)[0] == "access_token"
        client(sdk, seen, [], access_token="at-1").events.list()
        with pytest.raises(sdk.ClientError, match="SDK_ACCESS_TOKEN environment variable$"):
            sdk.Client()
    assert seen[0].headers["Authorization"] == "Bearer at-1"


# ---------------------------------------------------------------------------------------------
# Alternatives and per-operation requirements


def test_the_first_complete_alternative_is_used(tmp_path: Path) -> None:
    """security: [{TokenAuth: []}, {AppKey: [], TenantKey: []}]: A, or B and C together."""
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_multiple_alternatives", tmp_path) as sdk:
        assert options_of(sdk)[:4] == ["token", "app_key", "tenant_key", "base_url"]
        client(sdk, seen, [], token="t").files.list()
        client(sdk, seen, [], app_key="a", tenant_key="acme").files.list()
        client(sdk, seen, [], token="t", app_key="a", tenant_key="acme").files.list()
    wire = [
        (r.headers.get("Authorization"), r.headers.get("X-App-Key"), r.url.query.decode())
        for r in seen
    ]
    assert wire == [("Bearer t", None, ""), (None, "a", "tenant=acme"), ("Bearer t", None, "")]


def test_an_incomplete_alternative_is_a_clear_error_before_sending(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_multiple_alternatives", tmp_path) as sdk:
        files = client(sdk, seen, [], app_key=SECRET)  # B without C: nothing complete
        with pytest.raises(sdk.ClientError) as raised:
            files.files.list()
        assert type(raised.value).__name__ == "MissingCredentialsError"
        assert not isinstance(raised.value, sdk.APIError)
    assert str(raised.value) == (
        "GET /files needs the token client option (or the SDK_TOKEN environment variable);"
        " or the app_key and tenant_key client options"
        " (or the SDK_APP_KEY and SDK_TENANT_KEY environment variables)."
    )
    assert SECRET not in repr(raised.value)
    assert seen == []


def test_per_operation_security_overrides_the_documents(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_per_operation_override", tmp_path) as sdk:
        anonymous = sdk.Client(http_client=recording_client(seen, blog))  # nothing needed
        anonymous.status.health()  # security: []
        anonymous.posts.list()  # [{bearer: []}, {}]: the token if there is one
        with pytest.raises(sdk.ClientError) as raised:
            anonymous.posts.create(title="Hi")  # the document's: bearer
        assert str(raised.value) == (
            "POST /posts needs the api_key client option"
            " (or the SDK_API_KEY environment variable)."
        )
        http = recording_client(seen, blog)
        both = sdk.Client(api_key="t", username="root", password="pw", http_client=http)
        both.status.health()
        both.posts.list()
        both.posts.create(title="Hi")
        both.admin.reindex()  # [{admin: []}]: basic, and no bearer token
        with pytest.raises(sdk.ClientError, match=r"^POST /admin/reindex needs the username"):
            client(sdk, seen, api_key="t").admin.reindex()
    wire = [(r.method, r.url.path, r.headers.get("Authorization")) for r in seen]
    assert wire == [
        ("GET", "/v2/health", None),
        ("GET", "/v2/posts", None),
        ("GET", "/v2/health", None),
        ("GET", "/v2/posts", "Bearer t"),
        ("POST", "/v2/posts", "Bearer t"),
        ("POST", "/v2/admin/reindex", "Basic cm9vdDpwdw=="),
    ]


def test_the_async_client_authenticates_the_same_way(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return blog(request)

    async def go(sdk: ModuleType) -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
        async with sdk.AsyncClient(api_key="t", http_client=http) as blog:
            await blog.posts.create(title="Hi")
            await blog.status.health()
            try:
                await blog.admin.reindex()
            except sdk.ClientError as exc:
                return str(exc)
        return ""

    with generated_sdk(CORPUS / "security_per_operation_override", tmp_path) as sdk:
        message = asyncio.run(go(sdk))
    assert message == (
        "POST /admin/reindex needs the username and password client options"
        " (or the SDK_USERNAME and SDK_PASSWORD environment variables)."
    )
    assert [r.headers.get("Authorization") for r in seen] == ["Bearer t", None]


def test_secrets_are_never_in_repr_or_errors(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_apikey_query", tmp_path) as sdk:
        http = recording_client(seen, json_response({"error": {"message": "nope"}}, 500))
        maps = sdk.Client(api_key=SECRET, http_client=http, max_retries=0)
        with pytest.raises(sdk.APIStatusError) as raised:
            maps.geo.geocode(q="x")
        texts = [repr(maps), str(maps), str(raised.value), repr(raised.value)]
    assert SECRET in str(seen[0].url)  # sent, as the document asks
    assert all(SECRET not in text for text in texts), texts


# ---------------------------------------------------------------------------------------------
# No flagship names in a general SDK


def test_errors_and_request_ids_are_the_apis_own(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    with generated_sdk(CORPUS / "security_none", tmp_path) as sdk:
        assert not hasattr(sdk, "OpenAIError")
        assert issubclass(sdk.APIError, sdk.ClientError) and "ClientError" in sdk.__all__
        headers = {"x-request-id": "req_1"}
        http = recording_client(seen, lambda r: httpx.Response(404, json={}, headers=headers))
        weather = sdk.Client(http_client=http)
        with pytest.raises(sdk.NotFoundError) as raised:
            weather.forecast.get(city="x")
        assert raised.value.request_id is None  # the document names no request-ID header
        raw = sdk.Client(http_client=recording_client(seen, json_response({}, 200)))
        assert raw.forecast.with_raw_response.get(city="x").request_id is None
    readme = (tmp_path / "out/python/README.md").read_text()
    assert "cursor pages" not in readme and "stream=True" not in readme
    assert "Credentials" not in readme


def test_overlay_names_env_vars_request_id_header_and_client(tmp_path: Path) -> None:
    config = dataclasses.replace(
        default_config(CORPUS / "security_bearer" / "openapi.yaml", "pets", "Petstore"),
        environment={"api_key": "PETS_TOKEN", "base_url": "PETS_URL"},
        request_id_header="X-Trace",
    )
    seen: list[httpx.Request] = []
    headers = {"X-Trace": "tr-9"}
    with sdk_from(import_openapi(config), tmp_path) as sdk:
        assert issubclass(sdk.APIError, sdk.PetstoreError) and not hasattr(sdk, "ClientError")
        with pytest.raises(sdk.PetstoreError, match="PETS_TOKEN environment variable$"):
            sdk.Petstore()
        http = recording_client(seen, lambda r: httpx.Response(500, json={}, headers=headers))
        with pytest.raises(sdk.InternalServerError) as raised:
            sdk.Petstore(api_key="k", http_client=http, max_retries=0).pets.get("p")
        assert raised.value.request_id == "tr-9"
        assert sdk.Petstore.__doc__ == (
            "Synchronous client for Petstore.\n\n"
            "    Options not given are read from the environment:\n"
            "    `api_key` from PETS_TOKEN,\n"
            "    `base_url` from PETS_URL.\n\n"
            "    Credentials, never shown in `repr()` or errors:\n"
            "    `api_key`: a bearer token in the Authorization header.\n"
            "    "
        )


@contextmanager
def sdk_from(spec: Any, tmp_path: Path) -> Iterator[ModuleType]:
    """The SDK of an imported spec, imported (the corpus harness, for a spec with an overlay)."""
    text = dump_spec(spec)
    out = tmp_path / "out"
    write_tree(out, render(parse_spec(text), text.encode()), force=True)
    src = str(out / "python" / "src")
    sys.path.insert(0, src)
    try:
        yield importlib.import_module(spec.api.package)
    finally:
        sys.path.remove(src)
        for name in [m for m in sys.modules if m.split(".")[0] == spec.api.package]:
            del sys.modules[name]


def test_the_error_base_class_is_named_after_the_client() -> None:
    assert error_class_name("OpenAI") == "OpenAIError"
    assert error_class_name("Petstore") == "PetstoreError"
    assert error_class_name("API") == "APIBaseError"  # APIError is a status error's base


# ---------------------------------------------------------------------------------------------
# The normalized spec: import, dump, load


def test_requirements_and_schemes_are_imported_as_the_document_states(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "security_per_operation_override", tmp_path)
    assert spec.api.security == (("bearer",),)
    assert spec.api.security_schemes == (
        SecurityScheme("bearer", "bearer", source="#/components/securitySchemes/bearer"),
        SecurityScheme("admin", "basic", source="#/components/securitySchemes/admin"),
    )
    assert {f"{r}.{m.name}": m.security for r, m in spec.methods()} == {
        "status.health": (),
        "posts.list": (("bearer",), ()),
        "posts.create": None,
        "admin.reindex": (("admin",),),
    }
    assert [spec.security_of(m) for _, m in spec.methods()] == [
        (),
        (("bearer",), ()),
        (("bearer",),),
        (("admin",),),
    ]


def test_only_the_schemes_requirements_name_are_imported(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "security_multiple_alternatives", tmp_path)
    assert [(s.name, s.kind, s.location, s.parameter) for s in spec.api.security_schemes] == [
        ("TokenAuth", "bearer", "", ""),
        ("AppKey", "api_key", "header", "X-App-Key"),
        ("TenantKey", "api_key", "query", "tenant"),
    ]  # `Unused` (mutualTLS) is named by no requirement
    assert spec.api.security == (("TokenAuth",), ("AppKey", "TenantKey"))
    oauth = import_document(CORPUS / "security_oauth2", tmp_path / "o").api.security_schemes
    assert [(s.kind, s.origin) for s in oauth] == [("bearer", "oauth2")]


@pytest.mark.parametrize("name", SECURITY_DOCUMENTS)
def test_the_spec_round_trips_through_yaml(name: str, tmp_path: Path) -> None:
    spec = import_document(CORPUS / name, tmp_path)
    assert parse_spec(dump_spec(spec)) == spec


def test_the_dumped_spec_reads_well(tmp_path: Path) -> None:
    text = dump_spec(import_document(CORPUS / "security_per_operation_override", tmp_path))
    assert "  security_schemes:\n    bearer:\n      kind: bearer\n" in text
    assert "  security:\n  - [bearer]\n" in text
    assert "      health:\n        http: GET /health\n" in text
    assert "        security: []\n" in text
    assert "        security:\n        - [bearer]\n        - []\n" in text


BASE_SPEC = """\
api:
  name: x
  security_schemes:
    key: {kind: api_key, in: header, parameter: X-Key}
  security:
  - [key]
resources:
  things:
    methods:
      get: {http: GET /things, security: [[key], []]}
"""


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "security: [[key], []]",
            "security: [[key, nope]]",
            (
                "resources.things.methods.get.security.0: unknown security scheme 'nope'"
                " (not in api.security_schemes)"
            ),
        ),
        ("  - [key]", "  - [gone]", "api.security.0: unknown security scheme 'gone'"),
        ("kind: api_key", "kind: digest", "api.security_schemes.key.kind: expected one of"),
        ("in: header", "in: body", "api.security_schemes.key.in: expected one of header,"),
        (
            "in: header, parameter: X-Key",
            "in: header",
            "api.security_schemes.key.parameter: missing",
        ),
        ("  - [key]", "  - key", "api.security.0: expected a list of scheme names"),
        ("  - [key]", "  - [key, key]", "api.security.0: a scheme is named twice"),
        (
            "kind: api_key, in: header, parameter: X-Key",
            "kind: basic, in: header",
            "api.security_schemes.key.in: only an api_key scheme has this",
        ),
    ],
)
def test_the_loader_locates_bad_security(old: str, new: str, problem: str) -> None:
    assert parse_spec(BASE_SPEC).api.security == (("key",),)
    with pytest.raises(SpecError) as raised:
        parse_spec(BASE_SPEC.replace(old, new))
    assert any(f"{path}: {message}".startswith(problem) for path, message in raised.value.problems)


DOCUMENT = """\
openapi: 3.1.0
info: {title: T, version: "1"}
security: [{main: []}]
paths:
  /a:
    get:
      operationId: getA
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    main: {type: http, scheme: bearer}
"""


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "security: [{main: []}]",
            "security: [{missing: []}]",
            (
                "#/security/0: security scheme 'missing' is not declared under"
                " components.securitySchemes"
            ),
        ),
        (
            "operationId: getA",
            "operationId: getA\n      security: [{main: []}, {other: []}]",
            "#/paths/~1a/get/security/1: security scheme 'other' is not declared",
        ),
        (
            "{type: http, scheme: bearer}",
            "{type: mutualTLS}",
            (
                "#/components/securitySchemes/main: security scheme type 'mutualTLS' is not"
                " supported (http bearer or basic, apiKey, oauth2, openIdConnect)"
            ),
        ),
        (
            "{type: http, scheme: bearer}",
            "{type: http, scheme: digest}",
            "#/components/securitySchemes/main: http scheme 'digest' is not supported",
        ),
        (
            "{type: http, scheme: bearer}",
            "{type: apiKey, in: body, name: k}",
            "#/components/securitySchemes/main: an apiKey scheme is sent in one of",
        ),
        (
            "security: [{main: []}]",
            "security: {main: []}",
            "#/security: expected a list, got a mapping",
        ),
    ],
)
def test_the_importer_locates_security_it_cannot_represent(
    old: str, new: str, error: str, tmp_path: Path
) -> None:
    import_document(DOCUMENT, tmp_path)  # the unchanged document imports
    with pytest.raises(InputError) as raised:
        import_document(DOCUMENT.replace(old, new), tmp_path)
    assert raised.value.where.endswith("openapi.yaml")
    assert raised.value.message.startswith(error), raised.value.message


def test_sync_reports_changed_requirements_and_schemes(tmp_path: Path) -> None:
    folder = CORPUS / "security_per_operation_override"
    text = (folder / "openapi.yaml").read_text()
    old = import_document(folder, tmp_path / "old")
    changed = (
        text.replace("      security: []\n", "      security: [{bearer: []}]\n")
        .replace("        - admin: []\n", "        - admin: []\n        - bearer: []\n")
        .replace(
            "      scheme: basic", "      scheme: basic\n    extra: {type: http, scheme: bearer}"
        )
        .replace("  - bearer: []\npaths:", "  - bearer: []\n  - extra: []\npaths:")
    )
    new = import_document(changed, tmp_path)
    assert [(e.kind, e.location, e.message) for e in compare(old, new).entries] == [
        (BREAKING, "status.health", "credentials needed: bearer, was none"),
        (ADDITION, "admin.reindex", "credentials needed: admin or bearer, was admin"),
        (ADDITION, "api", "new security scheme extra (bearer)"),
        (ADDITION, "posts.create", "credentials needed: bearer or extra, was bearer"),
    ]
    basic_to_key = text.replace(
        "      type: http\n      scheme: basic",
        "      type: apiKey\n      in: header\n      name: X-Admin",
    )
    assert [e.message for e in compare(old, import_document(basic_to_key, tmp_path)).entries] == [
        "security scheme admin now api_key in header X-Admin, was basic"
    ]


# ---------------------------------------------------------------------------------------------
# The generated packages pass their own linters


@pytest.mark.slow
@pytest.mark.parametrize("name", SECURITY_DOCUMENTS)
def test_each_generated_package_passes_ruff_and_black(name: str, tmp_path: Path) -> None:
    spec = import_document(CORPUS / name, tmp_path)
    text = dump_spec(spec)
    write_tree(tmp_path / "out", render(spec, text.encode()), force=True)
    python = tmp_path / "out" / "python"
    ruff = [find_ruff_bin(), "check", "--no-cache", "."]
    result = subprocess.run(ruff, cwd=python, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    differences = black_differences(python, rendered_only=True)
    assert not differences, differences[-3000:]


@pytest.mark.slow
def test_mypy_strict_accepts_a_package_with_every_kind_of_requirement(tmp_path: Path) -> None:
    spec = import_document(CORPUS / "security_per_operation_override", tmp_path)
    write_tree(tmp_path / "out", render(spec, dump_spec(spec).encode()), force=True)
    result = subprocess.run(
        [*MYPY, "--strict", "-p", "sdk"],
        cwd=tmp_path / "out" / "python" / "src",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_overlay_renames_credential_options(tmp_path: Path) -> None:
    """`client.credentials` names a scheme's option; its environment variable follows."""
    document = CORPUS / "security_multiple_alternatives" / "openapi.yaml"
    config = dataclasses.replace(
        default_config(document, package="files_sdk"),
        credentials={"TokenAuth": "token", "AppKey": "app"},
    )
    spec = import_openapi(config)
    assert spec.api.credentials == {"TokenAuth": "token", "AppKey": "app"}
    out = tmp_path / "out"
    write_tree(out, render(spec, dump_spec(spec).encode("utf-8")))
    compact = "".join((out / "python/src/files_sdk/_client.py").read_text().split())
    assert 'options=("token",),env=("FILES_SDK_TOKEN",)' in compact
    assert 'options=("app",),env=("FILES_SDK_APP",)' in compact
    assert 'options=("tenant_key",),env=("FILES_SDK_TENANT_KEY",)' in compact
    stale = dataclasses.replace(config, credentials={"Nope": "x"})
    with pytest.raises(InputError, match=r"client\.credentials\.Nope: no security scheme"):
        import_openapi(stale)
