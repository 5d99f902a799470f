"""The `sdkgen` command line.

Exit codes: 0 success; 1 `check` found output out of date; 2 bad input (a one-line
error naming the file and the place in it, never a traceback); `sync` also 10 (additions
or docs-only changes) and 20 (breaking changes).

An unexpected exception (a bug in sdkgen) is one line too, `error: internal error: <type>:
<message> (run with --debug for the traceback)`, exit 2; `sdkgen --debug ...` shows the
traceback instead. Click's own usage errors keep their form (exit 2).

Deep but legal documents (long `$ref` chains, deep inline nesting, long allOf chains) are
imported and rendered by recursive code: every command runs in a thread with a
`STACK_BYTES` stack under a recursion limit of `RECURSION_LIMIT` frames, sized so that the
limit, not the C stack, is what a too-deep document meets (then one line, as above).
"""

from __future__ import annotations

import ctypes
import dataclasses
import datetime
import functools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__, naming
from . import timings as timings_module
from .cache import Cache, default_folder
from .config import default_config
from .errors import InputError
from .output import TreeWrite, diff_trees, read_tree, write_file
from .pipeline import (
    API_DOCUMENT,
    RENDER_STEPS,
    SOURCE_PREFIX,
    Imported,
    Project,
    changelog_beside,
    discover,
    document_beside,
    import_cached,
    import_project,
    render_cached,
)
from .render.format import FormatError
from .render.python_types import RenderError
from .sources import Source, is_url, materialized, read_source
from .spec import SpecError, load_spec, parse_spec
from .spec.model import Spec

if TYPE_CHECKING:
    from .sync_apply import SyncPlan

T = TypeVar("T")

# Above this many definitions and methods a generation shows a progress bar on a terminal.
_LARGE_SPEC = 300


# Deep documents: the frames and C stack a command may use (see the module docstring).
# Measured on CPython 3.11: a chain of 1,000 `$ref`ed schemas and an allOf chain 1,000
# long each need about 6,000 frames, 480 levels of inline nesting 2,200 (the loader refuses
# deeper nesting), and each runs in a 1 MB stack; so the limit allows chains of about
# 10,000 (which take minutes: the importer is quadratic in them). The worst stack use
# measured, every frame re-entering C (`sorted(key=...)`), is 90 MB for 60,000 frames.
RECURSION_LIMIT = 60_000
STACK_BYTES = 256 * 1024 * 1024
_INTERNAL_MESSAGE_CHARS = 500


@dataclasses.dataclass
class _Session:
    """What the group options set for the command that runs."""

    cache: Cache = dataclasses.field(default_factory=lambda: Cache(None))
    timings: bool = False


_session = _Session()


def _fail(message: str) -> NoReturn:
    # Text from a document may hold what the terminal cannot encode (a lone surrogate).
    line = message.encode("utf-8", "backslashreplace").decode("utf-8")
    click.echo(f"error: {line}", err=True)
    sys.exit(2)


def _guard(action: Callable[..., T], *args: Any) -> T:
    """Run a stage; report bad input as one line per problem and exit 2."""
    try:
        return action(*args)
    except InputError as exc:
        _fail(str(exc))
    except SpecError as exc:
        for line in str(exc).splitlines()[:50]:
            click.echo(f"error: {line}", err=True)
        sys.exit(2)
    except (RenderError, FormatError) as exc:
        _fail(f"cannot render: {exc}")
    except OSError as exc:  # a path through a file, no permission, a full disk
        _fail(f"{exc.filename or 'file system'}: {exc.strerror or exc}")


def _projects(root: Path, apis: tuple[str, ...]) -> list[Project]:
    found = {p.api: p for p in discover(root)}
    if not found:
        _fail(
            f"{root / 'spec'}: no spec/<api>/config.yaml found (run from the repository root or pass --root)"
        )
    for api in apis:
        if api not in found:
            _fail(f"unknown api {api!r}; known: {', '.join(sorted(found))}")
    return [found[a] for a in apis] if apis else list(found.values())


def _refuse_together(**options: Any) -> None:
    """Refuse options given together that do not go together (one line, exit 2)."""
    given = [f"--{name.replace('_', '-')}" for name, value in options.items() if value]
    if len(given) > 1:
        _fail(f"{' and '.join(given)} do not go together")


def _check_names(package: str | None, client: str | None) -> None:
    if package is not None and not naming.is_dotted_name(package):
        _fail(f"--package: {package!r} is not a dotted Python name (e.g. acme.clients.pets)")
    if client is not None and not (client.isidentifier() and client.isascii()):
        _fail(f"--client: {client!r} is not a Python class name")


def _with_names(spec: Spec, package: str | None, client: str | None) -> Spec:
    """The spec with the SDK's package and client names the command line gave."""
    api = spec.api
    if package:
        api = dataclasses.replace(api, package=package)
    if client:
        api = dataclasses.replace(api, client=client, async_client=f"Async{client}")
    return dataclasses.replace(spec, api=api)


@contextmanager
def _progress(spec: Spec, quiet: bool) -> Iterator[Callable[[str], None]]:
    """A progress bar over the render steps, on a terminal, for large specs only."""
    size = len(spec.definitions()) + len(spec.methods())
    if quiet or size < _LARGE_SPEC or not sys.stderr.isatty():
        yield lambda step: None
        return
    with click.progressbar(length=len(RENDER_STEPS), label="rendering", file=sys.stderr) as bar:
        yield lambda step: bar.update(1)


@dataclasses.dataclass(frozen=True)
class _RenderInputs:
    """What a render is made of, and how its manifest and the cache name it."""

    spec_text: bytes  # the normalized spec, or (generate --openapi) the source document
    load: Callable[[], Spec]  # the spec, parsed only when the cache misses
    changelog: bytes | None = None
    variant: str = ""  # what else changes the spec `load` gives (names from the command line)
    api_document: bytes | None = None
    spec_name: str = "spec.yaml"  # or SOURCE_PREFIX + the source's name
    key_text: bytes | None = None  # what decided the spec, when spec_text is the source

    @property
    def cachable(self) -> bool:
        """A render named by its source document alone is not cached: the source does
        not say which files its refs read."""
        return not self.spec_name.startswith(SOURCE_PREFIX) or self.key_text is not None


def _generate(inputs: _RenderInputs, out: Path, force: bool, quiet: bool) -> None:
    """Render a spec (through the cache) and write it to `out`, with the one-line summary."""
    started = time.perf_counter()
    with _guard(TreeWrite, out, force) as tree:
        files = _render(inputs, quiet, tree.stage)
        summary = _guard(tree.finish, files)
    if not quiet:
        seconds = time.perf_counter() - started
        click.echo(f"{out}: {summary.describe()} in {seconds:.2f} s", err=True)


def _render(
    inputs: _RenderInputs,
    quiet: bool,
    stage: Callable[[dict[str, bytes]], None] = lambda files: None,
) -> dict[str, bytes]:
    return _guard(
        render_cached,
        inputs.spec_text,
        inputs.changelog,
        lambda: _guard(inputs.load),
        _session.cache if inputs.cachable else Cache(None),
        inputs.variant,
        lambda spec: _progress(spec, quiet),
        inputs.api_document,
        inputs.spec_name,
        inputs.key_text,
        stage,
    )


def _generate_spec_file(
    path: Path,
    out: Path,
    force: bool,
    quiet: bool,
    package: str | None = None,
    client: str | None = None,
) -> None:
    text = _guard(path.read_bytes)

    def load() -> Spec:
        return _with_names(parse_spec(text.decode("utf-8"), str(path)), package, client)

    inputs = _RenderInputs(
        text,
        load,
        changelog=_guard(changelog_beside, path),
        variant=json.dumps([package, client]),
        api_document=_guard(document_beside, path),
    )
    _generate(inputs, out, force, quiet)


@dataclasses.dataclass(frozen=True)
class _Refs:
    """Where the `$ref`s of a document given by --openapi may lead (--ref-root,
    --remote-refs); an API's overlay says it under `refs:`."""

    root: Path | None = None
    remote: bool = False


def _import_document(
    location: str,
    package: str | None,
    client: str | None,
    quiet: bool,
    refs: _Refs,
    as_text: bool = True,
) -> tuple[Imported, Source]:
    """A document imported with no overlay, its trimmed copy (openapi.json), and the
    document as read."""
    source = _guard(read_source, location)
    warnings: list[str] = []
    # A fetched document lands in a new temporary file each time: no use caching it; nor
    # an import that may fetch what its refs name.
    cache = Cache(None) if is_url(location) or refs.remote else _session.cache
    with materialized(source) as path:
        config = default_config(
            path,
            package or "",
            client or "",
            ref_root=refs.root,
            remote_refs=refs.remote,
            source_url=location if is_url(location) else "",
        )
        imported = _guard(import_cached, config, cache, warnings, as_text)
    _warn(warnings, quiet)
    return imported, source


def _refs_need_openapi(openapi: str | None, ref_root: Path | None, remote_refs: bool) -> None:
    if openapi is None and (ref_root is not None or remote_refs):
        given = "--ref-root" if ref_root is not None else "--remote-refs"
        _fail(f"{given} goes with --openapi (an API's overlay says it under `refs:`)")


def _warn(warnings: list[str], quiet: bool) -> None:
    """What the document says that the SDK does not honor, one line each, on stderr."""
    if not quiet:
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)


def _internal_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, RecursionError):
        text = f"the document nests or chains deeper than sdkgen can follow ({text})"
    if len(text) > _INTERNAL_MESSAGE_CHARS:
        text = text[:_INTERNAL_MESSAGE_CHARS] + "..."
    return f"internal error: {type(exc).__name__}: {text} (run with --debug for the traceback)"


def _run_deep(action: Callable[[], T]) -> T:
    """Run `action` in a thread with a large stack and a high recursion limit; its result
    or exception (SystemExit included) comes back here. Ctrl-C is passed on to the thread
    as KeyboardInterrupt, so the writer still restores what it was replacing."""
    outcome: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = action()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            outcome["error"] = exc
        finally:
            done.set()

    try:
        previous = threading.stack_size(STACK_BYTES)
    except (ValueError, RuntimeError):  # the platform cannot: run with what there is
        return action()
    limit = sys.getrecursionlimit()
    try:
        worker = threading.Thread(target=run, name="sdkgen", daemon=True)
        sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
        worker.start()
    except RuntimeError:  # no memory for the stack
        sys.setrecursionlimit(limit)
        return action()
    finally:
        threading.stack_size(previous)
    try:
        _wait(worker, done)
    finally:
        sys.setrecursionlimit(limit)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def _wait(worker: threading.Thread, done: threading.Event) -> None:
    # An Event, not Thread.join(): an interrupted join() marks the thread finished on
    # Python 3.11 (bpo-45274), and a second join() would not wait.
    try:
        done.wait()
    except KeyboardInterrupt:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident or 0), ctypes.py_object(KeyboardInterrupt)
        )
        done.wait()  # a second Ctrl-C leaves it: the process ends with this thread
        raise


class _Main(click.Group):
    """The command group: runs each command deep (see `_run_deep`) and turns unexpected
    exceptions into one line unless --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        started = time.perf_counter()
        try:
            return _run_deep(lambda: super(_Main, self).invoke(ctx))
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if ctx.params.get("debug"):
                raise
            _fail(_internal_error(exc))
        finally:
            if _session.timings:
                _report_timings(time.perf_counter() - started)


def _report_timings(total: float) -> None:
    """Where the command's time went (stderr): each stage, then the cache's hits and misses."""
    spent = timings_module.spent()
    for stage, seconds in spent.items():
        click.echo(f"timing: {stage:<18} {seconds:7.3f} s", err=True)
    other = max(total - sum(spent.values()), 0.0)
    click.echo(f"timing: {'other':<18} {other:7.3f} s", err=True)
    click.echo(f"timing: {'total':<18} {total:7.3f} s", err=True)
    for line in _session.cache.describe():
        click.echo(line, err=True)


@click.group(cls=_Main)
@click.version_option(__version__, prog_name="sdkgen")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Import and render afresh (default: reuse results by content hash).",
)
@click.option("--timings", is_flag=True, help="Print where the time went, by stage (stderr).")
def main(debug: bool, no_cache: bool, timings: bool) -> None:
    """sdkgen: OpenAPI in, a typed Python SDK out.

    Work on a repository laid out as spec/<api>/config.yaml (the overlay), spec/<api>/spec.yaml
    (the normalized spec) and generated/<api>/ (the output); or, with --openapi, on any
    OpenAPI document (a file or a URL).

    Imports and renders are cached by the hash of everything they depend on, in
    $SDKGEN_CACHE_DIR (default: $XDG_CACHE_HOME/sdkgen or ~/.cache/sdkgen; `off` disables).
    """
    _session.cache = Cache(None if no_cache else default_folder())
    _session.timings = timings
    timings_module.reset()


_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="Repository root holding spec/ and generated/.",
)  # fmt: skip
_quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print errors only (for CI).")
_force_option = click.option(
    "--force", is_flag=True, help="Write into a folder that holds other files (kept unless overwritten)."
)  # fmt: skip
_ref_root_option = click.option(
    "--ref-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --openapi: $refs may lead to files under this folder (default: the document's).",
)
_remote_refs_option = click.option(
    "--remote-refs", is_flag=True, help="With --openapi: follow $refs to http(s) URLs."
)
_package_option = click.option(
    "--package", help="The SDK's import path, e.g. petstore or acme.vendor.petstore."
)
_client_option = click.option(
    "--client", help="The client class name (the async one is Async<NAME>)."
)


@main.command("import")
@click.argument("apis", nargs=-1)
@_root_option
@click.option("--openapi", metavar="FILE_OR_URL", help="Import this document, no overlay.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="With --openapi: the spec file."
)
@_ref_root_option
@_remote_refs_option
@_quiet_option
def import_command(
    apis: tuple[str, ...],
    root: Path,
    openapi: str | None,
    out: Path | None,
    ref_root: Path | None,
    remote_refs: bool,
    quiet: bool,
) -> None:
    """OpenAPI + overlay -> spec/<api>/spec.yaml (all APIs, or those named)."""
    if out is not None and openapi is None:
        _fail("--out goes with --openapi (an API's spec is always spec/<api>/spec.yaml)")
    _refs_need_openapi(openapi, ref_root, remote_refs)
    if openapi is not None:
        if apis:
            _fail("--openapi imports one document: name no API")
        imported, _ = _import_document(openapi, None, None, quiet, _Refs(ref_root, remote_refs))
        if out is None:
            click.echo(imported.text, nl=False)
            return
        # Beside the spec, where `generate --spec` finds it for the SDK's tests.
        _guard(write_file, out, imported.text.encode("utf-8"))
        _guard(write_file, out.parent / API_DOCUMENT, imported.document)
        if not quiet:
            click.echo(f"wrote {out} and {out.parent / API_DOCUMENT}", err=True)
        return
    for project in _projects(root, apis):
        warnings: list[str] = []
        imported = _guard(import_project, project, warnings, _session.cache)
        _warn(warnings, quiet)
        _guard(write_file, project.spec, imported.text.encode("utf-8"))
        _guard(write_file, project.api_document, imported.document)
        if not quiet:
            click.echo(f"wrote {project.spec} and {project.api_document}", err=True)


@main.command()
@click.argument("apis", nargs=-1)
@_root_option
@click.option(
    "--spec", "spec_path", type=click.Path(path_type=Path), help="Render this normalized spec..."
)
@click.option(
    "--openapi", metavar="FILE_OR_URL", help="...or this OpenAPI document (no overlay)..."
)
@click.option("--out", type=click.Path(path_type=Path), help="...into this folder.")
@_package_option
@_client_option
@_ref_root_option
@_remote_refs_option
@_force_option
@_quiet_option
def generate(
    apis: tuple[str, ...],
    root: Path,
    spec_path: Path | None,
    openapi: str | None,
    out: Path | None,
    package: str | None,
    client: str | None,
    ref_root: Path | None,
    remote_refs: bool,
    force: bool,
    quiet: bool,
) -> None:
    """spec/<api>/spec.yaml -> generated/<api>/ (SDK and docs), written all or nothing.

    With --openapi FILE_OR_URL --out DIR: any OpenAPI document to an SDK in one step."""
    _refuse_together(spec=spec_path, openapi=openapi)
    single = spec_path is not None or openapi is not None
    if single and out is None:
        _fail(f"{'--spec' if spec_path else '--openapi'} needs --out DIR")
    if not single and (out is not None or package or client):
        given = "--out" if out is not None else "--package" if package else "--client"
        _fail(f"{given} goes with --spec or --openapi (an API's names live in its config.yaml)")
    if single and apis:
        _fail("--spec and --openapi render one document: name no API")
    _check_names(package, client)
    _refs_need_openapi(openapi, ref_root, remote_refs)
    if openapi is not None and out is not None:
        imported, source = _import_document(
            openapi, package, client, quiet, _Refs(ref_root, remote_refs), as_text=False
        )
        # The manifest names the source document; the cache, when on, keys the render by
        # what decided the spec (the source and whatever files its refs reached).
        inputs = _RenderInputs(
            source.content,
            functools.partial(imported.parsed, openapi),
            api_document=imported.document,
            spec_name=SOURCE_PREFIX + source.name,
            key_text=imported.key.encode("utf-8") if imported.key else None,
        )
        _generate(inputs, out, force, quiet)
        return
    if spec_path is not None and out is not None:
        _generate_spec_file(spec_path, out, force, quiet, package, client)
        return
    for project in _projects(root, apis):
        _generate_spec_file(project.spec, project.output, force, quiet)


@main.command()
@click.argument("api")
@click.option("--openapi", metavar="FILE_OR_URL", required=True, help="The API's OpenAPI document.")
@_package_option
@_client_option
@_root_option
@_force_option
@_quiet_option
def init(
    api: str,
    openapi: str,
    package: str | None,
    client: str | None,
    root: Path,
    force: bool,
    quiet: bool,
) -> None:
    """Start a project for API: pin the document under spec/upstream/, write a starter
    spec/API/config.yaml, import, generate, and add the spec-sync CI job."""
    # Commands load what only they use: every run starts faster (imports are most of a
    # flagship run's start-up).
    from .importers.openapi import import_openapi
    from .scaffold import API_NAME, ci_files, starter_overlay

    if not API_NAME.match(api):
        _fail(f"API name {api!r}: use lower-case letters, digits, '-' and '_' (e.g. petstore)")
    _check_names(package, client)
    project = Project(root, api)
    if project.config.exists() and not force:
        _fail(f"{project.config}: exists; edit it, run `sdkgen sync {api}`, or pass --force")
    source = _guard(read_source, openapi)
    suffix = Path(source.name).suffix or ".yaml"
    pinned = root / "spec" / "upstream" / f"{api}{suffix}"
    if pinned.exists() and pinned.read_bytes() != source.content and not force:
        _fail(f"{pinned}: exists with other content; pass --force to replace it")
    with materialized(source) as path:
        config = default_config(path, package or naming.snake(api), client or "")
        inferred = _guard(import_openapi, config)
    upstream = openapi if is_url(openapi) else ""
    overlay = starter_overlay(api, f"../upstream/{pinned.name}", upstream, inferred)
    _guard(write_file, pinned, source.content)
    _guard(write_file, project.config, overlay.encode("utf-8"))
    warnings: list[str] = []
    imported = _guard(import_project, project, warnings, _session.cache)
    _warn(warnings, quiet)
    _guard(write_file, project.spec, imported.text.encode("utf-8"))
    _guard(write_file, project.api_document, imported.document)
    _generate_spec_file(project.spec, project.output, force, quiet)
    for relative, content in ci_files(api).items():
        if force or not (root / relative).exists():
            _guard(write_file, root / relative, content, relative.endswith(".sh"))
    if not quiet:
        click.echo(
            f"{api}: edit {project.config}, then `sdkgen import {api} && sdkgen generate {api}`",
            err=True,
        )


@main.command()
@click.argument("apis", nargs=-1)
@_root_option
@click.option(
    "--upstream", metavar="FILE_OR_URL", help="The new document (default: the overlay's upstream:)."
)
@click.option("--check", "check_only", is_flag=True, help="Report only; write nothing.")
@click.option(
    "--format",
    "report_format",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@_quiet_option
def sync(
    apis: tuple[str, ...],
    root: Path,
    upstream: str | None,
    check_only: bool,
    report_format: str,
    quiet: bool,
) -> None:
    """Compare each API's upstream document with its pinned copy, by meaning, and print a
    changelog; without --check, also re-pin, re-import and regenerate, all or nothing.

    Exit codes: 0 no change, 10 additions or docs-only changes, 20 breaking changes,
    2 bad input."""
    from .sync import to_json, to_markdown
    from .sync_apply import apply_sync, plan_sync

    projects = _projects(root, apis)
    if upstream is not None and len(projects) != 1:
        _fail("--upstream is one document: name exactly one API")
    reports: dict[str, str] = {}
    worst = 0
    for project in projects:
        plan = _guard(plan_sync, project, upstream, datetime.date.today())
        _warn(plan.warnings, quiet)
        changelog = plan.changelog
        reports[project.api] = (
            to_json(changelog) if report_format == "json" else to_markdown(changelog, project.api)
        )
        if changelog.exit_code and not check_only:
            _guard(apply_sync, plan)
        if not quiet:
            click.echo(f"{project.api}: {_sync_summary(plan, check_only)}", err=True)
        worst = max(worst, changelog.exit_code)
    if report_format == "json":
        click.echo(
            "{" + ", ".join(f"{json.dumps(a)}: {r.strip()}" for a, r in reports.items()) + "}"
        )
    else:
        click.echo("\n".join(reports.values()), nl=False)
    sys.exit(worst)


def _sync_summary(plan: SyncPlan, check_only: bool) -> str:
    from .sync import KINDS

    counts = {kind: len(plan.changelog.of_kind(kind)) for kind in KINDS}
    found = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no change"
    if plan.changelog.overlay:
        found += f", {len(plan.changelog.overlay)} stale overlay entries"
    if not plan.changelog.exit_code:
        return found
    action = "not written (--check)" if check_only else "written"
    return f"{found}; version {plan.version}; {action}"


@main.command()
@click.argument("apis", nargs=-1)
@_root_option
def check(apis: tuple[str, ...], root: Path) -> None:
    """Regenerate in memory and compare: exit 0 if spec/ and generated/ are current, 1 with
    a unified diff if not (stale output or a hand edit), 2 on bad input."""
    stale = False
    for project in _projects(root, apis):
        imported = _guard(import_project, project, None, _session.cache)
        fresh = {"spec.yaml": imported.text.encode("utf-8"), API_DOCUMENT: imported.document}
        committed = project.spec.read_bytes() if project.spec.is_file() else b""
        present = {
            name: path.read_bytes()
            for name, path in (("spec.yaml", project.spec), (API_DOCUMENT, project.api_document))
            if path.is_file()
        }
        diff = diff_trees(fresh, present, "spec/" + project.api)
        if committed:
            inputs = _RenderInputs(
                committed,
                functools.partial(load_spec, project.spec),
                changelog=_guard(changelog_beside, project.spec),
                variant=json.dumps([None, None]),
                api_document=_guard(document_beside, project.spec),
            )
            rendered = _render(inputs, quiet=True)
            diff += diff_trees(rendered, read_tree(project.output), f"generated/{project.api}")
        if diff:
            stale = True
            click.echo("\n".join(diff))
            click.echo(
                f"{project.api}: out of date; run `sdkgen import && sdkgen generate`", err=True
            )
        else:
            click.echo(f"{project.api}: up to date", err=True)
    sys.exit(1 if stale else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
