"""Writing rendered files: all or nothing, into folders sdkgen owns; comparing without writing.

A generation is rendered completely in memory first. Writing goes to a temporary sibling
folder that then replaces the target in two renames, so a failure at any point leaves the
previous output as it was.

A kill leaves sibling folders named after the target and the writer's process id:
`.<name>.new-<pid>-<token>` (the new tree being written; once complete it holds
`MOVED_MARKER`, listing the entries it is taking over from the target) and
`.<name>.old-<pid>-<token>` (the previous tree, between the two renames). Every write first
recovers those whose process is gone (a staging folder also once it is an hour old;
`.<name>.new-<8 chars>` and `.<name>.old-<pid>` are the names earlier versions used): if the
target is missing (a kill between the renames), the newest complete new tree, else the
newest old one, is renamed back into place; then entries a staging folder took over are
given back to the target, and what is left is deleted. Nothing is deleted while the target
is missing, nor an entry the target cannot take back.

Ownership: a target folder is written only if it is missing, empty, or holds an earlier
sdkgen output (its manifest). What that manifest does not list (a `.git`, a `build/`, a
user's notes) is moved across into the new tree, never deleted; `force` lets sdkgen write
into any other folder and over unowned files that collide with generated ones.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, final

from .errors import InputError
from .timings import timed

if TYPE_CHECKING:
    import pathspec

MANIFEST = "manifest.json"
# Written into a complete staging folder before entries are moved into it from the target.
MOVED_MARKER = ".sdkgen-moved.json"
STALE_STAGING_SECONDS = 3600  # no write takes this long: its staging folder is debris
_GENERATOR_PREFIX = "sdkgen "
# Never read, compared or moved file by file: version control and bytecode caches (and the
# marker, present in the output only after a kill right after the swap, until the next run).
_ALWAYS_IGNORED = (".git", "__pycache__", MOVED_MARKER)
# After `.<target name>.`: this version's names, then the names earlier versions used.
_LEFTOVER = re.compile(
    r"(?P<kind>new|old)-(?P<pid>[1-9][0-9]*)-[a-z0-9_]+|new-[a-z0-9_]{8}|old-(?P<old_pid>[1-9][0-9]*)"
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, bytes], generator: str, inputs: dict[str, bytes]) -> bytes:
    """What produced the output, and a hash of every file, for reviewers and CI."""
    data = {
        "generator": generator,
        "inputs": {name: sha256(content) for name, content in sorted(inputs.items())},
        "files": {path: sha256(content) for path, content in sorted(files.items())},
    }
    return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class WriteSummary:
    """What a write did, for the one-line report."""

    written: int
    changed: int
    unchanged: int
    removed: int

    def describe(self) -> str:
        return (
            f"{self.written} files ({self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed)"
        )


def owned_files(target: Path, force: bool = False) -> set[str]:
    """The files an earlier sdkgen output in `target` owns (its manifest and what it lists).

    Refuses (InputError) a target that is not a folder, or a folder holding anything but an
    sdkgen output, unless `force` (then sdkgen owns nothing there and overwrites only the
    paths it generates)."""
    if not target.exists() and not target.is_symlink():
        return set()
    if not target.is_dir():
        raise InputError(str(target), "output path exists and is not a folder")
    listed = _manifest_files(target / MANIFEST)
    if listed is not None:
        return listed | {MANIFEST}
    if force or not any(target.iterdir()):
        return set()
    raise InputError(
        str(target),
        "folder is not empty and holds no sdkgen output (no manifest.json); "
        "choose an empty folder or pass --force",
    )


def _manifest_files(path: Path) -> set[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not str(data.get("generator", "")).startswith(
        _GENERATOR_PREFIX
    ):
        return None
    files = data.get("files")
    return {str(p) for p in files} if isinstance(files, dict) else None


def write_tree(target: Path, files: dict[str, bytes], force: bool = False) -> WriteSummary:
    """Replace the files sdkgen owns in `target` with exactly `files`, keeping everything
    else; on any error the old tree stays as it was."""
    with TreeWrite(target, force) as tree:
        return tree.finish(files)


@final
class TreeWrite:
    """`write_tree` whose files may start arriving before the render is done.

    `stage` hands over files that are final; a thread writes them into the staging folder
    while the render goes on. Creating thousands of files waits on the file system's
    journal whenever the disk is busy (the whole OpenAI spec's 3,300 files took 0.1 to 2 s
    on the shared machine, for the same work): staged, the wait overlaps the render instead
    of following it. Only a first generation stages (no earlier output, nothing to compare
    with); over an earlier output every file is compared first, and an unchanged tree is
    never touched. `finish` takes every file, staged or not, and swaps the tree in; leaving
    the `with` block without it removes the staging folder.

    Construction recovers what interrupted writes left and looks at the target; a target
    sdkgen may not write is refused by `finish` (InputError), after the render, so that a
    bad document is reported first, as when nothing is staged."""

    def __init__(self, target: Path, force: bool = False):
        self.target = Path(os.path.abspath(target))
        self.force = force
        self.refused: InputError | None = None
        self.owned: set[str] = set()
        self.kept: list[str] = []
        with timed("write"):
            recover(self.target)
            try:
                self.owned = owned_files(self.target, force)
            except InputError as exc:
                self.refused = exc
            else:
                self.kept = list(_unowned_entries(self.target, self.owned))
        self._staging: Path | None = None
        self._staged: dict[str, bytes] = {}
        self._queue: queue.SimpleQueue[dict[str, bytes] | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._abandoned = False  # the write will not finish: stop staging

    def __enter__(self) -> TreeWrite:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop(abandon=True)  # after finish: nothing left to stop
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def stage(self, files: dict[str, bytes]) -> None:
        """Start writing `files` (final contents) into the staging folder, in a thread."""
        fresh = {
            path: content
            for path, content in files.items()
            if self._staged.get(path) is not content
        }
        if self.owned or self.refused or self._failure is not None or not fresh:
            return
        with timed("write"):
            if self._writer is None:
                self._staging = self._new_staging()
                self._writer = threading.Thread(target=self._drain, name="sdkgen-write")
                self._writer.start()
            self._staged.update(fresh)
            self._queue.put(fresh)

    def finish(self, files: dict[str, bytes]) -> WriteSummary:
        with timed("write"):
            self._stop()
            if self.refused is not None:
                raise self.refused
            if self._failure is not None:
                raise self._failure
            return self._finish(files)

    def _finish(self, files: dict[str, bytes]) -> WriteSummary:
        target, kept = self.target, self.kept
        _refuse_collisions(target, kept, files, self.force)
        old = {path: _read(target / path) for path in self.owned}
        summary = _summarize(old, files)
        if summary.changed == 0 and summary.removed == 0 and target.is_dir():
            return summary  # nothing to do: leave the files (and their mtimes) alone
        staging = self._staging or self._new_staging()
        self._staging = None  # from here on, this method cleans up
        prefix = f".{target.name}.new-{os.getpid()}-"
        retired = target.parent / f".{target.name}.old-{os.getpid()}-{staging.name[len(prefix) :]}"
        moved: list[str] = []
        try:
            for path in self._staged:
                if path not in files:
                    (staging / path).unlink()
            _write_files(
                staging,
                {p: c for p, c in files.items() if self._staged.get(p) is not c},
            )
            kept = [k for k in kept if not _collides(k, files)]  # force: generated files win
            _write_marker(staging, kept)
            _move_entries(target, staging, kept, moved)
            _swap(target, staging, retired)
        except BaseException:
            _move_entries(staging, target, list(moved), [])  # give the kept entries back
            moved.clear()
            raise
        finally:
            if not moved or not staging.exists():  # never delete a kept entry we failed to return
                shutil.rmtree(staging, ignore_errors=True)
            if target.exists():  # else the old tree in `retired` is all that is left: keep it
                shutil.rmtree(retired, ignore_errors=True)
        with contextlib.suppress(OSError):  # done with: the new tree took over what it lists
            (target / MOVED_MARKER).unlink()
        return summary

    def _new_staging(self) -> Path:
        target = self.target
        target.parent.mkdir(parents=True, exist_ok=True)
        # Named after this process, for recover() of a later run to tell whether it is gone.
        prefix = f".{target.name}.new-{os.getpid()}-"
        try:
            staging = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
            os.chmod(staging, 0o777 & ~_umask())
        except OSError as exc:
            raise InputError(
                str(target.parent), f"cannot write here: {exc.strerror or exc}"
            ) from None
        return staging

    def _drain(self) -> None:
        assert self._staging is not None
        while (files := self._queue.get()) is not None:
            if self._failure is None and not self._abandoned:
                try:
                    _write_files(self._staging, files, lambda: self._abandoned)
                except BaseException as exc:  # noqa: BLE001 - raised again by finish()
                    self._failure = exc

    def _stop(self, abandon: bool = False) -> None:
        self._abandoned = self._abandoned or abandon
        if self._writer is not None:
            self._queue.put(None)
            self._writer.join()
            self._writer = None


def recover(target: Path) -> None:
    """Recover the target from, then remove, what interrupted writes left beside it (see
    the module docstring). Best effort: what cannot be done now is left for a later run."""
    stale = _stale_leftovers(target)
    if not target.exists() and not target.is_symlink():
        complete = [f for f in stale if f.kind == "new" and (f.path / MOVED_MARKER).is_file()]
        newest = max(complete or [f for f in stale if f.kind == "old"], key=_age, default=None)
        if newest is None:
            return  # no complete copy to restore: keep every folder
        try:
            os.replace(newest.path, target)
        except OSError:
            return
        stale.remove(newest)
    with contextlib.suppress(OSError):
        (target / MOVED_MARKER).unlink(missing_ok=True)
    for leftover in stale:
        if _give_back(leftover, target):
            shutil.rmtree(leftover.path, ignore_errors=True)


@dataclass(frozen=True)
class _Leftover:
    path: Path
    kind: str  # "new" (a staging folder), "old" (a retired tree), "legacy" (old-style new)


def _stale_leftovers(target: Path) -> list[_Leftover]:
    """The folders interrupted writes of `target` left beside it, whose writer is gone."""
    prefix = f".{target.name}."
    try:
        names = [
            e.name[len(prefix) :] for e in target.parent.iterdir() if e.name.startswith(prefix)
        ]
    except OSError:
        return []
    stale = []
    for name in sorted(names):
        match = _LEFTOVER.fullmatch(name)
        path = target.parent / (prefix + name)
        if match is None or path.is_symlink() or not path.is_dir():
            continue
        pid = match["pid"] or match["old_pid"]
        kind = match["kind"] or ("old" if match["old_pid"] else "legacy")
        expired = kind != "old" and time.time() - _mtime(path) > STALE_STAGING_SECONDS
        if expired or (pid is not None and not _running(int(pid))):
            stale.append(_Leftover(path, kind))
    return stale


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":  # (on Windows os.kill ends the process)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _age(leftover: _Leftover) -> float:
    return _mtime(leftover.path)


def _give_back(leftover: _Leftover, target: Path) -> bool:
    """Move back into `target` what a staging folder took over from it; True if what is
    left is generated files only (the folder may go)."""
    taken = _taken_over(leftover)
    if taken is None:
        return False
    for entry in taken:
        source, destination = leftover.path / entry, target / entry
        if not source.exists() and not source.is_symlink():
            continue
        if destination.exists() or destination.is_symlink():
            return False  # the target has one too: keep both
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, destination)
        except OSError:
            return False
    return True


def _taken_over(leftover: _Leftover) -> list[str] | None:
    """The entries a leftover took over from the target (None: cannot tell). A retired
    tree took nothing (what it kept had moved on); a staging folder lists them in its
    marker (none yet: killed before taking any); an earlier version's staging folder took
    what its manifest does not own (no manifest: killed while writing, before taking)."""
    if leftover.kind == "old":
        return []
    if leftover.kind == "legacy":
        owned = _manifest_files(leftover.path / MANIFEST)
        return [] if owned is None else list(_unowned_entries(leftover.path, owned | {MANIFEST}))
    try:
        listed = json.loads((leftover.path / MOVED_MARKER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError):
        return None
    if not isinstance(listed, list):
        return None
    return [str(entry) for entry in listed]


def _summarize(old: dict[str, bytes | None], files: dict[str, bytes]) -> WriteSummary:
    unchanged = sum(1 for path, content in files.items() if old.get(path) == content)
    removed = sum(1 for path, content in old.items() if content is not None and path not in files)
    return WriteSummary(len(files), len(files) - unchanged, unchanged, removed)


def _unowned_entries(root: Path, owned: set[str], prefix: str = "") -> Iterator[str]:
    """Relative paths of what the manifest does not own, as whole units: a folder holding
    no owned file is one entry."""
    folder = root / prefix if prefix else root
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        relative = f"{prefix}{entry.name}"
        if relative in owned:
            continue
        if entry.is_dir() and not entry.is_symlink() and _holds_owned(relative, owned):
            yield from _unowned_entries(root, owned, relative + "/")
        elif entry.name != "__pycache__":
            yield relative


def _holds_owned(folder: str, owned: set[str]) -> bool:
    return any(path.startswith(folder + "/") for path in owned)


def _collides(entry: str, files: dict[str, bytes]) -> bool:
    return entry in files or any(
        path.startswith(entry + "/") or entry.startswith(path + "/") for path in files
    )


def _refuse_collisions(target: Path, kept: list[str], files: dict[str, bytes], force: bool) -> None:
    if force:
        return
    for entry in kept:
        if _collides(entry, files):
            raise InputError(
                str(target / entry),
                "sdkgen would overwrite this, and the manifest does not own it; "
                "move it away or pass --force",
            )


def _write_marker(staging: Path, kept: list[str]) -> None:
    """Mark the staging folder complete, listing what it is about to take from the target
    (written whole, then renamed: a marker is never half there)."""
    partial = staging / (MOVED_MARKER + ".partial")
    partial.write_text(json.dumps(kept), encoding="utf-8")
    os.replace(partial, staging / MOVED_MARKER)


def _write_files(
    root: Path, files: dict[str, bytes], stop: Callable[[], bool] = lambda: False
) -> None:
    folders: set[Path] = set()
    for relative, content in files.items():
        if stop():
            return
        path = root / relative
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        path.write_bytes(content)


def _move_entries(source: Path, destination: Path, entries: list[str], done: list[str]) -> None:
    """Move each entry (same file system: a rename), recording it in `done` as it goes."""
    for entry in entries:
        if not (source / entry).exists() and not (source / entry).is_symlink():
            continue
        (destination / entry).parent.mkdir(parents=True, exist_ok=True)
        os.replace(source / entry, destination / entry)
        done.append(entry)


def _swap(target: Path, staging: Path, retired: Path) -> None:
    if target.exists():
        os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        if retired.exists():
            os.replace(retired, target)
        raise


def _umask() -> int:
    # Reading the umask means setting it; set it straight back (the CLI is single-threaded).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_file(path: Path, content: bytes, executable: bool = False) -> None:
    """Replace one file atomically (write a sibling, then rename over), mode per umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, (0o777 if executable else 0o666) & ~_umask())
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def read_tree(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by relative path, except what a `.gitignore` in the tree
    lists (build artifacts, virtualenvs) and version-control or bytecode folders."""
    with timed("read output"):
        return _read_tree(root)


def _read_tree(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    ignores = _GitIgnores(root)
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in _ALWAYS_IGNORED for part in relative.parts) or not path.is_file():
            continue
        if not ignores.ignored(relative):
            found[relative.as_posix()] = path.read_bytes()
    return found


class _GitIgnores:
    """The `.gitignore` files of a tree, each applying to the folder it sits in."""

    def __init__(self, root: Path):
        import pathspec  # here: only `check` reads a tree, and every run starts faster

        self.specs: list[tuple[Path, pathspec.PathSpec]] = []
        for path in sorted(root.rglob(".gitignore")):
            if not any(part in _ALWAYS_IGNORED for part in path.relative_to(root).parts):
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
                self.specs.append((path.parent.relative_to(root), spec))

    def ignored(self, relative: Path) -> bool:
        for folder, spec in self.specs:
            if folder == Path(".") or folder in relative.parents:
                inner = relative.relative_to(folder).as_posix()
                if spec.match_file(inner):
                    return True
        return False


def diff_trees(expected: dict[str, bytes], actual: dict[str, bytes], label: str) -> list[str]:
    """What differs between the expected tree and the one on disk: a unified diff per
    changed file, one line per missing or stray file."""
    lines: list[str] = []
    for path in sorted(set(expected) | set(actual)):
        want, have = expected.get(path), actual.get(path)
        name = f"{label}/{path}"
        if want == have:
            continue
        if have is None:
            lines.append(f"missing: {name}")
        elif want is None:
            lines.append(f"stray: {name} (not generated; remove it)")
        else:
            body = list(difflib.unified_diff(_lines(have), _lines(want), lineterm="", n=2))[2:]
            lines += [f"--- {name}", f"+++ {name} (regenerated)"]
            lines += body or ["(binary or whitespace-only difference)"]
    return lines


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()
