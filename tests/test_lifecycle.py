"""A new API's life-cycle through the CLI: one-step generation from a file or URL, `init`,
and what the commands print."""

from __future__ import annotations

import http.server
import io
import re
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from sdkgen import cli
from sdkgen.output import read_tree
from sdkgen.pipeline import RENDER_STEPS
from sdkgen.spec.model import Api, Enum, Spec

from .conftest import ROOT, sdkgen

PETSTORE = ROOT / "tests/fixtures/petstore/openapi.yaml"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A loopback HTTP server: /petstore.yaml is the fixture document, anything else 404."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/specs/petstore.yaml":
                self.send_error(404)
                return
            body = PETSTORE.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


SUMMARY = re.compile(
    r"^(.+): (\d+) files \((\d+) changed, (\d+) unchanged, (\d+) removed\) in [\d.]+ s$"
)


def test_generate_from_a_file_in_one_step_with_names(tmp_path: Path) -> None:
    result = sdkgen(
        "generate", "--openapi", PETSTORE, "--out", "sdk", "--package", "pets", "--client", "Pets",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    client = (tmp_path / "sdk/python/src/pets/_client.py").read_text()
    assert "class Pets(" in client and "class AsyncPets(" in client
    match = SUMMARY.match(result.stderr.strip())
    assert match, result.stderr
    assert match.group(1) == "sdk"
    assert int(match.group(2)) == int(match.group(3)) == len(read_tree(tmp_path / "sdk"))
    again = sdkgen(
        "generate", "--openapi", PETSTORE, "--out", "sdk", "--package", "pets", "--client", "Pets",
        cwd=tmp_path,
    )  # fmt: skip
    match = SUMMARY.match(again.stderr.strip())
    assert match and match.group(3) == "0" and match.group(4) == match.group(2), again.stderr


def test_generate_from_a_url(tmp_path: Path, server: str) -> None:
    result = sdkgen(
        "generate", "--openapi", f"{server}/specs/petstore.yaml", "--out", "sdk", "-q", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    local = tmp_path / "petstore.yaml"
    local.write_bytes(PETSTORE.read_bytes())
    from_file = sdkgen("generate", "--openapi", local, "--out", "sdk2", "-q", cwd=tmp_path)
    assert from_file.returncode == 0
    # the package is named after the document's file name either way
    assert (tmp_path / "sdk/python/src/petstore/_client.py").is_file()
    assert read_tree(tmp_path / "sdk") == read_tree(tmp_path / "sdk2")


def test_a_url_that_fails_is_one_line_and_writes_nothing(tmp_path: Path, server: str) -> None:
    url = f"{server}/specs/missing.yaml"
    result = sdkgen("generate", "--openapi", url, "--out", "sdk", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"error: {url}: cannot fetch: HTTP 404 Not Found\n"
    assert not (tmp_path / "sdk").exists()
    closed = "http://127.0.0.1:9/openapi.yaml"  # the discard port: nothing listens
    result = sdkgen("generate", "--openapi", closed, "--out", "sdk", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.startswith(f"error: {closed}: cannot fetch:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--spec", "s.yaml", "--openapi", "o.yaml", "--out", "x"], "--spec and --openapi do not go together"),
        (["--openapi", "o.yaml"], "--openapi needs --out DIR"),
        (["--out", "x"], "--out goes with --spec or --openapi"),
        (["--package", "p"], "--package goes with --spec or --openapi"),
        (["api", "--openapi", "o.yaml", "--out", "x"], "--spec and --openapi render one document"),
        (["--openapi", "o.yaml", "--out", "x", "--package", "no-dash"], "--package: 'no-dash' is not"),
        (["--openapi", "o.yaml", "--out", "x", "--client", "1x"], "--client: '1x' is not"),
    ],
)  # fmt: skip
def test_options_that_do_not_go_together_are_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = sdkgen("generate", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_init_starts_a_project_that_imports_generates_and_checks(tmp_path: Path) -> None:
    result = sdkgen("init", "petstore", "--openapi", PETSTORE, "--client", "Pets", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "spec/upstream/petstore.yaml").read_bytes() == PETSTORE.read_bytes()
    config = yaml.safe_load((tmp_path / "spec/petstore/config.yaml").read_text())
    assert config["source"] == "../upstream/petstore.yaml"
    assert config["python"] == {
        "package": "petstore",
        "client": "Pets",
        "async_client": "AsyncPets",
    }
    assert config["resources"] == {
        "pets": {
            "list": "listPets",
            "create": "createPet",
            "show_by_id": "showPetById",
        }
    }
    assert (tmp_path / "generated/petstore/python/src/petstore/resources/pets.py").is_file()
    assert (tmp_path / ".github/workflows/spec-sync-petstore.yml").is_file()
    assert sdkgen("check", cwd=tmp_path).returncode == 0
    # the starter overlay is for editing: a renamed method reaches the SDK
    overlay = tmp_path / "spec/petstore/config.yaml"
    overlay.write_text(overlay.read_text().replace("show_by_id: showPetById", "get: showPetById"))
    assert sdkgen("import", "petstore", cwd=tmp_path).returncode == 0
    assert sdkgen("generate", "petstore", cwd=tmp_path).returncode == 0
    assert (
        "def list("
        in (tmp_path / "generated/petstore/python/src/petstore/resources/pets.py").read_text()
    )


def test_init_refuses_an_existing_api_and_a_bad_name(tmp_path: Path) -> None:
    assert sdkgen("init", "petstore", "--openapi", PETSTORE, cwd=tmp_path).returncode == 0
    before = read_tree(tmp_path)
    again = sdkgen("init", "petstore", "--openapi", PETSTORE, cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith(f"error: {Path('spec/petstore/config.yaml')}: exists;")
    bad = sdkgen("init", "Pet Store", "--openapi", PETSTORE, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.startswith("error: API name 'Pet Store':")
    missing = sdkgen("init", "other", cwd=tmp_path)
    assert missing.returncode == 2 and "--openapi" in missing.stderr
    assert read_tree(tmp_path) == before


@pytest.mark.parametrize("out", ["a-file", "a-file/below"])
def test_an_output_path_through_a_file_is_one_line(tmp_path: Path, out: str) -> None:
    (tmp_path / "a-file").write_text("mine")
    result = sdkgen("generate", "--openapi", PETSTORE, "--out", out, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {tmp_path / 'a-file'}: ")
    assert len(result.stderr.splitlines()) == 1
    assert (tmp_path / "a-file").read_text() == "mine"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _spec_of(enums: int) -> Spec:
    return Spec(Api(name="big"), enums=tuple(Enum(f"E{i}", ("a",)) for i in range(enums)))


@pytest.mark.parametrize(
    ("enums", "quiet", "shown"), [(400, False, True), (400, True, False), (3, False, False)]
)
def test_a_progress_bar_only_for_large_specs_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, enums: int, quiet: bool, shown: bool
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli._progress(_spec_of(enums), quiet) as progress:
        for step in RENDER_STEPS:
            progress(step)
    assert ("rendering" in terminal.getvalue()) is shown
    assert ("100%" in terminal.getvalue()) is shown
