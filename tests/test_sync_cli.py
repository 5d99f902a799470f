"""`sdkgen sync` end to end on a copy of the repository, with the real pair of upstream
snapshots: the report, the exit codes, and applying all or nothing."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml

from sdkgen.output import read_tree

from .conftest import ROOT, sdkgen

API = "openai-assistants"
NEW = "spec/upstream/openai-openapi-2026-08-21.yaml"
OLD = "spec/upstream/openai-openapi-2026-05-13.yaml"


def snapshot(repo: Path) -> dict[str, bytes]:
    return read_tree(repo / "spec") | {
        f"generated/{k}": v for k, v in read_tree(repo / "generated").items()
    }


def test_check_reports_the_new_snapshot_and_writes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    result = sdkgen("sync", API, "--upstream", NEW, "--check", cwd=repo)
    assert result.returncode == 10, result.stderr
    assert result.stdout == (
        "## openai-assistants\n\n"
        "### Additions\n\n"
        '- `ReasoningEffort`: new value "max"\n\n'
        "### Documentation\n\n"
        "- `ReasoningEffort`: description changed\n"
    )
    assert snapshot(repo) == before


def test_the_reverse_is_breaking_in_json(repo: Path) -> None:
    shutil.copy2(repo / OLD, repo / "old.yaml")
    assert sdkgen("sync", API, "--upstream", NEW, "-q", cwd=repo).returncode == 10
    result = sdkgen("sync", API, "--upstream", "old.yaml", "--check", "--format", "json", cwd=repo)
    assert result.returncode == 20, result.stderr
    report = json.loads(result.stdout)[API]
    assert report["exit_code"] == 20 and report["bump"] == "major"
    assert {
        "kind": "breaking",
        "location": "ReasoningEffort",
        "message": 'value "max" removed',
    } in (report["entries"])


@pytest.mark.slow
def test_sync_applies_everything_and_the_result_is_current(repo: Path) -> None:
    result = sdkgen("sync", API, "--upstream", NEW, cwd=repo)
    assert result.returncode == 10, result.stderr
    config = yaml.safe_load((repo / "spec" / API / "config.yaml").read_text())
    assert config["source"] == "../upstream/openai-openapi-2026-08-21.yaml"
    assert config["version"] == "2.4.0"
    changelog = (repo / "spec" / API / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog\n\n## 2.4.0\n\n")
    assert "Version bump: minor (2.3.0 -> 2.4.0)" in changelog
    assert '- `ReasoningEffort`: new value "max"' in changelog
    python = repo / "generated" / API / "python"
    assert (python / "CHANGELOG.md").read_text() == changelog
    assert 'version = "2.4.0"' in (python / "pyproject.toml").read_text()
    models = (python / "src/openai_assistants/types/models.py").read_text()
    assert '"max"' in models
    assert sdkgen("check", cwd=repo).returncode == 0
    # nothing new upstream: exit 0, nothing written
    before = snapshot(repo)
    again = sdkgen("sync", API, "--upstream", NEW, cwd=repo)
    assert again.returncode == 0 and again.stdout == "## openai-assistants\n\nNo changes.\n"
    assert snapshot(repo) == before


def test_a_failed_apply_changes_nothing(repo: Path) -> None:
    output = repo / "generated" / API
    (output / "manifest.json").unlink()  # the writer will refuse a folder it does not own
    before = snapshot(repo)
    result = sdkgen("sync", API, "--upstream", NEW, cwd=repo)
    assert result.returncode == 2
    assert "holds no sdkgen output" in result.stderr
    assert snapshot(repo) == before
    assert sorted(p.name for p in (repo / "spec/upstream").iterdir()) == sorted(
        p.name for p in (ROOT / "spec/upstream").iterdir()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--upstream", "nowhere.yaml"], "error: nowhere.yaml: cannot read: No such file"),
        (["--upstream", "http://127.0.0.1:9/x.yaml"], "error: http://127.0.0.1:9/x.yaml: cannot fetch"),
        (["--format", "xml"], "Invalid value for '--format'"),
        (["nope"], "error: unknown api 'nope'"),
    ],
)  # fmt: skip
def test_bad_input_is_exit_2_and_one_line(repo: Path, args: list[str], message: str) -> None:
    before = snapshot(repo)
    result = sdkgen("sync", *([API] if args[0].startswith("--") else []), *args, cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert snapshot(repo) == before


def test_without_an_upstream_anywhere_sync_says_where_to_set_it(repo: Path) -> None:
    config = repo / "spec" / API / "config.yaml"
    config.write_text(
        "\n".join(
            line for line in config.read_text().splitlines() if not line.startswith("upstream:")
        )
    )
    result = sdkgen("sync", API, cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith(
        f"error: {Path('spec') / API / 'config.yaml'}: upstream: not set"
    )


def test_a_new_api_syncs_from_its_url_and_reports_stale_overlay_entries(tmp_path: Path) -> None:
    """init from a URL, then the document changes upstream twice: an added operation
    (exit 10, pinned by date), then a removed one the overlay still names (exit 20)."""
    document = yaml.safe_load((ROOT / "tests/fixtures/petstore/openapi.yaml").read_text())
    served = {"doc": yaml.safe_dump(document).encode()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(served["doc"])))
            self.end_headers()
            self.wfile.write(served["doc"])

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/petstore.yaml"
    try:
        assert sdkgen("init", "petstore", "--openapi", url, "-q", cwd=tmp_path).returncode == 0
        config = tmp_path / "spec/petstore/config.yaml"
        assert yaml.safe_load(config.read_text())["upstream"] == url
        assert sdkgen("sync", "petstore", cwd=tmp_path).returncode == 0

        document["paths"]["/pets/{pet_id}"]["delete"] = {
            "operationId": "deletePet",
            "tags": ["pets"],
            "parameters": [{"name": "pet_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Deleted."}},
        }  # fmt: skip
        served["doc"] = yaml.safe_dump(document).encode()
        added = sdkgen("sync", "petstore", cwd=tmp_path)
        assert added.returncode == 10, added.stderr
        assert "- `pets.delete`: new method" in added.stdout
        pinned = yaml.safe_load(config.read_text())["source"]
        assert re.fullmatch(r"\.\./upstream/petstore-\d{4}-\d{2}-\d{2}\.yaml", pinned)
        assert (config.parent / pinned).read_bytes() == served["doc"]
        assert yaml.safe_load(config.read_text())["version"] == "1.1.0"
        assert sdkgen("check", "petstore", cwd=tmp_path).returncode == 0

        del document["paths"]["/pets/{pet_id}"]["get"]
        served["doc"] = yaml.safe_dump(document).encode()
        removed = sdkgen("sync", "petstore", "--check", cwd=tmp_path)
        assert removed.returncode == 20, removed.stderr
        assert "- `pets.show_by_id`: method removed" in removed.stdout
        assert "### Overlay entries that no longer match anything" in removed.stdout
        assert (
            "- `resources.pets.show_by_id.operation`: no operation 'showPetById' in the document"
            in removed.stdout
        )
    finally:
        httpd.shutdown()
