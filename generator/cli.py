"""The `sdkgen` command line.

Exit codes: 0 success; 1 `check` found output out of date; 2 bad input (a one-line
error naming the file and the place in it, never a traceback).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .config import default_config
from .errors import InputError
from .output import diff_trees, read_tree, write_file, write_tree
from .pipeline import Project, discover, import_project, import_spec, render_spec_file
from .render.format import FormatError
from .render.python_types import RenderError
from .spec import SpecError

T = TypeVar("T")


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
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


@click.group()
@click.version_option(__version__, prog_name="sdkgen")
def main() -> None:
    """sdkgen: OpenAPI in, a typed Python SDK out.

    Work on a repository laid out as spec/<api>/config.yaml (the overlay), spec/<api>/spec.yaml
    (the normalized spec) and generated/<api>/ (the output).
    """


_root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
    help="Repository root holding spec/ and generated/.",
)  # fmt: skip


@main.command("import")
@click.argument("apis", nargs=-1)
@_root_option
@click.option(
    "--openapi",
    type=click.Path(path_type=Path),
    help="Import this OpenAPI file with a default overlay.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="With --openapi: where to write the normalized spec.",
)
def import_command(
    apis: tuple[str, ...], root: Path, openapi: Path | None, out: Path | None
) -> None:
    """OpenAPI + overlay -> spec/<api>/spec.yaml (all APIs, or those named)."""
    if openapi is not None:
        text = _guard(import_spec, default_config(openapi))
        if out is None:
            click.echo(text, nl=False)
        else:
            write_file(out, text.encode("utf-8"))
            click.echo(f"wrote {out}", err=True)
        return
    for project in _projects(root, apis):
        text = _guard(import_project, project)
        write_file(project.spec, text.encode("utf-8"))
        click.echo(f"wrote {project.spec}", err=True)


@main.command()
@click.argument("apis", nargs=-1)
@_root_option
@click.option(
    "--spec", "spec_path", type=click.Path(path_type=Path), help="Render this normalized spec..."
)
@click.option(
    "--out", type=click.Path(path_type=Path), help="...into this folder (replaced as a whole)."
)
def generate(apis: tuple[str, ...], root: Path, spec_path: Path | None, out: Path | None) -> None:
    """spec/<api>/spec.yaml -> generated/<api>/ (SDK and docs), written all or nothing."""
    if spec_path is not None or out is not None:
        if spec_path is None or out is None:
            _fail("--spec and --out go together")
        files = _guard(render_spec_file, spec_path)
        write_tree(out, files)
        click.echo(f"wrote {len(files)} files to {out}", err=True)
        return
    for project in _projects(root, apis):
        files = _guard(render_spec_file, project.spec)
        write_tree(project.output, files)
        click.echo(f"wrote {len(files)} files to {project.output}", err=True)


@main.command()
@click.argument("apis", nargs=-1)
@_root_option
def check(apis: tuple[str, ...], root: Path) -> None:
    """Regenerate in memory and compare: exit 0 if spec/ and generated/ are current, 1 with
    a unified diff if not (stale output or a hand edit), 2 on bad input."""
    stale = False
    for project in _projects(root, apis):
        imported = _guard(import_project, project).encode("utf-8")
        committed = project.spec.read_bytes() if project.spec.is_file() else b""
        diff = diff_trees(
            {"spec.yaml": imported},
            {"spec.yaml": committed} if committed else {},
            "spec/" + project.api,
        )
        if committed:
            rendered = _guard(render_spec_file, project.spec)
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
