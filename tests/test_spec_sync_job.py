"""The spec-sync CI job: the flagship workflow, its template for `sdkgen init`, and the script
both run (.github/scripts/spec-sync.sh), exercised for real with a fake `sdkgen`."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pytest
import yaml

from .conftest import ROOT

API = "openai-assistants"
WORKFLOW = ROOT / ".github" / "workflows" / f"spec-sync-{API}.yml"
SCRIPT = ROOT / ".github" / "scripts" / "spec-sync.sh"
PROJECT = ROOT / "templates" / "project"
TEMPLATE = PROJECT / ".github" / "workflows" / "spec-sync-__api__.yml.j2"
SCRIPT_COPY = PROJECT / ".github" / "scripts" / "spec-sync.sh"
OTHER_APIS = ["petstore", "acme_billing-v2"]

CHANGELOG = """\
# openai-assistants: 2 changes

## Added
- `assistants.list` accepts `order`.

## Breaking
- `threads.runs.create`: `model` is now required.
"""


def render_workflow(api: str, install: str = ".") -> str:
    env = jinja2.Environment(
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(api=api, install=install)


# --- the workflow and its template ---------------------------------------------------------


def test_template_renders_the_flagship_workflow_byte_for_byte() -> None:
    assert render_workflow(API).encode("utf-8") == WORKFLOW.read_bytes()


@pytest.mark.parametrize("api", OTHER_APIS)
def test_template_is_generic(api: str) -> None:
    text = render_workflow(api)
    assert API not in text
    assert f"run: bash .github/scripts/spec-sync.sh {api}\n" in text
    assert f"branch: spec-sync/{api}\n" in text


def test_script_copy_for_new_projects_is_identical() -> None:
    assert SCRIPT_COPY.read_bytes() == SCRIPT.read_bytes()


def test_workflow_does_what_the_job_needs() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert [entry["cron"] for entry in triggers["schedule"]]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert workflow["concurrency"] == {"group": f"spec-sync-{API}", "cancel-in-progress": False}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.11"
    assert any(s.get("run") == "python -m pip install ." for s in steps)
    sync = next(s for s in steps if s.get("id") == "sync")
    assert sync["run"] == f"bash .github/scripts/spec-sync.sh {API}"
    pr = next(s for s in steps if s.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert steps.index(sync) < steps.index(pr)
    assert pr["uses"].rpartition("@")[2].removeprefix("v").isdigit()  # a pinned major version
    assert pr["if"] == "steps.sync.outputs.changed == 'true'"
    assert pr["with"]["branch"] == f"spec-sync/{API}"
    assert pr["with"]["title"] == f"Spec sync: {API}"
    assert pr["with"]["body-path"] == "${{ steps.sync.outputs.body-path }}"
    labels = pr["with"]["labels"]
    assert "steps.sync.outputs.breaking == 'true'" in labels
    assert "'spec-sync,breaking'" in labels and "|| 'spec-sync'" in labels


def actionlint_executable() -> str:
    """actionlint from the test extras (beside this Python), else $ACTIONLINT or PATH."""
    name = "actionlint.exe" if os.name == "nt" else "actionlint"
    beside = Path(sys.executable).parent / name
    for candidate in (os.environ.get("ACTIONLINT"), beside, shutil.which(name)):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail(
        f"actionlint not found: not at {beside}, not in $ACTIONLINT, not on PATH. Install the"
        " test extras (`pip install -e '.[test]'`); the workflow lint must not be skipped.",
        pytrace=False,
    )


def test_workflows_pass_actionlint(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    files = [WORKFLOW]
    for api in OTHER_APIS:
        files.append(folder / f"spec-sync-{api}.yml")
        files[-1].write_text(render_workflow(api), encoding="utf-8")
    result = subprocess.run(
        [actionlint_executable(), "-no-color", "-oneline", *map(str, files)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_script_passes_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (actionlint uses it when it is)")
    result = subprocess.run(
        [shellcheck, str(SCRIPT)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout


# --- the script, run by bash with a fake sdkgen ----------------------------------------------

FAKE_SDKGEN = """\
#!/usr/bin/env bash
# A stand-in for sdkgen: records its arguments, prints $FAKE_STDOUT's file, exits $FAKE_EXIT.
printf '%s\\0' "$@" >"$FAKE_ARGS"
cat "$FAKE_STDOUT"
if [[ -n ${FAKE_STDERR:-} ]]; then
  printf '%s\\n' "$FAKE_STDERR" >&2
fi
exit "$FAKE_EXIT"
"""

SECRET = "ghs_SpecSyncTestSecret0123456789"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    outputs: str | None  # the $GITHUB_OUTPUT file after the run (None: a local run)
    summary: str | None  # the $GITHUB_STEP_SUMMARY file after the run
    args: list[str] | None  # what the fake sdkgen was called with; None: not called


@dataclass
class Job:
    """A runner-like folder layout (paths with spaces, to prove the quoting) and a fake sdkgen."""

    root: Path

    def __post_init__(self) -> None:
        for name in ("fake bin", "runner temp", "workspace", "tmp"):
            (self.root / name).mkdir()
        self.sdkgen.write_text(FAKE_SDKGEN, encoding="utf-8")
        self.sdkgen.chmod(self.sdkgen.stat().st_mode | stat.S_IXUSR)

    @property
    def sdkgen(self) -> Path:
        return self.root / "fake bin" / "sdkgen"

    @property
    def runner_temp(self) -> Path:
        return self.root / "runner temp"

    @property
    def workspace(self) -> Path:
        return self.root / "workspace"

    @property
    def body(self) -> Path:
        return self.runner_temp / f"spec-sync-{API}.md"

    def run(
        self,
        code: int,
        changelog: str = CHANGELOG,
        *,
        argv: tuple[str, ...] = (API,),
        github: bool = True,
        output_before: str = "",
        stderr: str = "",
        env: dict[str, str] | None = None,
    ) -> Run:
        """bash spec-sync.sh ARGV, with the fake sdkgen printing `changelog` and exiting `code`;
        `github=False` is a local run (no RUNNER_TEMP, GITHUB_OUTPUT and friends)."""
        stdout_file = self.root / "stdout.md"
        stdout_file.write_text(changelog, encoding="utf-8")
        args_file = self.root / "args"
        args_file.unlink(missing_ok=True)
        output = self.root / "github_output"
        summary = self.root / "step_summary"
        output.write_text(output_before, encoding="utf-8")
        summary.write_text("", encoding="utf-8")
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TMPDIR": str(self.root / "tmp"),
            "SDKGEN": str(self.sdkgen),
            "FAKE_ARGS": str(args_file),
            "FAKE_STDOUT": str(stdout_file),
            "FAKE_EXIT": str(code),
            "FAKE_STDERR": stderr,
            "GITHUB_TOKEN": SECRET,
        }
        if github:
            environment |= {
                "RUNNER_TEMP": str(self.runner_temp),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_WORKSPACE": str(self.workspace),
            }
        environment |= env or {}
        result = subprocess.run(
            ["bash", str(SCRIPT), *argv],
            cwd=self.workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        recorded = args_file.read_bytes().decode() if args_file.exists() else None
        return Run(
            returncode=result.returncode,
            stdout=result.stdout,
            stderr=result.stderr,
            outputs=output.read_text(encoding="utf-8") if github else None,
            summary=summary.read_text(encoding="utf-8") if github else None,
            args=recorded.split("\0")[:-1] if recorded is not None else None,
        )


@pytest.fixture
def job(tmp_path: Path) -> Job:
    return Job(tmp_path)


def test_sdkgen_is_asked_to_sync_the_api_as_markdown(job: Job) -> None:
    run = job.run(0)
    assert run.args == ["sync", API, "--format", "markdown"]  # and no --check: it rewrites


def test_no_change(job: Job) -> None:
    run = job.run(0, "")
    assert run.returncode == 0, run.stderr
    assert run.outputs == "changed=false\n"
    assert run.summary == ""
    assert run.stdout == ""
    assert "no change" in run.stderr


@pytest.mark.parametrize(("code", "breaking"), [(10, "false"), (20, "true")])
def test_changes_give_outputs_and_the_changelog(job: Job, code: int, breaking: str) -> None:
    run = job.run(code)
    assert run.returncode == 0, run.stderr
    assert run.outputs == f"changed=true\nbreaking={breaking}\nbody-path={job.body}\n"
    assert job.body.read_text(encoding="utf-8") == CHANGELOG  # sdkgen's stdout, unchanged
    assert run.summary == CHANGELOG
    assert run.stdout == ""  # everything for the log goes to stderr
    assert ("BREAKING" in run.stderr) == (code == 20)


def test_outputs_are_appended_to_what_earlier_steps_wrote(job: Job) -> None:
    run = job.run(20, output_before="earlier=1\n")
    assert run.outputs == f"earlier=1\nchanged=true\nbreaking=true\nbody-path={job.body}\n"


def test_bad_input_fails_the_job_with_exit_2(job: Job) -> None:
    run = job.run(2, "", stderr="error: spec/openai-assistants/config.yaml: upstream: not a URL")
    assert run.returncode == 2
    assert "error: spec/openai-assistants/config.yaml: upstream: not a URL" in run.stderr
    assert "rejected its input (exit 2)" in run.stderr
    assert run.outputs == ""


@pytest.mark.parametrize("code", [1, 3, 137])
def test_a_crash_fails_the_job_with_its_exit_code(job: Job, code: int) -> None:
    run = job.run(
        code, "# openai-assistants: partial\n", stderr="Traceback (most recent call last):"
    )
    assert run.returncode == code
    assert f"crashed (exit {code})" in run.stderr
    assert "Traceback (most recent call last):" in run.stderr
    assert "# openai-assistants: partial" in run.stderr  # the captured stdout goes to the log
    assert run.outputs == ""
    assert run.summary == ""


def test_missing_sdkgen_fails_with_127(job: Job) -> None:
    run = job.run(10, env={"SDKGEN": str(job.root / "fake bin" / "missing")})
    assert run.returncode == 127
    assert "command not found" in run.stderr and "SDKGEN" in run.stderr
    assert run.outputs == ""


@pytest.mark.parametrize(
    "argv", [(), ("",), ("../../etc/passwd",), ("Openai",), ("-x",), (API, "extra")]
)
def test_usage_errors_exit_2_without_running_sdkgen(job: Job, argv: tuple[str, ...]) -> None:
    run = job.run(10, argv=argv)
    assert run.returncode == 2
    assert "spec-sync" in run.stderr
    assert run.args is None
    assert run.outputs == ""


def test_local_run_prints_the_outputs_and_uses_a_temporary_file(job: Job) -> None:
    run = job.run(20, github=False)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:2] == ["changed=true", "breaking=true"]
    key, _, path = lines[2].partition("=")
    assert key == "body-path" and len(lines) == 3
    body = Path(path)
    assert body.parent == job.root / "tmp"  # mktemp in $TMPDIR
    assert body.read_text(encoding="utf-8") == CHANGELOG


def test_local_run_without_change_leaves_no_temporary_file(job: Job) -> None:
    run = job.run(0, "", github=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "changed=false\n"
    assert list((job.root / "tmp").iterdir()) == []


def test_changelog_gets_no_absolute_paths_and_no_secrets(job: Job) -> None:
    changelog = (
        f"# {API}\n\n"
        f"- Pinned copy: {job.workspace}/spec/upstream/openai-openapi.yaml\n"
        f"- Output: {job.workspace}/generated/{API}/ and {job.workspace}/spec/{API}/spec.yaml\n"
    )
    run = job.run(10, changelog)
    assert run.returncode == 0, run.stderr
    body = job.body.read_text(encoding="utf-8")
    assert body == (
        f"# {API}\n\n"
        "- Pinned copy: spec/upstream/openai-openapi.yaml\n"
        f"- Output: generated/{API}/ and spec/{API}/spec.yaml\n"
    )
    assert str(job.root) not in body
    for text in (body, run.stdout, run.stderr, run.outputs, run.summary):
        assert text is not None and SECRET not in text


def test_changes_with_an_empty_changelog_still_get_a_body(job: Job) -> None:
    run = job.run(10, "")
    assert run.returncode == 0, run.stderr
    assert "reported changes but printed no changelog" in job.body.read_text(encoding="utf-8")
